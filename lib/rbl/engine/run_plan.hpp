#pragma once
// Which subjects a run evaluates (SPEC.md §8). Incremental by default: those marked by a change
// since the last run and those whose next change day has come. Every subject when asked
// (--full), for a run over some domains only, and whenever the incremental state cannot keep the
// promise that an incremental run gives what a full run would: on the first run, after a change
// of the rules, the working-day calendar or rbl itself, and for a run back in time.

#include <cstdint>
#include <string>
#include <vector>

#include "rbl/engine/adjudicator.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/incremental_store.hpp"

namespace rbl::engine {

/// The subjects a run evaluates.
struct RunPlan {
    bool full = true;
    std::string full_reason;             ///< why every subject (empty when incremental)
    std::int64_t marks_upto = 0;         ///< the highest mark the snapshot holds
    std::vector<std::string> subjects;   ///< incremental: the subjects to evaluate, sorted
};

/// Plans a run from the state read in the current snapshot.
RunPlan plan_run(store::IncrementalStore& state, const rules::RuleSet& rules,
                 const rules::Calendar& calendar, const AdjudicateOptions& options);

}  // namespace rbl::engine
