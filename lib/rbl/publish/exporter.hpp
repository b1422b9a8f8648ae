#pragma once
// rbl-publish's exports (SPEC.md §6): list entries as CSV for analysts or JSON Lines for other
// systems, as they stood on a day; masked personal data; channel publications with deltas;
// manifests; distribution to the departments that apply the joint measures.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/util/report.hpp"

namespace rbl::publish {

/// The file format of an export.
enum class Format { csv, jsonl };
/// The language of CSV headers and list titles.
enum class Language { en, zh };

/// What to export and where.
struct ExportOptions {
    Format format = Format::csv;
    std::optional<std::string> kind;   ///< "black" or "red"
    std::vector<std::string> domains;  ///< only these domains (all when empty)
    std::string status = "effective";  ///< an entry status, or "all"
    std::optional<std::string> subject_id;
    std::optional<std::string> as_of;  ///< YYYY-MM-DD; default: the last run's as-of
    std::string out = "-";             ///< a file, or "-" for stdout
    Language lang = Language::en;
    bool bom = false;
    bool unmask = false;
    std::optional<std::string> channel;
    bool delta = false;
    bool manifest = false;
    unsigned mode = 0600;  ///< permission bits of files created
    std::optional<std::string> department;  ///< only entries whose measures name it
    std::optional<std::string> by_department_dir;  ///< one file per department in this folder
    std::string operator_name;
    std::filesystem::path rules_dir;  ///< to tell a known domain from an unknown one
};

/// What an export did.
struct ExportSummary {
    std::int64_t rows = 0;  ///< data rows written (all files)
    std::string out;
    std::string sha256;  ///< of the file written ("" for several files)
    std::optional<std::int64_t> publication_id;
    std::string as_of;
    std::vector<std::string> files;  ///< with by_department_dir: every file written
    /// The audit log's head ("SEQ:HASH") after the export's own rows, as the manifests carry it
    std::optional<std::string> audit_head;
};

/// Exports entries. Throws UsageError (exit 2, nothing written) for an unknown domain, status or
/// kind, an as-of date after the last run's (or no run yet), an output folder that does not
/// exist, a channel name that is not a plain name, --delta without --channel, a channel whose
/// earlier publications used another filter, --manifest to stdout; BusyError when a channel
/// publication cannot take the write lock within --wait.
ExportSummary export_entries(store::Database& db, audit::AuditLog& audit,
                             const ExportOptions& options, Reporter& reporter);

/// The day a publication or report shows: `as_of` (YYYY-MM-DD) or, when empty, the last run's
/// as-of, which it also stores in `last_run`. Throws UsageError when no run is recorded, or for
/// a malformed date or one after the last run's.
util::Date publication_as_of(store::PublicationStore& store,
                             const std::optional<std::string>& as_of, util::Date& last_run);

/// Writes `bytes` to `path` through a temporary file renamed into place, created with `mode`
/// and never following a symbolic link. Throws FailedError when it cannot.
void write_private_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode);

/// A CSV cell as published: a text cell beginning with '=', '+', '-', '@', tab or carriage
/// return gets a leading apostrophe, so that no spreadsheet program runs it as a formula.
std::string guard_formula(std::string_view cell);

}  // namespace rbl::publish
