#pragma once
// List entries: one subject on one list (its life: model/entry_state.hpp).

#include <optional>
#include <string>
#include <string_view>

#include "rbl/model/end_reason.hpp"
#include "rbl/model/entry_state.hpp"
#include "rbl/model/list_kind.hpp"
#include "rbl/util/date.hpp"

namespace rbl::model {

/// An entry's state and dates as stored.
struct Entry {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string subject_id;
    ListKind kind = ListKind::black;
    std::string domain;
    EntryStatus status = EntryStatus::notice;
    util::Date decided_on;
    std::optional<util::Date> notice_until;     ///< last day of notice
    std::optional<util::Date> publicity_until;  ///< last day of publicity
    util::Date effective_from;
    /// The first day no longer in force; none for an open-ended term (in force until lifted,
    /// repaired or revoked).
    std::optional<util::Date> expires_on;
    std::optional<util::Date> ended_on;
    std::optional<EndReason> end_reason;  ///< set once ended
    /// An objection is open: a pending entry is held (does not advance), an effective one stays
    /// in force, marked disputed.
    bool disputed = false;
};

}  // namespace rbl::model
