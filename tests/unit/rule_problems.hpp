#pragma once
// What the rule loader says about a folder the tests expect to be invalid: its diagnostics, and
// where the first one about something was found, for the loaders' tests.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::test {

/// Loads the rules folder `dir`, which must be invalid, and returns its diagnostics.
inline std::vector<rules::Diagnostic> problems_of(const std::filesystem::path& dir) {
    try {
        rules::RuleSet::load(dir);
    } catch (const rules::InvalidConfig& e) {
        return e.diagnostics();
    }
    FAIL("the rules loaded although they are invalid");
    return {};
}

/// "LINE:COLUMN" of the first problem whose message contains `text`, or "missing".
inline std::string spot_of(const std::vector<rules::Diagnostic>& problems,
                           const std::string& text) {
    for (const rules::Diagnostic& problem : problems) {
        if (problem.message.find(text) != std::string::npos) {
            return std::to_string(problem.line) + ":" + std::to_string(problem.column);
        }
    }
    return "missing";
}

}  // namespace rbl::test
