#include "rbl/model/end_reason.hpp"

#include "rbl/model/enum_names.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::model {

namespace {

constexpr std::array<std::pair<EndReason, std::string_view>, 8> k_codes = {{
    {EndReason::validity_ended, "validity_ended"},
    {EndReason::lift_criteria_met, "lift_criteria_met"},
    {EndReason::rule_removed, "rule_removed"},
    {EndReason::criteria_no_longer_hold, "criteria_no_longer_hold"},
    {EndReason::evidence_withdrawn, "evidence_withdrawn"},
    {EndReason::black_listed, "black_listed"},
    {EndReason::objection_upheld, "objection_upheld"},
    {EndReason::credit_repair, "credit_repair"},
}};

// What versions before the codes stored for these two (the rest were codes already).
constexpr std::array<std::pair<EndReason, std::string_view>, 2> k_legacy = {{
    {EndReason::validity_ended, "validity ran out"},
    {EndReason::lift_criteria_met, "lift criteria hold"},
}};

// Shown to people: translated by tr() where they are shown.
constexpr std::array<std::pair<EndReason, std::string_view>, 8> k_words_en = {{
    {EndReason::validity_ended, tr_later("validity ran out")},
    {EndReason::lift_criteria_met, tr_later("the lift criteria hold")},
    {EndReason::rule_removed, tr_later("the rule was removed")},
    {EndReason::criteria_no_longer_hold, tr_later("the criteria no longer hold")},
    {EndReason::evidence_withdrawn, tr_later("the evidence was withdrawn")},
    {EndReason::black_listed, tr_later("the subject was put on a black list")},
    {EndReason::objection_upheld, tr_later("an objection was upheld")},
    {EndReason::credit_repair, tr_later("credit repaired")},
}};

constexpr std::array<std::pair<EndReason, std::string_view>, 8> k_words_zh = {{
    {EndReason::validity_ended, "有效期届满"},
    {EndReason::lift_criteria_met, "满足移出条件"},
    {EndReason::rule_removed, "认定规则已撤销"},
    {EndReason::criteria_no_longer_hold, "不再符合认定条件"},
    {EndReason::evidence_withdrawn, "认定依据已撤回"},
    {EndReason::black_listed, "主体被列入黑名单"},
    {EndReason::objection_upheld, "异议成立"},
    {EndReason::credit_repair, "信用修复完成"},
}};

}  // namespace

std::string_view to_string(EndReason reason) { return name_in<EndReason>(k_codes, reason); }

std::string_view words_en(EndReason reason) { return name_in<EndReason>(k_words_en, reason); }

std::string_view words_zh(EndReason reason) { return name_in<EndReason>(k_words_zh, reason); }

std::optional<EndReason> parse_end_reason(std::string_view text) {
    if (const auto code = value_in<EndReason>(k_codes, text)) {
        return code;
    }
    return value_in<EndReason>(k_legacy, text);
}

}  // namespace rbl::model
