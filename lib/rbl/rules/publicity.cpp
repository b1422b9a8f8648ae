#include "rbl/rules/publicity.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "rbl/rules/rule_set.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules {

namespace {

// "what: got G" when they differ.
template <typename Value>
void compare(std::vector<std::string>& problems, std::string_view what,
             const std::optional<Value>& expected, const Value& got, std::string_view got_text) {
    if (expected && !(*expected == got)) {
        problems.push_back(trf("{}: got {}", what, got_text));
    }
}

}  // namespace

PublicityTestResult run_publicity_test(const model::PublicityTerms& terms,
                                       const PublicityTest& test) {
    PublicityTestResult result;
    result.test_name = test.name;
    result.line = test.spot.line;
    const auto publicity = model::publicity_of(terms, test.kind, test.class_values, test.decided_on);
    const bool is_public = publicity && publicity->is_public_on(test.as_of);
    std::vector<std::string> problems;
    if (is_public != test.expect_public) {
        problems.push_back(trf("expected {} on {}, but it is {}",
                               test.expect_public ? tr("public") : tr("not public"),
                               test.as_of.iso(), is_public ? tr("public") : tr("not public")));
    }
    if (publicity) {
        compare(problems, "class", test.expect_class, publicity->publicity_class,
                model::to_string(publicity->publicity_class));
        compare(problems, "publicity_until", test.expect_until, publicity->until,
                publicity->until.iso());
        compare(problems, "repair_from", test.expect_repair_from, publicity->repair_from,
                publicity->repair_from.iso());
    } else if (test.expect_class || test.expect_until || test.expect_repair_from) {
        problems.push_back(trf("records of kind '{}' are not published", test.kind));
    }
    result.passed = problems.empty();
    if (!result.passed) {
        result.problem = trf(
            "{} (class {}, public {} to {})", fmt::format("{}", fmt::join(problems, tr("; "))),
            publicity ? model::to_string(publicity->publicity_class) : std::string_view(tr("none")),
            publicity ? publicity->from.iso() : "-", publicity ? publicity->until.iso() : "-");
    }
    return result;
}

std::vector<PublicityTestResult> run_publicity_tests(const RuleSet& rules) {
    std::vector<PublicityTestResult> results;
    for (const auto& [name, domain] : rules.domains()) {
        if (!domain.publicity) {
            continue;
        }
        for (const PublicityTest& test : domain.publicity_tests) {
            PublicityTestResult result = run_publicity_test(*domain.publicity, test);
            result.domain = domain.domain;
            result.file = domain.file.string();
            results.push_back(std::move(result));
        }
    }
    return results;
}

}  // namespace rbl::rules
