#pragma once
// A subject's next change day (SPEC.md §8): the earliest day after a run's as-of date on which any
// of its evaluations could come out differently with no new data. Evaluation depends on the day
// in three ways only — a record enters every selection on its date and leaves a `within:` window
// some time later, and an open entry moves along its dates (notice, publicity, expiry) — so the
// day is the earliest of those after as-of. It may be earlier than the true day (a subject
// evaluated for nothing costs time), never later.

#include <optional>
#include <span>
#include <vector>

#include "rbl/engine/criteria.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/date.hpp"

namespace rbl::engine {

/// The distinct `within:` windows of every list's criteria and lift criteria.
std::vector<util::Duration> windows_of(const rules::RuleSet& rules);

/// The first day on which a record dated `date` no longer lies within `window` (a selection with
/// `within: W` as of day D takes records dated from W.before(D) to D).
util::Date leaves_window(util::Date date, util::Duration window);

/// The earliest day after `as_of` on which the subject's evaluation could change: a record of
/// `records` leaving one of `windows`, a fact dated later starting to count (`next_fact_day`),
/// or an open entry of `entries` moving on. None when nothing can change by itself.
std::optional<util::Date> next_change_day(std::span<const SubjectRecord> records,
                                          std::optional<util::Date> next_fact_day,
                                          std::span<const model::Entry> entries,
                                          std::span<const util::Duration> windows,
                                          util::Date as_of);

}  // namespace rbl::engine
