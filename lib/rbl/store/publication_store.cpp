#include "rbl/store/publication_store.hpp"

#include <set>

#include "rbl/store/columns.hpp"
#include "rbl/store/schema.hpp"

namespace rbl::store {

namespace {

// DATA: the explanation's data (JOIN_DATA joins its table), or NULL for a database older than
// version 11 (schema.hpp), which has no such table.
#define RBL_DATA "x.data", "LEFT JOIN entry_explanations x ON x.entry_id = e.entry_id "
#define RBL_NO_DATA "CAST(NULL AS TEXT)", ""
#define RBL_ENTRY_ROW(...) RBL_ENTRY_ROW_OF(__VA_ARGS__)
#define RBL_ENTRY_ROW_OF(DATA, JOIN_DATA) RBL_ENTRY_ROW_WITH(DATA, JOIN_DATA, "", "")
// WITH_COLUMN: one more column after the 23 of EntryRow; FIRST: a table read before entries.
#define RBL_ENTRY_ROW_WITH(DATA, JOIN_DATA, WITH_COLUMN, FIRST)                                  \
    "SELECT e.entry_id, e.list_id, e.list_title, e.list_title_zh, e.kind, e.domain, "          \
    "e.subject_id, s.name, s.subject_type, e.status, e.decided_on, e.notice_until, "            \
    "e.publicity_until, e.effective_from, e.expires_on, e.ended_on, e.end_reason, e.authority, " \
    "e.basis, e.explanation, e.terms, "                                                         \
    "(SELECT " RBL_EVIDENCE_IDS " FROM (SELECT record_id FROM entry_evidence v "              \
    "  WHERE v.entry_id = e.entry_id ORDER BY record_id) AS evidence), " DATA WITH_COLUMN " "    \
    "FROM " FIRST "entries e JOIN subjects s ON s.subject_id = e.subject_id " JOIN_DATA
// The entries of changed_rows (filled by k_keep_changes), each with its change as column 23, read
// from that table first (CROSS JOIN keeps SQLite's join order: the few changed rows, each
// entry found by its key) in one ordered pass.
#define RBL_CHANGED_ENTRY_ROW(DATA, JOIN_DATA)                                                   \
    RBL_ENTRY_ROW_WITH(DATA, JOIN_DATA, ", ch.change", "changed_rows ch CROSS JOIN ")          \
    "WHERE e.entry_id = ch.entry_id ORDER BY ch.entry_id"
#define RBL_CHANGED_ENTRIES(...) RBL_CHANGED_ENTRY_ROW(__VA_ARGS__)
#define RBL_ENTRIES_WHERE(DOMAINS)                                                              \
    "WHERE e.decided_on <= ?1 AND (CAST(?2 AS TEXT) IS NULL OR e.kind = ?2) "                                 \
    "AND (CAST(?3 AS TEXT) IS NULL OR e.domain IN (" DOMAINS ")) "                                            \
    "AND (CAST(?4 AS TEXT) IS NULL OR e.subject_id = ?4) ORDER BY e.entry_id"

// The domains filter ?3 is a JSON array of names.
#define RBL_EVIDENCE_IDS "group_concat(record_id, ';')"
#define RBL_DOMAINS "SELECT value FROM json_each(?3)"
constexpr std::string_view k_entries_sqlite =
    RBL_ENTRY_ROW(RBL_DATA) RBL_ENTRIES_WHERE(RBL_DOMAINS);
constexpr std::string_view k_entries_sqlite_before_data =
    RBL_ENTRY_ROW(RBL_NO_DATA) RBL_ENTRIES_WHERE(RBL_DOMAINS);
constexpr std::string_view k_changed_entries_sqlite = RBL_CHANGED_ENTRIES(RBL_DATA);
constexpr std::string_view k_changed_entries_sqlite_before_data =
    RBL_CHANGED_ENTRIES(RBL_NO_DATA);
#undef RBL_DOMAINS
#undef RBL_EVIDENCE_IDS
#define RBL_EVIDENCE_IDS "string_agg(record_id, ';' ORDER BY record_id)"
#define RBL_DOMAINS "SELECT jsonb_array_elements_text(CAST(?3 AS jsonb))"
constexpr std::string_view k_entries_postgresql =
    RBL_ENTRY_ROW(RBL_DATA) RBL_ENTRIES_WHERE(RBL_DOMAINS);
constexpr std::string_view k_entries_postgresql_before_data =
    RBL_ENTRY_ROW(RBL_NO_DATA) RBL_ENTRIES_WHERE(RBL_DOMAINS);
constexpr std::string_view k_changed_entries_postgresql = RBL_CHANGED_ENTRIES(RBL_DATA);
constexpr std::string_view k_changed_entries_postgresql_before_data =
    RBL_CHANGED_ENTRIES(RBL_NO_DATA);
#undef RBL_DOMAINS
#undef RBL_EVIDENCE_IDS
#undef RBL_ENTRIES_WHERE

#undef RBL_ENTRY_ROW
#undef RBL_ENTRY_ROW_OF
#undef RBL_ENTRY_ROW_WITH
#undef RBL_CHANGED_ENTRY_ROW
#undef RBL_CHANGED_ENTRIES
#undef RBL_DATA
#undef RBL_NO_DATA

constexpr std::string_view k_last_as_of = "SELECT max(as_of) FROM runs";

// Entries with an objection open on ?1 (few: read once, not a subquery per exported row).
constexpr std::string_view k_disputed = R"sql(
SELECT DISTINCT entry_id FROM appeals WHERE type = 'objection' AND received_on <= ?1
  AND (decided_on IS NULL OR decided_on > ?1))sql";

constexpr std::string_view k_last_publication = R"sql(
SELECT publication_id, filter, as_of FROM publications WHERE channel = ?1
ORDER BY publication_id DESC LIMIT 1)sql";

