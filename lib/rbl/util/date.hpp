#pragma once
// Civil dates (proleptic Gregorian), the date forms found in source files, durations such as
// "3y", and "today" in China Standard Time.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/util/error.hpp"

namespace rbl::util {

/// A calendar day, stored as days since 1970-01-01. Cheap to copy and compare.
class Date {
public:
    constexpr Date() = default;
    /// The date with this serial number (days since 1970-01-01).
    static constexpr Date from_serial(std::int32_t days) {
        Date d;
        d.m_days = days;
        return d;
    }
    /// The date y-m-d; the caller guarantees is_valid_ymd(y, m, d).
    static Date from_ymd(int year, int month, int day);

    /// Days since 1970-01-01.
    [[nodiscard]] constexpr std::int32_t serial() const { return m_days; }
    [[nodiscard]] int year() const;
    [[nodiscard]] int month() const;  ///< 1..12
    [[nodiscard]] int day() const;    ///< 1..31
    /// Day of the week, 0 = Monday ... 6 = Sunday.
    [[nodiscard]] int weekday() const;
    /// "YYYY-MM-DD".
    [[nodiscard]] std::string iso() const;

    /// The date `days` later (earlier when negative).
    [[nodiscard]] Date plus_days(int days) const { return from_serial(m_days + days); }
    /// Calendar arithmetic: the same day `months` later, clamped to the month's end
    /// (2024-01-31 + 1m = 2024-02-29).
    [[nodiscard]] Date plus_months(int months) const;
    /// plus_months(12 * years): 2024-02-29 - 1y = 2023-02-28.
    [[nodiscard]] Date plus_years(int years) const { return plus_months(12 * years); }

    constexpr auto operator<=>(const Date&) const = default;

private:
    std::int32_t m_days = 0;
};

/// True when y-m-d names a real day (1 <= year <= 9999).
bool is_valid_ymd(int year, int month, int day);

/// Parses the date forms of source files: "YYYY-MM-DD", "YYYY/M/D" (one or two digit month and
/// day; "YYYY-M-D" is tolerated too), "YYYYMMDD", "YYYY年M月D日". Surrounding spaces are ignored.
/// Fails with a plain reason ("'2023-02-29' is not a real date", "'2023.1.1' is not a date
/// (expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)").
Result<Date> parse_date(std::string_view text);

/// Parses exactly "YYYY-MM-DD" (command-line options and rule files).
Result<Date> parse_iso_date(std::string_view text);

/// A length of time as written in rule files: "30d", "6m", "3y".
struct Duration {
    enum class Unit { days, months, years };
    int count = 0;
    Unit unit = Unit::days;

    /// `date` moved back by this duration (calendar arithmetic).
    [[nodiscard]] Date before(Date date) const;
    /// `date` moved forward by this duration (calendar arithmetic).
    [[nodiscard]] Date after(Date date) const;
    /// Back to the written form, e.g. "3y".
    [[nodiscard]] std::string text() const;
    bool operator==(const Duration&) const = default;
};

/// Parses "Nd", "Nm" or "Ny" with N a non-negative integer up to 9999.
Result<Duration> parse_duration(std::string_view text);

/// Today in China Standard Time (UTC+8), or $RBL_TODAY (YYYY-MM-DD) when set and not empty.
/// Throws UsageError when $RBL_TODAY is set but not a date.
Date today();

/// The current time in UTC as ISO 8601, e.g. "2026-11-28T03:25:58Z".
std::string utc_now_iso();

/// A stored UTC timestamp ("2026-12-01T19:34:41Z") as people read it, in China Standard Time
/// with the offset ("2026-12-02 03:34:41+08:00"); text of another form is returned unchanged.
std::string china_time(std::string_view utc_iso);

/// The UTC timestamp at which `day` begins in China Standard Time ("2026-11-27T16:00:00Z" for
/// 2026-11-28), comparable as text with the stored timestamps.
std::string utc_start_of_china_day(Date day);

}  // namespace rbl::util
