#pragma once
// rbl-audit's output: the log's rows (JSON Lines or a text table streamed row by row) and what
// verify found (JSON on stdout; problems or, unless --quiet, the all-clear on stderr).

#include <string_view>

#include "common/tool.hpp"
#include "rbl/audit/audit_log.hpp"

namespace rbl::app {

inline constexpr std::string_view k_audit_tool = "rbl-audit";

/// One row of the log: a JSON line, or a text line with the header line before the `first`.
void print_log_row(const CommonOptions& options, const audit::AuditRow& row, bool first);

/// What verify found with `verify_options`: JSON with --json; on stderr the first problems and
/// that the log does not vouch for the database, else (unless --quiet) that the chain is whole.
void print_verify_result(const CommonOptions& options, const audit::VerifyResult& result,
                         const audit::VerifyOptions& verify_options);

}  // namespace rbl::app
