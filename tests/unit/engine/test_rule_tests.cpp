#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "../temp_dir.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/util/error.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/rules/rule_set.hpp"

using namespace rbl;
using engine::RuleTestResult;

namespace {

// A black list with a passing and a failing test, and a criterion (fraud) no test reaches; a red
// list with a test that passes because the list does not admit the subject, and one that fails
// because the subject is on a black list.
constexpr std::string_view k_tax_yaml = R"yaml(domain: tax
title: Tax
title_zh: 税务
version: "1"
attributes:
  grade: text
lists:
  - id: tax.black.evader
    kind: black
    title: Tax evaders
    title_zh: 重大税收违法失信主体
    basis: B
    authority: A
    criteria:
      any:
        - count: { kind: evasion, within: 1y }
          at_least: 2
        - exists: { kind: fraud }
    validity: 3y
    tests:
      - name: two evasions within a year list
        as_of: 2026-06-01
        records:
          - { kind: evasion, date: 2026-01-10 }
          - { kind: evasion, date: 2026-03-10 }
        expect: listed
      - name: one evasion lists
        as_of: 2026-06-01
        records:
          - { kind: evasion, date: 2026-01-10 }
        expect: listed
  - id: tax.red.a_grade
    kind: red
    title: A-grade taxpayers
    title_zh: A级纳税人
    basis: B
    authority: A
    subjects: [legal_person]
    criteria:
      exists: { kind: rating, where: "grade == 'A'" }
    validity: 1y
    tests:
      - name: a person is not admitted
        as_of: 2026-06-01
        subject_type: natural_person
        records:
          - { kind: rating, date: 2026-01-01, grade: A }
        expect: not_listed
      - name: an evader with an A grade is listed
        as_of: 2026-06-01
        entries: [tax.black.evader]
        records:
          - { kind: rating, date: 2026-01-01, grade: A }
        expect: listed
)yaml";

// The 1-based line of the first line of `text` that contains `needle`.
int line_of(std::string_view text, std::string_view needle) {
    const auto at = text.find(needle);
    REQUIRE(at != std::string_view::npos);
    int line = 1;
    for (std::size_t i = 0; i < at; ++i) {
        line += text[i] == '\n' ? 1 : 0;
    }
    return line;
}

const RuleTestResult& result_named(const engine::RuleTestReport& report, std::string_view name) {
    for (const RuleTestResult& result : report.results) {
        if (result.test_name == name) {
            return result;
        }
    }
    FAIL("no result for test " << name);
    return report.results.front();
}

}  // namespace

TEST_CASE("rule tests: a passing and a failing test, with the reason and the figures") {
    test::TempDir dir;
    const auto file = dir.write("rules/tax.yaml", std::string(k_tax_yaml));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules);
    REQUIRE(report.results.size() == 4);
    CHECK(report.failed() == 2);

    const auto& passing = result_named(report, "two evasions within a year list");
    CHECK(passing.passed);
    CHECK(passing.list_id == "tax.black.evader");
    CHECK(passing.problem.empty());
    CHECK(passing.explanation.empty());

    const auto& failing = result_named(report, "one evasion lists");
    CHECK_FALSE(failing.passed);
    CHECK(failing.file == file.string());
    CHECK(failing.line == line_of(k_tax_yaml, "- name: one evasion lists"));
    CHECK(failing.problem == "expected listed, but the criteria do not hold");
    REQUIRE_FALSE(failing.explanation.empty());
    bool figures = false;
    for (const std::string& line : failing.explanation) {
        figures = figures || line.find("1 evasion record within 1y (needs ≥ 2)") != std::string::npos;
    }
    CHECK_MESSAGE(figures, "the explanation gives the count against the threshold");
}

TEST_CASE("rule tests: subject types and black entries decide as well as criteria") {
    test::TempDir dir;
    dir.write("rules/tax.yaml", std::string(k_tax_yaml));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules, "tax.red.a_grade");
    REQUIRE(report.results.size() == 2);
    CHECK(result_named(report, "a person is not admitted").passed);
    const auto& on_black = result_named(report, "an evader with an A grade is listed");
    CHECK_FALSE(on_black.passed);
    CHECK(on_black.problem == "expected listed, but the subject is on a black list");
    CHECK(report.unreached.empty());  // the red list's one criterion held in both tests
}

