#pragma once
// What an entry keeps of its list's rule when it is created (SPEC.md §4): its terms, procedure,
// repair terms and joint measures, stored as JSON beside the entry so that a later revision of
// the rule does not change them. Written and read here only.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/entry.hpp"
#include "rbl/util/date.hpp"

namespace rbl::model {

/// A joint reward or punishment measure and the departments that apply it.
struct EntryMeasure {
    std::string id;
    std::string text_zh;
    std::vector<std::string> departments;

    /// True when `department` is one of the departments.
    [[nodiscard]] bool applies_to(std::string_view department) const;
};

/// An entry's kept terms.
struct EntryTerms {
    util::Duration validity;  ///< the term from the effective date (a `validity:` list)
    /// The entry's expires_on was fixed when it was created, from its evidence, or left empty
    /// (open-ended): a later effective date (an objection held it) does not move it. False for
    /// a `validity:` list and for every entry made before terms could count from the facts.
    bool expiry_fixed = false;
    /// A `term:` list's term as written (from, length, add, open_when), for the record; empty
    /// for a `validity:` list.
    std::string term;
    int notice_days = 0;
    int publicity_days = 0;
    int appeal_days = 0;
    bool repair_allowed = false;
    std::optional<util::Duration> repair_after;
    std::string repair_from;         ///< `repair.from`: the date attribute `after` counts from
    bool repair_commitment = false;  ///< the application must carry a credit commitment
    int repair_barred_entries = 0;   ///< `repair.barred_when` (0: no bar)
    std::optional<util::Duration> repair_barred_within;
    std::vector<EntryMeasure> measures;

    /// The stored form: a JSON object with these keys (sorted), durations in their written form.
    [[nodiscard]] std::string to_json() const;
    /// Reads the stored form. Throws FailedError naming entry `entry_id` when it cannot be read
    /// (a damaged row: the tools wrote it).
    static EntryTerms parse(std::string_view json, std::int64_t entry_id);

    /// The measure with this id, or null.
    [[nodiscard]] const EntryMeasure* measure(std::string_view id) const;
};

/// What a repair application's check needs beyond the entry and its terms, read by the caller
/// as of the day of receipt.
struct RepairFacts {
    /// With terms.repair_from: the attribute's latest value among the entry's evidence facts.
    std::optional<util::Date> from_day;
    /// With terms.repair_barred_entries: the subject's entries on the list, withdrawn ones aside,
    /// decided within terms.repair_barred_within before the day (this one included).
    int recent_entries = 0;
    bool commitment = false;  ///< the application carries a credit commitment
};

/// Why a credit-repair application received on a day may not be made for an entry (SPEC.md §5).
struct RepairBar {
    enum class Why {
        not_allowed,    ///< the entry's list allows no credit repair
        repeated,       ///< the subject was listed too often lately (repair.barred_when)
        not_in_force,   ///< the entry is not effective that day (pending, or ended)
        no_commitment,  ///< the list asks for a credit commitment and none is given
        not_recorded,   ///< the evidence does not record repair.from's date yet
        too_early,      ///< before its earliest repair day
    };
    Why why = Why::not_allowed;
    /// The earliest repair day: repair_after from the effective date, or from repair.from's date
    /// when that is later (the effective date's when it is not recorded).
    util::Date earliest;
};

/// How many of `entries` (the subject's) count against terms.repair_barred_when for a repair of
/// `entry` received on `day`: those on its list, withdrawn ones aside, decided within the bar's
/// window before `day`; 0 when the terms set no bar.
int recent_entries(std::span<const Entry> entries, const Entry& entry, const EntryTerms& terms,
                   util::Date day);

/// Whether an application's commitment text gives one (not empty or blank).
bool gives_commitment(std::string_view commitment);

/// What bars a repair application for `entry` received on `received`, by its kept `terms` and
/// `facts`; nullopt when nothing does (an open application of the same entry is the caller's to
/// check).
std::optional<RepairBar> repair_bar(const Entry& entry, const EntryTerms& terms,
                                    util::Date received, const RepairFacts& facts);

}  // namespace rbl::model
