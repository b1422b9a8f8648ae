#pragma once
// rbl-check's output of the answers: a table for staff, or one line per identifier (JSON Lines or
// CSV) to --out.

#include <string>
#include <vector>

#include "rbl/check/checker.hpp"

namespace rbl::app {

/// The answers as a table on stdout: one row per entry, one for a subject without any.
void print_answer_table(const std::vector<check::Answer>& answers);

/// The answers one a line to `out_path` ("-": stdout), as CSV or JSON Lines; `all_measures`:
/// every measure with its departments (no --department).
void write_answer_lines(const std::string& out_path, bool csv, bool all_measures,
                        const std::vector<check::Answer>& answers);

}  // namespace rbl::app
