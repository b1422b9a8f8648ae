#pragma once
// What a records publication (rbl-publish records, SPEC.md §11) reads beyond the facts that
// store::SubjectReader streams: one stored record with its subject, by its row id, for the rows
// a delta reports (a record no longer public is no longer a fact the reader gives).

#include <cstdint>
#include <string>

#include "rbl/store/database.hpp"
#include "rbl/store/subject_reader.hpp"

namespace rbl::store {

/// A record with its subject, as a records publication shows it.
struct PublishedRecord {
    std::string subject_id;
    std::string subject_name;
    std::string subject_type;
    StoredRecord record;
};

/// Reads stored records for records publications.
class RecordPublicityStore {
public:
    explicit RecordPublicityStore(Database& db);

    /// The record whose row id is `rec`, whatever its status, into `out`; false when none.
    bool record(std::int64_t rec, PublishedRecord& out);

private:
    Statement m_record;
};

}  // namespace rbl::store
