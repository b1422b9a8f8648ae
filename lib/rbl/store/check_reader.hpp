#pragma once
// What a real-time check (SPEC.md §9) reads: one subject with its entries, by the index on the
// subject, in one constant statement prepared once. The lookup log it writes is
// store/lookup_store.hpp's.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::store {

/// One entry of a checked subject, with what a department needs of its rule.
struct CheckedEntry {
    model::Entry entry;
    std::string list_title;
    std::string list_title_zh;
    std::string terms_json;  ///< the terms kept from the rule (model/entry_terms)
};

/// A subject as the database knows it, with its entries decided on or before the day asked.
struct SubjectStanding {
    std::string name;
    std::string subject_type;
    std::vector<CheckedEntry> entries;  ///< by entry id; `disputed` as of the day asked
};

/// Reads subjects for real-time checks.
class CheckReader {
public:
    explicit CheckReader(Database& db);

    /// The as-of date of the latest run, if any.
    std::optional<util::Date> last_run_as_of();

    /// Reads into `standing` the subject `subject_id` with its entries decided on or before
    /// `day` that had not ended by then (`disputed`: an objection was open on `day`); false when
    /// the database does not know the subject. `standing` is reused from call to call.
    bool subject(std::string_view subject_id, util::Date day, SubjectStanding& standing);

private:
    Statement m_last_run;
    Statement m_subject;
};

/// The departments the measures of the last adjudication run's rules named (schema version 12's
/// `rule_departments`); empty when no run has named them (no run yet, or an older database).
std::set<std::string, std::less<>> rule_departments(Database& db);

}  // namespace rbl::store
