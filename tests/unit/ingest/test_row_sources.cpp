#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../market_rules.hpp"
#include "../temp_dir.hpp"
#include "rbl/ingest/columns.hpp"
#include "rbl/ingest/row_sources.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/input.hpp"

using namespace rbl;
using ingest::Column;
using ingest::SourceRow;

namespace {

// A 双公示 file's Chinese headers, and the domain and kind as constants.
ingest::Mapping shuanggongshi() {
    ingest::Mapping mapping;
    mapping.file = "m.yaml";
    mapping.columns = {{"决定书文号", "record_id"},
                       {"统一社会信用代码", "subject_id"},
                       {"行政相对人名称", "subject_name"},
                       {"处罚决定日期", "date"}};
    mapping.constants = {{"domain", "market"}, {"kind", "penalty"}};
    return mapping;
}

// The row's fields as "source>name=value", in order.
std::vector<std::string> fields_of(const SourceRow& row) {
    std::vector<std::string> out;
    for (const ingest::Field& field : row.fields) {
        out.push_back(std::string(field.source_name) + ">" + std::string(field.name) + "=" +
                      std::string(field.value));
    }
    return out;
}

// A source over `bytes`, with the input and the column check it reads through.
struct Source {
    std::unique_ptr<util::TextInput> input;
    ingest::ColumnCheck columns;
    std::unique_ptr<ingest::RowSource> rows;

    Source(const rules::RuleSet& rules, const ingest::Mapping& mapping, const std::string& bytes,
           bool csv)
        : input(util::memory_text_input(bytes)), columns(rules, mapping, {}) {
        rows = csv ? ingest::open_csv_rows(*input, mapping, "in", columns)
                   : ingest::open_jsonl_rows(*input, mapping, "in", columns);
    }
};

const std::string k_header = "record_id,subject_id,subject_name,domain,kind,date,category\n";

}  // namespace

TEST_CASE("row sources: CSV rows as named fields, quoted fields across lines") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const ingest::Mapping none;
    Source source(rules, none,
                  k_header + "R1,91320106MA109Y0356,\"南京华泰, 建设\",market,penalty,2025-02-25,"
                             "fine\r\n"
                             "R2,91320106MA109Y0356,\"two\nlines\",market,penalty,2025-03-01,\n"
                             "R3,91320106MA109Y0356,N,market,penalty,2025-03-02,x\n",
                  true);
    SourceRow row;
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 2);
    CHECK_FALSE(row.problem.has_value());
    CHECK(fields_of(row) == std::vector<std::string>{
                                "record_id>record_id=R1", "subject_id>subject_id=91320106MA109Y0356",
                                "subject_name>subject_name=南京华泰, 建设", "domain>domain=market",
                                "kind>kind=penalty", "date>date=2025-02-25",
                                "category>category=fine"});
    CHECK(row.fields[1].column == Column::subject_id);
    CHECK(row.fields[6].column == Column::attribute);
    CHECK(source.rows->original_fields()[2] == "南京华泰, 建设");
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 3);
    CHECK(row.fields[2].value == "two\nlines");
    CHECK(row.fields[6].value.empty());
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 5);  // the row before took two lines
    CHECK_FALSE(source.rows->next(row));
    CHECK(source.rows->original_header() ==
          std::vector<std::string>{"record_id", "subject_id", "subject_name", "domain", "kind",
                                   "date", "category"});
}

TEST_CASE("row sources: a CSV header is mapped, and the mapping's constants join every row") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const auto mapping = shuanggongshi();
    Source source(rules, mapping,
                  "\xEF\xBB\xBF行政相对人名称,统一社会信用代码,决定书文号, 处罚决定日期 \n"
                  "南京华泰,91320106MA109Y0356,宁建罚字〔2025〕143号,2025/2/25\n",
                  true);
    // The file's own names, trimmed and without the BOM, for the rejects file.
    CHECK(source.rows->original_header() ==
          std::vector<std::string>{"行政相对人名称", "统一社会信用代码", "决定书文号",
                                   "处罚决定日期"});
    SourceRow row;
    REQUIRE(source.rows->next(row));
    CHECK(fields_of(row) ==
          std::vector<std::string>{"行政相对人名称>subject_name=南京华泰",
                                   "统一社会信用代码>subject_id=91320106MA109Y0356",
                                   "决定书文号>record_id=宁建罚字〔2025〕143号",
                                   "处罚决定日期>date=2025/2/25", "domain>domain=market",
                                   "kind>kind=penalty"});
    CHECK(row.fields[0].column == Column::subject_name);
    CHECK(row.fields[4].column == Column::domain);
}

