#include <doctest/doctest.h>

#include <string>

#include "rbl/util/money.hpp"

using rbl::util::Decimal;
using rbl::util::format_yuan;
using rbl::util::parse_decimal;
using rbl::util::parse_yuan;

namespace {

const Decimal k_wan{10000, 0};  // a column in 万元

// The canonical text of a parsed decimal, or "error: REASON".
std::string decimal_text(std::string_view text) {
    const auto decimal = parse_decimal(text);
    return decimal ? decimal->text() : "error: " + decimal.error();
}

// The fen of a parsed amount as text, or "error: REASON".
std::string fen(std::string_view text, const Decimal& scale = Decimal{1, 0}) {
    const auto amount = parse_yuan(text, scale);
    return amount ? std::to_string(*amount) : "error: " + amount.error();
}

}  // namespace

TEST_CASE("money: parse_decimal keeps the digits exactly") {
    CHECK(parse_decimal("12.50").value().mantissa == 1250);
    CHECK(parse_decimal("12.50").value().scale == 2);
    CHECK(parse_decimal("-0.5").value().mantissa == -5);
    CHECK(parse_decimal(" 3.14 ").value().scale == 2);
    CHECK(decimal_text("12") == "12");
    CHECK(decimal_text("12.50") == "12.5");
    CHECK(decimal_text("-3.000") == "-3");
    CHECK(decimal_text("-0") == "0");
    CHECK(decimal_text("-0.00") == "0");
    CHECK(decimal_text("0.001") == "0.001");
    CHECK(decimal_text("-0.001") == "-0.001");
    CHECK(decimal_text("007.10") == "7.1");
    CHECK(decimal_text("999999999999999999") == "999999999999999999");
    CHECK(decimal_text("0.000000000000000001") == "0.000000000000000001");
    CHECK(decimal_text("1.000000000000000000000") == "1");  // zeros dropped to fit
}

TEST_CASE("money: parse_decimal rejects what is not a plain decimal") {
    const std::string reason =
        "is not a plain decimal number (digits, an optional leading '-' and "
        "'.', e.g. 1234.5)";
    for (const char* text : {"", "-", "1.", ".5", "-.5", "+1", "1,000", "1e5", "1.2.3", "1 000",
                             "--1", "0x10", "１２", "abc", "1.5-"}) {
        CAPTURE(text);
        CHECK(decimal_text(text) == "error: '" + std::string(text) + "' " + reason);
    }
    CHECK(decimal_text("1234567890123456789") ==
          "error: '1234567890123456789' has more than 18 significant digits");
    CHECK(decimal_text("0.0000000000000000001") ==
          "error: '0.0000000000000000001' has more than 18 significant digits");
}

TEST_CASE("money: decimals compare by value") {
    CHECK(Decimal{1250, 2} == Decimal{125, 1});
    CHECK(Decimal{0, 3} == Decimal{0, 0});
    CHECK(Decimal{10000, 0} == Decimal{10000, 0});
    CHECK_FALSE(Decimal{10000, 0} == Decimal{1, 0});
    CHECK_FALSE(Decimal{1, 2} == Decimal{1, 1});
    CHECK_FALSE(Decimal{-5, 1} == Decimal{5, 1});
}

TEST_CASE("money: parse_yuan turns yuan into fen") {
    CHECK(fen("0") == "0");
    CHECK(fen("-0") == "0");
    CHECK(fen("0.01") == "1");
    CHECK(fen("1234.56") == "123456");
    CHECK(fen("12.5") == "1250");
    CHECK(fen(" 100 ") == "10000");
    CHECK(fen("1.230") == "123");  // a trailing zero is not a third decimal
    CHECK(fen("92233720368547758") == "9223372036854775800");  // largest whole yuan that fits
}

TEST_CASE("money: parse_yuan rejects negative, fractional fen and too large amounts") {
    CHECK(fen("0.001") == "error: amount 0.001 has more than 2 decimals");
    CHECK(fen("1.234") == "error: amount 1.234 has more than 2 decimals");
    CHECK(fen("-1") == "error: amount -1 is negative");
    CHECK(fen("-5") == "error: amount -5 is negative");
    CHECK(fen("92233720368547759") == "error: amount 92233720368547759 is too large");
    CHECK(fen("999999999999999999") == "error: amount 999999999999999999 is too large");
}

TEST_CASE("money: parse_yuan takes commas that group the whole yuan by thousands") {
    CHECK(fen("1,000") == "100000");
    CHECK(fen("1,000.00") == "100000");
    CHECK(fen("12,345") == "1234500");
    CHECK(fen(" 1,234,567.89 ") == "123456789");
    CHECK(fen("999,999") == "99999900");
    CHECK(fen("1,000", k_wan) == "1000000000");
    CHECK(fen("-1,000") == "error: amount -1,000 is negative");
    const std::string misplaced =
        " has misplaced thousands separators (commas group the whole yuan by three digits: "
        "1,000.00 or 12,345)";
    for (const char* text : {"1,00.0", "10,00", ",100", "1000,000", "1,0000", "1,000.0,0", "1,,000",
                             "1,000,", "a,000", "1,00a"}) {
        CAPTURE(text);
        CHECK(fen(text) == "error: amount " + std::string(text) + misplaced);
    }
}

TEST_CASE("money: parse_yuan with a scale such as 万元") {
    CHECK(fen("12.5", k_wan) == "12500000");
    CHECK(fen("0.000001", k_wan) == "1");
    CHECK(fen("0", k_wan) == "0");
    CHECK(fen("0.0000001", k_wan) ==
          "error: amount 0.0000001 × 10000 is not a whole number of fen");
    CHECK(fen("-2", k_wan) == "error: amount -2 × 10000 is negative");
    CHECK(fen("9223372036854.77", k_wan) == "9223372036854770000");
    CHECK(fen("9223372036854.78", k_wan) == "error: amount 9223372036854.78 × 10000 is too large");
    CHECK(fen("999999999999999999", k_wan) ==
          "error: amount 999999999999999999 × 10000 is too large");
    CHECK(fen("1.5", Decimal{1, 1}) == "15");  // a column in 角
    // The raw product overflows 64 bits, but the value fits once trailing zeros go.
    CHECK(fen("0.576460752303423488", Decimal{152587890625, 0}) == "8796093022208");
}

TEST_CASE("money: format_yuan prints two decimals") {
    CHECK(format_yuan(123456) == "1234.56");
    CHECK(format_yuan(5) == "0.05");
    CHECK(format_yuan(0) == "0.00");
    CHECK(format_yuan(100) == "1.00");
    CHECK(format_yuan(-5) == "-0.05");
    CHECK(format_yuan(9223372036854775807) == "92233720368547758.07");
    CHECK(format_yuan(-9223372036854775807 - 1) == "-92233720368547758.08");
}

TEST_CASE("money: format_ten_thousand_yuan is exact, without trailing zeros") {
    using rbl::util::format_ten_thousand_yuan;
    CHECK(format_ten_thousand_yuan(150000000) == "150");     // 1,500,000 yuan
    CHECK(format_ten_thousand_yuan(123500000) == "123.5");
    CHECK(format_ten_thousand_yuan(1235000) == "1.235");     // 12,350 yuan
    CHECK(format_ten_thousand_yuan(12345678) == "12.345678");
    CHECK(format_ten_thousand_yuan(50) == "0.00005");        // 0.50 yuan
    CHECK(format_ten_thousand_yuan(0) == "0");
}
