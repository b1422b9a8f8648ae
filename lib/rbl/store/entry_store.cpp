#include "rbl/store/entry_store.hpp"

#include <algorithm>
#include <tuple>

#include "rbl/model/explanation.hpp"
#include "rbl/store/columns.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_unconverted = R"sql(
SELECT e.entry_id, e.explanation FROM entries e
WHERE NOT EXISTS (SELECT 1 FROM entry_explanations x WHERE x.entry_id = e.entry_id)
ORDER BY e.entry_id LIMIT 5000)sql";

constexpr std::string_view k_set_explanation_data =
    "INSERT INTO entry_explanations (entry_id, data) VALUES (?2, ?1)";

constexpr std::string_view k_open = R"sql(
SELECT entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until,
       publicity_until, effective_from, expires_on, ended_on, end_reason, disputed
FROM entries WHERE status IN ('notice', 'publicity', 'effective')
ORDER BY subject_id, entry_id)sql";

constexpr std::string_view k_of_subject = R"sql(
SELECT entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until,
       publicity_until, effective_from, expires_on, ended_on, end_reason, disputed
FROM entries WHERE subject_id = ?1 ORDER BY entry_id)sql";

constexpr std::string_view k_used_evidence = R"sql(
SELECT DISTINCT r.domain, r.kind, r.record_id
FROM entry_evidence ev JOIN entries e ON e.entry_id = ev.entry_id JOIN records r ON r.rec = ev.rec
WHERE e.subject_id = ?1 AND e.list_id = ?2
  AND (e.status IN ('expired', 'lifted', 'repaired', 'revoked')
       OR e.end_reason = ?3))sql";

constexpr std::string_view k_evidence_of = R"sql(
SELECT r.domain, r.kind, r.record_id
FROM entry_evidence ev JOIN records r ON r.rec = ev.rec WHERE ev.entry_id = ?1)sql";

constexpr std::string_view k_expiring = R"sql(
SELECT entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until,
       publicity_until, effective_from, expires_on, ended_on, end_reason, disputed
FROM entries WHERE status = 'effective' AND expires_on BETWEEN ?1 AND ?2
ORDER BY expires_on, entry_id)sql";

constexpr std::string_view k_last_as_of = "SELECT max(as_of) FROM runs";

constexpr std::string_view k_domains = "SELECT DISTINCT domain FROM entries ORDER BY domain";

constexpr std::string_view k_begin_run = R"sql(
INSERT INTO runs (as_of, operator, tool_version, rules_sha256, domains, forced, started_at,
                  finished_at, counts)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, '{}')
RETURNING run_id)sql";

constexpr std::string_view k_finish_run =
    "UPDATE runs SET counts = ?2, finished_at = ?3 WHERE run_id = ?1";

constexpr std::string_view k_update = R"sql(
UPDATE entries SET status = ?2, ended_on = ?3, end_reason = ?4, updated_run = ?5,
                   disputed = CASE WHEN ?2 IN ('notice', 'publicity', 'effective')
                                   THEN disputed ELSE 0 END
WHERE entry_id = ?1 AND status = ?6 AND disputed = ?7)sql";

// An appeal's effect: the dates and state the appeal desk computed, written as they are.
constexpr std::string_view k_appeal_effect = R"sql(
UPDATE entries SET status = ?2, notice_until = ?3, publicity_until = ?4, effective_from = ?5,
                   expires_on = ?6, ended_on = ?7, end_reason = ?8, disputed = ?9
WHERE entry_id = ?1)sql";

constexpr std::string_view k_last_run_id = "SELECT coalesce(max(run_id), 0) FROM runs";

