#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/engine/criteria.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::engine::CriteriaEvaluator;
using rbl::engine::SubjectFacts;
using rbl::engine::SubjectRecord;
using rbl::engine::Verdict;
using rbl::model::SubjectType;
using rbl::rules::RuleSet;

namespace {

// A list of `kind` with `criteria` (lines indented by 6).
std::string list_yaml(const std::string& id, const std::string& kind, const std::string& criteria) {
    return "  - id: " + id + "\n    kind: " + kind +
           "\n    title: T\n    title_zh: 题\n    basis: B\n    authority: A\n"
           "    validity: 3y\n    criteria:\n" +
           criteria;
}

// food declares category, severity (text) and fine (number); tax declares category as text and
// fine as text; labour declares nothing.
RuleSet evaluator_rules(const rbl::test::TempDir& dir) {
    const std::string head = "title: T\ntitle_zh: 题\nversion: \"1\"\n";
    dir.write("rules/labour.yaml", "domain: labour\n" + head + "lists: []\n");
    dir.write("rules/tax.yaml",
              "domain: tax\n" + head + "attributes:\n  category: text\n  fine: text\nlists:\n" +
                  list_yaml("tax.black.evader", "black", "      exists: { kind: evasion }\n"));
    dir.write(
        "rules/food.yaml",
        "domain: food\n" + head +
            "attributes:\n  category: text\n  severity: text\n  fine: number\nlists:\n" +
            list_yaml("food.black.window", "black",
                      "      exists: { kind: penalty, within: 1y }\n") +
            list_yaml("food.black.month", "black",
                      "      count: { kind: penalty, within: 1m }\n      at_least: 0\n") +
            list_yaml("food.black.days", "black",
                      "      count: { kind: penalty, within: 30d }\n      at_least: 0\n") +
            list_yaml("food.black.ever", "black",
                      "      count: { kind: penalty }\n      at_least: 0\n") +
            list_yaml("food.black.kinds", "black",
                      "      count: { kind: [penalty, warning] }\n      at_least: 0\n") +
            list_yaml("food.black.every_kind", "black",
                      "      count: { within: 30d }\n      at_least: 0\n") +
            list_yaml("food.black.domain_any", "black",
                      "      count: { kind: penalty, domain: any }\n      at_least: 0\n") +
            list_yaml("food.black.domain_list", "black",
                      "      count: { kind: penalty, domain: [food, tax] }\n      at_least: 0\n") +
            list_yaml("food.black.where", "black",
                      "      count: { where: \"category == 'serious'\", domain: any }\n"
                      "      at_least: 0\n") +
            list_yaml("food.black.where_fine", "black",
                      "      count: { where: \"fine >= 10\", domain: any }\n      at_least: 0\n") +
            list_yaml("food.black.where_standard", "black",
                      "      count: { where: \"amount >= 100 and authority startswith '南京' and "
                      "date >= date('2024-01-01')\" }\n      at_least: 0\n") +
            list_yaml("food.black.count3", "black",
                      "      count: { kind: penalty, within: 1y }\n      at_least: 3\n") +
            list_yaml("food.black.at_most", "black",
                      "      count: { kind: penalty }\n      at_most: 2\n") +
            list_yaml("food.black.between", "black",
                      "      count: { kind: penalty }\n      at_least: 2\n      at_most: 3\n") +
            list_yaml(
                "food.black.sum", "black",
                "      sum: { kind: penalty }\n      field: amount\n      at_least: 1000000\n") +
            list_yaml("food.black.sum_empty", "black",
                      "      sum: { kind: refund }\n      field: amount\n      at_most: 0\n") +
            list_yaml("food.black.sum_fine", "black",
                      "      sum: { kind: penalty }\n      field: fine\n      at_least: 12.75\n") +
            list_yaml("food.black.sum_fine_big", "black",
                      "      sum: { kind: penalty }\n      field: fine\n      at_least: 1000\n") +
            list_yaml("food.black.any_evidence", "black",
                      "      any:\n"
                      "        - count: { kind: penalty }\n          at_least: 5\n"
                      "        - exists: { kind: warning }\n") +
            list_yaml("food.black.all_evidence", "black",
                      "      all:\n"
                      "        - exists: { kind: warning }\n"
                      "        - not:\n            count: { kind: penalty }\n"
                      "            at_least: 5\n") +
            list_yaml("food.black.not_only", "black",
                      "      not:\n        count: { kind: penalty }\n        at_least: 5\n") +
            list_yaml("food.black.nested", "black",
                      "      any:\n"
                      "        - all:\n"
                      "            - exists: { kind: penalty }\n"
                      "            - exists: { kind: warning }\n"
                      "        - exists: { kind: award }\n") +
            list_yaml("food.black.twice", "black",
                      "      any:\n"
                      "        - exists: { kind: penalty }\n"
                      "        - count: { kind: penalty }\n          at_least: 1\n") +
            list_yaml("food.black.government", "black",
                      "      subject: \"subject_type == 'government'\"\n") +
            list_yaml("food.black.tree", "black",
                      "      any:\n"
                      "        - count: { kind: penalty, within: 1y }\n          at_least: 3\n"
                      "        - all:\n"
                      "            - exists: { kind: warning }\n"
                      "            - not: { exists: { kind: award } }\n"
                      "        - subject: \"region startswith '32'\"\n") +
            list_yaml("food.black.severe", "black",
                      "      exists: { kind: penalty, where: \"severity == 'serious'\" }\n") +
            list_yaml("food.red.clean", "red",
                      "      all:\n"
                      "        - not: { listed: { kind: black } }\n"
                      "        - exists: { kind: award }\n") +
            list_yaml("food.red.by_id", "red", "      listed: { list: tax.black.evader }\n") +
            list_yaml("food.red.by_tax", "red", "      listed: { kind: black, domain: tax }\n"));
    return RuleSet::load(dir.path() / "rules");
}

rbl::util::Date day(const std::string& iso) { return rbl::util::parse_iso_date(iso).value(); }

// A record as the store would give it; `attrs` is its attributes JSON object.
SubjectRecord record(const RuleSet& rules, const std::string& id, const std::string& kind,
                     const std::string& date, std::optional<rbl::util::Fen> amount = std::nullopt,
                     const std::string& attrs = "{}", const std::string& domain = "food") {
    SubjectRecord out;
    out.record_id = id;
    out.domain = domain;
    out.kind = kind;
    out.date = day(date);
    out.amount = amount;
    out.set_attributes(attrs, rules.domain(domain));
    return out;
}

SubjectFacts company() { return {"91320102MA1MX4RE6X", SubjectType::legal_person, "320102", std::nullopt}; }

// Evaluates the criteria of list `id`.
Verdict judge(const RuleSet& rules, const std::string& id,
              const std::vector<SubjectRecord>& records, const std::string& as_of,
              const SubjectFacts& subject = company(),
              const std::vector<std::string>& entries = {}) {
    const auto* list = rules.list(id);
    REQUIRE_MESSAGE(list != nullptr, id);
    CriteriaEvaluator evaluator(rules);
    return evaluator.evaluate(*list, list->criteria, subject, records, entries, day(as_of));
}

// The record ids of the verdict's evidence, in its order.
std::vector<std::string> evidence_of(const Verdict& verdict,
                                     const std::vector<SubjectRecord>& records) {
    std::vector<std::string> ids;
    for (std::size_t index : verdict.evidence) {
        ids.push_back(records.at(index).record_id);
    }
    return ids;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("criteria: within is inclusive at both ends, with calendar arithmetic") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "A", "penalty", "2023-02-27"), record(rules, "B", "penalty", "2023-02-28"),
        record(rules, "C", "penalty", "2024-02-29"), record(rules, "D", "penalty", "2024-03-01")};
    // 2024-02-29 minus 1y is 2023-02-28; D is after the as-of date and does not exist yet.
    const Verdict verdict = judge(rules, "food.black.window", records, "2024-02-29");
    CHECK(verdict.holds);
    CHECK(evidence_of(verdict, records) == Ids{"B", "C"});
    REQUIRE(verdict.explanation.size() == 1);
    CHECK(verdict.explanation[0] == "[yes] 2 penalty records within 1y (needs ≥ 1): B, C");
    CHECK(verdict.held == std::vector<bool>{true});

    // Without within, every record up to the as-of date counts, and none after it.
    CHECK(evidence_of(judge(rules, "food.black.ever", records, "2024-02-29"), records) ==
          Ids{"A", "B", "C"});
    CHECK(evidence_of(judge(rules, "food.black.ever", records, "2024-03-01"), records) ==
          Ids{"A", "B", "C", "D"});

    // Nothing in the window: false, no evidence.
    const Verdict none = judge(rules, "food.black.window", records, "2023-02-26");
    CHECK_FALSE(none.holds);
    CHECK(none.evidence.empty());
    CHECK(none.explanation[0] == "[no]  0 penalty records within 1y (needs ≥ 1)");
    CHECK(none.held == std::vector<bool>{false});
}

