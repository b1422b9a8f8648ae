#include "rbl/model/entry_state.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "rbl/model/entry.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::model {

namespace {

constexpr std::array<std::pair<EntryStatus, std::string_view>, 8> k_names = {{
    {EntryStatus::notice, tr_later("notice")},
    {EntryStatus::publicity, tr_later("publicity")},
    {EntryStatus::effective, tr_later("effective")},
    {EntryStatus::expired, tr_later("expired")},
    {EntryStatus::lifted, tr_later("lifted")},
    {EntryStatus::repaired, tr_later("repaired")},
    {EntryStatus::revoked, tr_later("revoked")},
    {EntryStatus::withdrawn, tr_later("withdrawn")},
}};

}  // namespace

std::string_view to_string(EntryStatus status) {
    for (const auto& [value, name] : k_names) {
        if (value == status) {
            return name;
        }
    }
    return "notice";
}

const char* status_words(EntryStatus status) { return tr(to_string(status).data()); }

std::optional<EntryStatus> parse_entry_status(std::string_view text) {
    for (const auto& [value, name] : k_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

bool is_lawful_move(EntryStatus from, EntryStatus to) {
    if (is_pending(from)) {
        // Forward through the pending states and into force (a run may cross several, even
        // to expiry), or withdrawn.
        return to == EntryStatus::withdrawn || (to > from && to <= EntryStatus::expired);
    }
    if (from == EntryStatus::effective) {
        return to == EntryStatus::expired || to == EntryStatus::lifted ||
               to == EntryStatus::repaired || to == EntryStatus::revoked;
    }
    return false;
}

namespace {

void check_move(const Entry& entry, EntryStatus to) {
    if (!is_lawful_move(entry.status, to)) {
        throw FailedError(trf("internal error: entry {} cannot go from {} to {}", entry.entry_id,
                              to_string(entry.status), to_string(to)));
    }
}

}  // namespace

void end_entry(Entry& entry, EntryStatus status, util::Date on, EndReason reason) {
    check_move(entry, status);
    entry.status = status;
    entry.ended_on = on;
    entry.end_reason = reason;
}

void advance_entry(Entry& entry, EntryStatus status) {
    if (is_open(status)) {
        check_move(entry, status);
    } else {
        throw FailedError(
            trf("internal error: entry {} advanced to {}", entry.entry_id, to_string(status)));
    }
    entry.status = status;
}

EntryStatus scheduled_status(const Entry& entry, util::Date day) {
    if (entry.notice_until && day <= *entry.notice_until) {
        return EntryStatus::notice;
    }
    if (entry.publicity_until && day <= *entry.publicity_until) {
        return EntryStatus::publicity;
    }
    return !entry.expires_on || day < *entry.expires_on ? EntryStatus::effective
                                                        : EntryStatus::expired;
}

bool is_held(const Entry& entry) { return entry.disputed && is_pending(entry.status); }

EntryStatus status_on(const Entry& entry, util::Date day) {
    if (!is_open(entry.status) || is_held(entry)) {
        return entry.status;
    }
    return std::max(entry.status, scheduled_status(entry, day));
}

DayState state_as_published(const Entry& entry, util::Date day, util::Date last_run) {
    if (entry.ended_on && *entry.ended_on <= day) {
        return {entry.status, entry.ended_on, entry.end_reason};
    }
    if (is_open(entry.status) && day >= last_run) {
        return {entry.status, std::nullopt, std::nullopt};
    }
    const EntryStatus status = scheduled_status(entry, day);
    if (status == EntryStatus::expired) {
        return {status, entry.expires_on, EndReason::validity_ended};
    }
    return {status, std::nullopt, std::nullopt};
}

}  // namespace rbl::model
