#include "common/tool.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "common/cli_text.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

// The parts of the help's footer (add_help_footer), kept for describe_tool.
struct HelpFooter {
    std::string environment;
    std::vector<std::pair<std::string, std::string>> examples;  ///< command, note ("" for none)
    std::string exit_codes;
};

HelpFooter& help_footer() {
    static HelpFooter footer;
    return footer;
}

// The tool's command line as data (describe_app) with its footer's parts, printed instead of
// running when $RBL_CLI_MANIFEST is set: packaging/cli_docs.py makes the man pages and the
// bash completion from it, so that they say what --help says.
nlohmann::json describe_tool(const CLI::App& app) {
    nlohmann::json tool = describe_app(app);
    tool["version"] = RBL_VERSION;
    tool["environment"] = help_footer().environment;
    nlohmann::json examples = nlohmann::json::array();
    for (const auto& [command, note] : help_footer().examples) {
        examples.push_back({{"command", command}, {"note", note}});
    }
    tool["examples"] = examples;
    tool["exit_codes"] = help_footer().exit_codes;
    return tool;
}

// Whether the command line asked for --json (read from argv, so that it is known even when
// the line failed to parse).
bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--json") {
            return true;
        }
        if (std::string_view(argv[i]) == "--") {
            break;
        }
    }
    return false;
}

// Prints "TOOL: error: MESSAGE" on stderr and, with --json, SPEC.md §1's
// {"error": MESSAGE, "exit": N} on stdout; returns N.
int fail(std::string_view tool, bool json, std::string_view message, ExitCode code) {
    fmt::print(stderr, "{}\n", trf("{}: error: {}", tool, message));
    if (json) {
        std::fflush(stdout);
        fmt::print("{}\n", nlohmann::json{{"error", message}, {"exit", static_cast<int>(code)}}.dump());
    }
    return static_cast<int>(code);
}

}  // namespace

void add_common_options(CLI::App& app, CommonOptions& options) {
    prepare_app(app);
    options.db = env_or("RBL_DB", "rbl.db");
    options.rules = env_or("RBL_RULES", "rules");
    options.operator_name = env_or("RBL_OPERATOR", audit::login_name());
    app.add_option("--db", options.db,
                   tr("the database: an SQLite file, or a postgresql:// URI ($RBL_DB, else "
                      "./rbl.db)"));
    app.add_option("--rules", options.rules, tr("the rules folder ($RBL_RULES, else ./rules)"));
    app.add_flag("--json", options.json, tr("print a JSON summary of the run on stdout"));
    app.add_flag("-q,--quiet", options.quiet, tr("no progress or information on stderr"));
    app.add_option("--operator", options.operator_name,
                   tr("who acts, for the audit log ($RBL_OPERATOR, else the login name)"));
    app.add_option("--wait", options.wait_seconds,
                   tr("seconds to wait for another writer before giving up (exit 4)"))
        ->check(CLI::Range(0, 86400));
}

void add_help_footer(CLI::App& app, std::initializer_list<HelpExample> examples) {
    HelpFooter& parts = help_footer();
    parts.environment = tr(
        "Environment: RBL_DB (--db), RBL_RULES (--rules), RBL_OPERATOR (--operator), RBL_TODAY\n"
        "(today as YYYY-MM-DD, for tests and replays; else today in China Standard Time),\n"
        "RBL_LANG (zh: Chinese, en: English; else from LC_ALL, LC_MESSAGES, LANG).");
    std::size_t command_width = 0;
    for (const HelpExample& example : examples) {
        parts.examples.emplace_back(example.command, example.note ? tr(example.note) : "");
        if (example.note) {
            command_width = std::max(command_width, util::display_width(example.command));
        }
    }
    parts.exit_codes = tr(
        "\nExit codes:\n"
        "  0  done\n"
        "  1  failed: I/O, database or internal error; nothing half-written\n"
        "  2  usage or configuration error: bad flags, invalid rule files, unknown ids, a date\n"
        "     after today, an output folder that does not exist\n"
        "  3  done, but some input rows were rejected (see the rejects file)\n"
        "  4  the database is busy: another writer held it longer than --wait");
    std::string footer = parts.environment;
    footer += fmt::format("\n\n{}\n", tr("Examples:"));
    for (const auto& [command, note] : parts.examples) {
        footer += "  " + command;
        if (!note.empty()) {
            footer += std::string(command_width + 3 - util::display_width(command), ' ') + note;
        }
        footer += '\n';
    }
    footer += parts.exit_codes;
    app.footer(footer);
}

store::Database open_database(const CommonOptions& options, Access access,
                              bool map_for_reading) {
    return store::Database({.path = options.db,
                            .create = access == Access::create,
                            .read_only = access == Access::read,
                            .wait_seconds = options.wait_seconds,
                            .wait_milliseconds = access == Access::write_briefly
                                                     ? std::optional<int>(k_brief_wait_ms)
                                                     : std::nullopt,
                            .map_for_reading = map_for_reading});
}

audit::Actor actor(const CommonOptions& options, std::string_view tool) {
    return {options.operator_name, audit::login_name(), std::string(tool)};
}

audit::AuditLog open_audit_log(store::Database& db, const CommonOptions& options,
                               std::string_view tool) {
    return audit::AuditLog(db, actor(options, tool));
}

Session::Session(const CommonOptions& options, std::string_view tool, Access access,
                 bool map_for_reading)
    : db(open_database(options, access, map_for_reading)),
      audit(open_audit_log(db, options, tool)),
      reporter(std::string(tool), options.quiet) {}

util::Date date_option(std::string_view option, std::string_view text) {
    const util::Date today = util::today();
    if (text.empty()) {
        return today;
    }
    auto parsed = util::parse_date(text);  // the forms of record dates (SPEC.md §1, §2)
    if (!parsed) {
        throw UsageError(trf("{}: {}", option, parsed.error()));
    }
    if (*parsed > today) {
        throw UsageError(
            trf("{} {} lies after today ({})", option, util::trim(text), today.iso()));
    }
    return *parsed;
}

int run_tool(std::string_view tool, CLI::App& app, int argc, char** argv,
             const std::function<ExitCode()>& body) {
    const bool json = wants_json(argc, argv);
    if (const char* manifest = std::getenv("RBL_CLI_MANIFEST"); manifest && *manifest) {
        fmt::print("{}\n", describe_tool(app).dump(2));
        return 0;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(tool, json, trf("{} (see {} --help)", parse_error_message(e), tool),
                    ExitCode::usage);
    }
    try {
        return static_cast<int>(body());
    } catch (const Error& e) {
        return fail(tool, json, e.what(), e.code());
    } catch (const std::bad_alloc&) {
        return fail(tool, json, tr("out of memory"), ExitCode::failed);
    } catch (const std::exception& e) {
        return fail(tool, json, trf("internal error: {}", e.what()), ExitCode::failed);
    }
}

void print_table(const util::TextTable& table, std::FILE* stream) {
    fmt::print(stream, "{}", table.render(util::terminal_width(fileno(stream)).value_or(0)));
}

void print_streamed_line(std::string_view line) {
    static const std::optional<std::size_t> width = util::terminal_width(fileno(stdout));
    fmt::print("{}\n", width ? util::truncate_to_width(line, *width) : std::string(line));
}

}  // namespace rbl::app
