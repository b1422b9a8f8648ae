#pragma once
// The working-day calendar (rules/calendar.yaml, SPEC.md §3): weekend days, public holidays and
// the weekend days that are worked instead (调休), as the State Council announces them each
// November for the next year. Notice, publicity and objection periods count its working days.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "rbl/util/date.hpp"

namespace rbl::rules {

/// A day of the week, numbered as util::Date::weekday() numbers them.
enum class Weekday { mon = 0, tue, wed, thu, fri, sat, sun };

/// The last day of a period of working days, and whether counting it relied on days the calendar
/// does not cover (there only weekends are days off, so the caller should warn).
struct PeriodEnd {
    util::Date end;
    /// True when a day counted lies outside the years the calendar covers — in practice, after
    /// its last year, before the next year's holidays were added.
    bool beyond_coverage = false;
};

/// Which days are working days. Cheap to query: the listed days are kept in hash sets.
class Calendar {
public:
    /// Loads calendar.yaml: `weekend` (day names mon..sun; [sat, sun] when absent), `holidays`
    /// and `workdays` (ISO dates or ranges FIRST..LAST, both ends included). Throws
    /// InvalidConfig (exit 2) listing every problem, each with file, line and column: unknown
    /// keys, bad day names, malformed dates or ranges, a range ending before it starts or
    /// longer than 366 days, a day both holiday and workday, a workday that is not a
    /// weekend day, or a weekend of all seven days.
    static Calendar load(const std::filesystem::path& file);

    /// A calendar from ready lists, unchecked (for tests and callers that build one in code).
    /// A day both a holiday and a workday is a holiday.
    static Calendar from_lists(const std::vector<Weekday>& weekend,
                               const std::vector<util::Date>& holidays,
                               const std::vector<util::Date>& workdays);

    /// True when `day` is a working day: not a weekend day unless listed as a workday, and not a
    /// holiday.
    [[nodiscard]] bool is_working_day(util::Date day) const;

    /// The last day of a period that covers the first `working_days` working days after `anchor`
    /// (the anchor itself never counts): with the 2026 calendar, anchor Fri 2026-02-13 and 5
    /// working days end on 2026-02-27 (Sat 02-14 is worked, 02-15..02-23 are Spring Festival).
    /// 0 working days end on the anchor. This is also "anchor plus N working days". Throws
    /// FailedError when `working_days` is negative (the rule loader rejects such periods).
    [[nodiscard]] PeriodEnd period_end(util::Date anchor, int working_days) const;

    /// The first and last year the calendar lists holidays or workdays for; 0 when it lists none.
    [[nodiscard]] int first_year() const { return m_first_year; }
    [[nodiscard]] int last_year() const { return m_last_year; }
    /// True when `day` falls within first_year()..last_year() (never when the calendar lists no
    /// holidays or workdays).
    [[nodiscard]] bool covers(util::Date day) const;
    /// The warning for a period that is beyond_coverage, e.g. "the calendar covers 2025–2026;
    /// working days after 2026-12-31 count weekends only".
    [[nodiscard]] std::string coverage_warning(const PeriodEnd& period) const;

    /// SHA-256 (hex) of the calendar's content — weekend days, holidays and workdays, however
    /// the file wrote them: two calendars count every period alike when their fingerprints agree.
    [[nodiscard]] std::string fingerprint() const;

private:
    void set_coverage();

    std::array<bool, 7> m_weekend{};
    std::unordered_set<std::int32_t> m_holidays;  ///< date serials
    std::unordered_set<std::int32_t> m_workdays;  ///< date serials
    int m_first_year = 0;
    int m_last_year = 0;
    std::int32_t m_covered_from = 0;  ///< serial of first_year()-01-01
    std::int32_t m_covered_to = -1;   ///< serial of last_year()-12-31 (below m_covered_from: none)
};

}  // namespace rbl::rules
