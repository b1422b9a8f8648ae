// rbl-import: load credit-information records (CSV, JSON Lines) into the database, validating
// every row (SPEC.md §2). Only wires options to rbl::ingest.

#include <fmt/format.h>

#include "common/tool.hpp"
#include "print.hpp"
#include "rbl/ingest/feedback.hpp"
#include "rbl/ingest/importer.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/input.hpp"

namespace {

constexpr std::string_view k_tool = rbl::app::k_import_tool;

struct Options {
    rbl::app::CommonOptions common;
    std::string file;
    std::string mapping;
    std::string source = "default";
    std::string encoding = "utf-8";
    std::string format;
    std::string rejects;
    std::string id_check = "reject";
    bool strict = false;
    bool dry_run = false;
    std::int64_t revert = 0;
    std::string feedback;
    std::vector<std::string> allowed_columns;
};

rbl::ExitCode run_revert(const Options& options) {
    rbl::app::Session session(options.common, k_tool, rbl::app::Access::write);
    rbl::app::print_revert_summary(
        options.common, rbl::ingest::revert_batch(session.db, session.audit, options.revert));
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_feedback(const Options& options) {
    rbl::app::Session session(options.common, k_tool, rbl::app::Access::write);
    const auto summary = rbl::ingest::import_feedback(
        session.db, session.audit, options.feedback, options.strict, options.dry_run,
        session.reporter, options.common.operator_name);
    rbl::app::print_feedback_summary(options.common, options.feedback, summary);
    return summary.rejected > 0 ? rbl::ExitCode::rejected : rbl::ExitCode::ok;
}

rbl::ExitCode run_import(const Options& options) {
    const auto rules = rbl::rules::RuleSet::load(options.common.rules);
    rbl::ingest::ImportOptions import;
    import.file = options.file;
    if (!options.format.empty()) {
        import.format =
            options.format == "jsonl" ? rbl::ingest::Format::jsonl : rbl::ingest::Format::csv;
    }
    import.encoding = *rbl::util::encoding_named(options.encoding);  // checked by --encoding
    if (!options.mapping.empty()) {
        import.mapping = options.mapping;
    }
    if (!options.rejects.empty()) {
        import.rejects = options.rejects;
    }
    import.source = options.source;
    import.operator_name = options.common.operator_name;
    import.strict = options.strict;
    import.id_check_warn = options.id_check == "warn";
    import.dry_run = options.dry_run;
    import.allowed_columns = options.allowed_columns;

    rbl::app::TerminalReporter reporter(std::string(k_tool), options.common.quiet);
    const auto summary = rbl::ingest::import_file_into(
        {options.common.db, options.common.wait_seconds, rbl::app::actor(options.common, k_tool)},
        rules, import, reporter);
    rbl::app::print_import_summary(options.common, options.file, summary, options.dry_run);
    return summary.rejected > 0 ? rbl::ExitCode::rejected : rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Load credit-information records (CSV or JSON Lines) into the rbl "
                         "database, validating every row."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.add_option("FILE", options.file,
                   rbl::tr("the records file (CSV with a header row, or JSON Lines)"));
    app.add_option("--mapping", options.mapping,
                   rbl::tr("YAML file renaming, scaling or fixing columns (e.g. Chinese headers)"));
    app.add_option("--allow-column", options.allowed_columns,
                   rbl::tr("import this column as a plain attribute although its name is close "
                           "to, or looks like, a known column (repeatable)"))
        ->type_name("NAME")
        ->expected(1)
        ->allow_extra_args(false)  // one NAME per --allow-column: FILE stays the positional
        ->take_all();
    app.add_option("--source", options.source,
                   rbl::tr("name of the data source; a record is keyed by (source, record_id)"));
    app.add_option("--encoding", options.encoding,
                   rbl::tr("the file's encoding: utf-8 (default) or gb18030, in any case; gbk "
                           "and gb2312 are read as gb18030, which contains them"))
        ->check(CLI::Validator(
            [](const std::string& name) {
                return rbl::util::encoding_named(name)
                           ? std::string()
                           : rbl::trf("'{}' is not utf-8 or gb18030 (nor gbk, gb2312, cp936)",
                                      name);
            },
            "ENCODING"));
    app.add_option("--format", options.format,
                   rbl::tr("csv or jsonl (default: from the file name)"))
        ->check(CLI::IsMember({"csv", "jsonl"}));
    app.add_option("--rejects", options.rejects,
                   rbl::tr("write rejected rows here (CSV: line, column, reason, original "
                           "fields)"));
    app.add_flag("--strict", options.strict, rbl::tr("commit nothing when any row is rejected"));
    app.add_option("--id-check", options.id_check,
                   rbl::tr("reject (default) or warn: accept a bad check character with a "
                           "warning"))
        ->check(CLI::IsMember({"reject", "warn"}));
    app.add_flag("--dry-run", options.dry_run, rbl::tr("validate and report; write nothing"));
    app.add_option("--feedback", options.feedback,
                   rbl::tr("record measures departments applied (CSV: entry_id, department, "
                           "measure_id, applied_on, note)"));
    app.add_option("--revert", options.revert,
                   rbl::tr("withdraw the records that import batch BATCH_ID inserted"))
        ->check(CLI::Validator(
            [](const std::string& text) {
                // CLI::PositiveNumber would name a range up to 1.8e308 in its message.
                return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
                               text.find_first_not_of('0') != std::string::npos
                           ? std::string()
                           : std::string(rbl::tr("a batch id is a positive whole number"));
            },
            "BATCH_ID"));
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {"rbl-import records/tax.csv --source tax --rejects rejects.csv",
              "rbl-import --encoding gbk --mapping mapping.yaml 税务局.csv",
              {"rbl-import --dry-run records.csv", rbl::tr_later("(validate, write nothing)")},
              {"rbl-import --revert 12", rbl::tr_later("(withdraw what batch 12 inserted)")},
              {"rbl-import -q --json /srv/in/tax.csv >> import.log",
               rbl::tr_later("(cron: one JSON object a run)")}});

    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (options.revert > 0) {
            if (!options.file.empty()) {
                throw rbl::UsageError(rbl::tr("give either FILE or --revert BATCH_ID, not both"));
            }
            return run_revert(options);
        }
        if (!options.feedback.empty()) {
            if (!options.file.empty()) {
                throw rbl::UsageError(rbl::tr("give either FILE or --feedback FILE, not both"));
            }
            return run_feedback(options);
        }
        if (options.file.empty()) {
            throw rbl::UsageError(rbl::tr("no file to import (see rbl-import --help)"));
        }
        return run_import(options);
    });
}
