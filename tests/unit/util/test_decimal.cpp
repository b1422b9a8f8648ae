#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "rbl/util/decimal.hpp"

using rbl::util::Decimal;
using rbl::util::WideDecimal;
using rbl::util::WideInteger;

namespace {

constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t k_min = std::numeric_limits<std::int64_t>::min();

// A result as its canonical text and scale ("1.75@2"), or "null".
std::string shown(const std::optional<Decimal>& result) {
    if (!result) {
        return "null";
    }
    return result->text() + "@" + std::to_string(result->scale);
}

Decimal d(std::string_view text) { return rbl::util::parse_decimal(text).value(); }

}  // namespace

TEST_CASE("decimal: arithmetic is exact while the result fits") {
    CHECK(shown(rbl::util::add(d("0.1"), d("0.2"))) == "0.3@1");
    CHECK(shown(rbl::util::add(d("1.5"), d("0.25"))) == "1.75@2");
    CHECK(shown(rbl::util::subtract(d("1"), d("0.001"))) == "0.999@3");
    CHECK(shown(rbl::util::subtract(d("-2.5"), d("-2.5"))) == "0@1");
    CHECK(shown(rbl::util::multiply(d("1.5"), d("1.5"))) == "2.25@2");
    CHECK(shown(rbl::util::multiply(d("-0.001"), d("1000"))) == "-1@3");
    CHECK(shown(rbl::util::negate(d("-12.50"))) == "12.5@2");
    CHECK(shown(rbl::util::add(Decimal{k_max - 1, 0}, Decimal{1, 0})) ==
          std::to_string(k_max) + "@0");
    CHECK(shown(rbl::util::subtract(Decimal{k_min + 1, 0}, Decimal{1, 0})) ==
          std::to_string(k_min) + "@0");
    CHECK(shown(rbl::util::divide(d("1"), d("4"), 12)) == "0.25@12");
    CHECK(shown(rbl::util::divide(d("-7.5"), d("2.5"), 12)) == "-3@12");
}

TEST_CASE("decimal: rounding is half away from zero, and only once") {
    CHECK(shown(rbl::util::divide(d("1"), d("8"), 2)) == "0.13@2");
    CHECK(shown(rbl::util::divide(d("-1"), d("8"), 2)) == "-0.13@2");
    CHECK(shown(rbl::util::divide(d("1"), d("-8"), 2)) == "-0.13@2");
    CHECK(shown(rbl::util::divide(d("1"), d("16"), 3)) == "0.063@3");  // 0.0625
    CHECK(shown(rbl::util::divide(d("2"), d("3"), 12)) == "0.666666666667@12");
    CHECK(shown(rbl::util::divide(d("1"), d("3"), 0)) == "0@0");
    CHECK(shown(rbl::util::divide(d("5"), d("2"), 0)) == "3@0");
    CHECK(shown(rbl::util::divide(d("-5"), d("2"), 0)) == "-3@0");
    // 5 × 10^-19 has 19 decimals: rounded to 18.
    CHECK(shown(rbl::util::multiply(d("0.000000000000000001"), d("0.5"))) ==
          "0.000000000000000001@18");
    CHECK(shown(rbl::util::multiply(d("-0.000000000000000001"), d("0.5"))) ==
          "-0.000000000000000001@18");
    CHECK(shown(rbl::util::multiply(d("0.000000000000000001"), d("0.4"))) == "0@18");
    // Too many digits for 64 bits: decimals are dropped until it fits.
    CHECK(shown(rbl::util::add(Decimal{k_max, 0}, d("0.5"))) == "null");
    CHECK(shown(rbl::util::add(Decimal{k_max - 1, 0}, d("0.5"))) == std::to_string(k_max) + "@0");
    CHECK(shown(rbl::util::add(Decimal{k_max - 1, 0}, d("0.4"))) ==
          std::to_string(k_max - 1) + "@0");
    CHECK(shown(rbl::util::add(d("99999999999999999"), d("0.25"))) == "99999999999999999.3@1");
    CHECK(shown(rbl::util::add(d("999999999999999999"), d("0.25"))) == "999999999999999999@0");
    // Rounding once: 9223372036854775807.45 is 9223372036854775807, not .5 and then ...808
    // (which would not fit).
    const WideInteger digits = static_cast<WideInteger>(922337203685477580) * 1000 + 745;
    CHECK(shown(rbl::util::round_to_fit(WideDecimal{digits, 2})) == std::to_string(k_max) + "@0");
    CHECK(shown(rbl::util::round_to_fit(WideDecimal{-digits, 2})) ==
          std::to_string(-k_max) + "@0");
}

