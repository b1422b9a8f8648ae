#pragma once
// rbl-rules test's output: the failed tests and untested criteria as lines for people, and the
// whole report as the one JSON object of --json.

#include <cstdio>

#include <nlohmann/json.hpp>

#include "rbl/engine/rule_tests.hpp"

namespace rbl::app {

/// "FAILED FILE:LINE: LIST — TEST: PROBLEM" with the criteria's figures below, then "untested
/// FILE:LINE: LIST — ..." for each criterion no test makes hold, on `lines`.
void print_problems(const engine::RuleTestReport& report, std::FILE* lines);

/// The counts of the report ({tests, passed, failed, untested_criteria}), with `results` (every
/// test: list_id, test, file, line, passed, problem, explanation) and `untested` (list_id, file,
/// line, criterion): the one JSON object of `rbl-rules test --json` (SPEC.md §1).
nlohmann::json report_json(const engine::RuleTestReport& report);

}  // namespace rbl::app
