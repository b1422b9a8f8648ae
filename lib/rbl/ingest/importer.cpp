#include "rbl/ingest/importer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "rbl/ingest/columns.hpp"
#include "rbl/ingest/parsed_rows.hpp"
#include "rbl/ingest/record_builder.hpp"
#include "rbl/ingest/row_sources.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/encoding_guess.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/money.hpp"
#include "rbl/util/private_file.hpp"
#include "rbl/util/sha256.hpp"
#include "rbl/util/text.hpp"

namespace rbl::ingest {

namespace {

constexpr int k_messages_shown = 10;        // rejects and warnings printed before "... N more"
constexpr int k_progress_every = 1 << 13;   // rows between progress updates

// Refuses files that can't be imported at all, before any work: missing, empty, binary, or
// GB18030 text read as UTF-8 (every row would be rejected; one clear error serves better).
void check_input_file(const std::filesystem::path& file, util::Encoding encoding) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        throw UsageError(trf("{} does not exist", file.string()));
    }
    if (std::filesystem::is_directory(file, ec)) {
        throw UsageError(trf("{} is a folder, not a file", file.string()));
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw FailedError(trf("cannot read {}: {}", file.string(), std::strerror(errno)));
    }
    std::string head(1 << 16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.empty()) {
        throw UsageError(trf("{} is empty: expected a header row", file.string()));
    }
    if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
        throw UsageError(trf("{} is UTF-16 text; save it as UTF-8 (or GB18030)", file.string()));
    }
    if (util::looks_binary(head)) {
        throw UsageError(trf("{} is a binary file, not CSV or JSON Lines text", file.string()));
    }
    if (encoding == util::Encoding::utf8 && util::looks_like_gb18030(head)) {
        throw UsageError(
            trf("{} is not UTF-8 but reads as GB18030: use --encoding gb18030", file.string()));
    }
    if (encoding == util::Encoding::gb18030 && util::looks_like_utf8_text(head)) {
        throw UsageError(
            trf("{} is UTF-8 text, not GB18030: leave out --encoding gb18030", file.string()));
    }
}

// Refuses a rejects path that is one of the import's own files: writing the rejects would
// truncate the input before it is read, the mapping, or the open database (destroying it).
void check_rejects_path(const ImportOptions& options, const std::filesystem::path& database) {
    if (!options.rejects) {
        return;
    }
    std::error_code ec;
    if (!std::filesystem::exists(*options.rejects, ec)) {
        return;  // a new file can be none of them
    }
    const auto clash = [&](const std::filesystem::path& other, std::string_view what) {
        std::error_code error;
        if (std::filesystem::exists(other, error) &&
            std::filesystem::equivalent(*options.rejects, other, error)) {
            throw UsageError(trf("the rejects file {} is {} {}: give another path",
                                 options.rejects->string(), what, other.string()));
        }
    };
    clash(options.file, tr("the input file"));
    if (options.mapping) {
        clash(*options.mapping, tr("the mapping file"));
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        clash(database.string() + suffix, tr("the database's file"));
    }
}

// Writes rejected rows as CSV: line, column, reason, then the row's original fields. The file
// holds personal data: it is created 0600 and never written through a symbolic link.
class RejectsFile {
public:
    RejectsFile(const std::optional<std::filesystem::path>& path,
                const std::vector<std::string>& header) {
        if (!path) {
            return;
        }
        m_out.emplace(*path, tr("the rejects file"));
        std::vector<std::string> columns = {"line", "column", "reason"};
        columns.insert(columns.end(), header.begin(), header.end());
        write(columns);
    }

    void add(std::uint64_t line, const Rejection& rejection,
             const std::vector<std::string>& fields) {
        if (!m_out) {
            return;
        }
        std::vector<std::string> row = {std::to_string(line), rejection.column, rejection.reason};
        row.insert(row.end(), fields.begin(), fields.end());
        write(row);
    }

