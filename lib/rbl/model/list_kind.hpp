#pragma once
// The two kinds of list (SPEC.md §3): black lists punish, red lists reward.

#include <array>
#include <optional>
#include <string_view>

namespace rbl::model {

/// Black lists punish, red lists reward.
enum class ListKind { black, red };

/// Every kind.
inline constexpr std::array<ListKind, 2> k_list_kinds = {ListKind::black, ListKind::red};

/// "black" or "red": the kind's name in rule files, as stored and published.
std::string_view to_string(ListKind kind);
/// Parses a kind's name.
std::optional<ListKind> parse_list_kind(std::string_view text);

}  // namespace rbl::model
