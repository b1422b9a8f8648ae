#include "rbl/engine/rule_tests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "rbl/engine/criteria.hpp"
#include "rbl/engine/entry_term.hpp"
#include "rbl/engine/rule_timeline.hpp"
#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/json_text.hpp"

namespace rbl::engine {

namespace {

// A valid identifier of each subject type, for tests that do not name one.
SubjectFacts test_subject(model::SubjectType type) {
    switch (type) {
        case model::SubjectType::natural_person:
            return subject_facts("320102196804120359", type, "320102");
        case model::SubjectType::government:
            return {"113200000140000796", type, "320000", std::nullopt};
        case model::SubjectType::legal_person:
            break;
    }
    return {"91320102MA1MX4RE6X", type, "320102", std::nullopt};
}

// The test's records as evaluation sees them; fails on a value that would be rejected on
// import. Withdrawn records are left out, as the evaluator sees only active ones.
Result<std::vector<SubjectRecord>> test_records(const rules::RuleSet& rules,
                                                const rules::ListRule& list,
                                                const rules::RuleTest& test) {
    store::SubjectRows rows;
    int number = 0;
    for (const rules::TestRecord& given : test.records) {
        auto record = stored_test_record(rules, list, given, ++number);
        if (!record) {
            return fail(record.error());
        }
        if (record->active) {
            rows.records.push_back(std::move(*record));
        }
    }
    return records_of(rows, rules);
}

// Pre-order walk, matching the order of Verdict::explanation.
void flatten(const rules::Criterion& criterion, std::vector<const rules::Criterion*>& out) {
    out.push_back(&criterion);
    for (const rules::Criterion& child : criterion.children) {
        flatten(child, out);
    }
}

}  // namespace

nlohmann::json to_json(const RuleTestReport& report) {
    const std::size_t failed = report.failed();
    return {{"tests", report.results.size()},
            {"passed", report.results.size() - failed},
            {"failed", failed},
            {"untested_criteria", report.unreached.size()}};
}

std::size_t RuleTestReport::failed() const {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [](const RuleTestResult& r) { return !r.passed; }));
}

namespace {

// The day an entry made on `as_of` would take effect: after its notice and publicity.
util::Date effective_day(const rules::ListRule& list, util::Date as_of,
                         const rules::Calendar* calendar) {
    if (calendar == nullptr ||
        (list.procedure.notice_days == 0 && list.procedure.publicity_days == 0)) {
        return as_of;
    }
    util::Date last = as_of;
    if (list.procedure.notice_days > 0) {
        last = calendar->period_end(last, list.procedure.notice_days).end;
    }
    if (list.procedure.publicity_days > 0) {
        last = calendar->period_end(last, list.procedure.publicity_days).end;
    }
    return last.plus_days(1);
}

std::string expiry_words(const std::optional<util::Date>& expires_on) {
    return expires_on ? expires_on->iso() : std::string("open");
}

}  // namespace

