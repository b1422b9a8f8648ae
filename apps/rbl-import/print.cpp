#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "rbl/util/i18n.hpp"

namespace rbl::app {

namespace {

// What the import did with its rows: the counts and batch, or why nothing was written.
std::string import_outcome(const ingest::ImportSummary& summary, bool dry_run) {
    if (dry_run) {
        return trf(
            "{} rejected; dry run: nothing written (would be {} inserted, {} updated, {} "
            "unchanged)",
            summary.rejected, summary.inserted, summary.updated, summary.unchanged);
    }
    if (!summary.committed) {
        return trf(
            "{} rejected; --strict: nothing committed (would have been {} inserted, {} "
            "updated, {} unchanged)",
            summary.rejected, summary.inserted, summary.updated, summary.unchanged);
    }
    return trf("{} inserted, {} updated, {} unchanged, {} rejected; batch {}", summary.inserted,
               summary.updated, summary.unchanged, summary.rejected, *summary.batch_id);
}

}  // namespace

void print_import_summary(const CommonOptions& options, std::string_view file,
                          const ingest::ImportSummary& summary, bool dry_run) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary, dry_run).dump());
    }
    if (!options.quiet) {
        const std::string outcome = import_outcome(summary, dry_run);
        fmt::print(stderr, "{}\n",
                   summary.blank > 0
                       ? trf("{}: {}: {} rows ({} blank rows skipped): {}", k_import_tool, file,
                             summary.rows, summary.blank, outcome)
                       : trf("{}: {}: {} rows: {}", k_import_tool, file, summary.rows, outcome));
    }
}

void print_feedback_summary(const CommonOptions& options, std::string_view file,
                            const ingest::FeedbackSummary& summary) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}\n",
                   summary.committed
                       ? trf("{}: feedback {}: {} rows: {} recorded, {} already recorded, {} "
                             "rejected; batch {}",
                             k_import_tool, file, summary.rows, summary.inserted, summary.unchanged,
                             summary.rejected, *summary.batch_id)
                       : trf("{}: feedback {}: {} rows: {} recorded, {} already recorded, {} "
                             "rejected; nothing committed",
                             k_import_tool, file, summary.rows, summary.inserted, summary.unchanged,
                             summary.rejected));
    }
}

void print_revert_summary(const CommonOptions& options, const ingest::RevertSummary& summary) {
    if (options.json) {
        fmt::print("{}\n", ingest::to_json(summary).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}\n",
                   trf("{}: batch {} reverted: {} records withdrawn", k_import_tool,
                       summary.batch_id, summary.withdrawn));
    }
}

}  // namespace rbl::app