    void close() {
        if (m_out) {
            m_out->close();
        }
    }

private:
    void write(const std::vector<std::string>& fields) {
        m_line.clear();
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) {
                m_line += ',';
            }
            util::append_csv_field(m_line, fields[i]);
        }
        m_line += "\r\n";
        m_out->write(m_line);
    }

    std::optional<util::PrivateOutputFile> m_out;
    std::string m_line;
};

nlohmann::json record_json(const model::Record& record) {
    return {
        {"subject_id", record.subject_id},
        {"domain", record.domain},
        {"kind", record.kind},
        {"date", record.date.iso()},
        {"amount", record.amount ? nlohmann::json(util::format_yuan(*record.amount)) : nullptr},
        {"authority", record.authority ? nlohmann::json(*record.authority) : nullptr},
        {"region", record.region ? nlohmann::json(*record.region) : nullptr},
        {"status", model::to_string(record.status)},
        {"attrs", nlohmann::json::parse(record.attrs_json, nullptr, false)},
    };
}

// The per-row work of one import: validate, write, count, audit.
class BatchWriter {
public:
    // `source`: the import's --source; with no other source in the database no row can
    // duplicate another source's decision, and the lookup per row is skipped.
    BatchWriter(store::RecordStore& store, audit::AuditLog& audit, std::int64_t batch_id,
                std::string_view source, ImportSummary& summary)
        : m_store(store),
          m_audit(audit),
          m_batch_id(batch_id),
          m_summary(summary),
          m_other_sources(store.has_other_sources(source)) {}

    // The multiset hash of the states of the records this batch inserted (SPEC.md §7).
    const util::MultisetHash& inserted_digest() const { return m_inserted; }

    // Whether another source's records may duplicate this import's (see the constructor).
    bool other_sources() const { return m_other_sources; }

    // Writes a valid record and its subject, row by row; returns a rejection, having written
    // nothing, for a key repeated with other content.
    std::optional<Rejection> write(const ParsedRow& row) {
        const model::Record& record = row.record;
        const store::RowChange change =
            m_store.put_row(record, row.content_hash, row.subject_region, m_batch_id);
        if (change.record.outcome == store::RecordChange::Outcome::conflict) {
            return conflict(record);
        }
        count(record, change.record);
        note_cross_source(m_other_sources ? m_store.other_source_of(record) : std::nullopt);
        audit_subject(record, change.subject);
        return std::nullopt;
    }

    // The same for a row the bulk path (store::BulkRecordWriter) has written: counts and audits
    // its outcome as write() does.
    std::optional<Rejection> apply(const model::Record& record,
                                   const store::BulkOutcome& outcome) {
        if (outcome.record.outcome == store::RecordChange::Outcome::conflict) {
            return conflict(record);
        }
        count(record, outcome.record);
        note_cross_source(outcome.other_source);
        audit_subject(record, outcome.subject);
        return std::nullopt;
    }

    // The other source holding the decision of the row last written, or empty.
    const std::string& cross_source() const { return m_cross_source; }

private:
    static Rejection conflict(const model::Record& record) {
        return Rejection{"record_id", trf("duplicate record_id '{}': it appears earlier in this "
                                          "file with other content",
                                          record.record_id)};
    }

    void note_cross_source(const std::optional<std::string>& other) {
        if (other) {
            ++m_summary.cross_source_duplicates;
            m_cross_source = *other;
        } else {
            m_cross_source.clear();
        }
    }

    void audit_subject(const model::Record& record, const store::SubjectChange& subject) {
        if (subject.outcome == store::SubjectChange::Outcome::updated) {
            m_audit.append(
                "subject.updated", "subject:" + record.subject_id,
                nlohmann::json{
                    {"batch_id", m_batch_id},
                    {"before",
                     {{"name", subject.before_name}, {"subject_type", subject.before_type}}},
                    {"after",
                     {{"name", record.subject_name},
                      {"subject_type", model::to_string(record.subject_type)}}}}
                    .dump());
        }
    }

