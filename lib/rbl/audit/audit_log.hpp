#pragma once
// The tamper-evident audit log (SPEC.md §7): every change appends a row whose SHA-256 covers the
// row's fields and the previous row's hash, so editing, deleting or inserting a row breaks the
// chain from that row on.
//
// Limits of a chain on its own: deleting the last row(s) leaves a shorter chain that still
// verifies, and someone who can write the file can recompute every hash after an edit. Detecting
// those needs the last hash kept elsewhere (a manifest, a printout); verify() finds edits,
// deletions in the middle and rows put in by hand.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/store/database.hpp"

namespace rbl::audit {

/// Who acts: the --operator name, the process's login name, and the tool.
struct Actor {
    std::string operator_name;
    std::string login;
    std::string tool;  ///< e.g. "rbl-import"
};

/// The login name of this process (getpwuid, then $USER, then "unknown").
std::string login_name();

/// One row of the log.
struct AuditRow {
    std::int64_t seq = 0;
    std::string at;  ///< UTC ISO 8601
    std::string operator_name;
    std::string login;
    std::string tool;
    std::string action;   ///< e.g. "import.batch", "record.updated"
    std::string object;   ///< e.g. "batch:3", "record:default/JS-2024-001"
    std::string details;  ///< a JSON object
    std::string prev_hash;
    std::string hash;
};

/// The outcome of verify().
struct VerifyResult {
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_bad;  ///< seq of the first row that does not verify
    std::string problem;                    ///< why that row fails ("hash mismatch", "gap after 4")
};

/// Filters for reading the log.
struct LogFilter {
    std::optional<std::int64_t> since_seq;     ///< rows with seq > since_seq
    std::optional<std::string> object;         ///< exactly this object
    std::optional<std::string> action;         ///< this action, or "entry" for "entry.*"
    std::optional<std::string> operator_name;  ///< exactly this operator
};

/// Appends to and reads the log of one database. Statements are prepared once.
class AuditLog {
public:
    AuditLog(store::Database& db, Actor actor);

    /// Appends a row and returns its seq. Must be called inside the caller's write transaction
    /// (reading the last hash and inserting are one atomic step); throws FailedError otherwise,
    /// and the database errors of Statement::step.
    std::int64_t append(std::string_view action, std::string_view object,
                        std::string_view details_json);

    /// Calls `visit` with each row that matches every given filter, in seq order, streaming
    /// (memory does not grow with the log).
    void for_each(const LogFilter& filter, const std::function<void(const AuditRow&)>& visit);

    /// Reads the rows that match every given filter, in seq order (for small logs and tests).
    std::vector<AuditRow> read(const LogFilter& filter);

    /// Walks the whole chain in seq order and reports the first row that is out of place: a gap
    /// in seq ("row 9 follows row 7: row 8 is missing"), a prev_hash that is not the previous
    /// row's hash ("row 7: previous hash does not match row 6"), or a hash that is not
    /// row_hash(row) ("row 5: hash does not match its contents"). `rows` counts every row.
    VerifyResult verify();

private:
    store::Database& m_db;
    Actor m_actor;
    store::Statement m_last;
    store::Statement m_insert;
    store::Statement m_read;
    store::Statement m_all;
};

/// The hash of a row: SHA-256 hex over prev_hash and every field, length-prefixed so that no
/// two different rows hash alike. The hashed bytes are, for each of seq (in decimal), at,
/// operator_name, login, tool, action, object, details and prev_hash in this order:
/// "<length in bytes, decimal>:<bytes>\n". `hash` itself is not hashed.
std::string row_hash(const AuditRow& row);

}  // namespace rbl::audit
