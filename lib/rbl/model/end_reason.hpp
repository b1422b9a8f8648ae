#pragma once
// Why an entry ended (SPEC.md §4): one code each, stored in `entries.end_reason` and written in
// exports and JSON, and words in English and Chinese for the text people read.

#include <array>
#include <optional>
#include <string_view>

namespace rbl::model {

/// Why an entry ended.
enum class EndReason {
    validity_ended,           ///< its validity ran out (expired)
    lift_criteria_met,        ///< its list's lift criteria hold (lifted)
    rule_removed,             ///< its list is no longer in the rules (withdrawn)
    criteria_no_longer_hold,  ///< a pending entry's criteria fail on re-check (withdrawn)
    evidence_withdrawn,       ///< an effective entry's criteria fail on re-check (revoked)
    black_listed,             ///< a red entry of a subject effective on a black list
    objection_upheld,         ///< an objection was upheld (withdrawn or revoked)
    credit_repair,            ///< a repair application was upheld (repaired)
};

/// Every reason.
inline constexpr std::array<EndReason, 8> k_end_reasons = {
    EndReason::validity_ended,     EndReason::lift_criteria_met,
    EndReason::rule_removed,       EndReason::criteria_no_longer_hold,
    EndReason::evidence_withdrawn, EndReason::black_listed,
    EndReason::objection_upheld,   EndReason::credit_repair};

/// The reason's code (snake_case), as stored and published.
std::string_view to_string(EndReason reason);
/// The reason in English words ("validity ran out"), for entry histories and messages; marked
/// for the catalog, so that tr(words_en(reason).data()) shows it in the interface's language.
std::string_view words_en(EndReason reason);
/// The reason in Chinese words ("有效期届满").
std::string_view words_zh(EndReason reason);
/// Parses a code, or one of the two prose values earlier versions stored ("validity ran out",
/// "lift criteria hold"), so that their databases read as they are.
std::optional<EndReason> parse_end_reason(std::string_view text);

}  // namespace rbl::model
