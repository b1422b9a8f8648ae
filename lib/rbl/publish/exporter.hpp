#pragma once
// rbl-publish's exports (SPEC.md §6): list entries as CSV for analysts or JSON Lines for other
// systems, as they stood on a day; masked personal data; channel publications with deltas;
// manifests; distribution to the departments that apply the joint measures.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/audit/audit_log.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/row_writer.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/util/report.hpp"

namespace rbl::publish {

/// What an export did.
struct ExportSummary {
    std::int64_t rows = 0;  ///< data rows written (all files)
    std::string out;
    std::string sha256;  ///< of the file written ("" for several files, or none written)
    /// False when an empty delta wrote no file (ExportOptions::write_empty)
    bool written = true;
    std::optional<std::int64_t> publication_id;
    std::string as_of;
    std::vector<std::string> files;  ///< with by_department_dir: every file written
    /// The audit log's head ("SEQ:HASH") after the export's own rows, as the manifests carry it
    std::optional<std::string> audit_head;
};

/// The summary as `rbl-publish --json` prints it: rows, out, sha256 (null when no file was
/// written), written, as_of, files, and publication_id and audit_head (null when there is none);
/// `why` when no file was written.
nlohmann::json to_json(const ExportSummary& summary);

/// Exports entries. A delta without a change (0 rows) to a file writes no file, nor its manifest,
/// unless options.write_empty (summary.written false); the channel still records the publication.
/// Throws UsageError (exit 2, nothing written) for an unknown domain, status or
/// kind, an as-of date after the last run's (or no run yet), an output folder that does not
/// exist, a channel name that is not a plain name, --delta without --channel, a channel whose
/// earlier publications used another filter, --manifest to stdout; BusyError when a channel
/// publication cannot take the write lock within --wait.
ExportSummary export_entries(store::Database& db, audit::AuditLog& audit,
                             const ExportOptions& options, Reporter& reporter);

/// Where an entry stood on `as_of`: its stored state when that is the state of the day (an end
/// on or before it, or the last run's state for a day not before the last run), else by its
/// dates (expired once its validity ran out).
PublishedRow state_on(const store::EntryRow& row, util::Date as_of, util::Date last_run);

/// The day a publication or report shows: `as_of` (YYYY-MM-DD; any day up to today, which the
/// tools check) or, when empty, the last run's as-of, which it also stores in `last_run`. Throws
/// UsageError when no run is recorded, or for a malformed date. A day after the last run's shows
/// the entries as that run and the appeals decided since left them (model::state_as_published),
/// the same in the exports, the reports and rbl-check; after_last_run_warning says so.
util::Date publication_as_of(store::PublicationStore& store,
                             const std::optional<std::string>& as_of, util::Date& last_run);

/// When `as_of` lies after the last run's as-of: a warning for people that the entries are as
/// that run and the appeals since left them, with how many subjects changed since it (imports,
/// withdrawals, appeals) or came due (a record leaving a window, a period ending) by `as_of` —
/// rbl-adjudicate would evaluate them. Nothing when `as_of` is not after it.
std::optional<std::string> after_last_run_warning(store::Database& db, util::Date as_of);

/// Writes `bytes` to `path` ("-": standard output) through a temporary file renamed into place
/// (util::AtomicFile), created with `mode` and never following a symbolic link. Throws
/// UsageError when `path` is a folder, FailedError when it cannot write.
void write_private_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode);

}  // namespace rbl::publish
