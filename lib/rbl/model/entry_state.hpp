#pragma once
// The life of a list entry as one state machine (SPEC.md §4): its statuses, the lawful moves
// between them, and where an entry stands on a day. Every place that decides an entry's state
// on a day asks here.
//
//   notice ──> publicity ──> effective ──> expired | lifted | repaired | revoked
//      └───────────┴──> withdrawn

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/model/end_reason.hpp"
#include "rbl/util/date.hpp"

namespace rbl::model {

struct Entry;

/// The states of an entry: pending (notice, publicity), in force (effective), ended (the rest).
/// Declared in the order of the life: a later pending or in-force state compares greater.
enum class EntryStatus { notice, publicity, effective, expired, lifted, repaired, revoked, withdrawn };

/// Every status, in the order of the life.
inline constexpr std::array<EntryStatus, 8> k_entry_statuses = {
    EntryStatus::notice,  EntryStatus::publicity, EntryStatus::effective, EntryStatus::expired,
    EntryStatus::lifted,  EntryStatus::repaired,  EntryStatus::revoked,   EntryStatus::withdrawn};

/// The status's name as stored and published.
std::string_view to_string(EntryStatus status);
/// The status in the interface's language, for messages (the English is the name itself:
/// the names are marked for the catalog).
const char* status_words(EntryStatus status);
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

/// Whether SPEC.md §4's life allows an entry to go from `from` to `to`: a pending state to a
/// later pending state, to effective or to withdrawn (and a notice straight to expired only
/// through effective, which a run may cross in one go); effective to expired, lifted, repaired
/// or revoked. An ended entry never moves.
bool is_lawful_move(EntryStatus from, EntryStatus to);

/// Ends an open entry: its status, the day it ended and why. Throws FailedError (an internal
/// error: a bug, never bad input) when the life does not allow that move.
void end_entry(Entry& entry, EntryStatus status, util::Date on, EndReason reason);

/// Moves an open entry forward to a later pending or in-force state; throws FailedError like
/// end_entry when the life does not allow that move.
void advance_entry(Entry& entry, EntryStatus status);

/// Where an entry stands on `day` by its dates alone: notice, publicity, effective or expired.
EntryStatus scheduled_status(const Entry& entry, util::Date day);

/// True when an open objection holds a pending entry in its state.
bool is_held(const Entry& entry);

/// Where an entry stands on `day`: its stored status moved forward along its dates, unless it
/// has ended or is held; never backwards (a run for an earlier day does not undo a move).
EntryStatus status_on(const Entry& entry, util::Date day);

/// Where a stored entry stands on a day for those who read the lists (exports, the report,
/// real-time checks): its status, and when and why it ended (none while open).
struct DayState {
    EntryStatus status = EntryStatus::notice;
    std::optional<util::Date> ended_on;
    std::optional<EndReason> end_reason;
};

/// Where a stored entry stood on `day`, `last_run` being the as-of day of the last run: its end
/// when it ended on or before `day`; its stored status when it is open and `day` is not before
/// the last run (what the office has decided so far: entries are not moved beyond it); else the
/// schedule of its dates, an entry past its expiry having expired ("validity ran out").
DayState state_as_published(const Entry& entry, util::Date day, util::Date last_run);

}  // namespace rbl::model
