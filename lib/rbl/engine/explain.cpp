#include "rbl/engine/explain.hpp"

#include <fmt/format.h>

#include "rbl/engine/criteria.hpp"
#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/model/entry_history.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"

namespace rbl::engine {

std::vector<std::string> explain_subject(store::Database& db, const rules::RuleSet& rules,
                                         std::string_view subject_id, util::Date as_of) {
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    store::EntryStore entries(db);
    store::AppealStore appeals(db);
    store::SubjectReader reader(db, as_of.iso(), std::string(subject_id));
    store::SubjectRows rows;
    if (!reader.next(rows)) {
        throw UsageError(fmt::format("there is no subject {}", subject_id));
    }
    const SubjectFacts subject = facts_of(rows);
    const auto records = records_of(rows, rules);
    const auto history = entries.subject_entries(subject_id);
    std::vector<std::string> open_ids;
    for (const model::Entry& entry : history) {
        if (model::is_open(entry.status)) {
            open_ids.push_back(entry.list_id);
        }
    }
    std::vector<std::string> lines;
    lines.push_back(fmt::format("{} {} ({}), as of {}: {} active records", rows.subject_id,
                                rows.name, rows.subject_type, as_of.iso(), records.size()));
    CriteriaEvaluator evaluator(rules);
    for (const rules::ListRule* list : rules.lists()) {
        const Verdict verdict =
            evaluator.evaluate(*list, list->criteria, subject, records, open_ids, as_of);
        std::string state = verdict.holds ? "meets the criteria" : "does not meet the criteria";
        if (!list->admits(subject.subject_type)) {
            state = fmt::format("not admitted ({} may not be listed)", rows.subject_type);
        }
        lines.push_back("");
        lines.push_back(fmt::format("{} {} — {}", list->id, list->title_zh, state));
        for (const std::string& line : verdict.explanation) {
            lines.push_back("  " + line);
        }
        for (const model::Entry& entry : history) {
            if (entry.list_id != list->id) {
                continue;
            }
            for (const std::string& line :
                 model::describe_history(entry, appeals.of_entry(entry.entry_id), as_of)) {
                lines.push_back("  " + line);
            }
        }
    }
    return lines;
}

}  // namespace rbl::engine