RuleTestReport run_rule_tests(const rules::RuleSet& rules, const std::string& only_list,
                              const rules::Calendar* calendar) {
    if (!only_list.empty()) {
        rules.known_list(only_list);
    }
    RuleTestReport report;
    CriteriaEvaluator evaluator(rules);
    // Without the folder's calendar, tests over time count working days as weekdays.
    const rules::Calendar weekends = rules::Calendar::from_lists(
        {rules::Weekday::sat, rules::Weekday::sun}, {}, {});
    for (const rules::ListRule* list : rules.lists()) {
        if (!only_list.empty() && list->id != only_list) {
            continue;
        }
        const std::string file = rules.domain(list->domain)->file.string();
        std::vector<const rules::Criterion*> nodes;
        flatten(list->criteria, nodes);
        std::vector<bool> reached(nodes.size(), false);
        for (const rules::RuleTest& test : list->tests) {
            const SubjectFacts subject =
                test.subject_id.empty()
                    ? test_subject(test.subject_type)
                    : subject_facts(test.subject_id, test.subject_type,
                                    test_subject(test.subject_type).region);
            RuleTestResult result{list->id, test.name, file, test.spot.line, false, {}, {}};
            if (!test.subject_id.empty() &&
                test.subject_type == model::SubjectType::natural_person && !subject.birth_date) {
                result.problem =
                    trf("subject_id '{}' is no resident ID number with a "
                        "birth date",
                        test.subject_id);
                report.results.push_back(std::move(result));
                continue;
            }
            if (!test.runs.empty()) {
                result = run_timeline_test(rules, *list, test, subject,
                                           calendar != nullptr ? *calendar : weekends);
                result.file = file;
                report.results.push_back(std::move(result));
                continue;
            }
            auto records = test_records(rules, *list, test);
            if (!records) {
                result.problem = records.error();
                report.results.push_back(std::move(result));
                continue;
            }
            const Verdict verdict = evaluator.evaluate(*list, list->criteria, subject, *records,
                                                       test.entries, test.as_of);
            for (std::size_t i = 0; i < verdict.held.size() && i < reached.size(); ++i) {
                reached[i] = reached[i] || verdict.held[i];
            }
            const bool on_black = std::any_of(
                test.entries.begin(), test.entries.end(), [&](const std::string& id) {
                    const rules::ListRule* other = rules.list(id);
                    return other != nullptr && other->kind == model::ListKind::black;
                });
            std::string why_not;
            if (!list->admits(test.subject_type)) {
                why_not = trf("the list does not admit {}", model::to_string(test.subject_type));
            } else if (list->kind == model::ListKind::red && on_black) {
                why_not = tr("the subject is on a black list");
            } else if (!verdict.holds) {
                why_not = tr("the criteria do not hold");
            }
            // The explanation of a failed test, in the interface's language.
            std::vector<std::string> explanation;
            for (const model::Clause& clause : verdict.clauses) {
                explanation.push_back(model::words(clause, i18n::language()));
            }
            std::optional<util::Date> expires_on;
            const std::string authority = entry_authority(*list, *records, verdict.evidence);
            if (why_not.empty() && list->lift &&
                evaluator.evaluate(*list, *list->lift, subject, *records, test.entries,
                                   test.as_of, verdict.evidence)
                    .holds) {
                why_not = tr("its lift criteria hold");
            }
            if (why_not.empty()) {
                const util::Date effective = effective_day(*list, test.as_of, calendar);
                const EntryTerm term = entry_term(*list, *records, verdict.evidence, effective,
                                                  test.as_of, evaluator);
                expires_on = term.expires_on;
                if (term.clause) {
                    explanation.push_back(model::words(*term.clause, i18n::language()));
                }
                if (expires_on && *expires_on <= std::max(test.as_of, effective)) {
                    why_not = trf("its term ran out on {}", expires_on->iso());
                }
            }
            const bool listed = why_not.empty();
            result.passed = listed == test.expect_listed;
            if (!result.passed) {
                result.problem = test.expect_listed
                                     ? trf("expected listed, but {}", why_not)
                                     : tr("expected not_listed, but the subject is listed");
                result.explanation = explanation;
            } else if (listed && test.expect_expires_on && *test.expect_expires_on != expires_on) {
                result.passed = false;
                result.problem =
                    trf("expected expires_on {}, but it is {}",
                        expiry_words(*test.expect_expires_on), expiry_words(expires_on));
                result.explanation = explanation;
            } else if (listed && test.expect_authority && *test.expect_authority != authority) {
                result.passed = false;
                result.problem = trf("expected the deciding department {}, but it is {}",
                                     *test.expect_authority, authority);
            }
            report.results.push_back(std::move(result));
        }
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const auto type = nodes[i]->type;
            const bool leaf = type != rules::Criterion::Type::all &&
                              type != rules::Criterion::Type::any &&
                              type != rules::Criterion::Type::negation;
            if (leaf && !reached[i]) {
                const auto words = rules::describe_criterion(*nodes[i], rules::Language::en);
                report.unreached.push_back(UnreachedCriterion{
                    list->id, file, nodes[i]->spot.line, words.empty() ? "" : words.front()});
            }
        }
    }
    return report;
}

}  // namespace rbl::engine
