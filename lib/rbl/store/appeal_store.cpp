#include "rbl/store/appeal_store.hpp"

#include "rbl/store/columns.hpp"
#include "rbl/store/schema.hpp"

namespace rbl::store {

namespace {

// An entry and its explanation's data, which a database older than version 11 lacks (read as
// NULL: the explanation is then read from its text).
#define RBL_ENTRY(DATA)                                                                       \
    "SELECT e.entry_id, e.list_id, e.subject_id, e.kind, e.domain, e.status, e.decided_on, "  \
    "e.notice_until, e.publicity_until, e.effective_from, e.expires_on, e.ended_on, "          \
    "e.end_reason, e.disputed, s.name, s.subject_type, e.list_title, e.terms, e.explanation, " \
    DATA ", e.list_title_zh FROM entries e JOIN subjects s ON s.subject_id = e.subject_id WHERE e.entry_id = ?1"
constexpr std::string_view k_entry = RBL_ENTRY(
    "(SELECT x.data FROM entry_explanations x WHERE x.entry_id = e.entry_id)");
constexpr std::string_view k_entry_before_data = RBL_ENTRY("CAST(NULL AS TEXT)");
#undef RBL_ENTRY

#define RBL_APPEAL_COLUMNS                                                                   \
    "a.appeal_id, a.entry_id, a.type, a.reason, a.filed_by, a.received_on, a.due_on, "      \
    "a.entry_status, a.operator, a.filed_at, a.outcome, a.decided_on, a.note, "              \
    "a.withdraw_records, a.decided_by, a.decided_at"
constexpr int k_appeal_columns = 16;

constexpr std::string_view k_find =
    "SELECT " RBL_APPEAL_COLUMNS " FROM appeals a WHERE a.appeal_id = ?1";

constexpr std::string_view k_list_all =
    "SELECT " RBL_APPEAL_COLUMNS ", e.list_id, e.subject_id, s.name, e.status "
    "FROM appeals a JOIN entries e ON e.entry_id = a.entry_id "
    "JOIN subjects s ON s.subject_id = e.subject_id ORDER BY a.appeal_id";

constexpr std::string_view k_list_open =
    "SELECT " RBL_APPEAL_COLUMNS ", e.list_id, e.subject_id, s.name, e.status "
    "FROM appeals a JOIN entries e ON e.entry_id = a.entry_id "
    "JOIN subjects s ON s.subject_id = e.subject_id WHERE a.outcome IS NULL "
    "ORDER BY a.appeal_id";

constexpr std::string_view k_of_entry =
    "SELECT " RBL_APPEAL_COLUMNS " FROM appeals a WHERE a.entry_id = ?1 ORDER BY a.appeal_id";

#undef RBL_APPEAL_COLUMNS

constexpr std::string_view k_open_count =
    "SELECT count(*) FROM appeals WHERE entry_id = ?1 AND type = ?2 AND outcome IS NULL";

constexpr std::string_view k_insert = R"sql(
INSERT INTO appeals (entry_id, type, reason, filed_by, received_on, due_on, entry_status,
                     operator, filed_at, appeal_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING appeal_id)sql";

constexpr std::string_view k_decide = R"sql(
UPDATE appeals SET outcome = ?2, decided_on = ?3, note = ?4, withdraw_records = ?5,
                   decided_by = ?6, decided_at = ?7
WHERE appeal_id = ?1 AND outcome IS NULL)sql";

}  // namespace

AppealStore::AppealStore(Database& db)
    : m_entry(db, db.schema_version() >= k_explanation_data_version ? k_entry
                                                                     : k_entry_before_data),
      m_find(db, k_find),
      m_list_all(db, k_list_all),
      m_list_open(db, k_list_open),
      m_of_entry(db, k_of_entry),
      m_open_count(db, k_open_count),
      m_insert(db, k_insert),
      m_decide(db, k_decide) {}

std::optional<EntryDetail> AppealStore::entry(std::int64_t entry_id) {
    m_entry.bind(1, entry_id);
    std::optional<EntryDetail> detail;
    if (m_entry.step()) {
        EntryDetail found;
        found.entry = entry_of(m_entry);
        found.subject_name = m_entry.column_text(14);
        found.subject_type = m_entry.column_text(15);
        found.list_title = m_entry.column_text(16);
        found.terms_json = m_entry.column_text(17);
        found.explanation = m_entry.column_text(18);
        found.explanation_data = m_entry.column_text(19);
        found.list_title_zh = m_entry.column_text(20);
        detail = std::move(found);
    }
    m_entry.reset();
    return detail;
}

