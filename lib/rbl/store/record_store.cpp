#include "rbl/store/record_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/money.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_insert_batch = R"sql(
INSERT INTO import_batches (source, file_name, file_sha256, format, encoding, mapping, operator,
                            started_at, finished_at, rows, inserted, updated, unchanged, rejected)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 0, 0, 0, 0, 0)
RETURNING batch_id)sql";

constexpr std::string_view k_finish_batch = R"sql(
UPDATE import_batches
SET rows = ?2, inserted = ?3, updated = ?4, unchanged = ?5, rejected = ?6, finished_at = ?7
WHERE batch_id = ?1)sql";

constexpr std::string_view k_find_batch = R"sql(
SELECT batch_id, source, file_name, file_sha256, rows, inserted, updated, unchanged, rejected,
       reverted_at
FROM import_batches WHERE batch_id = ?1)sql";

constexpr std::string_view k_revert_records = R"sql(
UPDATE records SET status = 'withdrawn', withdrawn_by = 'office', updated_batch = ?1
WHERE inserted_batch = ?1 AND status = 'active'
RETURNING )sql" RBL_RECORD_STATE_COLUMNS;

// Served by records_for_evaluation (subject_id, domain, ...): a subject's records of one domain.
// min() rather than ORDER BY ... LIMIT 1, which made SQLite build a sorter for every row.
constexpr std::string_view k_other_source = R"sql(
SELECT min(source) FROM records
WHERE subject_id = ?1 AND domain = ?2 AND kind = ?3 AND record_id = ?4 AND source <> ?5)sql";

// An upheld objection's withdrawal of the entry's evidence (the batch stays as it was).
constexpr std::string_view k_withdraw_evidence = R"sql(
UPDATE records SET status = 'withdrawn', withdrawn_by = 'office'
WHERE rec IN (SELECT rec FROM entry_evidence WHERE entry_id = ?1) AND status = 'active'
RETURNING )sql" RBL_RECORD_STATE_COLUMNS;

// import_batches is small (one row per file loaded).
constexpr std::string_view k_other_sources = R"sql(
SELECT EXISTS (SELECT 1 FROM import_batches WHERE source <> ?1 AND format <> 'feedback'))sql";

constexpr std::string_view k_mark_subject = "INSERT INTO subject_marks (subject_id) VALUES (?1)";

// How many subjects' marks are kept in memory before they are written (about 6 MiB).
constexpr std::size_t k_marks_kept = 65536;

constexpr std::string_view k_revert_batch =
    "UPDATE import_batches SET reverted_at = ?2 WHERE batch_id = ?1";

constexpr std::string_view k_find_subject =
    "SELECT name, subject_type FROM subjects WHERE subject_id = ?1";

constexpr std::string_view k_insert_subject = R"sql(
INSERT INTO subjects (subject_id, name, subject_type, region, id_check_ok, first_batch,
                      updated_batch)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
ON CONFLICT (subject_id) DO NOTHING)sql";

constexpr std::string_view k_update_subject = R"sql(
UPDATE subjects SET name = ?2, subject_type = ?3, id_check_ok = ?4, updated_batch = ?5
WHERE subject_id = ?1)sql";

// After find_key() found no record under the key.
constexpr std::string_view k_insert_record = R"sql(
INSERT INTO records (source, record_id, subject_id, domain, kind, date, amount_fen, authority,
                     region, status, withdrawn_by, attrs, content_hash, inserted_batch,
                     updated_batch, seen_batch)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?14))sql";

constexpr std::string_view k_find_record =
    "SELECT rec, content_hash, seen_batch, " RBL_RECORD_STATE_COLUMNS
    " FROM records WHERE source = ?1 AND record_id = ?2";
constexpr int k_found_state = 3;  // the first of the state columns in k_find_record

constexpr std::string_view k_update_record = R"sql(
UPDATE records
SET subject_id = ?2, domain = ?3, kind = ?4, date = ?5, amount_fen = ?6, authority = ?7,
    region = ?8, status = ?9, withdrawn_by = ?10, attrs = ?11, content_hash = ?12,
    updated_batch = ?13, seen_batch = ?13
WHERE rec = ?1)sql";

constexpr std::string_view k_mark_seen = "UPDATE records SET seen_batch = ?2 WHERE rec = ?1";

// The covering index a large load builds after its rows (defer_index_on_large_load()): its
// definition is read from the schema, so that the index built again is the one dropped.
constexpr std::string_view k_evaluation_index_sql =
    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'records_for_evaluation'";
