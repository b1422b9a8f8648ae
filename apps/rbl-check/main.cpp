// rbl-check: real-time checks for departments' business systems (SPEC.md §9). Only wires options
// to rbl::check and prints the answers: a table for staff, --json for systems, JSON Lines or CSV
// for a file of identifiers. It reads one snapshot and never waits for a writer; the lookup log
// is written after, waiting at most a moment (apps/common's Access::write_briefly).

#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "rbl/check/answer_format.hpp"
#include "rbl/check/checker.hpp"
#include "rbl/check/identifier_file.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/input.hpp"
#include "rbl/util/text_table.hpp"

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

struct Counts {
    std::size_t found = 0;
    std::size_t listed = 0;
    std::size_t unknown = 0;
    std::size_t invalid = 0;
};

Counts count_outcomes(const std::vector<rbl::check::Answer>& answers) {
    Counts counts;
    for (const auto& answer : answers) {
        switch (answer.outcome) {
            case rbl::check::Outcome::found:
                ++counts.found;
                counts.listed += answer.entries.empty() ? 0 : 1;
                break;
            case rbl::check::Outcome::unknown:
                ++counts.unknown;
                break;
            case rbl::check::Outcome::invalid:
                ++counts.invalid;
                break;
        }
    }
    return counts;
}

void check_usage(const Options& options) {
    if (options.file && !options.subject_ids.empty()) {
        throw rbl::UsageError("give identifiers on the command line or --file, not both");
    }
    if (!options.file && options.subject_ids.empty()) {
        throw rbl::UsageError("give one or more identifiers, or --file FILE");
    }
    if (options.common.json && (options.file || options.format) && options.out == "-") {
        throw rbl::UsageError(
            "--json prints the summary on stdout: write the answers with --out FILE");
    }
}

// Every answer, read in one snapshot of the database.
std::vector<rbl::check::Answer> answer_all(const Options& options,
                                           const rbl::check::CheckOptions& asked) {
    auto db = rbl::app::open_database(options.common, rbl::app::Access::read);
    rbl::store::Transaction snapshot(db, rbl::store::Transaction::Mode::deferred);
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
        reporter.warning(fmt::format("the {} lookups were answered but not recorded in the lookup "
                                     "log: {}",
                                     answers.size(), e.what()));
        return false;
    }
}

std::string measures_cell(const rbl::check::Listing& listing) {
    std::string cell;
    for (const auto& measure : listing.measures) {
        cell += fmt::format("{}{} {}", cell.empty() ? "" : "; ", measure.id, measure.text_zh);
        if (!measure.departments.empty()) {
            cell += fmt::format(" ({})", fmt::join(measure.departments, ", "));
        }
    }
    return cell.empty() ? "-" : cell;
}

// The answers as a table for staff: one row per entry, one for a subject without any.
void print_table(const std::vector<rbl::check::Answer>& answers) {
    rbl::util::TextTable table({"subject_id", "name", "result", "black", "red", "list", "status",
                                "effective_from", "expires_on", "disputed", "measures"});
    for (const auto& answer : answers) {
        const std::string result = answer.outcome == rbl::check::Outcome::invalid
                                       ? fmt::format("invalid: {}", answer.reason)
                                       : std::string(rbl::check::to_string(answer.outcome));
        const std::string black = answer.listed_black ? "yes" : "no";
        const std::string red = answer.listed_red ? "yes" : "no";
        if (answer.entries.empty()) {
            table.add_row({answer.asked, answer.subject_name, result, black, red, "-", "-", "-", "-",
                           "-", "-"});
        }
        for (const auto& listing : answer.entries) {
            table.add_row({answer.subject_id, answer.subject_name, result, black, red,
                           listing.list_id, std::string(rbl::model::to_string(listing.status)),
                           listing.effective_from.iso(), listing.expires_on.iso(),
                           listing.disputed ? "yes" : "no", measures_cell(listing)});
        }
    }
    fmt::print("{}", table.render());
}

// The answers one a line, as JSON Lines or CSV, to --out.
void write_answers(const Options& options, const std::vector<rbl::check::Answer>& answers) {
    const bool csv = options.format.value_or("jsonl") == "csv";
    auto out = options.out == "-" ? rbl::util::AtomicFile::standard_output(false)
                                  : rbl::util::AtomicFile(options.out, {});
    if (csv) {
        out.write(rbl::check::csv_header());
    }
    for (const auto& answer : answers) {
        out.write(csv ? rbl::check::csv_row(answer)
                      : rbl::check::to_json(answer, !options.department).dump() + "\n");
    }
    out.commit();
}

nlohmann::json summary_json(const Options& options, const rbl::check::CheckOptions& asked,
                            const Counts& counts, std::size_t checked, bool logged) {
    return {{"as_of", asked.as_of.iso()},
            {"department", options.department ? nlohmann::json(*options.department)
                                              : nlohmann::json(nullptr)},
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
    const Counts counts = count_outcomes(answers);
    nlohmann::json summary = summary_json(options, asked, counts, answers.size(), logged);
    if (options.file || options.format) {
        write_answers(options, answers);
    } else if (options.common.json) {
        nlohmann::json subjects = nlohmann::json::array();
        for (const auto& answer : answers) {
            subjects.push_back(rbl::check::to_json(answer, !options.department));
        }
        summary["subjects"] = std::move(subjects);
    } else {
        print_table(answers);
    }
    if (options.common.json) {
        fmt::print("{}\n", summary.dump());
    }
    std::fflush(stdout);  // the answers before their summary line, also through a pipe
    reporter.info(fmt::format("{} checked: {} found ({} with entries), {} unknown, {} invalid",
                              answers.size(), counts.found, counts.listed, counts.unknown,
                              counts.invalid));
    // Exit 2 only when no identifier could be checked at all.
    return counts.found + counts.unknown == 0 ? rbl::ExitCode::usage : rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Check subjects against the lists in real time, for a department's business "
                 "system (read-only; every check is recorded in the lookup log).",
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.set_version_flag("--version", std::string(RBL_VERSION));
    app.add_option("subject_id", options.subject_ids,
                   "unified social credit codes or resident ID numbers");
    app.add_option("--file", options.file,
                   "a file of identifiers: one a line, or a CSV file with a subject_id column");
    app.add_option("--format", options.format, "answers one a line to --out: jsonl (default) or csv")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    app.add_option("--out", options.out, "where the answers of --file or --format go (- : stdout)");
    app.add_option("--department", options.department,
                   "the department asking: only the measures it must apply");
    app.add_option("--as-of", options.as_of, "the day to answer for (default: today)");
    return rbl::app::run_tool(k_tool, app, argc, argv, [&] { return run(options); });
}
