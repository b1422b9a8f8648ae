// libFuzzer target: the date and duration parsers (lib/rbl/util/date) over arbitrary text.
// Checks round trips (a parsed date written as ISO parses back to itself) and that calendar
// arithmetic with a parsed duration stays within the years a date can have.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "rbl/util/date.hpp"

namespace {

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

void check_date(rbl::util::Date date) {
    const auto again = rbl::util::parse_iso_date(date.iso());
    if (!again || *again != date) {
        fuzz_fail("a parsed date does not read back from its ISO text");
    }
    if (!rbl::util::is_valid_ymd(date.year(), date.month(), date.day())) {
        fuzz_fail("a parsed date is not a valid y-m-d");
    }
    if (date.weekday() < 0 || date.weekday() > 6) {
        fuzz_fail("weekday out of range");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto date = rbl::util::parse_date(text)) {
        check_date(*date);
    }
    if (const auto date = rbl::util::parse_iso_date(text)) {
        check_date(*date);
        if (date->iso() != text) {
            fuzz_fail("parse_iso_date accepted text that is not the date's ISO form");
        }
    }
    if (const auto duration = rbl::util::parse_duration(text)) {
        if (duration->count < 0 || duration->count > 9999) {
            fuzz_fail("duration count out of range");
        }
        const auto again = rbl::util::parse_duration(duration->text());
        if (!again || *again != *duration) {
            fuzz_fail("a parsed duration does not read back from its text");
        }
        // The dates the tools move by durations: record dates, as-of dates, up to 9999-12-31.
        for (const auto base : {rbl::util::Date::from_ymd(2026, 11, 28),
                                rbl::util::Date::from_ymd(1, 1, 1),
                                rbl::util::Date::from_ymd(9999, 12, 31)}) {
            (void)duration->before(base).iso();
            (void)duration->after(base).iso();
        }
    }
    return 0;
}