constexpr std::string_view k_drop_evaluation_index = "DROP INDEX records_for_evaluation";
// Half, and all, of the 64 MiB page cache every SQLite connection has (sqlite_connection.cpp).
constexpr std::string_view k_half_cache = "PRAGMA cache_size=-32768";
constexpr std::string_view k_whole_cache = "PRAGMA cache_size=-65536";
// The largest rec, about the table's size (rowids are not reused but rarely deleted).
constexpr std::string_view k_records_size = "SELECT coalesce(max(rec), 0) FROM records";

std::optional<std::string_view> withdrawn_by(const model::Record& record, bool office_withdrawn) {
    if (office_withdrawn) {
        return "office";
    }
    if (record.status == model::RecordStatus::withdrawn) {
        return "source";
    }
    return std::nullopt;
}

std::optional<std::int64_t> amount_of(const model::Record& record) { return record.amount; }

// The stored version of a record as JSON, for the audit log's "before".
std::string stored_record_json(const RecordState& found) {
    const auto optional = [](const std::optional<std::string_view>& text) {
        return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
    };
    nlohmann::json before = {
        {"subject_id", found.subject_id},
        {"domain", found.domain},
        {"kind", found.kind},
        {"date", found.date},
        {"amount", found.amount_fen ? nlohmann::json(util::format_yuan(*found.amount_fen))
                                    : nlohmann::json(nullptr)},
        {"authority", optional(found.authority)},
        {"region", optional(found.region)},
        {"status", found.status},
        {"attrs", nlohmann::json::parse(found.attrs, nullptr, false)},
    };
    return before.dump();
}

ReplacedVersion replaced_version(const RecordState& found) {
    return {found.withdrawn_by == "office", stored_record_json(found), record_state_hash(found)};
}

// The hash of a record's content as put_record() binds it.
StateHash state_of(const model::Record& record, std::string_view date, std::string_view status,
                   std::optional<std::string_view> withdrawn) {
    return record_state_hash(RecordState{
        .source = record.source,
        .record_id = record.record_id,
        .subject_id = record.subject_id,
        .domain = record.domain,
        .kind = record.kind,
        .date = date,
        .amount_fen = record.amount,
        .authority = record.authority,
        .region = record.region,
        .status = status,
        .withdrawn_by = withdrawn,
        .attrs = record.attrs_json,
    });
}

}  // namespace

RecordStore::RecordStore(Database& db)
    : m_db(db),
      m_mark_subject(db, k_mark_subject),
      m_insert_batch(db, k_insert_batch),
      m_finish_batch(db, k_finish_batch),
      m_find_batch(db, k_find_batch),
      m_revert_records(db, k_revert_records),
      m_revert_batch(db, k_revert_batch),
      m_find_subject(db, k_find_subject),
      m_insert_subject(db, k_insert_subject),
      m_update_subject(db, k_update_subject),
      m_insert_record(db, k_insert_record),
      m_find_record(db, k_find_record),
      m_update_record(db, k_update_record),
      m_mark_seen(db, k_mark_seen),
      m_other_source(db, k_other_source),
      m_withdraw_evidence(db, k_withdraw_evidence) {}

std::int64_t RecordStore::begin_batch(const BatchStart& batch) {
    m_insert_batch.bind(1, batch.source)
        .bind(2, batch.file_name)
        .bind(3, batch.file_sha256)
        .bind(4, batch.format)
        .bind(5, batch.encoding)
        .bind(6, batch.mapping)
        .bind(7, batch.operator_name)
        .bind(8, batch.started_at);
    return m_insert_batch.single_integer();
}

void RecordStore::mark_inserted_subjects() {
    for (const std::string& subject_id : m_inserted_subjects) {
        m_mark_subject.bind(1, subject_id);
        m_mark_subject.run();
    }
    m_inserted_subjects.clear();
}

void RecordStore::finish_batch(std::int64_t batch_id, const BatchCounts& counts,
                               std::string_view at) {
    mark_inserted_subjects();
    m_finish_batch.bind(1, batch_id)
        .bind(2, counts.rows)
        .bind(3, counts.inserted)
        .bind(4, counts.updated)
        .bind(5, counts.unchanged)
        .bind(6, counts.rejected)
        .bind(7, at);
    m_finish_batch.run();
}

