#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace rbl::app {

namespace {

// What the import did with its rows: the counts and batch, or why nothing was written.
std::string import_outcome(const ingest::ImportSummary& summary, bool dry_run) {
    const std::string counts = fmt::format("{} inserted, {} updated, {} unchanged",
                                           summary.inserted, summary.updated, summary.unchanged);
    if (dry_run) {
        return fmt::format("{} rejected; dry run: nothing written (would be {})",
                           summary.rejected, counts);
    }
    if (!summary.committed) {
        return fmt::format("{} rejected; --strict: nothing committed (would have been {})",
                           summary.rejected, counts);
    }
    return fmt::format("{}, {} rejected; batch {}", counts, summary.rejected, *summary.batch_id);
}

}  // namespace

void print_import_summary(const CommonOptions& options, std::string_view file,
                          const ingest::ImportSummary& summary, bool dry_run) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary, dry_run).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: {}: {} rows{}: {}\n", k_import_tool, file, summary.rows,
                   summary.blank > 0 ? fmt::format(" ({} blank rows skipped)", summary.blank)
                                     : std::string(),
                   import_outcome(summary, dry_run));
    }
}

void print_feedback_summary(const CommonOptions& options, std::string_view file,
                            const ingest::FeedbackSummary& summary) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr,
                   "{}: feedback {}: {} rows: {} recorded, {} already recorded, {} rejected; {}\n",
                   k_import_tool, file, summary.rows, summary.inserted, summary.unchanged,
                   summary.rejected,
                   summary.committed ? fmt::format("batch {}", *summary.batch_id)
                                     : std::string("nothing committed"));
    }
}

void print_revert_summary(const CommonOptions& options, const ingest::RevertSummary& summary) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: batch {} reverted: {} records withdrawn\n", k_import_tool,
                   summary.batch_id, summary.withdrawn);
    }
}

}  // namespace rbl::app