TEST_CASE("criteria: month and day windows") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {record(rules, "feb28", "penalty", "2024-02-28"),
                                                record(rules, "feb29", "penalty", "2024-02-29"),
                                                record(rules, "mar01", "penalty", "2024-03-01"),
                                                record(rules, "mar31", "penalty", "2024-03-31")};
    // 2024-03-31 minus 1m is 2024-02-29 (clamped to the month's end).
    CHECK(evidence_of(judge(rules, "food.black.month", records, "2024-03-31"), records) ==
          Ids{"feb29", "mar01", "mar31"});
    // 2024-03-31 minus 30d is 2024-03-01.
    CHECK(evidence_of(judge(rules, "food.black.days", records, "2024-03-31"), records) ==
          Ids{"mar01", "mar31"});
    CHECK(evidence_of(judge(rules, "food.black.days", records, "2024-03-30"), records) ==
          Ids{"feb29", "mar01"});
}

TEST_CASE("criteria: kinds select a name or a list of names") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "P1", "penalty", "2026-05-11"), record(rules, "W1", "warning", "2026-05-12"),
        record(rules, "A1", "award", "2026-05-13"), record(rules, "X1", "rectified", "2026-05-14"),
        record(rules, "P0", "penalty", "2026-05-01")};
    const Verdict single = judge(rules, "food.black.ever", records, "2026-06-01");
    CHECK(evidence_of(single, records) == Ids{"P0", "P1"});
    CHECK(single.explanation[0] == "[yes] 2 penalty records (needs ≥ 0): P0, P1");
    const Verdict two = judge(rules, "food.black.kinds", records, "2026-06-01");
    CHECK(evidence_of(two, records) == Ids{"P0", "P1", "W1"});
    CHECK(two.explanation[0] == "[yes] 3 penalty/warning records (needs ≥ 0): P0, P1, W1");
    const Verdict every = judge(rules, "food.black.every_kind", records, "2026-06-01");
    CHECK(evidence_of(every, records) == Ids{"A1", "P1", "W1", "X1"});
    // Without kind every kind counts; 2026-06-01 minus 30d is 2026-05-02, so P0 is too old.
    CHECK(every.explanation[0] == "[yes] 4 any records within 30d (needs ≥ 0): A1, P1, W1, X1");
    const std::vector<SubjectRecord> one = {records[0]};
    const Verdict singular = judge(rules, "food.black.ever", one, "2026-06-01");
    CHECK(singular.explanation[0] == "[yes] 1 penalty record (needs ≥ 0): P1");
}