std::optional<BatchRow> RecordStore::find_batch(std::int64_t batch_id) {
    m_find_batch.bind(1, batch_id);
    std::optional<BatchRow> row;
    if (m_find_batch.step()) {
        row = BatchRow{
            .batch_id = m_find_batch.column_int64(0),
            .source = std::string(m_find_batch.column_text(1)),
            .file_name = std::string(m_find_batch.column_text(2)),
            .file_sha256 = std::string(m_find_batch.column_text(3)),
            .counts = {m_find_batch.column_int64(4), m_find_batch.column_int64(5),
                       m_find_batch.column_int64(6), m_find_batch.column_int64(7),
                       m_find_batch.column_int64(8)},
            .reverted_at = m_find_batch.column_optional_text(9),
        };
    }
    m_find_batch.reset();
    return row;
}

RevertChange RecordStore::revert_batch(std::int64_t batch_id, std::string_view at) {
    RevertChange change;
    m_revert_records.bind(1, batch_id);
    try {
        while (m_revert_records.step()) {
            RecordState state = record_state_of(m_revert_records, 0);
            change.after.add(record_state_hash(state));
            // Only active records were changed, and an active record has no withdrawn_by.
            state.status = "active";
            state.withdrawn_by = std::nullopt;
            change.before.add(record_state_hash(state));
            ++change.withdrawn;
        }
    } catch (...) {
        m_revert_records.reset();
        throw;
    }
    m_revert_records.reset();
    m_revert_batch.bind(1, batch_id).bind(2, at);
    m_revert_batch.run();
    return change;
}

SubjectChange RecordStore::put_subject(const model::Record& record,
                                       std::string_view subject_region, std::int64_t batch_id) {
    const std::string_view type = model::to_string(record.subject_type);
    SubjectChange change;
    // Inserting first costs one B-tree descent for a new subject; only a known one is read back.
    m_insert_subject.bind(1, record.subject_id)
        .bind(2, record.subject_name)
        .bind(3, type)
        .bind(4, subject_region)
        .bind(5, record.id_check_ok ? 1 : 0)
        .bind(6, batch_id);
    m_insert_subject.run();
    if (m_db.changes() == 1) {
        change.outcome = SubjectChange::Outcome::inserted;
        return change;
    }
    m_find_subject.bind(1, record.subject_id);
    if (m_find_subject.step() && (m_find_subject.column_text(0) != record.subject_name ||
                                  m_find_subject.column_text(1) != type)) {
        change.outcome = SubjectChange::Outcome::updated;
        change.before_name = m_find_subject.column_text(0);
        change.before_type = m_find_subject.column_text(1);
    }
    m_find_subject.reset();
    if (change.outcome == SubjectChange::Outcome::updated) {
        m_update_subject.bind(1, record.subject_id)
            .bind(2, record.subject_name)
            .bind(3, type)
            .bind(4, record.id_check_ok ? 1 : 0)
            .bind(5, batch_id);
        m_update_subject.run();
    }
    return change;
}

RowChange RecordStore::put_row(const model::Record& record, const ContentHash& hash,
                               std::string_view subject_region, std::int64_t batch_id) {
    RowChange change;
    const StoredKey stored = find_key(record, hash, batch_id);
    if (stored.kind == StoredKey::Kind::conflict) {
        change.record.outcome = RecordChange::Outcome::conflict;
        return change;
    }
    change.subject = put_subject(record, subject_region, batch_id);
    change.record = write_record(stored, record, hash, batch_id);
    return change;
}

RecordChange RecordStore::put_record(const model::Record& record, const ContentHash& hash,
                                     std::int64_t batch_id) {
    return write_record(find_key(record, hash, batch_id), record, hash, batch_id);
}

RecordStore::StoredKey RecordStore::find_key(const model::Record& record, const ContentHash& hash,
                                             std::int64_t batch_id) {
    StoredKey stored;
    m_find_record.bind(1, record.source).bind(2, record.record_id);
    try {
        if (!m_find_record.step()) {
            m_find_record.reset();
            return stored;
        }
        stored.rec = m_find_record.column_int64(0);
        const std::string_view stored_hash = m_find_record.column_blob(1);
        const bool same = stored_hash.size() == hash.size() &&
                          std::equal(hash.begin(), hash.end(), stored_hash.begin(),
                                     [](std::uint8_t a, char b) {
                                         return a == static_cast<std::uint8_t>(b);
                                     });
        stored.seen_in_this_batch = m_find_record.column_int64(2) == batch_id;
        if (same) {
            stored.kind = StoredKey::Kind::same;
        } else if (stored.seen_in_this_batch) {
            stored.kind = StoredKey::Kind::conflict;
        } else {
            stored.kind = StoredKey::Kind::other;
            stored.replaced = replaced_version(record_state_of(m_find_record, k_found_state));
        }
    } catch (...) {
        m_find_record.reset();
        throw;
    }
    m_find_record.reset();
    return stored;
}

