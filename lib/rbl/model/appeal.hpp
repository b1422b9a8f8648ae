#pragma once
// Objections (异议) and credit-repair applications (信用修复) against list entries (SPEC.md §5).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rbl/model/entry.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::model {

/// What an appeal asks: an objection to the listing, or credit repair (early removal).
enum class AppealType { objection, repair };
/// How an appeal was decided: the request granted or refused.
enum class AppealOutcome { upheld, rejected };

/// The type's name as stored and shown ("objection", "repair").
std::string_view to_string(AppealType type);
/// The outcome's name as stored and shown ("upheld", "rejected").
std::string_view to_string(AppealOutcome outcome);
/// The type and the outcome in the interface's language, for messages (the English is the
/// name itself).
const char* type_words(AppealType type);
const char* outcome_words(AppealOutcome outcome);
/// Parses "upheld" or "rejected".
std::optional<AppealOutcome> parse_appeal_outcome(std::string_view text);

/// One appeal as stored.
struct Appeal {
    std::int64_t appeal_id = 0;
    std::int64_t entry_id = 0;
    AppealType type = AppealType::objection;
    std::string reason;
    std::string filed_by;  ///< who filed it (--by); empty when not given
    util::Date received_on;
    util::Date due_on;  ///< the last working day to decide: appeal_days after receipt
    EntryStatus entry_status = EntryStatus::effective;  ///< the entry's status when filed
    std::string operator_name;
    std::string filed_at;  ///< UTC ISO 8601
    std::optional<AppealOutcome> outcome;
    std::optional<util::Date> decided_on;
    std::string note;
    bool withdraw_records = false;
    std::string decided_by;
    std::string decided_at;

    /// True while undecided.
    [[nodiscard]] bool is_open() const { return !outcome.has_value(); }
    /// True when undecided after its due date as of `day`.
    [[nodiscard]] bool is_overdue(util::Date day) const { return is_open() && day > due_on; }
};

/// The appeal as `rbl-appeal --json` shows it: appeal_id, entry_id, type, reason, by,
/// received_on, due_on, and outcome and decided_on (null while undecided).
nlohmann::json to_json(const Appeal& appeal);

/// The type name of a record's credit-repair application, as shown beside objections and
/// entries' repairs ("record_repair").
inline constexpr std::string_view k_record_repair_type = tr_later("record_repair");

/// A credit-repair application for one record (SPEC.md §11): granted, the record's publication
/// ends on the decision day, and so do the entries resting on it alone. Its id is an appeal id.
struct RecordRepair {
    std::int64_t appeal_id = 0;
    std::int64_t rec = 0;      ///< the record's row
    std::string source;        ///< the record's source and id: SOURCE:RECORD_ID
    std::string record_id;
    std::string subject_id;
    std::string domain;
    std::string kind;
    std::string reason;
    std::string commitment;  ///< the public credit commitment (信用承诺); empty when not given
    std::string filed_by;
    util::Date received_on;
    util::Date due_on;  ///< the last working day to decide: repair_days after receipt
    std::string operator_name;
    std::string filed_at;  ///< UTC ISO 8601
    std::optional<AppealOutcome> outcome;
    std::optional<util::Date> decided_on;
    std::string note;
    std::string decided_by;
    std::string decided_at;

    /// "SOURCE:RECORD_ID".
    [[nodiscard]] std::string record_key() const { return source + ":" + record_id; }
    /// True while undecided.
    [[nodiscard]] bool is_open() const { return !outcome.has_value(); }
    /// True when undecided after its due date as of `day`.
    [[nodiscard]] bool is_overdue(util::Date day) const { return is_open() && day > due_on; }
};

/// The application as `rbl-appeal --json` shows it: appeal_id, type ("record_repair"), record
/// (SOURCE:RECORD_ID), subject_id, domain, kind, entry_id (null), reason, commitment, by,
/// received_on, due_on, outcome and decided_on (null while undecided).
nlohmann::json to_json(const RecordRepair& repair);

}  // namespace rbl::model
