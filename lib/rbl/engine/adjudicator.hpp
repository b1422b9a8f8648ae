#pragma once
// rbl-adjudicate's work (SPEC.md §4): evaluate every list against the records as of a date and
// create, advance and end list entries, in the order advance, adjust, black lists, exclusion,
// red lists. Reads from one snapshot, then writes every change in one transaction. Incremental
// by default (SPEC §8): only the subjects that changed or whose next change day came. The work
// is split along its seams: which subjects (run_plan), one subject's adjudication
// (subject_adjudication, next_change), on several threads (evaluation_pool), writing the run
// (run_writer) and `--explain` (explain, declared there and reached through this header).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rbl/audit/audit_log.hpp"
#include "rbl/engine/explain.hpp"
#include "rbl/model/change_kind.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/report.hpp"

namespace rbl::engine {

/// What to adjudicate.
struct AdjudicateOptions {
    util::Date as_of;
    std::vector<std::string> domains;  ///< only these domains' lists (all when empty)
    bool dry_run = false;              ///< report what would change, write nothing
    bool force = false;                ///< allow an as-of date before the last run's
    std::string operator_name;
    int notify_days = 30;  ///< list effective entries that expire within this many days
    bool full = false;     ///< evaluate every subject, not only those that changed (SPEC §8)
    int jobs = 1;          ///< evaluate subjects on this many threads
};

/// An effective entry about to expire (the feedback loop: departments are told in advance).
struct ExpiringEntry {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string subject_id;
    std::string expires_on;  ///< the first day no longer in force
};

/// Changes to one list's entries in a run.
struct ListCounts {
    std::int64_t created = 0;
    std::int64_t advanced = 0;
    std::int64_t expired = 0;
    std::int64_t withdrawn = 0;
    std::int64_t revoked = 0;
    std::int64_t lifted = 0;

    /// The count of one kind of change.
    std::int64_t& of(model::ChangeKind change);
    std::int64_t of(model::ChangeKind change) const;
    /// Adds another list's counts to these.
    void add(const ListCounts& other);
};

/// The counts as a JSON object {created, advanced, expired, withdrawn, revoked, lifted}.
nlohmann::json to_json(const ListCounts& counts);

/// One change, for the dry-run preview and the audit log.
struct EntryChange {
    std::string list_id;
    std::string subject_id;
    std::string subject_name;
    model::ChangeKind change = model::ChangeKind::created;
    std::string status;  ///< the entry's status after the run
    std::string reason;  ///< explanation (created) or the end reason's code
};

/// The outcome of a run.
struct AdjudicationSummary {
    std::string as_of;
    std::optional<std::int64_t> run_id;  ///< nullopt for a dry run
    std::map<std::string, ListCounts> lists;  ///< every evaluated list, zeros included
    ListCounts total;
    std::int64_t subjects = 0;        ///< subjects evaluated
    std::int64_t subjects_total = 0;  ///< subjects in the database
    bool full = true;                 ///< every subject evaluated (else only those that changed)
    std::string full_reason;          ///< why every subject, e.g. "--full" or "the rules differ…"
    /// Effective entries that expire after as-of and within notify_days of it, by expiry date.
    std::vector<ExpiringEntry> expiring;
    /// Where the time went, in seconds: reading subjects and records, evaluating, writing.
    double read_seconds = 0;
    double evaluate_seconds = 0;
    double write_seconds = 0;
};

/// The expiring entry as the run's JSON lists it: {entry_id, list_id, subject_id, expires_on}.
nlohmann::json to_json(const ExpiringEntry& entry);

/// The summary as `rbl-adjudicate --json` prints it: the total counts (to_json(ListCounts)) with
/// as_of, run_id (null for a dry run), dry_run, mode ("full" or "incremental"), full_reason (null
/// for an incremental run), subjects (evaluated), subjects_total, jobs, lists (counts by list
/// id), notify_days, expiring and seconds {read, evaluate, write}; `options` are the run's.
nlohmann::json to_json(const AdjudicationSummary& summary, const AdjudicateOptions& options);

/// Receives each change of a run, in order (for a dry run's preview, or a log).
using ChangeSink = std::function<void(const EntryChange&)>;

/// Runs an adjudication. Throws UsageError for an as-of date before the last run's (without
/// force) or an unknown domain, BusyError when the write lock is not had within --wait.
AdjudicationSummary adjudicate(store::Database& db, audit::AuditLog& audit,
                               const rules::RuleSet& rules, const rules::Calendar& calendar,
                               const AdjudicateOptions& options, Reporter& reporter,
                               const ChangeSink& on_change = {});

}  // namespace rbl::engine
