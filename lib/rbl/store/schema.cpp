#include "rbl/store/schema.hpp"

#include <array>

#include "rbl/store/database.hpp"

namespace rbl::store {

namespace {

// Version 1: subjects, records with attributes, import batches, the audit log.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE import_batches (
    batch_id     INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('csv', 'jsonl', 'feedback')),
    encoding     TEXT NOT NULL,
    mapping      TEXT,
    operator     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    inserted     INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    reverted_at  TEXT
);

CREATE TABLE subjects (
    subject_id    TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    subject_type  TEXT NOT NULL
                  CHECK (subject_type IN ('legal_person', 'natural_person', 'government')),
    region        TEXT NOT NULL,
    id_check_ok   INTEGER NOT NULL DEFAULT 1,
    first_batch   INTEGER NOT NULL REFERENCES import_batches(batch_id),
    updated_batch INTEGER NOT NULL REFERENCES import_batches(batch_id)
) WITHOUT ROWID;

CREATE TABLE records (
    rec            INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    subject_id     TEXT NOT NULL REFERENCES subjects(subject_id) DEFERRABLE INITIALLY DEFERRED,
    domain         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    date           TEXT NOT NULL,
    amount_fen     INTEGER CHECK (amount_fen >= 0),
    authority      TEXT,
    region         TEXT,
    status         TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    withdrawn_by   TEXT CHECK (withdrawn_by IN ('source', 'office')),
    attrs          TEXT NOT NULL DEFAULT '{}',
    content_hash   BLOB NOT NULL,
    inserted_batch INTEGER NOT NULL REFERENCES import_batches(batch_id),
    updated_batch  INTEGER NOT NULL REFERENCES import_batches(batch_id),
    seen_batch     INTEGER NOT NULL,  -- the last batch whose file held the record
    UNIQUE (source, record_id)
);
CREATE INDEX records_by_subject ON records (subject_id, domain, date);

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    operator   TEXT NOT NULL,
    login      TEXT NOT NULL,
    tool       TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_by_object ON audit_log (object);
)sql";

// Version 2: adjudication runs, list entries with what they keep of their rule, evidence.
constexpr std::string_view k_v2 = R"sql(
CREATE TABLE runs (
    run_id        INTEGER PRIMARY KEY,
    as_of         TEXT NOT NULL,
    operator      TEXT NOT NULL,
    tool_version  TEXT NOT NULL,
    rules_sha256  TEXT NOT NULL,
    domains       TEXT,
    forced        INTEGER NOT NULL DEFAULT 0,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    counts        TEXT NOT NULL
);

CREATE TABLE entries (
    entry_id        INTEGER PRIMARY KEY,
    list_id         TEXT NOT NULL,
    subject_id      TEXT NOT NULL REFERENCES subjects(subject_id),
    status          TEXT NOT NULL CHECK (status IN ('notice', 'publicity', 'effective', 'expired',
                                                    'lifted', 'repaired', 'revoked', 'withdrawn')),
    decided_on      TEXT NOT NULL,
    notice_until    TEXT,
    publicity_until TEXT,
    effective_from  TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    ended_on        TEXT,
    end_reason      TEXT,
    disputed        INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL CHECK (kind IN ('black', 'red')),
    domain          TEXT NOT NULL,
    list_title      TEXT NOT NULL,
    list_title_zh   TEXT NOT NULL,
    basis           TEXT NOT NULL,
    authority       TEXT NOT NULL,
    terms           TEXT NOT NULL,
    rule_version    TEXT NOT NULL,
    rule_sha256     TEXT NOT NULL,
    explanation     TEXT NOT NULL,
    created_run     INTEGER NOT NULL REFERENCES runs(run_id),
    updated_run     INTEGER NOT NULL REFERENCES runs(run_id)
);
CREATE INDEX entries_by_subject ON entries (subject_id, list_id);
CREATE INDEX entries_by_status ON entries (status, list_id);

CREATE TABLE entry_evidence (
    entry_id   INTEGER NOT NULL REFERENCES entries(entry_id),
    rec        INTEGER NOT NULL REFERENCES records(rec),
    record_id  TEXT NOT NULL,
    PRIMARY KEY (entry_id, rec)
) WITHOUT ROWID;
CREATE INDEX evidence_by_record ON entry_evidence (rec);
)sql";

