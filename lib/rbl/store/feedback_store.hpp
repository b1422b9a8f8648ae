#pragma once
// Department feedback (table feedback): the measures a department reports it applied to an
// entry, written by rbl-import --feedback and read by the exporter. All of its SQL is here, as
// constant statements.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// Reads and records department feedback in one database.
class FeedbackStore {
public:
    explicit FeedbackStore(Database& db);

    /// An entry's decision date and kept terms (JSON), for checking feedback; false when none.
    bool entry_terms(std::int64_t entry_id, std::string& decided_on, std::string& terms_json);
    /// The measures each department reported applied to each entry: (entry_id, department) ->
    /// measure ids joined by ';' (feedback is small: read once per export).
    std::map<std::pair<std::int64_t, std::string>, std::string> reported_measures();
    /// Records a measure a department applied; false when the same report was recorded before.
    bool add_feedback(std::int64_t entry_id, std::string_view department,
                      std::string_view measure_id, std::string_view applied_on,
                      std::string_view note, std::int64_t batch_id);

private:
    Database& m_db;
    Statement m_entry_terms;
    Statement m_add_feedback;
};

}  // namespace rbl::store
