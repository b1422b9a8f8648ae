// rbl-adjudicate: evaluate every list against the records as of a date; create, advance and end
// list entries (SPEC.md §4). Only wires options to rbl::engine.

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "common/tool.hpp"
#include "print.hpp"
#include "rbl/engine/adjudicator.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/util/i18n.hpp"

namespace {

constexpr std::string_view k_tool = rbl::app::k_adjudicate_tool;

struct Options {
    rbl::app::CommonOptions common;
    std::string as_of;
    std::vector<std::string> domains;
    bool dry_run = false;
    bool force = false;
    std::string explain;
    std::string explain_list;  ///< --list: explain only this list
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

rbl::ExitCode run(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    const auto folder = rbl::rules::RuleFolder::load(options.common.rules);
    const auto& rules = folder.rules;
    const auto& calendar = folder.calendar;
    rbl::app::Session session(options.common, k_tool, rbl::app::Access::write,
                              /*map_for_reading=*/true);
    if (!options.explain.empty()) {
        rbl::app::print_explanation(
            options.common,
            rbl::engine::explain_subject(
                session.db, rules, options.explain, as_of,
                options.explain_list.empty() ? std::nullopt
                                             : std::optional<std::string>(options.explain_list)));
        return rbl::ExitCode::ok;
    }
    // A dry run shows each change: the impact preview, who would be added or removed per list.
    rbl::app::ChangePreview preview;
    const auto on_change = [&preview](const rbl::engine::EntryChange& change) {
        preview.add(change);
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
        options.dry_run ? rbl::engine::ChangeSink(on_change) : rbl::engine::ChangeSink());
    if (options.dry_run) {
        rbl::app::print_preview(options.common, preview);
    }
    rbl::app::print_run_summary(options.common, run, summary,
                                options.dry_run ? &preview : nullptr);
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Evaluate every list against the records as of a date; create, advance "
                         "and end list entries."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.add_option("--as-of", options.as_of,
                   rbl::tr("the date to judge as of (default: today, CST)"));
    app.add_option("--domain", options.domains, rbl::tr("only this domain's lists (repeatable)"));
    app.add_flag("--dry-run", options.dry_run,
                 rbl::tr("print what would change, write nothing (with another --rules: the impact "
                         "of a rule revision)"));
    app.add_flag("--force", options.force, rbl::tr("allow an --as-of date before the last run's"));
    app.add_flag("--full", options.full,
                 rbl::tr("evaluate every subject, not only those that changed since the last run "
                         "(the result is the same; for checks and after restoring a backup)"));
    app.add_option("--jobs", options.jobs,
                   rbl::tr("evaluate subjects on this many threads (default: the number of "
                           "processor cores)"))
        ->check(CLI::Range(1, 256));
    auto* explain = app.add_option(
        "--explain", options.explain,
        rbl::tr("print why SUBJECT_ID is or is not on every list: each criterion's figure against "
                "its threshold and the margin, the records each considered, the nearest miss first "
                "for a subject on no list, and its entries' history"));
    app.add_option("--list", options.explain_list,
                   rbl::tr("with --explain: only this list (its id)"))
        ->needs(explain);
    app.add_option("--notify-days", options.notify_days,
                   rbl::tr("list effective entries that expire within this many days (default 30)"))
        ->check(CLI::Range(0, 3660));
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {{"rbl-adjudicate", rbl::tr_later("(as of today)")},
              {"rbl-adjudicate --dry-run --rules rules-next",
               rbl::tr_later("(the impact of a rule revision)")},
              "rbl-adjudicate --explain SUBJECT_ID",
              "rbl-adjudicate --explain SUBJECT_ID --list labour.black.wage_arrears",
              "rbl-adjudicate --as-of 2026/11/28 --force",
              {"rbl-adjudicate -q --json >> adjudicate.log", rbl::tr_later("(cron)")}});
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] { return run(options); });
}
