#pragma once
// Evaluating subjects on several threads (SPEC.md §8, --jobs): one thread reads subject after
// subject from the database (a SQLite connection serves one thread), workers evaluate them in
// chunks, and each outcome is handed back in the order the subjects were read, so that what a
// run writes — entry ids, audit rows — does not depend on the number of workers or on scheduling.

#include <functional>

#include "rbl/engine/subject_adjudication.hpp"

namespace rbl::engine {

/// Where a pool's time went, in seconds of the reading thread.
struct PoolTimes {
    double reading = 0;     ///< reading subjects
    double evaluating = 0;  ///< evaluating, or waiting for the workers, and taking outcomes
};

/// Reads subjects with `read` (false after the last) until there are none, evaluates each with
/// an adjudication made by `make` (one per worker), and calls `take` with each subject and its
/// outcome in reading order, on the calling thread. `jobs` <= 1 evaluates on the calling thread.
/// An exception from a worker is rethrown here, after the workers stopped.
PoolTimes evaluate_all(int jobs, const std::function<SubjectAdjudication()>& make,
                       const std::function<bool(SubjectCase&)>& read,
                       const std::function<void(const SubjectCase&, SubjectOutcome&)>& take);

}  // namespace rbl::engine
