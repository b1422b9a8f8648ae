// `repair:`'s conditions as the loader reads them (docs/RULES.md): `from:`, `commitment:` and
// `barred_when:` parsed, kept with new entries' terms, and each mistake reported where it is.
#include <doctest/doctest.h>

#include <string>

#include "../rule_problems.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/entry_term.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::rules::RuleSet;
using rbl::test::problems_of;
using rbl::test::spot_of;

namespace {

// A labour file whose list's `repair:` block is `repair` (lines from 18 on, indented by 6).
std::string labour_file(const std::string& repair) {
    return std::string("domain: labour\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nattributes:\n"
                       "  paid_on: date\n  workers: number\nlists:\n"
                       "  - id: labour.black.arrears\n    kind: black\n    title: T\n"
                       "    title_zh: 题\n    basis: B\n    authority: A\n    criteria:\n"
                       "      exists: { kind: wage_arrears }\n    validity: 2y\n    repair:\n") +
           repair;
}

}  // namespace

TEST_CASE("repair: from, commitment and barred_when parse and are kept with the entry") {
    rbl::test::TempDir dir;
    dir.write("labour.yaml", labour_file("      allowed: true\n      after: 6m\n"
                                         "      from: paid_on\n      commitment: true\n"
                                         "      barred_when: { entries: 2, within: 5y }\n"));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto* list = rules.list("labour.black.arrears");
    REQUIRE(list != nullptr);
    CHECK(list->repair.from_attribute == "paid_on");
    CHECK(list->repair.commitment);
    CHECK(list->repair.barred_entries == 2);
    REQUIRE(list->repair.barred_within);
    CHECK(list->repair.barred_within->text() == "5y");

    // Kept as the entry's terms, and read back the same.
    const auto kept = rbl::engine::entry_terms_of(*list);
    const auto json = kept.to_json();
    CHECK(json.find("\"repair_barred_when\":{\"entries\":2,\"within\":\"5y\"}") != std::string::npos);
    const auto read = rbl::model::EntryTerms::parse(json, 1);
    CHECK(read.repair_from == "paid_on");
    CHECK(read.repair_commitment);
    CHECK(read.repair_barred_entries == 2);
    REQUIRE(read.repair_barred_within);
    CHECK(read.repair_barred_within->text() == "5y");
}

TEST_CASE("repair: without conditions, the kept terms are written as before") {
    rbl::test::TempDir dir;
    dir.write("labour.yaml", labour_file("      allowed: true\n      after: 6m\n"));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto json = rbl::engine::entry_terms_of(*rules.list("labour.black.arrears")).to_json();
    CHECK(json.find("repair_from") == std::string::npos);
    CHECK(json.find("repair_commitment") == std::string::npos);
    CHECK(json.find("repair_barred_when") == std::string::npos);
}

TEST_CASE("repair: each condition's mistake at its line and column") {
    rbl::test::TempDir dir;
    dir.write("labour.yaml", labour_file("      allowed: true\n      from: workers\n"
                                         "      commitment: yes please\n"
                                         "      barred_when: { entries: 0, within: 5x }\n"));
    auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "repair from 'workers' is no date attribute of domain labour") ==
          "20:13");
    CHECK(spot_of(problems, "repair commitment must be true or false") == "21:19");
    CHECK(spot_of(problems, "barred_when entries must be from 1 to 100") == "22:31");
    CHECK(spot_of(problems, "barred_when within") != "missing");

    rbl::test::TempDir other;
    other.write("labour.yaml", labour_file("      allowed: false\n      commitment: true\n"));
    problems = problems_of(other.path());
    CHECK(spot_of(problems, "repair commitment is given but repair is not allowed") == "20:19");

    rbl::test::TempDir third;
    third.write("labour.yaml", labour_file("      allowed: true\n      barred_when: { entries: 2 }\n"));
    problems = problems_of(third.path());
    CHECK(spot_of(problems, "barred_when needs entries: N and within: DURATION") == "20:20");
}

TEST_CASE("repair: the conditions in rbl-rules show's words, in both languages") {
    rbl::test::TempDir dir;
    dir.write("labour.yaml", labour_file("      allowed: true\n      after: 6m\n"
                                         "      from: paid_on\n      commitment: true\n"
                                         "      barred_when: { entries: 2, within: 5y }\n"));
    const RuleSet rules = RuleSet::load(dir.path());
    const auto& list = *rules.list("labour.black.arrears");
    const auto en = rbl::rules::list_markdown(list, rbl::rules::Language::en);
    CHECK(en.find("Credit repair may be applied for 6 months after the paid_on its evidence "
                  "records") != std::string::npos);
    CHECK(en.find("public credit commitment") != std::string::npos);
    CHECK(en.find("Not for a subject with 2 or more entries on this list decided within 5 "
                  "years.") != std::string::npos);
    const auto zh = rbl::rules::list_markdown(list, rbl::rules::Language::zh);
    CHECK(zh.find("起满6个月后可申请信用修复。申请时应提交信用承诺。5年内被列入本名单2次及以上的，"
                  "不予信用修复。") != std::string::npos);
}
