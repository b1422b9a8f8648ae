// rbl-publish: export list entries as CSV, JSON Lines or xlsx, per channel with deltas, per
// department, with manifests; and the summary report (SPEC.md §6). Only wires options to
// rbl::publish.

#include <fmt/format.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "common/departments.hpp"
#include "common/tool.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/publish/report.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "records.hpp"
#include "subject_report.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-publish";

struct Options {
    rbl::app::CommonOptions common;
    std::string format;  ///< "" when not given: csv, or xlsx for --by-department
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
    bool write_empty = false;
    bool manifest = false;
    std::string mode = "0600";
    std::optional<std::string> department;
    std::optional<std::string> by_department;
    std::string report_out;
};

// --by-department DIR: the folder is made (mode 0700) when it does not exist yet. Its parent
// must exist; a folder that cannot be made is left to the export's own check (exit 2).
void make_department_folder(const Options& options) {
    if (options.by_department && !options.channel && !options.department) {
        ::mkdir(options.by_department->c_str(), 0700);
    }
}

// --format, or when not given xlsx for department files (read by people in a spreadsheet) and
// csv for everything else.
rbl::publish::Format format_of(const Options& options) {
    if (options.format == "jsonl") {
        return rbl::publish::Format::jsonl;
    }
    if (options.format == "xlsx" || (options.format.empty() && options.by_department)) {
        return rbl::publish::Format::xlsx;
    }
    return rbl::publish::Format::csv;
}

// With --json, standard output carries exactly one JSON object (SPEC.md §1); an export to
// standard output would share it, so the two are refused together, before anything is read.
void check_stdout(const Options& options) {
    if (options.common.json && options.out == "-" && !options.by_department) {
        throw rbl::UsageError(
            rbl::tr("--json with --out - (the default): standard output would carry both the "
                    "export and the JSON summary; write the export to a file with --out FILE, or "
                    "leave out --json"));
    }
}

// --as-of in any form of record dates, refused after today (SPEC §1); any day up to today.
std::optional<std::string> as_of_of(const Options& options) {
    if (!options.as_of) {
        return std::nullopt;
    }
    return rbl::app::date_option("--as-of", *options.as_of).iso();
}

// The options of an export of list entries; a records publication shares the output ones.
rbl::publish::ExportOptions export_options_of(const Options& options) {
    rbl::publish::ExportOptions export_options;
    export_options.format = format_of(options);
    export_options.kind = options.kind;
    export_options.domains = options.domains;
    export_options.status = options.status;
    export_options.subject_id = options.subject;
    export_options.as_of = as_of_of(options);
    export_options.out = options.out;
    export_options.lang = options.lang == "zh" ? rbl::publish::Language::zh
                                               : rbl::publish::Language::en;
    export_options.bom = options.bom;
    export_options.unmask = options.unmask;
    export_options.channel = options.channel;
    export_options.delta = options.delta;
    export_options.write_empty = options.write_empty;
    export_options.manifest = options.manifest;
    export_options.mode = rbl::publish::parse_mode(options.mode);
    export_options.department = options.department;
    export_options.by_department_dir = options.by_department;
    export_options.operator_name = options.common.operator_name;
    export_options.rules_dir = options.common.rules;
    return export_options;
}

