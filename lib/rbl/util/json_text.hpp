#pragma once
// Writing JSON text by hand on hot paths (one record's attributes), where building a
// nlohmann::json per row would cost more than the rest of the row.

#include <string>
#include <string_view>

namespace rbl::util {

/// Appends `text` as a JSON string literal (quoted and escaped) to `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace rbl::util
