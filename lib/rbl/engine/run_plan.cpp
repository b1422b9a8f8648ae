#include "rbl/engine/run_plan.hpp"

#include <fmt/format.h>

namespace rbl::engine {

namespace {

// Why the run must evaluate every subject; empty when it may evaluate only what changed.
std::string reason_for_full(const std::optional<store::IncrementalBasis>& basis,
                            const rules::RuleSet& rules, const rules::Calendar& calendar,
                            const AdjudicateOptions& options) {
    if (options.full) {
        return "--full";
    }
    if (!options.domains.empty()) {
        return "--domain: a run over some domains evaluates every subject for their lists";
    }
    if (!basis) {
        return "no earlier run over every domain kept the state an incremental run needs";
    }
    if (basis->rules_sha256 != rules.sha256()) {
        return fmt::format("the rules differ from those of run {}", basis->run_id);
    }
    if (basis->calendar_sha256 != calendar.fingerprint()) {
        return fmt::format("the working-day calendar differs from that of run {}",
                           basis->run_id);
    }
    if (basis->tool_version != RBL_VERSION) {
        return fmt::format("run {} was made by rbl {}, this is rbl {}", basis->run_id,
                           basis->tool_version, RBL_VERSION);
    }
    if (options.as_of.iso() < basis->as_of) {
        return fmt::format("as of {}, before run {} (as of {})", options.as_of.iso(),
                           basis->run_id, basis->as_of);
    }
    return {};
}

}  // namespace

RunPlan plan_run(store::IncrementalStore& state, const rules::RuleSet& rules,
                 const rules::Calendar& calendar, const AdjudicateOptions& options) {
    RunPlan plan;
    plan.marks_upto = state.highest_mark();
    plan.full_reason = reason_for_full(state.basis(), rules, calendar, options);
    plan.full = !plan.full_reason.empty();
    if (!plan.full) {
        plan.subjects = state.subjects_to_evaluate(plan.marks_upto, options.as_of.iso());
    }
    return plan;
}

}  // namespace rbl::engine
