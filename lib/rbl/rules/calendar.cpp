#include "rbl/rules/calendar.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "rbl/rules/yaml_support.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"
#include "rbl/util/text.hpp"

namespace rbl::rules {

namespace {

constexpr std::array<std::string_view, 7> k_day_names = {"mon", "tue", "wed", "thu",
                                                         "fri", "sat", "sun"};
// A holiday range longer than a year is surely a typo in a year (2026-10-01..2027-10-07).
constexpr int k_max_range_days = 366;

// One item of `holidays` or `workdays`: a single day is a range whose ends are equal.
struct DaySpan {
    util::Date first;
    util::Date last;
    [[nodiscard]] int length() const { return last.serial() - first.serial() + 1; }
};

struct ListedSpan {
    DaySpan span;
    YAML::Node node;
};

Result<util::Date> parse_day(std::string_view text) {
    return util::parse_iso_date(util::trim(text));
}

// "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (both ends included).
Result<DaySpan> parse_span(std::string_view text) {
    const std::size_t dots = text.find("..");
    if (dots == std::string_view::npos) {
        auto day = parse_day(text);
        if (!day) {
            return fail(day.error());
        }
        return DaySpan{*day, *day};
    }
    auto first = parse_day(text.substr(0, dots));
    auto last = parse_day(text.substr(dots + 2));
    if (!first || !last) {
        return fail(trf("range '{}': {}", text, !first ? first.error() : last.error()));
    }
    if (*last < *first) {
        return fail(trf("range end {} precedes its start {}", last->iso(), first->iso()));
    }
    return DaySpan{*first, *last};
}

// Reads `weekend`; returns nullopt when it has a problem (reported), so that checks depending on
// it are skipped rather than reported against a guess.
std::optional<std::array<bool, 7>> read_weekend(const YamlFile& file, const YAML::Node& root) {
    std::array<bool, 7> weekend{};
    const YAML::Node node = root["weekend"];
    if (!node.IsDefined()) {
        weekend[static_cast<int>(Weekday::sat)] = true;
        weekend[static_cast<int>(Weekday::sun)] = true;
        return weekend;
    }
    if (!node.IsSequence()) {
        file.error(node,
                   tr("'weekend' must be a list of day names, e.g. [sat, sun] ([] for none)"));
        return std::nullopt;
    }
    bool ok = true;
    for (const auto& item : node) {
        const std::string name = item.IsScalar() ? item.Scalar() : std::string();
        const auto it = std::find(k_day_names.begin(), k_day_names.end(), name);
        if (it == k_day_names.end()) {
            file.error(item, trf("unknown day '{}' in weekend (expected mon, tue, wed, "
                                 "thu, fri, sat or sun)",
                                 item.IsScalar() ? name : std::string(tr("(not a word)"))));
            ok = false;
            continue;
        }
        bool& listed = weekend[static_cast<std::size_t>(it - k_day_names.begin())];
        if (listed) {
            file.error(item, trf("day '{}' is listed twice in weekend", name));
        }
        listed = true;
    }
    if (ok && std::all_of(weekend.begin(), weekend.end(), [](bool day_off) { return day_off; })) {
        file.error(node, tr("every day of the week is a weekend day: no period could ever end"));
        ok = false;
    }
    return ok ? std::optional(weekend) : std::nullopt;
}

// Reads `holidays` or `workdays`: a list of dates and ranges; bad items are reported and skipped.
std::vector<ListedSpan> read_spans(const YamlFile& file, const YAML::Node& root,
                                   const std::string& key) {
    std::vector<ListedSpan> spans;
    const YAML::Node node = root[key];
    if (!node.IsDefined() || node.IsNull()) {
        return spans;
    }
    if (!node.IsSequence()) {
        file.error(node, trf("'{}' must be a list of dates (YYYY-MM-DD) and ranges "
                             "(YYYY-MM-DD..YYYY-MM-DD)",
                             key));
        return spans;
    }
    for (const auto& item : node) {
        if (!item.IsScalar()) {
            file.error(item, trf("each item of '{}' must be a date (YYYY-MM-DD) or a "
                                 "range (YYYY-MM-DD..YYYY-MM-DD)",
                                 key));
            continue;
        }
        auto span = parse_span(item.Scalar());
        if (!span) {
            file.error(item, span.error());
            continue;
        }
        if (span->length() > k_max_range_days) {
            file.error(item,
                       trf("range {}..{} is {} days long; a range may cover at most "
                           "{} days (list each year's days apart)",
                           span->first.iso(), span->last.iso(), span->length(), k_max_range_days));
            continue;
        }
        spans.push_back(ListedSpan{*span, item});
    }
    return spans;
}

int line_of(const YAML::Node& node) { return node.Mark().line < 0 ? 0 : node.Mark().line + 1; }

}  // namespace

Calendar Calendar::load(const std::filesystem::path& path) {
    Diagnostics diagnostics;
    const std::string what = trf("invalid calendar {}", path.string());
    YamlFile file(path, diagnostics);
    if (!file.ok() || !file.expect_map(file.root(), tr("a calendar file"))) {
        diagnostics.throw_if_any(what);
    }
    const YAML::Node& root = file.root();
    file.check_keys(root, {"weekend", "holidays", "workdays"});

    const auto weekend = read_weekend(file, root);
    const auto holidays = read_spans(file, root, "holidays");
    const auto workdays = read_spans(file, root, "workdays");

    Calendar calendar;
    if (weekend) {
        calendar.m_weekend = *weekend;
    }
    std::unordered_map<std::int32_t, int> holiday_lines;  // day serial -> line that lists it
    for (const ListedSpan& listed : holidays) {
        for (auto day = listed.span.first.serial(); day <= listed.span.last.serial(); ++day) {
            calendar.m_holidays.insert(day);
            holiday_lines.emplace(day, line_of(listed.node));
        }
    }
    for (const ListedSpan& listed : workdays) {
        // One report per item and problem: a range would otherwise repeat it for every day.
        bool clash_reported = false;
        bool weekday_reported = false;
        for (auto serial = listed.span.first.serial(); serial <= listed.span.last.serial();
             ++serial) {
            const auto day = util::Date::from_serial(serial);
            calendar.m_workdays.insert(serial);
            if (auto it = holiday_lines.find(serial);
                it != holiday_lines.end() && !clash_reported) {
                file.error(listed.node, trf("{} is both a holiday (line {}) and a workday",
                                            day.iso(), it->second));
                clash_reported = true;
            }
            if (weekend && !(*weekend)[static_cast<std::size_t>(day.weekday())] &&
                !weekday_reported) {
                file.error(listed.node,
                           trf("{} is a workday but not a weekend day: list only weekend "
                               "days that are worked (调休)",
                               day.iso()));
                weekday_reported = true;
            }
        }
    }
    diagnostics.throw_if_any(what);
    calendar.set_coverage();
    return calendar;
}

Calendar Calendar::from_lists(const std::vector<Weekday>& weekend,
                              const std::vector<util::Date>& holidays,
                              const std::vector<util::Date>& workdays) {
    Calendar calendar;
    for (Weekday day : weekend) {
        calendar.m_weekend[static_cast<std::size_t>(day)] = true;
    }
    if (std::all_of(calendar.m_weekend.begin(), calendar.m_weekend.end(),
                    [](bool day_off) { return day_off; })) {
        // period_end would never finish.
        throw FailedError(tr("a calendar needs at least one day of the week that is not weekend"));
    }
    for (util::Date day : holidays) {
        calendar.m_holidays.insert(day.serial());
    }
    for (util::Date day : workdays) {
        calendar.m_workdays.insert(day.serial());
    }
    calendar.set_coverage();
    return calendar;
}

void Calendar::set_coverage() {
    std::optional<std::int32_t> first;
    std::optional<std::int32_t> last;
    for (const auto* days : {&m_holidays, &m_workdays}) {
        for (std::int32_t serial : *days) {
            first = first ? std::min(*first, serial) : serial;
            last = last ? std::max(*last, serial) : serial;
        }
    }
    if (!first) {
        m_first_year = 0;
        m_last_year = 0;
        m_covered_from = 0;
        m_covered_to = -1;
        return;
    }
    m_first_year = util::Date::from_serial(*first).year();
    m_last_year = util::Date::from_serial(*last).year();
    m_covered_from = util::Date::from_ymd(m_first_year, 1, 1).serial();
    m_covered_to = util::Date::from_ymd(m_last_year, 12, 31).serial();
}

bool Calendar::is_working_day(util::Date day) const {
    if (m_holidays.contains(day.serial())) {
        return false;
    }
    return !m_weekend[static_cast<std::size_t>(day.weekday())] || m_workdays.contains(day.serial());
}

bool Calendar::covers(util::Date day) const {
    return day.serial() >= m_covered_from && day.serial() <= m_covered_to;
}

PeriodEnd Calendar::period_end(util::Date anchor, int working_days) const {
    if (working_days < 0) {
        throw FailedError(trf("a period of {} working days is negative", working_days));
    }
    PeriodEnd period{anchor, false};
    // Day by day: periods are a few weeks at most, and the weekend guarantees progress.
    for (int counted = 0; counted < working_days;) {
        period.end = period.end.plus_days(1);
        period.beyond_coverage = period.beyond_coverage || !covers(period.end);
        if (is_working_day(period.end)) {
            ++counted;
        }
    }
    return period;
}

std::string Calendar::coverage_warning(const PeriodEnd& period) const {
    if (m_first_year == 0) {
        return tr("the calendar lists no holidays or workdays; working days count weekends only");
    }
    const std::string years = m_first_year == m_last_year
                                  ? fmt::format("{}", m_first_year)
                                  : fmt::format("{}–{}", m_first_year, m_last_year);
    if (period.end.serial() > m_covered_to) {
        return trf("the calendar covers {}; working days after {}-12-31 count weekends only", years,
                   m_last_year);
    }
    return trf("the calendar covers {}; working days before {}-01-01 count weekends only", years,
               m_first_year);
}

std::string Calendar::fingerprint() const {
    const auto sorted = [](const std::unordered_set<std::int32_t>& days) {
        std::vector<std::int32_t> list(days.begin(), days.end());
        std::sort(list.begin(), list.end());
        return fmt::format("{}", fmt::join(list, ","));
    };
    return util::sha256_hex(fmt::format("weekend:{};holidays:{};workdays:{}",
                                        fmt::join(m_weekend, ","), sorted(m_holidays),
                                        sorted(m_workdays)));
}

}  // namespace rbl::rules
