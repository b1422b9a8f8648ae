#include "rbl/model/entry_terms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::model {

namespace {

util::Duration duration_field(const nlohmann::json& terms, const char* key,
                              std::int64_t entry_id) {
    auto parsed = util::parse_duration(terms.at(key).get<std::string>());
    if (!parsed) {
        throw FailedError(
            trf("entry {}: its stored {} cannot be read: {}", entry_id, key, parsed.error()));
    }
    return *parsed;
}

}  // namespace

bool EntryMeasure::applies_to(std::string_view department) const {
    return std::find(departments.begin(), departments.end(), department) != departments.end();
}

std::string EntryTerms::to_json() const {
    nlohmann::json kept_measures = nlohmann::json::array();
    for (const EntryMeasure& measure : measures) {
        kept_measures.push_back({{"id", measure.id},
                                 {"text_zh", measure.text_zh},
                                 {"departments", measure.departments}});
    }
    nlohmann::json out{
        {"validity", validity.text()},
        {"notice_days", notice_days},
        {"publicity_days", publicity_days},
        {"appeal_days", appeal_days},
        {"repair_allowed", repair_allowed},
        {"repair_after",
         repair_after ? nlohmann::json(repair_after->text()) : nlohmann::json(nullptr)},
        {"measures", kept_measures}};
    // Only a `term:` list's entries carry these, so the terms of others read as before.
    if (expiry_fixed) {
        out["expiry_fixed"] = true;
    }
    if (!term.empty()) {
        out["term"] = term;
    }
    return out.dump();
}

EntryTerms EntryTerms::parse(std::string_view json, std::int64_t entry_id) {
    try {
        const auto terms = nlohmann::json::parse(json);
        EntryTerms out;
        out.validity = duration_field(terms, "validity", entry_id);
        out.notice_days = terms.at("notice_days").get<int>();
        out.publicity_days = terms.at("publicity_days").get<int>();
        out.appeal_days = terms.at("appeal_days").get<int>();
        out.repair_allowed = terms.at("repair_allowed").get<bool>();
        out.expiry_fixed = terms.value("expiry_fixed", false);
        out.term = terms.value("term", std::string());
        if (terms.contains("repair_after") && !terms.at("repair_after").is_null()) {
            out.repair_after = duration_field(terms, "repair_after", entry_id);
        }
        if (terms.contains("measures")) {
            for (const auto& measure : terms.at("measures")) {
                out.measures.push_back(
                    EntryMeasure{measure.at("id").get<std::string>(),
                                 measure.value("text_zh", std::string()),
                                 measure.value("departments", std::vector<std::string>())});
            }
        }
        return out;
    } catch (const nlohmann::json::exception& error) {
        throw FailedError(
            trf("entry {}: its stored terms cannot be read ({})", entry_id, error.what()));
    }
}

const EntryMeasure* EntryTerms::measure(std::string_view id) const {
    const auto found = std::find_if(measures.begin(), measures.end(),
                                    [&](const EntryMeasure& measure) { return measure.id == id; });
    return found == measures.end() ? nullptr : &*found;
}

std::optional<RepairBar> repair_bar(const Entry& entry, const EntryTerms& terms,
                                    util::Date received) {
    const util::Date earliest =
        terms.repair_after ? terms.repair_after->after(entry.effective_from) : entry.effective_from;
    if (!terms.repair_allowed) {
        return RepairBar{RepairBar::Why::not_allowed, earliest};
    }
    if (status_on(entry, received) != EntryStatus::effective) {
        return RepairBar{RepairBar::Why::not_in_force, earliest};
    }
    if (received < earliest) {
        return RepairBar{RepairBar::Why::too_early, earliest};
    }
    return std::nullopt;
}

}  // namespace rbl::model
