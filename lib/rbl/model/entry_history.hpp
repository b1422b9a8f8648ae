#pragma once
// An entry's life in plain words, with its appeals (for `rbl-appeal show` and
// `rbl-adjudicate --explain`).

#include <string>
#include <vector>

#include "rbl/model/appeal.hpp"
#include "rbl/model/entry.hpp"

namespace rbl::model {

/// Printable lines: the entry's status and every date it has (decision, last day of notice and
/// of publicity, in force from, expiry, end and its reason), then one line per appeal — type,
/// receipt, due date, outcome or "open" (and "overdue" as of `as_of`).
std::vector<std::string> describe_history(const Entry& entry, const std::vector<Appeal>& appeals,
                                          util::Date as_of);

}  // namespace rbl::model
