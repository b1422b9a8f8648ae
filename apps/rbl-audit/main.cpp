// rbl-audit: show and verify the tamper-evident audit log (SPEC.md §7). Only wires options to
// rbl::audit. It only reads: it never takes the write lock.

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/text_table.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-audit";

struct Options {
    rbl::app::CommonOptions common;
    std::optional<std::int64_t> since;
    std::optional<std::string> object;
    std::optional<std::string> action;
    std::optional<std::string> operator_name;
};

rbl::store::Database open_reader(const Options& options) {
    return rbl::store::Database({.path = options.common.db,
                                 .create = false,
                                 .read_only = true,
                                 .wait_seconds = options.common.wait_seconds});
}

rbl::audit::AuditLog open_log(rbl::store::Database& db, const Options& options) {
    return rbl::audit::AuditLog(
        db, {options.common.operator_name, rbl::audit::login_name(), std::string(k_tool)});
}

rbl::ExitCode run_log(const Options& options) {
    auto db = open_reader(options);
    auto log = open_log(db, options);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
    std::int64_t shown = 0;
    log.for_each({options.since, options.object, options.action, options.operator_name},
                 [&](const rbl::audit::AuditRow& row) {
                     ++shown;
                     if (options.common.json) {
                         // One JSON object per line, details as an object.
                         fmt::print("{}\n",
                                    nlohmann::json{{"seq", row.seq},
                                                   {"at", row.at},
                                                   {"operator", row.operator_name},
                                                   {"login", row.login},
                                                   {"tool", row.tool},
                                                   {"action", row.action},
                                                   {"object", row.object},
                                                   {"details", nlohmann::json::parse(
                                                                   row.details, nullptr, false)},
                                                   {"hash", row.hash}}
                                        .dump());
                     } else {
                         if (shown == 1) {
                             fmt::print("{:>6}  {}  {}  {}  {}  {}  {}\n", "seq",
                                        rbl::util::pad_to_width("at (UTC)", 20),
                                        rbl::util::pad_to_width("operator", 12),
                                        rbl::util::pad_to_width("tool", 14),
                                        rbl::util::pad_to_width("action", 18),
                                        rbl::util::pad_to_width("object", 24), "details");
                         }
                         // Streamed: fixed widths that fit the usual values, padded by
                         // display width so that Chinese operator names line up.
                         fmt::print("{:>6}  {}  {}  {}  {}  {}  {}\n", row.seq,
                                    rbl::util::pad_to_width(row.at, 20),
                                    rbl::util::pad_to_width(row.operator_name, 12),
                                    rbl::util::pad_to_width(row.tool, 14),
                                    rbl::util::pad_to_width(row.action, 18),
                                    rbl::util::pad_to_width(row.object, 24), row.details);
                     }
                 });
    std::fflush(stdout);  // the rows before their summary line, also through a pipe
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} rows\n", k_tool, shown);
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_verify(const Options& options) {
    auto db = open_reader(options);
    auto log = open_log(db, options);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
    const rbl::audit::VerifyResult result = log.verify();
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"rows", result.rows},
                                          {"ok", !result.first_bad.has_value()},
                                          {"first_bad", result.first_bad
                                                            ? nlohmann::json(*result.first_bad)
                                                            : nlohmann::json(nullptr)},
                                          {"problem", result.problem}}
                               .dump());
    }
    if (result.first_bad) {
        fmt::print(stderr, "{}: error: the audit chain is broken at row {}: {} ({} rows)\n",
                   k_tool, *result.first_bad, result.problem, result.rows);
        return rbl::ExitCode::failed;
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: the audit chain is whole: {} rows\n", k_tool, result.rows);
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Show and verify the tamper-evident audit log.", std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string(RBL_VERSION));
    auto* log = app.add_subcommand("log", "show the log's rows (tab-separated; --json: JSON Lines)");
    log->add_option("--since", options.since, "only rows after this sequence number");
    log->add_option("--object", options.object, "only rows about this object, e.g. entry:7");
    log->add_option("--action", options.action,
                    "only this action, or a family: 'entry' for entry.created, entry.advanced ...");
    log->add_option("--operator", options.operator_name, "only rows by this operator");
    auto* verify = app.add_subcommand(
        "verify", "check the hash chain: exit 0 when whole, 1 naming the first bad row");
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (verify->parsed()) {
            return run_verify(options);
        }
        return run_log(options);
    });
}
