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
    // Only lists with these conditions carry them, so that other entries' terms stay as they were.
    if (!repair_from.empty()) {
        out["repair_from"] = repair_from;
    }
    if (repair_commitment) {
        out["repair_commitment"] = true;
    }
    if (repair_barred_entries > 0 && repair_barred_within) {
        out["repair_barred_when"] = {{"entries", repair_barred_entries},
                                     {"within", repair_barred_within->text()}};
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
        out.repair_from = terms.value("repair_from", std::string());
        out.repair_commitment = terms.value("repair_commitment", false);
        if (terms.contains("repair_barred_when")) {
            const auto& barred = terms.at("repair_barred_when");
            out.repair_barred_entries = barred.at("entries").get<int>();
            out.repair_barred_within = duration_field(barred, "within", entry_id);
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

int recent_entries(std::span<const Entry> entries, const Entry& entry, const EntryTerms& terms,
                   util::Date day) {
    if (terms.repair_barred_entries <= 0 || !terms.repair_barred_within) {
        return 0;
    }
    const util::Date since = terms.repair_barred_within->before(day);
    return static_cast<int>(std::count_if(entries.begin(), entries.end(), [&](const Entry& other) {
        return other.list_id == entry.list_id && other.status != EntryStatus::withdrawn &&
               since <= other.decided_on && other.decided_on <= day;
    }));
}

bool gives_commitment(std::string_view commitment) {
    return commitment.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

std::optional<RepairBar> repair_bar(const Entry& entry, const EntryTerms& terms,
                                    util::Date received, const RepairFacts& facts) {
    util::Date anchor = entry.effective_from;
    if (!terms.repair_from.empty() && facts.from_day && entry.effective_from < *facts.from_day) {
        anchor = *facts.from_day;
    }
    const util::Date earliest = terms.repair_after ? terms.repair_after->after(anchor) : anchor;
    const auto bar = [&](RepairBar::Why why) { return RepairBar{why, earliest}; };
    if (!terms.repair_allowed) {
        return bar(RepairBar::Why::not_allowed);
    }
    if (terms.repair_barred_entries > 0 && facts.recent_entries >= terms.repair_barred_entries) {
        return bar(RepairBar::Why::repeated);
    }
    if (status_on(entry, received) != EntryStatus::effective) {
        return bar(RepairBar::Why::not_in_force);
    }
    if (terms.repair_commitment && !facts.commitment) {
        return bar(RepairBar::Why::no_commitment);
    }
    if (!terms.repair_from.empty() && !facts.from_day) {
        return bar(RepairBar::Why::not_recorded);
    }
    if (received < earliest) {
        return bar(RepairBar::Why::too_early);
    }
    return std::nullopt;
}

}  // namespace rbl::model
