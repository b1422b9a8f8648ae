#include "rbl/engine/next_change.hpp"

#include <algorithm>

namespace rbl::engine {

namespace {

void add_windows(const rules::Criterion& criterion, std::vector<util::Duration>& windows) {
    if (criterion.selection.within &&
        std::find(windows.begin(), windows.end(), *criterion.selection.within) == windows.end()) {
        windows.push_back(*criterion.selection.within);
    }
    for (const rules::Criterion& child : criterion.children) {
        add_windows(child, windows);
    }
}

// Keeps the earliest candidate after `as_of`.
void consider(std::optional<util::Date>& earliest, util::Date candidate, util::Date as_of) {
    if (candidate > as_of && (!earliest || candidate < *earliest)) {
        earliest = candidate;
    }
}

}  // namespace

std::vector<util::Duration> windows_of(const rules::RuleSet& rules) {
    std::vector<util::Duration> windows;
    for (const rules::ListRule* list : rules.lists()) {
        add_windows(list->criteria, windows);
        if (list->lift) {
            add_windows(*list->lift, windows);
        }
    }
    return windows;
}

util::Date leaves_window(util::Date date, util::Duration window) {
    // W.before is monotone in its day, so the first day past `date` is found by stepping from
    // date + W, which calendar arithmetic puts within a few days of it.
    util::Date day = window.after(date);
    while (window.before(day) <= date) {
        day = day.plus_days(1);
    }
    while (window.before(day.plus_days(-1)) > date) {
        day = day.plus_days(-1);
    }
    return day;
}

std::optional<util::Date> next_change_day(std::span<const SubjectRecord> records,
                                          std::optional<util::Date> next_fact_day,
                                          std::span<const model::Entry> entries,
                                          std::span<const util::Duration> windows,
                                          util::Date as_of) {
    std::optional<util::Date> earliest;
    if (next_fact_day) {
        consider(earliest, *next_fact_day, as_of);
    }
    for (const SubjectRecord& record : records) {
        for (const util::Duration& window : windows) {
            consider(earliest, leaves_window(record.date, window), as_of);
        }
    }
    for (const model::Entry& entry : entries) {
        if (!model::is_open(entry.status)) {
            continue;
        }
        if (entry.notice_until) {
            consider(earliest, entry.notice_until->plus_days(1), as_of);
        }
        if (entry.publicity_until) {
            consider(earliest, entry.publicity_until->plus_days(1), as_of);
        }
        consider(earliest, entry.effective_from, as_of);
        consider(earliest, entry.expires_on, as_of);
    }
    return earliest;
}

}  // namespace rbl::engine