TEST_CASE("criteria: the rule's own domain by default, any, or a list of domains") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "FP", "penalty", "2026-01-01"),
        record(rules, "TP", "penalty", "2026-01-02", std::nullopt, "{}", "tax"),
        record(rules, "LP", "penalty", "2026-01-03", std::nullopt, "{}", "labour"),
        record(rules, "FW", "warning", "2026-01-04")};
    const Verdict own = judge(rules, "food.black.ever", records, "2026-06-01");
    CHECK(evidence_of(own, records) == Ids{"FP"});
    const Verdict any = judge(rules, "food.black.domain_any", records, "2026-06-01");
    CHECK(evidence_of(any, records) == Ids{"FP", "LP", "TP"});
    CHECK(any.explanation[0] == "[yes] 3 penalty records in any domain (needs ≥ 0): FP, LP, TP");
    const Verdict listed = judge(rules, "food.black.domain_list", records, "2026-06-01");
    CHECK(evidence_of(listed, records) == Ids{"FP", "TP"});
    CHECK(listed.explanation[0] == "[yes] 2 penalty records in food/tax (needs ≥ 0): FP, TP");
}

TEST_CASE("criteria: where sees standard fields and attributes, of other domains too") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "F1", "penalty", "2026-01-01", std::nullopt, R"({"category":"serious"})"),
        record(rules, "F2", "penalty", "2026-01-01", std::nullopt, R"({"category":"minor"})"),
        record(rules, "F3", "penalty", "2026-01-01", std::nullopt, R"({"fine":12})"),
        record(rules, "F4", "penalty", "2026-01-01", std::nullopt, R"({"fine":"9.99"})"),
        record(rules, "T1", "evasion", "2026-01-01", std::nullopt, R"({"category":"serious"})",
               "tax"),
        record(rules, "T2", "evasion", "2026-01-01", std::nullopt, R"({"fine":"100"})", "tax"),
        record(rules, "L1", "arrears", "2026-01-01", std::nullopt, R"({"category":"serious"})",
               "labour"),
        record(rules, "L2", "arrears", "2026-01-01", std::nullopt, R"({"category":"minor"})",
               "labour")};
    // category is text in food and tax, and undeclared (so text) in labour: all three expose it.
    const Verdict serious = judge(rules, "food.black.where", records, "2026-06-01");
    CHECK(evidence_of(serious, records) == Ids{"F1", "L1", "T1"});
    CHECK(serious.explanation[0] ==
          "[yes] 3 any records in any domain where category == 'serious' (needs ≥ 0): F1, L1, T1");
    // fine is a number in food but text in tax: a tax record's fine is not a number to compare.
    CHECK(evidence_of(judge(rules, "food.black.where_fine", records, "2026-06-01"), records) ==
          Ids{"F3"});

    // amount (in yuan), authority and date.
    SubjectRecord nanjing = record(rules, "N1", "penalty", "2024-01-01", 10000);
    nanjing.authority = "南京市市场监督管理局";
    SubjectRecord cheap = nanjing;
    cheap.record_id = "N2";
    cheap.amount = 9999;
    SubjectRecord early = nanjing;
    early.record_id = "N3";
    early.date = day("2023-12-31");
    SubjectRecord suzhou = nanjing;
    suzhou.record_id = "N4";
    suzhou.authority = "苏州市市场监督管理局";
    SubjectRecord nameless = nanjing;
    nameless.record_id = "N5";
    nameless.authority.reset();
    const std::vector<SubjectRecord> standard = {nanjing, cheap, early, suzhou, nameless};
    CHECK(evidence_of(judge(rules, "food.black.where_standard", standard, "2026-06-01"),
                      standard) == Ids{"N1"});
}