constexpr std::string_view k_create_staging_sqlite = R"sql(
CREATE TEMP TABLE IF NOT EXISTS staged_changes (
    seq INTEGER PRIMARY KEY, is_create INTEGER NOT NULL, entry_id INTEGER NOT NULL,
    list_id TEXT NOT NULL, subject_id TEXT NOT NULL, kind TEXT NOT NULL, domain TEXT NOT NULL,
    status TEXT NOT NULL, decided_on TEXT NOT NULL, notice_until TEXT, publicity_until TEXT,
    effective_from TEXT NOT NULL, expires_on TEXT NOT NULL, ended_on TEXT, end_reason TEXT,
    subject_name TEXT NOT NULL, change TEXT NOT NULL, detail TEXT NOT NULL,
    status_read TEXT NOT NULL, disputed INTEGER NOT NULL, created_ordinal INTEGER,
    detail_data TEXT, authority TEXT);
CREATE TEMP TABLE IF NOT EXISTS staged_evidence (
    seq INTEGER NOT NULL, rec INTEGER NOT NULL, record_id TEXT NOT NULL,
    PRIMARY KEY (seq, rec)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS staged_terms (
    list_id TEXT PRIMARY KEY, list_title TEXT NOT NULL, list_title_zh TEXT NOT NULL,
    basis TEXT NOT NULL, authority TEXT NOT NULL, terms TEXT NOT NULL,
    rule_version TEXT NOT NULL, rule_sha256 TEXT NOT NULL) WITHOUT ROWID;
DELETE FROM staged_changes;
DELETE FROM staged_evidence;)sql";

// The same on PostgreSQL, the text compared byte by byte as in rbl's tables.
constexpr std::string_view k_create_staging_postgresql = R"sql(
CREATE TEMP TABLE IF NOT EXISTS staged_changes (
    seq bigint PRIMARY KEY, is_create bigint NOT NULL, entry_id bigint NOT NULL,
    list_id text COLLATE "C" NOT NULL, subject_id text COLLATE "C" NOT NULL,
    kind text COLLATE "C" NOT NULL, domain text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL, decided_on text COLLATE "C" NOT NULL,
    notice_until text COLLATE "C", publicity_until text COLLATE "C",
    effective_from text COLLATE "C" NOT NULL, expires_on text COLLATE "C" NOT NULL,
    ended_on text COLLATE "C", end_reason text COLLATE "C",
    subject_name text COLLATE "C" NOT NULL, change text COLLATE "C" NOT NULL,
    detail text COLLATE "C" NOT NULL, status_read text COLLATE "C" NOT NULL,
    disputed bigint NOT NULL, created_ordinal bigint, detail_data text COLLATE "C",
    authority text COLLATE "C");
CREATE TEMP TABLE IF NOT EXISTS staged_evidence (
    seq bigint NOT NULL, rec bigint NOT NULL, record_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (seq, rec));
CREATE TEMP TABLE IF NOT EXISTS staged_terms (
    list_id text COLLATE "C" PRIMARY KEY, list_title text COLLATE "C" NOT NULL,
    list_title_zh text COLLATE "C" NOT NULL, basis text COLLATE "C" NOT NULL,
    authority text COLLATE "C" NOT NULL, terms text COLLATE "C" NOT NULL,
    rule_version text COLLATE "C" NOT NULL, rule_sha256 text COLLATE "C" NOT NULL);
DELETE FROM staged_changes;
DELETE FROM staged_evidence;)sql";

constexpr std::string_view k_stage = R"sql(
INSERT INTO staged_changes (seq, is_create, entry_id, list_id, subject_id, kind, domain,
    status, decided_on, notice_until, publicity_until, effective_from, expires_on, ended_on,
    end_reason, subject_name, change, detail, status_read, disputed, created_ordinal, detail_data,
    authority)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?22, ?23))sql";

constexpr std::string_view k_stage_evidence =
    "INSERT INTO staged_evidence (seq, rec, record_id) VALUES (?1, ?2, ?3)";

constexpr std::string_view k_staged = R"sql(
SELECT seq, is_create, entry_id, list_id, subject_id, kind, domain, status, decided_on,
       notice_until, publicity_until, effective_from, expires_on, ended_on, end_reason,
       subject_name, change, detail, status_read, disputed
