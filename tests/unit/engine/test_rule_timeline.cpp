// Embedded tests over time (`runs:`, docs/RULES.md): runs decided as rbl-adjudicate decides them,
// repair applications checked as rbl-appeal checks them, each expectation able to fail and
// reported at its step; and the loader's errors for a malformed sequence.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "../rule_problems.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/rule_set.hpp"

using namespace rbl;
using engine::RuleTestResult;

namespace {

// A list with 3 working days of notice (weekdays, no calendar given), a 2-year term from the
// decision, a lift on payment and repair from 6 months after taking effect; `tests` follow.
std::string labour_file(const std::string& tests) {
    return std::string(R"yaml(domain: labour
title: Labour
title_zh: 劳动
version: "1"
attributes:
  case_no: text
lists:
  - id: labour.black.arrears
    kind: black
    title: Wage arrears
    title_zh: 拖欠工资
    basis: B
    authority: 人社局
    authority_from: evidence
    criteria:
      exists: { kind: wage_arrears, within: 2y }
    lift:
      linked: { kind: wages_paid, on: case_no }
    term:
      from: evidence
      length: 2y
    procedure:
      notice_days: 3
      publicity_days: 0
    repair:
      allowed: true
      after: 6m
    tests:
)yaml") + tests;
}

const RuleTestResult& only_result(const engine::RuleTestReport& report) {
    REQUIRE(report.results.size() == 1);
    return report.results.front();
}

engine::RuleTestReport run(const std::string& tests) {
    test::TempDir dir;
    dir.write("rules/labour.yaml", labour_file(tests));
    return engine::run_rule_tests(rules::RuleSet::load(dir.path() / "rules"));
}

// A finding listed on Monday 2026-03-02 (the test's first line is line 29), paid on 2026-04-20.
constexpr std::string_view k_life = R"yaml(      - name: life
        runs:
          - as_of: 2026-03-02
            records:
              - { kind: wage_arrears, date: 2026-02-20, case_no: C1, authority: 南京市人社局 }
            status: notice
            notice_until: 2026-03-05
            effective_from: 2026-03-06
            expires_on: 2028-02-20
            authority: 南京市人社局
          - as_of: 2026-03-05
            status: notice
          - as_of: 2026-03-06
            status: effective
          - repair: 2026-04-01
            refused: true
          - as_of: 2026-05-04
            records:
              - { kind: wages_paid, date: 2026-04-20, case_no: C1 }
            status: lifted
            ended_on: 2026-05-04
            end_reason: lift_criteria_met
          - as_of: 2026-06-01
            status: lifted
)yaml";

}  // namespace

TEST_CASE("rule tests over time: notice in working days, in force, a refused repair, a lift") {
    const auto report = run(std::string(k_life));
    const RuleTestResult& result = only_result(report);
    CHECK_MESSAGE(result.passed, result.problem);
    CHECK(result.problem.empty());
}

TEST_CASE("rule tests over time: each expectation fails at its step, with what it found") {
    struct Case {
        std::string_view from, to, problem;
    };
    const Case cases[] = {
        {"notice_until: 2026-03-05", "notice_until: 2026-03-04",
         "step 1 (line 31), the run as of 2026-03-02: expected notice_until 2026-03-04, but it "
         "is 2026-03-05"},
        {"effective_from: 2026-03-06", "effective_from: 2026-03-09",
         "expected effective_from 2026-03-09, but it is 2026-03-06"},
        {"expires_on: 2028-02-20", "expires_on: open", "expected expires_on open, but it is 2028-02-20"},
        {"authority: 南京市人社局\n", "authority: 人社局\n",
         "expected the deciding department 人社局, but it is 南京市人社局"},
        {"          - as_of: 2026-03-05\n            status: notice",
         "          - as_of: 2026-03-05\n            status: effective",
         "step 2 (line 39), the run as of 2026-03-05: expected status effective, but it is notice"},
        {"refused: true", "refused: false",
         "step 4 (line 43), the repair application of 2026-04-01: expected the repair granted, "
         "but it is refused: credit repair is allowed from 2026-09-06"},
        {"ended_on: 2026-05-04", "ended_on: 2026-05-01",
         "expected ended_on 2026-05-01, but it is 2026-05-04"},
        {"end_reason: lift_criteria_met", "end_reason: credit_repair",
         "expected end_reason credit_repair, but it is lift_criteria_met"},
        {"case_no: C1 }\n            status: lifted", "case_no: C2 }\n            status: lifted",
         "expected status lifted, but it is effective"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.to);
        std::string tests(k_life);
        const auto at = tests.find(c.from);
        REQUIRE(at != std::string::npos);
        tests.replace(at, c.from.size(), c.to);
        const auto report = run(tests);
        const RuleTestResult& result = only_result(report);
        CHECK_FALSE(result.passed);
        CHECK_MESSAGE(result.problem.find(c.problem) != std::string::npos, result.problem);
    }
}

