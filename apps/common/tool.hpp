#pragma once
// What every rbl tool shares: the common options of SPEC.md §1, the session of a tool working on
// the database (database, audit log, terminal reporter), and the wrapper that turns failures into
// "rbl-TOOL: error: ..." and the exit codes.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/terminal_reporter.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

/// How long an Access::write_briefly connection waits for another writer, in milliseconds.
inline constexpr int k_brief_wait_ms = 50;

/// Options every tool takes.
struct CommonOptions {
    std::string db;             ///< --db, $RBL_DB, else ./rbl.db
    std::string rules;          ///< --rules, $RBL_RULES, else ./rules
    bool json = false;          ///< --json: a JSON summary on stdout
    bool quiet = false;         ///< -q: no progress or info on stderr
    std::string operator_name;  ///< --operator, $RBL_OPERATOR, else the login name
    int wait_seconds = 30;      ///< --wait
};

/// Adds the common options to `app`, with their defaults from the environment, after making it
/// speak the interface's language (prepare_app): call it first, before any other option.
void add_common_options(CLI::App& app, CommonOptions& options);

/// How a tool uses the database of --db.
enum class Access {
    read,    ///< read-only: never waits for or blocks a writer
    write,   ///< reads and writes; the database must exist (else exit 2)
    create,  ///< reads and writes, creating the database (mode 0600) when it does not exist
    /// reads and writes, waiting at most k_brief_wait_ms for another writer whatever --wait says
    /// (rbl-check's lookup log: a check never waits for a writer)
    write_briefly,
};

/// The database of --db opened for `access`, with --wait as a writer's busy timeout;
/// `map_for_reading` for tools that read most of a large database.
store::Database open_database(const CommonOptions& options, Access access,
                              bool map_for_reading = false);

/// Who acts in this run: --operator, this process's login name and `tool`.
audit::Actor actor(const CommonOptions& options, std::string_view tool);

/// The audit log of `db`, written as actor(options, tool).
audit::AuditLog open_audit_log(store::Database& db, const CommonOptions& options,
                               std::string_view tool);

/// A date given on the command line (`--as-of`, `--received`, `--date`), in any form of record
/// dates (2026-11-28, 2026/11/28, 20261128, 2026年11月28日): today (CST, or $RBL_TODAY) when
/// `text` is empty. Throws UsageError naming `option` for a malformed date or
/// one after today (SPEC.md §1).
util::Date date_option(std::string_view option, std::string_view text);

/// An example ending a tool's --help: the command as typed, and what it does when that needs
/// saying (marked with tr_later; shown translated, in parentheses, aligned after the commands).
struct HelpExample {
    // A constructor, not an aggregate: {"cmd1", "cmd2"} is two examples, never one with a note.
    HelpExample(const char* command_text, const char* note_msgid = nullptr)  // NOLINT
        : command(command_text), note(note_msgid) {}
    std::string_view command;
    const char* note;
};

/// Ends `app`'s --help with the environment variables every tool reads, `examples` (one command
/// a line) and the exit codes of SPEC.md §1.
void add_help_footer(CLI::App& app, std::initializer_list<HelpExample> examples);

/// Prints `table` on `stream` (a data table on stdout; with --json, for people, on stderr), cut
/// to the terminal's width when `stream` is a terminal ($COLUMNS, else the terminal's own) and
/// never when it is a pipe or a file.
void print_table(const util::TextTable& table, std::FILE* stream = stdout);

/// Prints one line of a table streamed row by row (a log too long to hold) on stdout, cut to
/// the terminal's width as print_table cuts, and never on a pipe or a file.
void print_streamed_line(std::string_view line);

/// Parses the command line and runs `body`, mapping what it throws to SPEC.md §1's exit codes
/// and printing errors as "TOOL: error: MESSAGE". Returns the process's exit code.
int run_tool(std::string_view tool, CLI::App& app, int argc, char** argv,
             const std::function<ExitCode()>& body);

/// What a tool working on the database sets up first: the database of --db opened for `access`
/// (see open_database), its audit log written as `tool`, and the terminal reporter.
struct Session {
    Session(const CommonOptions& options, std::string_view tool, Access access,
            bool map_for_reading = false);
    store::Database db;
    audit::AuditLog audit;
    TerminalReporter reporter;
};

}  // namespace rbl::app
