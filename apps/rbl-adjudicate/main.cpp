// rbl-adjudicate: evaluate every list against the records as of a date; create, advance and end
// list entries (SPEC.md §4). Only wires options to rbl::engine.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

#include "common/tool.hpp"
#include "rbl/engine/adjudicator.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/util/text_table.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-adjudicate";

struct Options {
    rbl::app::CommonOptions common;
    std::string as_of;
    std::vector<std::string> domains;
    bool dry_run = false;
    bool force = false;
    std::string explain;
    int notify_days = 30;
    bool full = false;
    int jobs = 0;  ///< 0: the number of processor cores
};

// --jobs, or the number of processor cores when not given.
int jobs_of(const Options& options) {
    if (options.jobs > 0) {
        return options.jobs;
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void print_summary(const Options& options, const rbl::engine::AdjudicateOptions& run,
                   const rbl::engine::AdjudicationSummary& summary) {
    if (options.common.json) {
        fmt::print("{}\n", rbl::engine::to_json(summary, run).dump());
    }
    if (options.common.quiet) {
        return;
    }
    rbl::util::TextTable lists(
        {"list", "created", "advanced", "expired", "withdrawn", "revoked", "lifted"});
    for (std::size_t column = 1; column <= 6; ++column) {
        lists.align_right(column);
    }
    for (const auto& [list_id, c] : summary.lists) {
        lists.add_row({list_id, std::to_string(c.created), std::to_string(c.advanced),
                       std::to_string(c.expired), std::to_string(c.withdrawn),
                       std::to_string(c.revoked), std::to_string(c.lifted)});
    }
    fmt::print(stderr, "{}", lists.render());
    constexpr std::size_t k_expiring_shown = 20;
    if (!summary.expiring.empty()) {
        fmt::print(stderr, "{} effective entries expire within {} days:\n",
                   summary.expiring.size(), options.notify_days);
        rbl::util::TextTable expiring({"entry", "list", "subject", "no longer in force from"});
        for (std::size_t i = 0; i < summary.expiring.size() && i < k_expiring_shown; ++i) {
            const auto& entry = summary.expiring[i];
            expiring.add_row({std::to_string(entry.entry_id), entry.list_id, entry.subject_id,
                              entry.expires_on});
        }
        fmt::print(stderr, "{}", expiring.render());
        if (summary.expiring.size() > k_expiring_shown) {
            fmt::print(stderr, "... and {} more (--json lists them all)\n",
                       summary.expiring.size() - k_expiring_shown);
        }
    }
    const auto& t = summary.total;
    const std::string evaluated =
        summary.full ? fmt::format("all {} subjects evaluated ({})", summary.subjects,
                                   summary.full_reason)
                     : fmt::format("{} of {} subjects evaluated (incremental)", summary.subjects,
                                   summary.subjects_total);
    fmt::print(stderr,
               "{}: as of {}, {}: {} created, {} advanced, {} expired, {} withdrawn, {} "
               "revoked, {} lifted; {}\n",
               k_tool, summary.as_of, evaluated, t.created, t.advanced, t.expired, t.withdrawn,
               t.revoked, t.lifted,
               summary.run_id ? fmt::format("run {}", *summary.run_id)
                              : std::string("dry run: nothing written"));
}

rbl::ExitCode run(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    const auto folder = rbl::rules::RuleFolder::load(options.common.rules);
    const auto& rules = folder.rules;
    const auto& calendar = folder.calendar;
    rbl::app::Session session(options.common, k_tool, rbl::app::Access::write,
                              /*map_for_reading=*/true);
    if (!options.explain.empty()) {
        for (const std::string& line :
             rbl::engine::explain_subject(session.db, rules, options.explain, as_of)) {
            fmt::print("{}\n", line);
        }
        return rbl::ExitCode::ok;
    }
    // A dry run prints each change: the impact preview, who would be added or removed per list.
    rbl::util::TextTable changes({"list", "change", "subject", "name", "status"});
    const auto preview = [&changes](const rbl::engine::EntryChange& change) {
        changes.add_row({change.list_id, std::string(rbl::model::to_string(change.change)),
                         change.subject_id, change.subject_name, std::string(change.status)});
    };
    const rbl::engine::AdjudicateOptions run{as_of,
                                             options.domains,
                                             options.dry_run,
                                             options.force,
                                             options.common.operator_name,
                                             options.notify_days,
                                             options.full,
                                             jobs_of(options)};
    const auto summary = rbl::engine::adjudicate(
        session.db, session.audit, rules, calendar, run, session.reporter,
        options.dry_run ? rbl::engine::ChangeSink(preview) : rbl::engine::ChangeSink());
    if (options.dry_run && changes.rows() > 0) {
        // The preview is the output, unless --json makes the JSON object the output (SPEC §1).
        fmt::print(options.common.json ? stderr : stdout, "{}", changes.render());
    }
    print_summary(options, run, summary);
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Evaluate every list against the records as of a date; create, advance and end "
                 "list entries.",
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.add_option("--as-of", options.as_of, "the date to judge as of (default: today, CST)");
    app.add_option("--domain", options.domains, "only this domain's lists (repeatable)");
    app.add_flag("--dry-run", options.dry_run,
                 "print what would change, write nothing (with another --rules: the impact of a "
                 "rule revision)");
    app.add_flag("--force", options.force, "allow an --as-of date before the last run's");
    app.add_flag("--full", options.full,
                 "evaluate every subject, not only those that changed since the last run (the "
                 "result is the same; for checks and after restoring a backup)");
    app.add_option("--jobs", options.jobs,
                   "evaluate subjects on this many threads (default: the number of processor "
                   "cores)")
        ->check(CLI::Range(1, 256));
    app.add_option("--explain", options.explain,
                   "print why SUBJECT_ID is or is not on every list, and its entries' history");
    app.add_option("--notify-days", options.notify_days,
                   "list effective entries that expire within this many days (default 30)")
        ->check(CLI::Range(0, 3660));
    app.set_version_flag("--version", std::string(RBL_VERSION));
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] { return run(options); });
}
