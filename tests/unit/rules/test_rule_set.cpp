#include <doctest/doctest.h>

#include "../temp_dir.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::rules::AttributeType;
using rbl::rules::InvalidConfig;
using rbl::rules::RuleSet;

namespace {

// Loads a rules folder expected to be invalid and returns its diagnostics.
std::vector<rbl::rules::Diagnostic> problems_of(const std::filesystem::path& dir) {
    try {
        RuleSet::load(dir);
    } catch (const InvalidConfig& e) {
        return e.diagnostics();
    }
    FAIL("the rules loaded although they are invalid");
    return {};
}

}  // namespace

TEST_CASE("rule set: domains and typed attributes load") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", "domain: food\ntitle: Food\ntitle_zh: 食品\nversion: \"1\"\n"
                           "attributes:\n  category: text\n  tons: number\n  since: date\n"
                           "  serious: bool\nlists: []\n");
    dir.write("calendar.yaml", "weekend: [sat, sun]\n");
    const RuleSet set = RuleSet::load(dir.path());
    REQUIRE(set.domains().size() == 1);
    const auto* food = set.domain("food");
    REQUIRE(food != nullptr);
    CHECK(food->title_zh == "食品");
    CHECK(food->attribute("tons")->type == AttributeType::number);
    CHECK(food->attribute("since")->type == AttributeType::date);
    CHECK(food->attribute("serious")->type == AttributeType::boolean);
    CHECK(food->attribute("missing") == nullptr);
    CHECK(food->text_sha256.size() == 64);
    CHECK(set.domain("calendar") == nullptr);
}

TEST_CASE("rule set: every problem in every file is reported with line and column") {
    rbl::test::TempDir dir;
    dir.write("a.yaml", "domain: b\ntitle: A\ntitle_zh: 甲\nversion: \"1\"\ncolour: red\n"
                        "attributes:\n  Bad-Name: text\n  size: int\n");
    dir.write("c.yaml", "domain: c\ntitle: C\n  nested: [\n");
    const auto problems = problems_of(dir.path());
    REQUIRE(problems.size() == 5);
    CHECK(problems[0].line == 5);  // unknown key colour
    CHECK(problems[0].column == 1);
    CHECK(problems[0].message.find("unknown key 'colour'") != std::string::npos);
    bool domain_mismatch = false;
    bool bad_name = false;
    bool bad_type = false;
    bool malformed = false;
    for (const auto& problem : problems) {
        domain_mismatch |= problem.message.find("differs from the file name") != std::string::npos;
        bad_name |= problem.message.find("Bad-Name") != std::string::npos && problem.line == 7;
        bad_type |= problem.message.find("'int'") != std::string::npos && problem.line == 8;
        malformed |= problem.file.ends_with("c.yaml") && problem.line > 0 &&
                     problem.message.find("malformed YAML") != std::string::npos;
    }
    CHECK(domain_mismatch);
    CHECK(bad_name);
    CHECK(bad_type);
    CHECK(malformed);
}

TEST_CASE("rule set: tabs, duplicate keys, missing keys") {
    rbl::test::TempDir dir;
    dir.write("t.yaml", "domain: t\n\ttitle: T\n");
    dir.write("d.yaml", "domain: d\ntitle: D\ntitle: E\ntitle_zh: 丁\nversion: \"1\"\n");
    dir.write("m.yaml", "domain: m\n");
    const auto problems = problems_of(dir.path());
    int tabs = 0;
    int duplicates = 0;
    int missing = 0;
    for (const auto& problem : problems) {
        tabs += problem.message.find("tab") != std::string::npos && problem.line == 2;
        duplicates += problem.message.find("duplicate key 'title' (first on line 2)") !=
                          std::string::npos &&
                      problem.line == 3;
        missing += problem.message.find("missing required key") != std::string::npos;
    }
    CHECK(tabs == 1);
    CHECK(duplicates == 1);
    CHECK(missing == 3);  // m.yaml lacks title, title_zh, version
}

TEST_CASE("rule set: a missing or empty folder is a usage error") {
    rbl::test::TempDir dir;
    CHECK_THROWS_AS(RuleSet::load(dir.path() / "nope"), rbl::UsageError);
    CHECK_THROWS_AS(RuleSet::load(dir.path()), rbl::UsageError);
}

TEST_CASE("rule set: the shipped rules load") {
    const RuleSet set = RuleSet::load(std::filesystem::path(RBL_SOURCE_DIR) / "rules");
    for (const char* domain : {"courts", "tax", "labour", "work_safety", "statistics",
                               "environment", "public_resource", "market", "customs",
                               "government", "social_insurance"}) {
        CHECK_MESSAGE(set.domain(domain) != nullptr, domain);
    }
}