FROM staged_changes ORDER BY seq)sql";

constexpr std::string_view k_staged_evidence =
    "SELECT rec, record_id FROM staged_evidence WHERE seq = ?1 ORDER BY record_id";

// Writing the staged changes (write_staged()). A created entry's id is ?1 (the largest id
// before the write) plus its ordinal among the creations, in staging order: the ids SQLite
// would have given them inserted one by one. The terms of every list with a creation are staged
// first.
#define RBL_WRITTEN_ID "CASE WHEN s.is_create = 1 THEN ?1 + s.created_ordinal ELSE s.entry_id END"

constexpr std::string_view k_max_entry_id = "SELECT coalesce(max(entry_id), 0) FROM entries";

constexpr std::string_view k_created_lists =
    "SELECT DISTINCT list_id FROM staged_changes WHERE is_create = 1 ORDER BY list_id";

constexpr std::string_view k_clear_terms = "DELETE FROM staged_terms";

constexpr std::string_view k_stage_terms = R"sql(
INSERT INTO staged_terms (list_id, list_title, list_title_zh, basis, authority, terms,
                               rule_version, rule_sha256)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";

constexpr std::string_view k_insert_created = R"sql(
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, notice_until,
                     publicity_until, effective_from, expires_on, kind, domain, list_title,
                     list_title_zh, basis, authority, terms, rule_version, rule_sha256,
                     explanation, created_run, updated_run)
SELECT ?1 + s.created_ordinal, s.list_id, s.subject_id, s.status, s.decided_on, s.notice_until,
       s.publicity_until, s.effective_from, s.expires_on, s.kind, s.domain, t.list_title,
       t.list_title_zh, t.basis, coalesce(s.authority, t.authority), t.terms, t.rule_version,
       t.rule_sha256, s.detail,
       CAST(?2 AS BIGINT), CAST(?2 AS BIGINT)
FROM staged_changes s JOIN staged_terms t ON t.list_id = s.list_id
WHERE s.is_create = 1 ORDER BY s.seq)sql";

// The created entries' explanations as data (version 11, entry_explanations).
constexpr std::string_view k_insert_created_explanations = R"sql(
INSERT INTO entry_explanations (entry_id, data)
SELECT ?1 + s.created_ordinal, s.detail_data FROM staged_changes s
WHERE s.is_create = 1 ORDER BY s.seq)sql";

constexpr std::string_view k_insert_created_evidence = R"sql(
INSERT INTO entry_evidence (entry_id, rec, record_id)
SELECT ?1 + s.created_ordinal, ev.rec, ev.record_id
FROM staged_changes s JOIN staged_evidence ev ON ev.seq = s.seq
WHERE s.is_create = 1 ORDER BY s.seq, ev.rec)sql";

constexpr std::string_view k_staged_updates = R"sql(
SELECT seq, entry_id, status, ended_on, end_reason, status_read, disputed
FROM staged_changes WHERE is_create = 0 ORDER BY seq)sql";

// Every staged change (the columns of k_staged), the id of its entry, and that entry's content
// as written (RBL_ENTRY_STATE_COLUMNS), in staging order.
constexpr std::string_view k_written = R"sql(
SELECT s.seq, s.is_create, s.entry_id, s.list_id, s.subject_id, s.kind, s.domain, s.status,
       s.decided_on, s.notice_until, s.publicity_until, s.effective_from, s.expires_on,
       s.ended_on, s.end_reason, s.subject_name, s.change, s.detail, s.status_read, s.disputed, )sql"
    RBL_WRITTEN_ID ", w.* FROM staged_changes s LEFT JOIN (SELECT " RBL_ENTRY_STATE_COLUMNS
    " FROM entries) w ON w.entry_id = " RBL_WRITTEN_ID " ORDER BY s.seq";