RecordChange RecordStore::write_record(const StoredKey& stored, const model::Record& record,
                                       const ContentHash& hash, std::int64_t batch_id) {
    RecordChange change;
    switch (stored.kind) {
        case StoredKey::Kind::conflict:
            change.outcome = RecordChange::Outcome::conflict;
            return change;
        case StoredKey::Kind::same:
            change.outcome = RecordChange::Outcome::unchanged;
            if (!stored.seen_in_this_batch) {
                // Marks the key as held by this file, so a later row with other content is caught.
                m_mark_seen.bind(1, stored.rec).bind(2, batch_id);
                m_mark_seen.run();
            }
            return change;
        case StoredKey::Kind::absent:
        case StoredKey::Kind::other:
            break;
    }
    const std::string date = record.date.iso();
    const std::string_view status = model::to_string(record.status);
    if (stored.kind == StoredKey::Kind::absent) {
        m_insert_record.bind(1, record.source)
            .bind(2, record.record_id)
            .bind(3, record.subject_id)
            .bind(4, record.domain)
            .bind(5, record.kind)
            .bind(6, date)
            .bind(7, amount_of(record))
            .bind(8, record.authority)
            .bind(9, record.region)
            .bind(10, status)
            .bind(11, withdrawn_by(record, false))
            .bind(12, record.attrs_json)
            .bind_blob(13, hash.data(), hash.size())
            .bind(14, batch_id);
        m_insert_record.run();
        if (!m_deferred_index_sql.empty() && !m_index_dropped &&
            ++m_inserted_count > m_defer_after) {
            m_db.exec(k_drop_evaluation_index);
            m_index_dropped = true;
        }
        m_inserted_subjects.insert(record.subject_id);
        if (m_inserted_subjects.size() >= k_marks_kept) {
            mark_inserted_subjects();
        }
        change.outcome = RecordChange::Outcome::inserted;
        change.state = state_of(record, date, status, withdrawn_by(record, false));
        return change;
    }

    change.outcome = RecordChange::Outcome::updated;
    change.before_json = stored.replaced.before_json;
    change.previous_state = stored.replaced.state;
    const bool office_withdrawn = stored.replaced.office_withdrawn;
    const std::string_view new_status =
        office_withdrawn ? std::string_view("withdrawn") : status;
    const auto new_withdrawn_by = withdrawn_by(record, office_withdrawn);
    change.state = state_of(record, date, new_status, new_withdrawn_by);
    m_update_record.bind(1, stored.rec)
        .bind(2, record.subject_id)
        .bind(3, record.domain)
        .bind(4, record.kind)
        .bind(5, date)
        .bind(6, amount_of(record))
        .bind(7, record.authority)
        .bind(8, record.region)
        .bind(9, new_status)
        .bind(10, new_withdrawn_by)
        .bind(11, record.attrs_json)
        .bind_blob(12, hash.data(), hash.size())
        .bind(13, batch_id);
    m_update_record.run();
    return change;
}

void RecordStore::defer_index_on_large_load() {
    if (m_db.dialect() != Dialect::sqlite) {
        return;
    }
    {
        Statement statement(m_db, k_evaluation_index_sql);
        if (!statement.step() || statement.is_null(0)) {
            return;  // an older schema: nothing to defer
        }
        m_deferred_index_sql = statement.column_text(0);
    }
    Statement size(m_db, k_records_size);
    const std::int64_t records = size.step() ? size.column_int64(0) : 0;
    m_defer_after = std::max(records, k_index_deferred_after);
}

void RecordStore::build_deferred_index() {
    if (!m_index_dropped) {
        return;
    }
    // The sort of CREATE INDEX holds as much memory as the page cache may (SQLite's
    // vdbesort.c): with the cache halved while it runs, the two together stay within the
    // cache's own size, and the import within its memory.
    m_db.exec(k_half_cache);
    m_db.exec(m_deferred_index_sql);
    m_db.exec(k_whole_cache);
    m_index_dropped = false;
    m_inserted_count = 0;
}

