#pragma once
// What a records publication (rbl-publish records, SPEC.md §11) reads beyond the facts that
// store::SubjectReader streams: one stored record with its subject, by its row id, for the rows
// a delta reports (a record no longer public is no longer a fact the reader gives).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbl/model/record_publicity.hpp"
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

/// The values of `terms`' class attributes in a record's attributes (JSON text), in their order.
std::vector<std::optional<std::string>> class_values(const model::PublicityTerms& terms,
                                                     const std::string& attrs_json);

/// A stored record's publication under its domain's terms (model::publicity_of), ended on the
/// day a granted credit repair ended it. None when `terms` does not publish its kind (or its date
/// is not ISO, which the store never holds).
std::optional<model::RecordPublicity> publicity_of(const model::PublicityTerms& terms,
                                                   const StoredRecord& record);

/// The columns and join that published_record_of() reads, for a query to end with its WHERE.
#define RBL_PUBLISHED_RECORD_QUERY                                                               \
    "SELECT s.subject_id, s.name, s.subject_type, r.rec, r.record_id, r.domain, r.kind, "       \
    "r.date, r.amount_fen, r.authority, r.region, r.attrs, r.source, r.status, r.withdrawn_by, " \
    "r.updated_batch FROM records r JOIN subjects s ON s.subject_id = r.subject_id "

/// The row of an RBL_PUBLISHED_RECORD_QUERY.
PublishedRecord published_record_of(const Statement& statement);

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
