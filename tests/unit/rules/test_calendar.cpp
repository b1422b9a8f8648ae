#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"

using rbl::rules::Calendar;
using rbl::rules::InvalidConfig;
using rbl::rules::Weekday;
using rbl::util::Date;

namespace {

Date d(const char* iso) { return *rbl::util::parse_iso_date(iso); }

const Calendar& shipped() {
    static const Calendar calendar =
        Calendar::load(std::filesystem::path(RBL_SOURCE_DIR) / "rules/calendar.yaml");
    return calendar;
}

// Loads a calendar file expected to be invalid and returns its diagnostics.
std::vector<rbl::rules::Diagnostic> problems_of(const std::filesystem::path& file) {
    try {
        Calendar::load(file);
    } catch (const InvalidConfig& e) {
        CHECK(std::string(e.what()).find("invalid calendar") != std::string::npos);
        return e.diagnostics();
    }
    FAIL("the calendar loaded although it is invalid");
    return {};
}

// The problem whose message contains `text`, or nullptr.
const rbl::rules::Diagnostic* find(const std::vector<rbl::rules::Diagnostic>& problems,
                                   const std::string& text) {
    for (const auto& problem : problems) {
        if (problem.message.find(text) != std::string::npos) {
            return &problem;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("calendar: the shipped calendar knows 2025 and 2026") {
    const Calendar& calendar = shipped();
    CHECK(calendar.is_working_day(d("2026-02-14")));        // Sat, worked before Spring Festival
    CHECK(calendar.is_working_day(d("2026-02-28")));        // Sat, worked after it
    CHECK_FALSE(calendar.is_working_day(d("2026-02-16")));  // Mon, Spring Festival
    CHECK_FALSE(calendar.is_working_day(d("2026-02-23")));  // Mon, last day of it
    CHECK(calendar.is_working_day(d("2026-02-24")));
    CHECK_FALSE(calendar.is_working_day(d("2025-10-08")));  // Wed, National Day
    CHECK(calendar.is_working_day(d("2025-10-11")));        // Sat, worked
    CHECK(calendar.is_working_day(d("2025-01-26")));        // Sun, worked
    CHECK_FALSE(calendar.is_working_day(d("2026-03-07")));  // an ordinary Saturday
    CHECK_FALSE(calendar.is_working_day(d("2026-03-08")));  // an ordinary Sunday
    CHECK(calendar.is_working_day(d("2026-03-09")));        // an ordinary Monday
    CHECK_FALSE(calendar.is_working_day(d("2026-01-01")));
    CHECK_FALSE(calendar.is_working_day(d("2026-01-03")));  // Sat and holiday
    CHECK(calendar.is_working_day(d("2026-01-04")));        // Sun, worked
}

TEST_CASE("calendar: coverage spans the years listed") {
    const Calendar& calendar = shipped();
    CHECK(calendar.first_year() == 2025);
    CHECK(calendar.last_year() == 2026);
    CHECK_FALSE(calendar.covers(d("2024-12-31")));
    CHECK(calendar.covers(d("2025-01-01")));
    CHECK(calendar.covers(d("2026-12-31")));
    CHECK_FALSE(calendar.covers(d("2027-01-01")));
}

TEST_CASE("calendar: period_end counts working days after the anchor") {
    const Calendar& calendar = shipped();
    SUBCASE("across Spring Festival 2026") {
        // Sat 02-14 is worked; 02-15..02-23 are off; then 02-24..02-27.
        const auto period = calendar.period_end(d("2026-02-13"), 5);
        CHECK(period.end == d("2026-02-27"));
        CHECK_FALSE(period.beyond_coverage);
        CHECK(calendar.period_end(d("2026-02-13"), 1).end == d("2026-02-14"));
        CHECK(calendar.period_end(d("2026-02-13"), 2).end == d("2026-02-24"));
        // Anchored on a holiday: the first working day after it.
        CHECK(calendar.period_end(d("2026-02-17"), 1).end == d("2026-02-24"));
    }
    SUBCASE("across National Day 2025 and 2026") {
        // 2025-10-01..10-08 off, Thu 10-09, Fri 10-10, Sat 10-11 worked.
        CHECK(calendar.period_end(d("2025-09-30"), 3).end == d("2025-10-11"));
        CHECK(calendar.period_end(d("2025-09-30"), 4).end == d("2025-10-13"));
        // 2026-10-01..10-07 off, Thu 10-08, Fri 10-09, Sat 10-10 worked.
        CHECK(calendar.period_end(d("2026-09-30"), 2).end == d("2026-10-09"));
        CHECK(calendar.period_end(d("2026-09-30"), 3).end == d("2026-10-10"));
    }
    SUBCASE("an ordinary fortnight") {
        CHECK(calendar.period_end(d("2026-03-06"), 10).end == d("2026-03-20"));
    }
    SUBCASE("zero working days end on the anchor, even a holiday") {
        const auto period = calendar.period_end(d("2026-02-16"), 0);
        CHECK(period.end == d("2026-02-16"));
        CHECK_FALSE(period.beyond_coverage);
    }
    SUBCASE("a negative count is a program error") {
        CHECK_THROWS_AS(static_cast<void>(calendar.period_end(d("2026-02-16"), -1)),
                        rbl::FailedError);
    }
}

TEST_CASE("calendar: a period reaching past the covered years is flagged") {
    const Calendar& calendar = shipped();
    const auto inside = calendar.period_end(d("2026-12-21"), 5);
    CHECK(inside.end == d("2026-12-28"));
    CHECK_FALSE(inside.beyond_coverage);
    // 12-29, 12-30, 12-31, then 2027 with weekends only: Fri 01-01, Mon 01-04.
    const auto beyond = calendar.period_end(d("2026-12-28"), 5);
    CHECK(beyond.end == d("2027-01-04"));
    CHECK(beyond.beyond_coverage);
    CHECK(calendar.coverage_warning(beyond) ==
          "the calendar covers 2025–2026; working days after 2026-12-31 count weekends only");
    const auto before = calendar.period_end(d("2024-12-30"), 1);
    CHECK(before.end == d("2024-12-31"));
    CHECK(before.beyond_coverage);
    CHECK(calendar.coverage_warning(before) ==
          "the calendar covers 2025–2026; working days before 2025-01-01 count weekends only");
}

TEST_CASE("calendar: from_lists builds a calendar in code") {
    const Calendar calendar =
        Calendar::from_lists({Weekday::fri, Weekday::sat}, {d("2026-03-02")}, {d("2026-03-06")});
    CHECK(calendar.is_working_day(d("2026-03-08")));        // Sun
    CHECK_FALSE(calendar.is_working_day(d("2026-03-07")));  // Sat
    CHECK(calendar.is_working_day(d("2026-03-06")));        // Fri, worked
    CHECK_FALSE(calendar.is_working_day(d("2026-03-02")));  // Mon, holiday
    CHECK(calendar.first_year() == 2026);
    CHECK(calendar.last_year() == 2026);
    // Sun 03-01 (1), Mon holiday, Tue 03-03 (2).
    CHECK(calendar.period_end(d("2026-02-28"), 2).end == d("2026-03-03"));

    const Calendar bare = Calendar::from_lists({Weekday::sat, Weekday::sun}, {}, {});
    CHECK(bare.first_year() == 0);
    CHECK_FALSE(bare.covers(d("2026-03-02")));
    const auto period = bare.period_end(d("2026-03-02"), 1);
    CHECK(period.beyond_coverage);
    CHECK(bare.coverage_warning(period).find("lists no holidays") != std::string::npos);

    CHECK_THROWS_AS(Calendar::from_lists({Weekday::mon, Weekday::tue, Weekday::wed, Weekday::thu,
                                          Weekday::fri, Weekday::sat, Weekday::sun},
                                         {}, {}),
                    rbl::FailedError);
}

TEST_CASE("calendar: a file loads with flow lists, quoted dates and the default weekend") {
    rbl::test::TempDir dir;
    const auto file = dir.write("calendar.yaml",
                                "holidays: [2026-01-01, \"2026-02-15..2026-02-23\", "
                                "2026-05-01 .. 2026-05-05]\n"
                                "workdays: ['2026-02-14']\n");
    const Calendar calendar = Calendar::load(file);
    CHECK_FALSE(calendar.is_working_day(d("2026-01-01")));
    CHECK_FALSE(calendar.is_working_day(d("2026-02-20")));
    CHECK_FALSE(calendar.is_working_day(d("2026-05-05")));
    CHECK(calendar.is_working_day(d("2026-05-06")));
    CHECK(calendar.is_working_day(d("2026-02-14")));
    CHECK_FALSE(calendar.is_working_day(d("2026-03-07")));  // default weekend: Sat
    CHECK(calendar.first_year() == 2026);

    const auto only_weekend = dir.write("weekend.yaml", "weekend: [sun]\nholidays:\n");
    const Calendar six_days = Calendar::load(only_weekend);
    CHECK(six_days.is_working_day(d("2026-03-07")));
    CHECK_FALSE(six_days.is_working_day(d("2026-03-08")));
}

TEST_CASE("calendar: every problem is reported with its line and column") {
    rbl::test::TempDir dir;
    const auto file = dir.write("calendar.yaml",
                                "weekend: [sat, sunday]\n"      // 1
                                "holidays:\n"                   // 2
                                "  - 2026-02-15..2026-02-23\n"  // 3
                                "  - 2026-02-30\n"              // 4
                                "  - 2026-02-15..2026-02-10\n"  // 5
                                "  - 2026-01-01..2027-01-05\n"  // 6
                                "  - 2026/05/01\n"              // 7
                                "  - 2026-05-01..2026-05-0x\n"  // 8
                                "  - { from: 2026-05-01 }\n"    // 9
                                "colour: red\n");               // 10
    const auto problems = problems_of(file);
    CHECK(problems.size() == 8);
    for (const auto& problem : problems) {
        CHECK(problem.file == file.string());
    }

    const auto* day = find(problems, "unknown day 'sunday'");
    REQUIRE(day != nullptr);
    CHECK(day->line == 1);
    CHECK(day->column == 16);

    const auto* unreal = find(problems, "'2026-02-30' is not a real date");
    REQUIRE(unreal != nullptr);
    CHECK(unreal->line == 4);
    CHECK(unreal->column == 5);

    const auto* reversed = find(problems, "range end 2026-02-10 precedes its start 2026-02-15");
    REQUIRE(reversed != nullptr);
    CHECK(reversed->line == 5);

    const auto* long_range = find(problems, "range 2026-01-01..2027-01-05 is 370 days long");
    REQUIRE(long_range != nullptr);
    CHECK(long_range->line == 6);

    const auto* slashes = find(problems, "'2026/05/01' is not a date");
    REQUIRE(slashes != nullptr);
    CHECK(slashes->line == 7);

    const auto* bad_end = find(problems, "range '2026-05-01..2026-05-0x'");
    REQUIRE(bad_end != nullptr);
    CHECK(bad_end->line == 8);

    const auto* mapping = find(problems, "each item of 'holidays' must be a date");
    REQUIRE(mapping != nullptr);
    CHECK(mapping->line == 9);

    const auto* unknown = find(problems, "unknown key 'colour'");
    REQUIRE(unknown != nullptr);
    CHECK(unknown->line == 10);
    CHECK(unknown->column == 1);
}

TEST_CASE("calendar: workdays must be weekend days and not holidays") {
    rbl::test::TempDir dir;
    const auto file = dir.write("calendar.yaml",
                                "weekend: [sat, sun]\n"           // 1
                                "holidays:\n"                     // 2
                                "  - 2026-02-15..2026-02-23\n"    // 3
                                "workdays:\n"                     // 4
                                "  - 2026-02-14\n"                // 5 fine
                                "  - 2026-02-22\n"                // 6 Sun, but a holiday
                                "  - 2026-02-16\n"                // 7 Mon and a holiday
                                "  - 2026-02-24\n"                // 8 Tue
                                "  - 2026-03-07..2026-03-10\n");  // 9 Sat..Tue
    const auto problems = problems_of(file);
    CHECK(problems.size() == 5);

    const auto* clash = find(problems, "2026-02-22 is both a holiday (line 3) and a workday");
    REQUIRE(clash != nullptr);
    CHECK(clash->line == 6);
    CHECK(clash->column == 5);

    const auto* monday_clash = find(problems, "2026-02-16 is both a holiday (line 3)");
    REQUIRE(monday_clash != nullptr);
    CHECK(monday_clash->line == 7);
    const auto* monday = find(problems,
                              "2026-02-16 is a workday but not a weekend day: list only weekend "
                              "days that are worked (调休)");
    REQUIRE(monday != nullptr);
    CHECK(monday->line == 7);

    const auto* tuesday = find(problems, "2026-02-24 is a workday but not a weekend day");
    REQUIRE(tuesday != nullptr);
    CHECK(tuesday->line == 8);

    // One report for the range, naming its first weekday.
    const auto* range = find(problems, "2026-03-09 is a workday but not a weekend day");
    REQUIRE(range != nullptr);
    CHECK(range->line == 9);
}

TEST_CASE("calendar: structural problems") {
    rbl::test::TempDir dir;
    SUBCASE("lists that are not lists") {
        const auto problems =
            problems_of(dir.write("c.yaml", "weekend: sat\nholidays: 2026-01-01\n"));
        REQUIRE(problems.size() == 2);
        CHECK(problems[0].line == 1);
        CHECK(problems[0].message.find("'weekend' must be a list") != std::string::npos);
        CHECK(problems[1].line == 2);
        CHECK(problems[1].message.find("'holidays' must be a list") != std::string::npos);
    }
    SUBCASE("a weekend of every day, or a day twice") {
        auto problems =
            problems_of(dir.write("c.yaml", "weekend: [mon, tue, wed, thu, fri, sat, sun]\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].message.find("every day of the week") != std::string::npos);
        CHECK(problems[0].line == 1);
        problems = problems_of(dir.write("d.yaml", "weekend: [sat, sun, sat]\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].message.find("'sat' is listed twice") != std::string::npos);
        CHECK(problems[0].column == 21);
    }
    SUBCASE("duplicate keys") {
        const auto problems =
            problems_of(dir.write("c.yaml", "holidays: [2026-01-01]\nholidays: [2026-01-02]\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].line == 2);
        CHECK(problems[0].message.find("duplicate key 'holidays'") != std::string::npos);
    }
    SUBCASE("not a mapping") {
        const auto problems = problems_of(dir.write("c.yaml", "- 2026-01-01\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].message.find("must be a mapping") != std::string::npos);
    }
    SUBCASE("tab indentation") {
        const auto problems = problems_of(dir.write("c.yaml", "holidays:\n\t- 2026-01-01\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].line == 2);
        CHECK(problems[0].message.find("tab") != std::string::npos);
    }
    SUBCASE("malformed YAML") {
        const auto problems =
            problems_of(dir.write("c.yaml", "weekend: [sat, sun]\nholidays: [2026-01-01\n"));
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].line > 0);
        CHECK(problems[0].message.find("malformed YAML") != std::string::npos);
    }
    SUBCASE("a missing file") {
        const auto problems = problems_of(dir.path() / "none.yaml");
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].message.find("cannot read") != std::string::npos);
    }
}
