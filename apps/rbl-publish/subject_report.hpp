#pragma once
// rbl-publish's subject-report and verify-report subcommands (SPEC.md §10): their options and
// their wiring to rbl::publish's report register.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/tool.hpp"

namespace rbl::app {

/// The two subcommands, added to rbl-publish's command line.
class SubjectReportCommands {
public:
    /// Adds `subject-report` and `verify-report` to `app`; `common` is read when one runs.
    SubjectReportCommands(CLI::App& app, const CommonOptions& common);

    /// True when the command line named one of them.
    [[nodiscard]] bool parsed() const;
    /// Runs the one named: issues a report (exit 0), or checks one (0 when issued here and
    /// unchanged, 1 otherwise, saying why).
    ExitCode run() const;

private:
    ExitCode issue() const;
    ExitCode verify() const;

    const CommonOptions& m_common;
    CLI::App* m_issue = nullptr;
    CLI::App* m_verify = nullptr;
    std::string m_subject_id;
    std::optional<std::string> m_from;
    std::optional<std::string> m_to;
    std::optional<std::string> m_as_of;
    std::vector<std::string> m_domains;
    std::string m_out;
    std::string m_office;
    std::string m_mode = "0600";
    std::string m_file;
};

}  // namespace rbl::app
