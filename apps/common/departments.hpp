#pragma once
// The departments a --department option may name: those the rules' measures name (SPEC.md §3,
// `measures: ... departments:`).

#include <string_view>

#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"

namespace rbl::app {

/// Throws UsageError (exit 2) naming the known departments when no measure of `rules` names
/// `department`: a mistyped name would otherwise select nothing and look like a quiet day.
void check_department(const rules::RuleSet& rules, std::string_view department);

/// The same against the departments the last adjudication run's rules named, as the database
/// keeps them (rbl-check: one query instead of reading every rule file); the rules in
/// `rules_dir` when no run has named them yet.
void check_department(store::Database& db, const std::filesystem::path& rules_dir,
                      std::string_view department);

}  // namespace rbl::app
