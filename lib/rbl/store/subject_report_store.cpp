#include "rbl/store/subject_report_store.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_subject =
    "SELECT subject_id, name, subject_type, region FROM subjects WHERE subject_id = ?1";

constexpr std::string_view k_next_id =
    "SELECT coalesce(max(report_id), 0) + 1 FROM subject_reports";

constexpr std::string_view k_insert = R"sql(
INSERT INTO subject_reports (report_id, number, subject_id, options, format, content_sha256,
                             file_sha256, out, operator, issued_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))sql";

constexpr std::string_view k_by_file = R"sql(
SELECT report_id, number, subject_id, options, format, content_sha256, file_sha256, out,
       operator, issued_at
FROM subject_reports WHERE file_sha256 = ?1 ORDER BY report_id LIMIT 1)sql";

constexpr std::string_view k_by_number = R"sql(
SELECT report_id, number, subject_id, options, format, content_sha256, file_sha256, out,
       operator, issued_at
FROM subject_reports WHERE number = ?1)sql";

}  // namespace

SubjectReportStore::SubjectReportStore(Database& db)
    : m_subject(db, k_subject),
      m_next_id(db, k_next_id),
      m_insert(db, k_insert),
      m_by_file(db, k_by_file),
      m_by_number(db, k_by_number) {}

std::optional<SubjectInfo> SubjectReportStore::subject(std::string_view subject_id) {
    m_subject.bind(1, subject_id);
    std::optional<SubjectInfo> found;
    if (m_subject.step()) {
        found = SubjectInfo{std::string(m_subject.column_text(0)),
                            std::string(m_subject.column_text(1)),
                            std::string(m_subject.column_text(2)),
                            std::string(m_subject.column_text(3))};
    }
    m_subject.reset();
    return found;
}

std::int64_t SubjectReportStore::next_report_id() {
    return m_next_id.single_integer();
}

std::int64_t SubjectReportStore::record(const IssuedReport& report) {
    m_insert.bind(1, report.report_id)
        .bind(2, report.number)
        .bind(3, report.subject_id)
        .bind(4, report.options_json)
        .bind(5, report.format)
        .bind(6, report.content_sha256)
        .bind(7, report.file_sha256)
        .bind(8, report.out)
        .bind(9, report.operator_name)
        .bind(10, report.issued_at)
        .run();
    return report.report_id;
}

std::optional<IssuedReport> SubjectReportStore::find_by_file(std::string_view file_sha256) {
    m_by_file.bind(1, file_sha256);
    return read_one(m_by_file);
}

std::optional<IssuedReport> SubjectReportStore::find_by_number(std::string_view number) {
    m_by_number.bind(1, number);
    return read_one(m_by_number);
}

std::optional<IssuedReport> SubjectReportStore::read_one(Statement& statement) {
    std::optional<IssuedReport> found;
    if (statement.step()) {
        IssuedReport report;
        report.report_id = statement.column_int64(0);
        report.number = statement.column_text(1);
        report.subject_id = statement.column_text(2);
        report.options_json = statement.column_text(3);
        report.format = statement.column_text(4);
        report.content_sha256 = statement.column_text(5);
        report.file_sha256 = statement.column_text(6);
        report.out = statement.column_text(7);
        report.operator_name = statement.column_text(8);
        report.issued_at = statement.column_text(9);
        found = std::move(report);
    }
    statement.reset();
    return found;
}

}  // namespace rbl::store
