#pragma once
// The second half of `rbl-audit verify` (internal to lib/rbl/audit): what the log says every
// entry and record became, gathered while the chain is walked, then compared with the tables.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/multiset_hash.hpp"

namespace rbl::audit {

/// Gathers the log's account of entries and records (observe() each row in seq order), then
/// compares it with the database (check()).
class StateCheck {
public:
    /// Takes note of a row that creates or changes an entry or a record, or imports or reverts
    /// a batch; ignores the others.
    void observe(const AuditRow& row);
    /// Recomputes every entry and record in one streamed pass each and adds what differs to
    /// `result` (problems, counts).
    void check(store::Database& db, VerifyResult& result);

private:
    // The latest row about an entry.
    struct EntryClaim {
        std::int64_t seq = 0;
        std::string action;
        std::optional<store::StateHash> state;  ///< nullopt: a row from before state hashes
        std::string status;                     ///< the status the row names, if any
        bool seen = false;
    };
    // The rows about one record (record.updated, record.withdrawn).
    struct RecordClaim {
        std::int64_t seq = 0;  ///< of the latest
        std::string action;
        std::optional<store::StateHash> state;  ///< what the latest says it became
        util::MultisetHash delta;               ///< the sum of (state - previous_state)
        bool complete = true;                   ///< every row carried both hashes
        bool seen = false;
    };
    // An import batch and what happened to the records it inserted.
    struct BatchClaim {
        std::int64_t seq = 0;                    ///< of the import.batch row
        std::optional<util::MultisetHash> digest;  ///< nullopt: a row from before digests
        std::int64_t inserted = 0;
        util::MultisetHash revert_delta;  ///< after - before of its revert
        bool revert_complete = true;
        std::optional<std::int64_t> revert_seq;
    };
    // The records found in the table for one batch.
    struct BatchFound {
        util::MultisetHash digest;
        util::MultisetHash expected_delta;  ///< the per-record rows' deltas of its records
        std::int64_t records = 0;
        std::int64_t uncountable = 0;  ///< records whose per-record rows lack hashes
    };

    void add_problem(VerifyResult& result, std::string text, std::string object,
                     std::optional<std::int64_t> seq);
    void check_entries(store::StateReader& reader, VerifyResult& result);
    void check_records(store::StateReader& reader, VerifyResult& result);

    std::map<std::int64_t, EntryClaim> m_entries;
    std::map<std::string, RecordClaim> m_records;
    std::map<std::int64_t, BatchClaim> m_batches;
};

}  // namespace rbl::audit
