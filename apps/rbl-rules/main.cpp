// rbl-rules: check the rule files, run the tests embedded in them, show a rule in plain words,
// and write the criteria document (SPEC.md §3). Only wires options to rbl::rules and rbl::engine.

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/rules/rule_set.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-rules";

struct Options {
    rbl::app::CommonOptions common;
    std::string list_id;
    std::string out;
    std::string lang = "zh";
};

// The folder's rule set, its calendar checked too (invalid: exit 2 with every problem of both).
rbl::rules::RuleSet load_all(const std::filesystem::path& dir) {
    return rbl::rules::RuleFolder::load(dir).rules;
}

rbl::ExitCode run_check(const Options& options) {
    const auto folder = rbl::rules::RuleFolder::load(options.common.rules);
    const auto& rules = folder.rules;
    const auto& calendar = folder.calendar;
    std::size_t tests = 0;
    for (const auto* list : rules.lists()) {
        tests += list->tests.size();
    }
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"ok", true},
                                          {"domains", rules.domains().size()},
                                          {"lists", rules.lists().size()},
                                          {"tests", tests},
                                          {"rules_sha256", rules.sha256()}}
                               .dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} is valid: {} domains, {} lists, {} embedded tests; calendar "
                           "{}–{}\n",
                   k_tool, options.common.rules, rules.domains().size(), rules.lists().size(),
                   tests, calendar.first_year(), calendar.last_year());
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_test(const Options& options) {
    const auto rules = load_all(options.common.rules);
    if (!options.list_id.empty() && rules.list(options.list_id) == nullptr) {
        throw rbl::UsageError(fmt::format("there is no list '{}'", options.list_id));
    }
    const auto report = rbl::engine::run_rule_tests(rules, options.list_id);
    // With --json stdout holds the one JSON object (SPEC §1) and the failures go to stderr.
    std::FILE* lines = options.common.json ? stderr : stdout;
    for (const auto& result : report.results) {
        if (result.passed) {
            continue;
        }
        fmt::print(lines, "FAILED {}:{}: {} — {}: {}\n", result.file, result.line, result.list_id,
                   result.test_name, result.problem);
        for (const std::string& line : result.explanation) {
            fmt::print(lines, "    {}\n", line);
        }
    }
    for (const auto& unreached : report.unreached) {
        fmt::print(lines, "untested {}:{}: {} — no test makes this criterion hold\n",
                   unreached.file, unreached.line, unreached.list_id);
    }
    const std::size_t failed = report.failed();
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"tests", report.results.size()},
                                          {"passed", report.results.size() - failed},
                                          {"failed", failed},
                                          {"untested_criteria", report.unreached.size()}}
                               .dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} tests: {} passed, {} failed; {} criteria untested\n", k_tool,
                   report.results.size(), report.results.size() - failed, failed,
                   report.unreached.size());
    }
    return failed == 0 ? rbl::ExitCode::ok : rbl::ExitCode::failed;
}

rbl::ExitCode run_show(const Options& options) {
    const auto rules = load_all(options.common.rules);
    const auto* list = rules.list(options.list_id);
    if (list == nullptr) {
        throw rbl::UsageError(fmt::format("there is no list '{}'", options.list_id));
    }
    const auto language = options.lang == "en" ? rbl::rules::Language::en
                                               : rbl::rules::Language::zh;
    fmt::print("{}", rbl::rules::list_markdown(*list, language));
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_doc(const Options& options) {
    const auto rules = load_all(options.common.rules);
    const std::string document = rbl::rules::rules_markdown(rules);
    if (options.out.empty() || options.out == "-") {
        fmt::print("{}", document);
        return rbl::ExitCode::ok;
    }
    const std::filesystem::path out(options.out);
    std::error_code ec;
    if (out.has_parent_path() && !std::filesystem::is_directory(out.parent_path(), ec)) {
        throw rbl::UsageError(
            fmt::format("folder {} does not exist", out.parent_path().string()));
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << document;
    if (!file.flush()) {
        throw rbl::FailedError(fmt::format("cannot write {}", options.out));
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: wrote the criteria of {} lists to {}\n", k_tool,
                   rules.lists().size(), options.out);
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Check rule files, run their embedded tests, show a rule, write the criteria "
                 "document.",
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();  // common options may follow the subcommand: rbl-rules check --json
    app.set_version_flag("--version", std::string(RBL_VERSION));
    auto* check = app.add_subcommand("check", "validate every rule file and the calendar");
    auto* test = app.add_subcommand("test", "run the tests embedded in the rule files");
    test->add_option("LIST_ID", options.list_id, "only this list's tests");
    auto* show = app.add_subcommand("show", "a list's rule in plain words");
    show->add_option("LIST_ID", options.list_id, "the list")->required();
    show->add_option("--lang", options.lang, "zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    auto* doc = app.add_subcommand("doc", "every list's criteria as one Markdown document "
                                          "(Chinese and English), for public comment");
    doc->add_option("--out", options.out, "the file to write (default: stdout)");

    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (check->parsed()) {
            return run_check(options);
        }
        if (test->parsed()) {
            return run_test(options);
        }
        if (show->parsed()) {
            return run_show(options);
        }
        return run_doc(options);
    });
}