TEST_CASE("rule tests: a criterion that no test makes hold is reported as unreached") {
    test::TempDir dir;
    const auto file = dir.write("rules/tax.yaml", std::string(k_tax_yaml));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules, "tax.black.evader");
    CHECK(report.results.size() == 2);
    REQUIRE(report.unreached.size() == 1);
    CHECK(report.unreached[0].list_id == "tax.black.evader");
    CHECK(report.unreached[0].file == file.string());
    CHECK(report.unreached[0].line == line_of(k_tax_yaml, "- exists: { kind: fraud }"));
}

TEST_CASE("rule tests: a test record that would be rejected on import fails the test") {
    test::TempDir dir;
    std::string yaml(k_tax_yaml);
    const std::string good = "- { kind: evasion, date: 2026-03-10 }";
    yaml.replace(yaml.find(good), good.size(), "- { kind: evasion, date: 2026-13-40 }");
    dir.write("rules/tax.yaml", yaml);
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules, "tax.black.evader");
    const auto& broken = result_named(report, "two evasions within a year list");
    CHECK_FALSE(broken.passed);
    CHECK(broken.problem.starts_with("record 2 (line "));
}

TEST_CASE("rule tests: every test embedded in the shipped rules passes") {
    // As rbl-rules test runs them: with the folder's working-day calendar, which places the
    // day an entry takes effect after its notice (the terms' edge tests depend on it).
    const auto folder = rules::RuleFolder::load(std::string(RBL_SOURCE_DIR) + "/rules");
    const auto& rules = folder.rules;
    const auto report = engine::run_rule_tests(rules, "", &folder.calendar);
    CHECK(report.results.size() > 20);
    for (const RuleTestResult& result : report.results) {
        CHECK_MESSAGE(result.passed, result.file << ":" << result.line << " " << result.list_id
                                                 << " '" << result.test_name
                                                 << "': " << result.problem);
    }
}

// KNOWN BUG, kept failing on purpose: rule_tests.hpp documents UnreachedCriterion::text as "the
// criterion's explanation line", but run_rule_tests always leaves it empty (rule_tests.cpp), so
// a caller cannot say which criterion went untested other than by its line.
TEST_CASE("rule tests: an unreached criterion carries its explanation line") {
    test::TempDir dir;
    dir.write("rules/tax.yaml", std::string(k_tax_yaml));
    const auto rules = rules::RuleSet::load(dir.path() / "rules");
    const auto report = engine::run_rule_tests(rules, "tax.black.evader");
    REQUIRE(report.unreached.size() == 1);
    CHECK(report.unreached[0].text.find("fraud") != std::string::npos);
}

TEST_CASE("rule tests: to_json counts tests, passes, failures and untested criteria") {
    engine::RuleTestReport report;
    report.results.push_back({"tax.black", "listed", "tax.yaml", 10, true, {}, {}});
    report.results.push_back({"tax.black", "not listed", "tax.yaml", 20, false, "listed", {}});
    report.results.push_back({"tax.red", "listed", "tax.yaml", 30, true, {}, {}});
    report.unreached.push_back({"tax.red", "tax.yaml", 40, "no arrears"});
    CHECK(engine::to_json(report).dump() ==
          R"({"failed":1,"passed":2,"tests":3,"untested_criteria":1})");
    CHECK(engine::to_json(engine::RuleTestReport{}).dump() ==
          R"({"failed":0,"passed":0,"tests":0,"untested_criteria":0})");
}

TEST_CASE("rule tests: only a list that exists can be tested alone") {
    const auto rules = rules::RuleSet::load(std::filesystem::path(RBL_SOURCE_DIR) / "rules");
    CHECK_THROWS_WITH_AS(engine::run_rule_tests(rules, "no_such_list"),
                         "there is no list 'no_such_list'", UsageError);
    const rules::ListRule* first = rules.lists().front();
    const auto report = engine::run_rule_tests(rules, first->id);
    CHECK(report.results.size() == first->tests.size());
}