rbl::ExitCode run_export(const Options& options) {
    if (options.department) {
        rbl::app::check_department(rbl::rules::RuleSet::load(options.common.rules),
                                   *options.department);
    }
    make_department_folder(options);
    const rbl::publish::ExportOptions export_options = export_options_of(options);
    rbl::app::Session session(options.common, k_tool, rbl::app::Access::write);
    const auto summary =
        rbl::publish::export_entries(session.db, session.audit, export_options, session.reporter);
    if (options.common.json) {
        fmt::print("{}\n", rbl::publish::to_json(summary).dump());
    }
    if (!options.common.quiet && !summary.written) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: empty delta on channel {}: nothing changed since its last "
                            "publication; no file written (--write-empty writes it)",
                            k_tool, *options.channel));
    } else if (!options.common.quiet) {
        const std::string out = summary.out == "-" ? std::string(rbl::tr("stdout")) : summary.out;
        // Department files are never a channel's publication (rbl::publish refuses the two
        // together): one whole sentence for each of the three.
        if (!summary.files.empty()) {
            fmt::print(stderr, "{}\n",
                       rbl::trf("{0}: {1} rows as of {2} to {3} ({4} files)", k_tool,
                                summary.rows, summary.as_of, out, summary.files.size()));
        } else if (summary.publication_id) {
            fmt::print(stderr, "{}\n",
                       rbl::trf("{0}: {1} rows as of {2} to {3}; publication {4} on channel {5}",
                                k_tool, summary.rows, summary.as_of, out,
                                *summary.publication_id, *options.channel));
        } else {
            fmt::print(stderr, "{}\n",
                       rbl::trf("{0}: {1} rows as of {2} to {3}", k_tool, summary.rows,
                                summary.as_of, out));
        }
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_report(const Options& options) {
    rbl::publish::check_output_folder(options.report_out, "--out");  // before the database
    rbl::publish::ReportOptions report{options.report_out, as_of_of(options),
                                       rbl::publish::parse_mode(options.mode), {}};
    // The records' figures follow the periods the rule files declare: the rules are read,
    // strictly, before the database is opened.
    const rbl::rules::RuleSet rule_set = rbl::rules::RuleSet::load(options.common.rules);
    for (const auto& [name, domain] : rule_set.domains()) {
        if (domain.publicity) {
            report.publicity.emplace(domain.domain, *domain.publicity);
        }
    }
    auto db = rbl::app::open_database(options.common, rbl::app::Access::write);
    const rbl::publish::ReportSummary summary = rbl::publish::write_report(db, report);
    if (options.common.json) {
        fmt::print("{}\n", rbl::publish::to_json(summary).dump());
    }
    if (!options.common.quiet) {
        if (const auto warning = rbl::publish::after_last_run_warning(db, summary.as_of)) {
            fmt::print(stderr, "{}\n", rbl::trf("{}: warning: {}", k_tool, *warning));
        }
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: report as of {} written to {}", k_tool, summary.as_of.iso(),
                            summary.out));
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Export list entries (CSV for analysts, JSON Lines for systems, xlsx "
                         "for spreadsheets), per channel with deltas or per department; `records` "
                         "publishes the records (双公示); `report` writes the summary report."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {"rbl-publish --out lists.csv --bom --lang zh",
              "rbl-publish --format jsonl --channel website --delta --out delta.jsonl --manifest",
              "rbl-publish --department 江苏省财政厅 --out finance.csv",
              {"rbl-publish --by-department out/departments",
               rbl::tr_later("(one .xlsx per department)")},
              "rbl-publish --format xlsx --lang zh --out lists.xlsx",
              {"rbl-publish -q --json --channel website --delta --out delta-$(date +%F).csv",
               rbl::tr_later("(cron)")},
              "rbl-publish report --out report.html"});
    app.add_option("--format", options.format,
                   rbl::tr("csv (the default), jsonl, or xlsx (the default of --by-department): a "
                           "spreadsheet with identifiers as text, dates as dates, a frozen header "
                           "row"))
        ->check(CLI::IsMember({"csv", "jsonl", "xlsx"}));
    app.add_option("--kind", options.kind, rbl::tr("black or red"));
    app.add_option("--domain", options.domains, rbl::tr("only this domain (repeatable)"));
    app.add_option("--status", options.status,
                   rbl::tr("notice, publicity, effective (default), expired, lifted, repaired, "
                           "revoked, withdrawn, or all"));
    app.add_option("--subject", options.subject, rbl::tr("only this subject's entries"));
    app.add_option("--as-of", options.as_of,
                   rbl::tr("the entries as they stood on this day (default: the last run's "
                           "as-of)"));
    app.add_option("--out", options.out,
                   rbl::tr("the file to write, or - for stdout (default; not with --json, whose "
                           "object stdout carries)"));
    app.add_option("--lang", options.lang, rbl::tr("en (default) or zh: headers and list titles"))
        ->check(CLI::IsMember({"en", "zh"}));
    app.add_flag("--bom", options.bom, rbl::tr("begin the CSV with a UTF-8 byte-order mark"));
    app.add_flag("--unmask", options.unmask,
                 rbl::tr("show natural persons' ID numbers whole (written to the audit log)"));
    app.add_option("--channel", options.channel,
                   rbl::tr("record this publication on a channel (e.g. website, notices)"));
    app.add_flag("--delta", options.delta,
                 rbl::tr("only entries added, removed or updated since the channel's last "
                         "publication"));
    app.add_flag("--write-empty", options.write_empty,
                 rbl::tr("write a delta's file even when nothing changed (by default an empty "
                         "delta writes no file; --json says \"written\": false)"));
    app.add_flag("--manifest", options.manifest,
                 rbl::tr("also write FILE.sha256 for sha256sum -c"));
    app.add_option("--mode", options.mode,
                   rbl::tr("permission bits of the files written (default 0600)"));
    app.add_option("--department", options.department,
                   rbl::tr("only entries whose measures name this department (one the rules' "
                           "measures name), with the measures"));
    app.add_option("--by-department", options.by_department,
                   rbl::tr("one file per department in this folder (made, mode 0700, when "
                           "missing); xlsx unless --format says otherwise"));
    app.fallthrough();  // before the subcommand, which inherits it: report --out F.html -q
    auto* report =
        app.add_subcommand("report", rbl::tr("write the summary report (one HTML page)"));
    report->add_option("--out", options.report_out, rbl::tr("the HTML file to write"))->required();
    report->add_option("--as-of", options.as_of,
                       rbl::tr("the day (default: the last run's as-of)"));
    const rbl::app::SubjectReportCommands subject_reports(app, options.common);
    const rbl::app::RecordCommand records(app);
    app.require_subcommand(0, 1);
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (subject_reports.parsed()) {
            return subject_reports.run();
        }
        if (!report->parsed()) {
            check_stdout(options);
        }
        if (records.parsed()) {
            return records.run(options.common, export_options_of(options), options.as_of);
        }
        return report->parsed() ? run_report(options) : run_export(options);
    });
}
