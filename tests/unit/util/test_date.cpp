#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "rbl/util/date.hpp"

using rbl::util::Date;
using rbl::util::Duration;
using rbl::util::is_valid_ymd;
using rbl::util::parse_date;
using rbl::util::parse_duration;
using rbl::util::parse_iso_date;

namespace {

// The ISO text of a parsed date, or "error: REASON".
std::string parsed(std::string_view text) {
    const auto date = parse_date(text);
    return date ? date->iso() : "error: " + date.error();
}

Date ymd(int year, int month, int day) { return Date::from_ymd(year, month, day); }

// Sets $RBL_TODAY for the lifetime of the object, then unsets it.
struct FixedToday {
    explicit FixedToday(const char* value) { setenv("RBL_TODAY", value, 1); }
    ~FixedToday() { unsetenv("RBL_TODAY"); }
    FixedToday(const FixedToday&) = delete;
    FixedToday& operator=(const FixedToday&) = delete;
};

}  // namespace

TEST_CASE("date: serial numbers count days from 1970-01-01") {
    CHECK(ymd(1970, 1, 1).serial() == 0);
    CHECK(ymd(1970, 1, 2).serial() == 1);
    CHECK(ymd(1969, 12, 31).serial() == -1);
    CHECK(ymd(2000, 3, 1).serial() == 11017);
    CHECK(Date::from_serial(20000).iso() == "2024-10-04");
    CHECK(ymd(1, 1, 1).iso() == "0001-01-01");
    CHECK(ymd(9999, 12, 31).iso() == "9999-12-31");
    const Date date = ymd(2026, 11, 28);
    CHECK(date.year() == 2026);
    CHECK(date.month() == 11);
    CHECK(date.day() == 28);
}

TEST_CASE("date: every serial round-trips through year, month and day") {
    for (std::int32_t serial = ymd(1899, 1, 1).serial(); serial <= ymd(2101, 1, 1).serial();
         ++serial) {
        const Date date = Date::from_serial(serial);
        REQUIRE(is_valid_ymd(date.year(), date.month(), date.day()));
        REQUIRE(ymd(date.year(), date.month(), date.day()).serial() == serial);
    }
}

TEST_CASE("date: weekdays run from 0 = Monday to 6 = Sunday") {
    CHECK(ymd(1970, 1, 1).weekday() == 3);    // Thursday
    CHECK(ymd(2026, 11, 28).weekday() == 5);  // Saturday
    CHECK(ymd(2026, 11, 29).weekday() == 6);  // Sunday
    CHECK(ymd(2024, 1, 1).weekday() == 0);    // Monday
    CHECK(ymd(1969, 12, 29).weekday() == 0);  // Monday, before the epoch
    CHECK(ymd(1949, 10, 1).weekday() == 5);   // Saturday
}

TEST_CASE("date: leap years") {
    CHECK(is_valid_ymd(2024, 2, 29));
    CHECK(is_valid_ymd(2000, 2, 29));
    CHECK_FALSE(is_valid_ymd(1900, 2, 29));
    CHECK_FALSE(is_valid_ymd(2023, 2, 29));
    CHECK_FALSE(is_valid_ymd(2100, 2, 29));
    CHECK(ymd(2000, 3, 1).serial() - ymd(2000, 2, 28).serial() == 2);
    CHECK(ymd(1900, 3, 1).serial() - ymd(1900, 2, 28).serial() == 1);
}

TEST_CASE("date: is_valid_ymd checks ranges") {
    CHECK(is_valid_ymd(1, 1, 1));
    CHECK(is_valid_ymd(9999, 12, 31));
    CHECK_FALSE(is_valid_ymd(0, 1, 1));
    CHECK_FALSE(is_valid_ymd(10000, 1, 1));
    CHECK_FALSE(is_valid_ymd(2024, 0, 10));
    CHECK_FALSE(is_valid_ymd(2024, 13, 1));
    CHECK_FALSE(is_valid_ymd(2024, 4, 31));
    CHECK_FALSE(is_valid_ymd(2024, 1, 0));
    CHECK_FALSE(is_valid_ymd(2024, 1, 32));
}

