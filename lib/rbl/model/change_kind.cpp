#include "rbl/model/change_kind.hpp"

#include "rbl/model/enum_names.hpp"

namespace rbl::model {

namespace {

constexpr std::array<std::pair<ChangeKind, std::string_view>, 6> k_names = {{
    {ChangeKind::created, "created"},
    {ChangeKind::advanced, "advanced"},
    {ChangeKind::expired, "expired"},
    {ChangeKind::withdrawn, "withdrawn"},
    {ChangeKind::revoked, "revoked"},
    {ChangeKind::lifted, "lifted"},
}};

}  // namespace

std::string_view to_string(ChangeKind change) { return name_in<ChangeKind>(k_names, change); }

std::optional<ChangeKind> parse_change_kind(std::string_view text) {
    return value_in<ChangeKind>(k_names, text);
}

}  // namespace rbl::model
