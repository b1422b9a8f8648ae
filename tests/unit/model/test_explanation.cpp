#include "rbl/model/explanation.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbl;
using model::Clause;
using i18n::Language;

namespace {

Clause count_clause() {
    Clause clause;
    clause.kind = Clause::Kind::count;
    clause.depth = 1;
    clause.holds = false;
    clause.selection = {.count = 2,
                        .kinds = {"penalty"},
                        .any_domain = false,
                        .domains = {},
                        .within = "1y",
                        .where = "amount >= 10000"};
    clause.at_least.emplace("3");
    clause.records = {"P1", "P2"};
    return clause;
}

// The explanation of a court listing as rbl writes it, one line of each kind.
const std::string k_text =
    "[yes] all of:\n"
    "  [yes] subject: age >= 18 (age 41)\n"
    "  [no]  not:\n"
    "    [no]  has a pending or effective entry on a red list of any domain\n"
    "  [yes] 1 court_default record in courts/tax within 2y where circumstance == 'x (needs ≥ "
    "9)' (needs ≥ 1): (2025)苏01执1号\n"
    "  [yes] sum of amount is 120.50 over 2 any records in any domain (needs 100 to 200): A, B\n"
    "  [no]  1 of 2 findings answered by 1 performed record with the same case_no (needs every "
    "finding): P; unanswered: F2\n"
    "term: 2y from F1 dated 2025-06-10, + extension 1y: expires 2028-06-10\n"
    "term: none fixed (in force until lifted, repaired or revoked)\n"
    "term: none fixed, F1 meets \"circumstance == 'refuse'\" (in force until lifted, repaired or "
    "revoked)\n"
    "term: 1y from the effective date, + extension 6m of F3: expires 2027-09-01\n";

}  // namespace

TEST_CASE("explanation: a count clause in English is the text rbl stores, and in Chinese") {
    const Clause clause = count_clause();
    CHECK(model::words(clause, Language::en) ==
          "  [no]  2 penalty records within 1y where amount >= 10000 (needs ≥ 3): P1, P2");
    CHECK(model::words(clause, Language::zh) ==
          "  [否] 1 年内符合 amount >= 10000 的 penalty 记录 2 条（须 ≥ 3）：P1、P2");
    CHECK(model::summary(clause, Language::en) ==
          "2 penalty records within 1y where amount >= 10000");
}

TEST_CASE("explanation: bounds and windows in both languages") {
    CHECK(model::bounds(std::string("1"), std::string("2"), Language::en) == "needs 1 to 2");
    CHECK(model::bounds(std::nullopt, std::string("2"), Language::en) == "needs ≤ 2");
    CHECK(model::bounds(std::string("1"), std::string("2"), Language::zh) == "须为 1 至 2");
    CHECK(model::window_words("6m", Language::zh) == "6 个月");
    CHECK(model::window_words("90d", Language::zh) == "90 天");
    CHECK(model::window_words("3y", Language::en) == "3y");
}

TEST_CASE("explanation: stored text reads back into clauses, each line to its very text") {
    const std::vector<Clause> clauses = model::clauses_from_text(k_text);
    REQUIRE(clauses.size() == 11);
    for (const Clause& clause : clauses) {
        CAPTURE(clause.text);
        CHECK(clause.kind != Clause::Kind::text);
    }
    CHECK(model::words(clauses, Language::en) == k_text);
    // The condition's own "(needs ≥ 9)" is part of the condition, not the bounds.
    CHECK(clauses[4].selection.where == "circumstance == 'x (needs ≥ 9)'");
    CHECK(clauses[4].selection.domains == std::vector<std::string>{"courts", "tax"});
    CHECK(clauses[4].at_least == "1");
    CHECK(clauses[5].selection.any_domain);
    CHECK(clauses[5].total == "120.50");
    CHECK(clauses[6].unanswered == std::vector<std::string>{"F2"});
    CHECK(clauses[7].extension == "1y");
    CHECK(clauses[10].record == "F3");
    CHECK(clauses[1].age == 41);
}

TEST_CASE("explanation: the data survives JSON and gives the same words") {
    const std::vector<Clause> clauses = model::clauses_from_text(k_text);
    const auto again = model::clauses_from_json(model::to_json(clauses).dump());
    REQUIRE(again.has_value());
    CHECK(model::words(*again, Language::en) == k_text);
    CHECK(model::words(*again, Language::zh) == model::words(clauses, Language::zh));
    CHECK_FALSE(model::clauses_from_json("{\"kind\": \"count\"}").has_value());
    CHECK_FALSE(model::clauses_from_json("[{\"kind\": \"nonsense\"}]").has_value());
    CHECK_FALSE(model::clauses_from_json("not json").has_value());
}

TEST_CASE("explanation: each kind in Chinese") {
    const std::string chinese = model::words(model::clauses_from_text(k_text), Language::zh);
    CHECK(chinese.find("[是] 以下全部成立：") != std::string::npos);
    CHECK(chinese.find("[是] 主体：age >= 18（年龄 41）") != std::string::npos);
    CHECK(chinese.find("[否] 在任何领域的红名单上有待生效或有效的条目") != std::string::npos);
    CHECK(chinese.find("2 年内 courts、tax 领域中符合") != std::string::npos);
    CHECK(chinese.find("任何领域中记录 2 条，amount 合计 120.50（须为 100 至 200）：A、B") !=
          std::string::npos);
    CHECK(chinese.find("2 项认定事实中有 1 项由具有相同 case_no 的 performed 记录 1 条回应"
                       "（须全部回应）：P；未回应：F2") != std::string::npos);
    CHECK(chinese.find("期限：自 F1（2025-06-10），另加 extension 1 年起 2 年，2028-06-10 期满") !=
          std::string::npos);
    CHECK(chinese.find("期限：不设固定期限（在移出、信用修复或撤销之前一直有效）") !=
          std::string::npos);
}

TEST_CASE("explanation: a line that does not read back is kept as it is") {
    const std::string odd = "[yes] something rbl never wrote (needs ≥ x\n";
    const auto clauses = model::clauses_from_text(odd);
    REQUIRE(clauses.size() == 1);
    CHECK(clauses[0].kind == Clause::Kind::text);
    CHECK(model::words(clauses, Language::en) == odd);
    CHECK(model::words(clauses, Language::zh) == odd);
}

TEST_CASE("explanation: the reason in a language, from data or from text") {
    const std::string data = model::to_json({count_clause()}).dump();
    const std::string text = model::words(std::vector<Clause>{count_clause()}, Language::en);
    CHECK(model::explanation_words(text, data, Language::en) == text);
    CHECK(model::explanation_words(text, data, Language::zh).starts_with("  [否] 1 年内"));
    CHECK(model::explanation_words(text, "", Language::zh) ==
          model::explanation_words(text, data, Language::zh));
}
