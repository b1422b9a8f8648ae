#pragma once
// Running the tests embedded in rule files (`rbl-rules test`, SPEC.md §3).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::engine {

/// The outcome of one embedded test.
struct RuleTestResult {
    std::string list_id;
    std::string test_name;
    std::string file;
    int line = 0;
    bool passed = false;
    std::string problem;                   ///< why it failed
    std::vector<std::string> explanation;  ///< the criteria's figures, for a failed test
};

/// A criterion that no test made hold: its behaviour is untested.
struct UnreachedCriterion {
    std::string list_id;
    std::string file;
    int line = 0;
    std::string text;  ///< the criterion's explanation line
};

/// All results of a test run.
struct RuleTestReport {
    std::vector<RuleTestResult> results;
    std::vector<UnreachedCriterion> unreached;
    [[nodiscard]] std::size_t failed() const;
};

/// The report as `rbl-rules test --json` prints it: {tests, passed, failed, untested_criteria}.
nlohmann::json to_json(const RuleTestReport& report);

/// Runs every test of every list (of `only_list` when not empty). A test is listed when the list
/// admits its subject type, its criteria hold as of its date over its records, its lift criteria
/// do not, its term (counted from the facts) has not run out, and, for a red list, the subject
/// is on no black list — as a run would decide it. A test's `expires_on` is checked against the
/// entry's; the entry takes effect after its notice and publicity counted in `calendar` (on
/// the as-of day when there are none, or no calendar is given). Throws UsageError when
/// `only_list` names no list.
RuleTestReport run_rule_tests(const rules::RuleSet& rules, const std::string& only_list = "",
                              const rules::Calendar* calendar = nullptr);

}  // namespace rbl::engine
