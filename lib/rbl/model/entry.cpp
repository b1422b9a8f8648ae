#include "rbl/model/entry.hpp"

#include <array>

namespace rbl::model {

namespace {

constexpr std::array<std::pair<EntryStatus, std::string_view>, 8> k_names = {{
    {EntryStatus::notice, "notice"},
    {EntryStatus::publicity, "publicity"},
    {EntryStatus::effective, "effective"},
    {EntryStatus::expired, "expired"},
    {EntryStatus::lifted, "lifted"},
    {EntryStatus::repaired, "repaired"},
    {EntryStatus::revoked, "revoked"},
    {EntryStatus::withdrawn, "withdrawn"},
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

std::optional<EntryStatus> parse_entry_status(std::string_view text) {
    for (const auto& [value, name] : k_names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

EntryStatus scheduled_status(const Entry& entry, util::Date day) {
    if (entry.notice_until && day <= *entry.notice_until) {
        return EntryStatus::notice;
    }
    if (entry.publicity_until && day <= *entry.publicity_until) {
        return EntryStatus::publicity;
    }
    return day < entry.expires_on ? EntryStatus::effective : EntryStatus::expired;
}

}  // namespace rbl::model
