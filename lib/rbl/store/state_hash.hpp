#pragma once
// Hashes of the content of list entries and records (SPEC.md §7): what every audit row that
// creates or changes one carries as "state", and what `rbl-audit verify` recomputes from the
// tables. The one place where an entry's or a record's content is serialised for hashing.
//
// The serialisation is length-prefixed like audit::row_hash: a label line, then for each value
// "<length in bytes, decimal>:<bytes>\n", or "n\n" for NULL (which no value can be confused
// with). Integers are their decimal text.
//
// An entry's content: entry_id, list_id, subject_id, kind, domain, status, decided_on,
// notice_until, publicity_until, effective_from, expires_on, ended_on, end_reason, disputed,
// list_title, list_title_zh, basis, authority, terms, rule_version, rule_sha256, explanation,
// then the number of evidence records and each one's rec and record_id, by rec. Not hashed:
// created_run and updated_run (bookkeeping).
//
// A record's content: source, record_id, subject_id, domain, kind, date, amount_fen, authority,
// region, status, withdrawn_by, attrs. Not hashed: rec, content_hash, inserted_batch,
// updated_batch, seen_batch (bookkeeping).

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rbl/store/database.hpp"

/// A record's content columns in the order record_state_of() reads them, for the SELECT and
/// RETURNING clauses of the stores (a macro so that their SQL stays one constant literal).
#define RBL_RECORD_STATE_COLUMNS                                                              \
    "source, record_id, subject_id, domain, kind, date, amount_fen, authority, region, "      \
    "status, withdrawn_by, attrs"

/// An entry's content columns in the order entry_state_hash() reads them (a macro, like
/// RBL_RECORD_STATE_COLUMNS).
#define RBL_ENTRY_STATE_COLUMNS                                                               \
    "entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until, "        \
    "publicity_until, effective_from, expires_on, ended_on, end_reason, disputed, list_title, " \
    "list_title_zh, basis, authority, terms, rule_version, rule_sha256, explanation"

namespace rbl::store {

/// The SHA-256 of an entry's or a record's content.
using StateHash = std::array<std::uint8_t, 32>;

/// The hash as 64 lowercase hex characters.
std::string to_hex(const StateHash& hash);
/// A hash from its hex text; nullopt when it is not 64 hex characters.
std::optional<StateHash> state_hash_from_hex(std::string_view text);

/// A record's content as stored (views into the caller's strings or a statement's columns).
struct RecordState {
    std::string_view source;
    std::string_view record_id;
    std::string_view subject_id;
    std::string_view domain;
    std::string_view kind;
    std::string_view date;  ///< "YYYY-MM-DD"
    std::optional<std::int64_t> amount_fen;
    std::optional<std::string_view> authority;
    std::optional<std::string_view> region;
    std::string_view status;  ///< "active" or "withdrawn"
    std::optional<std::string_view> withdrawn_by;
    std::string_view attrs;  ///< the JSON object text
};

/// The record read from RBL_RECORD_STATE_COLUMNS starting at column `first` (valid until the
/// statement's next step or reset).
RecordState record_state_of(const Statement& statement, int first);

/// The hash of a record's content.
StateHash record_state_hash(const RecordState& record);

/// How many columns RBL_ENTRY_STATE_COLUMNS names.
inline constexpr int k_entry_state_columns = 22;

/// The hash of an entry read from RBL_ENTRY_STATE_COLUMNS starting at column `first` of the
/// statement's current row, with its evidence given as (rec, record_id) pairs by rec.
StateHash entry_state_hash(const Statement& entry, int first,
                           const std::vector<std::pair<std::int64_t, std::string>>& evidence);

/// Reads the content hashes of entries and records as they are stored now.
class StateReader {
public:
    explicit StateReader(Database& db);

    /// The hash of entry `entry_id` with its evidence, or nullopt when there is no such entry.
    std::optional<StateHash> entry_state(std::int64_t entry_id);

    /// Calls `visit(entry_id, hash, status)` for every entry in entry_id order, streaming.
    void for_each_entry(
        const std::function<void(std::int64_t, const StateHash&, std::string_view)>& visit);

    /// A stored record with the batch that inserted it.
    struct StoredRecord {
        std::int64_t rec = 0;
        std::int64_t inserted_batch = 0;
        RecordState state;
    };
    /// Calls `visit` with every record in rec order, streaming.
    void for_each_record(const std::function<void(const StoredRecord&)>& visit);

private:
    Statement m_entry;
    Statement m_evidence;
    Statement m_all_entries;
    Statement m_all_evidence;
    Statement m_all_records;
};

}  // namespace rbl::store
