#include <doctest/doctest.h>
#include <iconv.h>

#include <string>

#include "../temp_dir.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/input.hpp"

using rbl::util::Encoding;
using rbl::util::open_text_input;
using rbl::util::TextInput;

namespace {

/// `utf8` converted to GB18030 with the C library's iconv.
std::string to_gb18030(const std::string& utf8) {
    iconv_t converter = iconv_open("GB18030", "UTF-8");
    REQUIRE(converter != reinterpret_cast<iconv_t>(-1));
    std::string in = utf8;
    std::string out(utf8.size() * 2 + 16, '\0');
    char* in_next = in.data();
    std::size_t in_left = in.size();
    char* out_next = out.data();
    std::size_t out_left = out.size();
    const std::size_t result = iconv(converter, &in_next, &in_left, &out_next, &out_left);
    iconv_close(converter);
    REQUIRE(result != static_cast<std::size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

/// Everything `input` delivers, read `capacity` bytes at a time.
std::string read_all(TextInput& input, std::size_t capacity = 256 * 1024) {
    std::string text;
    std::string buffer(capacity, '\0');
    while (const std::size_t count = input.read(buffer.data(), buffer.size())) {
        text.append(buffer.data(), count);
    }
    return text;
}

}  // namespace

TEST_CASE("input: a UTF-8 file is read as it is") {
    const rbl::test::TempDir dir;
    const std::string text = "a,b\n名称,张三\n" + std::string(600'000, 'z');
    const auto path = dir.write("in.csv", text);
    const auto input = open_text_input(path, Encoding::utf8);
    CHECK(input->total_bytes() == text.size());
    CHECK(input->bytes_consumed() == 0);
    CHECK(read_all(*input) == text);
    CHECK(input->bytes_consumed() == text.size());
}

TEST_CASE("input: a missing file or a folder is a usage error") {
    const rbl::test::TempDir dir;
    const auto missing = dir.path() / "missing.csv";
    CHECK_THROWS_AS(open_text_input(missing, Encoding::utf8), rbl::UsageError);
    CHECK_THROWS_WITH(open_text_input(missing, Encoding::gb18030),
                      ("cannot open " + missing.string() + ": No such file or directory").c_str());
    CHECK_THROWS_AS(open_text_input(dir.path(), Encoding::utf8), rbl::UsageError);
}

TEST_CASE("input: memory input") {
    const auto input = rbl::util::memory_text_input("hello, world");
    CHECK(input->total_bytes() == 12);
    CHECK(read_all(*input, 5) == "hello, world");
    CHECK(input->bytes_consumed() == 12);
}

TEST_CASE("input: GB18030 is converted to UTF-8") {
    const rbl::test::TempDir dir;
    const std::string utf8 = "统一社会信用代码,名称\n张三,李四\n€😀\n";  // 2- and 4-byte forms
    const std::string gb = to_gb18030(utf8);
    REQUIRE(gb != utf8);
    const auto path = dir.write("gb.csv", gb);
    const auto input = open_text_input(path, Encoding::gb18030);
    CHECK(input->total_bytes() == gb.size());
    CHECK(read_all(*input) == utf8);
    CHECK(input->bytes_consumed() == gb.size());

    // Through the CSV reader, a byte at a time into a caller's buffer smaller than a character.
    const auto again = open_text_input(path, Encoding::gb18030);
    CHECK(read_all(*again, 1) == utf8);

    const auto csv_input = open_text_input(path, Encoding::gb18030);
    rbl::util::CsvReader reader(*csv_input);
    rbl::util::CsvRow row;
    REQUIRE(reader.next(row));
    CHECK(row.fields == std::vector<std::string>{"统一社会信用代码", "名称"});
    REQUIRE(reader.next(row));
    CHECK(row.fields == std::vector<std::string>{"张三", "李四"});
}

TEST_CASE("input: a GB18030 sequence split between two 256 KiB blocks") {
    const rbl::test::TempDir dir;
    const std::size_t block = 256 * 1024;
    const std::string two_byte = to_gb18030("张");
    const std::string four_byte = to_gb18030("😀");
    REQUIRE(two_byte.size() == 2);
    REQUIRE(four_byte.size() == 4);
    for (std::size_t split = 1; split <= 3; ++split) {
        const std::string& character = split == 1 ? two_byte : four_byte;
        const std::string utf8_character = split == 1 ? "张" : "😀";
        std::string gb(block - split, 'a');
        gb += character + "tail";
        const auto path = dir.write("split" + std::to_string(split) + ".csv", gb);
        const auto input = open_text_input(path, Encoding::gb18030);
        CHECK(read_all(*input) == std::string(block - split, 'a') + utf8_character + "tail");
    }
}

TEST_CASE("input: invalid GB18030 names the byte offset") {
    const rbl::test::TempDir dir;
    const std::string gb = to_gb18030("名称,") + "\xFF" + "x\n";
    const auto path = dir.write("bad.csv", gb);
    const auto input = open_text_input(path, Encoding::gb18030);
    CHECK_THROWS_WITH_AS(read_all(*input),
                         (path.string() + ": byte offset 5 is not valid GB18030").c_str(),
                         rbl::UsageError);

    const auto lone = dir.write("lone.csv", std::string("a\x80" "b"));  // 0x80 is no GB18030 byte
    const auto lone_input = open_text_input(lone, Encoding::gb18030);
    CHECK_THROWS_WITH_AS(read_all(*lone_input),
                         (lone.string() + ": byte offset 1 is not valid GB18030").c_str(),
                         rbl::UsageError);

    // A sequence cut short by the end of the file.
    const auto cut = dir.write("cut.csv", "ab" + to_gb18030("张").substr(0, 1));
    const auto cut_input = open_text_input(cut, Encoding::gb18030);
    CHECK_THROWS_WITH_AS(read_all(*cut_input),
                         (cut.string() + ": byte offset 2 is not valid GB18030").c_str(),
                         rbl::UsageError);
}

TEST_CASE("input: encoding names in any case, GBK and GB2312 read as GB18030") {
    using rbl::util::encoding_named;
    for (const char* name : {"utf-8", "UTF-8", "utf8", "Utf8", " utf-8 "}) {
        CAPTURE(name);
        CHECK(encoding_named(name) == Encoding::utf8);
    }
    for (const char* name : {"gb18030", "GB18030", "gbk", "GBK", "gb2312", "GB2312", "cp936"}) {
        CAPTURE(name);
        CHECK(encoding_named(name) == Encoding::gb18030);
    }
    for (const char* name : {"", "latin1", "utf-16", "big5", "gb"}) {
        CAPTURE(name);
        CHECK_FALSE(encoding_named(name).has_value());
    }
}
