#pragma once
// Streams subjects with their active records up to a date, ordered by subject: the read side of
// an adjudication, one query over the whole database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// A stored record as read for evaluation.
struct StoredRecord {
    std::int64_t rec = 0;
    std::string record_id;
    std::string domain;
    std::string kind;
    std::string date;
    std::optional<std::int64_t> amount_fen;
    std::optional<std::string> authority;
    std::optional<std::string> region;
    std::string attrs;
};

/// A subject and its active records dated on or before the as-of date.
struct SubjectRows {
    std::string subject_id;
    std::string name;
    std::string subject_type;
    std::string region;
    std::vector<StoredRecord> records;
};

/// Reads subject after subject.
class SubjectReader {
public:
    /// All subjects, or only `subject_id` when given.
    SubjectReader(Database& db, std::string as_of, std::optional<std::string> subject_id);
    /// Reads the next subject into `rows`; false after the last.
    bool next(SubjectRows& rows);

private:
    Statement m_statement;
    std::string m_as_of;
    std::optional<std::string> m_subject_id;
    bool m_has_row = false;
    bool m_done = false;
};

/// The number of subjects (for progress).
std::int64_t count_subjects(Database& db);

}  // namespace rbl::store
