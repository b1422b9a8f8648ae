#include "rbl/store/lookup_store.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_has_log_sqlite =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'lookups'";
constexpr std::string_view k_has_log_postgresql = "SELECT 1 WHERE to_regclass('lookups') IS NOT NULL";

constexpr std::string_view k_insert = R"sql(
INSERT INTO lookups (at, operator, login, department, subject_id, outcome, as_of, entries)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
RETURNING lookup_id)sql";

constexpr std::string_view k_lookups = R"sql(
SELECT lookup_id, at, operator, login, department, subject_id, outcome, as_of, entries
FROM lookups WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1)
  AND (CAST(?2 AS TEXT) IS NULL OR department = ?2)
ORDER BY lookup_id)sql";

}  // namespace

LookupStore::LookupStore(Database& db) : m_db(db) {}

std::int64_t LookupStore::record(const Lookup& lookup) {
    // Prepared on first use: a reader of an unmigrated database has no table to prepare it on.
    if (!m_insert) {
        m_insert.emplace(m_db, k_insert);
    }
    m_insert->bind(1, lookup.at)
        .bind(2, lookup.operator_name)
        .bind(3, lookup.login)
        .bind(4, lookup.department)
        .bind(5, lookup.subject_id)
        .bind(6, lookup.outcome)
        .bind(7, lookup.as_of)
        .bind(8, lookup.entries_json);
    return m_insert->single_integer();
}

void LookupStore::for_each(const LookupFilter& filter,
                           const std::function<void(const Lookup&)>& visit) {
    Statement has_log(m_db, m_db.sql(k_has_log_sqlite, k_has_log_postgresql));
    if (!has_log.step()) {
        return;
    }
    Statement lookups(m_db, k_lookups);
    lookups.bind(1, filter.since).bind(2, filter.department);
    Lookup lookup;
    while (lookups.step()) {
        lookup.lookup_id = lookups.column_int64(0);
        lookup.at = lookups.column_text(1);
        lookup.operator_name = lookups.column_text(2);
        lookup.login = lookups.column_text(3);
        lookup.department = lookups.column_optional_text(4);
        lookup.subject_id = lookups.column_text(5);
        lookup.outcome = lookups.column_text(6);
        lookup.as_of = lookups.column_text(7);
        lookup.entries_json = lookups.column_text(8);
        visit(lookup);
    }
}

}  // namespace rbl::store