TEST_CASE("rule tests over time: repairs granted and refused as rbl-appeal decides them") {
    // Granted from 6 months after taking effect: the entry ends repaired, and the same finding
    // does not list the subject again.
    const auto granted = run(R"yaml(      - name: granted
        runs:
          - as_of: 2026-03-02
            records:
              - { kind: wage_arrears, date: 2026-02-20 }
          - repair: 2026-09-06
            status: repaired
            ended_on: 2026-09-06
            end_reason: credit_repair
          - as_of: 2026-10-01
            status: repaired
)yaml");
    CHECK_MESSAGE(only_result(granted).passed, only_result(granted).problem);

    // During the notice the entry is not in force; a repair expected refused that is granted
    // fails; an application with no entry is refused.
    const auto pending = run(R"yaml(      - name: pending
        runs:
          - as_of: 2026-03-02
            records:
              - { kind: wage_arrears, date: 2026-02-20 }
          - repair: 2026-03-03
)yaml");
    CHECK(only_result(pending).problem.find("the entry is not in force on 2026-03-03 (notice)") !=
          std::string::npos);
    const auto none = run(R"yaml(      - name: none
        runs:
          - repair: 2026-03-03
            refused: true
            status: none
          - repair: 2026-03-04
)yaml");
    CHECK(only_result(none).problem.find("there is no entry to repair") != std::string::npos);
    const auto wrongly = run(R"yaml(      - name: wrongly
        runs:
          - as_of: 2026-03-02
            records:
              - { kind: wage_arrears, date: 2026-02-20 }
          - repair: 2026-12-01
            refused: true
)yaml");
    CHECK(only_result(wrongly).problem.find("expected the repair refused, but it is granted") !=
          std::string::npos);
}

TEST_CASE("rule tests over time: a withdrawn finding withdraws the pending entry; no entry is none") {
    const auto report = run(R"yaml(      - name: withdrawn
        runs:
          - as_of: 2026-03-02
            status: none
          - as_of: 2026-03-02
            records:
              - { kind: wage_arrears, record_id: W1, date: 2026-02-20 }
            status: notice
          - as_of: 2026-03-03
            records:
              - { kind: wage_arrears, record_id: W1, date: 2026-02-20, status: withdrawn }
            status: withdrawn
            end_reason: criteria_no_longer_hold
)yaml");
    CHECK_MESSAGE(only_result(report).passed, only_result(report).problem);
    const auto expects_entry = run(R"yaml(      - name: nothing
        runs:
          - as_of: 2026-03-02
            expires_on: open
)yaml");
    CHECK(only_result(expects_entry).problem.find("expected an entry, but the subject has none") !=
          std::string::npos);
}

TEST_CASE("rule tests over time: a malformed sequence is refused at its line and column") {
    test::TempDir dir;
    dir.write("labour.yaml", labour_file(R"yaml(      - name: bad
        as_of: 2026-03-02
        runs:
          - as_of: 2026-03-02
            refused: true
          - as_of: 2026-03-01
            status: gone
          - repair: 2026-04-01
            as_of: 2026-04-01
          - repair: 2026-04-02
            records: []
            end_reason: paid
      - name: empty
        runs: []
)yaml"));
    const auto problems = test::problems_of(dir.path());
    CHECK(test::spot_of(problems, "a test with runs gives as_of in each of its runs") == "30:16");
    CHECK(test::spot_of(problems, "refused goes with a repair application (repair:), not a run") == "33:22");
    CHECK(test::spot_of(problems, "the runs of a test go forward in time: 2026-03-01 comes after "
                                  "2026-03-02") == "34:13");
    CHECK(test::spot_of(problems, "status 'gone' is none or an entry's status") == "35:21");
    CHECK(test::spot_of(problems, "is a run (as_of:) or a repair application (repair:), not both") ==
          "36:13");
    CHECK(test::spot_of(problems, "records arrive before a run (as_of:)") == "39:22");
    CHECK(test::spot_of(problems, "end_reason 'paid' is not one of the end reasons") == "40:25");
    CHECK(test::spot_of(problems, "runs must be a list of runs") != "missing");
}