bool RecordStore::has_other_sources(std::string_view source) {
    Statement statement(m_db, k_other_sources);
    statement.bind(1, source);
    return statement.step() && statement.column_int64(0) != 0;
}

std::optional<std::string> RecordStore::other_source_of(const model::Record& record) {
    m_other_source.bind(1, record.subject_id)
        .bind(2, record.domain)
        .bind(3, record.kind)
        .bind(4, record.record_id)
        .bind(5, record.source);
    std::optional<std::string> source;
    if (m_other_source.step() && !m_other_source.is_null(0)) {
        source = std::string(m_other_source.column_text(0));
    }
    m_other_source.reset();
    return source;
}

std::vector<WithdrawnRecord> RecordStore::withdraw_evidence(std::int64_t entry_id) {
    std::vector<WithdrawnRecord> withdrawn;
    m_withdraw_evidence.bind(1, entry_id);
    try {
        while (m_withdraw_evidence.step()) {
            RecordState state = record_state_of(m_withdraw_evidence, 0);
            WithdrawnRecord record{std::string(state.source), std::string(state.record_id),
                                   record_state_hash(state), {}};
            // Only active records were changed, and an active record has no withdrawn_by.
            state.status = "active";
            state.withdrawn_by = std::nullopt;
            record.previous_state = record_state_hash(state);
            withdrawn.push_back(std::move(record));
        }
    } catch (...) {
        m_withdraw_evidence.reset();
        throw;
    }
    m_withdraw_evidence.reset();
    return withdrawn;
}

// ---------------------------------------------------------------------------------------------
// BulkRecordWriter: PostgreSQL only (every statement below is PostgreSQL's).

namespace {

// The staging tables of one import: temporary (this session's own, never logged), dropped when
// the transaction ends, committed or not.
constexpr std::string_view k_create_stage = R"sql(
CREATE TEMPORARY TABLE rbl_import_stage (
    ord          bigint NOT NULL,
    first        boolean NOT NULL,
    source       text COLLATE "C" NOT NULL,
    record_id    text COLLATE "C" NOT NULL,
    subject_id   text COLLATE "C" NOT NULL,
    domain       text COLLATE "C" NOT NULL,
    kind         text COLLATE "C" NOT NULL,
    date         text COLLATE "C" NOT NULL,
    amount_fen   bigint,
    authority    text COLLATE "C",
    region       text COLLATE "C",
    status       text COLLATE "C" NOT NULL,
    withdrawn_by text COLLATE "C",
    attrs        text COLLATE "C" NOT NULL,
    content_hash bytea NOT NULL,
    outcome      text COLLATE "C",
    rec          bigint,
    stored_hash  bytea
) ON COMMIT DROP;
CREATE TEMPORARY TABLE rbl_import_subjects (
    subject_id   text COLLATE "C" NOT NULL,
    name         text COLLATE "C" NOT NULL,
    subject_type text COLLATE "C" NOT NULL,
    region       text COLLATE "C" NOT NULL,
    id_check_ok  bigint NOT NULL,
    is_new       boolean NOT NULL
) ON COMMIT DROP)sql";

constexpr std::string_view k_copy_stage = R"sql(
COPY rbl_import_stage (ord, first, source, record_id, subject_id, domain, kind, date, amount_fen,
                       authority, region, status, withdrawn_by, attrs, content_hash)
FROM STDIN)sql";

constexpr std::string_view k_copy_subjects = R"sql(
COPY rbl_import_subjects (subject_id, name, subject_type, region, id_check_ok, is_new)
FROM STDIN)sql";

// Statistics of the rows just loaded, so that the planner joins them to records by its keys.
// Taken on the first batch only: every batch has the same shape, TRUNCATE keeps the column
// statistics, and the planner reads the table's size afresh for each plan.
constexpr std::string_view k_analyze_stage = "ANALYZE rbl_import_stage";
constexpr std::string_view k_clear_stage = "TRUNCATE rbl_import_stage, rbl_import_subjects";

