#include "rbl/util/money.hpp"

#include <fmt/format.h>

#include <limits>

#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

constexpr int k_fen_decimals = 2;

// Magnitude of a signed value as unsigned, safe for the most negative value.
std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

std::string describe_amount(std::string_view text, const Decimal& scale) {
    if (scale == Decimal{1, 0}) {
        return fmt::format("amount {}", text);
    }
    return fmt::format("amount {} × {}", text, scale.text());
}

}  // namespace

Result<Fen> parse_yuan(std::string_view text, const Decimal& scale) {
    text = trim(text);
    const auto amount = parse_decimal(text);
    if (!amount) {
        return fail(amount.error());
    }
    // Exact: a scaled amount with a third decimal is refused, never rounded.
    const WideDecimal value = without_trailing_zeros(exact_product(*amount, scale));
    if (value.mantissa < 0) {
        return fail(fmt::format("{} is negative", describe_amount(text, scale)));
    }
    if (value.scale > k_fen_decimals) {
        if (scale == Decimal{1, 0}) {
            return fail(fmt::format("amount {} has more than 2 decimals", text));
        }
        return fail(fmt::format("{} is not a whole number of fen", describe_amount(text, scale)));
    }
    // At most 10^36 × 10^2 < 2^127: no overflow before the check.
    const WideInteger fen = value.mantissa * wide_pow10(k_fen_decimals - value.scale);
    if (fen > std::numeric_limits<Fen>::max()) {
        return fail(fmt::format("{} is too large", describe_amount(text, scale)));
    }
    return static_cast<Fen>(fen);
}

std::string format_yuan(Fen fen) {
    const std::uint64_t fen_magnitude = magnitude(fen);
    return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", fen_magnitude / 100, fen_magnitude % 100);
}

std::string format_ten_thousand_yuan(Fen fen) {
    // 1 万元 = 10,000 yuan = 1,000,000 fen: six decimals hold every fen exactly.
    constexpr std::uint64_t k_fen_per_unit = 1000000;
    const std::uint64_t fen_magnitude = magnitude(fen);
    std::string text = fmt::format("{}{}", fen < 0 ? "-" : "", fen_magnitude / k_fen_per_unit);
    std::string decimals = fmt::format("{:06}", fen_magnitude % k_fen_per_unit);
    while (!decimals.empty() && decimals.back() == '0') {
        decimals.pop_back();
    }
    if (!decimals.empty()) {
        text += '.';
        text += decimals;
    }
    return text;
}

}  // namespace rbl::util
