-- The floor of rbl's own schema: the same 1M rows put into subjects and records by two
-- set-based INSERT ... SELECT statements, no validation, no per-row statements.
-- Usage: sqlite3 floor.db -cmd '.mode csv' ".import FILE base" && sqlite3 floor.db < bench/schema_floor.sql
-- (FILE from bench/gen_records.py; see docs/PERFORMANCE.md).
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA foreign_keys=OFF;
CREATE TABLE subjects (subject_id TEXT PRIMARY KEY, name TEXT NOT NULL, subject_type TEXT NOT NULL, region TEXT NOT NULL, id_check_ok INTEGER NOT NULL DEFAULT 1, first_batch INTEGER NOT NULL, updated_batch INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE records (rec INTEGER PRIMARY KEY, source TEXT NOT NULL, record_id TEXT NOT NULL, subject_id TEXT NOT NULL, domain TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, amount_fen INTEGER, authority TEXT, region TEXT, status TEXT NOT NULL, withdrawn_by TEXT, attrs TEXT NOT NULL DEFAULT '{}', content_hash BLOB NOT NULL, inserted_batch INTEGER NOT NULL, updated_batch INTEGER NOT NULL, UNIQUE (source, record_id));
CREATE INDEX records_by_subject ON records (subject_id, domain, date);
.timer on
BEGIN;
INSERT INTO subjects SELECT subject_id, subject_name, 'legal_person', region, 1, 1, 1 FROM base WHERE true ON CONFLICT DO NOTHING;
INSERT INTO records (source, record_id, subject_id, domain, kind, date, amount_fen, authority, region, status, attrs, content_hash, inserted_batch, updated_batch) SELECT 'default', record_id, subject_id, domain, kind, date, CAST(amount*100 AS INTEGER), authority, region, 'active', '{"a":"' || circumstance || '"}', randomblob(32), 1, 1 FROM base;
COMMIT;
