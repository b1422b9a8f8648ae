#pragma once
// The tamper-evident audit log (SPEC.md §7): every change appends a row whose SHA-256 covers the
// row's fields and the previous row's hash, so editing, deleting or inserting a row breaks the
// chain from that row on.

#include <cstdint>
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
    std::optional<std::int64_t> since_seq;
    std::optional<std::string> object;
    std::optional<std::string> action;
    std::optional<std::string> operator_name;
};

/// Appends to and reads the log of one database. Statements are prepared once.
class AuditLog {
public:
    AuditLog(store::Database& db, Actor actor);

    /// Appends a row (inside the caller's write transaction) and returns its seq.
    std::int64_t append(std::string_view action, std::string_view object,
                        std::string_view details_json);

    /// Reads the rows that match, in seq order.
    std::vector<AuditRow> read(const LogFilter& filter);

    /// Recomputes the whole chain.
    VerifyResult verify();

private:
    store::Database& m_db;
    Actor m_actor;
    store::Statement m_last;
    store::Statement m_insert;
};

/// The hash of a row: SHA-256 hex over prev_hash and every field, length-prefixed so that no
/// two different rows hash alike.
std::string row_hash(const AuditRow& row);

}  // namespace rbl::audit
