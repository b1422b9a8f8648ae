#include <nlohmann/json.hpp>

#include <limits>

#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/model/entry_state.hpp"

namespace rbl::appeal {

nlohmann::json to_json(const Decision& decision) {
    nlohmann::json out = model::to_json(decision.appeal);
    out["entry_status"] = model::to_string(decision.entry.status);
    out["disputed"] = decision.entry.disputed;
    out["effect"] = decision.effect;
    out["withdrawn_records"] = decision.withdrawn_records;
    return out;
}

nlohmann::json to_json(const AppealListing& listing, util::Date as_of) {
    nlohmann::json appeals = nlohmann::json::array();
    auto repair = listing.record_repairs.begin();
    const auto add_repairs_before = [&](std::int64_t appeal_id) {
        for (; repair != listing.record_repairs.end() && repair->repair.appeal_id < appeal_id;
             ++repair) {
            nlohmann::json item = model::to_json(repair->repair);
            item["subject_name"] = repair->subject_name;
            item["overdue"] = repair->repair.is_overdue(as_of);
            appeals.push_back(std::move(item));
        }
    };
    for (const auto& row : listing.appeals) {
        add_repairs_before(row.appeal.appeal_id);
        nlohmann::json item = model::to_json(row.appeal);
        item["list_id"] = row.list_id;
        item["subject_id"] = row.subject_id;
        item["subject_name"] = row.subject_name;
        item["entry_status"] = model::to_string(row.entry_status_now);
        item["overdue"] = row.appeal.is_overdue(as_of);
        appeals.push_back(std::move(item));
    }
    add_repairs_before(std::numeric_limits<std::int64_t>::max());
    return {{"as_of", as_of.iso()}, {"appeals", appeals}, {"overdue", listing.overdue}};
}

nlohmann::json story_to_json(std::int64_t appeal_id, const std::vector<std::string>& story) {
    return {{"appeal_id", appeal_id}, {"story", story}};
}

}  // namespace rbl::appeal