TEST_CASE("criteria: count bounds") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    std::vector<SubjectRecord> records = {record(rules, "P1", "penalty", "2026-01-01"),
                                          record(rules, "P2", "penalty", "2026-02-01")};
    const Verdict two = judge(rules, "food.black.count3", records, "2026-06-01");
    CHECK_FALSE(two.holds);
    CHECK(two.evidence.empty());
    CHECK(two.explanation[0] == "[no]  2 penalty records within 1y (needs ≥ 3): P1, P2");
    CHECK(judge(rules, "food.black.at_most", records, "2026-06-01").holds);
    CHECK(judge(rules, "food.black.at_most", records, "2026-06-01").explanation[0] ==
          "[yes] 2 penalty records (needs ≤ 2): P1, P2");
    CHECK(judge(rules, "food.black.between", records, "2026-06-01").holds);
    CHECK(judge(rules, "food.black.between", records, "2026-06-01").explanation[0] ==
          "[yes] 2 penalty records (needs 2 to 3): P1, P2");

    // A third penalty, but older than a year: not in count3's window.
    records.push_back(record(rules, "P0", "penalty", "2025-05-31"));
    CHECK_FALSE(judge(rules, "food.black.count3", records, "2026-06-01").holds);
    CHECK_FALSE(judge(rules, "food.black.at_most", records, "2026-06-01").holds);
    CHECK(judge(rules, "food.black.between", records, "2026-06-01").holds);

    records.push_back(record(rules, "P3", "penalty", "2026-03-01"));
    const Verdict three = judge(rules, "food.black.count3", records, "2026-06-01");
    CHECK(three.holds);
    CHECK(evidence_of(three, records) == Ids{"P1", "P2", "P3"});
    CHECK(three.explanation[0] == "[yes] 3 penalty records within 1y (needs ≥ 3): P1, P2, P3");
    CHECK_FALSE(judge(rules, "food.black.between", records, "2026-06-01").holds);

    std::vector<SubjectRecord> one = {records[0]};
    CHECK_FALSE(judge(rules, "food.black.between", one, "2026-06-01").holds);
    CHECK(judge(rules, "food.black.at_most", {}, "2026-06-01").holds);
}

TEST_CASE("criteria: sum of amount is exact, skips nulls, and is 0 when empty") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    std::vector<SubjectRecord> records = {
        record(rules, "S1", "penalty", "2026-01-01", 99999999),  // 999999.99 yuan
        record(rules, "S2", "penalty", "2026-01-02"),            // no amount
        record(rules, "W1", "warning", "2026-01-03", 500)};
    const Verdict below = judge(rules, "food.black.sum", records, "2026-06-01");
    CHECK_FALSE(below.holds);
    CHECK(below.explanation[0] ==
          "[no]  sum of amount is 999999.99 over 2 penalty records (needs ≥ 1000000): S1, S2");

    records.push_back(record(rules, "S3", "penalty", "2026-01-04", 1));  // 0.01 yuan
    const Verdict reached = judge(rules, "food.black.sum", records, "2026-06-01");
    CHECK(reached.holds);
    CHECK(reached.explanation[0] ==
          "[yes] sum of amount is 1000000 over 3 penalty records (needs ≥ 1000000): S1, S2, S3");
    // Evidence is every selected record, the one without an amount included.
    CHECK(evidence_of(reached, records) == Ids{"S1", "S2", "S3"});

    const Verdict empty = judge(rules, "food.black.sum_empty", records, "2026-06-01");
    CHECK(empty.holds);
    CHECK(empty.evidence.empty());
    CHECK(empty.explanation[0] == "[yes] sum of amount is 0 over 0 refund records (needs ≤ 0)");
    records.push_back(record(rules, "R1", "refund", "2026-01-05", 1));
    CHECK_FALSE(judge(rules, "food.black.sum_empty", records, "2026-06-01").holds);
}

TEST_CASE("criteria: sum of a number attribute") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    std::vector<SubjectRecord> records = {
        record(rules, "F1", "penalty", "2026-01-01", std::nullopt, R"({"fine":12.5})"),
        record(rules, "F2", "penalty", "2026-01-02", std::nullopt, R"({"fine":"0.24"})"),
        record(rules, "F3", "penalty", "2026-01-03", std::nullopt, R"({"category":"x"})"),
        record(rules, "T1", "penalty", "2026-01-03", std::nullopt, R"({"fine":"100"})", "tax")};
    const Verdict short_of = judge(rules, "food.black.sum_fine", records, "2026-06-01");
    CHECK_FALSE(short_of.holds);
    CHECK(short_of.explanation[0] ==
          "[no]  sum of fine is 12.74 over 3 penalty records (needs ≥ 12.75): F1, F2, F3");
    records.push_back(
        record(rules, "F4", "penalty", "2026-01-04", std::nullopt, R"({"fine":0.01})"));
    const Verdict enough = judge(rules, "food.black.sum_fine", records, "2026-06-01");
    CHECK(enough.holds);
    CHECK(enough.explanation[0] ==
          "[yes] sum of fine is 12.75 over 4 penalty records (needs ≥ 12.75): F1, F2, F3, F4");
}

// Regression (was a bug): criteria.cpp:61-72 (`add`) scales both mantissas to the larger scale in 64 bits without a
// check: 10000000 + 0.000000000001 needs 10^19 as a mantissa at scale 12 and wraps around to a
// negative total, so a sum that is plainly above the bound is reported below it.
TEST_CASE("criteria: sum of numbers with many decimals does not overflow") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "F1", "penalty", "2026-01-01", std::nullopt, R"({"fine":"10000000"})"),
        record(rules, "F2", "penalty", "2026-01-02", std::nullopt, R"({"fine":"0.000000000001"})")};
    const Verdict verdict = judge(rules, "food.black.sum_fine_big", records, "2026-06-01");
    INFO(verdict.explanation[0]);
    CHECK(verdict.holds);  // 10000000.000000000001 >= 1000
    CHECK(verdict.explanation[0].find("sum of fine is 10000000") != std::string::npos);
}

