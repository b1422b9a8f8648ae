// rbl-publish: export list entries as CSV or JSON Lines, per channel with deltas, per department,
// with manifests; and the summary report (SPEC.md §6). Only wires options to rbl::publish.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "common/tool.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/publish/report.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/publication_store.hpp"
#include "subject_report.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-publish";

struct Options {
    rbl::app::CommonOptions common;
    std::string format = "csv";
    std::optional<std::string> kind;
    std::vector<std::string> domains;
    std::string status = "effective";
    std::optional<std::string> subject;
    std::optional<std::string> as_of;
    std::string out = "-";
    std::string lang = "en";
    bool bom = false;
    bool unmask = false;
    std::optional<std::string> channel;
    bool delta = false;
    bool manifest = false;
    std::string mode = "0600";
    std::optional<std::string> department;
    std::optional<std::string> by_department;
    std::string report_out;
};

unsigned parse_mode(const std::string& text) {
    std::size_t used = 0;
    unsigned long mode = 0;
    try {
        mode = std::stoul(text, &used, 8);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || mode > 0777) {
        throw rbl::UsageError(fmt::format("--mode '{}': expected octal permission bits such as "
                                          "0600 or 0640",
                                          text));
    }
    return static_cast<unsigned>(mode);
}


rbl::ExitCode run_export(const Options& options) {
    rbl::publish::ExportOptions export_options;
    export_options.format =
        options.format == "jsonl" ? rbl::publish::Format::jsonl : rbl::publish::Format::csv;
    export_options.kind = options.kind;
    export_options.domains = options.domains;
    export_options.status = options.status;
    export_options.subject_id = options.subject;
    export_options.as_of = options.as_of;
    export_options.out = options.out;
    export_options.lang = options.lang == "zh" ? rbl::publish::Language::zh
                                               : rbl::publish::Language::en;
    export_options.bom = options.bom;
    export_options.unmask = options.unmask;
    export_options.channel = options.channel;
    export_options.delta = options.delta;
    export_options.manifest = options.manifest;
    export_options.mode = parse_mode(options.mode);
    export_options.department = options.department;
    export_options.by_department_dir = options.by_department;
    export_options.operator_name = options.common.operator_name;
    export_options.rules_dir = options.common.rules;
    auto db = rbl::app::open_database(options.common, rbl::app::Access::write);
    auto audit = rbl::app::open_audit_log(db, options.common, k_tool);
    rbl::app::TerminalReporter reporter(std::string(k_tool), options.common.quiet);
    const auto summary = rbl::publish::export_entries(db, audit, export_options, reporter);
    std::FILE* info = options.out == "-" && !options.by_department ? stderr : stdout;
    if (options.common.json) {
        fmt::print(info, "{}\n",
                   nlohmann::json{{"rows", summary.rows},
                                  {"out", summary.out},
                                  {"sha256", summary.sha256},
                                  {"as_of", summary.as_of},
                                  {"files", summary.files},
                                  {"publication_id", summary.publication_id
                                                         ? nlohmann::json(*summary.publication_id)
                                                         : nlohmann::json(nullptr)},
                                  {"audit_head", summary.audit_head
                                                     ? nlohmann::json(*summary.audit_head)
                                                     : nlohmann::json(nullptr)}}
                       .dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} rows as of {} to {}{}{}\n", k_tool, summary.rows,
                   summary.as_of, summary.out == "-" ? "stdout" : summary.out,
                   summary.files.empty() ? std::string()
                                         : fmt::format(" ({} files)", summary.files.size()),
                   summary.publication_id
                       ? fmt::format("; publication {} on channel {}", *summary.publication_id,
                                     *options.channel)
                       : std::string());
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_report(const Options& options) {
    const std::filesystem::path out(options.report_out);
    std::error_code ec;
    const auto folder = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(folder, ec)) {
        throw rbl::UsageError(fmt::format("--out: folder {} does not exist", folder.string()));
    }
    auto db = rbl::app::open_database(options.common, rbl::app::Access::write);
    rbl::util::Date as_of;
    {
        rbl::store::PublicationStore store(db);
        rbl::util::Date last_run;
        as_of = rbl::publish::publication_as_of(store, options.as_of, last_run);
    }
    const std::string html = rbl::publish::report_html(db, as_of);
    rbl::publish::write_private_file(out, html, parse_mode(options.mode));
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"out", options.report_out},
                                          {"as_of", as_of.iso()},
                                          {"bytes", html.size()}}
                               .dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: report as of {} written to {}\n", k_tool, as_of.iso(),
                   options.report_out);
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Export list entries (CSV for analysts, JSON Lines for systems), per channel "
                 "with deltas or per department; `report` writes the summary report.",
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.set_version_flag("--version", std::string(RBL_VERSION));
    app.add_option("--format", options.format, "csv (default) or jsonl")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    app.add_option("--kind", options.kind, "black or red");
    app.add_option("--domain", options.domains, "only this domain (repeatable)");
    app.add_option("--status", options.status,
                   "notice, publicity, effective (default), expired, lifted, repaired, revoked, "
                   "withdrawn, or all");
    app.add_option("--subject", options.subject, "only this subject's entries");
    app.add_option("--as-of", options.as_of,
                   "the entries as they stood on this day (default: the last run's as-of)");
    app.add_option("--out", options.out, "the file to write, or - for stdout (default)");
    app.add_option("--lang", options.lang, "en (default) or zh: headers and list titles")
        ->check(CLI::IsMember({"en", "zh"}));
    app.add_flag("--bom", options.bom, "begin the CSV with a UTF-8 byte-order mark");
    app.add_flag("--unmask", options.unmask,
                 "show natural persons' ID numbers whole (written to the audit log)");
    app.add_option("--channel", options.channel,
                   "record this publication on a channel (e.g. website, notices)");
    app.add_flag("--delta", options.delta,
                 "only entries added, removed or updated since the channel's last publication");
    app.add_flag("--manifest", options.manifest, "also write FILE.sha256 for sha256sum -c");
    app.add_option("--mode", options.mode, "permission bits of the files written (default 0600)");
    app.add_option("--department", options.department,
                   "only entries whose measures name this department, with the measures");
    app.add_option("--by-department", options.by_department,
                   "one file per department in this folder");
    app.fallthrough();  // before the subcommand, which inherits it: report --out F.html -q
    auto* report = app.add_subcommand("report", "write the summary report (one HTML page)");
    report->add_option("--out", options.report_out, "the HTML file to write")->required();
    report->add_option("--as-of", options.as_of, "the day (default: the last run's as-of)");
    const rbl::app::SubjectReportCommands subject_reports(app, options.common);
    app.require_subcommand(0, 1);
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (subject_reports.parsed()) {
            return subject_reports.run();
        }
        return report->parsed() ? run_report(options) : run_export(options);
    });
}
