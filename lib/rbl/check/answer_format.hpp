#pragma once
// Answers as business systems read them: a JSON object each (for --json and JSON Lines), or a
// CSV row each (one row per subject, entries and measures joined by ';').

#include <string>

#include <nlohmann/json.hpp>

#include "rbl/check/checker.hpp"

namespace rbl::check {

/// The answer as a JSON object: the identifier (`subject_id`, `asked`, `line` for a file),
/// `result` (found, unknown, invalid) and `reason`, the subject's name and type, `listed_black`,
/// `listed_red`, `entries` (list, kind, status, dates, disputed, measures) and `lookup_id`.
/// Identifiers are shown as given (the caller knows whom it asked about). Measures carry their
/// departments unless `with_departments` is false (a check for one department).
nlohmann::json to_json(const Answer& answer, bool with_departments);

/// The CSV header of answers, ending in "\r\n".
std::string csv_header();

/// The answer as one CSV row (RFC 4180, "\r\n", the formula guard on every text cell):
/// `entries` as LIST_ID:STATUS and `measures` as their ids, each joined by ';'.
std::string csv_row(const Answer& answer);

}  // namespace rbl::check