TEST_CASE("row sources: CSV rows of the wrong shape carry a problem, the header throws") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const ingest::Mapping none;
    {
        Source source(rules, none,
                      k_header + "R1,91320106MA109Y0356,N,market\n"
                                 "R2,91320106MA109Y0356,\"N\"x,market,penalty,2025-03-01,\n"
                                 "R3,91320106MA109Y0356,\"never closed,market,penalty,2025\n",
                      true);
        SourceRow row;
        REQUIRE(source.rows->next(row));
        REQUIRE(row.problem.has_value());
        CHECK(row.problem->column.empty());
        CHECK(row.problem->reason == "the row has 4 fields, the header has 7");
        CHECK(row.fields.empty());
        REQUIRE(source.rows->next(row));
        REQUIRE(row.problem.has_value());
        CHECK(row.problem->column == "subject_name");
        CHECK(row.problem->reason == "text after closing quote");
        REQUIRE(source.rows->next(row));
        CHECK(row.line == 4);
        REQUIRE(row.problem.has_value());
        CHECK(row.problem->reason == "unterminated quoted field (opened on line 4)");
        CHECK_FALSE(source.rows->next(row));
    }
    CHECK_THROWS_WITH_AS(Source(rules, none, "", true), doctest::Contains("in is empty"),
                         UsageError);
    CHECK_THROWS_WITH_AS(Source(rules, none, "record_id,subject_id,subject_name,kind,date\n", true),
                         doctest::Contains("in:1: missing required column 'domain'"),
                         UsageError);
    CHECK_THROWS_WITH_AS(
        Source(rules, none, "record_id,subject_id,subject_name,domain,kind,date,date\n", true),
        doctest::Contains("column 7 'date' gives 'date' a second time"), UsageError);
    const auto mapping = shuanggongshi();
    CHECK_THROWS_WITH_AS(
        Source(rules, mapping, "决定书文号,统一社会信用代码,行政相对人名称,处罚决定日期,domain\n",
               true),
        doctest::Contains("column 5 'domain' gives 'domain' a second time"), UsageError);
}

TEST_CASE("row sources: JSON Lines rows, nested attrs, blank lines skipped but counted") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const ingest::Mapping none;
    Source source(rules, none,
                  "{\"record_id\":\"J1\",\"amount\":12.50,\"attrs\":{\"category\":\"fine\"}}\n"
                  "   \n"
                  "\n"
                  "{\"record_id\":\"J2\",\"domain\":\"market\",\"fine_level\":2}\n",
                  false);
    SourceRow row;
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 1);
    CHECK_FALSE(row.problem.has_value());
    CHECK(fields_of(row) == std::vector<std::string>{"record_id>record_id=J1",
                                                     "amount>amount=12.50",
                                                     "category>category=fine"});
    CHECK(row.fields[1].column == Column::amount);
    CHECK(row.fields[2].column == Column::attribute);
    CHECK(source.rows->original_header() == std::vector<std::string>{"json"});
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 4);
    CHECK(fields_of(row) == std::vector<std::string>{"record_id>record_id=J2",
                                                     "domain>domain=market",
                                                     "fine_level>fine_level=2"});
    CHECK(source.rows->original_fields() ==
          std::vector<std::string>{"{\"record_id\":\"J2\",\"domain\":\"market\",\"fine_level\":2}"});
    CHECK_FALSE(source.rows->next(row));
}

TEST_CASE("row sources: a truncated or malformed JSON line is a problem of its row only") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const auto mapping = shuanggongshi();
    Source source(rules, mapping,
                  "{\"决定书文号\":\"J1\",\"统一社会信用代码\":\"91320106MA109Y0356\"\n"
                  "[1, 2]\n"
                  "{\"决定书文号\":\"J3\",\"kind\":\"award\"}\n"
                  "{\"决定书文号\":\"J4\",\"record_id\":\"J4\"}\n"
                  "{\"attrs\":{\"record_id\":\"J5\"}}\n"
                  "{\"a\":\"\xFF\"}\n"
                  "{\"决定书文号\":\"J7\"}\n",
                  false);
    SourceRow row;
    const auto problem = [&](std::uint64_t line) {
        REQUIRE(source.rows->next(row));
        CHECK(row.line == line);
        REQUIRE(row.problem.has_value());
        return *row.problem;
    };
    CHECK(problem(1).reason.starts_with("invalid JSON"));
    CHECK(problem(2).reason == "the line is a JSON array, not an object");
    const auto constant = problem(3);
    CHECK(constant.column == "kind");
    CHECK(constant.reason == "'kind' is set by the mapping's constants and may not be given in "
                             "the row");
    const auto twice = problem(4);
    CHECK(twice.column == "record_id");
    CHECK(twice.reason == "'record_id' is given twice in the row (after mapping)");
    CHECK(problem(5).reason == "'record_id' is a standard column and may not be inside attrs");
    CHECK(problem(6).reason == "byte 7 is not valid UTF-8");
    // The next good line is read as usual, with the constants.
    REQUIRE(source.rows->next(row));
    CHECK_FALSE(row.problem.has_value());
    CHECK(fields_of(row) == std::vector<std::string>{"决定书文号>record_id=J7",
                                                     "domain>domain=market", "kind>kind=penalty"});
}

TEST_CASE("row sources: CSV rows of empty fields are skipped and counted, not rows") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const ingest::Mapping none;
    Source source(rules, none,
                  k_header + ",,,,,,\n"
                             "R1,91320106MA109Y0356,N,market,penalty,2025-03-02,x\n"
                             " , ,\n"
                             "\"\",,,,,,\n"
                             ",,,,,,\n",
                  true);
    SourceRow row;
    REQUIRE(source.rows->next(row));
    CHECK(row.line == 3);
    CHECK(source.rows->blank_rows() == 1);
    CHECK_FALSE(source.rows->next(row));
    CHECK(source.rows->blank_rows() == 4);
}
