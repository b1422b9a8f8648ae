#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/ingest/columns.hpp"
#include "rbl/ingest/row_sources.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/input.hpp"

using namespace rbl;
using ingest::ColumnCheck;
using ingest::ColumnVerdict;

namespace {

rules::RuleSet test_rules(const test::TempDir& dir) {
    dir.write("rules/courts.yaml",
              "domain: courts\ntitle: Courts\ntitle_zh: 法院\nversion: \"1\"\n"
              "attributes:\n  violence: bool\n  case_no: text\n  performance: text\n");
    dir.write("rules/tax.yaml",
              "domain: tax\ntitle: Tax\ntitle_zh: 税务\nversion: \"1\"\n"
              "attributes:\n  rating: text\n  evaded_ratio: number\n");
    return rules::RuleSet::load(dir.path() / "rules");
}

ingest::Mapping shuanggongshi() {
    ingest::Mapping mapping;
    mapping.file = "m.yaml";
    mapping.columns = {{"统一社会信用代码", "subject_id"},
                       {"罚款金额（万元）", "amount"},
                       {"行政相对人名称", "subject_name"}};
    mapping.constants = {{"domain", "courts"}};
    return mapping;
}

ColumnVerdict verdict(const ColumnCheck& check, std::string_view name,
                      std::vector<std::string_view> present = {}) {
    return check.classify(name, present).verdict;
}

std::string refusal(ColumnCheck& check, std::string_view name,
                    std::vector<std::string_view> present = {}) {
    try {
        check.check(name, present, "in.csv:1: column 1");
    } catch (const UsageError& error) {
        return error.what();
    }
    return "";
}

const std::string k_courts_header =
    "record_id,subject_id,subject_name,domain,kind,date";

}  // namespace

TEST_CASE("columns: standard, mapped and declared names are known; others unknown") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const auto mapping = shuanggongshi();
    ColumnCheck check(rules, mapping, {});
    CHECK(verdict(check, "amount") == ColumnVerdict::standard);
    CHECK(verdict(check, "罚款金额（万元）") == ColumnVerdict::mapped);
    CHECK(verdict(check, "violence") == ColumnVerdict::attribute);
    CHECK(verdict(check, "rating") == ColumnVerdict::attribute);
    CHECK(verdict(check, "note") == ColumnVerdict::unknown);
    CHECK(verdict(check, "备注") == ColumnVerdict::unknown);
}

TEST_CASE("columns: a misspelling of a known name is refused, naming it") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ColumnCheck check(rules, mapping, {});
    const auto amout = check.classify("amout", {});
    CHECK(amout.verdict == ColumnVerdict::misspelt);
    CHECK(amout.meant == "amount");
    CHECK(amout.meant_what == "a standard column");
    CHECK(amout.distance == 1);
    const auto violense = check.classify("violense", {});
    CHECK(violense.meant == "violence");
    CHECK(violense.meant_what == "an attribute of courts");
    CHECK(check.classify("subjetc_id", {}).meant == "subject_id");      // transposition
    CHECK(check.classify("evaded_rattio", {}).meant == "evaded_ratio");
    CHECK(check.classify("evaded_rates", {}).meant == "evaded_ratio");  // 2 edits, 12 characters
    CHECK(check.classify("kinds", {}).meant == "kind");
    const std::string message = refusal(check, "amout");
    CHECK(message.find("in.csv:1: column 1 'amout'") == 0);
    CHECK(message.find("'amount' (a standard column)") != std::string::npos);
    CHECK(message.find("--allow-column 'amout'") != std::string::npos);
    CHECK_FALSE(check.seen("amout"));
}

TEST_CASE("columns: look-alikes after NFKC and case folding are refused") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const auto mapping = shuanggongshi();
    ColumnCheck check(rules, mapping, {});
    const auto brackets = check.classify("罚款金额(万元)", {});
    CHECK(brackets.verdict == ColumnVerdict::misspelt);
    CHECK(brackets.meant == "罚款金额（万元）");
    CHECK(brackets.distance == 0);
    CHECK(check.classify("Amount", {}).meant == "amount");
    CHECK(check.classify("ｄａｔｅ", {}).meant == "date");
    CHECK(check.classify("amo\xE2\x80\x8Bunt", {}).meant == "amount");  // a zero-width space
    const std::string message = refusal(check, "罚款金额(万元)");
    CHECK(message.find("looks like '罚款金额（万元）' (a source column of the mapping m.yaml)") !=
          std::string::npos);
    CHECK(message.find("'(' (U+0028) where '罚款金额（万元）' has '（' (U+FF08)") !=
          std::string::npos);
    // A look-alike is refused even beside the name it imitates: a reader cannot tell them apart.
    CHECK(verdict(check, "Amount", {"amount", "Amount"}) == ColumnVerdict::misspelt);
}

