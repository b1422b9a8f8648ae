#pragma once
// Reads one JSON Lines object into flat name/value pairs, keeping numbers as their exact source
// text (so money never passes through a double).

#include <string>
#include <string_view>
#include <vector>

#include "rbl/util/error.hpp"

namespace rbl::util {

/// A scalar value of a JSON object.
struct JsonScalar {
    enum class Type { null, boolean, number, string };
    Type type = Type::null;
    std::string text;  ///< the string's value, the number's source text, "true"/"false", ""
};

/// One name/value pair of the object.
struct JsonField {
    std::string name;
    JsonScalar value;
    bool nested = false;  ///< a member of the nested object (e.g. attrs)
};

/// Parses a line holding one JSON object whose values are scalars, except one optional member
/// `nested_name` (e.g. "attrs") which may be an object of scalars: its members are returned as
/// fields too. Any other nesting, a duplicate name, or bad JSON fails with a reason naming the
/// column (1-based byte offset) in the line.
Result<std::vector<JsonField>> parse_json_line(std::string_view line,
                                                std::string_view nested_name = "attrs");

}  // namespace rbl::util
