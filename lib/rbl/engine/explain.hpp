#pragma once
// `rbl-adjudicate --explain` (SPEC.md §4): why a subject is or is not on each list, in words.

#include <string>
#include <string_view>
#include <vector>

#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::engine {

/// For every list, why the subject is or is not listed as of `as_of` (the criteria's figures),
/// and the history of its entries, as printable lines. Throws UsageError for an unknown subject.
std::vector<std::string> explain_subject(store::Database& db, const rules::RuleSet& rules,
                                         std::string_view subject_id, util::Date as_of);

}  // namespace rbl::engine
