#pragma once
// A credit-information record (SPEC.md §2), validated and normalised.

#include <optional>
#include <string>
#include <string_view>

#include "rbl/model/subject.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/money.hpp"

namespace rbl::model {

/// Whether a record counts: `withdrawn` records were revoked or corrected at source or by the
/// office, and no rule sees them.
enum class RecordStatus { active, withdrawn };

/// "active" or "withdrawn".
std::string_view to_string(RecordStatus status);

/// One record as stored. `attrs_json` is a JSON object of the non-null attributes, keys sorted,
/// values normalised (declared numbers as numbers, dates as "YYYY-MM-DD", bools as true/false,
/// anything else as text).
struct Record {
    std::string source;
    std::string record_id;
    std::string subject_id;
    std::string subject_name;
    SubjectType subject_type = SubjectType::legal_person;
    bool id_check_ok = true;  ///< false when --id-check warn let a bad check character through
    std::string domain;
    std::string kind;
    util::Date date;
    std::optional<util::Fen> amount;
    std::optional<std::string> authority;
    std::optional<std::string> region;
    RecordStatus status = RecordStatus::active;
    std::string attrs_json = "{}";
};

}  // namespace rbl::model