TEST_CASE("criteria: any and all gather the evidence of their true children only") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {record(rules, "P1", "penalty", "2026-01-01"),
                                                record(rules, "P2", "penalty", "2026-01-02"),
                                                record(rules, "W1", "warning", "2026-01-03")};
    // The count is false although it selected P1 and P2.
    const Verdict any = judge(rules, "food.black.any_evidence", records, "2026-06-01");
    CHECK(any.holds);
    CHECK(evidence_of(any, records) == Ids{"W1"});
    CHECK(any.held == std::vector<bool>{true, false, true});

    // `not` contributes none: its child's selection is not evidence.
    const Verdict all = judge(rules, "food.black.all_evidence", records, "2026-06-01");
    CHECK(all.holds);
    CHECK(evidence_of(all, records) == Ids{"W1"});
    const Verdict negation = judge(rules, "food.black.not_only", records, "2026-06-01");
    CHECK(negation.holds);
    CHECK(negation.evidence.empty());
    CHECK(negation.explanation ==
          std::vector<std::string>{"[yes] not:", "  [no]  2 penalty records (needs ≥ 5): P1, P2"});
    CHECK(negation.held == std::vector<bool>{true, false});

    // Nested: the true all's evidence; a false all gives none even when a child of it held.
    CHECK(evidence_of(judge(rules, "food.black.nested", records, "2026-06-01"), records) ==
          Ids{"P1", "P2", "W1"});
    const std::vector<SubjectRecord> no_warning = {record(rules, "P1", "penalty", "2026-01-01"),
                                                   record(rules, "A1", "award", "2026-01-02")};
    const Verdict nested = judge(rules, "food.black.nested", no_warning, "2026-06-01");
    CHECK(nested.holds);
    CHECK(evidence_of(nested, no_warning) == Ids{"A1"});
    CHECK(nested.held == std::vector<bool>{true, false, true, false, true});
    const std::vector<SubjectRecord> penalty_only = {no_warning[0]};
    const Verdict neither = judge(rules, "food.black.nested", penalty_only, "2026-06-01");
    CHECK_FALSE(neither.holds);
    CHECK(neither.evidence.empty());

    // A record two true children selected is evidence once.
    const Verdict twice = judge(rules, "food.black.twice", records, "2026-06-01");
    CHECK(evidence_of(twice, records) == Ids{"P1", "P2"});
}

TEST_CASE("criteria: evidence is sorted by record_id") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {record(rules, "R3", "penalty", "2026-01-01"),
                                                record(rules, "R1", "penalty", "2026-03-01"),
                                                record(rules, "R2", "penalty", "2026-02-01"),
                                                record(rules, "R10", "penalty", "2026-01-15")};
    const Verdict verdict = judge(rules, "food.black.ever", records, "2026-06-01");
    CHECK(verdict.evidence == std::vector<std::size_t>{1, 3, 2, 0});
    CHECK(verdict.explanation[0] == "[yes] 4 penalty records (needs ≥ 0): R1, R10, R2, R3");
}

TEST_CASE("criteria: subject expressions") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const SubjectFacts government{"113200000140000796", SubjectType::government, "320000",
                                  std::nullopt};
    const Verdict yes = judge(rules, "food.black.government", {}, "2026-06-01", government);
    CHECK(yes.holds);
    CHECK(yes.evidence.empty());
    CHECK(yes.explanation ==
          std::vector<std::string>{"[yes] subject: subject_type == 'government'"});
    const Verdict no = judge(rules, "food.black.government", {}, "2026-06-01", company());
    CHECK_FALSE(no.holds);
    CHECK(no.explanation[0] == "[no]  subject: subject_type == 'government'");
}

TEST_CASE("criteria: listed by list id and by kind and domain") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {record(rules, "A1", "award", "2026-01-01")};
    using Entries = std::vector<std::string>;
    const auto clean = [&](const Entries& entries) {
        return judge(rules, "food.red.clean", records, "2026-06-01", company(), entries);
    };
    const Verdict free = clean({});
    CHECK(free.holds);
    CHECK(evidence_of(free, records) == Ids{"A1"});
    CHECK(free.explanation ==
          std::vector<std::string>{"[yes] all of:", "  [yes] not:",
                                   "    [no]  has a pending or effective entry on a black list of "
                                   "any domain",
                                   "  [yes] 1 award record (needs ≥ 1): A1"});
    CHECK(free.held == std::vector<bool>{true, true, false, true});
    CHECK_FALSE(clean({"tax.black.evader"}).holds);
    CHECK_FALSE(clean({"food.black.window"}).holds);
    // Entries on red lists and on lists the rules do not know are no black entries.
    CHECK(clean({"food.red.by_id", "gone.black.old"}).holds);

    const auto verdict = [&](const std::string& list, const Entries& entries) {
        return judge(rules, list, {}, "2026-06-01", company(), entries);
    };
    const Verdict by_id = verdict("food.red.by_id", {"food.black.window", "tax.black.evader"});
    CHECK(by_id.holds);
    CHECK(by_id.explanation[0] ==
          "[yes] has a pending or effective entry on list tax.black.evader");
    CHECK_FALSE(verdict("food.red.by_id", {"food.black.window"}).holds);
    const Verdict by_tax = verdict("food.red.by_tax", {"food.black.window"});
    CHECK_FALSE(by_tax.holds);
    CHECK(by_tax.explanation[0] == "[no]  has a pending or effective entry on a black list of tax");
    CHECK(verdict("food.red.by_tax", {"tax.black.evader"}).holds);
}

