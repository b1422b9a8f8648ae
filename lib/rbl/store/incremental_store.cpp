#include "rbl/store/incremental_store.hpp"

namespace rbl::store {

namespace {

constexpr int k_first_version = 8;

constexpr std::string_view k_basis = R"sql(
SELECT r.run_id, r.as_of, r.rules_sha256, s.calendar_sha256, r.tool_version
FROM runs r JOIN run_scope s ON s.run_id = r.run_id
WHERE r.domains IS NULL
ORDER BY r.run_id DESC LIMIT 1)sql";

constexpr std::string_view k_highest_mark = "SELECT coalesce(max(mark), 0) FROM subject_marks";

// UNION sorts and drops repeats; subject_due_by_day serves the second part.
constexpr std::string_view k_to_evaluate = R"sql(
SELECT subject_id FROM subject_marks WHERE mark <= ?1
UNION
SELECT subject_id FROM subject_due WHERE due_on <= ?2
ORDER BY 1)sql";

constexpr std::string_view k_count_to_evaluate = R"sql(
SELECT count(*) FROM (SELECT subject_id FROM subject_marks WHERE mark <= ?1
                      UNION
                      SELECT subject_id FROM subject_due WHERE due_on <= ?2) AS to_evaluate)sql";

constexpr std::string_view k_scope_of = R"sql(
SELECT mode, subjects_evaluated, subjects_total, calendar_sha256, marks_upto
FROM run_scope WHERE run_id = ?1)sql";

constexpr std::string_view k_record_scope = R"sql(
INSERT INTO run_scope (run_id, mode, subjects_evaluated, subjects_total, calendar_sha256,
                       marks_upto)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";

constexpr std::string_view k_clear_marks = "DELETE FROM subject_marks WHERE mark <= ?1";

constexpr std::string_view k_create_staging_sqlite = R"sql(
CREATE TEMP TABLE IF NOT EXISTS staged_subjects (
    subject_id TEXT PRIMARY KEY,
    due_on     TEXT,
    changed    INTEGER NOT NULL
);
DELETE FROM staged_subjects;
)sql";

constexpr std::string_view k_create_staging_postgresql = R"sql(
CREATE TEMP TABLE IF NOT EXISTS staged_subjects (
    subject_id text COLLATE "C" PRIMARY KEY,
    due_on     text COLLATE "C",
    changed    bigint NOT NULL
);
DELETE FROM staged_subjects;
)sql";

constexpr std::string_view k_stage =
    "INSERT INTO staged_subjects (subject_id, due_on, changed) VALUES (?1, ?2, ?3)";

constexpr std::string_view k_mark_changed = R"sql(
INSERT INTO subject_marks (subject_id)
SELECT subject_id FROM staged_subjects WHERE changed = 1 ORDER BY subject_id)sql";

constexpr std::string_view k_forget_all_due = "DELETE FROM subject_due";

constexpr std::string_view k_forget_staged_due = R"sql(
DELETE FROM subject_due WHERE subject_id IN (SELECT subject_id FROM staged_subjects))sql";

constexpr std::string_view k_store_staged_due = R"sql(
INSERT INTO subject_due (subject_id, due_on)
SELECT subject_id, due_on FROM staged_subjects WHERE due_on IS NOT NULL
ORDER BY subject_id)sql";

}  // namespace

IncrementalStore::IncrementalStore(Database& db)
    : m_db(db), m_available(db.schema_version() >= k_first_version) {}

std::optional<IncrementalBasis> IncrementalStore::basis() {
    if (!m_available) {
        return std::nullopt;
    }
    Statement statement(m_db, k_basis);
    if (!statement.step()) {
        return std::nullopt;
    }
    return IncrementalBasis{statement.column_int64(0), std::string(statement.column_text(1)),
                            std::string(statement.column_text(2)), std::string(statement.column_text(3)),
                            std::string(statement.column_text(4))};
}

std::int64_t IncrementalStore::highest_mark() {
    if (!m_available) {
        return 0;
    }
    Statement statement(m_db, k_highest_mark);
    return statement.step() ? statement.column_int64(0) : 0;
}

std::int64_t IncrementalStore::count_to_evaluate(std::int64_t marks_upto, std::string_view day) {
    Statement statement(m_db, k_count_to_evaluate);
    statement.bind(1, marks_upto).bind(2, day);
    return statement.step() ? statement.column_int64(0) : 0;
}

std::function<bool(std::string&)> IncrementalStore::subjects_to_evaluate(std::int64_t marks_upto,
                                                                         std::string day) {
    m_to_evaluate_day = std::move(day);
    m_to_evaluate.emplace(m_db, k_to_evaluate, detail::Fetch::stream);
    m_to_evaluate->bind(1, marks_upto).bind(2, m_to_evaluate_day);
    return [this](std::string& subject_id) {
        if (!m_to_evaluate->step()) {
            m_to_evaluate->reset();
            return false;
        }
        subject_id = m_to_evaluate->column_text(0);
        return true;
    };
}

std::optional<RunScope> IncrementalStore::scope_of(std::int64_t run_id) {
    if (!m_available) {
        return std::nullopt;
    }
    Statement statement(m_db, k_scope_of);
    statement.bind(1, run_id);
    if (!statement.step()) {
        return std::nullopt;
    }
    return RunScope{statement.column_text(0) == "full", statement.column_int64(1),
                    statement.column_int64(2), std::string(statement.column_text(3)),
                    statement.column_int64(4)};
}

void IncrementalStore::start_staging() {
    m_db.exec(m_db.sql(k_create_staging_sqlite, k_create_staging_postgresql));
    if (!m_stage) {
        m_stage.emplace(m_db, k_stage);
    }
}

void IncrementalStore::stage(const SubjectDue& due, bool changed) {
    if (!m_stage) {
        return;  // no incremental state to keep (an older schema)
    }
    m_stage->bind(1, due.subject_id).bind(2, due.due_on).bind(3, changed ? 1 : 0);
    m_stage->run();
}

IncrementalWriter::IncrementalWriter(Database& db)
    : m_db(db), m_record_scope(db, k_record_scope), m_clear_marks(db, k_clear_marks) {}

void IncrementalWriter::record_scope(std::int64_t run_id, const RunScope& scope) {
    m_record_scope.bind(1, run_id)
        .bind(2, std::string_view(scope.full ? "full" : "incremental"))
        .bind(3, scope.subjects_evaluated)
        .bind(4, scope.subjects_total)
        .bind(5, scope.calendar_sha256)
        .bind(6, scope.marks_upto);
    m_record_scope.run();
}

void IncrementalWriter::clear_marks(std::int64_t marks_upto) {
    m_clear_marks.bind(1, marks_upto);
    m_clear_marks.run();
}

void IncrementalWriter::mark_changed() { m_db.exec(k_mark_changed); }

void IncrementalWriter::store_due(bool full) {
    m_db.exec(full ? k_forget_all_due : k_forget_staged_due);
    m_db.exec(k_store_staged_due);
}

}  // namespace rbl::store
