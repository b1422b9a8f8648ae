#pragma once
// Real-time checks for departments' business systems (SPEC.md §9, 嵌入式联合奖惩): for each
// identifier asked about, the subject's entries in force and pending on a day, the measures a
// department must apply, and the lookup log that records who looked at whom. Read-only but for
// the log; the rule files are not read: entries keep their measures.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/entry_state.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/store/check_reader.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::check {

/// A measure of an entry: with a department, one that names it (`departments` then empty);
/// without, every measure with its departments.
struct MeasureDue {
    std::string id;
    std::string text_zh;
    std::vector<std::string> departments;
};

/// An entry in force or pending on the day, as a check answers it.
struct Listing {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string list_title;
    std::string list_title_zh;
    std::string kind;  ///< "black" or "red"
    std::string domain;
    model::EntryStatus status = model::EntryStatus::notice;
    util::Date effective_from;
    std::optional<util::Date> expires_on;  ///< none: an open-ended term
    bool disputed = false;
    std::vector<MeasureDue> measures;
};

/// What became of an identifier asked about.
enum class Outcome {
    found,    ///< the database knows the subject
    unknown,  ///< a valid identifier the database does not know: no record, no entry
    invalid,  ///< not an identifier (wrong length, characters, check character)
};

/// The outcome's name as shown and logged.
std::string_view to_string(Outcome outcome);

/// The answer for one identifier.
struct Answer {
    std::string asked;       ///< as given
    std::uint64_t line = 0;  ///< its line in the identifier file; 0 on the command line
    std::string subject_id;  ///< trimmed and upper-cased
    Outcome outcome = Outcome::unknown;
    std::string reason;  ///< why it is invalid
    std::string subject_name;
    std::string subject_type;
    std::vector<Listing> entries;  ///< in force and pending, by entry id
    bool listed_black = false;     ///< a black entry in force (effective)
    bool listed_red = false;       ///< a red entry in force (effective)
    std::optional<std::int64_t> lookup_id;  ///< its row of the lookup log, once recorded
};

/// What to answer.
struct CheckOptions {
    util::Date as_of;  ///< the day the answer is for
    std::optional<std::string> department;
};

/// Answers checks from one database, one indexed query per identifier.
class Checker {
public:
    /// Reads in `db`, which the caller keeps in one read transaction (a snapshot) while it checks.
    Checker(store::Database& db, CheckOptions options);

    /// The answer for `asked` (an identifier as given), found on line `line` of a file (0: the
    /// command line).
    Answer check(std::string_view asked, std::uint64_t line = 0);

    [[nodiscard]] const CheckOptions& options() const { return m_options; }

private:
    void add_listings(Answer& answer);
    const std::vector<MeasureDue>& measures_of(const store::CheckedEntry& entry);

    CheckOptions m_options;
    util::Date m_today;
    store::CheckReader m_reader;
    util::Date m_last_run;
    store::SubjectStanding m_standing;
    std::map<std::string, std::vector<MeasureDue>, std::less<>> m_measures;  ///< by terms text
};

/// Who made the checks, for the lookup log.
struct Caller {
    std::string operator_name;
    std::string login;
};

/// Records every answer in the lookup log of `db` (open for writing) in one transaction, and
/// sets their lookup ids. Throws what the database throws (BusyError when another writer holds
/// it longer than the connection's busy timeout); nothing is recorded then.
void record_lookups(store::Database& db, const Caller& caller, const CheckOptions& options,
                    std::vector<Answer>& answers);

/// How the answers came out: subjects found (and of them, those with entries), unknown, invalid.
struct OutcomeCounts {
    std::size_t found = 0;
    std::size_t listed = 0;
    std::size_t unknown = 0;
    std::size_t invalid = 0;
};

/// Counts the answers' outcomes.
OutcomeCounts count_outcomes(const std::vector<Answer>& answers);

}  // namespace rbl::check
