// An entry's term from its list's `term:` and its evidence (engine/entry_term.hpp), embedded tests
// that check it, and the next change day of rules that read the day (age, as_of).
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/engine/criteria.hpp"
#include "rbl/engine/entry_term.hpp"
#include "rbl/engine/next_change.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/rule_set.hpp"

using namespace rbl;
using util::Date;

namespace {

Date ymd(int y, int m, int d) { return Date::from_ymd(y, m, d); }

constexpr std::string_view k_courts = R"yaml(domain: courts
title: Courts
title_zh: 法院
version: "1"
attributes:
  circumstance: text
  extension: text
lists:
  - id: courts.black.debtor
    kind: black
    title: Debtors
    title_zh: 失信被执行人
    basis: B
    authority: A
    criteria:
      all:
        - exists: { kind: court_default, within: 5y }
        - subject: "subject_type != 'natural_person' or age >= 18"
    lift:
      exists: { kind: performed }
    term:
      from: evidence
      length: 2y
      add: { attribute: extension, default: 0d }
      open_when: "circumstance == 'refuse_perform'"
    tests:
      - name: right expiry
        as_of: 2026-06-01
        records: [{ kind: court_default, date: 2025-01-10, extension: 1y }]
        expect: listed
        expires_on: 2028-01-10
      - name: wrong expiry
        as_of: 2026-06-01
        records: [{ kind: court_default, date: 2025-01-10 }]
        expect: listed
        expires_on: 2028-01-10
      - name: open expected, dated found
        as_of: 2026-06-01
        records: [{ kind: court_default, date: 2025-01-10 }]
        expect: listed
        expires_on: open
      - name: term ran out
        as_of: 2026-06-01
        records: [{ kind: court_default, date: 2024-06-01 }]
        expect: listed
      - name: lift holds
        as_of: 2026-06-01
        records:
          - { kind: court_default, date: 2026-01-10, circumstance: refuse_perform }
          - { kind: performed, date: 2026-03-01 }
        expect: listed
      - name: a minor
        as_of: 2026-06-01
        subject_type: natural_person
        subject_id: "320102200806011235"
        records: [{ kind: court_default, date: 2026-01-10 }]
        expect: not_listed
      - name: no resident id
        as_of: 2026-06-01
        subject_type: natural_person
        subject_id: "91320102MA1MX4RE6X"
        records: [{ kind: court_default, date: 2026-01-10 }]
        expect: not_listed
)yaml";

const engine::RuleTestResult& result_named(const engine::RuleTestReport& report,
                                           std::string_view name) {
    for (const auto& result : report.results) {
        if (result.test_name == name) {
            return result;
        }
    }
    FAIL("no result for test " << name);
    return report.results.front();
}

engine::SubjectRecord finding(const rules::RuleSet& rules, std::string id, Date date,
                              const std::string& attrs) {
    engine::SubjectRecord record;
    record.record_id = std::move(id);
    record.domain = "courts";
    record.kind = "court_default";
    record.date = date;
    record.set_attributes(attrs, rules.domain("courts"));
    return record;
}

}  // namespace