TEST_CASE("criteria: explanation lines follow the tree in pre-order, with the figures") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "P1", "penalty", "2026-01-01"), record(rules, "P2", "penalty", "2025-06-01"),
        record(rules, "P0", "penalty", "2025-05-31"), record(rules, "W1", "warning", "2024-01-01"),
        record(rules, "A1", "award", "2026-06-02")};  // after the as-of date
    const Verdict verdict = judge(rules, "food.black.tree", records, "2026-06-01");
    CHECK(verdict.holds);
    CHECK(verdict.explanation == std::vector<std::string>{
                                     "[yes] any of:",
                                     "  [no]  2 penalty records within 1y (needs ≥ 3): P1, P2",
                                     "  [yes] all of:",
                                     "    [yes] 1 warning record (needs ≥ 1): W1",
                                     "    [yes] not:",
                                     "      [no]  0 award records (needs ≥ 1)",
                                     "  [yes] subject: region startswith '32'",
                                 });
    CHECK(verdict.held == std::vector<bool>{true, false, true, true, true, false, true});
    CHECK(evidence_of(verdict, records) == Ids{"W1"});

    // Elsewhere and with the award in force, only the count could hold.
    const SubjectFacts beijing{"91110000600037341L", SubjectType::legal_person, "110000",
                               std::nullopt};
    const Verdict later = judge(rules, "food.black.tree", records, "2026-06-02", beijing);
    CHECK_FALSE(later.holds);
    CHECK(later.evidence.empty());
    CHECK(later.held == std::vector<bool>{false, false, false, true, false, true, false});
    CHECK(later.explanation[5] == "      [yes] 1 award record (needs ≥ 1): A1");
    CHECK(later.explanation[0] == "[no]  any of:");
}

TEST_CASE("criteria: an evaluator is reused across lists and subjects") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    CriteriaEvaluator evaluator(rules);
    const std::vector<SubjectRecord> serious = {
        record(rules, "S1", "penalty", "2026-01-01", std::nullopt, R"({"severity":"serious"})")};
    const std::vector<SubjectRecord> minor = {
        record(rules, "M1", "penalty", "2026-01-01", std::nullopt, R"({"severity":"minor"})")};
    const auto* severe = rules.list("food.black.severe");
    const auto* government = rules.list("food.black.government");
    REQUIRE(severe != nullptr);
    REQUIRE(government != nullptr);
    const auto as_of = day("2026-06-01");
    CHECK(evaluator.evaluate(*severe, severe->criteria, company(), serious, {}, as_of).holds);
    const Verdict second =
        evaluator.evaluate(*severe, severe->criteria, company(), minor, {}, as_of);
    CHECK_FALSE(second.holds);
    CHECK(second.explanation.size() == 1);
    CHECK(second.held.size() == 1);
    CHECK_FALSE(
        evaluator.evaluate(*government, government->criteria, company(), serious, {}, as_of).holds);
    CHECK(evaluator.evaluate(*severe, severe->criteria, company(), serious, {}, as_of).evidence ==
          std::vector<std::size_t>{0});
}

// Regression (was a bug): attributes were read through a JSON DOM, so a stored number with more
// significant digits than a double holds came back rounded (1234567890123456.78 as
// "1234567890123456.8").
TEST_CASE("criteria: stored number attributes keep their exact digits") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {
        record(rules, "F1", "penalty", "2026-01-01", std::nullopt,
               R"({"fine":1234567890123456.78})")};
    REQUIRE(records[0].attributes.size() == 1);
    CHECK(records[0].attributes[0].text == "1234567890123456.78");
    const Verdict verdict = judge(rules, "food.black.sum_fine_big", records, "2026-06-01");
    CHECK(verdict.holds);
    CHECK(verdict.explanation[0] ==
          "[yes] sum of fine is 1234567890123456.78 over 1 penalty record (needs ≥ 1000): F1");
}

namespace {

// SPEC.md §3's example rule file, copied verbatim from the spec's first YAML block. A copy, not
// a read of SPEC.md: the spec lives in the project's shared folder, which need not be beside a
// clone. When the example in SPEC.md changes, copy it here again.
constexpr const char* k_spec_example = R"yaml(domain: food_safety
title: Food safety
title_zh: 食品安全
version: "2026.1"              # recorded in every decision, with a hash of the rule's text
attributes:                     # what records of this domain may carry beyond the standard columns
  category: text                # text | number | date | bool
  severity: text
lists:
  - id: food_safety.black.serious
    kind: black                 # black | red
    title: Serious food-safety violators
    title_zh: 食品安全严重违法失信名单
    basis: 《中华人民共和国食品安全法》第一百三十五条        # legal basis (认定依据)
    authority: 江苏省市场监督管理局                        # deciding department (认定部门)
    subjects: [legal_person, natural_person]               # who may be listed (default: all)
    criteria:
      any:
        - exists: { kind: penalty, within: 3y, where: "category == 'revoke_license'" }
        - count:  { kind: penalty, within: 1y, where: "severity == 'serious'" }
          at_least: 3
        - sum:    { kind: penalty, within: 3y, field: amount }
          at_least: 1000000
    lift:                       # optional: when this holds, an effective entry ends early (`lifted`)
      exists: { kind: rectified, within: 1y }
    validity: 3y                # how long an entry stays in force once effective
    procedure:
      notice_days: 5            # prior notice, time for a statement (告知/陈述申辩), working days
      publicity_days: 0         # public notice before the entry takes effect (公示), working days
      appeal_days: 10           # time the office has to decide an objection, working days
    repair:                     # credit repair (信用修复)
      allowed: true
      after: 1y                 # earliest repair, counted from the effective date
    measures:                   # joint reward / punishment measures and who applies them
      - id: restrict_procurement
        text_zh: 限制参与政府采购活动
        departments: [省财政厅]
    tests:                      # run by `rbl-rules test`
      - name: a revoked licence lists the subject
        as_of: 2026-06-01
        records:
          - { kind: penalty, date: 2025-01-10, category: revoke_license }
        expect: listed          # listed | not_listed
)yaml";

}  // namespace

