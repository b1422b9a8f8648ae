#pragma once
// The file of identifiers `rbl-check --file` answers: one identifier a line, or a CSV file with
// a `subject_id` column (the other columns are ignored).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "rbl/util/input.hpp"

namespace rbl::check {

/// Calls `visit(identifier, line)` for each identifier of `input`, in order: the first field of
/// every line, or when the first line is a CSV header naming a `subject_id` column (in any
/// case, surrounding blanks ignored), that column of every later row. Blank lines are skipped.
/// Throws UsageError naming the line for a malformed CSV row or one without that column.
void for_each_identifier(util::TextInput& input,
                         const std::function<void(std::string_view, std::uint64_t)>& visit);

}  // namespace rbl::check
