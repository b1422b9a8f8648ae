#pragma once
// rbl-import's work (SPEC.md §2): read a CSV or JSON Lines file, validate every row, and write
// the good ones as one import batch in one transaction, with rejects, counts and audit rows.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <vector>

#include "rbl/audit/audit_log.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/input.hpp"
#include "rbl/util/report.hpp"

namespace rbl::ingest {

/// Input file formats.
enum class Format { csv, jsonl };

/// The format a file name implies: .jsonl, .ndjson and .json are JSON Lines, the rest CSV.
Format format_of(const std::filesystem::path& file);

/// What to import and how.
struct ImportOptions {
    std::filesystem::path file;
    std::optional<Format> format;  ///< nullopt: from the file name
    util::Encoding encoding = util::Encoding::utf8;
    std::optional<std::filesystem::path> mapping;
    std::string source = "default";
    std::string operator_name;  ///< recorded with the batch
    std::optional<std::filesystem::path> rejects;  ///< where to write rejected rows
    bool strict = false;         ///< one rejected row: commit nothing
    bool id_check_warn = false;  ///< accept bad check characters with a warning
    bool dry_run = false;        ///< validate and count, write nothing to the database
    /// --allow-column: names, as the file gives them, accepted as plain attributes although
    /// they are close to a known column or look like one
    std::vector<std::string> allowed_columns;
};

/// The outcome of an import.
struct ImportSummary {
    std::int64_t rows = 0;
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t rejected = 0;
    /// CSV rows with every field empty (a spreadsheet's trailing ",,,,,"), skipped; not in `rows`
    std::int64_t blank = 0;
    std::int64_t warned = 0;  ///< rows accepted with a warning (--id-check warn)
    /// Rows whose decision another source holds too (one fact for adjudication, SPEC.md §2).
    std::int64_t cross_source_duplicates = 0;
    /// The file's columns that are neither standard, nor mapped, nor declared by a domain that
    /// occurs in the file (--allow-column ones included), in the order first seen
    std::vector<std::string> unknown_columns;
    std::optional<std::int64_t> batch_id;  ///< nullopt when nothing was committed
    /// Whether the batch was committed. When it was not (--dry-run, --strict with a rejection),
    /// inserted, updated and unchanged say what validation found, not what is in the database.
    bool committed = false;
    std::string file_sha256;
};

/// Where the import's database is and who acts.
struct ImportDatabase {
    std::filesystem::path path;
    int wait_seconds = 30;  ///< --wait
    audit::Actor actor;
};

/// Imports one file into the database at `database.path`, creating it (mode 0600) when it does
/// not exist. A database this run created is removed again when the import fails (a missing
/// input file, a bad mapping, a missing column leave no empty database behind), and a dry run
/// against a database that does not exist works on a throw-away one, so that it creates
/// nothing. Throws as import_file.
ImportSummary import_file_into(const ImportDatabase& database, const rules::RuleSet& rules,
                               const ImportOptions& options, Reporter& reporter);

/// The summary as `rbl-import --json` prints it: inserted, updated and unchanged say what is in
/// the database after the run (zeros when nothing was committed); `validated` what the rows
/// would do, committed or not.
nlohmann::json to_json(const ImportSummary& summary, bool dry_run);

/// Imports one file. Throws UsageError for a file that can't be used at all (missing, empty,
/// binary, no header, a required column missing, a column name misspelt or looking like a known
/// one, a mapped column missing), BusyError when the write lock is not had
/// within --wait, FailedError for database and I/O failures; the database is then unchanged.
ImportSummary import_file(store::Database& db, audit::AuditLog& audit,
                          const rules::RuleSet& rules, const ImportOptions& options,
                          Reporter& reporter);

/// The outcome of reverting a batch.
struct RevertSummary {
    std::int64_t batch_id = 0;
    std::int64_t withdrawn = 0;  ///< records withdrawn
};

/// The summary as `rbl-import --revert --json` prints it: {batch_id, withdrawn}.
nlohmann::json to_json(const RevertSummary& summary);

/// Withdraws, by office decision, the records a batch inserted (rbl-import --revert). Throws
/// UsageError for an unknown or already reverted batch.
RevertSummary revert_batch(store::Database& db, audit::AuditLog& audit, std::int64_t batch_id);

}  // namespace rbl::ingest
