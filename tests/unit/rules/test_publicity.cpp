// `publicity:` in rule files (SPEC.md §11): read strictly, with file:line:column errors, and its
// embedded tests run.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "../rule_problems.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/publicity.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::model::PublicityClass;
using rbl::rules::Diagnostic;
using rbl::rules::InvalidConfig;
using rbl::rules::RuleSet;

using rbl::test::problems_of;
using rbl::test::spot_of;

namespace {

// A rule file of 7 lines without lists, then `publicity` from line 8 on.
std::string rule_file(const std::string& publicity) {
    return "domain: market\ntitle: T\ntitle_zh: 题\nversion: \"1\"\n"
           "attributes:\n  severity: text\n  fine: number\n" +
           publicity;
}

// A valid block (lines 8-17), then `extra`.
std::string valid_block(const std::string& extra = "") {
    return "publicity:\n"                                         // 8
           "  kinds: [penalty]\n"                                 // 9
           "  class:\n"                                           // 10
           "    attribute: severity\n"                            // 11
           "    values: { minor: 轻微, general: [general, 一般], serious: serious }\n"  // 12
           "    default: general\n"                               // 13
           "  classes:\n"                                         // 14
           "    minor: { published: false, maximum: 3m }\n"       // 15
           "    general: { minimum: 3m, maximum: 1y }\n"          // 16
           "    serious: { minimum: 1y, maximum: 3y, repairable: false }\n" +  // 17
           extra;
}

// The diagnostics of a market rule file with this publicity text, which must be invalid.
std::vector<Diagnostic> problems_in(const std::string& text) {
    rbl::test::TempDir dir;
    dir.write("market.yaml", rule_file(text));
    return problems_of(dir.path());
}

}  // namespace

TEST_CASE("publicity: a valid block is read into the domain's terms") {
    rbl::test::TempDir dir;
    dir.write("market.yaml", rule_file(valid_block()));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto& terms = rules.domain("market")->publicity;
    REQUIRE(terms.has_value());
    CHECK(terms->kinds == std::vector<std::string>{"penalty"});
    CHECK(terms->class_attributes == std::vector<std::string>{"severity"});
    CHECK(terms->class_values.at("一般") == PublicityClass::general);
    CHECK(terms->class_values.at("轻微") == PublicityClass::minor);
    CHECK(terms->default_class == PublicityClass::general);
    CHECK_FALSE(terms->classes.at(PublicityClass::minor).published);
    CHECK(terms->classes.at(PublicityClass::general).minimum.text() == "3m");
    CHECK(terms->classes.at(PublicityClass::serious).maximum.text() == "3y");
    CHECK_FALSE(terms->classes.at(PublicityClass::serious).repairable);
    CHECK(terms->classes.at(PublicityClass::general).repairable);
    CHECK(terms->repair_days == rbl::model::PublicityTerms::k_default_repair_days);
}

TEST_CASE("publicity: repair_days gives the working days to decide a record's repair") {
    rbl::test::TempDir dir;
    dir.write("market.yaml", rule_file(valid_block("  repair_days: 7\n")));
    CHECK(RuleSet::load(dir.path()).domain("market")->publicity->repair_days == 7);
    for (const std::string bad : {"0", "366", "five", "-3", "[5]"}) {
        CAPTURE(bad);
        CHECK(spot_of(problems_in(valid_block(fmt::format("  repair_days: {}\n", bad))),
                      "repair_days must be a whole number") == "18:16");
    }
}

TEST_CASE("publicity: a domain without the block publishes nothing") {
    rbl::test::TempDir dir;
    dir.write("market.yaml", rule_file(""));
    CHECK_FALSE(RuleSet::load(dir.path()).domain("market")->publicity.has_value());
}

TEST_CASE("publicity: bad blocks are errors at their line and column") {
    CHECK(spot_of(problems_in(valid_block("  colour: red\n")), "unknown key 'colour'") ==
          "18:3");
    std::string text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("maximum: 1y"), 11, "maximum: 1w")),
                  "maximum") == "16:38");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("attribute: severity"), 19,
                                           "attribute: gravity")),
                  "class attribute 'gravity' is not declared") == "11:16");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("attribute: severity"), 19,
                                           "attribute: fine")),
                  "must be a text attribute") == "11:16");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("serious: { minimum"), 7, "grave")),
                  "unknown class 'grave'") == "17:5");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("default: general"), 16, "default: mild")),
                  "unknown class 'mild'") == "13:14");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("[penalty]"), 9, "[Penalty]")),
                  "record kind 'Penalty'") == "9:11");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("minimum: 1y"), 11, "minimum: 4y")),
                  "minimum 4y is longer than maximum 3y") == "17:25");
    text = valid_block();
    CHECK(spot_of(problems_in(text.replace(text.find("published: false"), 16, "published: no")),
                  "published must be true or false") == "15:25");
    CHECK(spot_of(problems_in("publicity:\n  kinds: [penalty]\n"), "missing required key "
                                                                   "'class'") == "9:3");
}

TEST_CASE("publicity: a class given to records must have terms, a value only one class") {
    std::string text = valid_block();
    auto problems = problems_in(text.replace(text.find("    serious: { minimum"), 62, ""));
    CHECK(spot_of(problems, "class 'serious' is given to records but has no terms") == "15:5");
    text = valid_block();
    problems = problems_in(text.replace(text.find("serious: serious"), 16, "serious: general"));
    CHECK(spot_of(problems, "value 'general' is given to two classes") == "12:59");
}

TEST_CASE("publicity: embedded tests are read strictly and run") {
    const std::string tests =
        "  tests:\n"                                                          // 18
        "    - name: public on its last day\n"                                // 19
        "      record: { kind: penalty, date: 2028-02-29, severity: 一般 }\n"  // 20
        "      as_of: 2029-02-28\n"
        "      expect: public\n"
        "      publicity_until: 2029-02-28\n"
        "    - name: wrongly expected public the day after\n"                 // 24
        "      record: { kind: penalty, date: 2028-02-29 }\n"
        "      as_of: 2029-03-01\n"
        "      expect: public\n"
        "      repair_from: 2028-05-30\n";
    rbl::test::TempDir dir;
    dir.write("market.yaml", rule_file(valid_block(tests)));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto results = rbl::rules::run_publicity_tests(rules);
    REQUIRE(results.size() == 2);
    CHECK(results[0].passed);
    CHECK(results[0].domain == "market");
    CHECK(results[0].line == 19);
    CHECK_FALSE(results[1].passed);
    CHECK(results[1].line == 24);
    CHECK(results[1].problem.find("expected public on 2029-03-01, but it is not public") !=
          std::string::npos);
    CHECK(results[1].problem.find("repair_from: got 2028-05-29") != std::string::npos);

    auto problems = problems_in(valid_block(
        "  tests:\n    - name: x\n      record: { kind: penalty, date: 2026-01-01, fine: 3 }\n"
        "      as_of: 2026-13-01\n      expect: maybe\n"));
    CHECK(spot_of(problems, "unknown key 'fine' in a test record") == "20:50");
    CHECK(spot_of(problems, "as_of") == "21:14");
    CHECK(spot_of(problems, "expect must be public or not_public") == "22:15");
}
