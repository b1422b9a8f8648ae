#include "rbl/engine/adjudicator.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "rbl/engine/criteria.hpp"
#include "rbl/engine/evaluation_pool.hpp"
#include "rbl/engine/next_change.hpp"
#include "rbl/engine/run_plan.hpp"
#include "rbl/engine/run_writer.hpp"
#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/incremental_store.hpp"
#include "rbl/store/subject_entries.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::engine {

namespace {

// The member of `counts` (const or not) that counts `change`.
template <typename Counts>
auto& count_in(Counts& counts, model::ChangeKind change) {
    switch (change) {
        case model::ChangeKind::advanced:
            return counts.advanced;
        case model::ChangeKind::expired:
            return counts.expired;
        case model::ChangeKind::withdrawn:
            return counts.withdrawn;
        case model::ChangeKind::revoked:
            return counts.revoked;
        case model::ChangeKind::lifted:
            return counts.lifted;
        case model::ChangeKind::created:
            break;
    }
    return counts.created;
}

}  // namespace

std::int64_t& ListCounts::of(model::ChangeKind change) { return count_in(*this, change); }

std::int64_t ListCounts::of(model::ChangeKind change) const { return count_in(*this, change); }

void ListCounts::add(const ListCounts& other) {
    for (const model::ChangeKind change : model::k_change_kinds) {
        of(change) += other.of(change);
    }
}

nlohmann::json to_json(const ListCounts& counts) {
    nlohmann::json json = nlohmann::json::object();
    for (const model::ChangeKind change : model::k_change_kinds) {
        json[std::string(model::to_string(change))] = counts.of(change);
    }
    return json;
}

namespace {

using model::Entry;

constexpr int k_progress_every = 1024;

// How many times a run evaluates again when other runs keep being recorded while it evaluates.
constexpr int k_max_attempts = 3;

void check_options(const rules::RuleSet& rules, const AdjudicateOptions& options,
                   store::EntryStore& entries) {
    for (const std::string& domain : options.domains) {
        if (rules.domain(domain) == nullptr) {
            throw UsageError(trf("unknown domain '{}' (no rule file {}.yaml)", domain, domain));
        }
    }
    if (const auto last = entries.last_as_of(); last && options.as_of.iso() < *last &&
                                                 !options.force) {
        throw UsageError(
            trf("the last run was as of {}; a run as of {} would go back "
                "in time (use --force to allow it)",
                *last, options.as_of.iso()));
    }
}

bool in_scope(const AdjudicateOptions& options, std::string_view domain) {
    return options.domains.empty() ||
           std::find(options.domains.begin(), options.domains.end(), domain) !=
               options.domains.end();
}

// What evaluating a snapshot leaves for the write, beside the staged changes.
struct Evaluated {
    std::int64_t last_run_read = 0;  ///< the id of the last run the snapshot held
    RunPlan plan;
};

// Takes one subject's outcome, in reading order: stages its changes, counts them.
class OutcomeTaker {
public:
    OutcomeTaker(store::EntryStore& entries, store::IncrementalStore& state,
                 AdjudicationSummary& summary, Reporter& reporter, std::int64_t to_evaluate)
        : m_entries(entries),
          m_state(state),
          m_summary(summary),
          m_reporter(reporter),
          m_to_evaluate(to_evaluate) {}

