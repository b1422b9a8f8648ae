#include "rbl/util/money.hpp"

#include <fmt/format.h>

#include <limits>
#include <string>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

constexpr int k_fen_decimals = 2;

// Magnitude of a signed value as unsigned, safe for the most negative value.
std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

bool all_digits(std::string_view text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// True when the whole part groups its digits by thousands: one to three digits, then groups of
// exactly three after each comma ("12,345", "1,000"; not "1,00", "10,00" or ",100").
bool grouped_by_thousands(std::string_view whole) {
    std::size_t comma = whole.find(',');
    if (comma == 0 || comma > 3 || !all_digits(whole.substr(0, comma))) {
        return false;
    }
    while (comma != std::string_view::npos) {
        const std::size_t next = whole.find(',', comma + 1);
        const std::string_view group = whole.substr(comma + 1, next == std::string_view::npos
                                                                   ? std::string_view::npos
                                                                   : next - comma - 1);
        if (group.size() != 3 || !all_digits(group)) {
            return false;
        }
        comma = next;
    }
    return true;
}

// The amount without its thousands separators ("1,000.00" -> "1000.00"); fails when commas do
// not group the whole part by thousands, or stand among the decimals.
Result<std::string> without_grouping(std::string_view text) {
    std::string_view number = text;
    if (number.starts_with('-')) {
        number.remove_prefix(1);
    }
    const std::size_t point = number.find('.');
    const std::string_view whole = number.substr(0, point);
    const bool decimals_clean = point == std::string_view::npos ||
                                number.substr(point).find(',') == std::string_view::npos;
    if (!decimals_clean || !grouped_by_thousands(whole)) {
        return fail(
            trf("amount {} has misplaced thousands separators (commas group the whole "
                "yuan by three digits: 1,000.00 or 12,345)",
                text));
    }
    std::string plain(text);
    std::erase(plain, ',');
    return plain;
}

}  // namespace

Result<Fen> parse_yuan(std::string_view text, const Decimal& scale) {
    text = trim(text);
    std::string plain;
    if (text.find(',') != std::string_view::npos) {
        auto ungrouped = without_grouping(text);
        if (!ungrouped) {
            return fail(ungrouped.error());
        }
        plain = std::move(*ungrouped);
    }
    const auto amount = parse_decimal(plain.empty() ? text : std::string_view(plain));
    if (!amount) {
        return fail(amount.error());
    }
    // Exact: a scaled amount with a third decimal is refused, never rounded.
    const WideDecimal value = without_trailing_zeros(exact_product(*amount, scale));
    // Each message names the amount, and the scale it was multiplied by when there is one.
    const bool unscaled = scale == Decimal{1, 0};
    if (value.mantissa < 0) {
        return fail(unscaled ? trf("amount {} is negative", text)
                             : trf("amount {} × {} is negative", text, scale.text()));
    }
    if (value.scale > k_fen_decimals) {
        if (unscaled) {
            return fail(trf("amount {} has more than 2 decimals", text));
        }
        return fail(trf("amount {} × {} is not a whole number of fen", text, scale.text()));
    }
    // At most 10^36 × 10^2 < 2^127: no overflow before the check.
    const WideInteger fen = value.mantissa * wide_pow10(k_fen_decimals - value.scale);
    if (fen > std::numeric_limits<Fen>::max()) {
        return fail(unscaled ? trf("amount {} is too large", text)
                             : trf("amount {} × {} is too large", text, scale.text()));
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