// Issue 10: the example's `sum: { kind: penalty, within: 3y, field: amount }` was refused with
// "unknown key 'field'" and "sum needs field".
TEST_CASE("criteria: SPEC.md's example rule file loads as written and its sum works") {
    rbl::test::TempDir dir;
    dir.write("rules/food_safety.yaml", k_spec_example);
    const RuleSet rules = RuleSet::load(dir.path() / "rules");
    const auto* list = rules.list("food_safety.black.serious");
    REQUIRE(list != nullptr);
    REQUIRE(list->criteria.children.size() == 3);
    const auto& sum = list->criteria.children[2];
    CHECK(sum.type == rbl::rules::Criterion::Type::sum);
    CHECK(sum.sum_field == "amount");
    REQUIRE(sum.sum_at_least.has_value());
    CHECK(*sum.sum_at_least == rbl::util::Decimal{1000000, 0});

    // Two plain penalties (neither a revoked licence nor serious) reach 1,000,000 together.
    const auto penalty = [&](const std::string& id, const std::string& date, rbl::util::Fen fen) {
        return record(rules, id, "penalty", date, fen, "{}", "food_safety");
    };
    std::vector<SubjectRecord> records = {penalty("P1", "2025-01-10", 60000000),
                                          penalty("P2", "2026-05-01", 39999999)};
    CHECK_FALSE(judge(rules, "food_safety.black.serious", records, "2026-06-01").holds);
    records.push_back(penalty("P3", "2026-05-02", 1));
    const Verdict reached = judge(rules, "food_safety.black.serious", records, "2026-06-01");
    CHECK(reached.holds);
    CHECK(evidence_of(reached, records) == Ids{"P1", "P2", "P3"});
    // Three years before 2028-01-11 is 2025-01-11: P1 has left the window.
    CHECK_FALSE(judge(rules, "food_safety.black.serious", records, "2028-01-11").holds);

    // The example's own embedded test passes.
    const auto report = rbl::engine::run_rule_tests(rules);
    REQUIRE(report.results.size() == 1);
    CHECK(report.results[0].passed);
}

TEST_CASE("criteria: tracing gives each node's figure, threshold, margin and distance") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    const std::vector<SubjectRecord> records = {record(rules, "P1", "penalty", "2026-01-01"),
                                                record(rules, "P2", "penalty", "2026-02-01"),
                                                record(rules, "P0", "penalty", "2024-02-01")};
    const auto* list = rules.list("food.black.count3");
    CriteriaEvaluator evaluator(rules);
    evaluator.set_tracing(true);
    const Verdict two =
        evaluator.evaluate(*list, list->criteria, company(), records, {}, day("2026-06-01"));
    REQUIRE(two.trace.size() == 1);
    const auto& node = two.trace[0];
    CHECK_FALSE(node.holds);
    CHECK(node.figure == "2");
    CHECK(node.threshold == "needs ≥ 3");
    CHECK(node.margin == "short by 1");
    // One record of three missing, and no near record to make up for it.
    CHECK(node.distance == doctest::Approx(1.0 / 3.0));
    CHECK(two.distance == doctest::Approx(1.0 / 3.0));
    // Every penalty is considered; the old one is outside the window.
    REQUIRE(node.records.size() == 3);
    CHECK(node.records[2].why_not == "outside the window of 1y (from 2025-06-01)");
    CHECK_FALSE(node.records[2].taken);
    CHECK(node.records[0].taken);
    // Without tracing, no trace (the run's hot path).
    CHECK(judge(rules, "food.black.count3", records, "2026-06-01").trace.empty());
}

TEST_CASE("criteria: tracing checks each part of where, with the margin of a comparison") {
    rbl::test::TempDir dir;
    const RuleSet rules = evaluator_rules(dir);
    SubjectRecord cheap = record(rules, "N2", "penalty", "2024-01-01", 9999);
    cheap.authority = "南京市市场监督管理局";
    const std::vector<SubjectRecord> records = {cheap};
    const auto* list = rules.list("food.black.where_standard");
    CriteriaEvaluator evaluator(rules);
    evaluator.set_tracing(true);
    const Verdict verdict =
        evaluator.evaluate(*list, list->criteria, company(), records, {}, day("2026-06-01"));
    REQUIRE(verdict.trace.size() == 1);
    REQUIRE(verdict.trace[0].records.size() == 1);
    const auto& considered = verdict.trace[0].records[0];
    CHECK_FALSE(considered.taken);
    CHECK(considered.why_not == "where fails");
    REQUIRE(considered.checks.size() == 3);
    CHECK(considered.checks[0].test == "amount >= 100");
    CHECK_FALSE(considered.checks[0].holds);
    CHECK(considered.checks[0].figure == "amount = 99.99");
    CHECK(considered.checks[0].margin == "needs ≥ 100, short by 0.01");
    CHECK(considered.checks[1].holds);
    CHECK(considered.checks[2].test == "date >= date('2024-01-01')");
    CHECK(considered.checks[2].margin == "needs ≥ 2024-01-01, margin 0 days");
    // count ≥ 0 holds whatever: distance 0.
    CHECK(verdict.distance == 0.0);
    // An exists whose only record fails one of `where`'s parts: a third of the way off.
    const auto* severe = rules.list("food.black.severe");
    const std::vector<SubjectRecord> minor = {
        record(rules, "F2", "penalty", "2026-01-01", std::nullopt, R"({"severity":"minor"})")};
    const Verdict missed =
        evaluator.evaluate(*severe, severe->criteria, company(), minor, {}, day("2026-06-01"));
    CHECK_FALSE(missed.holds);
    CHECK(missed.distance == 1.0);  // one part, failed
    REQUIRE(missed.trace[0].records.size() == 1);
    CHECK(missed.trace[0].records[0].checks[0].figure == "severity = minor");
    CHECK(missed.trace[0].records[0].checks[0].margin == "needs = 'serious'");
}

