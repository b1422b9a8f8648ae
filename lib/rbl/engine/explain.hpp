#pragma once
// `rbl-adjudicate --explain` (SPEC.md §4): why a subject is or is not on each list — for every
// criterion the figure against its threshold and the margin, the records each selection
// considered, and the history of the subject's entries; for a subject on no list, the list it
// came closest to first (the nearest miss, by CriterionTrace::distance).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/engine/criteria.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::engine {

/// One list, as it stands for the subject.
struct ListExplanation {
    const rules::ListRule* list = nullptr;
    bool admitted = true;  ///< the subject's type may be on the list
    Verdict verdict;       ///< traced: one CriterionTrace per node of the criteria
    std::vector<model::Entry> entries;  ///< the subject's entries on the list, any status
    std::vector<std::string> history;   ///< their stories (model::describe_history)

    /// The subject has a pending or effective entry on the list.
    [[nodiscard]] bool listed() const;
    /// 1 − the criteria's distance: 1 when they are met.
    [[nodiscard]] double closeness() const { return 1.0 - verdict.distance; }
};

/// Everything --explain shows of one subject.
struct SubjectExplanation {
    std::string subject_id;
    std::string name;
    std::string subject_type;
    util::Date as_of;
    std::vector<SubjectRecord> records;  ///< its active records up to as-of
    std::vector<std::string> sources;    ///< each record's source, by the same index
    /// The lists explained: the lists it is on or whose criteria it meets first, then the others
    /// by closeness (nearest first), the lists its type may not be on last; rule order within.
    std::vector<ListExplanation> lists;
    /// When the subject is on no list and meets no list's criteria: the admitted list it came
    /// closest to (the first of `lists`).
    std::optional<std::string> nearest_miss;

    /// The explanation as printable lines.
    [[nodiscard]] std::vector<std::string> lines() const;
};

/// Explains `subject_id` as of `as_of`, for every list or only `list_id`. Throws UsageError for
/// an unknown subject, and for an unknown list naming the lists there are.
SubjectExplanation explain_subject(store::Database& db, const rules::RuleSet& rules,
                                   std::string_view subject_id, util::Date as_of,
                                   const std::optional<std::string>& list_id = std::nullopt);

/// --explain --json: {subject_id, name, subject_type, as_of, records, listed_on, nearest_miss,
/// lists: [{list_id, title, title_zh, kind, admitted, listed, meets, closeness, criteria:
/// [{depth, type, holds, text, figure, threshold, margin, distance, records: [{source,
/// record_id, date, kind, taken, why_not, attributes, checks: [{test, holds, figure,
/// margin}]}]}], entries: [{entry_id, status}], history}], explanation: the lines}.
nlohmann::json to_json(const SubjectExplanation& explanation);

}  // namespace rbl::engine
