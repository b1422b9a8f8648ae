#include "rbl/model/appeal.hpp"

#include "rbl/util/i18n.hpp"

namespace rbl::model {

std::string_view to_string(AppealType type) {
    return type == AppealType::objection ? tr_later("objection") : tr_later("repair");
}

std::string_view to_string(AppealOutcome outcome) {
    return outcome == AppealOutcome::upheld ? tr_later("upheld") : tr_later("rejected");
}

const char* type_words(AppealType type) { return tr(to_string(type).data()); }

const char* outcome_words(AppealOutcome outcome) { return tr(to_string(outcome).data()); }

std::optional<AppealOutcome> parse_appeal_outcome(std::string_view text) {
    if (text == "upheld") {
        return AppealOutcome::upheld;
    }
    if (text == "rejected") {
        return AppealOutcome::rejected;
    }
    return std::nullopt;
}

nlohmann::json to_json(const Appeal& appeal) {
    return {{"appeal_id", appeal.appeal_id},
            {"entry_id", appeal.entry_id},
            {"type", to_string(appeal.type)},
            {"reason", appeal.reason},
            {"by", appeal.filed_by},
            {"received_on", appeal.received_on.iso()},
            {"due_on", appeal.due_on.iso()},
            {"outcome", appeal.outcome ? nlohmann::json(to_string(*appeal.outcome))
                                       : nlohmann::json(nullptr)},
            {"decided_on", appeal.decided_on ? nlohmann::json(appeal.decided_on->iso())
                                             : nlohmann::json(nullptr)}};
}

nlohmann::json to_json(const RecordRepair& repair) {
    return {{"appeal_id", repair.appeal_id},
            {"type", k_record_repair_type},
            {"record", repair.record_key()},
            {"subject_id", repair.subject_id},
            {"domain", repair.domain},
            {"kind", repair.kind},
            {"entry_id", nullptr},
            {"reason", repair.reason},
            {"commitment", repair.commitment},
            {"by", repair.filed_by},
            {"received_on", repair.received_on.iso()},
            {"due_on", repair.due_on.iso()},
            {"outcome", repair.outcome ? nlohmann::json(to_string(*repair.outcome))
                                       : nlohmann::json(nullptr)},
            {"decided_on", repair.decided_on ? nlohmann::json(repair.decided_on->iso())
                                             : nlohmann::json(nullptr)}};
}

}  // namespace rbl::model