// Version 3: objections and credit-repair applications (SPEC.md §5). An entry with an open
// objection has `disputed` = 1: a pending one is held (it does not advance), an effective one
// stays in force, marked disputed in exports.
constexpr std::string_view k_v3 = R"sql(
CREATE TABLE appeals (
    appeal_id        INTEGER PRIMARY KEY,
    entry_id         INTEGER NOT NULL REFERENCES entries(entry_id),
    type             TEXT NOT NULL CHECK (type IN ('objection', 'repair')),
    reason           TEXT NOT NULL,
    filed_by         TEXT,
    received_on      TEXT NOT NULL,
    due_on           TEXT NOT NULL,  -- the last working day to decide (appeal_days from receipt)
    entry_status     TEXT NOT NULL,  -- the entry's status on the day of receipt (a pending one is held in it)
    operator         TEXT NOT NULL,
    filed_at         TEXT NOT NULL,
    outcome          TEXT CHECK (outcome IN ('upheld', 'rejected')),
    decided_on       TEXT,
    note             TEXT,
    withdraw_records INTEGER NOT NULL DEFAULT 0,
    decided_by       TEXT,
    decided_at       TEXT,
    CHECK ((outcome IS NULL) = (decided_on IS NULL))
);
CREATE INDEX appeals_by_entry ON appeals (entry_id);
CREATE INDEX appeals_open ON appeals (outcome, due_on);
)sql";

// Version 4: publications per channel with a hash of each row (for deltas), and the measures
// departments report having applied to entries (feedback).
constexpr std::string_view k_v4 = R"sql(
CREATE TABLE publications (
    publication_id INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL,
    published_at   TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    filter         TEXT NOT NULL,  -- the filter as canonical JSON
    format         TEXT NOT NULL,
    delta          INTEGER NOT NULL,
    rows           INTEGER NOT NULL,  -- rows written (changes, for a delta)
    sha256         TEXT NOT NULL,     -- of the file written
    out            TEXT NOT NULL,
    operator       TEXT NOT NULL
);
CREATE INDEX publications_by_channel ON publications (channel, publication_id);

-- Every entry a publication stood for (the whole filtered list, also for a delta).
CREATE TABLE publication_rows (
    publication_id INTEGER NOT NULL REFERENCES publications(publication_id),
    entry_id       INTEGER NOT NULL,
    row_hash       TEXT NOT NULL,
    PRIMARY KEY (publication_id, entry_id)
) WITHOUT ROWID;

CREATE TABLE feedback (
    feedback_id INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES entries(entry_id),
    department  TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    applied_on  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    batch_id    INTEGER NOT NULL REFERENCES import_batches(batch_id),
    UNIQUE (entry_id, department, measure_id, applied_on)
);
)sql";

// Version 5: the lookup log of real-time checks (SPEC.md §9): who looked at which subject, for
// which department, and which entries the answer named (a JSON array of entry ids). Not part of
// the audit chain, which is for changes. `outcome`: the subject was found, is unknown to the
// database, or its identifier is invalid.
constexpr std::string_view k_v5 = R"sql(
CREATE TABLE lookups (
    lookup_id   INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    login       TEXT NOT NULL,
    department  TEXT,
    subject_id  TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('found', 'unknown', 'invalid')),
    as_of       TEXT NOT NULL,
    entries     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX lookups_by_time ON lookups (at);
CREATE INDEX lookups_by_department ON lookups (department, at);
)sql";

// Version 6: the register of subjects' credit reports (SPEC.md §10): what each report number
// covered, the digest of its content and the SHA-256 of the file written, so that
// `rbl-publish verify-report` can tell an issued, unchanged file from anything else.
constexpr std::string_view k_v6 = R"sql(
CREATE TABLE subject_reports (
    report_id      INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    subject_id     TEXT NOT NULL REFERENCES subjects(subject_id),
    options        TEXT NOT NULL,  -- as-of, period, domains, office, format, as canonical JSON
    format         TEXT NOT NULL CHECK (format IN ('html', 'pdf')),
    content_sha256 TEXT NOT NULL,  -- of the report's content (printed in its footer)
    file_sha256    TEXT NOT NULL,  -- of the file written (a file cannot hold its own hash)
    out            TEXT NOT NULL,
    operator       TEXT NOT NULL,
    issued_at      TEXT NOT NULL
);
CREATE INDEX subject_reports_by_file ON subject_reports (file_sha256);
)sql";