// The evidence of each staged change's entry as written, in staging order, by rec.
constexpr std::string_view k_written_evidence =
    "SELECT s.seq, ev.rec, ev.record_id FROM staged_changes s "
    "JOIN entry_evidence ev ON ev.entry_id = " RBL_WRITTEN_ID " ORDER BY s.seq, ev.rec";

#undef RBL_WRITTEN_ID

// An entry's dates as the ISO text bound to statements (alive until the statement has run).
struct DateText {
    explicit DateText(const model::Entry& e)
        : decided(e.decided_on.iso()),
          notice(iso(e.notice_until)),
          publicity(iso(e.publicity_until)),
          effective(e.effective_from.iso()),
          expires(expiry_text(e.expires_on)),
          ended(iso(e.ended_on)) {}
    std::string decided;
    std::optional<std::string> notice;
    std::optional<std::string> publicity;
    std::string effective;
    std::string expires;
    std::optional<std::string> ended;
};

// The text of a column, or nullopt for NULL (a view valid until the statement's next step).
std::optional<std::string_view> optional_text(const Statement& statement, int column) {
    if (statement.is_null(column)) {
        return std::nullopt;
    }
    return statement.column_text(column);
}

// Reads the columns of k_staged (all but the evidence) into `change`.
void read_staged(const Statement& staged, StagedChange& change) {
    change.create = staged.column_int64(1) == 1;
    change.entry = model::Entry{};
    change.entry.entry_id = staged.column_int64(2);
    change.entry.list_id = staged.column_text(3);
    change.entry.subject_id = staged.column_text(4);
    change.entry.kind = list_kind_of(staged, 5);
    change.entry.domain = staged.column_text(6);
    change.entry.status =
        model::parse_entry_status(staged.column_text(7)).value_or(model::EntryStatus::notice);
    change.entry.decided_on = date_of(staged, 8);
    change.entry.notice_until = optional_date(staged, 9);
    change.entry.publicity_until = optional_date(staged, 10);
    change.entry.effective_from = date_of(staged, 11);
    change.entry.expires_on = optional_date(staged, 12);
    change.entry.ended_on = optional_date(staged, 13);
    change.entry.end_reason = end_reason_of(staged, 14);
    change.subject_name = staged.column_text(15);
    change.change =
        model::parse_change_kind(staged.column_text(16)).value_or(model::ChangeKind::created);
    change.detail = staged.column_text(17);
    change.status_read =
        model::parse_entry_status(staged.column_text(18)).value_or(model::EntryStatus::notice);
    change.entry.disputed = staged.column_int64(19) != 0;
    change.evidence.clear();
}

// Reads (domain, kind, record_id) rows to their end, then resets the statement.
std::vector<Decision> decisions_of(Statement& statement) {
    std::vector<Decision> decisions;
    while (statement.step()) {
        decisions.push_back(Decision{std::string(statement.column_text(0)),
                                     std::string(statement.column_text(1)),
                                     std::string(statement.column_text(2))});
    }
    statement.reset();
    return decisions;
}

}  // namespace

EntryStore::EntryStore(Database& db)
    : m_db(db),
      m_open(db, k_open),
      m_of_subject(db, k_of_subject),
      m_used_evidence(db, k_used_evidence),
      m_evidence_of(db, k_evidence_of),
      m_last_as_of(db, k_last_as_of),
      m_domains(db, k_domains),
      m_last_run_id(db, k_last_run_id),
      m_expiring(db, k_expiring),
      m_begin_run(db, k_begin_run),
      m_finish_run(db, k_finish_run),
      m_update(db, k_update),
      m_appeal_effect(db, k_appeal_effect) {}

model::Entry EntryStore::read_entry(const Statement& statement) const {
    return entry_of(statement);
}

std::vector<model::Entry> EntryStore::open_entries() {
    std::vector<model::Entry> entries;
    while (m_open.step()) {
        entries.push_back(read_entry(m_open));
    }
    m_open.reset();
    return entries;
}

