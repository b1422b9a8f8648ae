#pragma once
// A rules folder as the tools that evaluate rules need it: every domain's rule file and the
// working-day calendar, loaded together so that every problem of both is reported at once.

#include <filesystem>

#include "rbl/rules/calendar.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::rules {

/// The rule set and the calendar of one folder.
struct RuleFolder {
    RuleSet rules;
    Calendar calendar;

    /// Loads `dir`'s rule files and `dir/calendar.yaml`. Throws InvalidConfig (exit 2) with
    /// every problem of both when either is invalid.
    static RuleFolder load(const std::filesystem::path& dir);
};

}  // namespace rbl::rules
