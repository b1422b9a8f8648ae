#include "rbl/store/check_reader.hpp"

#include "rbl/store/columns.hpp"
#include "rbl/store/schema.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_last_run = "SELECT max(as_of) FROM runs";

constexpr std::string_view k_rule_departments = "SELECT department FROM rule_departments";

// The subject and its entries that may stand on ?2: a row with NULL entry columns for a subject
// without any. Both joins go by index (subjects' key, entries_by_subject, appeals_by_entry).
constexpr std::string_view k_subject = R"sql(
SELECT s.name, s.subject_type, e.entry_id, e.list_id, e.kind, e.domain, e.status, e.decided_on,
       e.notice_until, e.publicity_until, e.effective_from, e.expires_on, e.ended_on,
       e.end_reason, e.list_title, e.list_title_zh, e.terms,
       EXISTS (SELECT 1 FROM appeals a WHERE a.entry_id = e.entry_id AND a.type = 'objection'
               AND a.received_on <= ?2 AND (a.decided_on IS NULL OR a.decided_on > ?2))
FROM subjects s
LEFT JOIN entries e ON e.subject_id = s.subject_id AND e.decided_on <= ?2
                   AND (e.ended_on IS NULL OR e.ended_on > ?2)
WHERE s.subject_id = ?1
ORDER BY e.entry_id)sql";

void read_entry(const Statement& row, CheckedEntry& out) {
    model::Entry& entry = out.entry;
    entry.entry_id = row.column_int64(2);
    entry.list_id = row.column_text(3);
    entry.kind = list_kind_of(row, 4);
    entry.domain = row.column_text(5);
    entry.status = status_of(row, 6);
    entry.decided_on = date_of(row, 7);
    entry.notice_until = optional_date(row, 8);
    entry.publicity_until = optional_date(row, 9);
    entry.effective_from = date_of(row, 10);
    entry.expires_on = optional_date(row, 11);
    entry.ended_on = optional_date(row, 12);
    entry.end_reason = end_reason_of(row, 13);
    out.list_title = row.column_text(14);
    out.list_title_zh = row.column_text(15);
    out.terms_json = row.column_text(16);
    entry.disputed = row.column_int64(17) != 0;
}

}  // namespace

CheckReader::CheckReader(Database& db) : m_last_run(db, k_last_run), m_subject(db, k_subject) {}

std::optional<util::Date> CheckReader::last_run_as_of() {
    std::optional<util::Date> as_of;
    if (m_last_run.step() && !m_last_run.is_null(0)) {
        as_of = date_of(m_last_run, 0);
    }
    m_last_run.reset();
    return as_of;
}

bool CheckReader::subject(std::string_view subject_id, util::Date day, SubjectStanding& standing) {
    const std::string day_text = day.iso();
    m_subject.bind(1, subject_id).bind(2, day_text);
    standing.entries.clear();
    bool found = false;
    try {
        while (m_subject.step()) {
            if (!found) {
                standing.name = m_subject.column_text(0);
                standing.subject_type = m_subject.column_text(1);
                found = true;
            }
            if (!m_subject.is_null(2)) {
                read_entry(m_subject, standing.entries.emplace_back());
            }
        }
    } catch (...) {
        m_subject.reset();
        throw;
    }
    m_subject.reset();
    return found;
}

std::set<std::string, std::less<>> rule_departments(Database& db) {
    std::set<std::string, std::less<>> departments;
    if (db.schema_version() < k_rule_departments_version) {
        return departments;
    }
    Statement statement = db.prepare(k_rule_departments);
    while (statement.step()) {
        departments.emplace(statement.column_text(0));
    }
    return departments;
}

}  // namespace rbl::store
