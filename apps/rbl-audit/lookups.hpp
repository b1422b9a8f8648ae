#pragma once
// `rbl-audit lookups`: the lookup log of real-time checks (SPEC.md §9), who looked at whom.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/tool.hpp"
#include "rbl/util/error.hpp"

namespace rbl::app {

/// The options of `rbl-audit lookups`.
struct LookupsOptions {
    std::optional<std::string> since;  ///< a day: lookups made on or after it (China time)
    std::optional<std::string> department;
};

/// Adds the `lookups` subcommand to `app`, filling `options`; returns it.
CLI::App* add_lookups_command(CLI::App& app, LookupsOptions& options);

/// Lists the lookups that pass the filter: a table on stdout (times in China Standard Time), or
/// with --json one object with `lookups` (an array) and their `count`. Reads one snapshot.
ExitCode run_lookups(const CommonOptions& common, const LookupsOptions& options);

}  // namespace rbl::app
