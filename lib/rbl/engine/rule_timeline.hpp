#pragma once
// Embedded tests over time (`runs:`, docs/RULES.md): a sequence of runs and credit-repair
// applications on one subject, each run decided by the same code as rbl-adjudicate's
// (SubjectAdjudication) over the records given so far and the entries the earlier runs left —
// kept in memory instead of a database. Internal to lib/rbl/engine (rule_tests.cpp).

#include <vector>

#include "rbl/engine/criteria.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"

namespace rbl::engine {

/// An embedded test's record as the database would hold it, numbered `number` (its record_id
/// T<number> unless it names one); fails on a value that would be rejected on import.
Result<store::StoredRecord> stored_test_record(const rules::RuleSet& rules,
                                               const rules::ListRule& list,
                                               const rules::TestRecord& given, int number);

/// Runs a test with `runs` for `list` on `subject` and says whether every step's expectations
/// held, and if not, at which step and why.
RuleTestResult run_timeline_test(const rules::RuleSet& rules, const rules::ListRule& list,
                                 const rules::RuleTest& test, const SubjectFacts& subject,
                                 const rules::Calendar& calendar);

}  // namespace rbl::engine
