#include "rbl/model/appeal.hpp"

namespace rbl::model {

std::string_view to_string(AppealType type) {
    return type == AppealType::objection ? "objection" : "repair";
}

std::string_view to_string(AppealOutcome outcome) {
    return outcome == AppealOutcome::upheld ? "upheld" : "rejected";
}

std::optional<AppealOutcome> parse_appeal_outcome(std::string_view text) {
    if (text == "upheld") {
        return AppealOutcome::upheld;
    }
    if (text == "rejected") {
        return AppealOutcome::rejected;
    }
    return std::nullopt;
}

}  // namespace rbl::model
