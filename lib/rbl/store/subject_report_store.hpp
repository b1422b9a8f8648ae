#pragma once
// The subject a credit report is about, and the register of issued reports (SPEC.md §10): each
// report number with what it covered, the digest of its content and the SHA-256 of its file.
// The report's records, entries and appeals are read through SubjectReader, PublicationStore and
// AppealStore. All of this file's SQL is in subject_report_store.cpp, prepared once.

#include <cstdint>
#include <optional>
#include <string>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// A subject as stored.
struct SubjectInfo {
    std::string subject_id;
    std::string name;
    std::string subject_type;
    std::string region;
};

/// One issued report as registered.
struct IssuedReport {
    std::int64_t report_id = 0;
    std::string number;
    std::string subject_id;
    std::string options_json;  ///< canonical JSON of what the report covered
    std::string format;        ///< "html" or "pdf"
    std::string content_sha256;
    std::string file_sha256;
    std::string out;
    std::string operator_name;
    std::string issued_at;  ///< UTC ISO 8601
};

/// Reads subjects and keeps the register of reports of one database.
class SubjectReportStore {
public:
    explicit SubjectReportStore(Database& db);

    /// The subject with this identifier, if any.
    std::optional<SubjectInfo> subject(std::string_view subject_id);
    /// The id the next registered report gets (inside the caller's write transaction).
    std::int64_t next_report_id();
    /// Registers a report; returns its id.
    std::int64_t record(const IssuedReport& report);
    /// The report whose file has this SHA-256, if any (the first issued).
    std::optional<IssuedReport> find_by_file(std::string_view file_sha256);
    /// The report with this number, if any.
    std::optional<IssuedReport> find_by_number(std::string_view number);

private:
    std::optional<IssuedReport> read_one(Statement& statement);

    Statement m_subject;
    Statement m_next_id;
    Statement m_insert;
    Statement m_by_file;
    Statement m_by_number;
};

}  // namespace rbl::store
