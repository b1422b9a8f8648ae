#include "subject_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

#include "rbl/publish/export_options.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/publish/report_register.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::app {

namespace {

constexpr std::string_view k_tool = "rbl-publish";
// The office a report names when neither --office nor $RBL_OFFICE does.
constexpr std::string_view k_default_office = "公共信用信息中心";

std::string default_office() {
    const char* office = std::getenv("RBL_OFFICE");
    return office != nullptr && *office != '\0' ? office : std::string(k_default_office);
}

}  // namespace

SubjectReportCommands::SubjectReportCommands(CLI::App& app, const CommonOptions& common)
    : m_common(common), m_office(default_office()) {
    m_issue = app.add_subcommand(
        "subject-report", tr("write one subject's credit report (信用报告), HTML or PDF, "
                             "registered and audited"));
    m_issue->add_option("SUBJECT_ID", m_subject_id, tr("the subject's USCC or resident ID"))
        ->required();
    m_issue->add_option("--from", m_from,
                        tr("first day of the period (default: --to 3 years back)"));
    m_issue->add_option("--to", m_to, tr("last day of the period (default: the as-of day)"));
    m_issue->add_option("--as-of", m_as_of,
                        tr("the day the report shows (default: the last run's)"));
    m_issue->add_option("--domain", m_domains, tr("cover only this domain (repeatable)"));
    m_issue->add_option("--out", m_out, tr("FILE.html or FILE.pdf"))->required();
    m_issue->add_option("--office", m_office,
                        trf("the issuing office printed in the report (default: $RBL_OFFICE, "
                            "else {})",
                            k_default_office));
    m_issue->add_option("--mode", m_mode, tr("permission bits of the file (default 0600)"));
    m_verify = app.add_subcommand(
        "verify-report",
        tr("check that a report file was issued by this office and is unchanged"));
    m_verify->add_option("FILE", m_file, tr("the report (HTML or PDF)"))->required();
}

bool SubjectReportCommands::parsed() const { return m_issue->parsed() || m_verify->parsed(); }

ExitCode SubjectReportCommands::run() const { return m_issue->parsed() ? issue() : verify(); }

ExitCode SubjectReportCommands::issue() const {
    publish::IssueOptions options;
    options.scope.subject_id = m_subject_id;
    if (m_as_of) {  // any form of record dates, up to today
        options.scope.as_of = date_option("--as-of", *m_as_of).iso();
    }
    if (m_from) {
        options.scope.from = date_option("--from", *m_from);
    }
    if (m_to) {
        options.scope.to = date_option("--to", *m_to);
    }
    options.scope.domains = m_domains;
    options.scope.rules_dir = m_common.rules;
    options.out = m_out;
    options.office = m_office;
    options.operator_name = m_common.operator_name;
    options.mode = publish::parse_mode(m_mode);
    auto db = open_database(m_common, Access::write);
    auto audit = open_audit_log(db, m_common, k_tool);
    const publish::IssueSummary summary = publish::issue_subject_report(db, audit, options);
    if (m_common.json) {
        fmt::print("{}\n", nlohmann::json{{"number", summary.number},
                                          {"out", summary.out},
                                          {"format", summary.format},
                                          {"sha256", summary.sha256},
                                          {"content_sha256", summary.content_sha256},
                                          {"as_of", summary.as_of},
                                          {"from", summary.from},
                                          {"to", summary.to},
                                          {"bytes", summary.bytes}}
                               .dump());
    }
    if (!m_common.quiet) {
        if (const auto warning = publish::after_last_run_warning(
                db, util::parse_iso_date(summary.as_of).value_or(util::Date()))) {
            fmt::print(stderr, "{}\n", trf("{}: warning: {}", k_tool, *warning));
        }
        fmt::print(stderr, "{}\n",
                   trf("{}: report {} ({}, {} to {}, as of {}) written to {}", k_tool,
                       summary.number, summary.format, summary.from, summary.to, summary.as_of,
                       summary.out));
    }
    return ExitCode::ok;
}

ExitCode SubjectReportCommands::verify() const {
    auto db = open_database(m_common, Access::read);
    const publish::ReportCheck check = publish::verify_report(db, m_file);
    if (m_common.json) {
        fmt::print("{}\n", nlohmann::json{{"ok", check.ok},
                                          {"file", m_file},
                                          {"number", check.number.empty()
                                                         ? nlohmann::json(nullptr)
                                                         : nlohmann::json(check.number)},
                                          {"message", check.message}}
                               .dump());
    }
    if (check.ok) {
        if (!m_common.quiet) {
            fmt::print(stderr, "{}\n", trf("{}: {}: {}", k_tool, m_file, check.message));
        }
        return ExitCode::ok;
    }
    fmt::print(stderr, "{}\n", trf("{}: {}: not verified: {}", k_tool, m_file, check.message));
    return ExitCode::failed;
}

}  // namespace rbl::app
