#pragma once
// The tamper-evident audit log (SPEC.md §7): every change appends a row whose SHA-256 covers the
// row's fields and the previous row's hash, so editing, deleting or inserting a row breaks the
// chain from that row on.
//
// The log also vouches for the state it describes: every row that creates or changes an entry
// or a record carries the hash of its new content ("state", store/state_hash.hpp), and an
// import's `import.batch` row the multiset hash and count of the records it inserted
// ("inserted_digest"; record.updated, record.withdrawn and import.revert carry what lets the
// digest follow later changes). verify() recomputes every entry and record and names the one
// that is not what the log says it became, an entry or record with no row, and one the log
// has that no longer exists.
//
// Limits: a chain on its own cannot tell that its last rows were deleted, and someone who can
// write the file can rewrite every row and state and recompute every hash. Both are bounded by
// a head (seq and hash, head()) kept outside the database — every publication's manifest
// carries one — given back to verify(): the row must still be there with that hash.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/store/audit_store.hpp"
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

/// One row of the log (as stored by store/audit_store.hpp).
using AuditRow = store::AuditRow;

/// The row as `rbl-audit log --json` prints it, one JSON object per line: seq, at, operator,
/// login, tool, action, object, details (parsed into an object; a discarded value when it is
/// not JSON) and hash.
nlohmann::json to_json(const AuditRow& row);

/// A point of the chain: a row's seq and hash, written "SEQ:HASH".
struct Head {
    std::int64_t seq = 0;
    std::string hash;
    /// "SEQ:HASH".
    [[nodiscard]] std::string text() const;
};

/// A head from "SEQ:HASH" (a positive seq, 64 hex characters); nullopt when malformed.
std::optional<Head> parse_head(std::string_view text);

/// The head as `rbl-audit head --json` prints it: {seq, hash, head: "SEQ:HASH"}; null when
/// there is none (an empty log).
nlohmann::json to_json(const std::optional<Head>& head);

/// What verify() checks besides the chain.
struct VerifyOptions {
    std::optional<Head> head;  ///< a head kept outside: its row must be there with its hash
    bool check_state = true;   ///< recompute entries and records against the log
};

/// The outcome of verify().
struct VerifyResult {
    std::int64_t rows = 0;
    /// seq of the first row that does not verify, or of the row whose account of an object the
    /// database contradicts; nullopt when there is none (also for an object with no row)
    std::optional<std::int64_t> first_bad;
    std::string problem;  ///< the first problem in plain words; empty when all is well
    std::string object;   ///< the object it names ("entry:17", "batch:3"), if any
    std::vector<std::string> problems;  ///< every problem found (at most 100), first first
    std::int64_t entries_checked = 0;   ///< entries compared with the log
    std::int64_t records_checked = 0;   ///< records compared with the log
    /// entries and records the log has no state hash for (rows written before rbl kept them):
    /// not checked, and not counted as problems
    std::int64_t unchecked = 0;
    std::optional<Head> head;  ///< the chain's last row
    [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// The result as `rbl-audit verify --json` prints it: rows, ok, first_bad, problem, object (null
/// when none), problems, the counts checked, the chain's head, and head_checked: whether
/// `options` gave a head kept outside.
nlohmann::json to_json(const VerifyResult& result, const VerifyOptions& options);

/// Filters for reading the log: rows with seq > since_seq, exactly this object, this action or
/// "entry" for "entry.*", exactly this operator (empty members: no filter).
using LogFilter = store::AuditFilter;

/// Appends to and reads the log of one database, through store::AuditStore (whose statements
/// are prepared once).
class AuditLog {
public:
    AuditLog(store::Database& db, Actor actor);

    /// Appends a row and returns its seq. Must be called inside the caller's write transaction
    /// (reading the last hash and inserting are one atomic step); throws FailedError otherwise,
    /// and the database errors of Statement::step.
    std::int64_t append(std::string_view action, std::string_view object,
                        std::string_view details_json);

    /// While one is alive, append() carries the chain's head in memory: the last row is read
    /// once, when it is made (inside the caller's write transaction, else FailedError), instead
    /// of for every row. The transaction's write lock keeps any other connection from appending
    /// meanwhile, so make one after the transaction began and let it go before it ends.
    class HeldHead {
    public:
        explicit HeldHead(AuditLog& log);
        ~HeldHead();
        HeldHead(const HeldHead&) = delete;
        HeldHead& operator=(const HeldHead&) = delete;

    private:
        AuditLog& m_log;
    };

    /// Calls `visit` with each row that matches every given filter, in seq order, streaming
    /// (memory does not grow with the log). The row is valid for the call only.
    void for_each(const LogFilter& filter, const std::function<void(const AuditRow&)>& visit);

    /// Reads the rows that match every given filter, in seq order (for small logs and tests).
    std::vector<AuditRow> read(const LogFilter& filter);

    /// Walks the whole chain in seq order and reports the first row that is out of place: a gap
    /// in seq ("row 9 follows row 7: row 8 is missing"), a prev_hash that is not the previous
    /// row's hash ("row 7: previous hash does not match row 6"), or a hash that is not
    /// row_hash(row) ("row 5: hash does not match its contents"); with a head, that its row is
    /// there with its hash. Then, when the chain is whole and `check_state`, recomputes every
    /// entry and record (one streamed pass each) against what the log says they became.
    /// `rows` counts every row. Read it inside one read transaction (a snapshot).
    VerifyResult verify(const VerifyOptions& options = {});

    /// The last row's seq and hash; nullopt for an empty log.
    std::optional<Head> head();

private:
    store::Database& m_db;
    Actor m_actor;
    store::AuditStore m_rows;
    /// The chain's last row while a HeldHead is alive (nullopt inside: the log is empty).
    std::optional<std::optional<store::AuditTail>> m_held;
};

/// The hash of a row: SHA-256 hex over prev_hash and every field, length-prefixed so that no
/// two different rows hash alike. The hashed bytes are, for each of seq (in decimal), at,
/// operator_name, login, tool, action, object, details and prev_hash in this order:
/// "<length in bytes, decimal>:<bytes>\n". `hash` itself is not hashed.
std::string row_hash(const AuditRow& row);

}  // namespace rbl::audit
