#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/rules/yaml_support.hpp"

using rbl::rules::Diagnostic;
using rbl::rules::InvalidConfig;
using rbl::rules::RuleSet;

namespace {

// A rule file for domain `bomb` whose one list's criteria are `criteria` (indented by 6).
std::string rule_file(const std::string& criteria) {
    return "domain: bomb\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nlists:\n"
           "  - id: bomb.black.x\n    kind: black\n    title: T\n    title_zh: 题\n"
           "    basis: B\n    authority: A\n    validity: 3y\n    criteria:\n" +
           criteria;
}

std::vector<Diagnostic> problems_of(const std::string& text) {
    rbl::test::TempDir dir;
    dir.write("bomb.yaml", text);
    try {
        RuleSet::load(dir.path());
    } catch (const InvalidConfig& e) {
        return e.diagnostics();
    }
    FAIL("the rules loaded although they are invalid");
    return {};
}

}  // namespace

// Bad-input catalogue (docs/BAD_INPUTS.md): "billion laughs". Ten levels of ten aliases each
// expand to 10^9 criteria; the loader walked them all (it never finished).
TEST_CASE("yaml: a file whose aliases expand to billions of nodes is refused quickly") {
    std::string criteria =
        "      any:\n        - &l0 {exists: {kind: penalty, where: \"amount > 1\"}}\n";
    for (int level = 1; level <= 9; ++level) {
        const std::string alias = "*l" + std::to_string(level - 1);
        criteria += "        - &l" + std::to_string(level) + " {any: [" + alias;
        for (int i = 1; i < 10; ++i) {
            criteria += ", " + alias;
        }
        criteria += "]}\n";
    }
    const auto started = std::chrono::steady_clock::now();
    const auto problems = problems_of(rule_file(criteria));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message ==
          "the file expands to more than 200000 YAML nodes (aliases such as *name repeat what "
          "they name)");
    CHECK(problems[0].line > 0);
}

TEST_CASE("yaml: aliases that stay small are allowed") {
    const auto problems = problems_of(rule_file(
        "      any:\n        - &one {exists: {kind: penalty}}\n        - {not: *one}\n") +
                                      "    colour: red\n");
    REQUIRE(problems.size() == 1);  // only the planted unknown key: the aliases themselves load
    CHECK(problems[0].message.find("unknown key 'colour'") != std::string::npos);
}

// yaml-cpp stops at 2000 levels with the message "bad file"; say what is wrong.
TEST_CASE("yaml: nesting 100,000 levels deep is refused in plain words") {
    const auto problems =
        problems_of(rule_file("      any: " + std::string(100000, '[') + std::string(100000, ']') +
                              "\n"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "the YAML nests more than 100 levels deep");
    CHECK(problems[0].line == 14);
}

// Deeper than rbl allows, within what yaml-cpp parses.
TEST_CASE("yaml: nesting 150 levels deep is refused") {
    std::string criteria = "      ";
    for (int i = 0; i < 150; ++i) {
        criteria += "{not: ";
    }
    criteria += "{exists: {kind: penalty}}" + std::string(150, '}') + "\n";
    const auto problems = problems_of(rule_file(criteria));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "the YAML nests more than 100 levels deep");
    CHECK(problems[0].line == 14);
}

// Bad-input catalogue: an expression nested 10,000 levels is an error that quotes the
// expression's start, not all of its 20,000 parentheses.
TEST_CASE("yaml: an expression nested 10,000 levels is refused with a short message") {
    const std::string expression =
        std::string(10000, '(') + "amount > 1" + std::string(10000, ')');
    const auto problems = problems_of(
        rule_file("      exists: {kind: penalty, where: \"" + expression + "\"}\n"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("nests too deeply (more than 200 levels)") != std::string::npos);
    CHECK(problems[0].message.size() < 400);
    CHECK(problems[0].line == 14);
}

// A records file given as --mapping (or dropped into the rules folder) by mistake is not read
// into memory whole.
TEST_CASE("yaml: a file over 4 MiB is refused before it is read") {
    const std::string big = "domain: bomb\n# " + std::string(rbl::rules::k_max_yaml_bytes, 'x') + "\n";
    const auto problems = problems_of(big);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "the file holds 4194320 bytes, more than the 4 MiB a "
                                 "configuration file may hold");
}
