#include "rbl/store/subject_reader.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_subjects_with_records = R"sql(
SELECT s.subject_id, s.name, s.subject_type, s.region,
       r.rec, r.record_id, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region, r.attrs
FROM subjects s
LEFT JOIN records r ON r.subject_id = s.subject_id AND r.status = 'active' AND r.date <= ?1
WHERE ?2 IS NULL OR s.subject_id = ?2
ORDER BY s.subject_id)sql";

constexpr std::string_view k_count_subjects = "SELECT count(*) FROM subjects";

}  // namespace

SubjectReader::SubjectReader(Database& db, std::string as_of,
                             std::optional<std::string> subject_id)
    : m_statement(db, k_subjects_with_records),
      m_as_of(std::move(as_of)),
      m_subject_id(std::move(subject_id)) {
    m_statement.bind(1, m_as_of).bind(2, m_subject_id);
    m_has_row = m_statement.step();
    m_done = !m_has_row;
}

bool SubjectReader::next(SubjectRows& rows) {
    if (m_done) {
        return false;
    }
    rows.subject_id = m_statement.column_text(0);
    rows.name = m_statement.column_text(1);
    rows.subject_type = m_statement.column_text(2);
    rows.region = m_statement.column_text(3);
    rows.records.clear();
    while (m_has_row && m_statement.column_text(0) == rows.subject_id) {
        if (!m_statement.is_null(4)) {
            StoredRecord record;
            record.rec = m_statement.column_int64(4);
            record.record_id = m_statement.column_text(5);
            record.domain = m_statement.column_text(6);
            record.kind = m_statement.column_text(7);
            record.date = m_statement.column_text(8);
            if (!m_statement.is_null(9)) {
                record.amount_fen = m_statement.column_int64(9);
            }
            record.authority = m_statement.column_optional_text(10);
            record.region = m_statement.column_optional_text(11);
            record.attrs = m_statement.column_text(12);
            rows.records.push_back(std::move(record));
        }
        m_has_row = m_statement.step();
    }
    if (!m_has_row) {
        m_done = true;
        m_statement.reset();
    }
    return true;
}

std::int64_t count_subjects(Database& db) {
    Statement statement(db, k_count_subjects);
    return statement.step() ? statement.column_int64(0) : 0;
}

}  // namespace rbl::store
