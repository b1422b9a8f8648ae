#pragma once
// Department feedback (table feedback): the measures a department reports it applied to an
// entry (and the lookup it follows from), written by rbl-import --feedback and read by the
// exporter. All of its SQL is here, as
// constant statements.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// A lookup that a feedback row names, beside the subject of the row's entry, for checking that
/// the feedback follows from that check.
struct NamedLookup {
    std::string subject_id;                 ///< the subject the lookup was about
    std::optional<std::string> department;  ///< the department it was made for, if any
    std::string entry_subject_id;           ///< the subject of the feedback's entry
};

/// Reads and records department feedback in one database.
class FeedbackStore {
public:
    explicit FeedbackStore(Database& db);

    /// An entry's decision date and kept terms (JSON), for checking feedback; false when none.
    bool entry_terms(std::int64_t entry_id, std::string& decided_on, std::string& terms_json);
    /// The lookup `lookup_id` and the subject of entry `entry_id`; nullopt when either does not
    /// exist.
    std::optional<NamedLookup> named_lookup(std::int64_t lookup_id, std::int64_t entry_id);
    /// The measures each department reported applied to each entry: (entry_id, department) ->
    /// measure ids joined by ';' (feedback is small: read once per export).
    std::map<std::pair<std::int64_t, std::string>, std::string> reported_measures();
    /// Records a measure a department applied, and the lookup it follows from if it names one;
    /// false when the same report (entry, department, measure, day) was recorded before.
    bool add_feedback(std::int64_t entry_id, std::string_view department,
                      std::string_view measure_id, std::string_view applied_on,
                      std::string_view note, std::int64_t batch_id,
                      std::optional<std::int64_t> lookup_id = std::nullopt);

private:
    Database& m_db;
    Statement m_entry_terms;
    // Prepared on first use: the exporter reads feedback of databases a writer has not migrated
    // yet, which have no lookups table or feedback.lookup_id to prepare these on.
    std::optional<Statement> m_add_feedback;
    std::optional<Statement> m_named_lookup;
};

}  // namespace rbl::store
