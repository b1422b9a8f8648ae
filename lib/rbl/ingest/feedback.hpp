#pragma once
// rbl-import --feedback: departments report back which joint measures they applied to which
// entry (the loop of 发起、响应、实施、反馈). Each row is checked against the entry's kept
// measures; bad rows are rejected with their line and reason, the rest recorded in one batch.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/report.hpp"

namespace rbl::ingest {

/// What a feedback import did.
struct FeedbackSummary {
    std::int64_t rows = 0;
    std::int64_t inserted = 0;
    std::int64_t unchanged = 0;  ///< reports recorded before
    std::int64_t rejected = 0;
    std::optional<std::int64_t> batch_id;
    bool committed = false;
    std::vector<std::string> rejections;  ///< "line N: reason"
};

/// The summary as `rbl-import --feedback --json` prints it, in the shape of an import's
/// (ingest::to_json(ImportSummary)): inserted and unchanged say what is in the database after
/// the run (zeros when nothing was committed), `validated` what the rows would do; updated is
/// always 0 (a report is recorded or already there); and the rejections.
nlohmann::json to_json(const FeedbackSummary& summary);

/// Imports a feedback CSV (UTF-8, header `entry_id, department, measure_id, applied_on` and an
/// optional `note` and `lookup_id`). A row is rejected when its entry does not exist, the measure
/// is not one of the entry's, the department is not named by that measure, the date is
/// malformed, before the entry's decision or after today, or a lookup_id it gives is not a lookup
/// made for that department about the entry's subject. With `strict` or `dry_run` nothing is
/// committed when rejected / at all. Throws UsageError for a missing file or header column.
FeedbackSummary import_feedback(store::Database& db, audit::AuditLog& audit,
                                const std::filesystem::path& file, bool strict, bool dry_run,
                                Reporter& reporter, const std::string& operator_name);

}  // namespace rbl::ingest
