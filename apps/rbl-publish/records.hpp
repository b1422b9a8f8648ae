#pragma once
// rbl-publish's records subcommand (SPEC.md §11): the records public on a day, in the 双公示
// layout; its options and its wiring to rbl::publish::export_records.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/tool.hpp"
#include "rbl/publish/export_options.hpp"

namespace rbl::app {

/// The `records` subcommand, added to rbl-publish's command line. It shares rbl-publish's output
/// options (--format, --domain, --as-of, --out, --lang, --bom, --unmask, --channel, --delta,
/// --manifest, --mode) and has its own --kind (a record kind).
class RecordCommand {
public:
    /// Adds `records` to `app`.
    explicit RecordCommand(CLI::App& app);

    /// True when the command line named it.
    [[nodiscard]] bool parsed() const;
    /// Publishes the records as `output` and `as_of` (--as-of, default today) say, with the
    /// publicity terms of the rule files of `common`. Throws UsageError for an option of list
    /// exports only (--kind black|red before `records`, --status, --subject, --department,
    /// --by-department), a date after today, and as publish::export_records does.
    ExitCode run(const CommonOptions& common, const publish::ExportOptions& output,
                 const std::optional<std::string>& as_of) const;

private:
    CLI::App& m_app;
    CLI::App* m_command = nullptr;
    std::vector<std::string> m_kinds;
};

}  // namespace rbl::app
