// `linked:` as the loader reads it (docs/RULES.md): what parses, and each mistake reported at its
// line and column.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "../rule_problems.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::rules::Criterion;
using rbl::rules::Diagnostic;
using rbl::rules::InvalidConfig;
using rbl::rules::RuleSet;

using rbl::test::problems_of;
using rbl::test::spot_of;

namespace {

// A courts file: lines 1-9 end with `lists:`; the list starts on line 10, its `criteria:` is
// line 16 (`criteria` lines follow, indented by 6), then `lift` (indented by 6) after `lift:`.
std::string courts_file(const std::string& lift,
                        const std::string& criteria = "      exists: { kind: court_default }\n",
                        const std::string& rest = "") {
    return std::string("domain: courts\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nattributes:\n"
                       "  circumstance: text\n  case_no: text\n  fine: number\nlists:\n"
                       "  - id: courts.black.debtor\n    kind: black\n    title: T\n"
                       "    title_zh: 题\n    basis: B\n    authority: A\n    criteria:\n") +
           criteria + "    lift:\n" + lift + "    validity: 2y\n" + rest;
}

}  // namespace

TEST_CASE("linked: a lift matching performances to the findings parses") {
    rbl::test::TempDir dir;
    dir.write("courts.yaml",
              courts_file("      all:\n"
                          "        - linked: { kind: performed, on: case_no, within: 5y, where: "
                          "\"fine >= 0\" }\n"
                          "        - not: { exists: { kind: court_default, where: "
                          "\"circumstance == 'evade'\" } }\n"));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto* list = rules.list("courts.black.debtor");
    REQUIRE(list != nullptr);
    REQUIRE(list->lift);
    const Criterion& linked = list->lift->children.at(0);
    CHECK(linked.type == Criterion::Type::linked);
    CHECK(linked.link_attribute == "case_no");
    CHECK(linked.selection.kinds == std::vector<std::string>{"performed"});
    CHECK(linked.selection.domains == std::vector<std::string>{"courts"});
    REQUIRE(linked.selection.within);
    CHECK(linked.selection.within->text() == "5y");
    REQUIRE(linked.selection.where);
    const auto words = rbl::rules::describe_criterion(linked, rbl::rules::Language::en);
    REQUIRE(!words.empty());
    CHECK(words.front().find("every finding is answered by") != std::string::npos);
    CHECK(words.front().find("with the same case_no") != std::string::npos);
}

TEST_CASE("linked: an unknown key, a missing or undeclared on, each where it is written") {
    rbl::test::TempDir dir;
    dir.write("courts.yaml", courts_file("      all:\n"
                                         "        - linked: { kind: performed, by: case_no }\n"
                                         "        - linked: { kind: performed, on: case_number }\n"
                                         "        - linked: { kind: performed, on: [case_no] }\n"));
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "unknown key 'by'") == "20:38");
    CHECK(spot_of(problems, "linked needs on:") == "20:19");
    CHECK(spot_of(problems, "on: 'case_number' is not an attribute declared in domain courts") ==
          "21:42");
    CHECK(spot_of(problems, "on must be the name of a declared attribute") == "22:42");
    CHECK(problems.size() == 4);
}

TEST_CASE("linked: outside a lift, or in a lift whose criteria give no evidence, is refused") {
    SUBCASE("in the criteria") {
        rbl::test::TempDir dir;
        dir.write("courts.yaml",
                  courts_file("      exists: { kind: performed }\n",
                              "      all:\n        - exists: { kind: court_default }\n"
                              "        - linked: { kind: performed, on: case_no }\n"));
        const auto problems = problems_of(dir.path());
        CHECK(spot_of(problems, "linked belongs in lift") == "19:19");
        CHECK(problems.size() == 1);
    }
    SUBCASE("in a lift of criteria that select no records") {
        rbl::test::TempDir dir;
        dir.write("courts.yaml",
                  courts_file("      linked: { kind: performed, on: case_no }\n",
                              "      subject: \"subject_type == 'government'\"\n"));
        const auto problems = problems_of(dir.path());
        CHECK(spot_of(problems, "linked has no findings to link to") == "19:15");
        CHECK(problems.size() == 1);
    }
    SUBCASE("in a lift of criteria whose records are only under not") {
        rbl::test::TempDir dir;
        dir.write("courts.yaml",
                  courts_file("      linked: { kind: performed, on: case_no }\n",
                              "      not: { exists: { kind: court_default } }\n"));
        const auto problems = problems_of(dir.path());
        CHECK(spot_of(problems, "linked has no findings to link to") == "19:15");
    }
    SUBCASE("in a criterion that names linked beside another kind") {
        rbl::test::TempDir dir;
        dir.write("courts.yaml",
                  courts_file("      linked: { kind: performed, on: case_no }\n"
                              "      exists: { kind: performed }\n"));
        const auto problems = problems_of(dir.path());
        CHECK(spot_of(problems, "a criterion has one kind, this one has 2: exists, linked") !=
              "missing");
    }
}
