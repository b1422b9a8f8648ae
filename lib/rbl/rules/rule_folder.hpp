#pragma once
// A rules folder as the tools that evaluate rules need it: every domain's rule file and the
// working-day calendar, loaded together so that every problem of both is reported at once.

#include <cstddef>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "rbl/rules/calendar.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::rules {

/// What `rbl-rules check` says of a valid folder.
struct FolderSummary {
    std::size_t domains = 0;
    std::size_t lists = 0;
    std::size_t tests = 0;  ///< embedded tests of every list
    std::string rules_sha256;
    int first_year = 0;  ///< the calendar's years
    int last_year = 0;
};

/// The rule set and the calendar of one folder.
struct RuleFolder {
    RuleSet rules;
    Calendar calendar;

    /// Loads `dir`'s rule files and `dir/calendar.yaml`. Throws InvalidConfig (exit 2) with
    /// every problem of both when either is invalid.
    static RuleFolder load(const std::filesystem::path& dir);

    /// The counts and hash of the rule set, and the calendar's years.
    [[nodiscard]] FolderSummary summary() const;
};

/// The summary as `rbl-rules check --json` prints it: {ok: true, domains, lists, tests,
/// rules_sha256} (an invalid folder never has one: it fails to load).
nlohmann::json to_json(const FolderSummary& summary);

}  // namespace rbl::rules
