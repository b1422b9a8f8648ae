#include "rbl/util/money.hpp"

#include <fmt/format.h>

#include <limits>

#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

// Wide enough for the product of two 18-digit mantissas (< 10^36 < 2^127).
__extension__ typedef __int128 Wide;

constexpr std::size_t k_max_digits = 18;
constexpr int k_fen_decimals = 2;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
    for (const char c : text) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
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

std::string describe_amount(std::string_view text, const Decimal& scale) {
    if (scale == Decimal{1, 0}) {
        return fmt::format("amount {}", text);
    }
    return fmt::format("amount {} × {}", text, scale.text());
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

bool operator==(const Decimal& a, const Decimal& b) {
    std::int64_t a_mantissa = a.mantissa;
    int a_scale = a.scale;
    std::int64_t b_mantissa = b.mantissa;
    int b_scale = b.scale;
    strip_trailing_zeros(a_mantissa, a_scale);
    strip_trailing_zeros(b_mantissa, b_scale);
    return a_mantissa == b_mantissa && (a_scale == b_scale || a_mantissa == 0);
}

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
        return fail(fmt::format(
            "'{}' is not a plain decimal number (digits, an optional leading '-' and '.', "
            "e.g. 1234.5)",
            text));
    }
    // Trailing zeros after the point carry no value: drop them if that is what it takes to fit.
    while (!fits_in_mantissa(whole, fraction) && fraction.ends_with('0')) {
        fraction.remove_suffix(1);
    }
    if (!fits_in_mantissa(whole, fraction)) {
        return fail(fmt::format("'{}' has more than {} significant digits", text, k_max_digits));
    }
    Decimal decimal;
    for (const char c : whole) {
        decimal.mantissa = decimal.mantissa * 10 + (c - '0');
    }
    for (const char c : fraction) {
        decimal.mantissa = decimal.mantissa * 10 + (c - '0');
    }
    decimal.scale = static_cast<int>(fraction.size());
    decimal.mantissa = negative ? -decimal.mantissa : decimal.mantissa;
    decimal.scale = static_cast<int>(fraction.size());
    return decimal;
}

Result<Fen> parse_yuan(std::string_view text, const Decimal& scale) {
    text = trim(text);
    const auto amount = parse_decimal(text);
    if (!amount) {
        return fail(amount.error());
    }
    Wide value = static_cast<Wide>(amount->mantissa) * scale.mantissa;
    int decimals = amount->scale + scale.scale;
    if (value < 0) {
        return fail(fmt::format("{} is negative", describe_amount(text, scale)));
    }
    strip_trailing_zeros(value, decimals);
    if (decimals > k_fen_decimals) {
        if (scale == Decimal{1, 0}) {
            return fail(fmt::format("amount {} has more than 2 decimals", text));
        }
        return fail(fmt::format("{} is not a whole number of fen", describe_amount(text, scale)));
    }
    for (; decimals < k_fen_decimals && value <= std::numeric_limits<Fen>::max(); ++decimals) {
        value *= 10;
    }
    if (value > std::numeric_limits<Fen>::max()) {
        return fail(fmt::format("{} is too large", describe_amount(text, scale)));
    }
    return static_cast<Fen>(value);
}

std::string format_yuan(Fen fen) {
    const std::uint64_t fen_magnitude = magnitude(fen);
    return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", fen_magnitude / 100, fen_magnitude % 100);
}

}  // namespace rbl::util
