#include "rbl/store/feedback_store.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_reported_sqlite = R"sql(
SELECT entry_id, department, group_concat(measure_id, ';') FROM (
    SELECT DISTINCT entry_id, department, measure_id FROM feedback ORDER BY 1, 2, 3) AS reported
GROUP BY entry_id, department)sql";

constexpr std::string_view k_reported_postgresql = R"sql(
SELECT entry_id, department, string_agg(DISTINCT measure_id, ';' ORDER BY measure_id)
FROM feedback GROUP BY entry_id, department)sql";

constexpr std::string_view k_entry_terms =
    "SELECT decided_on, terms FROM entries WHERE entry_id = ?1";

constexpr std::string_view k_add_feedback = R"sql(
INSERT INTO feedback (entry_id, department, measure_id, applied_on, note, batch_id, lookup_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING)sql";

constexpr std::string_view k_named_lookup = R"sql(
SELECT l.subject_id, l.department, e.subject_id FROM lookups l, entries e
WHERE l.lookup_id = ?1 AND e.entry_id = ?2)sql";

void assign(std::string& out, const Statement& statement, int column) {
    const std::string_view text = statement.column_text(column);
    out.assign(text.data(), text.size());
}

}  // namespace

FeedbackStore::FeedbackStore(Database& db) : m_db(db), m_entry_terms(db, k_entry_terms) {}

std::map<std::pair<std::int64_t, std::string>, std::string>
FeedbackStore::reported_measures() {
    Statement statement(m_db, m_db.sql(k_reported_sqlite, k_reported_postgresql));
    std::map<std::pair<std::int64_t, std::string>, std::string> reported;
    while (statement.step()) {
        reported.emplace(
            std::pair(statement.column_int64(0), std::string(statement.column_text(1))),
            std::string(statement.column_text(2)));
    }
    return reported;
}

bool FeedbackStore::entry_terms(std::int64_t entry_id, std::string& decided_on,
                                std::string& terms_json) {
    m_entry_terms.bind(1, entry_id);
    const bool found = m_entry_terms.step();
    if (found) {
        assign(decided_on, m_entry_terms, 0);
        assign(terms_json, m_entry_terms, 1);
    }
    m_entry_terms.reset();
    return found;
}

std::optional<NamedLookup> FeedbackStore::named_lookup(std::int64_t lookup_id,
                                                       std::int64_t entry_id) {
    if (!m_named_lookup) {
        m_named_lookup.emplace(m_db, k_named_lookup);
    }
    Statement& statement = *m_named_lookup;
    statement.bind(1, lookup_id).bind(2, entry_id);
    std::optional<NamedLookup> named;
    if (statement.step()) {
        named = NamedLookup{std::string(statement.column_text(0)),
                            statement.column_optional_text(1),
                            std::string(statement.column_text(2))};
    }
    statement.reset();
    return named;
}

bool FeedbackStore::add_feedback(std::int64_t entry_id, std::string_view department,
                                 std::string_view measure_id, std::string_view applied_on,
                                 std::string_view note, std::int64_t batch_id,
                                 std::optional<std::int64_t> lookup_id) {
    if (!m_add_feedback) {
        m_add_feedback.emplace(m_db, k_add_feedback);
    }
    m_add_feedback->bind(1, entry_id)
        .bind(2, department)
        .bind(3, measure_id)
        .bind(4, applied_on)
        .bind(5, note)
        .bind(6, batch_id)
        .bind(7, lookup_id);
    m_add_feedback->run();
    return m_db.changes() == 1;
}

}  // namespace rbl::store