// What put_record() decides for the first row of each key: a new key stays NULL (inserted);
// the same content is 'same' when this batch already holds the key, else 'seen' (unchanged,
// marked as held by this batch); other content is a 'conflict' when this batch holds the key,
// else 'updated'.
constexpr std::string_view k_classify = R"sql(
UPDATE rbl_import_stage s
SET rec = r.rec, stored_hash = r.content_hash,
    outcome = CASE WHEN r.content_hash = s.content_hash
                   THEN CASE WHEN r.seen_batch = ?1 THEN 'same' ELSE 'seen' END
                   WHEN r.seen_batch = ?1 THEN 'conflict' ELSE 'updated' END
FROM records r
WHERE s.first AND r.source = s.source AND r.record_id = s.record_id)sql";

// The known keys' outcomes, with the stored version of those to be updated.
constexpr std::string_view k_found = R"sql(
SELECT s.ord, s.outcome, s.stored_hash, r.*
FROM rbl_import_stage s
LEFT JOIN LATERAL (SELECT )sql" RBL_RECORD_STATE_COLUMNS R"sql( FROM records
                   WHERE records.rec = s.rec AND s.outcome = 'updated') r ON true
WHERE s.outcome IS NOT NULL
ORDER BY s.ord)sql";
constexpr int k_found_state_column = 3;

// other_source_of() for every row (records_for_evaluation serves the join).
constexpr std::string_view k_stage_other_source = R"sql(
SELECT s.ord, min(r.source)
FROM rbl_import_stage s
JOIN records r ON r.subject_id = s.subject_id AND r.domain = s.domain AND r.kind = s.kind
              AND r.record_id = s.record_id AND r.source <> s.source
GROUP BY s.ord)sql";

constexpr std::string_view k_stored_subjects = R"sql(
SELECT t.subject_id, t.name, t.subject_type
FROM subjects t
WHERE t.subject_id IN (SELECT subject_id FROM rbl_import_stage))sql";

constexpr std::string_view k_insert_staged_subjects = R"sql(
INSERT INTO subjects (subject_id, name, subject_type, region, id_check_ok, first_batch,
                      updated_batch)
SELECT subject_id, name, subject_type, region, id_check_ok, ?1::bigint, ?1::bigint
FROM rbl_import_subjects WHERE is_new)sql";

constexpr std::string_view k_update_staged_subjects = R"sql(
UPDATE subjects t
SET name = s.name, subject_type = s.subject_type, id_check_ok = s.id_check_ok,
    updated_batch = ?1::bigint
FROM rbl_import_subjects s
WHERE t.subject_id = s.subject_id AND NOT s.is_new)sql";

// An office withdrawal stands whatever the record says (put_record()).
constexpr std::string_view k_update_staged_records = R"sql(
UPDATE records r
SET subject_id = s.subject_id, domain = s.domain, kind = s.kind, date = s.date,
    amount_fen = s.amount_fen, authority = s.authority, region = s.region,
    status = CASE WHEN r.withdrawn_by = 'office' THEN 'withdrawn' ELSE s.status END,
    withdrawn_by = CASE WHEN r.withdrawn_by = 'office' THEN 'office' ELSE s.withdrawn_by END,
    attrs = s.attrs, content_hash = s.content_hash, updated_batch = ?1::bigint,
    seen_batch = ?1::bigint
FROM rbl_import_stage s
WHERE r.rec = s.rec AND s.outcome = 'updated')sql";

constexpr std::string_view k_mark_staged_seen = R"sql(
UPDATE records r SET seen_batch = ?1::bigint
FROM rbl_import_stage s
WHERE r.rec = s.rec AND s.outcome = 'seen')sql";

constexpr std::string_view k_insert_staged_records = R"sql(
INSERT INTO records (source, record_id, subject_id, domain, kind, date, amount_fen, authority,
                     region, status, withdrawn_by, attrs, content_hash, inserted_batch,
                     updated_batch, seen_batch)
SELECT source, record_id, subject_id, domain, kind, date, amount_fen, authority, region, status,
       withdrawn_by, attrs, content_hash, ?1::bigint, ?1::bigint, ?1::bigint
FROM rbl_import_stage
WHERE first AND outcome IS NULL
ORDER BY ord)sql";

// The subjects of the records inserted, for the next incremental run (as finish_batch()).
constexpr std::string_view k_mark_staged_subjects = R"sql(
INSERT INTO subject_marks (subject_id)
SELECT DISTINCT subject_id FROM rbl_import_stage WHERE first AND outcome IS NULL)sql";

bool same_hash(const ContentHash& hash, std::string_view stored) {
    return stored.size() == hash.size() &&
           std::equal(hash.begin(), hash.end(), stored.begin(), [](std::uint8_t a, char b) {
               return a == static_cast<std::uint8_t>(b);
           });
}

