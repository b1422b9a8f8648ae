#include "rbl/store/record_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "rbl/util/error.hpp"
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

// Inserting first and looking up only on conflict costs one B-tree descent for a new record.
constexpr std::string_view k_insert_record = R"sql(
INSERT INTO records (source, record_id, subject_id, domain, kind, date, amount_fen, authority,
                     region, status, withdrawn_by, attrs, content_hash, inserted_batch,
                     updated_batch, seen_batch)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?14)
ON CONFLICT (source, record_id) DO NOTHING)sql";

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

RecordChange RecordStore::put_record(const model::Record& record, const ContentHash& hash,
                                     std::int64_t batch_id) {
    const std::string date = record.date.iso();
    const std::string_view status = model::to_string(record.status);
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
    RecordChange change;
    if (m_db.changes() == 1) {
        m_inserted_subjects.insert(record.subject_id);
        if (m_inserted_subjects.size() >= k_marks_kept) {
            mark_inserted_subjects();
        }
        change.outcome = RecordChange::Outcome::inserted;
        change.state = state_of(record, date, status, withdrawn_by(record, false));
        return change;
    }

    m_find_record.bind(1, record.source).bind(2, record.record_id);
    if (!m_find_record.step()) {
        m_find_record.reset();
        throw FailedError("internal error: record vanished during import");
    }
    const std::int64_t rec = m_find_record.column_int64(0);
    const std::string_view stored_hash = m_find_record.column_blob(1);
    const bool same = stored_hash.size() == hash.size() &&
                      std::equal(hash.begin(), hash.end(), stored_hash.begin(),
                                 [](std::uint8_t a, char b) {
                                     return a == static_cast<std::uint8_t>(b);
                                 });
    const bool seen_in_this_batch = m_find_record.column_int64(2) == batch_id;
    if (same) {
        m_find_record.reset();
        change.outcome = RecordChange::Outcome::unchanged;
        if (!seen_in_this_batch) {
            // Marks the key as held by this file, so a later row with other content is caught.
            m_mark_seen.bind(1, rec).bind(2, batch_id);
            m_mark_seen.run();
        }
        return change;
    }
    if (seen_in_this_batch) {
        m_find_record.reset();
        change.outcome = RecordChange::Outcome::conflict;
        return change;
    }
    const RecordState found = record_state_of(m_find_record, k_found_state);
    const bool office_withdrawn = found.withdrawn_by == "office";
    change.outcome = RecordChange::Outcome::updated;
    change.before_json = stored_record_json(found);
    change.previous_state = record_state_hash(found);
    m_find_record.reset();
    const std::string_view new_status = office_withdrawn ? std::string_view("withdrawn") : status;
    change.state = state_of(record, date, new_status, withdrawn_by(record, office_withdrawn));

    m_update_record.bind(1, rec)
        .bind(2, record.subject_id)
        .bind(3, record.domain)
        .bind(4, record.kind)
        .bind(5, date)
        .bind(6, amount_of(record))
        .bind(7, record.authority)
        .bind(8, record.region)
        .bind(9, new_status)
        .bind(10, withdrawn_by(record, office_withdrawn))
        .bind(11, record.attrs_json)
        .bind_blob(12, hash.data(), hash.size())
        .bind(13, batch_id);
    m_update_record.run();
    return change;
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

}  // namespace rbl::store
