#pragma once
// Issuing subjects' credit reports and verifying them (SPEC.md §10). Every report gets a number
// and is registered with the SHA-256 of its content and of its file, and audited; verify tells
// a registered, unchanged file from a changed one, an unknown number, and a file that is no
// report at all.
//
// Why the register and not the file holds the file's hash: a file cannot contain its own
// SHA-256 (writing the hash changes the bytes hashed). So the footer prints the digest of the
// report's content (publish/subject_report.hpp), which is fixed before the file is laid out,
// and the number; the register keeps both and the SHA-256 of the bytes written. A file whose
// SHA-256 is registered is a report as issued; any change to any byte, visible or not, makes it
// something else.

#include <filesystem>
#include <optional>
#include <string>

#include "rbl/audit/audit_log.hpp"
#include "rbl/publish/subject_report.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/subject_report_store.hpp"

namespace rbl::publish {

/// What to issue.
struct IssueOptions {
    ReportScope scope;
    std::string out;     ///< FILE.html or FILE.pdf (the extension says the format)
    std::string office;  ///< the issuing office, printed in the report
    std::string operator_name;
    unsigned mode = 0600;  ///< permission bits of the file written
};

/// What an issue did.
struct IssueSummary {
    std::string number;
    std::string out;
    std::string format;  ///< "html" or "pdf"
    std::string sha256;  ///< of the file
    std::string content_sha256;
    std::string as_of;
    std::string from;
    std::string to;
    std::size_t bytes = 0;
};

/// Gathers, renders, registers and audits one report under the write lock, then puts the file in
/// place (it never exists unregistered). Throws UsageError for an --out that does not end in
/// .html or .pdf or whose folder does not exist, and as gather_subject_report; BusyError when the
/// write lock cannot be had within --wait; FailedError as the PDF renderer and file writing.
IssueSummary issue_subject_report(store::Database& db, audit::AuditLog& audit,
                                  const IssueOptions& options);

/// What verify_report found.
struct ReportCheck {
    bool ok = false;       ///< a report this office issued, unchanged
    std::string number;    ///< the number the file carries ("" when none)
    std::string message;   ///< in plain words, why or why not
    std::optional<store::IssuedReport> issued;  ///< the registered report, when known
};

/// Checks a file against the register (read-only). Throws UsageError when the file does not
/// exist or is a folder, FailedError when it cannot be read.
ReportCheck verify_report(store::Database& db, const std::filesystem::path& file);

}  // namespace rbl::publish