std::vector<model::Entry> EntryStore::subject_entries(std::string_view subject_id) {
    std::vector<model::Entry> entries;
    m_of_subject.bind(1, subject_id);
    while (m_of_subject.step()) {
        entries.push_back(read_entry(m_of_subject));
    }
    m_of_subject.reset();
    return entries;
}

std::vector<Decision> EntryStore::used_evidence(std::string_view subject_id,
                                                std::string_view list_id) {
    m_used_evidence.bind(1, subject_id)
        .bind(2, list_id)
        .bind(3, model::to_string(model::EndReason::objection_upheld));
    return decisions_of(m_used_evidence);
}

std::vector<model::Entry> EntryStore::expiring(util::Date first, util::Date last) {
    const std::string from = first.iso();
    const std::string to = last.iso();
    m_expiring.bind(1, from).bind(2, to);
    std::vector<model::Entry> entries;
    while (m_expiring.step()) {
        entries.push_back(read_entry(m_expiring));
    }
    m_expiring.reset();
    return entries;
}

std::vector<Decision> EntryStore::evidence_of(std::int64_t entry_id) {
    m_evidence_of.bind(1, entry_id);
    return decisions_of(m_evidence_of);
}

std::optional<std::string> EntryStore::last_as_of() {
    std::optional<std::string> as_of;
    if (m_last_as_of.step()) {
        as_of = m_last_as_of.column_optional_text(0);
    }
    m_last_as_of.reset();
    return as_of;
}

std::vector<std::string> EntryStore::domains() {
    std::vector<std::string> found;
    while (m_domains.step()) {
        found.emplace_back(m_domains.column_text(0));
    }
    m_domains.reset();
    return found;
}

std::int64_t EntryStore::begin_run(const RunStart& run) {
    m_begin_run.bind(1, run.as_of)
        .bind(2, run.operator_name)
        .bind(3, run.tool_version)
        .bind(4, run.rules_sha256)
        .bind(5, run.domains_json)
        .bind(6, run.forced ? 1 : 0)
        .bind(7, run.started_at);
    return m_begin_run.single_integer();
}

void EntryStore::finish_run(std::int64_t run_id, std::string_view counts_json,
                            std::string_view at) {
    m_finish_run.bind(1, run_id).bind(2, counts_json).bind(3, at);
    m_finish_run.run();
}

void EntryStore::name_rule_departments(const std::set<std::string, std::less<>>& departments) {
    m_db.exec("DELETE FROM rule_departments");
    Statement insert = m_db.prepare("INSERT INTO rule_departments (department) VALUES (?1)");
    for (const std::string& department : departments) {
        insert.bind(1, department);
        insert.run();
    }
}

bool EntryStore::update(const model::Entry& entry, model::EntryStatus status_read,
                        std::int64_t run_id) {
    const auto ended = iso(entry.ended_on);
    return run_update(entry.entry_id, model::to_string(entry.status), ended,
                      code(entry.end_reason), run_id, model::to_string(status_read),
                      entry.disputed);
}

bool EntryStore::run_update(std::int64_t entry_id, std::string_view status,
                            std::optional<std::string_view> ended,
                            std::optional<std::string_view> end_reason, std::int64_t run_id,
                            std::string_view status_read, bool disputed) {
    m_update.bind(1, entry_id)
        .bind(2, status)
        .bind(3, ended)
        .bind(4, end_reason)
        .bind(5, run_id)
        .bind(6, status_read)
        .bind(7, disputed ? 1 : 0);
    m_update.run();
    return m_db.changes() == 1;
}

void EntryStore::store_appeal_effect(const model::Entry& entry) {
    const std::optional<std::string> notice = iso(entry.notice_until);
    const std::optional<std::string> publicity = iso(entry.publicity_until);
    const std::string effective = entry.effective_from.iso();
    const std::string expires = expiry_text(entry.expires_on);
    const std::optional<std::string> ended = iso(entry.ended_on);
    m_appeal_effect.bind(1, entry.entry_id)
        .bind(2, model::to_string(entry.status))
        .bind(3, notice)
        .bind(4, publicity)
        .bind(5, effective)
        .bind(6, expires)
        .bind(7, ended)
        .bind(8, code(entry.end_reason))
        .bind(9, entry.disputed ? 1 : 0);
    m_appeal_effect.run();
}

