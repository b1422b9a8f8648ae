#include "rbl/model/list_kind.hpp"

#include "rbl/model/enum_names.hpp"

namespace rbl::model {

namespace {

constexpr std::array<std::pair<ListKind, std::string_view>, 2> k_names = {{
    {ListKind::black, "black"},
    {ListKind::red, "red"},
}};

}  // namespace

std::string_view to_string(ListKind kind) { return name_in<ListKind>(k_names, kind); }

std::optional<ListKind> parse_list_kind(std::string_view text) {
    return value_in<ListKind>(k_names, text);
}

}  // namespace rbl::model