    void count(const model::Record& record, const store::RecordChange& change) {
        switch (change.outcome) {
            case store::RecordChange::Outcome::inserted:
                ++m_summary.inserted;
                m_inserted.add(change.state);  // no per-record audit row: the batch's digest
                break;
            case store::RecordChange::Outcome::unchanged:
                ++m_summary.unchanged;
                break;
            case store::RecordChange::Outcome::updated:
                ++m_summary.updated;
                m_audit.append("record.updated",
                               fmt::format("record:{}/{}", record.source, record.record_id),
                               nlohmann::json{{"batch_id", m_batch_id},
                                              {"before", nlohmann::json::parse(change.before_json)},
                                              {"after", record_json(record)},
                                              {"state", store::to_hex(change.state)},
                                              {"previous_state",
                                               store::to_hex(change.previous_state)}}
                                   .dump());
                break;
            case store::RecordChange::Outcome::conflict:
                break;
        }
    }

    store::RecordStore& m_store;
    audit::AuditLog& m_audit;
    std::int64_t m_batch_id;
    ImportSummary& m_summary;
    bool m_other_sources;
    std::string m_cross_source;
    util::MultisetHash m_inserted;  // of the states of the records inserted
};

// After the last row, when the file's domains are known (SPEC §2 "Columns"): a JSON Lines file
// lacking a mapped column is refused (a CSV header was checked at once); every unknown column
// is named once, in the summary and in a warning.
void report_columns(const ColumnCheck& columns, const std::string& file_name,
                    ImportSummary& summary, Reporter& reporter) {
    if (summary.rows > 0) {
        columns.check_mapping_sources(file_name);
    }
    summary.unknown_columns = columns.unknown_columns();
    int shown = 0;
    for (const std::string& name : summary.unknown_columns) {
        const std::string warning = columns.unknown_column_warning(file_name, name);
        if (!warning.empty() && ++shown <= k_messages_shown) {
            reporter.warning(warning);
        }
    }
    if (shown > k_messages_shown) {
        reporter.warning(
            trf("... and {} more unknown columns (all of them in --json's "
                "unknown_columns)",
                shown - k_messages_shown));
    }
    for (const std::string& name : columns.unused_allowed()) {
        reporter.warning(trf("--allow-column '{}': {} has no such column", name, file_name));
    }
}

// Removes a database file this run created, unless dismissed. Declared before the Database, so
// that the connection is closed first.
class CreatedDatabaseGuard {
public:
    CreatedDatabaseGuard(std::filesystem::path path, bool armed)
        : m_path(std::move(path)), m_armed(armed) {}
    ~CreatedDatabaseGuard() {
        if (m_armed) {
            std::error_code ec;
            for (const char* suffix : {"", "-wal", "-shm"}) {
                std::filesystem::remove(m_path.string() + suffix, ec);
            }
        }
    }
    CreatedDatabaseGuard(const CreatedDatabaseGuard&) = delete;
    CreatedDatabaseGuard& operator=(const CreatedDatabaseGuard&) = delete;
    void dismiss() { m_armed = false; }

private:
    std::filesystem::path m_path;
    bool m_armed;
};

std::string encoding_name(util::Encoding encoding) {
    return encoding == util::Encoding::gb18030 ? "gb18030" : "utf-8";
}

}  // namespace

Format format_of(const std::filesystem::path& file) {
    const std::string extension = file.extension().string();
    if (extension == ".jsonl" || extension == ".ndjson" || extension == ".json") {
        return Format::jsonl;
    }
    return Format::csv;
}

