#include <doctest/doctest.h>

#include <filesystem>

#include "rbl/engine/rule_tests.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

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