namespace {

// A courts domain whose lift answers each finding by a performance of the same case.
RuleSet linked_rules(const rbl::test::TempDir& dir) {
    dir.write("rules/courts.yaml",
              "domain: courts\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nattributes:\n"
              "  case_no: text\nlists:\n"
              "  - id: courts.black.debtor\n    kind: black\n    title: T\n    title_zh: 题\n"
              "    basis: B\n    authority: A\n    validity: 2y\n"
              "    criteria:\n      exists: { kind: court_default }\n"
              "    lift:\n      linked: { kind: performed, on: case_no, within: 1y }\n");
    return RuleSet::load(dir.path() / "rules");
}

// Evaluates the debtor list's lift over `records` with the criteria's evidence as findings.
Verdict lift_of(const RuleSet& rules, const std::vector<SubjectRecord>& records,
                const std::string& as_of) {
    const auto* list = rules.list("courts.black.debtor");
    REQUIRE(list != nullptr);
    CriteriaEvaluator evaluator(rules);
    const Verdict criteria =
        evaluator.evaluate(*list, list->criteria, company(), records, {}, day(as_of));
    return evaluator.evaluate(*list, *list->lift, company(), records, {}, day(as_of),
                              criteria.evidence);
}

SubjectRecord court(const RuleSet& rules, const std::string& id, const std::string& kind,
                    const std::string& date, const std::string& case_no) {
    return record(rules, id, kind, date, std::nullopt,
                  case_no.empty() ? "{}" : "{\"case_no\":\"" + case_no + "\"}", "courts");
}

}  // namespace

TEST_CASE("criteria: linked holds when every finding is answered by a record of its case") {
    rbl::test::TempDir dir;
    const RuleSet rules = linked_rules(dir);
    const auto f1 = court(rules, "F1", "court_default", "2025-01-10", "执11号");
    const auto f2 = court(rules, "F2", "court_default", "2025-04-20", "执37号");
    const auto p1 = court(rules, "P1", "performed", "2026-03-02", "执11号");
    const auto p2 = court(rules, "P2", "performed", "2026-05-11", "执37号");

    SUBCASE("two findings, one answered: no lift, the open finding named") {
        const std::vector<SubjectRecord> records = {f1, f2, p1};
        const Verdict verdict = lift_of(rules, records, "2026-06-01");
        CHECK_FALSE(verdict.holds);
        REQUIRE(verdict.explanation.size() == 1);
        CHECK(verdict.explanation[0] ==
              "[no]  1 of 2 findings answered by 1 performed record within 1y with the same "
              "case_no (needs every finding): P1; unanswered: F2");
    }
    SUBCASE("both answered: the lift holds, its evidence the answering records") {
        const std::vector<SubjectRecord> records = {f1, f2, p1, p2};
        const Verdict verdict = lift_of(rules, records, "2026-06-01");
        CHECK(verdict.holds);
        CHECK(evidence_of(verdict, records) == Ids{"P1", "P2"});
    }
    SUBCASE("a performance of another case, or naming none, answers nothing") {
        const std::vector<SubjectRecord> records = {
            f1, court(rules, "P9", "performed", "2026-03-02", "执99号"),
            court(rules, "P0", "performed", "2026-03-02", "")};
        CHECK_FALSE(lift_of(rules, records, "2026-06-01").holds);
    }
    SUBCASE("a finding naming no case cannot be answered, even by a performance naming none") {
        const std::vector<SubjectRecord> records = {
            court(rules, "F0", "court_default", "2025-01-10", ""),
            court(rules, "P0", "performed", "2026-03-02", "")};
        CHECK_FALSE(lift_of(rules, records, "2026-06-01").holds);
    }
    SUBCASE("the answering record's window: its first day answers, the day before does not") {
        const std::vector<SubjectRecord> inside = {
            f1, court(rules, "P1", "performed", "2025-06-01", "执11号")};
        CHECK(lift_of(rules, inside, "2026-06-01").holds);
        const std::vector<SubjectRecord> outside = {
            f1, court(rules, "P1", "performed", "2025-05-31", "执11号")};
        CHECK_FALSE(lift_of(rules, outside, "2026-06-01").holds);
    }
    SUBCASE("a performance after as-of does not exist yet") {
        const std::vector<SubjectRecord> records = {f1, p1};
        CHECK_FALSE(lift_of(rules, records, "2026-03-01").holds);
        CHECK(lift_of(rules, records, "2026-03-02").holds);
    }
    SUBCASE("no findings: nothing performed, no lift") {
        const std::vector<SubjectRecord> records = {p1};
        CHECK_FALSE(lift_of(rules, records, "2026-06-01").holds);
    }
}
