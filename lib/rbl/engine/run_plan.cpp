#include "rbl/engine/run_plan.hpp"

#include <fmt/format.h>

#include "rbl/util/i18n.hpp"

namespace rbl::engine {

namespace {

// Why the run must evaluate every subject; empty when it may evaluate only what changed.
std::string reason_for_full(const std::optional<store::IncrementalBasis>& basis,
                            bool earlier_runs, const rules::RuleSet& rules,
                            const rules::Calendar& calendar, const AdjudicateOptions& options) {
    if (options.full) {
        return "--full";
    }
    if (!options.domains.empty()) {
        return tr("--domain: a run over some domains evaluates every subject for their lists");
    }
    if (!basis) {
        return earlier_runs ? tr("no earlier run over every domain recorded what an incremental "
                                 "run needs (the runs before rbl kept it, or over some domains)")
                            : tr("the first run on this database");
    }
    if (basis->rules_sha256 != rules.sha256()) {
        return trf("the rules differ from those of run {}", basis->run_id);
    }
    if (basis->calendar_sha256 != calendar.fingerprint()) {
        return trf("the working-day calendar differs from that of run {}", basis->run_id);
    }
    if (basis->tool_version != RBL_VERSION) {
        return trf("run {} was made by rbl {}, this is rbl {}", basis->run_id, basis->tool_version,
                   RBL_VERSION);
    }
    if (options.as_of.iso() < basis->as_of) {
        return trf("as of {}, before run {} (as of {})", options.as_of.iso(), basis->run_id,
                   basis->as_of);
    }
    return {};
}

}  // namespace

RunPlan plan_run(store::IncrementalStore& state, bool earlier_runs, const rules::RuleSet& rules,
                 const rules::Calendar& calendar, const AdjudicateOptions& options) {
    RunPlan plan;
    plan.marks_upto = state.highest_mark();
    plan.full_reason = reason_for_full(state.basis(), earlier_runs, rules, calendar, options);
    plan.full = !plan.full_reason.empty();
    if (!plan.full) {
        plan.subjects = state.count_to_evaluate(plan.marks_upto, options.as_of.iso());
    }
    return plan;
}

}  // namespace rbl::engine
