#pragma once
// Reading and writing list entries, their evidence and adjudication runs. All of their SQL is
// here, prepared once per EntryStore.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rbl/model/change_kind.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/state_hash.hpp"

namespace rbl::store {

/// One decision (one fact, SPEC.md §2), whichever source a version of it came from: a subject's
/// records with the same domain, kind and record_id.
struct Decision {
    std::string domain;
    std::string kind;
    std::string record_id;
    friend bool operator==(const Decision&, const Decision&) = default;
};

/// What an entry keeps of its list's rule as it stood when the entry was created (the same for
/// every entry of the list in a run).
struct ListTerms {
    std::string list_title;
    std::string list_title_zh;
    std::string basis;
    std::string authority;
    std::string terms_json;  ///< validity, procedure, repair, measures
    std::string rule_version;
    std::string rule_sha256;
};

/// A run as it starts.
struct RunStart {
    std::string as_of;
    std::string operator_name;
    std::string tool_version;
    std::string rules_sha256;
    std::optional<std::string> domains_json;
    bool forced = false;
    std::string started_at;
};

/// A change decided while reading a snapshot, staged in a TEMP table until the write
/// transaction (so memory does not grow with the number of changes).
struct StagedChange {
    bool create = false;        ///< a new entry; otherwise an update of entry.entry_id
    model::Entry entry;         ///< the entry after the change
    std::string subject_name;
    model::ChangeKind change = model::ChangeKind::created;
    std::string detail;         ///< the explanation (created) or the end reason's code
    std::string detail_data;    ///< created: the explanation as data (model::Clause JSON)
    std::vector<std::pair<std::int64_t, std::string>> evidence;  ///< (rec, record_id), create
    /// created: the entry's deciding department (the list's, or its evidence's with
    /// `authority_from: evidence`); empty: the list's, as ListTerms has it
    std::string authority;
    /// For an update: the entry's status as read in the snapshot; the update is written only if
    /// the entry still has it (and its disputed flag) — else someone (an appeal decided while
    /// the run evaluated) changed it meanwhile, and the change is skipped.
    model::EntryStatus status_read = model::EntryStatus::notice;
};

/// A staged change as write_staged() left it.
struct WrittenChange {
    const StagedChange& staged;  ///< as for_each_staged() gives it
    std::int64_t entry_id = 0;   ///< the entry's id: the one assigned when the change creates it
    /// false when the change is an update that was skipped: another writer changed the entry
    /// since the snapshot (StagedChange::status_read), and nothing was written
    bool written = false;
    /// The hash of the entry as the write left it, read back from the tables (what
    /// `rbl-audit verify` recomputes); nullopt when there is no such entry.
    std::optional<StateHash> state;
};

/// Gives every entry without it its explanation as data, read back from its English (the
/// migration to version 11; model::clauses_from_text), in batches, inside the caller's write
/// transaction.
void convert_explanations(Database& db);

/// Entries, evidence and runs of one database.
class EntryStore {
public:
    explicit EntryStore(Database& db);

    /// Every pending or effective entry, ordered by subject.
    std::vector<model::Entry> open_entries();
    /// Every entry of one subject, oldest first.
    std::vector<model::Entry> subject_entries(std::string_view subject_id);
    /// The decisions that were evidence of the subject's entries on the list that ended other
    /// than `withdrawn`, or withdrawn by an upheld objection (facts already used for a listing,
    /// or ruled out by the office), whichever source's version of them the entry cited.
    std::vector<Decision> used_evidence(std::string_view subject_id, std::string_view list_id);
    /// The decisions that were evidence of one entry.
    std::vector<Decision> evidence_of(std::int64_t entry_id);
    /// Effective entries whose expiry date lies in [first, last], by expiry date then id.
    std::vector<model::Entry> expiring(util::Date first, util::Date last);
    /// The as-of date of the latest recorded run, if any.
    std::optional<std::string> last_as_of();
    /// Every domain some entry is on, in order.
    std::vector<std::string> domains();

    /// Records a run; returns its id.
    std::int64_t begin_run(const RunStart& run);
    /// Stores the run's counts (JSON) and finishing time.
    void finish_run(std::int64_t run_id, std::string_view counts_json, std::string_view at);
    /// Replaces the departments the rules' measures name (`rule_departments`) with
    /// `departments`: those of the rules this run applied.
    void name_rule_departments(const std::set<std::string, std::less<>>& departments);
    /// Stores an entry's new status (and end) after a run moved it, provided the entry still
    /// has `status_read` and `entry.disputed` as read in the run's snapshot. Returns false (and
    /// writes nothing) when another writer changed the entry since.
    bool update(const model::Entry& entry, model::EntryStatus status_read, std::int64_t run_id);
    /// Stores an entry's status, dates, end and disputed flag as an appeal (filed or decided)
    /// left them, inside the caller's write transaction.
    void store_appeal_effect(const model::Entry& entry);
    /// The id of the latest recorded run (0 when none).
    std::int64_t last_run_id();

    /// Empties (creating if needed) this connection's TEMP staging tables. Writing to them takes
    /// no lock on the database, so it may run inside a read snapshot.
    void start_staging();
    /// Stages one change.
    void stage(const StagedChange& change);
    /// Calls `visit` with every staged change in the order they were staged.
    void for_each_staged(const std::function<void(const StagedChange&)>& visit);
    /// Writes every staged change inside the caller's write transaction, set-based: the
    /// creations with one INSERT … SELECT each for entries and evidence (`terms_of` gives the
    /// terms of each list with a creation; the ids follow the largest one, in staging order),
    /// then the updates, each written as update() would. Then calls `visit` with every change
    /// in staging order, as written or skipped, with its entry's state as written.
    void write_staged(std::int64_t run_id,
                      const std::function<const ListTerms&(const std::string&)>& terms_of,
                      const std::function<void(const WrittenChange&)>& visit);

private:
    model::Entry read_entry(const Statement& statement) const;
    /// The conditional update of update(), from its values as bound.
    bool run_update(std::int64_t entry_id, std::string_view status,
                    std::optional<std::string_view> ended,
                    std::optional<std::string_view> end_reason, std::int64_t run_id,
                    std::string_view status_read, bool disputed);
    void stage_terms(const std::function<const ListTerms&(const std::string&)>& terms_of);
    /// The staging order numbers of the updates that were skipped, ascending.
    std::vector<std::int64_t> write_staged_updates(std::int64_t run_id);
    void visit_written(std::int64_t last_id, const std::vector<std::int64_t>& skipped,
                       const std::function<void(const WrittenChange&)>& visit);

    Database& m_db;
    Statement m_open;
    Statement m_of_subject;
    Statement m_used_evidence;
    Statement m_evidence_of;
    Statement m_last_as_of;
    Statement m_domains;
    Statement m_last_run_id;
    Statement m_expiring;
    Statement m_begin_run;
    Statement m_finish_run;
    Statement m_update;
    Statement m_appeal_effect;
    Statement m_stage;           ///< prepared by start_staging(), once the TEMP tables exist
    Statement m_stage_evidence;
    std::int64_t m_staged = 0;
    std::int64_t m_created = 0;  ///< creations staged so far
};

}  // namespace rbl::store