TEST_CASE("entry term: the latest end among the evidence, extensions read, open when one is") {
    test::TempDir dir;
    dir.write("rules/courts.yaml", std::string(k_courts));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const rules::ListRule& list = *rules.list("courts.black.debtor");
    engine::CriteriaEvaluator evaluator(rules);
    const Date as_of = ymd(2026, 6, 1);
    std::vector<engine::SubjectRecord> records = {
        finding(rules, "A", ymd(2024, 9, 1), R"({"extension":"2y"})"),
        finding(rules, "B", ymd(2026, 1, 10), R"({})"),
        finding(rules, "C", ymd(2025, 1, 1), R"({"extension":"about a year"})"),
        finding(rules, "D", ymd(2025, 3, 1), R"({"circumstance":"refuse_perform"})"),
    };
    // A: 2024-09-01 + 2y + 2y; B: 2028-01-10. The later wins, whatever the run's date.
    const std::vector<std::size_t> ab = {0, 1};
    auto term = engine::entry_term(list, records, ab, as_of, as_of, evaluator);
    CHECK(term.expires_on == ymd(2028, 9, 1));
    CHECK(term.explanation == "term: 2y from A dated 2024-09-01, + extension 2y: expires 2028-09-01");
    CHECK(term.warnings.empty());
    const auto later = engine::entry_term(list, records, ab, ymd(2027, 1, 1), ymd(2027, 1, 1),
                                          evaluator);
    CHECK(later.expires_on == ymd(2028, 9, 1));

    // C's extension is no duration: the default, and a warning naming the record.
    const std::vector<std::size_t> c = {2};
    term = engine::entry_term(list, records, c, as_of, as_of, evaluator);
    CHECK(term.expires_on == ymd(2027, 1, 1));
    REQUIRE(term.warnings.size() == 1);
    CHECK(term.warnings[0].find("record C: extension 'about a year' is not a duration") !=
          std::string::npos);

    // D meets open_when: no fixed term at all.
    const std::vector<std::size_t> bd = {1, 3};
    term = engine::entry_term(list, records, bd, as_of, as_of, evaluator);
    CHECK_FALSE(term.expires_on.has_value());
    CHECK(term.explanation.find("none fixed, D meets") != std::string::npos);

    CHECK(engine::term_text(list.term) ==
          "from evidence, 2y, add extension (default 0d), open when circumstance == "
          "'refuse_perform'");
}

TEST_CASE("rule tests: expires_on, the lift, a run-out term and a minor decide as a run does") {
    test::TempDir dir;
    dir.write("rules/courts.yaml", std::string(k_courts));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules);
    CHECK(result_named(report, "right expiry").passed);
    const auto& wrong = result_named(report, "wrong expiry");
    CHECK_FALSE(wrong.passed);
    CHECK(wrong.problem == "expected expires_on 2028-01-10, but it is 2027-01-10");
    const auto& open = result_named(report, "open expected, dated found");
    CHECK_FALSE(open.passed);
    CHECK(open.problem == "expected expires_on open, but it is 2027-01-10");
    const auto& ran_out = result_named(report, "term ran out");
    CHECK_FALSE(ran_out.passed);
    CHECK(ran_out.problem == "expected listed, but its term ran out on 2026-06-01");
    const auto& lifted = result_named(report, "lift holds");
    CHECK_FALSE(lifted.passed);
    CHECK(lifted.problem == "expected listed, but its lift criteria hold");
    CHECK(result_named(report, "a minor").passed);
    const auto& no_id = result_named(report, "no resident id");
    CHECK_FALSE(no_id.passed);
    CHECK(no_id.problem.find("is no resident ID number") != std::string::npos);
}

TEST_CASE("next change: a rule naming age adds the day after the next birthday; as_of every day") {
    test::TempDir dir;
    dir.write("rules/courts.yaml", std::string(k_courts));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto reads = engine::day_reads_of(rules);
    CHECK(reads.age);
    CHECK_FALSE(reads.as_of);
    const Date as_of = ymd(2026, 1, 1);
    CHECK(engine::next_change_day({}, std::nullopt, {}, {}, as_of, reads, ymd(2008, 6, 1)) ==
          ymd(2026, 6, 2));
    CHECK(engine::next_change_day({}, std::nullopt, {}, {}, as_of, reads) == std::nullopt);
    CHECK(engine::next_change_day({}, std::nullopt, {}, {}, as_of, engine::DayReads{true, false}) ==
          ymd(2026, 1, 2));
    // An open-ended entry has no expiry to wait for.
    model::Entry open;
    open.status = model::EntryStatus::effective;
    open.effective_from = ymd(2025, 1, 1);
    const std::vector<model::Entry> entries = {open};
    CHECK(engine::next_change_day({}, std::nullopt, entries, {}, as_of) == std::nullopt);
}
