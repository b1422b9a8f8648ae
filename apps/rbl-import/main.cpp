// rbl-import: load credit-information records (CSV, JSON Lines) into the database, validating
// every row (SPEC.md §2). Only wires options to rbl::ingest.

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <vector>

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
    std::vector<std::string> files;
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

// Where one file's rejected rows go: --rejects itself for one file; for several, a folder,
// each file's rejects in FOLDER/NAME.rejects.csv.
std::optional<std::filesystem::path> rejects_path(const Options& options,
                                                  const std::filesystem::path& file) {
    if (options.rejects.empty()) {
        return std::nullopt;
    }
    if (options.files.size() == 1) {
        return options.rejects;
    }
    return std::filesystem::path(options.rejects) / (file.filename().string() + ".rejects.csv");
}

// Several files: --rejects must be a folder, and no file may be given twice (its second batch
// would find everything unchanged, and its rejects file would be written twice).
void check_files(const Options& options) {
    if (options.files.size() > 1 && !options.rejects.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(options.rejects, ec)) {
            throw rbl::UsageError(rbl::trf(
                "with several files, --rejects names a folder that exists (each file's rejects "
                "go into FOLDER/NAME.rejects.csv): {} is none",
                options.rejects));
        }
    }
    for (std::size_t i = 0; i < options.files.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            const std::filesystem::path a = options.files[i];
            const std::filesystem::path b = options.files[j];
            std::error_code ec;
            if (a == b || std::filesystem::equivalent(a, b, ec)) {
                throw rbl::UsageError(rbl::trf("{} is given twice", options.files[i]));
            }
            if (options.files.size() > 1 && !options.rejects.empty() &&
                a.filename() == b.filename()) {
                throw rbl::UsageError(rbl::trf(
                    "{} and {} would write their rejects to the same file {}: import them one "
                    "at a time",
                    options.files[j], options.files[i],
                    (std::filesystem::path(options.rejects) /
                     (a.filename().string() + ".rejects.csv"))
                        .string()));
            }
        }
    }
}

rbl::ExitCode run_import(const Options& options) {
    check_files(options);
    const auto rules = rbl::rules::RuleSet::load(options.common.rules);
    rbl::ingest::ImportOptions import;
    if (!options.format.empty()) {
        import.format =
            options.format == "jsonl" ? rbl::ingest::Format::jsonl : rbl::ingest::Format::csv;
    }
    import.encoding = *rbl::util::encoding_named(options.encoding);  // checked by --encoding
    if (!options.mapping.empty()) {
        import.mapping = options.mapping;
    }
    import.source = options.source;
    import.operator_name = options.common.operator_name;
    import.strict = options.strict;
    import.id_check_warn = options.id_check == "warn";
    import.dry_run = options.dry_run;
    import.allowed_columns = options.allowed_columns;

    // Each file is its own batch, committed before the next is read: a file that fails stops
    // the run with its error (the files before it stay imported; importing them again changes
    // nothing, so the same command may simply be run again once the file is fixed).
    rbl::app::TerminalReporter reporter(std::string(k_tool), options.common.quiet);
    bool rejected = false;
    for (std::size_t i = 0; i < options.files.size(); ++i) {
        import.file = options.files[i];
        import.rejects = rejects_path(options, import.file);
        try {
            const auto summary = rbl::ingest::import_file_into(
                {options.common.db, options.common.wait_seconds,
                 rbl::app::actor(options.common, k_tool)},
                rules, import, reporter);
            rbl::app::print_import_summary(options.common, options.files[i], summary,
                                           options.dry_run);
            rejected = rejected || summary.rejected > 0;
        } catch (...) {
            if (i + 1 < options.files.size()) {
                const std::size_t left = options.files.size() - i - 1;
                reporter.warning(rbl::trnf("{} later file not imported (the first: {})",
                                           "{} later files not imported (the first: {})", left,
                                           left, options.files[i + 1]));
            }
            throw;
        }
    }
    return rejected ? rbl::ExitCode::rejected : rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Load credit-information records (CSV or JSON Lines) into the rbl "
                         "database, validating every row."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.add_option("FILE", options.files,
                   rbl::tr("the records files (CSV with a header row, or JSON Lines), each "
                           "imported as its own batch, in the order given"));
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
              {"rbl-import --source tax --rejects rejects/ /srv/in/tax/*.csv",
               rbl::tr_later("(one batch a file; rejects/NAME.rejects.csv each)")},
              {"rbl-import --dry-run records.csv", rbl::tr_later("(validate, write nothing)")},
              {"rbl-import --revert 12", rbl::tr_later("(withdraw what batch 12 inserted)")},
              {"rbl-import -q --json /srv/in/tax.csv >> import.log",
               rbl::tr_later("(cron: one JSON object a run)")}});

    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (options.revert > 0) {
            if (!options.files.empty()) {
                throw rbl::UsageError(rbl::tr("give either FILE or --revert BATCH_ID, not both"));
            }
            return run_revert(options);
        }
        if (!options.feedback.empty()) {
            if (!options.files.empty()) {
                throw rbl::UsageError(rbl::tr("give either FILE or --feedback FILE, not both"));
            }
            return run_feedback(options);
        }
        if (options.files.empty()) {
            throw rbl::UsageError(rbl::tr("no file to import (see rbl-import --help)"));
        }
        return run_import(options);
    });
}
