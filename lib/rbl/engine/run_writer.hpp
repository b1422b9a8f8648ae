#pragma once
// Writing a run (SPEC.md §4, the end of a run): the run record, every staged change of the
// entries with its audit row, and the run's counts — in one write transaction.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "rbl/audit/audit_log.hpp"
#include "rbl/engine/adjudicator.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/report.hpp"

namespace rbl::engine {

/// A staged change as the dry-run preview and the change sink show it.
EntryChange change_of(const store::StagedChange& staged);

/// Writes the changes a run staged in its EntryStore.
class RunWriter {
public:
    RunWriter(store::Database& db, audit::AuditLog& audit, store::EntryStore& entries,
              const rules::RuleSet& rules, const AdjudicateOptions& options, Reporter& reporter)
        : m_db(db),
          m_audit(audit),
          m_entries(entries),
          m_rules(rules),
          m_options(options),
          m_reporter(reporter) {}

    /// Writes the staged changes in one transaction, passing each written one to `on_change`,
    /// and sets the summary's run id. Returns false, writing nothing, when another run was
    /// recorded after the snapshot this one evaluated (`last_run_read`): its changes would be
    /// stale, evaluate again. An entry that an appeal changed since the snapshot keeps what the
    /// appeal made of it: its staged change is skipped (and uncounted) with a warning, and the
    /// next run takes the entry up again. `also_write`, when given, writes what else belongs
    /// to the run (its incremental state) in the same transaction, given the run's id.
    bool write(AdjudicationSummary& summary, const std::string& started_at,
               std::int64_t last_run_read, const ChangeSink& on_change,
               const std::function<void(std::int64_t run_id)>& also_write = {});

private:
    std::int64_t begin_run(const AdjudicationSummary& summary, const std::string& started_at);
    bool write_change(const store::StagedChange& staged, std::int64_t run_id,
                      store::StateReader& states, AdjudicationSummary& summary);
    void write_created(const store::StagedChange& staged, std::int64_t run_id,
                       store::StateReader& states);
    void finish_run(const AdjudicationSummary& summary, std::int64_t run_id);
    const store::ListTerms& list_terms(const std::string& list_id);

    store::Database& m_db;
    audit::AuditLog& m_audit;
    store::EntryStore& m_entries;
    const rules::RuleSet& m_rules;
    const AdjudicateOptions& m_options;
    Reporter& m_reporter;
    std::map<std::string, store::ListTerms> m_terms;  ///< by list id, built once per list and run
};

}  // namespace rbl::engine
