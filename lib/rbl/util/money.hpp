#pragma once
// Exact decimal numbers and money. Money is kept in integer fen (0.01 yuan), never a float.

#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/util/error.hpp"

namespace rbl::util {

/// An amount of money in fen (1 yuan = 100 fen).
using Fen = std::int64_t;

/// An exact decimal: value = mantissa / 10^scale. "12.50" is {1250, 2}.
struct Decimal {
    std::int64_t mantissa = 0;
    int scale = 0;  ///< digits after the decimal point, 0..18

    /// Canonical text: no exponent, no trailing zeros after the point ("12.5", "-3", "0").
    [[nodiscard]] std::string text() const;
    /// Compares by value (12.50 == 12.5).
    friend bool operator==(const Decimal& a, const Decimal& b);
};

/// Parses a plain decimal number: optional '-', digits, optional '.' and digits ("12", "-0.5",
/// "3.14"). No exponents, no thousands separators, no spaces inside; surrounding spaces are ignored.
/// Fails when it does not fit in 18 significant digits.
Result<Decimal> parse_decimal(std::string_view text);

/// Parses an amount in yuan, multiplied by `scale` (e.g. 10000 for a column in 万元), into fen.
/// Fails on a negative value, more than 2 decimals after scaling ("1.234 has more than 2
/// decimals"), or an amount too large to keep.
Result<Fen> parse_yuan(std::string_view text, const Decimal& scale = Decimal{1, 0});

/// Fen as yuan text with exactly two decimals: 123456 -> "1234.56", 0 -> "0.00".
std::string format_yuan(Fen fen);

}  // namespace rbl::util
