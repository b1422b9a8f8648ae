#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "rbl/util/text_table.hpp"

using rbl::util::display_width;
using rbl::util::pad_to_width;
using rbl::util::TextTable;

TEST_CASE("display_width counts wide and fullwidth characters as two columns") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("王小明") == 6);
    CHECK(display_width("南京市某某科技有限公司") == 22);
    CHECK(display_width("ＡＢ") == 4);           // fullwidth Latin letters
    CHECK(display_width("（万元）") == 8);       // fullwidth brackets
    CHECK(display_width("e\u0301") == 1);        // a combining accent takes no column
    CHECK(display_width("\u3000") == 2);         // ideographic space
    CHECK(display_width("a王b") == 4);
    CHECK(display_width("\xFF") == 1);           // an invalid byte still takes one column
}

namespace {

// The display column at which `needle` starts in `line`.
std::size_t column_of(const std::string& line, const std::string& needle) {
    const auto at = line.find(needle);
    REQUIRE(at != std::string::npos);
    return display_width(line.substr(0, at));
}

}  // namespace

TEST_CASE("TextTable lines up columns of Chinese and Latin text by display width") {
    TextTable table({"list", "subject", "name", "status"});
    table.add_row({"courts.black", "91320100MA1XXXXX0X", "南京市某某科技有限公司", "notice"});
    table.add_row({"tax.red", "11010519491231002X", "Acme Ltd", "effective"});
    table.add_row({"labour.black", "320102", "王小明", "publicity"});
    const std::string text = table.render();
    std::istringstream lines(text);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);) {
        rows.push_back(line);
    }
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].starts_with("list "));
    CHECK(column_of(rows[1], "notice") == column_of(rows[0], "status"));
    CHECK(column_of(rows[2], "effective") == column_of(rows[0], "status"));
    CHECK(column_of(rows[3], "publicity") == column_of(rows[0], "status"));
    CHECK(column_of(rows[3], "王小明") == column_of(rows[0], "name"));
    CHECK(rows[1].back() != ' ');  // the last column is not padded
}

TEST_CASE("TextTable aligns counts to the right and refuses a short row") {
    TextTable table({"list", "created"});
    table.align_right(1);
    table.add_row({"a", "7"});
    table.add_row({"b", "1234"});
    CHECK(table.render() == "list  created\na           7\nb        1234\n");
    CHECK_THROWS(table.add_row({"only one"}));
}

TEST_CASE("pad_to_width pads by display width and never cuts") {
    CHECK(pad_to_width("ab", 4) == "ab  ");
    CHECK(pad_to_width("王科长", 8) == "王科长  ");
    CHECK(pad_to_width("王科长", 4) == "王科长");
}

TEST_CASE("truncate_to_width cuts by display width and ends in an ellipsis") {
    using rbl::util::truncate_to_width;
    CHECK(truncate_to_width("abcdef", 6) == "abcdef");
    CHECK(truncate_to_width("abcdef", 4) == "abc…");
    CHECK(truncate_to_width("南京市某某公司", 7) == "南京市…");  // 6 columns and the ellipsis
    CHECK(truncate_to_width("南京市某某公司", 8) == "南京市…");  // a wide character never straddles
    CHECK(display_width(truncate_to_width("南京市某某公司", 8)) <= 8);
    CHECK(truncate_to_width("abc", 0).empty());
}

TEST_CASE("a table is cut to a maximum width, its counts never") {
    TextTable table({"entry", "name", "list"});
    table.align_right(0);
    table.add_row({"12345", "南京市某某科技有限公司南京分公司", "market.black.serious"});
    table.add_row({"7", "甲", "tax.black.major_violation"});
    const std::string whole = table.render();
    CHECK(whole == table.render(0));
    std::istringstream lines(table.render(40));
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        ++count;
        CHECK(display_width(line) <= 40);
        if (count == 2) {
            CHECK(line.starts_with("12345  "));
            CHECK(line.find("…") != std::string::npos);
        }
    }
    CHECK(count == 3);
    // Wide enough: as without a limit.
    CHECK(table.render(200) == whole);
    // Too narrow to fit: every cuttable column at its minimum, the counts whole.
    std::istringstream narrow(table.render(10));
    std::getline(narrow, line);
    std::getline(narrow, line);
    CHECK(line.starts_with("12345  "));
}
