#pragma once
// The departments a --department option may name: those the rules' measures name (SPEC.md §3,
// `measures: ... departments:`).

#include <set>
#include <string>
#include <string_view>

#include "rbl/rules/rule_set.hpp"

namespace rbl::app {

/// Every department named by a measure of a list of `rules`, in name order.
std::set<std::string, std::less<>> known_departments(const rules::RuleSet& rules);

/// Throws UsageError (exit 2) naming the known departments when no measure of `rules` names
/// `department`: a mistyped name would otherwise select nothing and look like a quiet day.
void check_department(const rules::RuleSet& rules, std::string_view department);

}  // namespace rbl::app