constexpr std::string_view k_create_rows_sqlite = R"sql(
CREATE TEMP TABLE IF NOT EXISTS published_rows (
    entry_id INTEGER PRIMARY KEY, row_hash TEXT NOT NULL);
DELETE FROM published_rows;
CREATE TEMP TABLE IF NOT EXISTS changed_rows (entry_id INTEGER PRIMARY KEY, change TEXT NOT NULL);
DELETE FROM changed_rows;)sql";

constexpr std::string_view k_create_rows_postgresql = R"sql(
CREATE TEMP TABLE IF NOT EXISTS published_rows (
    entry_id bigint PRIMARY KEY, row_hash text COLLATE "C" NOT NULL);
DELETE FROM published_rows;
CREATE TEMP TABLE IF NOT EXISTS changed_rows (entry_id bigint PRIMARY KEY, change text NOT NULL);
DELETE FROM changed_rows;)sql";

constexpr std::string_view k_clear_changes = "DELETE FROM changed_rows";

constexpr std::string_view k_add_row =
    "INSERT INTO published_rows (entry_id, row_hash) VALUES (?1, ?2)";

// The changes between publication ?1 and the rows being published, kept in changed_rows: rows
// added or updated (each looked up in the previous publication by its key), then rows removed
// (each looked up among this one's): two indexed passes. (A FULL OUTER JOIN of the two sets
// scanned the previous publication's rows once per row on SQLite 3.40: hours at 1M rows.)
constexpr std::string_view k_keep_changes = R"sql(
INSERT INTO changed_rows (entry_id, change)
SELECT c.entry_id, CASE WHEN p.entry_id IS NULL THEN 'added' ELSE 'updated' END
FROM published_rows c
LEFT JOIN publication_rows p ON p.publication_id = ?1 AND p.entry_id = c.entry_id
WHERE p.entry_id IS NULL OR p.row_hash <> c.row_hash
UNION ALL
SELECT p.entry_id, 'removed' FROM publication_rows p
WHERE p.publication_id = ?1
  AND NOT EXISTS (SELECT 1 FROM published_rows c WHERE c.entry_id = p.entry_id))sql";

constexpr std::string_view k_changes =
    "SELECT entry_id, change FROM changed_rows ORDER BY entry_id";

constexpr std::string_view k_insert_publication = R"sql(
INSERT INTO publications (channel, published_at, as_of, filter, format, delta, rows, sha256, out,
                          operator)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
RETURNING publication_id)sql";

constexpr std::string_view k_copy_rows = R"sql(
INSERT INTO publication_rows (publication_id, entry_id, row_hash)
SELECT CAST(?1 AS BIGINT), entry_id, row_hash FROM published_rows ORDER BY entry_id)sql";

void assign(std::string& out, const Statement& statement, int column) {
    const std::string_view text = statement.column_text(column);
    out.assign(text.data(), text.size());
}

// The statements of the database's dialect and version: with the explanations' data from
// version 11 on, without before.
std::string_view entries_sql(Database& db) {
    return db.schema_version() >= k_explanation_data_version
               ? db.sql(k_entries_sqlite, k_entries_postgresql)
               : db.sql(k_entries_sqlite_before_data, k_entries_postgresql_before_data);
}

std::string_view changed_entries_sql(Database& db) {
    return db.schema_version() >= k_explanation_data_version
               ? db.sql(k_changed_entries_sqlite, k_changed_entries_postgresql)
               : db.sql(k_changed_entries_sqlite_before_data,
                        k_changed_entries_postgresql_before_data);
}

}  // namespace

PublicationStore::PublicationStore(Database& db)
    : m_db(db),
      m_last_as_of(db, k_last_as_of),
      m_entries(db, entries_sql(db), detail::Fetch::stream),
      m_last_publication(db, k_last_publication),
      m_insert_publication(db, k_insert_publication) {}

std::set<std::int64_t> PublicationStore::disputed_on(const std::string& day) {
    Statement statement(m_db, k_disputed);
    statement.bind(1, day);
    std::set<std::int64_t> ids;
    while (statement.step()) {
        ids.insert(statement.column_int64(0));
    }
    return ids;
}

