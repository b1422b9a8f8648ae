// rbl-check: real-time checks for departments' business systems (SPEC.md §9). Only wires options
// to rbl::check and prints the answers: a table for staff, --json for systems, JSON Lines or CSV
// for a file of identifiers. It reads one snapshot and never waits for a writer; the lookup log
// is written after, waiting at most a moment (apps/common's Access::write_briefly).

#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/departments.hpp"
#include "common/tool.hpp"
#include "print.hpp"
#include "rbl/check/answer_format.hpp"
#include "rbl/check/checker.hpp"
#include "rbl/check/identifier_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/input.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-check";

struct Options {
    rbl::app::CommonOptions common;
    std::vector<std::string> subject_ids;
    std::optional<std::string> file;
    std::optional<std::string> format;  ///< csv or jsonl: answers one a line to --out
    std::string out = "-";
    std::optional<std::string> department;
    std::string as_of;
};

void check_usage(const Options& options) {
    if (options.file && !options.subject_ids.empty()) {
        throw rbl::UsageError(rbl::tr("give identifiers on the command line or --file, not both"));
    }
    if (!options.file && options.subject_ids.empty()) {
        throw rbl::UsageError(rbl::tr("give one or more identifiers, or --file FILE"));
    }
    if (options.common.json && (options.file || options.format) && options.out == "-") {
        throw rbl::UsageError(
            rbl::tr("--json prints the summary on stdout: write the answers with --out FILE"));
    }
}

// Every answer, read in one snapshot of the database.
std::vector<rbl::check::Answer> answer_all(const Options& options,
                                           const rbl::check::CheckOptions& asked) {
    auto db = rbl::app::open_database(options.common, rbl::app::Access::read);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
    if (options.department) {
        rbl::app::check_department(db, options.common.rules, *options.department);
    }
    rbl::check::Checker checker(db, asked);
    std::vector<rbl::check::Answer> answers;
    if (options.file) {
        auto input = rbl::util::open_text_input(*options.file, rbl::util::Encoding::utf8);
        rbl::check::for_each_identifier(*input, [&](std::string_view id, std::uint64_t line) {
            answers.push_back(checker.check(id, line));
        });
    } else {
        for (const std::string& id : options.subject_ids) {
            answers.push_back(checker.check(id));
        }
    }
    return answers;
}

// Records the lookups; a check is answered even when its log cannot be written (another
// writer holds the database, or this caller may only read it): it says so and goes on.
bool log_lookups(const Options& options, const rbl::check::CheckOptions& asked,
                 std::vector<rbl::check::Answer>& answers, rbl::app::TerminalReporter& reporter) {
    try {
        auto db = rbl::app::open_database(options.common, rbl::app::Access::write_briefly);
        rbl::check::record_lookups(db, {options.common.operator_name, rbl::audit::login_name()},
                                   asked, answers);
        return true;
    } catch (const rbl::Error& e) {
        reporter.warning(
            rbl::trf("the {} lookups were answered but not recorded in the lookup "
                     "log: {}",
                     answers.size(), e.what()));
        return false;
    }
}

nlohmann::json summary_json(const Options& options, const rbl::check::CheckOptions& asked,
                            const rbl::check::OutcomeCounts& counts, std::size_t checked,
                            bool logged) {
    return {{"as_of", asked.as_of.iso()},
            {"department",
             options.department ? nlohmann::json(*options.department) : nlohmann::json(nullptr)},
            {"checked", checked},
            {"found", counts.found},
            {"listed", counts.listed},
            {"unknown", counts.unknown},
            {"invalid", counts.invalid},
            {"logged", logged},
            {"out", options.file || options.format ? nlohmann::json(options.out)
                                                   : nlohmann::json(nullptr)}};
}

rbl::ExitCode run(const Options& options) {
    check_usage(options);
    rbl::app::TerminalReporter reporter(std::string(k_tool), options.common.quiet);
    const rbl::check::CheckOptions asked{rbl::app::date_option("--as-of", options.as_of),
                                         options.department};
    std::vector<rbl::check::Answer> answers = answer_all(options, asked);
    const bool logged = log_lookups(options, asked, answers, reporter);
    const rbl::check::OutcomeCounts counts = rbl::check::count_outcomes(answers);
    nlohmann::json summary = summary_json(options, asked, counts, answers.size(), logged);
    if (options.file || options.format) {
        rbl::app::write_answer_lines(options.out, options.format.value_or("jsonl") == "csv",
                                     !options.department, answers);
    } else if (options.common.json) {
        nlohmann::json subjects = nlohmann::json::array();
        for (const auto& answer : answers) {
            subjects.push_back(rbl::check::to_json(answer, !options.department));
        }
        summary["subjects"] = std::move(subjects);
    } else {
        rbl::app::print_answer_table(answers);
    }
    if (options.common.json) {
        fmt::print("{}\n", summary.dump());
    }
    std::fflush(stdout);  // the answers before their summary line, also through a pipe
    reporter.info(rbl::trf("{} checked: {} found ({} with entries), {} unknown, {} invalid",
                           answers.size(), counts.found, counts.listed, counts.unknown,
                           counts.invalid));
    // Exit 2 only when no identifier could be checked at all.
    return counts.found + counts.unknown == 0 ? rbl::ExitCode::usage : rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Check subjects against the lists in real time, for a department's "
                         "business system (read-only; every check is recorded in the lookup "
                         "log)."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(app, {"rbl-check SUBJECT_ID [SUBJECT_ID ...]",
                                    "rbl-check --department 江苏省财政厅 --json SUBJECT_ID",
                                    "rbl-check --file ids.txt --format csv --out answers.csv"});
    app.add_option("subject_id", options.subject_ids,
                   rbl::tr("unified social credit codes or resident ID numbers"));
    app.add_option("--file", options.file,
                   rbl::tr("a file of identifiers: one a line, or a CSV file with a subject_id "
                           "column"));
    app.add_option("--format", options.format,
                   rbl::tr("answers one a line to --out: jsonl (default) or csv"))
        ->check(CLI::IsMember({"csv", "jsonl"}));
    app.add_option("--out", options.out,
                   rbl::tr("where the answers of --file or --format go (- : stdout)"));
    app.add_option("--department", options.department,
                   rbl::tr("the department asking: only the measures it must apply (a department "
                           "named by the rules' measures)"));
    app.add_option("--as-of", options.as_of, rbl::tr("the day to answer for (default: today)"));
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] { return run(options); });
}
