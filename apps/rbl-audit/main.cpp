// rbl-audit: show and verify the tamper-evident audit log and the state it vouches for, and
// print its head (SPEC.md §7). Only wires options to rbl::audit. It only reads: it never takes
// the write lock.

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "lookups.hpp"
#include "print.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace {

constexpr std::string_view k_tool = rbl::app::k_audit_tool;

struct Options {
    rbl::app::CommonOptions common;
    std::optional<std::int64_t> since;
    std::optional<std::string> object;
    std::optional<std::string> action;
    std::optional<std::string> operator_name;
    std::optional<std::string> head;  ///< verify --head SEQ:HASH
};

// The database opened read-only (a reader never waits for or blocks a writer) and its log.
struct Reader {
    explicit Reader(const Options& options)
        : session(options.common, k_tool, rbl::app::Access::read),
          snapshot(session.db, rbl::store::Transaction::Mode::deferred) {}
    rbl::app::Session session;
    rbl::store::Transaction snapshot;  ///< every read of one run sees one state of the database
};

rbl::ExitCode run_log(const Options& options) {
    Reader reader(options);
    std::int64_t shown = 0;
    reader.session.audit.for_each(
        {options.since, options.object, options.action, options.operator_name},
        [&](const rbl::audit::AuditRow& row) {
            rbl::app::print_log_row(options.common, row, ++shown == 1);
        });
    std::fflush(stdout);  // the rows before their summary line, also through a pipe
    if (!options.common.quiet) {
        fmt::print(stderr, "{}\n", rbl::trf("{}: {} rows", k_tool, shown));
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_head(const Options& options) {
    Reader reader(options);
    const auto head = reader.session.audit.head();
    if (options.common.json) {
        fmt::print("{}\n", rbl::audit::to_json(head).dump());
    } else if (head) {
        fmt::print("{}\n", head->text());
    }
    if (!head) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: error: the audit log is empty: there is no head yet", k_tool));
        return rbl::ExitCode::failed;
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_verify(const Options& options) {
    rbl::audit::VerifyOptions verify_options;
    if (options.head) {
        verify_options.head = rbl::audit::parse_head(*options.head);
        if (!verify_options.head) {
            throw rbl::UsageError(rbl::trf(
                "--head '{}' is not SEQ:HASH (a row number, a colon and 64 hex characters, as "
                "rbl-audit head prints it)",
                *options.head));
        }
    }
    Reader reader(options);
    const rbl::audit::VerifyResult result = reader.session.audit.verify(verify_options);
    rbl::app::print_verify_result(options.common, result, verify_options);
    return result.ok() ? rbl::ExitCode::ok : rbl::ExitCode::failed;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Show and verify the tamper-evident audit log."), std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {{"rbl-audit verify --head SEQ:HASH", rbl::tr_later("(the head kept outside)")},
              "rbl-audit head >> /srv/keep/heads.txt",
              "rbl-audit log --object entry:7",
              "rbl-audit lookups --since 2026-11-01 --department 江苏省财政厅"});
    auto* log = app.add_subcommand(
        "log", rbl::tr("show the log's rows (tab-separated; --json: JSON Lines)"));
    log->add_option("--since", options.since, rbl::tr("only rows after this sequence number"));
    log->add_option("--object", options.object,
                    rbl::tr("only rows about this object, e.g. entry:7"));
    log->add_option(
        "--action", options.action,
        rbl::tr("only this action, or a family: 'entry' for entry.created, entry.advanced ..."));
    log->add_option("--operator", options.operator_name, rbl::tr("only rows by this operator"));
    auto* verify = app.add_subcommand(
        "verify",
        rbl::tr("check the hash chain and that every entry and record is what the log says it "
                "became: exit 0 when so, 1 naming the first row or object that is not"));
    verify->add_option("--head", options.head,
                       rbl::tr("a head kept outside (SEQ:HASH, from rbl-audit head or a "
                               "manifest): also prove that no row up to it was removed or "
                               "changed"));
    auto* head = app.add_subcommand(
        "head", rbl::tr("print the chain's head, SEQ:HASH (keep it outside the database)"));
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
