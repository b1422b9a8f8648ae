#pragma once
// Streams subjects with their facts up to a date, ordered by subject: the read side of an
// adjudication, one query over the whole database.
//
// One decision, one fact (SPEC.md §2): versions of a record that share the subject, domain, kind
// and record_id (the decision document's number) but came from different sources are one fact.
// The version that counts is the one withdrawn by the office if any (an office decision about the
// facts binds every copy of them), else the one whose content was imported last (the highest
// `updated_batch`, then the highest `rec`); the fact is active when that version is. A version
// withdrawn by `rbl-import --revert` is no version at all: its file should never have been loaded,
// so it neither counts nor withdraws the fact another source holds.
//
// A record whose credit repair was granted (SPEC.md §11, table record_repairs) stays in the
// database but is no fact from the decision day on: like an office withdrawal it binds every copy
// of its decision, so that the same facts never list the subject again and the record is not
// published any more; for an as-of day before the repair it counts as it did then.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/util/date.hpp"

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
    std::string source;
    bool active = true;            ///< status = 'active'
    bool withdrawn_by_office = false;
    std::int64_t updated_batch = 0;  ///< the batch that gave the record its current content
    /// The day a granted credit repair ended the record's publication (ISO), if one did.
    std::optional<std::string> repaired_on;
};

/// A stored record from 13 columns of a row from `first` on, in the order every record query
/// selects them: rec, record_id, domain, kind, date, amount_fen, authority, region, attrs,
/// source, status, withdrawn_by, updated_batch.
StoredRecord stored_record_of(const Statement& statement, int first);

/// Keeps, of each group of versions of one decision (same domain, kind and record_id), the one
/// that counts (see above), then drops the facts that are not active, are repaired on or before
/// `as_of` (ISO) or are dated after it. The records are left ordered by domain, date and row.
/// Returns the earliest day after `as_of` on which the facts change by themselves: the date of an
/// active fact dropped for its date (it starts to count), or the repair day of one repaired later
/// (it stops counting).
std::optional<std::string> keep_one_fact_per_decision(std::vector<StoredRecord>& records,
                                                      std::string_view as_of);

/// The latest value of the date attribute `attribute` among the facts of `decisions` (facts as
/// keep_one_fact_per_decision leaves them), or nullopt when none of them has one.
std::optional<util::Date> latest_date_attribute(std::span<const StoredRecord> facts,
                                                std::span<const Decision> decisions,
                                                std::string_view attribute);

/// A subject and its facts: one version per decision, active, dated on or before the as-of date.
struct SubjectRows {
    std::string subject_id;
    std::string name;
    std::string subject_type;
    std::string region;
    std::vector<StoredRecord> records;
    /// The earliest date after the as-of date of an active fact of the subject (ISO), if any.
    std::optional<std::string> next_fact_day;
};

/// Reads subject after subject.
class SubjectReader {
public:
    /// All subjects, or only `subject_id` when given.
    SubjectReader(Database& db, std::string as_of, std::optional<std::string> subject_id);
    /// The subjects `next_subject` gives (sorted, each once; it returns false after the last),
    /// one indexed query each: an incremental run's. Identifiers the database does not hold are
    /// skipped.
    SubjectReader(Database& db, std::string as_of,
                  std::function<bool(std::string& subject_id)> next_subject);
    /// Reads the next subject into `rows`; false after the last.
    bool next(SubjectRows& rows);

private:
    struct Query {
        std::string_view sql;
    };
    SubjectReader(Database& db, std::string as_of, Query query);
    // Steps the statement to the first subject: the next one asked for, in point mode.
    void start();
    // Whether the records of this batch were withdrawn by reverting it.
    bool was_reverted(std::int64_t batch_id) const;

    Statement m_statement;
    std::vector<std::int64_t> m_reverted_batches;  // few: a revert is rare
    std::unordered_map<std::int64_t, std::string> m_repaired;  // rec -> repair day; few
    std::string m_as_of;
    std::function<bool(std::string&)> m_next_subject;  ///< point mode: the next subject to read
    std::string m_subject_id;                           ///< point mode: the one bound
    bool m_point = false;
    bool m_has_row = false;
    bool m_done = false;
};

/// The number of subjects (for progress).
std::int64_t count_subjects(Database& db);

}  // namespace rbl::store
