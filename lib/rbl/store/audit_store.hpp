#pragma once
// The rows of the audit log (table audit_log) as stored: appending one, the last one, and reading
// them in seq order. All of its SQL is here, prepared once per AuditStore; the hash chain, its
// verification and the state check are audit/'s (audit/audit_log.hpp).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// One row of the audit log.
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

/// Which rows to read (empty members: no filter).
struct AuditFilter {
    std::optional<std::int64_t> since_seq;     ///< rows with seq > since_seq
    std::optional<std::string> object;         ///< exactly this object
    std::optional<std::string> action;         ///< this action, or "entry" for "entry.*"
    std::optional<std::string> operator_name;  ///< exactly this operator
};

/// The seq and hash of the log's last row.
struct AuditTail {
    std::int64_t seq = 0;
    std::string hash;
};

/// Reads and appends rows of the audit log of one database.
class AuditStore {
public:
    explicit AuditStore(Database& db);

    /// The last row's seq and hash, read now (another process may have appended since the last
    /// call); nullopt for an empty log.
    std::optional<AuditTail> last();
    /// Inserts the row as given (seq, hashes and all); the caller's write transaction makes
    /// reading last() and inserting one step. Throws the database errors of Statement::step
    /// (a seq already taken is a constraint failure).
    void insert(const AuditRow& row);
    /// Calls `visit` with each row that matches every given filter, in seq order, streaming
    /// (memory does not grow with the log). The row passed is reused from call to call.
    void for_each(const AuditFilter& filter, const std::function<void(const AuditRow&)>& visit);
    /// Calls `visit` with every row in seq order, streaming (for walking the chain).
    void for_each_row(const std::function<void(const AuditRow&)>& visit);

private:
    Statement m_last;
    Statement m_insert;
    Statement m_read;
    Statement m_all;
};

}  // namespace rbl::store