ImportSummary import_file(store::Database& db, audit::AuditLog& audit,
                          const rules::RuleSet& rules, const ImportOptions& options,
                          Reporter& reporter) {
    check_input_file(options.file, options.encoding);
    check_rejects_path(options, db.path());
    const Mapping mapping = options.mapping ? load_mapping(*options.mapping) : Mapping{};
    const Format format = options.format.value_or(format_of(options.file));
    const std::string file_name = options.file.string();

    ImportSummary summary;
    summary.file_sha256 = util::sha256_file_hex(options.file);
    auto input = util::open_text_input(options.file, options.encoding);
    ColumnCheck columns(rules, mapping, options.allowed_columns);
    auto rows = format == Format::csv ? open_csv_rows(*input, mapping, file_name, columns)
                                      : open_jsonl_rows(*input, mapping, file_name, columns);
    RejectsFile rejects(options.rejects, rows->original_header());
    RecordBuilder builder(rules, mapping,
                          BuildOptions{options.source, options.id_check_warn, util::today()});

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const std::string started_at = util::utc_now_iso();
    store::RecordStore store(db);
    const std::int64_t batch_id = store.begin_batch(store::BatchStart{
        .source = options.source,
        .file_name = file_name,
        .file_sha256 = summary.file_sha256,
        .format = format == Format::csv ? "csv" : "jsonl",
        .encoding = encoding_name(options.encoding),
        .mapping = options.mapping ? std::optional(options.mapping->string()) : std::nullopt,
        .operator_name = options.operator_name,
        .started_at = started_at,
    });
    BatchWriter batch(store, audit, batch_id, options.source, summary);
    const bool row_by_row = !store::BulkRecordWriter::supported(db);
    if (row_by_row && !batch.other_sources()) {
        store.defer_index_on_large_load();  // no cross-source lookup reads the index
    }

    const auto report_rejection = [&](std::uint64_t line, const Rejection& rejection,
                                      const std::vector<std::string>& fields) {
        ++summary.rejected;
        rejects.add(line, rejection, fields);
        if (summary.rejected <= k_messages_shown) {
            reporter.warning(rejection.column.empty()
                                 ? trf("{}:{}: rejected: {}", file_name, line, rejection.reason)
                                 : trf("{}:{}: rejected (column {}): {}", file_name, line,
                                       rejection.column, rejection.reason));
        }
    };

    const auto report_warning = [&](std::uint64_t line, const std::string& text) {
        if (!text.empty()) {
            ++summary.warned;
            if (summary.warned <= k_messages_shown) {
                // untranslated: FILE:LINE: only; the warning is translated
                reporter.warning(fmt::format("{}:{}: {}", file_name, line, text));
            }
        }
    };
    // After a valid row's write: a note when another source holds the same decision.
    const auto report_cross_source = [&](std::uint64_t line, const model::Record& written) {
        if (!batch.cross_source().empty() &&
            summary.cross_source_duplicates <= k_messages_shown) {
            reporter.warning(
                trf("{}:{}: {} {} '{}' of {} is also held from source '{}': one decision, counted "
                    "once (the version imported last)",
                    file_name, line, written.domain, written.kind, written.record_id,
                    written.subject_id, batch.cross_source()));
        }
    };

    // PostgreSQL: the valid rows are written in bulk (COPY and set-based statements), a batch
    // of rows at a time; every row's messages, counts and audit rows then follow in the file's
    // order, as row by row. A row waiting for its batch keeps what its messages need.
    std::optional<store::BulkRecordWriter> bulk;
    if (!row_by_row) {
        bulk.emplace(db, batch_id, batch.other_sources());
    }
    struct Pending {
        std::uint64_t line = 0;
        std::optional<Rejection> rejection;   // a row refused by validation
        std::vector<std::string> fields;      // its original fields, for the rejects file
        std::string warning;
        std::size_t staged = 0;               // a valid row's index in the bulk writer
    };
    std::vector<Pending> pending;
    const bool keep_fields = options.rejects.has_value();
    const auto flush_pending = [&] {
        const std::vector<store::BulkOutcome> outcomes = bulk->flush();
        for (const Pending& waiting : pending) {
            if (waiting.rejection) {
                report_rejection(waiting.line, *waiting.rejection, waiting.fields);
                continue;
            }
            report_warning(waiting.line, waiting.warning);
            const model::Record& written = bulk->record(waiting.staged);
            if (const auto refused = batch.apply(written, outcomes[waiting.staged])) {
                report_rejection(waiting.line, *refused, waiting.fields);
            } else {
                report_cross_source(waiting.line, written);
            }
        }
        pending.clear();
        bulk->clear();
    };
    const auto wait_for_batch = [&](Pending waiting) {
        pending.push_back(std::move(waiting));
        if (pending.size() >= store::BulkRecordWriter::k_rows) {
            flush_pending();
        }
    };

    const auto write_row = [&](ParsedRow& row) {
        ++summary.rows;
        if (bulk) {
            Pending waiting;
            waiting.line = row.line;
            waiting.fields = std::move(row.fields);
            if (row.rejection) {
                waiting.rejection = std::move(row.rejection);
            } else {
                waiting.warning = std::move(row.warning);
                waiting.staged = bulk->add(row.record, row.content_hash, row.subject_region);
            }
            wait_for_batch(std::move(waiting));
            return;
        }
        if (row.rejection) {
            report_rejection(row.line, *row.rejection, row.fields);
            return;
        }
        report_warning(row.line, row.warning);
        if (const auto refused = batch.write(row)) {
            report_rejection(row.line, *refused, row.fields);
        } else {
            report_cross_source(row.line, row.record);
        }
    };

    // Rows are read and validated on a thread of their own (ingest/parsed_rows), a few chunks
    // ahead of this one, which writes them.
    const std::uint64_t total_bytes = input->total_bytes();
    {
        ParsedRows parsed_rows(*rows, builder, keep_fields);
        while (ParsedChunk* chunk = parsed_rows.next()) {
            const std::int64_t rows_before = summary.rows;
            for (std::size_t i = 0; i < chunk->size; ++i) {
                write_row(chunk->rows[i]);
            }
            if (summary.rows / k_progress_every != rows_before / k_progress_every) {
                reporter.progress(tr("importing"), chunk->bytes_consumed, total_bytes);
            }
        }
    }  // the reading thread has ended: the source and the column check are this thread's again
    if (bulk && !pending.empty()) {
        flush_pending();
    }
    reporter.progress_done();
    summary.blank = static_cast<std::int64_t>(rows->blank_rows());
    report_columns(columns, file_name, summary, reporter);
    rejects.close();
    if (summary.rejected > k_messages_shown) {
        const std::int64_t more = summary.rejected - k_messages_shown;
        reporter.warning(options.rejects
                             ? trf("... and {} more rejected rows", more)
                             : trf("... and {} more rejected rows (keep them all with --rejects "
                                   "FILE)",
                                   more));
    }
    if (summary.warned > k_messages_shown) {
        reporter.warning(trf("... and {} more warnings", summary.warned - k_messages_shown));
    }
    if (summary.cross_source_duplicates > k_messages_shown) {
        reporter.warning(trf("... and {} more rows also held from another source",
                             summary.cross_source_duplicates - k_messages_shown));
    }

    const bool rolled_back = options.dry_run || (options.strict && summary.rejected > 0);
    if (store.index_deferred() && !rolled_back) {
        reporter.progress(tr("indexing the records"),
                          static_cast<std::uint64_t>(summary.inserted), 0);
        store.build_deferred_index();
        reporter.progress_done();
    }
    const std::string finished_at = util::utc_now_iso();
    store.finish_batch(batch_id,
                               store::BatchCounts{summary.rows, summary.inserted, summary.updated,
                                                  summary.unchanged, summary.rejected},
                               finished_at);
    audit.append("import.batch", fmt::format("batch:{}", batch_id),
                 nlohmann::json{{"file", file_name},
                                {"sha256", summary.file_sha256},
                                {"source", options.source},
                                {"format", format == Format::csv ? "csv" : "jsonl"},
                                {"encoding", encoding_name(options.encoding)},
                                {"mapping", options.mapping ? nlohmann::json(options.mapping->string())
                                                            : nlohmann::json(nullptr)},
                                {"rows", summary.rows},
                                {"inserted", summary.inserted},
                                {"updated", summary.updated},
                                {"unchanged", summary.unchanged},
                                {"rejected", summary.rejected},
                                {"blank", summary.blank},
                                {"cross_source_duplicates", summary.cross_source_duplicates},
                                {"inserted_digest", batch.inserted_digest().hex()}}
                     .dump());
    if (rolled_back) {
        return summary;  // the transaction rolls back: nothing is written
    }
    transaction.commit();
    summary.committed = true;
    summary.batch_id = batch_id;
    return summary;
}

