#include <doctest/doctest.h>

#include <vector>

#include "../market_rules.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/next_change.hpp"

using namespace rbl;
using engine::leaves_window;
using util::Date;
using util::Duration;

namespace {

Date ymd(int y, int m, int d) { return Date::from_ymd(y, m, d); }

// The first day on which `date` is no longer within `window`, by trying every day.
Date first_day_outside(Date date, Duration window) {
    Date day = date;
    while (window.before(day) <= date) {
        day = day.plus_days(1);
    }
    return day;
}

engine::SubjectRecord record_on(Date date) {
    engine::SubjectRecord record;
    record.date = date;
    return record;
}

}  // namespace

TEST_CASE("next change: a record leaves a window on the first day the window starts after it") {
    const Duration year{1, Duration::Unit::years};
    CHECK(leaves_window(ymd(2025, 3, 1), year) == ymd(2026, 3, 2));
    // A leap day is inside until 2025-02-28 (its window starts 2024-02-28), out on 03-01.
    CHECK(leaves_window(ymd(2024, 2, 29), year) == ymd(2025, 3, 1));
    const Duration month{1, Duration::Unit::months};
    CHECK(leaves_window(ymd(2026, 1, 31), month) == ymd(2026, 3, 1));
    CHECK(leaves_window(ymd(2026, 1, 1), Duration{30, Duration::Unit::days}) == ymd(2026, 2, 1));
}

TEST_CASE("next change: leaves_window agrees with trying every day, month ends and leap years") {
    const std::vector<Duration> windows = {
        {1, Duration::Unit::days},  {30, Duration::Unit::days},  {1, Duration::Unit::months},
        {6, Duration::Unit::months}, {1, Duration::Unit::years}, {3, Duration::Unit::years}};
    for (const Duration& window : windows) {
        for (Date date = ymd(2023, 12, 1); date <= ymd(2024, 12, 31); date = date.plus_days(1)) {
            CAPTURE(window.text());
            CAPTURE(date.iso());
            REQUIRE(leaves_window(date, window) == first_day_outside(date, window));
        }
    }
}

TEST_CASE("next change: the earliest of window edges, facts to come and entry dates") {
    const Date as_of = ymd(2026, 6, 1);
    const std::vector<Duration> windows = {{1, Duration::Unit::years}, {3, Duration::Unit::years}};
    const std::vector<engine::SubjectRecord> records = {record_on(ymd(2025, 8, 10)),
                                                        record_on(ymd(2024, 1, 5))};
    CHECK(engine::next_change_day(records, std::nullopt, {}, windows, as_of) ==
          ymd(2026, 8, 11));
    CHECK(engine::next_change_day(records, ymd(2026, 7, 1), {}, windows, as_of) ==
          ymd(2026, 7, 1));
    model::Entry entry;
    entry.status = model::EntryStatus::notice;
    entry.notice_until = ymd(2026, 6, 5);
    entry.effective_from = ymd(2026, 6, 6);
    entry.expires_on = ymd(2027, 6, 6);
    const std::vector<model::Entry> entries = {entry};
    CHECK(engine::next_change_day(records, std::nullopt, entries, windows, as_of) ==
          ymd(2026, 6, 6));
    // An ended entry moves no more; days on or before as-of are past.
    std::vector<model::Entry> ended = entries;
    ended[0].status = model::EntryStatus::expired;
    CHECK(engine::next_change_day({}, std::nullopt, ended, windows, as_of) == std::nullopt);
    CHECK(engine::next_change_day({}, as_of, {}, windows, as_of) == std::nullopt);
}

TEST_CASE("next change: windows_of collects each window of the lists' criteria once") {
    test::TempDir dir;
    const auto windows = engine::windows_of(test::market_rules(dir));
    CHECK(windows == std::vector<Duration>{{3, Duration::Unit::years}, {1, Duration::Unit::years}});
}
