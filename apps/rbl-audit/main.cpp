// rbl-audit: show and verify the tamper-evident audit log and the state it vouches for, and
// print its head (SPEC.md §7). Only wires options to rbl::audit. It only reads: it never takes
// the write lock.

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "lookups.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/text_table.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-audit";

struct Options {
    rbl::app::CommonOptions common;
    std::optional<std::int64_t> since;
    std::optional<std::string> object;
    std::optional<std::string> action;
    std::optional<std::string> operator_name;
    std::optional<std::string> head;  ///< verify --head SEQ:HASH
};

rbl::store::Database open_reader(const Options& options) {
    return rbl::app::open_database(options.common, rbl::app::Access::read);
}

rbl::audit::AuditLog open_log(rbl::store::Database& db, const Options& options) {
    return rbl::app::open_audit_log(db, options.common, k_tool);
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

nlohmann::json head_json(const std::optional<rbl::audit::Head>& head) {
    if (!head) {
        return nullptr;
    }
    return {{"seq", head->seq}, {"hash", head->hash}, {"head", head->text()}};
}

rbl::ExitCode run_head(const Options& options) {
    auto db = open_reader(options);
    auto log = open_log(db, options);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
    const auto head = log.head();
    if (options.common.json) {
        fmt::print("{}\n", head_json(head).dump());
    } else if (head) {
        fmt::print("{}\n", head->text());
    }
    if (!head) {
        fmt::print(stderr, "{}: error: the audit log is empty: there is no head yet\n", k_tool);
        return rbl::ExitCode::failed;
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_verify(const Options& options) {
    rbl::audit::VerifyOptions verify_options;
    if (options.head) {
        verify_options.head = rbl::audit::parse_head(*options.head);
        if (!verify_options.head) {
            throw rbl::UsageError(fmt::format(
                "--head '{}' is not SEQ:HASH (a row number, a colon and 64 hex characters, as "
                "rbl-audit head prints it)",
                *options.head));
        }
    }
    auto db = open_reader(options);
    auto log = open_log(db, options);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
    const rbl::audit::VerifyResult result = log.verify(verify_options);
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"rows", result.rows},
                                          {"ok", result.ok()},
                                          {"first_bad", result.first_bad
                                                            ? nlohmann::json(*result.first_bad)
                                                            : nlohmann::json(nullptr)},
                                          {"problem", result.problem},
                                          {"object", result.object.empty()
                                                         ? nlohmann::json(nullptr)
                                                         : nlohmann::json(result.object)},
                                          {"problems", result.problems},
                                          {"entries_checked", result.entries_checked},
                                          {"records_checked", result.records_checked},
                                          {"unchecked", result.unchecked},
                                          {"head", head_json(result.head)},
                                          {"head_checked", verify_options.head.has_value()}}
                               .dump());
    }
    if (!result.ok()) {
        constexpr std::size_t k_shown = 10;
        for (std::size_t i = 0; i < result.problems.size() && i < k_shown; ++i) {
            fmt::print(stderr, "{}: error: {}\n", k_tool, result.problems[i]);
        }
        if (result.problems.size() > k_shown) {
            fmt::print(stderr, "{}: ... and {} more problems\n", k_tool,
                       result.problems.size() - k_shown);
        }
        fmt::print(stderr, "{}: the audit log does not vouch for this database ({} rows)\n",
                   k_tool, result.rows);
        return rbl::ExitCode::failed;
    }
    if (!options.common.quiet) {
        fmt::print(stderr,
                   "{}: the audit chain is whole: {} rows{}; {} entries and {} records are what "
                   "it says they became{}\n",
                   k_tool, result.rows,
                   verify_options.head
                       ? fmt::format(", and holds the head {}", verify_options.head->text())
                       : std::string(),
                   result.entries_checked, result.records_checked,
                   result.unchecked > 0
                       ? fmt::format(" ({} could not be checked: their rows predate state "
                                     "hashes)",
                                     result.unchecked)
                       : std::string());
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
        "verify",
        "check the hash chain and that every entry and record is what the log says it became: "
        "exit 0 when so, 1 naming the first row or object that is not");
    verify->add_option("--head", options.head,
                       "a head kept outside (SEQ:HASH, from rbl-audit head or a manifest): also "
                       "prove that no row up to it was removed or changed");
    auto* head = app.add_subcommand(
        "head", "print the chain's head, SEQ:HASH (keep it outside the database)");
    rbl::app::LookupsOptions lookups_options;
    auto* lookups = rbl::app::add_lookups_command(app, lookups_options);
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (verify->parsed()) {
            return run_verify(options);
        }
        if (head->parsed()) {
            return run_head(options);
        }
        if (lookups->parsed()) {
            return rbl::app::run_lookups(options.common, lookups_options);
        }
        return run_log(options);
    });
}
