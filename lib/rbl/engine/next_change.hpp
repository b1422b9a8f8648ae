#pragma once
// A subject's next change day (SPEC.md §8): the earliest day after a run's as-of date on which any
// of its evaluations could come out differently with no new data. Evaluation depends on the day
// in these ways only — a record enters every selection on its date and leaves a `within:` window
// some time later, an open entry moves along its dates (notice, publicity, expiry), a subject's
// `age` changes the day after a birthday, and an expression naming `as_of` may change any day —
// so the day is the earliest of those after as-of. A term counted from the facts adds none: the
// passing of time only ends it (an expiry, counted above) or keeps a new entry from being made. It may be earlier than the true day (a subject
// evaluated for nothing costs time), never later.

#include <optional>
#include <span>
#include <vector>

#include "rbl/engine/criteria.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/date.hpp"

namespace rbl::engine {

/// Whether any list's expressions read the day itself: `as_of` (then any day may differ) or a
/// subject's `age` (it changes the day after a birthday).
struct DayReads {
    bool as_of = false;
    bool age = false;
};

/// What every list's criteria, lift criteria and term expressions read of the day.
DayReads day_reads_of(const rules::RuleSet& rules);

/// The distinct `within:` windows of every list's criteria and lift criteria.
std::vector<util::Duration> windows_of(const rules::RuleSet& rules);

/// The first day on which a record dated `date` no longer lies within `window` (a selection with
/// `within: W` as of day D takes records dated from W.before(D) to D).
util::Date leaves_window(util::Date date, util::Duration window);

/// The earliest day after `as_of` on which the subject's evaluation could change: a record of
/// `records` leaving one of `windows`, a fact dated later starting to count (`next_fact_day`),
/// or an open entry of `entries` moving on; with `reads.as_of` the next day, with `reads.age`
/// the day the subject's age changes (`birth_date`). None when nothing can change by itself.
std::optional<util::Date> next_change_day(std::span<const SubjectRecord> records,
                                          std::optional<util::Date> next_fact_day,
                                          std::span<const model::Entry> entries,
                                          std::span<const util::Duration> windows,
                                          util::Date as_of, DayReads reads = {},
                                          std::optional<util::Date> birth_date = std::nullopt);

}  // namespace rbl::engine
