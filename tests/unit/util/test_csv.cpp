#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rbl/util/csv.hpp"
#include "rbl/util/input.hpp"

using rbl::util::append_csv_field;
using rbl::util::CsvReader;
using rbl::util::CsvRow;
using rbl::util::memory_text_input;

namespace {

/// Reads every row of `text`.
std::vector<CsvRow> read_all(const std::string& text) {
    auto input = memory_text_input(text);
    CsvReader reader(*input);
    std::vector<CsvRow> rows;
    CsvRow row;
    while (reader.next(row)) {
        rows.push_back(row);
    }
    return rows;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: plain rows, LF and CRLF") {
    auto rows = read_all("a,b,c\n1,2,3\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"a", "b", "c"});
    CHECK(rows[1].fields == Fields{"1", "2", "3"});
    CHECK(rows[0].line == 1);
    CHECK(rows[1].line == 2);
    CHECK(rows[1].error.empty());

    rows = read_all("a,b\r\n1,2\r\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"a", "b"});
    CHECK(rows[1].fields == Fields{"1", "2"});
}

TEST_CASE("csv: empty fields, trailing comma, no final newline") {
    auto rows = read_all("a,,c\n,\n1,2,");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == Fields{"a", "", "c"});
    CHECK(rows[1].fields == Fields{"", ""});
    CHECK(rows[2].fields == Fields{"1", "2", ""});

    rows = read_all("x,y");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"x", "y"});

    rows = read_all("x,y\r");  // a CRLF cut short at the end of the file
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"x", "y"});

    CHECK(read_all("").empty());
    CHECK(read_all("\n\n").empty());
}

