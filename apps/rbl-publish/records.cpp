#include "records.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cstdio>

#include "rbl/publish/record_export.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::app {

namespace {

constexpr std::string_view k_tool = "rbl-publish";

}  // namespace

RecordCommand::RecordCommand(CLI::App& app) : m_app(app) {
    m_command = app.add_subcommand(
        "records", tr("publish the records public on a day (双公示: penalties and licences, each "
                      "for its publicity period), in the 双公示 layout"));
    m_command->add_option("--kind", m_kinds,
                          tr("only this record kind, e.g. penalty (repeatable)"));
}

bool RecordCommand::parsed() const { return m_command->parsed(); }

ExitCode RecordCommand::run(const CommonOptions& common, const publish::ExportOptions& output,
                            const std::optional<std::string>& as_of) const {
    for (const char* option : {"--kind", "--status", "--subject", "--department",
                               "--by-department"}) {
        if (m_app.count(option) > 0) {
            throw UsageError(trf("{} is an option of list exports; records take --kind KIND "
                                 "after 'records'",
                                 option));
        }
    }
    publish::RecordExportOptions options;
    options.output = output;
    options.kinds = m_kinds;
    options.as_of = date_option("--as-of", as_of.value_or(""));
    // Records are published for the periods their domain's rule file declares: the rules are
    // read, strictly, before the database is opened.
    const rules::RuleSet rule_set = rules::RuleSet::load(common.rules);
    for (const auto& [name, domain] : rule_set.domains()) {
        if (domain.publicity) {
            options.publicity.emplace(domain.domain, *domain.publicity);
        }
    }
    Session session(common, k_tool, Access::write);
    const auto summary = publish::export_records(session.db, session.audit, options,
                                                 session.reporter);
    if (common.json) {  // never with --out - (main.cpp's check_stdout)
        fmt::print("{}\n", publish::to_json(summary).dump());
    }
    if (!common.quiet && !summary.written) {
        fmt::print(stderr, "{}\n",
                   trf("{}: empty delta on channel {}: no record changed since its last "
                       "publication; no file written (--write-empty writes it)",
                       k_tool, *output.channel));
    } else if (!common.quiet) {
        const std::string out = summary.out == "-" ? std::string(tr("stdout")) : summary.out;
        if (summary.publication_id) {
            fmt::print(stderr, "{}\n",
                       trf("{0}: {1} records public on {2} to {3}; publication {4} on channel "
                           "{5}",
                           k_tool, summary.rows, summary.as_of, out, *summary.publication_id,
                           *output.channel));
        } else {
            fmt::print(stderr, "{}\n",
                       trf("{0}: {1} records public on {2} to {3}", k_tool, summary.rows,
                           summary.as_of, out));
        }
    }
    return ExitCode::ok;
}

}  // namespace rbl::app
