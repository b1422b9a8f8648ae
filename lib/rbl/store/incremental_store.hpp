#pragma once
// What incremental runs keep between runs (SPEC.md §8; schema version 8): the marks that changes
// leave on the subjects they touch, each subject's next change day, and what each run evaluated.
// All of their SQL is here.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// The run an incremental run continues from: the latest run over every domain that kept the
/// incremental state.
struct IncrementalBasis {
    std::int64_t run_id = 0;
    std::string as_of;
    std::string rules_sha256;
    std::string calendar_sha256;
    std::string tool_version;
};

/// What a run evaluated, stored with it.
struct RunScope {
    bool full = true;
    std::int64_t subjects_evaluated = 0;
    std::int64_t subjects_total = 0;
    std::string calendar_sha256;
    std::int64_t marks_upto = 0;  ///< the highest mark the run's snapshot held
};

/// A subject's next change day (ISO), or none.
struct SubjectDue {
    std::string subject_id;
    std::optional<std::string> due_on;
};

/// The incremental state of one database.
class IncrementalStore {
public:
    explicit IncrementalStore(Database& db);

    /// False for a database older than schema version 8 (read as it is by a read-only tool): it
    /// keeps no incremental state, and every run on it is full.
    [[nodiscard]] bool available() const { return m_available; }

    /// The latest run over every domain that recorded its scope, if any.
    std::optional<IncrementalBasis> basis();
    /// The highest mark (0 when there is none).
    std::int64_t highest_mark();
    /// How many subjects are marked up to `marks_upto` or due on or before `day` (ISO).
    std::int64_t count_to_evaluate(std::int64_t marks_upto, std::string_view day);
    /// Those subjects, sorted, each once, one after another: `next` gives the next (false after
    /// the last). The cursor lives in this store (one at a time).
    std::function<bool(std::string& subject_id)> subjects_to_evaluate(std::int64_t marks_upto,
                                                                       std::string day);
    /// The recorded scope of a run, if it has one.
    std::optional<RunScope> scope_of(std::int64_t run_id);

    /// Empties (creating if needed) this connection's TEMP table of evaluated subjects; like the
    /// staged changes, it takes no lock, so it may be written inside the run's read snapshot,
    /// and memory stays flat however many subjects a run evaluates.
    void start_staging();
    /// Stages an evaluated subject (in subject order): its next change day, and whether the run
    /// changed one of its entries.
    void stage(const SubjectDue& due, bool changed);

private:
    Database& m_db;
    bool m_available = false;
    std::optional<Statement> m_stage;  ///< prepared by start_staging(), once the table exists
    std::optional<Statement> m_to_evaluate;  ///< the cursor of subjects_to_evaluate()
    std::string m_to_evaluate_day;           ///< bound to it (bound text must outlive it)
};

/// The incremental state a run writes from what it staged, inside its write transaction (schema
/// version 8 or later).
class IncrementalWriter {
public:
    explicit IncrementalWriter(Database& db);

    /// Records what run `run_id` evaluated.
    void record_scope(std::int64_t run_id, const RunScope& scope);
    /// Deletes the marks up to `marks_upto` (those the run's snapshot held).
    void clear_marks(std::int64_t marks_upto);
    /// Marks the staged subjects the run changed (a run over some domains leaves them to the
    /// next run over every domain).
    void mark_changed();
    /// Stores the staged subjects' next change days: for a full run, those alone (every other
    /// day is forgotten); else in place of what those subjects had.
    void store_due(bool full);

private:
    Database& m_db;
    Statement m_record_scope;
    Statement m_clear_marks;
};

}  // namespace rbl::store
