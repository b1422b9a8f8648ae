#include "rbl/engine/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/model/entry_history.hpp"
#include "rbl/model/subject.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::engine {

namespace {

// At most this many considered records are printed per criterion; --json has them all.
constexpr std::size_t k_records_shown = 12;

std::string_view type_name(rules::Criterion::Type type) {
    switch (type) {
        case rules::Criterion::Type::all:
            return "all";
        case rules::Criterion::Type::any:
            return "any";
        case rules::Criterion::Type::negation:
            return "not";
        case rules::Criterion::Type::exists:
            return "exists";
        case rules::Criterion::Type::count:
            return "count";
        case rules::Criterion::Type::sum:
            return "sum";
        case rules::Criterion::Type::subject:
            return "subject";
        case rules::Criterion::Type::listed:
            return "listed";
        case rules::Criterion::Type::linked:
            return "linked";
    }
    return "";
}

// "67%": closeness for people, rounded, but 99% at most for criteria not met.
std::string percent(double closeness) {
    const long rounded = std::lround(closeness * 100.0);
    return fmt::format("{}%", closeness < 1.0 ? std::min(rounded, 99L) : rounded);
}

std::string mark(bool holds) { return holds ? tr("[yes]") : tr("[no] "); }

std::string attribute_text(const std::vector<std::pair<std::string, std::string>>& attributes) {
    std::vector<std::string> parts;
    for (const auto& [name, value] : attributes) {
        parts.push_back(fmt::format("{} = {}", name, value));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::string state_of(const ListExplanation& list, std::string_view subject_type) {
    if (!list.admitted) {
        return trf("not admitted ({} may not be listed)", model::subject_type_words(subject_type));
    }
    if (list.verdict.holds) {
        return tr("meets the criteria");
    }
    return trf("does not meet the criteria (closeness {})", percent(list.closeness()));
}

}  // namespace

bool ListExplanation::listed() const {
    return std::any_of(entries.begin(), entries.end(),
                       [](const model::Entry& entry) { return model::is_open(entry.status); });
}

SubjectExplanation explain_subject(store::Database& db, const rules::RuleSet& rules,
                                   std::string_view subject_id, util::Date as_of,
                                   const std::optional<std::string>& list_id) {
    if (list_id && rules.list(*list_id) == nullptr) {
        std::vector<std::string> known;
        for (const rules::ListRule* list : rules.lists()) {
            known.push_back(list->id);
        }
        throw UsageError(
            trf("unknown list '{}'; the lists are: {}", *list_id, fmt::join(known, ", ")));
    }
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    store::EntryStore entries(db);
    store::AppealStore appeals(db);
    store::SubjectReader reader(db, as_of.iso(), std::string(subject_id));
    store::SubjectRows rows;
    if (!reader.next(rows)) {
        throw UsageError(trf("there is no subject {}", subject_id));
    }
    SubjectExplanation out;
    out.subject_id = rows.subject_id;
    out.name = rows.name;
    out.subject_type = rows.subject_type;
    out.as_of = as_of;
    const SubjectFacts subject = facts_of(rows);
    out.records = records_of(rows, rules);
    for (const store::StoredRecord& stored : rows.records) {
        out.sources.push_back(stored.source);
    }
    const auto history = entries.subject_entries(subject_id);
    std::vector<std::string> open_ids;
    for (const model::Entry& entry : history) {
        if (model::is_open(entry.status)) {
            open_ids.push_back(entry.list_id);
        }
    }
    CriteriaEvaluator evaluator(rules);
    evaluator.set_tracing(true);
    for (const rules::ListRule* list : rules.lists()) {
        if (list_id && list->id != *list_id) {
            continue;
        }
        ListExplanation explained;
        explained.list = list;
        explained.admitted = list->admits(subject.subject_type);
        explained.verdict =
            evaluator.evaluate(*list, list->criteria, subject, out.records, open_ids, as_of);
        for (const model::Entry& entry : history) {
            if (entry.list_id != list->id) {
                continue;
            }
            explained.entries.push_back(entry);
            for (const std::string& line :
                 model::describe_history(entry, appeals.of_entry(entry.entry_id), as_of)) {
                explained.history.push_back(line);
            }
        }
        out.lists.push_back(std::move(explained));
    }
    // The lists that matter first: on it or meeting it, then nearest misses; not admitted last.
    const auto rank = [](const ListExplanation& list) {
        if (!list.admitted) {
            return 3.0;
        }
        if (list.listed() || list.verdict.holds) {
            return 0.0;
        }
        return 1.0 + list.verdict.distance;
    };
    std::stable_sort(out.lists.begin(), out.lists.end(),
                     [&](const ListExplanation& a, const ListExplanation& b) {
                         return rank(a) < rank(b);
                     });
    const bool on_or_meets_any =
        std::any_of(out.lists.begin(), out.lists.end(), [](const ListExplanation& list) {
            return list.admitted && (list.listed() || list.verdict.holds);
        });
    if (!on_or_meets_any && !out.lists.empty() && out.lists.front().admitted) {
        out.nearest_miss = out.lists.front().list->id;
    }
    return out;
}

std::vector<std::string> SubjectExplanation::lines() const {
    std::vector<std::string> lines;
    lines.push_back(trf("{} {} ({}), as of {}: {} active records", subject_id, name,
                        model::subject_type_words(subject_type),
                        as_of.iso(), records.size()));
    std::vector<std::string> listed_on;
    for (const ListExplanation& list : lists) {
        for (const model::Entry& entry : list.entries) {
            if (model::is_open(entry.status)) {
                listed_on.push_back(trf("{} (entry {}, {})", list.list->id, entry.entry_id,
                                        model::status_words(entry.status)));
            }
        }
    }
    if (!listed_on.empty()) {
        lines.push_back(trf("on: {}", fmt::join(listed_on, "; ")));
    } else if (nearest_miss) {
        const ListExplanation& nearest = lists.front();
        lines.push_back(trf("on no list; nearest miss: {} {} (closeness {})", nearest.list->id,
                            nearest.list->title_zh, percent(nearest.closeness())));
    } else {
        lines.push_back(tr("on no list"));
    }
    for (const ListExplanation& list : lists) {
        lines.push_back("");
        lines.push_back(fmt::format("{} {} — {}", list.list->id, list.list->title_zh,
                                    state_of(list, subject_type)));
        for (const CriterionTrace& node : list.verdict.trace) {
            const std::string indent(2 + static_cast<std::size_t>(node.depth) * 2, ' ');
            std::string text = indent + mark(node.holds) + " " + node.text;
            if (!node.threshold.empty()) {
                text += node.margin.empty() ? trf(" ({})", node.threshold)
                                            : trf(" ({}, {})", node.threshold, node.margin);
            }
            lines.push_back(text);
            const std::string under = indent + "      ";
            std::size_t shown = 0;
            for (const ConsideredRecord& considered : node.records) {
                if (shown == k_records_shown) {
                    lines.push_back(trf("{}… and {} more records (--json lists them all)", under,
                                        node.records.size() - shown));
                    break;
                }
                ++shown;
                const SubjectRecord& record = records[considered.index];
                std::string about = fmt::format("{}{}:{}  {}  {}", under, sources[considered.index],
                                                record.record_id, record.date.iso(), record.kind);
                if (considered.checks.empty() && !considered.attributes.empty()) {
                    about += "  " + attribute_text(considered.attributes);
                }
                about += considered.taken ? std::string("  — ") + tr("taken")
                                          : "  — " + trf("not taken: {}", considered.why_not);
                lines.push_back(about);
                for (const RecordCheck& check : considered.checks) {
                    std::string detail = check.figure;
                    if (!check.margin.empty()) {
                        detail = detail.empty() ? check.margin
                                                : trf("{}, {}", detail, check.margin);
                    }
                    lines.push_back(fmt::format("{}  {} {}: {}", under, mark(check.holds),
                                                check.test, detail));
                }
            }
        }
        for (const std::string& line : list.history) {
            lines.push_back("  " + line);
        }
    }
    return lines;
}

nlohmann::json to_json(const SubjectExplanation& explanation) {
    nlohmann::json lists = nlohmann::json::array();
    nlohmann::json listed_on = nlohmann::json::array();
    for (const ListExplanation& list : explanation.lists) {
        nlohmann::json criteria = nlohmann::json::array();
        for (const CriterionTrace& node : list.verdict.trace) {
            nlohmann::json records = nlohmann::json::array();
            for (const ConsideredRecord& considered : node.records) {
                const SubjectRecord& record = explanation.records[considered.index];
                nlohmann::json attributes = nlohmann::json::object();
                for (const auto& [name, value] : considered.attributes) {
                    attributes[name] = value;
                }
                nlohmann::json checks = nlohmann::json::array();
                for (const RecordCheck& check : considered.checks) {
                    checks.push_back({{"test", check.test},
                                      {"holds", check.holds},
                                      {"figure", check.figure},
                                      {"margin", check.margin}});
                }
                records.push_back({{"source", explanation.sources[considered.index]},
                                   {"record_id", record.record_id},
                                   {"date", record.date.iso()},
                                   {"kind", record.kind},
                                   {"taken", considered.taken},
                                   {"why_not", considered.why_not},
                                   {"attributes", attributes},
                                   {"checks", checks}});
            }
            criteria.push_back({{"depth", node.depth},
                                {"type", type_name(node.type)},
                                {"holds", node.holds},
                                {"text", node.text},
                                {"figure", node.figure},
                                {"threshold", node.threshold},
                                {"margin", node.margin},
                                {"distance", node.distance},
                                {"records", records}});
        }
        nlohmann::json entries = nlohmann::json::array();
        for (const model::Entry& entry : list.entries) {
            entries.push_back(
                {{"entry_id", entry.entry_id}, {"status", model::to_string(entry.status)}});
        }
        if (list.listed()) {
            listed_on.push_back(list.list->id);
        }
        lists.push_back({{"list_id", list.list->id},
                         {"title", list.list->title},
                         {"title_zh", list.list->title_zh},
                         {"kind", model::to_string(list.list->kind)},
                         {"admitted", list.admitted},
                         {"listed", list.listed()},
                         {"meets", list.verdict.holds},
                         {"closeness", list.closeness()},
                         {"criteria", criteria},
                         {"entries", entries},
                         {"history", list.history}});
    }
    return {{"subject_id", explanation.subject_id},
            {"name", explanation.name},
            {"subject_type", explanation.subject_type},
            {"as_of", explanation.as_of.iso()},
            {"records", explanation.records.size()},
            {"listed_on", listed_on},
            {"nearest_miss", explanation.nearest_miss ? nlohmann::json(*explanation.nearest_miss)
                                                      : nlohmann::json(nullptr)},
            {"lists", lists},
            {"explanation", explanation.lines()}};
}

}  // namespace rbl::engine
