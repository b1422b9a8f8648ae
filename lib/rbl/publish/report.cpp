#include "rbl/publish/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "rbl/publish/exporter.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/store/report_store.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::publish {

namespace {

// Colours of the series (group keys), in a fixed order.
std::string colour_of(std::string_view group) {
    static const std::map<std::string, std::string, std::less<>> k_colours = {
        {"black", "#37474f"},   {"red", "#c62828"},      {"notice", "#f9a825"},
        {"publicity", "#fb8c00"}, {"effective", "#1565c0"}, {"decided", "#1565c0"},
        {"ended", "#9e9e9e"}};
    const auto found = k_colours.find(group);
    return found != k_colours.end() ? found->second : "#6a1b9a";
}

// A horizontal stacked bar chart: one bar per label, one segment per group.
std::string bar_chart(const std::string& title, const std::vector<store::LabelCount>& counts) {
    std::vector<std::string> labels;
    std::vector<std::string> groups;
    std::map<std::pair<std::string, std::string>, std::int64_t> values;
    std::map<std::string, std::int64_t> totals;
    for (const auto& count : counts) {
        if (std::find(labels.begin(), labels.end(), count.label) == labels.end()) {
            labels.push_back(count.label);
        }
        if (std::find(groups.begin(), groups.end(), count.group) == groups.end()) {
            groups.push_back(count.group);
        }
        values[{count.label, count.group}] += count.count;
        totals[count.label] += count.count;
    }
    std::int64_t max_total = 1;
    for (const auto& [label, total] : totals) {
        max_total = std::max(max_total, total);
    }
    constexpr int k_label_width = 300;
    constexpr int k_bar_width = 420;
    constexpr int k_row = 22;
    const int height = static_cast<int>(labels.size()) * k_row + 34;
    std::string svg = fmt::format(
        "<section><h2>{}</h2>\n<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" "
        "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">\n",
        util::escape_html(title), util::escape_html(title), k_label_width + k_bar_width + 80, height);
    int y = 4;
    for (const std::string& label : labels) {
        svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                           k_label_width - 6, y + 14, util::escape_html(label));
        double x = k_label_width;
        for (const std::string& group : groups) {
            const auto value = values[{label, group}];
            if (value == 0) {
                continue;
            }
            const double width = static_cast<double>(value) * k_bar_width /
                                 static_cast<double>(max_total);
            svg += fmt::format(
                "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\">"
                "<title>{} {}: {}</title></rect>\n",
                x, y, std::max(width, 1.0), colour_of(group), util::escape_html(label), util::escape_html(group), value);
            x += width;
        }
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>\n", x + 4, y + 14,
                           totals[label]);
        y += k_row;
    }
    int legend_x = k_label_width;
    for (const std::string& group : groups) {
        svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                           "<text x=\"{}\" y=\"{}\">{}</text>\n",
                           legend_x, y + 6, colour_of(group), legend_x + 14, y + 15,
                           util::escape_html(group.empty() ? "count" : group));
        legend_x += 110;
    }
    svg += "</svg>\n";
    if (labels.empty()) {
        svg += fmt::format("<p>{}</p>\n", tr("None."));
    }
    return svg + "</section>\n";
}

std::vector<store::LabelCount> by_month(const std::vector<store::LabelCount>& decided,
                                        const std::vector<store::LabelCount>& ended) {
    std::vector<store::LabelCount> counts;
    // One bar each for the month's additions and removals (side by side, not stacked).
    for (const auto& count : decided) {
        counts.push_back({count.label + " added", count.group, count.count});
    }
    for (const auto& count : ended) {
        counts.push_back({count.label + " removed", count.group, count.count});
    }
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto& a, const auto& b) { return a.label < b.label; });
    return counts;
}

// The as-of day of the last run, or `fallback` when none has run.
util::Date last_run_or(store::Database& db, util::Date fallback) {
    if (const auto last = store::PublicationStore(db).last_run_as_of()) {
        if (const auto parsed = util::parse_iso_date(*last)) {
            return *parsed;
        }
    }
    return fallback;
}