    void take(const SubjectCase& subject, const SubjectOutcome& outcome) {
        for (const store::StagedChange& change : outcome.changes) {
            m_entries.stage(change);
            ++m_summary.lists[change.entry.list_id].of(change.change);
        }
        // The calendar's coverage is the same for every subject: said once per run.
        if (!outcome.warnings.empty() && !m_warned) {
            m_warned = true;
            m_reporter.warning(outcome.warnings.front());
        }
        m_state.stage(store::SubjectDue{subject.rows.subject_id,
                                        outcome.next_change ? std::optional(outcome.next_change->iso())
                                                            : std::nullopt},
                      !outcome.changes.empty());
        if (++m_summary.subjects % k_progress_every == 0) {
            m_reporter.progress(tr("adjudicating"), static_cast<std::uint64_t>(m_summary.subjects),
                                static_cast<std::uint64_t>(m_to_evaluate));
        }
    }

private:
    store::EntryStore& m_entries;
    store::IncrementalStore& m_state;
    AdjudicationSummary& m_summary;
    Reporter& m_reporter;
    std::int64_t m_to_evaluate;
    bool m_warned = false;
};

// Steps 1-5 over the subjects the plan names, from one snapshot, staging the changes; fills the
// summary's counts and read/evaluate times.
Evaluated evaluate_snapshot(store::Database& db, store::EntryStore& entries,
                            const rules::RuleSet& rules, const rules::Calendar& calendar,
                            const AdjudicateOptions& options, Reporter& reporter,
                            const ChangeSink& on_change, AdjudicationSummary& summary) {
    // Read everything from one snapshot; the write lock is taken only to write.
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    check_options(rules, options, entries);
    Evaluated evaluated;
    evaluated.last_run_read = entries.last_run_id();
    store::IncrementalStore state(db);
    evaluated.plan = plan_run(state, evaluated.last_run_read != 0, rules, calendar, options);
    const RunPlan& plan = evaluated.plan;
    summary.full = plan.full;
    summary.full_reason = plan.full_reason;
    summary.subjects_total = store::count_subjects(db);
    entries.start_staging();
    if (state.available()) {
        state.start_staging();
    }
    for (const rules::ListRule* list : rules.lists()) {
        if (in_scope(options, list->domain)) {
            summary.lists[list->id];
        }
    }
    std::optional<store::SubjectReader> reader;
    if (plan.full) {
        reader.emplace(db, summary.as_of, std::nullopt);
    } else {
        reader.emplace(db, summary.as_of,
                       state.subjects_to_evaluate(plan.marks_upto, options.as_of.iso()));
    }
    store::SubjectEntriesReader entry_reader(db, plan.full
                                                     ? store::SubjectEntriesReader::Mode::stream
                                                     : store::SubjectEntriesReader::Mode::point);
    const std::vector<util::Duration> windows = windows_of(rules);
    OutcomeTaker taker(entries, state, summary, reporter,
                       plan.full ? summary.subjects_total : plan.subjects);
    const PoolTimes times = evaluate_all(
        options.jobs, [&] { return SubjectAdjudication(rules, calendar, options, windows); },
        [&](SubjectCase& subject) {
            if (!reader->next(subject.rows)) {
                return false;
            }
            entry_reader.read(subject.rows.subject_id, subject.entries);
            return true;
        },
        [&](const SubjectCase& subject, SubjectOutcome& outcome) {
            taker.take(subject, outcome);
        });
    reporter.progress_done();
    summary.read_seconds = times.reading;
    summary.evaluate_seconds = times.evaluating;
    if (options.dry_run && on_change) {
        entries.for_each_staged(
            [&](const store::StagedChange& staged) { on_change(change_of(staged)); });
    }
    snapshot.commit();  // ends the read; the staged changes stay in the TEMP tables
    for (const auto& [list_id, counts] : summary.lists) {
        summary.total.add(counts);
    }
    return evaluated;
}

// Writes the incremental state the run leaves (SPEC §8), inside its write transaction: its
// scope; for a run over every domain, the marks it consumed deleted and the next change days of
// the subjects it evaluated; for a run over some domains, a mark on each subject it changed (the
// next run over every domain evaluates them again).
void write_state(store::Database& db, const Evaluated& evaluated,
                 const AdjudicationSummary& summary, const rules::Calendar& calendar,
                 const AdjudicateOptions& options, std::int64_t run_id) {
    store::IncrementalWriter state(db);
    state.record_scope(run_id, store::RunScope{evaluated.plan.full, summary.subjects,
                                               summary.subjects_total, calendar.fingerprint(),
                                               evaluated.plan.marks_upto});
    if (!options.domains.empty()) {
        state.mark_changed();
        return;
    }
    state.clear_marks(evaluated.plan.marks_upto);
    state.store_due(evaluated.plan.full);
}

}  // namespace

AdjudicationSummary adjudicate(store::Database& db, audit::AuditLog& audit,
                               const rules::RuleSet& rules, const rules::Calendar& calendar,
                               const AdjudicateOptions& options, Reporter& reporter,
                               const ChangeSink& on_change) {
    store::EntryStore entries(db);
    AdjudicationSummary summary;
    for (int attempt = 1;; ++attempt) {
        summary = AdjudicationSummary{};
        summary.as_of = options.as_of.iso();
        const std::string started_at = util::utc_now_iso();
        const Evaluated evaluated = evaluate_snapshot(db, entries, rules, calendar, options,
                                                      reporter, on_change, summary);
        if (options.dry_run) {
            break;
        }
        const auto write_start = std::chrono::steady_clock::now();
        RunWriter writer(db, audit, entries, rules, options, reporter);
        const bool written =
            writer.write(summary, started_at, evaluated.last_run_read, on_change,
                         [&](std::int64_t run_id) {
                             write_state(db, evaluated, summary, calendar, options, run_id);
                         });
        summary.write_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
        if (written) {
            break;
        }
        if (attempt == k_max_attempts) {
            throw BusyError(
                trf("other runs were recorded while this one evaluated, {} "
                    "times; try again when they are done",
                    attempt));
        }
        reporter.info(tr("another run was recorded while this one evaluated: evaluating again"));
    }
    for (const Entry& entry : entries.expiring(options.as_of.plus_days(1),
                                               options.as_of.plus_days(options.notify_days))) {
        if (!in_scope(options, entry.domain)) {
            continue;  // --domain: only that domain's entries
        }
        // An open-ended entry has no expiry and is never among these (its expires_on is empty).
        summary.expiring.push_back({entry.entry_id, entry.list_id, entry.subject_id,
                                    entry.expires_on ? entry.expires_on->iso() : std::string()});
    }
    return summary;
}

}  // namespace rbl::engine