TEST_CASE("date: parse_date accepts the forms of source files") {
    CHECK(parsed("2024-03-05") == "2024-03-05");
    CHECK(parsed("2024-3-5") == "2024-03-05");
    CHECK(parsed("2024/3/5") == "2024-03-05");
    CHECK(parsed("2024/03/05") == "2024-03-05");
    CHECK(parsed("2024/12/31") == "2024-12-31");
    CHECK(parsed("20240305") == "2024-03-05");
    CHECK(parsed("2024年3月5日") == "2024-03-05");
    CHECK(parsed("2024年03月15日") == "2024-03-15");
    CHECK(parsed("  2024-03-05\t") == "2024-03-05");
    CHECK(parsed("\xE3\x80\x80"
                 "2024/3/5 ") == "2024-03-05");
    CHECK(parsed("2024-02-29") == "2024-02-29");
}

TEST_CASE("date: parse_date rejects dates that do not exist") {
    CHECK(parsed("2023-02-29") == "error: '2023-02-29' is not a real date");
    CHECK(parsed("2024-13-01") == "error: '2024-13-01' is not a real date");
    CHECK(parsed("2024-00-10") == "error: '2024-00-10' is not a real date");
    CHECK(parsed("20230229") == "error: '20230229' is not a real date");
    CHECK(parsed("1900/2/29") == "error: '1900/2/29' is not a real date");
    CHECK(parsed("0000-01-01") == "error: '0000-01-01' is not a real date");
    CHECK(parsed("2024年4月31日") == "error: '2024年4月31日' is not a real date");
}

TEST_CASE("date: parse_date rejects other shapes") {
    const std::string forms = "(expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)";
    CHECK(parsed("2023.1.1") == "error: '2023.1.1' is not a date " + forms);
    CHECK(parsed("") == "error: the date is empty " + forms);
    CHECK(parsed("   ") == "error: the date is empty " + forms);
    for (const char* text : {"garbage", "2024-1/5", "2024/01-05", "24-01-05", "12024-01-05",
                             "2024-001-05", "2024-01-005", "2024-01-05 10:00", "2024-01-05x",
                             "2024-01", "202401051", "2024010", "2024-01-05日", "2024年1月5",
                             "2024 年1月5日", "2024-+1-05", "-2024-01-05", "01/05/2024"}) {
        CAPTURE(text);
        CHECK(parsed(text) == "error: '" + std::string(text) + "' is not a date " + forms);
    }
}

TEST_CASE("date: parse_iso_date takes exactly YYYY-MM-DD") {
    CHECK(parse_iso_date("2024-03-05").value() == ymd(2024, 3, 5));
    CHECK(parse_iso_date("2024-3-5").error() == "'2024-3-5' is not a date (expected YYYY-MM-DD)");
    CHECK_FALSE(parse_iso_date("2024/03/05").has_value());
    CHECK_FALSE(parse_iso_date("20240305").has_value());
    CHECK_FALSE(parse_iso_date(" 2024-03-05").has_value());
    CHECK_FALSE(parse_iso_date("").has_value());
    CHECK(parse_iso_date("2023-02-29").error() == "'2023-02-29' is not a real date");
}

TEST_CASE("date: month arithmetic clamps to the month's end") {
    CHECK(ymd(2024, 1, 31).plus_months(1) == ymd(2024, 2, 29));
    CHECK(ymd(2023, 1, 31).plus_months(1) == ymd(2023, 2, 28));
    CHECK(ymd(2024, 3, 31).plus_months(-1) == ymd(2024, 2, 29));
    CHECK(ymd(2024, 5, 31).plus_months(1) == ymd(2024, 6, 30));
    CHECK(ymd(2024, 11, 30).plus_months(2) == ymd(2025, 1, 30));
    CHECK(ymd(2024, 1, 15).plus_months(-1) == ymd(2023, 12, 15));
    CHECK(ymd(2024, 1, 15).plus_months(-13) == ymd(2022, 12, 15));
    CHECK(ymd(2024, 1, 15).plus_months(0) == ymd(2024, 1, 15));
    CHECK(ymd(2024, 2, 29).plus_years(-1) == ymd(2023, 2, 28));
    CHECK(ymd(2024, 2, 29).plus_years(4) == ymd(2028, 2, 29));
    CHECK(ymd(2024, 2, 29).plus_years(1) == ymd(2025, 2, 28));
    CHECK(ymd(2024, 12, 31).plus_days(1) == ymd(2025, 1, 1));
    CHECK(ymd(2024, 3, 1).plus_days(-1) == ymd(2024, 2, 29));
}

