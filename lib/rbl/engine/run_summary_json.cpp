#include <nlohmann/json.hpp>

#include "rbl/engine/adjudicator.hpp"

namespace rbl::engine {

nlohmann::json to_json(const ExpiringEntry& entry) {
    return {{"entry_id", entry.entry_id},
            {"list_id", entry.list_id},
            {"subject_id", entry.subject_id},
            {"expires_on", entry.expires_on}};
}

nlohmann::json to_json(const AdjudicationSummary& summary, const AdjudicateOptions& options) {
    nlohmann::json lists = nlohmann::json::object();
    for (const auto& [list_id, counts] : summary.lists) {
        lists[list_id] = to_json(counts);
    }
    nlohmann::json expiring = nlohmann::json::array();
    for (const ExpiringEntry& entry : summary.expiring) {
        expiring.push_back(to_json(entry));
    }
    nlohmann::json out = to_json(summary.total);
    out["as_of"] = summary.as_of;
    out["run_id"] = summary.run_id ? nlohmann::json(*summary.run_id) : nlohmann::json(nullptr);
    out["dry_run"] = options.dry_run;
    out["mode"] = summary.full ? "full" : "incremental";
    out["full_reason"] =
        summary.full ? nlohmann::json(summary.full_reason) : nlohmann::json(nullptr);
    out["subjects"] = summary.subjects;
    out["subjects_total"] = summary.subjects_total;
    out["jobs"] = options.jobs;
    out["lists"] = lists;
    out["notify_days"] = options.notify_days;
    out["expiring"] = expiring;
    out["seconds"] = {{"read", summary.read_seconds},
                      {"evaluate", summary.evaluate_seconds},
                      {"write", summary.write_seconds}};
    return out;
}

}  // namespace rbl::engine