ImportSummary import_file_into(const ImportDatabase& database, const rules::RuleSet& rules,
                               const ImportOptions& options, Reporter& reporter) {
    std::error_code ec;
    // An SQLite file: a dry run on none validates in a throw-away one, and a file this run
    // created is removed if it fails. A PostgreSQL database exists before rbl does.
    const bool file = !store::is_postgresql_uri(database.path.native());
    const bool throw_away =
        file && options.dry_run && !std::filesystem::exists(database.path, ec);
    const std::filesystem::path path =
        throw_away ? std::filesystem::temp_directory_path() /
                         fmt::format("rbl-import-dry-run-{}.db", ::getpid())
                   : database.path;
    CreatedDatabaseGuard guard(path, file && (throw_away || !std::filesystem::exists(path, ec)));
    ImportSummary summary;
    {
        store::Database db({.path = path,
                            .create = true,
                            .read_only = false,
                            .wait_seconds = database.wait_seconds});
        audit::AuditLog audit(db, database.actor);
        summary = import_file(db, audit, rules, options, reporter);
    }
    if (!throw_away) {
        guard.dismiss();
    }
    return summary;
}

nlohmann::json to_json(const ImportSummary& summary, bool dry_run) {
    const auto stored = [&](std::int64_t count) { return summary.committed ? count : 0; };
    return {
        {"rows", summary.rows},
        {"inserted", stored(summary.inserted)},
        {"updated", stored(summary.updated)},
        {"unchanged", stored(summary.unchanged)},
        {"validated",
         {{"inserted", summary.inserted},
          {"updated", summary.updated},
          {"unchanged", summary.unchanged}}},
        {"rejected", summary.rejected},
        {"blank", summary.blank},
        {"cross_source_duplicates", summary.cross_source_duplicates},
        {"warned", summary.warned},
        {"unknown_columns", summary.unknown_columns},
        {"batch_id", summary.batch_id ? nlohmann::json(*summary.batch_id) : nullptr},
        {"committed", summary.committed},
        {"dry_run", dry_run},
        {"sha256", summary.file_sha256},
    };
}

nlohmann::json to_json(const RevertSummary& summary) {
    return {{"batch_id", summary.batch_id}, {"withdrawn", summary.withdrawn}};
}

RevertSummary revert_batch(store::Database& db, audit::AuditLog& audit, std::int64_t batch_id) {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    store::RecordStore store(db);
    const auto batch = store.find_batch(batch_id);
    if (!batch) {
        throw UsageError(trf("there is no import batch {}", batch_id));
    }
    if (batch->reverted_at) {
        throw UsageError(trf("batch {} was already reverted on {}", batch_id, *batch->reverted_at));
    }
    const store::RevertChange change = store.revert_batch(batch_id, util::utc_now_iso());
    RevertSummary summary{batch_id, change.withdrawn};
    audit.append("import.revert", fmt::format("batch:{}", batch_id),
                 nlohmann::json{{"file", batch->file_name},
                                {"sha256", batch->file_sha256},
                                {"withdrawn", summary.withdrawn},
                                {"withdrawn_before", change.before.hex()},
                                {"withdrawn_after", change.after.hex()}}
                     .dump());
    transaction.commit();
    return summary;
}

}  // namespace rbl::ingest