TEST_CASE("date: durations parse, print and move dates") {
    CHECK(parse_duration("30d").value() == Duration{30, Duration::Unit::days});
    CHECK(parse_duration("6m").value() == Duration{6, Duration::Unit::months});
    CHECK(parse_duration("3y").value() == Duration{3, Duration::Unit::years});
    CHECK(parse_duration("0d").value() == Duration{0, Duration::Unit::days});
    CHECK(parse_duration("9999y").value() == Duration{9999, Duration::Unit::years});
    CHECK(parse_duration("3y").value().text() == "3y");
    CHECK(parse_duration("30d").value().text() == "30d");
    CHECK(parse_duration("10000d").error() == "duration '10000d' is too long (at most 9999)");
    for (const char* text : {"", "d", "3", "3w", "-3y", "+3y", "3 y", "3Y", "1.5y", "y3", "3yy"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_duration(text).has_value());
    }
    CHECK(parse_duration("3w").error() ==
          "'3w' is not a duration (expected Nd, Nm or Ny, e.g. 30d, 6m, 3y)");

    const Date as_of = ymd(2024, 2, 29);
    CHECK(parse_duration("1y")->before(as_of) == ymd(2023, 2, 28));
    CHECK(parse_duration("1y")->after(as_of) == ymd(2025, 2, 28));
    CHECK(parse_duration("1m")->before(as_of) == ymd(2024, 1, 29));
    CHECK(parse_duration("1m")->after(as_of) == ymd(2024, 3, 29));
    CHECK(parse_duration("30d")->before(as_of) == ymd(2024, 1, 30));
    CHECK(parse_duration("30d")->after(as_of) == ymd(2024, 3, 30));
}

TEST_CASE("date: today honours RBL_TODAY") {
    {
        FixedToday fixed("2026-11-28");
        CHECK(rbl::util::today() == ymd(2026, 11, 28));
    }
    {
        FixedToday fixed("2026/11/28");
        CHECK_THROWS_WITH_AS(rbl::util::today(),
                             "RBL_TODAY='2026/11/28' is not a date (YYYY-MM-DD)", rbl::UsageError);
    }
    {
        FixedToday fixed("2023-02-29");
        CHECK_THROWS_AS(rbl::util::today(), rbl::UsageError);
    }
    unsetenv("RBL_TODAY");
    const Date now = rbl::util::today();
    CHECK(now.year() >= 2024);
    CHECK(now.year() <= 9999);
}

TEST_CASE("date: utc_now_iso has the ISO 8601 shape") {
    const std::string now = rbl::util::utc_now_iso();
    REQUIRE(now.size() == 20);
    CHECK(now[4] == '-');
    CHECK(now[10] == 'T');
    CHECK(now[13] == ':');
    CHECK(now.back() == 'Z');
    CHECK(parse_iso_date(now.substr(0, 10)).has_value());
}

TEST_CASE("date: stored UTC times in China Standard Time, and where a China day begins") {
    CHECK(rbl::util::china_time("2026-12-01T19:34:41Z") == "2026-12-02 03:34:41+08:00");
    CHECK(rbl::util::china_time("2026-12-31T16:00:00Z") == "2027-01-01 00:00:00+08:00");
    CHECK(rbl::util::china_time("2026-12-01 10:00") == "2026-12-01 10:00");
    CHECK(rbl::util::utc_start_of_china_day(Date::from_ymd(2026, 11, 28)) ==
          "2026-11-27T16:00:00Z");
    CHECK(rbl::util::utc_start_of_china_day(Date::from_ymd(2026, 3, 1)) == "2026-02-28T16:00:00Z");
}
