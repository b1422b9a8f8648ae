#include "rbl/engine/next_change.hpp"

#include <algorithm>

#include "rbl/ids/ids.hpp"

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

bool reads(const std::optional<rules::CompiledExpression>& expression, int slot) {
    if (!expression) {
        return false;
    }
    const auto& used = expression->fields_used();
    return std::find(used.begin(), used.end(), slot) != used.end();
}

void add_reads(const rules::Criterion& criterion, DayReads& out) {
    out.as_of = out.as_of || reads(criterion.selection.where, rules::k_field_as_of) ||
                reads(criterion.subject_expression, rules::k_field_subject_as_of);
    out.age = out.age || reads(criterion.subject_expression, rules::k_field_subject_age);
    for (const rules::Criterion& child : criterion.children) {
        add_reads(child, out);
    }
}

}  // namespace

DayReads day_reads_of(const rules::RuleSet& rules) {
    DayReads out;
    for (const rules::ListRule* list : rules.lists()) {
        add_reads(list->criteria, out);
        if (list->lift) {
            add_reads(*list->lift, out);
        }
        out.as_of = out.as_of || reads(list->term.open_when, rules::k_field_as_of);
    }
    return out;
}

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
                                          util::Date as_of, DayReads day_reads,
                                          std::optional<util::Date> birth_date) {
    std::optional<util::Date> earliest;
    if (day_reads.as_of) {
        consider(earliest, as_of.plus_days(1), as_of);
    }
    if (day_reads.age && birth_date) {
        consider(earliest, ids::next_age_change(*birth_date, as_of), as_of);
    }
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
        if (entry.expires_on) {
            consider(earliest, *entry.expires_on, as_of);
        }
    }
    return earliest;
}

}  // namespace rbl::engine