std::string record_key(const model::Record& record) {
    std::string key = record.source;
    key += '\0';
    key += record.record_id;
    return key;
}

}  // namespace

bool BulkRecordWriter::supported(const Database& db) { return db.dialect() == Dialect::postgresql; }

BulkRecordWriter::BulkRecordWriter(Database& db, std::int64_t batch_id, bool other_sources)
    : m_db(db),
      m_batch_id(batch_id),
      m_other_sources(other_sources),
      m_classify(db, k_classify),
      m_found(db, k_found),
      m_other_source(db, k_stage_other_source),
      m_stored_subjects(db, k_stored_subjects),
      m_insert_subjects(db, k_insert_staged_subjects),
      m_update_subjects(db, k_update_staged_subjects),
      m_update_records(db, k_update_staged_records),
      m_mark_seen(db, k_mark_staged_seen),
      m_insert_records(db, k_insert_staged_records),
      m_mark_subjects(db, k_mark_staged_subjects) {
    // The statements are prepared at their first use, after the tables exist.
    m_db.exec(k_create_stage);
    m_rows.reserve(k_rows);
}

std::size_t BulkRecordWriter::add(const model::Record& record, const ContentHash& hash,
                                  std::string_view subject_region) {
    m_rows.push_back(Row{record, hash, std::string(subject_region)});
    return m_rows.size() - 1;
}

void BulkRecordWriter::stage(const std::vector<bool>& first) {
    CopyIn copy(m_db, k_copy_stage);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const model::Record& record = m_rows[i].record;
        copy.integer(static_cast<std::int64_t>(i))
            .boolean(first[i])
            .text(record.source)
            .text(record.record_id)
            .text(record.subject_id)
            .text(record.domain)
            .text(record.kind)
            .text(record.date.iso())
            .integer(amount_of(record))
            .text(record.authority)
            .text(record.region)
            .text(model::to_string(record.status))
            .text(withdrawn_by(record, false))
            .text(record.attrs_json)
            .blob(m_rows[i].hash.data(), m_rows[i].hash.size());
        copy.end_row();
    }
    copy.finish();
    if (!m_stage_analyzed) {
        m_db.exec(k_analyze_stage);
        m_stage_analyzed = true;
    }
}

std::vector<BulkOutcome> BulkRecordWriter::flush() {
    std::vector<BulkOutcome> outcomes(m_rows.size());
    if (m_rows.empty()) {
        return outcomes;
    }
    // The first row of each key goes to the server; a repeat is decided here, after it.
    std::vector<bool> first(m_rows.size(), true);
    std::vector<std::size_t> first_of(m_rows.size());
    {
        std::unordered_map<std::string, std::size_t> seen;
        seen.reserve(m_rows.size());
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            const auto [at, inserted] = seen.try_emplace(record_key(m_rows[i].record), i);
            first[i] = inserted;
            first_of[i] = at->second;
        }
    }
    stage(first);
    m_classify.bind(1, m_batch_id);
    m_classify.run();

    // Every first row is inserted unless the server knew its key.
    using Outcome = RecordChange::Outcome;
    std::vector<std::string> stored_hash(m_rows.size());
    std::vector<bool> office(m_rows.size(), false);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        outcomes[i].record.outcome = Outcome::inserted;
    }
    try {
        while (m_found.step()) {
            const auto i = static_cast<std::size_t>(m_found.column_int64(0));
            const std::string_view outcome = m_found.column_text(1);
            RecordChange& change = outcomes[i].record;
            stored_hash[i] = std::string(m_found.column_blob(2));
            if (outcome == "same" || outcome == "seen") {
                change.outcome = Outcome::unchanged;
            } else if (outcome == "conflict") {
                change.outcome = Outcome::conflict;
            } else {
                ReplacedVersion replaced =
                    replaced_version(record_state_of(m_found, k_found_state_column));
                office[i] = replaced.office_withdrawn;
                change.outcome = Outcome::updated;
                change.before_json = std::move(replaced.before_json);
                change.previous_state = replaced.state;
            }
        }
    } catch (...) {
        m_found.reset();
        throw;
    }
    m_found.reset();

    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows[i];
        RecordChange& change = outcomes[i].record;
        if (!first[i]) {
            // After the key's first row, the stored content is that row's, or (a conflict) the
            // content that was there: the same is unchanged, anything else a conflict.
            const std::size_t j = first_of[i];
            const bool same =
                outcomes[j].record.outcome == Outcome::conflict
                    ? same_hash(row.hash, stored_hash[j])
                    : row.hash == m_rows[j].hash;
            change.outcome = same ? Outcome::unchanged : Outcome::conflict;
            continue;
        }
        const std::string date = row.record.date.iso();
        const std::string_view status = model::to_string(row.record.status);
        if (change.outcome == Outcome::inserted) {
            change.state = state_of(row.record, date, status, withdrawn_by(row.record, false));
        } else if (change.outcome == Outcome::updated) {
            const std::string_view new_status = office[i] ? std::string_view("withdrawn") : status;
            change.state =
                state_of(row.record, date, new_status, withdrawn_by(row.record, office[i]));
        }
    }

    if (m_other_sources) {
        try {
            while (m_other_source.step()) {
                const auto i = static_cast<std::size_t>(m_other_source.column_int64(0));
                if (!m_other_source.is_null(1)) {
                    outcomes[i].other_source = std::string(m_other_source.column_text(1));
                }
            }
        } catch (...) {
            m_other_source.reset();
            throw;
        }
        m_other_source.reset();
        for (BulkOutcome& outcome : outcomes) {
            if (outcome.record.outcome == Outcome::conflict) {
                outcome.other_source.reset();
            }
        }
    }

    write_subjects(outcomes);
    m_update_records.bind(1, m_batch_id);
    m_update_records.run();
    m_mark_seen.bind(1, m_batch_id);
    m_mark_seen.run();
    m_insert_records.bind(1, m_batch_id);
    m_insert_records.run();
    m_mark_subjects.run();
    m_db.exec(k_clear_stage);
    return outcomes;
}

