#pragma once
// CLI11 in the interface's language (SPEC.md §13): the help's headings and labels, the help and
// version flags, and the parse errors CLI11 writes in English, rewritten from their known forms.

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace rbl::app {

/// Makes `app` speak the interface's language: its formatter, its option group and its help
/// flag. Call right after constructing the app, before adding options and subcommands (they
/// inherit all three).
void prepare_app(CLI::App& app);

/// CLI11's English message for a parse error in the interface's language; a message of a form
/// not known here is returned as CLI11 wrote it.
std::string parse_error_message(const CLI::ParseError& error);

/// `app` as data, from the same texts as its --help, for the man pages and the bash completion
/// (packaging/cli_docs.py): {name, description, options: [{names, value, description,
/// required}], positionals: [{name, value, description, required}], subcommands: [...]}.
nlohmann::json describe_app(const CLI::App& app);

}  // namespace rbl::app
