#pragma once
// Exact decimal numbers, in one place: their parsing, text, comparison and arithmetic, for money
// (util/money), the expression language of rule files (rules/expression) and the sums of criteria
// (engine/criteria). Never a float.
//
// A Decimal is mantissa / 10^scale with a 64-bit mantissa and a scale of 0..18. Comparison is
// always exact. `add`, `subtract`, `multiply` and `negate` are exact while the result fits a
// Decimal; beyond that the result is rounded half away from zero to the most decimals that fit,
// and is nullopt when even its whole part does not fit. `divide` rounds the quotient half away
// from zero to the decimals asked for. The fast paths (same scales, no overflow) are inline here:
// expression evaluation runs them millions of times.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/util/error.hpp"

namespace rbl::util {

/// The most digits a Decimal keeps after the point.
inline constexpr int k_max_decimal_scale = 18;

/// An exact decimal: value = mantissa / 10^scale. "12.50" is {1250, 2}.
struct Decimal {
    std::int64_t mantissa = 0;
    int scale = 0;  ///< digits after the decimal point, 0..18

    /// Canonical text: no exponent, no trailing zeros after the point ("12.5", "-3", "0").
    [[nodiscard]] std::string text() const;
    /// Compares by value (12.50 == 12.5).
    friend bool operator==(const Decimal& a, const Decimal& b);
};

/// Wide enough for the product of two Decimal mantissas, or one times 10^18 (both < 2^127).
__extension__ using WideInteger = __int128;

/// An exact intermediate result: mantissa / 10^scale with a 128-bit mantissa and a scale of 0..36
/// (the product of two Decimals, or a sum brought to the larger scale).
struct WideDecimal {
    WideInteger mantissa = 0;
    int scale = 0;
};

namespace detail {

inline constexpr std::array<WideInteger, 39> k_wide_pow10 = [] {
    std::array<WideInteger, 39> powers{};
    powers[0] = 1;
    for (std::size_t i = 1; i < powers.size(); ++i) {
        powers[i] = powers[i - 1] * 10;
    }
    return powers;
}();

// The slow paths of add/subtract: the operands brought to one scale in 128 bits.
std::optional<Decimal> add_wide(const Decimal& a, const Decimal& b, bool subtract) noexcept;

}  // namespace detail

/// 10^exponent, exponent 0..38.
constexpr WideInteger wide_pow10(int exponent) noexcept {
    return detail::k_wide_pow10[static_cast<std::size_t>(exponent)];
}

/// Parses a plain decimal number: optional '-', digits, optional '.' and digits ("12", "-0.5",
/// "3.14"). No exponents, no thousands separators, no spaces inside; surrounding spaces are ignored.
/// Fails when it does not fit in 18 significant digits.
Result<Decimal> parse_decimal(std::string_view text);

/// Three-way comparison by value, exact at any scales: negative when a < b, 0 when equal,
/// positive when a > b.
constexpr int compare(const Decimal& a, const Decimal& b) noexcept {
    if (a.scale == b.scale) {
        return (a.mantissa > b.mantissa) - (a.mantissa < b.mantissa);
    }
    WideInteger left = a.mantissa;
    WideInteger right = b.mantissa;
    if (a.scale < b.scale) {
        left *= wide_pow10(b.scale - a.scale);
    } else {
        right *= wide_pow10(a.scale - b.scale);
    }
    return (left > right) - (left < right);
}

/// `value` as a Decimal: exact when its mantissa fits 64 bits and its scale is at most 18, else
/// rounded half away from zero to the most decimals that fit; nullopt when even its whole part
/// does not fit.
std::optional<Decimal> round_to_fit(const WideDecimal& value) noexcept;

/// The same value with no trailing zeros after the point: {1250, 2} -> {125, 1}.
WideDecimal without_trailing_zeros(WideDecimal value) noexcept;

/// The exact product a × b (never overflows).
constexpr WideDecimal exact_product(const Decimal& a, const Decimal& b) noexcept {
    return WideDecimal{static_cast<WideInteger>(a.mantissa) * b.mantissa, a.scale + b.scale};
}

/// a + b: exact while it fits, else rounded to fit (see the top of this file); nullopt on
/// overflow.
inline std::optional<Decimal> add(const Decimal& a, const Decimal& b) noexcept {
    std::int64_t sum = 0;
    if (a.scale == b.scale && !__builtin_add_overflow(a.mantissa, b.mantissa, &sum)) {
        return Decimal{sum, a.scale};
    }
    return detail::add_wide(a, b, false);
}

/// a - b, as add().
inline std::optional<Decimal> subtract(const Decimal& a, const Decimal& b) noexcept {
    std::int64_t difference = 0;
    if (a.scale == b.scale && !__builtin_sub_overflow(a.mantissa, b.mantissa, &difference)) {
        return Decimal{difference, a.scale};
    }
    return detail::add_wide(a, b, true);
}

/// a × b, as add().
inline std::optional<Decimal> multiply(const Decimal& a, const Decimal& b) noexcept {
    std::int64_t product = 0;
    const int scale = a.scale + b.scale;
    if (scale <= k_max_decimal_scale && !__builtin_mul_overflow(a.mantissa, b.mantissa, &product)) {
        return Decimal{product, scale};
    }
    return round_to_fit(exact_product(a, b));
}

/// -a, as add() (only the most negative mantissa does not negate exactly).
inline std::optional<Decimal> negate(const Decimal& a) noexcept {
    if (a.mantissa != INT64_MIN) {
        return Decimal{-a.mantissa, a.scale};
    }
    return round_to_fit(WideDecimal{-static_cast<WideInteger>(a.mantissa), a.scale});
}

/// a / b rounded half away from zero to `decimals` decimals (0..18; fewer when the quotient is so
/// large that they would not fit); nullopt when b is zero or the quotient does not fit.
std::optional<Decimal> divide(const Decimal& a, const Decimal& b, int decimals) noexcept;

}  // namespace rbl::util
