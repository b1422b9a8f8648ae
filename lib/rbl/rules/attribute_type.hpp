#pragma once
// The types a domain may declare for its records' attributes.

#include <string_view>

namespace rbl::rules {

/// The type of a declared attribute.
enum class AttributeType { text, number, date, boolean };

/// "text", "number", "date" or "bool".
std::string_view to_string(AttributeType type);

}  // namespace rbl::rules