// Version 7: feedback may name the lookup (rbl-check's answer) it follows from, closing the loop
// of check, measure applied and report back; NULL for feedback that names none. The table is
// rebuilt with the column rather than altered (ADD COLUMN), so that the migration also runs on a
// database that already has the column: the earlier versions' tests make theirs by dropping the
// newer tables from a current database.
constexpr std::string_view k_v7 = R"sql(
CREATE TABLE feedback_v7 (
    feedback_id INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES entries(entry_id),
    department  TEXT NOT NULL,
    measure_id  TEXT NOT NULL,
    applied_on  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    batch_id    INTEGER NOT NULL REFERENCES import_batches(batch_id),
    lookup_id   INTEGER REFERENCES lookups(lookup_id),
    UNIQUE (entry_id, department, measure_id, applied_on)
);
INSERT INTO feedback_v7 (feedback_id, entry_id, department, measure_id, applied_on, note,
                         batch_id)
SELECT feedback_id, entry_id, department, measure_id, applied_on, note, batch_id FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v7 RENAME TO feedback;
)sql";

// Version 8: what incremental runs need (SPEC.md §8). Every change a run must see marks the
// subject it touches: records inserted (marked by RecordStore, once per subject and batch: a
// trigger per inserted row made imports 1.4 times as slow), and by trigger, whichever tool made
// them, records changed in content or status (imports, office withdrawals, reverts; not the
// `seen_batch` bookkeeping of an unchanged row), subjects changed, appeals filed or decided. A run reads the marks up to the
// highest one in its snapshot and deletes exactly those when it commits, so marks made while it
// evaluated stay for the next run. `subject_due` keeps each subject's next change day (the first
// day after its last evaluation on which the outcome could differ with no new data), and
// `run_scope` what each run evaluated and on which calendar. New tables only, created if absent
// (like versions 5 and 6, whose tests make older databases by dropping newer tables).
constexpr std::string_view k_v8 = R"sql(
CREATE TABLE IF NOT EXISTS subject_marks (
    mark       INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS subject_due (
    subject_id TEXT PRIMARY KEY,
    due_on     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subject_due_by_day ON subject_due (due_on);

CREATE TABLE IF NOT EXISTS run_scope (
    run_id             INTEGER PRIMARY KEY REFERENCES runs(run_id),
    mode               TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    subjects_evaluated INTEGER NOT NULL,
    subjects_total     INTEGER NOT NULL,
    calendar_sha256    TEXT NOT NULL,
    marks_upto         INTEGER NOT NULL  -- the highest mark the run's snapshot held
);

CREATE TRIGGER IF NOT EXISTS mark_record_changed
AFTER UPDATE OF subject_id, domain, kind, date, amount_fen, authority, region, status,
                withdrawn_by, attrs, updated_batch ON records
BEGIN
    INSERT INTO subject_marks (subject_id) VALUES (NEW.subject_id);
END;
CREATE TRIGGER IF NOT EXISTS mark_subject_changed
AFTER UPDATE OF name, subject_type, region ON subjects
BEGIN
    INSERT INTO subject_marks (subject_id) VALUES (NEW.subject_id);
END;
CREATE TRIGGER IF NOT EXISTS mark_appeal_filed AFTER INSERT ON appeals
BEGIN
    INSERT INTO subject_marks (subject_id)
    SELECT subject_id FROM entries WHERE entry_id = NEW.entry_id;
END;
CREATE TRIGGER IF NOT EXISTS mark_appeal_decided AFTER UPDATE OF outcome ON appeals
BEGIN
    INSERT INTO subject_marks (subject_id)
    SELECT subject_id FROM entries WHERE entry_id = NEW.entry_id;
END;
)sql";

// Version 9: the by-subject index covers every column evaluation reads, in the order a run reads
// them (subject, domain, date), so that a run reads each subject's records from consecutive index
// pages instead of fetching every record row at random (SPEC.md §8: fast full runs). It replaces
// the narrower index of version 1, whose columns are its first three. And a reverted batch marks
// all of its subjects.
constexpr std::string_view k_v9 = R"sql(
CREATE INDEX IF NOT EXISTS records_for_evaluation ON records (
    subject_id, domain, date, kind, record_id, source, status, withdrawn_by, updated_batch,
    inserted_batch, amount_fen, authority, region, attrs);
DROP INDEX IF EXISTS records_by_subject;
DROP TRIGGER IF EXISTS mark_record_inserted;

-- A revert also unmakes the batch's versions that were already withdrawn (SubjectReader drops
-- them), which the revert does not update: it marks every subject of the batch. Rare, and a scan.
CREATE TRIGGER IF NOT EXISTS mark_batch_reverted AFTER UPDATE OF reverted_at ON import_batches
BEGIN
    INSERT INTO subject_marks (subject_id)
    SELECT DISTINCT subject_id FROM records WHERE inserted_batch = NEW.batch_id;
