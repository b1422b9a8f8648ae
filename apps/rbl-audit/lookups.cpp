#include "lookups.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "rbl/store/database.hpp"
#include "rbl/store/lookup_store.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

namespace {

nlohmann::json lookup_json(const store::Lookup& lookup) {
    return {{"lookup_id", lookup.lookup_id},
            {"at", lookup.at},
            {"operator", lookup.operator_name},
            {"login", lookup.login},
            {"department", lookup.department ? nlohmann::json(*lookup.department)
                                             : nlohmann::json(nullptr)},
            {"subject_id", lookup.subject_id},
            {"result", lookup.outcome},
            {"as_of", lookup.as_of},
            {"entries", nlohmann::json::parse(lookup.entries_json, nullptr, false)}};
}

// Streamed with fixed widths that fit the usual values, padded by display width so that
// Chinese names line up (the log may be long: no table is held in memory); cut to a
// terminal's width.
void print_row(const std::array<std::string, 8>& cells) {
    constexpr std::array<std::size_t, 7> k_widths = {8, 25, 12, 16, 18, 7, 10};
    std::string line;
    for (std::size_t i = 0; i < k_widths.size(); ++i) {
        line += util::pad_to_width(cells[i], k_widths[i]);
        line += "  ";
    }
    print_streamed_line(line + cells.back());
}

}  // namespace

CLI::App* add_lookups_command(CLI::App& app, LookupsOptions& options) {
    auto* lookups = app.add_subcommand(
        "lookups", tr("show the lookup log of rbl-check: who looked at which subject, and when"));
    lookups->add_option("--since", options.since, tr("only lookups made on or after this day"));
    lookups->add_option("--department", options.department, tr("only lookups for this department"));
    return lookups;
}

ExitCode run_lookups(const CommonOptions& common, const LookupsOptions& options) {
    store::LookupFilter filter;
    if (options.since) {
        filter.since = util::utc_start_of_china_day(date_option("--since", *options.since));
    }
    filter.department = options.department;
    auto db = open_database(common, Access::read);
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    nlohmann::json rows = nlohmann::json::array();
    std::size_t shown = 0;
    store::LookupStore(db).for_each(filter, [&](const store::Lookup& lookup) {
        if (common.json) {
            rows.push_back(lookup_json(lookup));
        } else {
            if (shown == 0) {
                print_row({tr("lookup"), tr("at"), tr("operator"), tr("department"),
                           tr("subject_id"), tr("result"), tr("as_of"), tr("entries")});
            }
            print_row({std::to_string(lookup.lookup_id), util::china_time(lookup.at),
                       lookup.operator_name, lookup.department.value_or("-"), lookup.subject_id,
                       tr(lookup.outcome.c_str()), lookup.as_of, lookup.entries_json});
        }
        ++shown;
    });
    if (common.json) {
        fmt::print("{}\n", nlohmann::json{{"count", shown}, {"lookups", std::move(rows)}}.dump());
    }
    std::fflush(stdout);  // the rows before their summary line, also through a pipe
    if (!common.quiet) {
        fmt::print(stderr, "{}\n", trf("rbl-audit: {} lookups", shown));
    }
    return ExitCode::ok;
}

}  // namespace rbl::app
