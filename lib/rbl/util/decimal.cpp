#include "rbl/util/decimal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

constexpr std::size_t k_max_digits = 18;
constexpr WideInteger k_int64_max = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), is_digit);
}

// The same value with no trailing zeros after the point: {1250, 2} -> {125, 1}.
template <typename Integer>
void strip_trailing_zeros(Integer& mantissa, int& scale) {
    while (scale > 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        --scale;
    }
}

// Magnitude of a signed value as unsigned, safe for the most negative value.
std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

WideInteger magnitude(WideInteger value) { return value < 0 ? -value : value; }

bool fits_int64(WideInteger value) { return value <= k_int64_max && value >= -k_int64_max - 1; }

// value / divisor rounded half away from zero (divisor > 0).
WideInteger round_divide(WideInteger value, WideInteger divisor) {
    WideInteger quotient = value / divisor;
    const WideInteger remainder = magnitude(value % divisor);
    if (remainder * 2 >= divisor) {
        quotient += value < 0 ? -1 : 1;
    }
    return quotient;
}

// Digits of whole and fraction together once leading zeros are dropped ("0.0012" has 2).
std::size_t significant_digits(std::string_view whole, std::string_view fraction) {
    const std::size_t whole_start = whole.find_first_not_of('0');
    if (whole_start != std::string_view::npos) {
        return whole.size() - whole_start + fraction.size();
    }
    const std::size_t fraction_start = fraction.find_first_not_of('0');
    return fraction_start == std::string_view::npos ? 0 : fraction.size() - fraction_start;
}

// True when the digits fit a Decimal: at most 18 significant digits and 18 after the point.
bool fits_in_mantissa(std::string_view whole, std::string_view fraction) {
    return fraction.size() <= k_max_digits && significant_digits(whole, fraction) <= k_max_digits;
}

}  // namespace

std::string Decimal::text() const {
    std::int64_t digits = mantissa;
    int decimals = scale;
    strip_trailing_zeros(digits, decimals);
    const std::string sign = digits < 0 ? "-" : "";
    std::string body = fmt::format("{}", magnitude(digits));
    if (decimals <= 0) {
        return sign + body;
    }
    if (body.size() <= static_cast<std::size_t>(decimals)) {
        body.insert(0, static_cast<std::size_t>(decimals) - body.size() + 1, '0');
    }
    body.insert(body.size() - static_cast<std::size_t>(decimals), 1, '.');
    return sign + body;
}

bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }

Result<Decimal> parse_decimal(std::string_view text) {
    text = trim(text);
    std::string_view number = text;
    const bool negative = number.starts_with('-');
    if (negative) {
        number.remove_prefix(1);
    }
    const std::size_t point = number.find('.');
    std::string_view whole = number.substr(0, point);
    std::string_view fraction =
        point == std::string_view::npos ? std::string_view{} : number.substr(point + 1);
    const bool has_point = point != std::string_view::npos;
    if (whole.empty() || !all_digits(whole) || (has_point && fraction.empty()) ||
        !all_digits(fraction)) {
        return fail(
            trf("'{}' is not a plain decimal number (digits, an optional leading '-' and '.', "
                "e.g. 1234.5)",
                text));
    }
    // Trailing zeros after the point carry no value: drop them if that is what it takes to fit.
    while (!fits_in_mantissa(whole, fraction) && fraction.ends_with('0')) {
        fraction.remove_suffix(1);
    }
    if (!fits_in_mantissa(whole, fraction)) {
        return fail(trf("'{}' has more than {} significant digits", text, k_max_digits));
    }
    Decimal decimal;
    for (const char c : whole) {
        decimal.mantissa = decimal.mantissa * 10 + (c - '0');
    }
    for (const char c : fraction) {
        decimal.mantissa = decimal.mantissa * 10 + (c - '0');
    }
    decimal.mantissa = negative ? -decimal.mantissa : decimal.mantissa;
    decimal.scale = static_cast<int>(fraction.size());
    return decimal;
}

std::optional<Decimal> round_to_fit(const WideDecimal& value) noexcept {
    if (value.scale <= k_max_decimal_scale && fits_int64(value.mantissa)) {
        return Decimal{static_cast<std::int64_t>(value.mantissa), value.scale};
    }
    // Rounding once, at the first number of decimals that fits (not digit by digit, which could
    // round twice: 0.45 must become 0, not 0.5 and then 1).
    for (int drop = std::max(0, value.scale - k_max_decimal_scale); drop <= value.scale; ++drop) {
        const WideInteger rounded =
            drop == 0 ? value.mantissa : round_divide(value.mantissa, wide_pow10(drop));
        if (fits_int64(rounded)) {
            return Decimal{static_cast<std::int64_t>(rounded), value.scale - drop};
        }
    }
    return std::nullopt;
}

WideDecimal without_trailing_zeros(WideDecimal value) noexcept {
    strip_trailing_zeros(value.mantissa, value.scale);
    return value;
}

std::optional<Decimal> detail::add_wide(const Decimal& a, const Decimal& b,
                                        bool subtract) noexcept {
    const int scale = std::max(a.scale, b.scale);
    const WideInteger left = a.mantissa * wide_pow10(scale - a.scale);
    const WideInteger right = b.mantissa * wide_pow10(scale - b.scale);
    return round_to_fit(WideDecimal{subtract ? left - right : left + right, scale});
}

std::optional<Decimal> divide(const Decimal& a, const Decimal& b, int decimals) noexcept {
    if (b.mantissa == 0) {
        return std::nullopt;
    }
    // a / b = (A * 10^sb) / (B * 10^sa) with A, B the mantissas and sa, sb the scales.
    WideInteger numerator = static_cast<WideInteger>(a.mantissa) * wide_pow10(b.scale);
    WideInteger denominator = static_cast<WideInteger>(b.mantissa) * wide_pow10(a.scale);
    const bool negative = (numerator < 0) != (denominator < 0);
    numerator = magnitude(numerator);
    denominator = magnitude(denominator);
    // Usually the scaled numerator fits and one division gives every decimal. The result is the
    // same as the long division below whenever the quotient fits.
    if (numerator <= wide_pow10(38 - decimals)) {  // 10^38 < 2^127
        const WideInteger scaled = numerator * wide_pow10(decimals);
        WideInteger quotient = scaled / denominator;
        const WideInteger remainder = scaled - quotient * denominator;
        if (remainder * 2 >= denominator) {
            ++quotient;
        }
        if (quotient <= k_int64_max) {
            return round_to_fit(WideDecimal{negative ? -quotient : quotient, decimals});
        }
    }
    WideInteger quotient = numerator / denominator;
    WideInteger remainder = numerator % denominator;
    if (quotient > k_int64_max) {
        return std::nullopt;
    }
    while (decimals > 0 && quotient * wide_pow10(decimals) > k_int64_max) {
        --decimals;
    }
    // Long division, one decimal at a time: remainder * 10 < 10 * denominator < 2^127.
    for (int i = 0; i < decimals; ++i) {
        remainder *= 10;
        quotient = quotient * 10 + remainder / denominator;
        remainder %= denominator;
    }
    if (remainder * 2 >= denominator) {
        ++quotient;
    }
    return round_to_fit(WideDecimal{negative ? -quotient : quotient, decimals});
}

}  // namespace rbl::util