TEST_CASE("csv: a bare CR inside an unquoted field is data") {
    const auto rows = read_all("a\rb,c\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"a\rb", "c"});
}

TEST_CASE("csv: blank lines are skipped and counted") {
    const auto rows = read_all("h\n\n1\r\n\r\n2\n\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].line == 1);
    CHECK(rows[1].fields == Fields{"1"});
    CHECK(rows[1].line == 3);
    CHECK(rows[2].fields == Fields{"2"});
    CHECK(rows[2].line == 5);
}

TEST_CASE("csv: quoted fields with commas, doubled quotes and line breaks") {
    const auto rows = read_all(
        "id,note\n"
        "1,\"a, b\"\n"
        "2,\"he said \"\"hi\"\"\"\n"
        "3,\"two\nlines\"\n"
        "4,\"crlf\r\ninside\"\r\n"
        "5,\"\"\n"
        "6,\"\"\"\"\n"
        "7,end\n");
    REQUIRE(rows.size() == 8);
    CHECK(rows[1].fields == Fields{"1", "a, b"});
    CHECK(rows[2].fields == Fields{"2", "he said \"hi\""});
    CHECK(rows[3].fields == Fields{"3", "two\nlines"});
    CHECK(rows[3].line == 4);
    CHECK(rows[4].fields == Fields{"4", "crlf\r\ninside"});
    CHECK(rows[4].line == 6);
    CHECK(rows[5].fields == Fields{"5", ""});
    CHECK(rows[5].line == 8);
    CHECK(rows[6].fields == Fields{"6", "\""});
    CHECK(rows[7].fields == Fields{"7", "end"});
    CHECK(rows[7].line == 10);
    for (const auto& row : rows) {
        CHECK(row.error.empty());
    }
}

TEST_CASE("csv: a quoted empty line is a row, not a blank line") {
    const auto rows = read_all("\"\"\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{""});
}

TEST_CASE("csv: a UTF-8 BOM at the start is skipped") {
    auto rows = read_all("\xEF\xBB\xBFid,名称\n1,张三\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"id", "名称"});
    CHECK(rows[1].fields == Fields{"1", "张三"});

    rows = read_all("\xEF\xBB\xBF");
    CHECK(rows.empty());

    rows = read_all("a,\xEF\xBB\xBF\n");  // not at the start: data
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"a", "\xEF\xBB\xBF"});
}

TEST_CASE("csv: an unterminated quote at the end of input") {
    const auto rows = read_all("a,b\n1,\"open\nstill open\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].error.empty());
    CHECK(rows[1].error == "unterminated quoted field (opened on line 2)");
    CHECK(rows[1].error_column == 2);
    CHECK(rows[1].line == 2);
}

TEST_CASE("csv: text after a closing quote is an error and reading goes on") {
    const auto rows = read_all("\"ab\"c,d\n1,\"x\" ,z\n2,\"y\"\r3\nok,row\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].error == "text after closing quote");
    CHECK(rows[0].error_column == 1);
    CHECK(rows[1].error == "text after closing quote");
    CHECK(rows[1].error_column == 2);
    CHECK(rows[1].line == 2);
    CHECK(rows[2].error == "text after closing quote");
    CHECK(rows[2].line == 3);
    CHECK(rows[3].error.empty());
    CHECK(rows[3].fields == Fields{"ok", "row"});
    CHECK(rows[3].line == 4);
}

TEST_CASE("csv: a row's storage is reused and shrinks to the row") {
    auto input = memory_text_input("a,b,c\n1\n");
    CsvReader reader(*input);
    CsvRow row;
    REQUIRE(reader.next(row));
    CHECK(row.fields.size() == 3);
    REQUIRE(reader.next(row));
    CHECK(row.fields == Fields{"1"});
    CHECK_FALSE(reader.next(row));
    CHECK_FALSE(reader.next(row));
}

TEST_CASE("csv: rows across the 256 KiB buffer boundary") {
    // Rows of varied width with quoted line breaks, so that every kind of token falls on a
    // buffer boundary somewhere.
    std::string text = "\xEF\xBB\xBFid,name,note\r\n";
    const int count = 40000;
    for (int i = 0; i < count; ++i) {
        text += std::to_string(i) + ",name " + std::string(static_cast<std::size_t>(i % 13), 'x');
        text += ",\"q\"\"" + std::to_string(i) + "\r\nz\"\r\n";
    }
    REQUIRE(text.size() > 3 * 256 * 1024);
    const auto rows = read_all(text);
    REQUIRE(rows.size() == count + 1);
    bool all_right = true;
    for (int i = 0; i < count && all_right; ++i) {
        const CsvRow& row = rows[static_cast<std::size_t>(i) + 1];
        const Fields expected{std::to_string(i),
                              "name " + std::string(static_cast<std::size_t>(i % 13), 'x'),
                              "q\"" + std::to_string(i) + "\r\nz"};
        all_right = row.fields == expected && row.error.empty() &&
                    row.line == 2 + 2 * static_cast<std::uint64_t>(i);
        if (!all_right) {
            INFO("row ", i, " at line ", row.line, ": ", row.error);
            CHECK(row.fields == expected);
        }
    }
    CHECK(all_right);
}

TEST_CASE("csv: a field of 1 MB, quoted and unquoted") {
    const std::string big(1'000'000, 'a');
    const auto rows = read_all("x," + big + ",y\n\"" + big + "\",z\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields.size() == 3);
    CHECK(rows[0].fields[1] == big);
    CHECK(rows[1].fields[0] == big);
    CHECK(rows[1].fields[1] == "z");
    CHECK(rows[1].line == 2);
}

TEST_CASE("csv: a field longer than 64 MiB is refused and the row skipped") {
    const std::string huge((std::size_t{64} << 20) + 1, 'h');
    const auto rows = read_all("a,b\n1," + huge + ",3\n2,\"" + huge + "\n\",4\nok,5\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].error == "field longer than 64 MiB");
    CHECK(rows[1].error_column == 2);
    CHECK(rows[1].fields.size() == 3);
    CHECK(rows[1].fields[1].empty());
    CHECK(rows[1].fields[2].empty());  // the rest of the row is skipped
    CHECK(rows[2].error == "field longer than 64 MiB");
    CHECK(rows[2].line == 3);
    CHECK(rows[3].error.empty());
    CHECK(rows[3].fields == Fields{"ok", "5"});
    CHECK(rows[3].line == 5);
}

TEST_CASE("csv: append_csv_field quotes only when needed") {
    std::string out;
    append_csv_field(out, "plain 名称");
    out += ',';
    append_csv_field(out, "a,b");
    out += ',';
    append_csv_field(out, "say \"hi\"");
    out += ',';
    append_csv_field(out, "two\nlines");
    out += ',';
    append_csv_field(out, "cr\r");
    out += ',';
    append_csv_field(out, "");
    CHECK(out == "plain 名称,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",");

    const auto rows = read_all(out + "\n");  // and it reads back as written
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == Fields{"plain 名称", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""});
}

// The buffer size the fuzzer uses (tests/fuzz/fuzz_csv.cpp): every size reads the same rows, with
// block boundaries inside the BOM, quotes, doubled quotes and CRLF.
TEST_CASE("csv: every buffer size reads the same rows") {
    const std::string text =
        "\xEF\xBB\xBFid,name\r\n1,\"a \"\"quoted\"\", name\r\nover lines\"\r\n\r\n2,plain\r\n"
        "3,\"bad\"x,more\n4,\"unterminated";
    const auto expected = read_all(text);
    REQUIRE(expected.size() == 5);
    for (std::size_t size = 0; size <= 40; ++size) {
        CAPTURE(size);
        auto input = memory_text_input(text);
        CsvReader reader(*input, size);
        CsvRow row;
        std::size_t index = 0;
        while (reader.next(row)) {
            REQUIRE(index < expected.size());
            CHECK(row.fields == expected[index].fields);
            CHECK(row.line == expected[index].line);
            CHECK(row.error == expected[index].error);
            ++index;
        }
        CHECK(index == expected.size());
        CHECK(reader.bytes_consumed() == text.size());
    }
}
