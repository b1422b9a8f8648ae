#pragma once
// What rbl-publish is asked to export (SPEC.md §6), and the checks made before anything is read
// or written.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/store/database.hpp"

namespace rbl::publish {

/// The file format of an export.
enum class Format { csv, jsonl, xlsx };
/// Its name: "csv", "jsonl" or "xlsx" (--format, the channel's filter and record).
std::string_view to_string(Format format);
/// Its file name extension: ".csv", ".jsonl" or ".xlsx".
std::string_view extension_of(Format format);
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
    /// A delta with no change is written all the same (else no file: cron uploads nothing)
    bool write_empty = false;
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

/// Throws UsageError ("OPTION: folder F does not exist") when the folder `path` is to be written
/// in does not exist.
void check_output_folder(const std::filesystem::path& path, std::string_view option);

/// The permission bits of --mode, octal ("0600", "640"). Throws UsageError for anything else or
/// more than 0777.
unsigned parse_mode(const std::string& text);

/// Checks `options` before anything is exported. Throws UsageError for an unknown status, kind
/// or domain, --delta without --channel, a channel name that is not a plain name, --manifest to
/// stdout, a missing output folder, and --by-department with --channel or --department.
void check_options(store::Database& db, const ExportOptions& options);

/// The domains rbl-publish knows: those with a rule file in `rules` and those of stored entries.
std::set<std::string> known_domains(store::Database& db, const std::filesystem::path& rules);

/// True when an export of `rows` rows writes no file: a delta without a change, to a file (not
/// standard output), without --write-empty. A nightly job then has nothing to send.
bool skips_empty_delta(const ExportOptions& options, std::int64_t rows);

/// The filter of an export as canonical JSON (sorted domains, fixed key order): what a channel's
/// publications must share.
std::string filter_json(const ExportOptions& options);

}  // namespace rbl::publish
