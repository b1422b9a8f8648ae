#include <nlohmann/json.hpp>

#include "rbl/audit/audit_log.hpp"

namespace rbl::audit {

nlohmann::json to_json(const AuditRow& row) {
    return {{"seq", row.seq},
            {"at", row.at},
            {"operator", row.operator_name},
            {"login", row.login},
            {"tool", row.tool},
            {"action", row.action},
            {"object", row.object},
            {"details", nlohmann::json::parse(row.details, nullptr, false)},
            {"hash", row.hash}};
}

nlohmann::json to_json(const std::optional<Head>& head) {
    if (!head) {
        return nullptr;
    }
    return {{"seq", head->seq}, {"hash", head->hash}, {"head", head->text()}};
}

nlohmann::json to_json(const VerifyResult& result, const VerifyOptions& options) {
    return {{"rows", result.rows},
            {"ok", result.ok()},
            {"first_bad",
             result.first_bad ? nlohmann::json(*result.first_bad) : nlohmann::json(nullptr)},
            {"problem", result.problem},
            {"object", result.object.empty() ? nlohmann::json(nullptr)
                                             : nlohmann::json(result.object)},
            {"problems", result.problems},
            {"entries_checked", result.entries_checked},
            {"records_checked", result.records_checked},
            {"unchecked", result.unchecked},
            {"head", to_json(result.head)},
            {"head_checked", options.head.has_value()}};
}

}  // namespace rbl::audit
