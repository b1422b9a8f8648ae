#include <doctest/doctest.h>

#include <string>

#include "rbl/util/text.hpp"

using rbl::util::find_invalid_utf8;
using rbl::util::looks_binary;
using rbl::util::to_upper_ascii;
using rbl::util::trim;

TEST_CASE("text: valid UTF-8 is accepted") {
    CHECK_FALSE(find_invalid_utf8("").has_value());
    CHECK_FALSE(find_invalid_utf8("plain ASCII text, long enough for the 8-byte path").has_value());
    CHECK_FALSE(find_invalid_utf8("北京市朝阳区市场监督管理局").has_value());
    CHECK_FALSE(find_invalid_utf8("\xC2\x80 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBF").has_value());
    CHECK_FALSE(find_invalid_utf8("\xED\x9F\xBF \xEE\x80\x80").has_value());  // around surrogates
    CHECK_FALSE(
        find_invalid_utf8("\xF0\x90\x80\x80 \xF4\x8F\xBF\xBF").has_value());  // U+10000, U+10FFFF
    CHECK_FALSE(find_invalid_utf8(std::string("nul \0 is valid", 15)).has_value());
}

TEST_CASE("text: invalid UTF-8 is found at the start of the bad sequence") {
    CHECK(find_invalid_utf8("\xC0\x80") == 0u);          // overlong NUL
    CHECK(find_invalid_utf8("ab\xC1\xBF") == 2u);        // overlong
    CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0u);      // overlong three-byte form
    CHECK(find_invalid_utf8("\xF0\x8F\xBF\xBF") == 0u);  // overlong four-byte form
    CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1u);     // surrogate U+D800
    CHECK(find_invalid_utf8("\xED\xBF\xBF") == 0u);      // surrogate U+DFFF
    CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
    CHECK(find_invalid_utf8("\xF5\x80\x80\x80") == 0u);  // lead byte beyond F4
    CHECK(find_invalid_utf8("\xFF") == 0u);
    CHECK(find_invalid_utf8("中\xE4\xB8") == 3u);    // truncated at the end
    CHECK(find_invalid_utf8("\xE4\xB8x") == 0u);     // truncated before ASCII
    CHECK(find_invalid_utf8("\xF0\x9F\x98") == 0u);  // truncated four-byte form
    CHECK(find_invalid_utf8("abc\x80") == 3u);       // stray continuation byte
    CHECK(find_invalid_utf8("\xC3\xA9\xA9") == 2u);  // continuation after a full sequence
}

namespace {

// The UTF-8 encoding of a code point, also for surrogates (which makes it invalid).
std::string encode(char32_t code_point) {
    const auto byte = [](unsigned value) { return static_cast<char>(value); };
    if (code_point < 0x80) {
        return {byte(code_point)};
    }
    if (code_point < 0x800) {
        return {byte(0xC0 | (code_point >> 6)), byte(0x80 | (code_point & 0x3F))};
    }
    if (code_point < 0x10000) {
        return {byte(0xE0 | (code_point >> 12)), byte(0x80 | ((code_point >> 6) & 0x3F)),
                byte(0x80 | (code_point & 0x3F))};
    }
    return {byte(0xF0 | (code_point >> 18)), byte(0x80 | ((code_point >> 12) & 0x3F)),
            byte(0x80 | ((code_point >> 6) & 0x3F)), byte(0x80 | (code_point & 0x3F))};
}

}  // namespace

TEST_CASE("text: every scalar value is valid UTF-8 and every surrogate is not") {
    for (char32_t code_point = 0; code_point <= 0x10FFFF; ++code_point) {
        const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
        const std::string encoded = encode(code_point);
        REQUIRE(find_invalid_utf8(encoded).has_value() == surrogate);
        // Cut short, a multi-byte sequence is invalid.
        if (encoded.size() > 1) {
            REQUIRE(find_invalid_utf8(encoded.substr(0, encoded.size() - 1)) == 0u);
        }
    }
    // Overlong encodings of the ASCII and two-byte ranges.
    for (unsigned value = 0; value < 0x80; ++value) {
        const std::string overlong = {static_cast<char>(0xC0 | (value >> 6)),
                                      static_cast<char>(0x80 | (value & 0x3F))};
        REQUIRE(find_invalid_utf8(overlong) == 0u);
    }
    for (unsigned value = 0; value < 0x800; ++value) {
        const std::string overlong = {static_cast<char>(0xE0),
                                      static_cast<char>(0x80 | (value >> 6)),
                                      static_cast<char>(0x80 | (value & 0x3F))};
        REQUIRE(find_invalid_utf8(overlong) == 0u);
    }
}

TEST_CASE("text: invalid UTF-8 is found after a long ASCII run") {
    const std::string ascii(37, 'a');
    CHECK(find_invalid_utf8(ascii + "\xC0\x80" + ascii) == 37u);
    CHECK(find_invalid_utf8(ascii + "\xE4\xB8\xAD" + ascii + "\xED\xA0\x80") == 77u);
    CHECK(find_invalid_utf8(std::string(16, 'b') + "\x80") == 16u);
}

TEST_CASE("text: trim removes ASCII blanks and ideographic spaces at both ends") {
    CHECK(trim("  a b \t\r\n") == "a b");
    CHECK(trim("\xE3\x80\x80 名称\xE3\x80\x80") == "名称");
    CHECK(trim("\xE3\x80\x80\xE3\x80\x80") == "");
    CHECK(trim("") == "");
    CHECK(trim("   ") == "");
    CHECK(trim("a\xE3\x80\x80"
               "b") ==
          "a\xE3\x80\x80"
          "b");                             // inner spaces stay
    CHECK(trim("\xE3\x80") == "\xE3\x80");  // not a whole U+3000
}

TEST_CASE("text: to_upper_ascii changes only ASCII letters") {
    CHECK(to_upper_ascii("91110000x00000000y") == "91110000X00000000Y");
    CHECK(to_upper_ascii("abc-XYZ_09") == "ABC-XYZ_09");
    CHECK(to_upper_ascii("中文é") == "中文é");
}

TEST_CASE("text: looks_binary sees a NUL byte") {
    CHECK(looks_binary(std::string("PK\x03\x04\0\0", 6)));
    CHECK_FALSE(looks_binary("subject_id,kind,date\n"));
    CHECK_FALSE(looks_binary(""));
}

TEST_CASE("text: abbreviate cuts long text at a character boundary") {
    using rbl::util::abbreviate;
    CHECK(abbreviate("short", 10) == "short");
    CHECK(abbreviate("exactly10!", 10) == "exactly10!");
    CHECK(abbreviate("longer than ten", 10) == "longer tha…");
    CHECK(abbreviate("江苏省南京市", 3) == "江苏省…");
    CHECK(abbreviate("", 0).empty());
    CHECK(abbreviate("x", 0) == "…");
}

TEST_CASE("text: escape_html writes the four characters HTML gives meaning to, and nothing else") {
    CHECK(rbl::util::escape_html(R"(<a href="x">Tom & 杰瑞</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; 杰瑞&lt;/a&gt;");
    CHECK(rbl::util::escape_html("it's 100% plain") == "it's 100% plain");
    CHECK(rbl::util::escape_html("").empty());
}