// put_subject() row by row, on the subjects' stored names and types read at once: a subject
// new to the database is inserted by its first row, and every later row whose name or type
// differs from the subject's current ones updates it. One final version per subject is written.
void BulkRecordWriter::write_subjects(std::vector<BulkOutcome>& outcomes) {
    struct Current {
        std::string name;
        std::string type;
        std::string region;
        bool id_check_ok = true;
        bool is_new = false;
        bool changed = false;
    };
    std::unordered_map<std::string, Current> subjects;
    try {
        while (m_stored_subjects.step()) {
            Current stored;
            stored.name = m_stored_subjects.column_text(1);
            stored.type = m_stored_subjects.column_text(2);
            subjects.emplace(std::string(m_stored_subjects.column_text(0)), std::move(stored));
        }
    } catch (...) {
        m_stored_subjects.reset();
        throw;
    }
    m_stored_subjects.reset();

    std::vector<const std::string*> order;  // the subjects to write, in the order first changed
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (outcomes[i].record.outcome == RecordChange::Outcome::conflict) {
            continue;
        }
        const model::Record& record = m_rows[i].record;
        const std::string_view type = model::to_string(record.subject_type);
        SubjectChange& change = outcomes[i].subject;
        auto [at, inserted] = subjects.try_emplace(record.subject_id);
        Current& current = at->second;
        if (inserted) {
            current = Current{record.subject_name, std::string(type), m_rows[i].subject_region,
                              record.id_check_ok, true, true};
            order.push_back(&at->first);
            change.outcome = SubjectChange::Outcome::inserted;
            continue;
        }
        if (current.name != record.subject_name || current.type != type) {
            change.outcome = SubjectChange::Outcome::updated;
            change.before_name = current.name;
            change.before_type = current.type;
            current.name = record.subject_name;
            current.type = type;
            current.id_check_ok = record.id_check_ok;
            if (!current.changed) {
                current.changed = true;
                order.push_back(&at->first);
            }
        }
    }
    if (order.empty()) {
        return;
    }
    {
        CopyIn copy(m_db, k_copy_subjects);
        for (const std::string* subject_id : order) {
            const Current& current = subjects.at(*subject_id);
            copy.text(*subject_id)
                .text(current.name)
                .text(current.type)
                .text(current.region)
                .integer(current.id_check_ok ? 1 : 0)
                .boolean(current.is_new);
            copy.end_row();
        }
        copy.finish();
    }
    m_insert_subjects.bind(1, m_batch_id);
    m_insert_subjects.run();
    m_update_subjects.bind(1, m_batch_id);
    m_update_subjects.run();
}

}  // namespace rbl::store
