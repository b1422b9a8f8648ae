#include "rbl/model/record_publicity.hpp"

#include <algorithm>

#include "rbl/model/enum_names.hpp"

namespace rbl::model {

namespace {

constexpr std::array<std::pair<PublicityClass, std::string_view>, 3> k_names = {{
    {PublicityClass::minor, "minor"},
    {PublicityClass::general, "general"},
    {PublicityClass::serious, "serious"},
}};

constexpr std::array<std::pair<PublicityClass, std::string_view>, 3> k_chinese_names = {{
    {PublicityClass::minor, "轻微"},
    {PublicityClass::general, "一般"},
    {PublicityClass::serious, "严重"},
}};

}  // namespace

std::string_view to_string(PublicityClass value) {
    return name_in<PublicityClass>(k_names, value);
}

std::string_view chinese_name(PublicityClass value) {
    return name_in<PublicityClass>(k_chinese_names, value);
}

std::optional<PublicityClass> parse_publicity_class(std::string_view text) {
    return value_in<PublicityClass>(k_names, text);
}

bool PublicityTerms::publishes(std::string_view kind) const {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

PublicityClass PublicityTerms::class_of(
    const std::vector<std::optional<std::string>>& values) const {
    for (const std::optional<std::string>& value : values) {
        if (value) {
            if (const auto found = class_values.find(*value); found != class_values.end()) {
                return found->second;
            }
        }
    }
    return default_class;
}

bool RecordPublicity::is_public_on(util::Date day) const {
    if (!published || day < from || day > until) {
        return false;
    }
    return !ended_on || day < *ended_on;
}

std::optional<RecordPublicity> publicity_of(
    const PublicityTerms& terms, std::string_view kind,
    const std::vector<std::optional<std::string>>& class_values, util::Date decided_on) {
    if (!terms.publishes(kind)) {
        return std::nullopt;
    }
    RecordPublicity out;
    out.publicity_class = terms.class_of(class_values);
    // The loader makes sure every class a record can be given has terms; a class without them
    // (terms built by hand) is not published.
    const auto found = terms.classes.find(out.publicity_class);
    const ClassTerms class_terms =
        found != terms.classes.end() ? found->second : ClassTerms{false, {}, {}, false};
    out.published = class_terms.published;
    out.repairable = class_terms.repairable;
    out.from = decided_on;
    out.until = class_terms.maximum.after(decided_on);
    out.repair_from = class_terms.minimum.after(decided_on);
    return out;
}

}  // namespace rbl::model