std::int64_t EntryStore::last_run_id() {
    return m_last_run_id.single_integer();
}

}  // namespace rbl::store

namespace rbl::store {

void EntryStore::start_staging() {
    m_db.exec(m_db.sql(k_create_staging_sqlite, k_create_staging_postgresql));
    m_stage = m_db.prepare(k_stage);
    m_stage_evidence = m_db.prepare(k_stage_evidence);
    m_staged = 0;
    m_created = 0;
}

void EntryStore::stage(const StagedChange& staged) {
    const model::Entry& e = staged.entry;
    const std::int64_t seq = ++m_staged;
    const DateText dates(e);
    m_stage.bind(1, seq)
        .bind(2, staged.create ? 1 : 0)
        .bind(3, e.entry_id)
        .bind(4, e.list_id)
        .bind(5, e.subject_id)
        .bind(6, model::to_string(e.kind))
        .bind(7, e.domain)
        .bind(8, model::to_string(e.status))
        .bind(9, dates.decided)
        .bind(10, dates.notice)
        .bind(11, dates.publicity)
        .bind(12, dates.effective)
        .bind(13, dates.expires)
        .bind(14, dates.ended)
        .bind(15, code(e.end_reason))
        .bind(16, staged.subject_name)
        .bind(17, model::to_string(staged.change))
        .bind(18, staged.detail)
        .bind(19, model::to_string(staged.status_read))
        .bind(20, e.disputed ? 1 : 0)
        .bind(21, staged.create ? std::optional<std::int64_t>(++m_created) : std::nullopt)
        .bind(22, staged.create ? std::optional<std::string_view>(staged.detail_data)
                                : std::nullopt)
        .bind(23, staged.create && !staged.authority.empty()
                      ? std::optional<std::string_view>(staged.authority)
                      : std::nullopt);
    m_stage.run();
    for (const auto& [rec, record_id] : staged.evidence) {
        m_stage_evidence.bind(1, seq).bind(2, rec).bind(3, record_id);
        m_stage_evidence.run();
    }
}

void EntryStore::for_each_staged(const std::function<void(const StagedChange&)>& visit) {
    Statement staged(m_db, k_staged, detail::Fetch::stream);
    Statement evidence = m_db.prepare(k_staged_evidence);
    StagedChange change;
    while (staged.step()) {
        read_staged(staged, change);
        if (change.create) {
            evidence.bind(1, staged.column_int64(0));
            while (evidence.step()) {
                change.evidence.emplace_back(evidence.column_int64(0),
                                             std::string(evidence.column_text(1)));
            }
            evidence.reset();
        }
        visit(change);
    }
}

void EntryStore::write_staged(
    std::int64_t run_id, const std::function<const ListTerms&(const std::string&)>& terms_of,
    const std::function<void(const WrittenChange&)>& visit) {
    const std::int64_t last_id = m_db.prepare(k_max_entry_id).single_integer();
    stage_terms(terms_of);
    Statement created = m_db.prepare(k_insert_created);
    created.bind(1, last_id).bind(2, run_id);
    created.run();
    Statement evidence = m_db.prepare(k_insert_created_evidence);
    evidence.bind(1, last_id);
    evidence.run();
    Statement explanations = m_db.prepare(k_insert_created_explanations);
    explanations.bind(1, last_id);
    explanations.run();
    const std::vector<std::int64_t> skipped = write_staged_updates(run_id);
    visit_written(last_id, skipped, visit);
}

void EntryStore::stage_terms(
    const std::function<const ListTerms&(const std::string&)>& terms_of) {
    m_db.exec(k_clear_terms);
    Statement lists = m_db.prepare(k_created_lists);
    Statement stage = m_db.prepare(k_stage_terms);
    while (lists.step()) {
        const std::string list_id(lists.column_text(0));
        const ListTerms& terms = terms_of(list_id);
        stage.bind(1, list_id)
            .bind(2, terms.list_title)
            .bind(3, terms.list_title_zh)
            .bind(4, terms.basis)
            .bind(5, terms.authority)
            .bind(6, terms.terms_json)
            .bind(7, terms.rule_version)
            .bind(8, terms.rule_sha256);
        stage.run();
    }
}

// update() from the staged columns.
std::vector<std::int64_t> EntryStore::write_staged_updates(std::int64_t run_id) {
    Statement updates(m_db, k_staged_updates, detail::Fetch::stream);
    std::vector<std::int64_t> skipped;
    while (updates.step()) {
        if (!run_update(updates.column_int64(1), updates.column_text(2),
                        optional_text(updates, 3), optional_text(updates, 4), run_id,
                        updates.column_text(5), updates.column_int64(6) != 0)) {
            skipped.push_back(updates.column_int64(0));
        }
    }
    return skipped;
}

// One pass in staging order over the changes with their entries as written, merged with one
// pass over those entries' evidence (by rec, as the state hash takes it).
void EntryStore::visit_written(std::int64_t last_id, const std::vector<std::int64_t>& skipped,
                               const std::function<void(const WrittenChange&)>& visit) {
    constexpr int k_entry_id_column = 20;
    constexpr int k_state_column = 21;
    // Streamed: a first run writes an entry for most subjects, and on PostgreSQL a statement
    // of Fetch::all holds its whole result in memory.
    Statement written(m_db, k_written, detail::Fetch::stream);
    Statement evidence(m_db, k_written_evidence, detail::Fetch::stream);
    written.bind(1, last_id);
    evidence.bind(1, last_id);
    bool more_evidence = evidence.step();
    auto next_skipped = skipped.begin();
    StagedChange change;
    std::vector<std::pair<std::int64_t, std::string>> by_rec;
    while (written.step()) {
        const std::int64_t seq = written.column_int64(0);
        read_staged(written, change);
        by_rec.clear();
        while (more_evidence && evidence.column_int64(0) == seq) {
            by_rec.emplace_back(evidence.column_int64(1), std::string(evidence.column_text(2)));
            more_evidence = evidence.step();
        }
        const bool was_skipped = next_skipped != skipped.end() && *next_skipped == seq;
        if (was_skipped) {
            ++next_skipped;
        }
        if (change.create) {
            // What it was staged with, in the order for_each_staged() gives it.
            change.evidence = by_rec;
            std::sort(change.evidence.begin(), change.evidence.end(),
                      [](const auto& a, const auto& b) {
                          return std::tie(a.second, a.first) < std::tie(b.second, b.first);
                      });
        }
        WrittenChange result{change, written.column_int64(k_entry_id_column), !was_skipped,
                             std::nullopt};
        if (result.written && !written.is_null(k_state_column)) {
            result.state = entry_state_hash(written, k_state_column, by_rec);
        }
        visit(result);
    }
}

void convert_explanations(Database& db) {
    Statement unconverted(db, k_unconverted);
    Statement set(db, k_set_explanation_data);
    while (true) {
        // A batch read whole, then written: no statement is read while another writes.
        std::vector<std::pair<std::int64_t, std::string>> batch;
        while (unconverted.step()) {
            batch.emplace_back(unconverted.column_int64(0),
                               std::string(unconverted.column_text(1)));
        }
        unconverted.reset();
        if (batch.empty()) {
            return;
        }
        for (const auto& [entry_id, explanation] : batch) {
            const std::string data =
                model::to_json(model::clauses_from_text(explanation)).dump();
            set.bind(1, data).bind(2, entry_id);
            set.run();
        }
    }
}

}  // namespace rbl::store
