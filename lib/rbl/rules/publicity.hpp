#pragma once
// A domain's `publicity:` block (SPEC.md §11): the publicity terms of its records
// (model/record_publicity.hpp) and the tests of their periods embedded beside them, run by
// `rbl-rules test`.

#include <optional>
#include <string>
#include <vector>

#include "rbl/model/record_publicity.hpp"
#include "rbl/rules/list_rule.hpp"
#include "rbl/util/date.hpp"

namespace rbl::rules {

class RuleSet;

/// A test of a record's publication on a day, as written under `publicity: tests:`.
struct PublicityTest {
    std::string name;
    std::string kind;                         ///< the record's kind
    util::Date decided_on;                    ///< the record's date
    /// The record's class attributes, in the order of PublicityTerms::class_attributes
    std::vector<std::optional<std::string>> class_values;
    util::Date as_of;
    bool expect_public = true;
    std::optional<model::PublicityClass> expect_class;
    std::optional<util::Date> expect_until;        ///< `publicity_until:` (公示截止期)
    std::optional<util::Date> expect_repair_from;  ///< `repair_from:`
    SourceSpot spot;
};

/// The outcome of one publicity test.
struct PublicityTestResult {
    std::string domain;
    std::string test_name;
    std::string file;
    int line = 0;
    bool passed = false;
    std::string problem;  ///< what differed, for a failed test
};

/// The outcome of `test` under `terms`.
PublicityTestResult run_publicity_test(const model::PublicityTerms& terms,
                                       const PublicityTest& test);

/// Runs the publicity tests of every domain, in domain order.
std::vector<PublicityTestResult> run_publicity_tests(const RuleSet& rules);

}  // namespace rbl::rules