model::Appeal AppealStore::read_appeal(const Statement& statement, int first) const {
    model::Appeal appeal;
    appeal.appeal_id = statement.column_int64(first + 0);
    appeal.entry_id = statement.column_int64(first + 1);
    appeal.type = statement.column_text(first + 2) == "repair" ? model::AppealType::repair
                                                               : model::AppealType::objection;
    appeal.reason = statement.column_text(first + 3);
    appeal.filed_by = statement.column_text(first + 4);
    appeal.received_on = date_of(statement, first + 5);
    appeal.due_on = date_of(statement, first + 6);
    appeal.entry_status = status_of(statement, first + 7);
    appeal.operator_name = statement.column_text(first + 8);
    appeal.filed_at = statement.column_text(first + 9);
    appeal.outcome = model::parse_appeal_outcome(statement.column_text(first + 10));
    appeal.decided_on = optional_date(statement, first + 11);
    appeal.note = statement.column_text(first + 12);
    appeal.withdraw_records = statement.column_int64(first + 13) != 0;
    appeal.decided_by = statement.column_text(first + 14);
    appeal.decided_at = statement.column_text(first + 15);
    return appeal;
}

std::optional<model::Appeal> AppealStore::find(std::int64_t appeal_id) {
    m_find.bind(1, appeal_id);
    std::optional<model::Appeal> appeal;
    if (m_find.step()) {
        appeal = read_appeal(m_find, 0);
    }
    m_find.reset();
    return appeal;
}

std::vector<AppealRow> AppealStore::list(bool open_only) {
    Statement& statement = open_only ? m_list_open : m_list_all;
    std::vector<AppealRow> rows;
    while (statement.step()) {
        AppealRow row;
        row.appeal = read_appeal(statement, 0);
        row.list_id = statement.column_text(k_appeal_columns);
        row.subject_id = statement.column_text(k_appeal_columns + 1);
        row.subject_name = statement.column_text(k_appeal_columns + 2);
        row.entry_status_now = status_of(statement, k_appeal_columns + 3);
        rows.push_back(std::move(row));
    }
    statement.reset();
    return rows;
}

std::vector<model::Appeal> AppealStore::of_entry(std::int64_t entry_id) {
    m_of_entry.bind(1, entry_id);
    std::vector<model::Appeal> appeals;
    while (m_of_entry.step()) {
        appeals.push_back(read_appeal(m_of_entry, 0));
    }
    m_of_entry.reset();
    return appeals;
}

std::int64_t AppealStore::open_count(std::int64_t entry_id, model::AppealType type) {
    m_open_count.bind(1, entry_id).bind(2, model::to_string(type));
    return m_open_count.single_integer();
}

std::int64_t AppealStore::insert(const model::Appeal& appeal) {
    const std::string received = appeal.received_on.iso();
    const std::string due = appeal.due_on.iso();
    std::optional<std::string> filed_by;
    if (!appeal.filed_by.empty()) {
        filed_by = appeal.filed_by;
    }
    m_insert.bind(1, appeal.entry_id)
        .bind(2, model::to_string(appeal.type))
        .bind(3, appeal.reason)
        .bind(4, filed_by)
        .bind(5, received)
        .bind(6, due)
        .bind(7, model::to_string(appeal.entry_status))
        .bind(8, appeal.operator_name)
        .bind(9, appeal.filed_at)
        .bind(10, appeal.appeal_id > 0 ? std::optional(appeal.appeal_id) : std::nullopt);
    return m_insert.single_integer();
}

void AppealStore::record_decision(const model::Appeal& appeal) {
    const std::optional<std::string> decided = iso(appeal.decided_on);
    const std::string_view outcome =
        appeal.outcome ? model::to_string(*appeal.outcome) : std::string_view();
    m_decide.bind(1, appeal.appeal_id)
        .bind(2, outcome)
        .bind(3, decided)
        .bind(4, appeal.note)
        .bind(5, appeal.withdraw_records ? 1 : 0)
        .bind(6, appeal.decided_by)
        .bind(7, appeal.decided_at);
    m_decide.run();
}

}  // namespace rbl::store
