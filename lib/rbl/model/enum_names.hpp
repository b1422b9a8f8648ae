#pragma once
// The names of the model's enums as stored and published: each enum keeps one table of
// (value, name) pairs, and these two look-ups read it both ways.

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace rbl::model {

/// The name of `value` in `names`; `names` holds every value of the enum.
template <typename Enum>
constexpr std::string_view name_in(std::span<const std::pair<Enum, std::string_view>> names,
                                   Enum value) {
    for (const auto& [candidate, name] : names) {
        if (candidate == value) {
            return name;
        }
    }
    return names.front().second;
}

/// The value whose name in `names` is `text`, or nullopt.
template <typename Enum>
constexpr std::optional<Enum> value_in(std::span<const std::pair<Enum, std::string_view>> names,
                                       std::string_view text) {
    for (const auto& [value, name] : names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace rbl::model
