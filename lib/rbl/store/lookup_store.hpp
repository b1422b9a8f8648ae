#pragma once
// The lookup log of real-time checks (SPEC.md §9): who looked at which subject, for which
// department, and which entries the answer named. Not the audit chain (which is for changes).
// All of its SQL is here, as constant statements.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "rbl/store/database.hpp"

namespace rbl::store {

/// One lookup as recorded.
struct Lookup {
    std::int64_t lookup_id = 0;  ///< set by the log
    std::string at;              ///< UTC, ISO 8601
    std::string operator_name;
    std::string login;
    std::optional<std::string> department;
    std::string subject_id;
    std::string outcome;       ///< "found", "unknown" or "invalid"
    std::string as_of;         ///< the day the answer was for
    std::string entries_json;  ///< the ids of the entries the answer named, a JSON array
};

/// Which lookups to list (empty members: no filter).
struct LookupFilter {
    std::optional<std::string> since;  ///< lookups at or after this UTC timestamp
    std::optional<std::string> department;
};

/// Writes and reads the lookup log of one database.
class LookupStore {
public:
    explicit LookupStore(Database& db);

    /// Records `lookup` and returns its id (the database must be writable and migrated).
    std::int64_t record(const Lookup& lookup);

    /// Calls `visit` with every lookup that passes the filter, in the order they were made. A
    /// database from before the lookup log (a read-only tool reads it unmigrated) has none.
    void for_each(const LookupFilter& filter, const std::function<void(const Lookup&)>& visit);

private:
    Database& m_db;
    std::optional<Statement> m_insert;
};

}  // namespace rbl::store
