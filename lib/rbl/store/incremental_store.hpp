#pragma once
// What incremental runs keep between runs (SPEC.md §8; schema version 8): the marks that changes
// leave on the subjects they touch, each subject's next change day, and what each run evaluated.
// All of their SQL is here.

#include <cstdint>
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
    /// The subjects marked up to `marks_upto` or due on or before `day` (ISO), sorted, each once.
    std::vector<std::string> subjects_to_evaluate(std::int64_t marks_upto, std::string_view day);
    /// The recorded scope of a run, if it has one.
    std::optional<RunScope> scope_of(std::int64_t run_id);

private:
    Database& m_db;
    bool m_available = false;
};

/// The incremental state a run writes, inside its write transaction (schema version 8 or later).
class IncrementalWriter {
public:
    explicit IncrementalWriter(Database& db);

    /// Records what run `run_id` evaluated.
    void record_scope(std::int64_t run_id, const RunScope& scope);
    /// Deletes the marks up to `marks_upto` (those the run's snapshot held).
    void clear_marks(std::int64_t marks_upto);
    /// Marks a subject (a run over some domains only marks those it changed, for the next run).
    void mark(std::string_view subject_id);
    /// Forgets every subject's next change day (before a full run writes them all).
    void clear_due();
    /// Stores (or, for none, forgets) a subject's next change day.
    void set_due(const SubjectDue& due);

private:
    Database& m_db;
    Statement m_record_scope;
    Statement m_clear_marks;
    Statement m_mark;
    Statement m_set_due;
    Statement m_forget_due;
};

}  // namespace rbl::store
