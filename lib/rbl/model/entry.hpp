#pragma once
// List entries: one subject on one list, and its life (SPEC.md §4).

#include <optional>
#include <string>
#include <string_view>

#include "rbl/util/date.hpp"

namespace rbl::model {

/// The states of an entry: pending (notice, publicity), in force (effective), ended (the rest).
enum class EntryStatus { notice, publicity, effective, expired, lifted, repaired, revoked, withdrawn };

/// The status's name as stored and published.
std::string_view to_string(EntryStatus status);
/// Parses a status name.
std::optional<EntryStatus> parse_entry_status(std::string_view text);

/// True for notice and publicity.
constexpr bool is_pending(EntryStatus status) {
    return status == EntryStatus::notice || status == EntryStatus::publicity;
}
/// True for pending and effective entries: the subject is on the list or about to be.
constexpr bool is_open(EntryStatus status) {
    return is_pending(status) || status == EntryStatus::effective;
}

/// An entry's state and dates as stored.
struct Entry {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string subject_id;
    std::string kind;    ///< "black" or "red"
    std::string domain;
    EntryStatus status = EntryStatus::notice;
    util::Date decided_on;
    std::optional<util::Date> notice_until;     ///< last day of notice
    std::optional<util::Date> publicity_until;  ///< last day of publicity
    util::Date effective_from;
    util::Date expires_on;  ///< the first day no longer in force
    std::optional<util::Date> ended_on;
    std::string end_reason;
    /// An objection is open: a pending entry is held (does not advance), an effective one stays
    /// in force, marked disputed.
    bool disputed = false;
};

/// Where an entry stands on `day` by its dates alone: notice, publicity, effective or expired.
EntryStatus scheduled_status(const Entry& entry, util::Date day);

}  // namespace rbl::model