END;
)sql";

// Version 10: credit repair of records (SPEC.md §11): applications to end a record's publication
// before its maximum, decided like appeals. Their ids are appeal ids: one numbering for
// `rbl-appeal decide` and `show` (the writer gives each new appeal or record repair the next id
// over both tables, under the write lock). A granted repair leaves the record as it is; from the
// decision day the record is no longer a fact (store/subject_reader.hpp) and its publication has
// ended. Its decision marks the record's subject for the next incremental run. A new table only.
constexpr std::string_view k_v10 = R"sql(
CREATE TABLE IF NOT EXISTS record_repairs (
    appeal_id   INTEGER PRIMARY KEY,  -- numbered with appeals.appeal_id
    rec         INTEGER NOT NULL REFERENCES records(rec),
    reason      TEXT NOT NULL,
    commitment  TEXT,                 -- the subject's public credit commitment (信用承诺)
    filed_by    TEXT,
    received_on TEXT NOT NULL,
    due_on      TEXT NOT NULL,        -- the last working day to decide (repair_days from receipt)
    operator    TEXT NOT NULL,
    filed_at    TEXT NOT NULL,
    outcome     TEXT CHECK (outcome IN ('upheld', 'rejected')),
    decided_on  TEXT,
    note        TEXT,
    decided_by  TEXT,
    decided_at  TEXT,
    CHECK ((outcome IS NULL) = (decided_on IS NULL))
);
CREATE INDEX IF NOT EXISTS record_repairs_by_record ON record_repairs (rec);

CREATE TRIGGER IF NOT EXISTS mark_record_repair_decided AFTER UPDATE OF outcome ON record_repairs
BEGIN
    INSERT INTO subject_marks (subject_id) SELECT subject_id FROM records WHERE rec = NEW.rec;
END;
)sql";

// Version 11: an entry's explanation as data (SPEC.md §13): the clauses of model/explanation.hpp
// as JSON, from which the explanation is written in Chinese; `entries.explanation` keeps its
// English, the text published as the reason. The entries written before are converted by the
// migration (Database::migrate: their English read back into clauses, a line that does not read
// back exactly kept as text), so that every entry has its data. A table of its own, so that the
// step also runs on a database that has it (the earlier versions' tests).
constexpr std::string_view k_v11 = R"sql(
CREATE TABLE IF NOT EXISTS entry_explanations (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(entry_id),
    data     TEXT NOT NULL          -- JSON: an array of clauses
);
)sql";

// Version 12: the departments the measures of the last run's rules name (SPEC.md §9): what
// `rbl-check --department` is checked against without reading the rule files (parsing them took
// most of a check's time). Each run replaces them in its write transaction.
constexpr std::string_view k_v12 = R"sql(
CREATE TABLE IF NOT EXISTS rule_departments (
    department TEXT PRIMARY KEY
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 12> k_migrations = {
    k_v1, k_v2, k_v3, k_v4, k_v5, k_v6, k_v7, k_v8, k_v9, k_v10, k_v11, k_v12};

// Versions 5, 6, 8, 10, 11 and 12 only add tables, version 7 a column and version 9 an index, that their
// readers do without (they ask for them by the database's version, or prepare their statements on
// first write): a read-only tool may read a version-4 database that no writer has upgraded yet.
constexpr int k_oldest_readable = 4;

}  // namespace

static_assert(k_migrations.size() == 12,
              "a new version needs its PostgreSQL step in pg_schema.cpp too");

std::span<const std::string_view> migrations(Dialect dialect) {
    return dialect == Dialect::sqlite ? std::span<const std::string_view>(k_migrations)
                                      : pg_migrations();
}

int oldest_readable_version() { return k_oldest_readable; }

}  // namespace rbl::store