TEST_CASE("decimal: overflow is nullopt") {
    CHECK(shown(rbl::util::add(Decimal{k_max, 0}, Decimal{1, 0})) == "null");
    CHECK(shown(rbl::util::subtract(Decimal{k_min, 0}, Decimal{1, 0})) == "null");
    CHECK(shown(rbl::util::multiply(Decimal{k_max, 0}, Decimal{2, 0})) == "null");
    CHECK(shown(rbl::util::multiply(Decimal{k_min, 0}, Decimal{-1, 0})) == "null");
    CHECK(shown(rbl::util::negate(Decimal{k_min, 0})) == "null");
    CHECK(shown(rbl::util::divide(Decimal{k_max, 0}, d("0.5"), 12)) == "null");
    CHECK(shown(rbl::util::divide(d("1"), d("0"), 12)) == "null");
    CHECK(shown(rbl::util::divide(d("0"), d("0.000"), 12)) == "null");
    // The most negative mantissa negates once a decimal goes.
    CHECK(shown(rbl::util::negate(Decimal{k_min, 1})) == "922337203685477581@0");
    // A quotient too large for 12 decimals keeps as many as fit.
    CHECK(shown(rbl::util::divide(d("922337203685477581"), d("3"), 12)) ==
          "307445734561825860.3@1");
    CHECK(shown(rbl::util::divide(Decimal{k_max, 0}, d("3"), 12)) == "3074457345618258602@0");
}

TEST_CASE("decimal: scales stay within 0..18") {
    CHECK(shown(rbl::util::multiply(d("0.000000001"), d("0.000000001"))) ==
          "0.000000000000000001@18");
    CHECK(shown(rbl::util::multiply(d("0.0000000001"), d("0.000000001"))) == "0@18");
    CHECK(shown(rbl::util::multiply(d("0.000000000000000001"), d("0.000000000000000001"))) ==
          "0@18");
    CHECK(shown(rbl::util::add(d("0.000000000000000001"), d("1"))) == "1.000000000000000001@18");
    CHECK(shown(rbl::util::add(d("0.000000000000000001"), d("100"))) == "100@16");
    CHECK(shown(rbl::util::divide(d("1"), d("3"), 18)) == "0.333333333333333333@18");
    CHECK(rbl::util::k_max_decimal_scale == 18);
}

TEST_CASE("decimal: comparison is by value at any scales") {
    CHECK(rbl::util::compare(d("12.50"), d("12.5")) == 0);
    CHECK(d("12.50") == d("12.5"));
    CHECK(d("0") == d("-0.000"));
    CHECK(rbl::util::compare(d("0.000000000000000001"), d("0")) > 0);
    CHECK(rbl::util::compare(d("-1"), d("-0.9")) < 0);
    CHECK(rbl::util::compare(d("-0.9"), d("-1")) > 0);
    CHECK(rbl::util::compare(Decimal{k_max, 0}, Decimal{k_max, 18}) > 0);
    CHECK(rbl::util::compare(Decimal{k_min, 0}, Decimal{k_min, 18}) < 0);
    CHECK(rbl::util::compare(Decimal{k_max, 18}, Decimal{9, 0}) > 0);  // 9.22... > 9
    CHECK(rbl::util::compare(Decimal{k_max, 18}, Decimal{10, 0}) < 0);
    CHECK_FALSE(d("1.01") == d("1.1"));
    static_assert(rbl::util::compare(Decimal{1250, 2}, Decimal{125, 1}) == 0);
    static_assert(rbl::util::compare(Decimal{1, 0}, Decimal{999, 3}) > 0);
}

TEST_CASE("decimal: exact products and trailing zeros") {
    const WideDecimal product = rbl::util::exact_product(Decimal{k_max, 18}, Decimal{k_max, 18});
    CHECK(product.scale == 36);
    CHECK(product.mantissa == static_cast<WideInteger>(k_max) * k_max);
    const WideDecimal reduced = rbl::util::without_trailing_zeros(WideDecimal{125000, 4});
    CHECK(reduced.mantissa == 125);
    CHECK(reduced.scale == 1);
    const WideDecimal zero = rbl::util::without_trailing_zeros(WideDecimal{0, 7});
    CHECK(zero.mantissa == 0);
    CHECK(zero.scale == 0);
    CHECK(rbl::util::without_trailing_zeros(WideDecimal{1000, 0}).mantissa == 1000);
    CHECK(rbl::util::wide_pow10(38) / rbl::util::wide_pow10(37) == 10);
}
