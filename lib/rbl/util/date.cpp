#include "rbl/util/date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

constexpr int k_seconds_per_day = 86400;
constexpr int k_china_utc_offset_seconds = 8 * 3600;
constexpr int k_max_duration_count = 9999;

struct CivilDate {
    int year;
    int month;
    int day;
};

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
std::int32_t days_from_civil(int year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int year_of_era = year - era * 400;                                          // [0, 399]
    const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
    const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

// Howard Hinnant's civil_from_days, the inverse of days_from_civil.
CivilDate civil_from_days(std::int32_t days) {
    days += 719468;
    const int era = (days >= 0 ? days : days - 146096) / 146097;
    const int day_of_era = days - era * 146097;  // [0, 146096]
    const int year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int shifted_month = (5 * day_of_year + 2) / 153;  // [0, 11], March = 0
    const int day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    const int month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    const int year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : k_days[month - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads a decimal number of min_digits..max_digits digits from the front of `rest`, consuming it.
// More digits than max_digits is not a match.
std::optional<int> take_number(std::string_view& rest, std::size_t min_digits,
                               std::size_t max_digits) {
    std::size_t count = 0;
    int value = 0;
    while (count < rest.size() && is_digit(rest[count])) {
        if (count == max_digits) {
            return std::nullopt;
        }
        value = value * 10 + (rest[count] - '0');
        ++count;
    }
    if (count < min_digits) {
        return std::nullopt;
    }
    rest.remove_prefix(count);
    return value;
}

// Consumes `literal` from the front of `rest` when it is there.
bool take_literal(std::string_view& rest, std::string_view literal) {
    if (!rest.starts_with(literal)) {
        return false;
    }
    rest.remove_prefix(literal.size());
    return true;
}

// Year, month and day written as YEAR sep1 M sep2 D sep3, with a four-digit year and one- or
// two-digit month and day; nullopt when the text has another shape.
std::optional<CivilDate> match_separated(std::string_view text, std::string_view after_year,
                                         std::string_view after_month, std::string_view after_day,
                                         std::size_t min_digits) {
    const auto year = take_number(text, 4, 4);
    if (!year || !take_literal(text, after_year)) {
        return std::nullopt;
    }
    const auto month = take_number(text, min_digits, 2);
    if (!month || !take_literal(text, after_month)) {
        return std::nullopt;
    }
    const auto day = take_number(text, min_digits, 2);
    if (!day || !take_literal(text, after_day) || !text.empty()) {
        return std::nullopt;
    }
    return CivilDate{*year, *month, *day};
}

// "YYYYMMDD".
std::optional<CivilDate> match_compact(std::string_view text) {
    if (text.size() != 8) {
        return std::nullopt;
    }
    std::string_view year_part = text.substr(0, 4);
    std::string_view month_part = text.substr(4, 2);
    std::string_view day_part = text.substr(6, 2);
    const auto year = take_number(year_part, 4, 4);
    const auto month = take_number(month_part, 2, 2);
    const auto day = take_number(day_part, 2, 2);
    if (!year || !month || !day) {
        return std::nullopt;
    }
    return CivilDate{*year, *month, *day};
}

std::optional<CivilDate> match_any_form(std::string_view text) {
    if (auto civil = match_separated(text, "-", "-", "", 1)) {
        return civil;
    }
    if (auto civil = match_separated(text, "/", "/", "", 1)) {
        return civil;
    }
    if (auto civil = match_separated(text, "年", "月", "日", 1)) {
        return civil;
    }
    return match_compact(text);
}

Result<Date> to_real_date(std::string_view text, const CivilDate& civil) {
    if (!is_valid_ymd(civil.year, civil.month, civil.day)) {
        return fail(trf("'{}' is not a real date", text));
    }
    return Date::from_ymd(civil.year, civil.month, civil.day);
}

}  // namespace

Date Date::from_ymd(int year, int month, int day) {
    return from_serial(days_from_civil(year, month, day));
}

int Date::year() const { return civil_from_days(m_days).year; }

int Date::month() const { return civil_from_days(m_days).month; }

int Date::day() const { return civil_from_days(m_days).day; }

int Date::weekday() const {
    // 1970-01-01, serial 0, was a Thursday (3 when Monday is 0).
    return ((m_days + 3) % 7 + 7) % 7;
}

std::string Date::iso() const {
    const CivilDate civil = civil_from_days(m_days);
    return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

Date Date::plus_months(int months) const {
    const CivilDate civil = civil_from_days(m_days);
    const int month_index = civil.year * 12 + (civil.month - 1) + months;
    const int year = (month_index >= 0 ? month_index : month_index - 11) / 12;
    const int month = month_index - year * 12 + 1;
    const int day = std::min(civil.day, days_in_month(year, month));
    return from_ymd(year, month, day);
}

bool is_valid_ymd(int year, int month, int day) {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

Result<Date> parse_date(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return fail(
            tr("the date is empty (expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)"));
    }
    const auto civil = match_any_form(text);
    if (!civil) {
        return fail(trf(
            "'{}' is not a date (expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)", text));
    }
    return to_real_date(text, *civil);
}

Result<Date> parse_iso_date(std::string_view text) {
    const auto civil = match_separated(text, "-", "-", "", 2);
    if (!civil) {
        return fail(trf("'{}' is not a date (expected YYYY-MM-DD)", text));
    }
    return to_real_date(text, *civil);
}

Date Duration::before(Date date) const {
    switch (unit) {
        case Unit::days:
            return date.plus_days(-count);
        case Unit::months:
            return date.plus_months(-count);
        case Unit::years:
            return date.plus_years(-count);
    }
    return date;
}

Date Duration::after(Date date) const {
    switch (unit) {
        case Unit::days:
            return date.plus_days(count);
        case Unit::months:
            return date.plus_months(count);
        case Unit::years:
            return date.plus_years(count);
    }
    return date;
}

std::string Duration::text() const {
    const char suffix = unit == Unit::days ? 'd' : unit == Unit::months ? 'm' : 'y';
    return fmt::format("{}{}", count, suffix);
}

Result<Duration> parse_duration(std::string_view text) {
    text = trim(text);
    const auto not_a_duration = [&] {
        return fail(trf("'{}' is not a duration (expected Nd, Nm or Ny, e.g. 30d, 6m, 3y)", text));
    };
    if (text.size() < 2) {
        return not_a_duration();
    }
    Duration duration;
    switch (text.back()) {
        case 'd':
            duration.unit = Duration::Unit::days;
            break;
        case 'm':
            duration.unit = Duration::Unit::months;
            break;
        case 'y':
            duration.unit = Duration::Unit::years;
            break;
        default:
            return not_a_duration();
    }
    std::string_view digits = text.substr(0, text.size() - 1);
    for (const char c : digits) {
        if (!is_digit(c)) {
            return not_a_duration();
        }
        duration.count = duration.count * 10 + (c - '0');
        if (duration.count > k_max_duration_count) {
            return fail(trf("duration '{}' is too long (at most {})", text, k_max_duration_count));
        }
    }
    return duration;
}

Date today() {
    const char* fixed = std::getenv("RBL_TODAY");
    // An empty value counts as unset, so that `RBL_TODAY= rbl-...` switches it off.
    if (fixed != nullptr && *fixed != '\0') {
        const auto date = parse_iso_date(fixed);
        if (!date) {
            throw UsageError(trf("RBL_TODAY='{}' is not a date (YYYY-MM-DD)", fixed));
        }
        return *date;
    }
    // China Standard Time has no daylight saving: UTC+8 all year, whatever the host's zone.
    const std::time_t china_seconds = std::time(nullptr) + k_china_utc_offset_seconds;
    const std::time_t days = china_seconds / k_seconds_per_day;  // after 1970: no rounding issue
    return Date::from_serial(static_cast<std::int32_t>(days));
}

std::string utc_now_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string china_time(std::string_view utc_iso) {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    const std::string text(utc_iso);
    char zone = 0;
    if (text.size() != 20 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month,
                                         &day, &hour, &minute, &second, &zone) != 7 ||
        zone != 'Z' || !is_valid_ymd(year, month, day)) {
        return text;
    }
    const std::int64_t seconds =
        static_cast<std::int64_t>(Date::from_ymd(year, month, day).serial()) * k_seconds_per_day +
        hour * 3600 + minute * 60 + second + k_china_utc_offset_seconds;
    const Date china_day =
        Date::from_serial(static_cast<std::int32_t>(seconds / k_seconds_per_day));
    const std::int64_t in_day = seconds % k_seconds_per_day;
    return fmt::format("{} {:02}:{:02}:{:02}+08:00", china_day.iso(), in_day / 3600,
                       in_day / 60 % 60, in_day % 60);
}

std::string utc_start_of_china_day(Date day) {
    // Midnight at UTC+8 is 16:00 UTC the day before.
    return fmt::format("{}T16:00:00Z", Date::from_serial(day.serial() - 1).iso());
}

}  // namespace rbl::util
