#pragma once
// rbl-import's output: with --json the summary as one JSON object on stdout, and unless --quiet
// one line on stderr saying what the run did.

#include <string_view>

#include "common/tool.hpp"
#include "rbl/ingest/feedback.hpp"
#include "rbl/ingest/importer.hpp"

namespace rbl::app {

inline constexpr std::string_view k_import_tool = "rbl-import";

/// "rbl-import: FILE: N rows: 3 inserted, ... rejected; batch 4" (or what a dry run or --strict
/// did not write).
void print_import_summary(const CommonOptions& options, std::string_view file,
                          const ingest::ImportSummary& summary, bool dry_run);

/// "rbl-import: feedback FILE: N rows: 3 recorded, 1 already recorded, 0 rejected; batch 5".
void print_feedback_summary(const CommonOptions& options, std::string_view file,
                            const ingest::FeedbackSummary& summary);

/// "rbl-import: batch 4 reverted: N records withdrawn".
void print_revert_summary(const CommonOptions& options, const ingest::RevertSummary& summary);

}  // namespace rbl::app