TEST_CASE("columns: real, distinct names are not taken for misspellings") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const auto mapping = shuanggongshi();
    ColumnCheck check(rules, mapping, {});
    // Two Chinese characters apart is another column of the 双公示 layout.
    CHECK(verdict(check, "行政相对人类别") == ColumnVerdict::unknown);
    // Short names: two edits are another word.
    CHECK(verdict(check, "note") == ColumnVerdict::unknown);
    CHECK(verdict(check, "name") == ColumnVerdict::unknown);
    CHECK(verdict(check, "reason") == ColumnVerdict::unknown);   // region, 2 edits, 6 characters
    CHECK(verdict(check, "case_id") == ColumnVerdict::unknown);  // case_no, 2 edits, 7 characters
    CHECK(verdict(check, "performed") == ColumnVerdict::unknown);
    // One edit from a column the file has is a column of its own.
    CHECK(verdict(check, "rate") == ColumnVerdict::misspelt);
    CHECK(verdict(check, "rate", {"date", "rate"}) == ColumnVerdict::unknown);
}

TEST_CASE("columns: --allow-column accepts a name on purpose, still listed as unknown") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ColumnCheck check(rules, mapping, {"amout", "unused"});
    CHECK(refusal(check, "amout").empty());
    CHECK(refusal(check, "note").empty());
    CHECK(check.unknown_columns() == std::vector<std::string>{"amout", "note"});
    CHECK(check.unknown_column_warning("in.csv", "amout").empty());
    CHECK(check.unknown_column_warning("in.csv", "note").find("in.csv: column 'note'") == 0);
    CHECK(check.unused_allowed() == std::vector<std::string>{"unused"});
}

TEST_CASE("columns: a declared attribute is known only when its domain is in the file") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ColumnCheck check(rules, mapping, {});
    for (const char* name : {"record_id", "violence", "rating", "note"}) {
        check.check(name, {}, "in.csv:1");
    }
    CHECK(check.unknown_columns() == std::vector<std::string>{"violence", "rating", "note"});
    check.saw_domain(" courts ");
    CHECK(check.unknown_columns() == std::vector<std::string>{"rating", "note"});
    check.saw_domain("no_such_domain");
    check.saw_domain("tax");
    CHECK(check.unknown_columns() == std::vector<std::string>{"note"});
    CHECK(check.unknown_column_warning("in.csv", "note").find("not an attribute of courts, tax") !=
          std::string::npos);
}

TEST_CASE("columns: the CSV header is checked at once, mapped columns must be there") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping none;
    {
        ColumnCheck check(rules, none, {});
        auto input = util::memory_text_input(k_courts_header + ",amout\n");
        CHECK_THROWS_WITH_AS(ingest::open_csv_rows(*input, none, "in.csv", check),
                             doctest::Contains("in.csv:1: column 7 'amout'"), UsageError);
    }
    {
        // The check sees trimmed names, and the rows' domains.
        ColumnCheck check(rules, none, {});
        auto input = util::memory_text_input(k_courts_header + ", violence ,note\n"
                                             "R1,S,N,courts,k,2025-01-01,true,x\n");
        auto rows = ingest::open_csv_rows(*input, none, "in.csv", check);
        CHECK(check.unknown_columns() == std::vector<std::string>{"violence", "note"});
        ingest::SourceRow row;
        REQUIRE(rows->next(row));
        CHECK(check.unknown_columns() == std::vector<std::string>{"note"});
    }
    {
        const auto mapping = shuanggongshi();
        ColumnCheck check(rules, mapping, {});
        auto input = util::memory_text_input(
            "record_id,统一社会信用代码,行政相对人名称,kind,date\n");
        CHECK_THROWS_WITH_AS(
            ingest::open_csv_rows(*input, mapping, "in.csv", check),
            doctest::Contains("the mapping m.yaml maps the column '罚款金额（万元）' (to 'amount'), "
                              "which in.csv does not have"),
            UsageError);
    }
    {
        const auto mapping = shuanggongshi();
        ColumnCheck check(rules, mapping, {});
        auto input = util::memory_text_input(
            "record_id,统一社会信用代码,行政相对人名称,kind,date,罚款金额(万元)\n");
        CHECK_THROWS_WITH_AS(ingest::open_csv_rows(*input, mapping, "in.csv", check),
                             doctest::Contains("column 6 '罚款金额(万元)' looks like"), UsageError);
    }
}

TEST_CASE("columns: JSON Lines names are checked the first time a line uses them") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping none;
    ColumnCheck check(rules, none, {});
    auto input = util::memory_text_input(
        "{\"record_id\": \"R1\", \"domain\": \"tax\", \"note\": 1}\n"
        "{\"record_id\": \"R2\", \"domain\": \"tax\", \"note\": 2, \"attrs\": {\"rating\": \"A\"}}\n"
        "{\"record_id\": \"R3\", \"domain\": \"tax\", \"amout\": 3}\n");
    auto rows = ingest::open_jsonl_rows(*input, none, "in.jsonl", check);
    ingest::SourceRow row;
    REQUIRE(rows->next(row));
    REQUIRE(rows->next(row));
    CHECK(check.unknown_columns() == std::vector<std::string>{"note"});
    CHECK_THROWS_WITH_AS(rows->next(row), doctest::Contains("in.jsonl:3: the name 'amout'"),
                         UsageError);
}
