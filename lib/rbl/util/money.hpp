#pragma once
// Money, kept in integer fen (0.01 yuan), never a float. Decimals themselves are util/decimal.

#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/util/decimal.hpp"
#include "rbl/util/error.hpp"

namespace rbl::util {

/// An amount of money in fen (1 yuan = 100 fen).
using Fen = std::int64_t;

/// Parses an amount in yuan, multiplied by `scale` (e.g. 10000 for a column in 万元), into fen.
/// Commas may group the whole yuan by thousands ("1,000.00", "12,345"). Fails on misplaced
/// commas ("1,00.0", "10,00"), on a negative value, more than 2 decimals after scaling ("1.234 has more than 2
/// decimals"), or an amount too large to keep.
Result<Fen> parse_yuan(std::string_view text, const Decimal& scale = Decimal{1, 0});

/// Fen as yuan text with exactly two decimals: 123456 -> "1234.56", 0 -> "0.00".
std::string format_yuan(Fen fen);

/// Fen as ¥10,000 (万元) text, exact and without trailing zeros: 123500000 -> "123.5",
/// 150000000 -> "150", 50 -> "0.00005".
std::string format_ten_thousand_yuan(Fen fen);

}  // namespace rbl::util
