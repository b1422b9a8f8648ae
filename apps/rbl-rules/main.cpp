// rbl-rules: check the rule files, run the tests embedded in them, show a rule in plain words,
// and write the criteria document (SPEC.md §3). Only wires options to rbl::rules and rbl::engine.

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "print.hpp"
#include "rbl/engine/rule_tests.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/rules/publicity.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/i18n.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-rules";

struct Options {
    rbl::app::CommonOptions common;
    std::string list_id;
    std::string out;
    std::string lang = "zh";
};

// Every subcommand loads the whole folder (RuleFolder): an invalid calendar fails it too.

rbl::ExitCode run_check(const Options& options) {
    const auto folder = rbl::rules::RuleFolder::load(options.common.rules);
    const auto summary = folder.summary();
    std::size_t publicity_tests = 0;
    for (const auto& [name, domain] : folder.rules.domains()) {
        publicity_tests += domain.publicity_tests.size();
    }
    if (options.common.json) {
        fmt::print("{}\n", rbl::rules::to_json(summary).dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: {} is valid: {} domains, {} lists, {} embedded tests of lists "
                            "and {} of publicity periods; calendar {}–{}",
                            k_tool, options.common.rules, summary.domains, summary.lists,
                            summary.tests, publicity_tests, summary.first_year, summary.last_year));
    }
    return rbl::ExitCode::ok;
}

// The tests of every domain's `publicity:` as results of the one report, named
// "DOMAIN.publicity"; none when the run is for one list.
void add_publicity_tests(const rbl::rules::RuleSet& rules, const Options& options,
                         rbl::engine::RuleTestReport& report) {
    if (!options.list_id.empty()) {
        return;
    }
    for (auto& result : rbl::rules::run_publicity_tests(rules)) {
        report.results.push_back({result.domain + ".publicity", std::move(result.test_name),
                                  std::move(result.file), result.line, result.passed,
                                  std::move(result.problem), {}});
    }
}

rbl::ExitCode run_test(const Options& options) {
    const auto folder = rbl::rules::RuleFolder::load(options.common.rules);
    const auto& rules = folder.rules;
    auto report = rbl::engine::run_rule_tests(rules, options.list_id, &folder.calendar);
    add_publicity_tests(rules, options, report);
    // With --json stdout holds the one JSON object (SPEC §1), the results in it; the failures
    // are also told on stderr, unless -q.
    if (!options.common.json) {
        rbl::app::print_problems(report, stdout);
    } else if (!options.common.quiet) {
        rbl::app::print_problems(report, stderr);
    }
    const std::size_t failed = report.failed();
    if (options.common.json) {
        fmt::print("{}\n", rbl::app::report_json(report).dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: {} tests: {} passed, {} failed; {} criteria untested", k_tool,
                            report.results.size(), report.results.size() - failed, failed,
                            report.unreached.size()));
    }
    return failed == 0 ? rbl::ExitCode::ok : rbl::ExitCode::failed;
}

rbl::ExitCode run_show(const Options& options) {
    const auto rules = rbl::rules::RuleFolder::load(options.common.rules).rules;
    const auto language = options.lang == "en" ? rbl::rules::Language::en
                                               : rbl::rules::Language::zh;
    const std::string markdown =
        rbl::rules::list_markdown(rules.known_list(options.list_id), language);
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"list_id", options.list_id},
                                          {"lang", options.lang},
                                          {"markdown", markdown}}
                               .dump());
    } else {
        fmt::print("{}", markdown);
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_doc(const Options& options) {
    const auto rules = rbl::rules::RuleFolder::load(options.common.rules).rules;
    const bool to_stdout = options.out.empty() || options.out == "-";
    if (to_stdout && !options.common.json) {
        fmt::print("{}", rbl::rules::rules_markdown(rules));
        return rbl::ExitCode::ok;
    }
    if (to_stdout) {  // --json: the document inside the one JSON object
        fmt::print("{}\n", nlohmann::json{{"lists", rules.lists().size()},
                                          {"out", nullptr},
                                          {"markdown", rbl::rules::rules_markdown(rules)}}
                               .dump());
        return rbl::ExitCode::ok;
    }
    rbl::rules::write_rules_markdown(rules, options.out);
    if (options.common.json) {
        fmt::print("{}\n",
                   nlohmann::json{{"lists", rules.lists().size()}, {"out", options.out}}.dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("{}: wrote the criteria of {} lists to {}", k_tool,
                            rules.lists().size(), options.out));
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Check rule files, run their embedded tests, show a rule, write the "
                         "criteria document."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();  // common options may follow the subcommand: rbl-rules check --json
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {"rbl-rules check",
              {"rbl-rules test --json", rbl::tr_later("(every result in the JSON object)")},
              "rbl-rules show courts.black.dishonest_debtor --lang en",
              "rbl-rules doc --out criteria.md"});
    auto* check = app.add_subcommand("check", rbl::tr("validate every rule file and the calendar"));
    auto* test = app.add_subcommand("test", rbl::tr("run the tests embedded in the rule files"));
    test->add_option("LIST_ID", options.list_id, rbl::tr("only this list's tests"));
    auto* show = app.add_subcommand("show", rbl::tr("a list's rule in plain words"));
    show->add_option("LIST_ID", options.list_id, rbl::tr("the list"))->required();
    show->add_option("--lang", options.lang, rbl::tr("zh (default) or en"))
        ->check(CLI::IsMember({"zh", "en"}));
    auto* doc = app.add_subcommand("doc", rbl::tr("every list's criteria as one Markdown document "
                                                  "(Chinese and English), for public comment"));
    doc->add_option("--out", options.out, rbl::tr("the file to write (default: stdout)"));

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