std::optional<std::string> PublicationStore::last_run_as_of() {
    std::optional<std::string> as_of;
    if (m_last_as_of.step() && !m_last_as_of.is_null(0)) {
        as_of = std::string(m_last_as_of.column_text(0));
    }
    m_last_as_of.reset();
    return as_of;
}

void PublicationStore::read_row(const Statement& statement, EntryRow& row) const {
    row.entry_id = statement.column_int64(0);
    assign(row.list_id, statement, 1);
    assign(row.list_title, statement, 2);
    assign(row.list_title_zh, statement, 3);
    assign(row.kind, statement, 4);
    assign(row.domain, statement, 5);
    assign(row.subject_id, statement, 6);
    assign(row.subject_name, statement, 7);
    assign(row.subject_type, statement, 8);
    assign(row.status, statement, 9);
    assign(row.decided_on, statement, 10);
    assign(row.notice_until, statement, 11);
    assign(row.publicity_until, statement, 12);
    assign(row.effective_from, statement, 13);
    assign(row.expires_on, statement, 14);
    assign(row.ended_on, statement, 15);
    row.end_reason = end_reason_of(statement, 16);
    assign(row.authority, statement, 17);
    assign(row.basis, statement, 18);
    assign(row.explanation, statement, 19);
    assign(row.terms_json, statement, 20);
    assign(row.evidence, statement, 21);
    assign(row.explanation_data, statement, 22);
}

void PublicationStore::for_each_entry(const EntryFilter& filter,
                                      const std::function<void(const EntryRow&)>& visit) {
    const std::string day = filter.as_of.iso();
    const std::set<std::int64_t> disputed = disputed_on(day);
    m_entries.bind(1, day)
        .bind(2, filter.kind)
        .bind(3, filter.domains_json)
        .bind(4, filter.subject_id);
    EntryRow row;
    try {
        while (m_entries.step()) {
            read_row(m_entries, row);
            row.disputed = disputed.contains(row.entry_id);
            visit(row);
        }
    } catch (...) {
        m_entries.reset();
        throw;
    }
    m_entries.reset();
}

void PublicationStore::for_each_changed_entry(
    std::int64_t previous, util::Date as_of,
    const std::function<void(const EntryRow&, std::string_view)>& visit) {
    const std::set<std::int64_t> disputed = disputed_on(as_of.iso());
    keep_changes(previous);
    EntryRow row;
    try {
        while (m_changed_entries.step()) {
            read_row(m_changed_entries, row);
            row.disputed = disputed.contains(row.entry_id);
            visit(row, m_changed_entries.column_text(23));
        }
    } catch (...) {
        m_changed_entries.reset();
        throw;
    }
    m_changed_entries.reset();
}

std::optional<LastPublication> PublicationStore::last_publication(std::string_view channel) {
    m_last_publication.bind(1, channel);
    std::optional<LastPublication> last;
    if (m_last_publication.step()) {
        last = LastPublication{m_last_publication.column_int64(0),
                               std::string(m_last_publication.column_text(1)),
                               std::string(m_last_publication.column_text(2))};
    }
    m_last_publication.reset();
    return last;
}

void PublicationStore::start_rows() {
    m_db.exec(m_db.sql(k_create_rows_sqlite, k_create_rows_postgresql));
    m_add_row = m_db.prepare(k_add_row);
    m_keep_changes = m_db.prepare(k_keep_changes);
    m_changes = m_db.prepare(k_changes);
    m_changed_entries = Statement(m_db, changed_entries_sql(m_db), detail::Fetch::stream);
    m_copy_rows = m_db.prepare(k_copy_rows);
}

void PublicationStore::add_row(std::int64_t entry_id, std::string_view row_hash) {
    m_add_row.bind(1, entry_id).bind(2, row_hash);
    m_add_row.run();
}

void PublicationStore::keep_changes(std::int64_t previous) {
    m_db.exec(k_clear_changes);
    m_keep_changes.bind(1, previous);
    m_keep_changes.run();
}

void PublicationStore::for_each_change(
    std::int64_t previous, const std::function<void(std::int64_t, std::string_view)>& visit) {
    keep_changes(previous);
    try {
        while (m_changes.step()) {
            visit(m_changes.column_int64(0), m_changes.column_text(1));
        }
    } catch (...) {
        m_changes.reset();
        throw;
    }
    m_changes.reset();
}

std::int64_t PublicationStore::record(const PublicationRecord& publication) {
    m_insert_publication.bind(1, publication.channel)
        .bind(2, publication.published_at)
        .bind(3, publication.as_of)
        .bind(4, publication.filter_json)
        .bind(5, publication.format)
        .bind(6, publication.delta ? 1 : 0)
        .bind(7, publication.rows)
        .bind(8, publication.sha256)
        .bind(9, publication.out)
        .bind(10, publication.operator_name);
    const std::int64_t publication_id = m_insert_publication.single_integer();
    m_copy_rows.bind(1, publication_id);
    m_copy_rows.run();
    return publication_id;
}

}  // namespace rbl::store
