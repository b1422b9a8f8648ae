#include "rbl/engine/adjudicator.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "rbl/engine/criteria.hpp"
#include "rbl/engine/run_writer.hpp"
#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"

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
            throw UsageError(fmt::format("unknown domain '{}' (no rule file {}.yaml)", domain,
                                         domain));
        }
    }
    if (const auto last = entries.last_as_of(); last && options.as_of.iso() < *last &&
                                                 !options.force) {
        throw UsageError(fmt::format("the last run was as of {}; a run as of {} would go back "
                                     "in time (use --force to allow it)",
                                     *last, options.as_of.iso()));
    }
}

bool in_scope(const AdjudicateOptions& options, std::string_view domain) {
    return options.domains.empty() ||
           std::find(options.domains.begin(), options.domains.end(), domain) !=
               options.domains.end();
}

// Steps 1-5 over every subject from one snapshot, staging the changes; fills the summary's
// counts and read/evaluate times. Returns the id of the last run the snapshot held.
std::int64_t evaluate_snapshot(store::Database& db, store::EntryStore& entries,
                               const rules::RuleSet& rules, const rules::Calendar& calendar,
                               const AdjudicateOptions& options, Reporter& reporter,
                               const ChangeSink& on_change, AdjudicationSummary& summary) {
    // Read everything from one snapshot; the write lock is taken only to write.
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    check_options(rules, options, entries);
    const std::int64_t last_run_read = entries.last_run_id();
    entries.start_staging();
    for (const rules::ListRule* list : rules.lists()) {
        if (in_scope(options, list->domain)) {
            summary.lists[list->id];
        }
    }
    const std::int64_t total_subjects = store::count_subjects(db);
    std::vector<Entry> open = entries.open_entries();
    std::size_t open_at = 0;
    CriteriaEvaluator evaluator(rules);
    SubjectAdjudication work(rules, calendar, options, entries, evaluator, summary, reporter);
    using Clock = std::chrono::steady_clock;
    const auto loop_start = Clock::now();
    Clock::duration evaluating{};
    store::SubjectReader reader(db, summary.as_of, std::nullopt);
    store::SubjectRows rows;
    while (reader.next(rows)) {
        std::vector<Entry> mine;
        while (open_at < open.size() && open[open_at].subject_id < rows.subject_id) {
            ++open_at;
        }
        while (open_at < open.size() && open[open_at].subject_id == rows.subject_id) {
            mine.push_back(open[open_at++]);
        }
        const auto evaluate_start = Clock::now();
        work.run(rows, std::move(mine));
        evaluating += Clock::now() - evaluate_start;
        if (++summary.subjects % k_progress_every == 0) {
            reporter.progress("adjudicating", static_cast<std::uint64_t>(summary.subjects),
                              static_cast<std::uint64_t>(total_subjects));
        }
    }
    reporter.progress_done();
    summary.evaluate_seconds = std::chrono::duration<double>(evaluating).count();
    summary.read_seconds =
        std::chrono::duration<double>(Clock::now() - loop_start - evaluating).count();
    if (options.dry_run && on_change) {
        entries.for_each_staged(
            [&](const store::StagedChange& staged) { on_change(change_of(staged)); });
    }
    snapshot.commit();  // ends the read; the staged changes stay in the TEMP tables
    for (const auto& [list_id, counts] : summary.lists) {
        summary.total.add(counts);
    }
    return last_run_read;
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
        const std::int64_t last_run_read = evaluate_snapshot(db, entries, rules, calendar,
                                                             options, reporter, on_change, summary);
        if (options.dry_run) {
            break;
        }
        const auto write_start = std::chrono::steady_clock::now();
        RunWriter writer(db, audit, entries, rules, options, reporter);
        const bool written = writer.write(summary, started_at, last_run_read, on_change);
        summary.write_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
        if (written) {
            break;
        }
        if (attempt == k_max_attempts) {
            throw BusyError(fmt::format("other runs were recorded while this one evaluated, {} "
                                        "times; try again when they are done",
                                        attempt));
        }
        reporter.info("another run was recorded while this one evaluated: evaluating again");
    }
    for (const Entry& entry : entries.expiring(options.as_of.plus_days(1),
                                               options.as_of.plus_days(options.notify_days))) {
        if (!in_scope(options, entry.domain)) {
            continue;  // --domain: only that domain's entries
        }
        summary.expiring.push_back(
            {entry.entry_id, entry.list_id, entry.subject_id, entry.expires_on.iso()});
    }
    return summary;
}

}  // namespace rbl::engine