std::string joint_measures_table(const std::vector<store::DepartmentFeedback>& feedback) {
    std::string html = fmt::format(
        "<section><h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        tr("Joint measures: entries distributed and measures reported, per list and department "
           "(联合奖惩反馈)"),
        tr("list"), tr("department"), tr("entries distributed"), tr("measures reported"));
    for (const auto& row : feedback) {
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            util::escape_html(row.list_id), util::escape_html(row.department),
                            row.distributed, row.reported);
    }
    return html + "</table>\n</section>\n";
}

// The loop of check, measure and report back (触发、实施、反馈), per department.
std::string lookups_table(const std::vector<store::DepartmentLookups>& lookups) {
    std::string html = fmt::format(
        "<section><h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
        "<th>{}</th></tr>\n",
        tr("Checks and feedback, per department (核查与反馈)"), tr("department"), tr("checks made"),
        tr("subjects found with entries"), tr("feedback reported"), tr("naming a check"));
    for (const auto& row : lookups) {
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            util::escape_html(row.department), row.checks,
                            row.subjects_with_entries, row.feedback_rows, row.naming_lookup);
    }
    if (lookups.empty()) {
        html += fmt::format("<tr><td colspan=\"5\">{}</td></tr>\n", tr("None."));
    }
    return html + "</table>\n</section>\n";
}

}  // namespace

namespace {

// The page, read inside the caller's snapshot.
std::string report_page(store::Database& db, util::Date as_of, const RecordFigures& records) {
    store::ReportStore store(db);
    const auto [open_objections, overdue] = store.objections_open_overdue(as_of);
    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>信用红黑名单报告 Credit red and black lists — {0}</title>\n"
        "<style>body{{font-family:sans-serif;margin:2em;color:#212121}}"
        "h1{{font-size:1.5em}}h2{{font-size:1.1em;margin-top:1.5em}}"
        "table{{border-collapse:collapse}}td,th{{border:1px solid #bdbdbd;padding:3px 8px;"
        "text-align:right}}th:first-child,td:first-child{{text-align:left}}"
        ".alert{{color:#c62828;font-weight:bold}}</style>\n</head>\n<body>\n"
        "<h1>信用红黑名单报告 · Credit red and black lists, as of {0}</h1>\n",
        as_of.iso());
    html += trf("<p>Open objections (异议): <b>{}</b>; overdue: <b{}>{}</b>.</p>\n",
                open_objections, overdue > 0 ? " class=\"alert\"" : "", overdue);
    const store::OpenEntryCounts open = store.open_entries(as_of, last_run_or(db, as_of));
    html += bar_chart(tr("Entries in force or pending, per list and status (名单条目)"),
                      open.by_list);
    html += bar_chart(tr("Per domain (领域)"), open.by_domain);
    html += bar_chart(tr("Per region, by city code (地区)"), open.by_region);
    html += bar_chart(tr("Entries added (decided) and removed (ended) per month, by kind (新增与移出)"),
                      by_month(store.decided_by_month(as_of), store.ended_by_month(as_of)));
    html += joint_measures_table(store.feedback_by_list_department());
    html += lookups_table(store.lookups_by_department(as_of));
    html += record_figures_html(records);
    html += fmt::format("<footer><p>{}</p></footer>\n</body>\n</html>\n",
                        tr("Made by rbl-publish report; no external resources."));
    return html;
}

}  // namespace

std::string report_html(store::Database& db, util::Date as_of, const RecordFigures& records) {
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    return report_page(db, as_of, records);
}

std::string report_html(store::Database& db, util::Date as_of,
                        const model::PublicityByDomain& publicity) {
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    return report_page(db, as_of, record_figures(db, publicity, as_of));
}

ReportSummary write_report(store::Database& db, const ReportOptions& options) {
    util::Date as_of;
    {
        store::PublicationStore store(db);
        util::Date last_run;
        as_of = publication_as_of(store, options.as_of, last_run);
    }
    RecordFigures records;
    std::string html;
    {
        store::Transaction snapshot(db, store::Transaction::Mode::deferred);  // one for both
        records = record_figures(db, options.publicity, as_of);
        html = report_page(db, as_of, records);
    }
    write_private_file(options.out, html, options.mode);
    return {options.out, as_of, html.size(), std::move(records)};
}

nlohmann::json to_json(const ReportSummary& summary) {
    return {{"out", summary.out},
            {"as_of", summary.as_of.iso()},
            {"bytes", summary.bytes},
            {"records", to_json(summary.records)}};
}

}  // namespace rbl::publish
