#pragma once
// Writing subjects, records and import batches, including the office withdrawal of records an
// appeal decides. All of their SQL lives here, prepared once per RecordStore and reused for every
// row.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rbl/model/record.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/multiset_hash.hpp"

namespace rbl::store {

/// The SHA-256 of a record's normalised content, used to tell an update from a repeat.
using ContentHash = std::array<std::uint8_t, 32>;

/// What an import batch is, written when it starts.
struct BatchStart {
    std::string source;
    std::string file_name;
    std::string file_sha256;
    std::string format;    ///< "csv" or "jsonl"
    std::string encoding;  ///< "utf-8" or "gb18030"
    std::optional<std::string> mapping;
    std::string operator_name;
    std::string started_at;
};

/// The counts of a finished batch.
struct BatchCounts {
    std::int64_t rows = 0;
    std::int64_t inserted = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t rejected = 0;
};

/// A stored batch.
struct BatchRow {
    std::int64_t batch_id = 0;
    std::string source;
    std::string file_name;
    std::string file_sha256;
    BatchCounts counts;
    std::optional<std::string> reverted_at;
};

/// The outcome of writing a subject.
struct SubjectChange {
    enum class Outcome { inserted, updated, unchanged } outcome = Outcome::unchanged;
    std::string before_name;  ///< for `updated`
    std::string before_type;  ///< for `updated`
};

/// The outcome of writing a record.
struct RecordChange {
    enum class Outcome {
        inserted,
        updated,
        unchanged,
        conflict,  ///< the same key came earlier in this batch with other content
    } outcome = Outcome::unchanged;
    std::string before_json;  ///< for `updated`: the previous version, as a JSON object
    StateHash state{};           ///< for `inserted` and `updated`: the hash of the new content
    StateHash previous_state{};  ///< for `updated`: the hash of the content it replaced
};

/// The outcome of writing one valid row of an import: its record and its subject.
struct RowChange {
    RecordChange record;   ///< conflict: nothing was written for the row
    SubjectChange subject;  ///< not for a conflict
};

/// What an update needs of the stored version it replaces (both stores' import paths).
struct ReplacedVersion {
    bool office_withdrawn = false;  ///< withdrawn by office decision: it stays withdrawn
    std::string before_json;        ///< the stored version, as a JSON object (audit "before")
    StateHash state{};              ///< its state hash
};

/// What reverting a batch changed.
struct RevertChange {
    std::int64_t withdrawn = 0;      ///< records withdrawn
    util::MultisetHash before;       ///< the multiset hash of their states before
    util::MultisetHash after;        ///< ... and after
};

/// A record withdrawn by office decision: its key and the hashes of its content after and before.
struct WithdrawnRecord {
    std::string source;
    std::string record_id;
    StateHash state{};
    StateHash previous_state{};
};

/// What the bulk path found and did for one row.
struct BulkOutcome {
    RecordChange record;  ///< conflict: nothing was written for the row
    SubjectChange subject;                    ///< not for a conflict
    std::optional<std::string> other_source;  ///< not for a conflict
};

/// PostgreSQL's import path (SPEC.md §12, issue 15): the rows of a batch are collected, sent with
/// `COPY ... FROM STDIN` into a temporary staging table of the transaction, and written with a
/// few set-based statements; the outcome of every row (inserted, updated with the version it
/// replaced, unchanged, conflict; its subject's change; another source's decision) is exactly
/// what put_record(), put_subject() and other_source_of() give row by row, in order: a key
/// repeated in the file, a subject renamed twice, a record withdrawn by the office.
class BulkRecordWriter {
public:
    /// Rows collected before a flush is due.
    static constexpr std::size_t k_rows = 20000;

    /// Inside the import's write transaction; `other_sources` as RecordStore::has_other_sources.
    BulkRecordWriter(Database& db, std::int64_t batch_id, bool other_sources);
    /// Whether the database has the bulk path (PostgreSQL).
    static bool supported(const Database& db);

    /// Adds a validated row; returns its index in the pending rows.
    std::size_t add(const model::Record& record, const ContentHash& hash,
                    std::string_view subject_region);
    [[nodiscard]] std::size_t size() const { return m_rows.size(); }
    [[nodiscard]] const model::Record& record(std::size_t index) const {
        return m_rows[index].record;
    }
    /// Writes the pending rows; returns their outcomes in the order added. The rows stay
    /// readable through record() until clear().
    std::vector<BulkOutcome> flush();
    /// Forgets the pending rows.
    void clear() { m_rows.clear(); }

private:
    struct Row {
        model::Record record;
        ContentHash hash{};
        std::string subject_region;
    };
    void stage(const std::vector<bool>& first);
    void write_subjects(std::vector<BulkOutcome>& outcomes);

    Database& m_db;
    std::int64_t m_batch_id;
    bool m_other_sources;
    bool m_stage_analyzed = false;  ///< the staging table's statistics taken (first batch)
    std::vector<Row> m_rows;
    Statement m_classify;
    Statement m_found;
    Statement m_other_source;
    Statement m_stored_subjects;
    Statement m_insert_subjects;
    Statement m_update_subjects;
    Statement m_update_records;
    Statement m_mark_seen;
    Statement m_insert_records;
    Statement m_mark_subjects;
};

/// Writes subjects, records and batches inside the caller's write transaction.
class RecordStore {
public:
    explicit RecordStore(Database& db);

    /// Records a batch as started; returns its id.
    std::int64_t begin_batch(const BatchStart& batch);
    /// Stores a batch's final counts and finishing time, and marks the subjects whose records it
    /// inserted for the next incremental run (SPEC.md §8).
    void finish_batch(std::int64_t batch_id, const BatchCounts& counts, std::string_view at);
    /// The batch with this id, or nullopt.
    std::optional<BatchRow> find_batch(std::int64_t batch_id);
    /// Withdraws (by office decision) the still-active records the batch inserted and marks the
    /// batch reverted; returns how many records were withdrawn and the multiset hashes of their
    /// states before and after (set-based: one statement, hashed from what it returns).
    RevertChange revert_batch(std::int64_t batch_id, std::string_view at);

    /// One valid row of an import: nothing at all for a conflict (the key came earlier in this
    /// batch with other content); else the subject inserted or brought up to date, and then the
    /// record inserted, updated or found unchanged as put_record(). The subject comes first, so
    /// that no record waits for its subject at the commit's check of the reference (a record
    /// waiting makes SQLite look for the subject's records at each new subject).
    RowChange put_row(const model::Record& record, const ContentHash& hash,
                      std::string_view subject_region, std::int64_t batch_id);
    /// Inserts the record's subject or brings its name and type up to date.
    SubjectChange put_subject(const model::Record& record, std::string_view subject_region,
                              std::int64_t batch_id);
    /// Inserts the record, or updates it when its content hash differs. A record withdrawn by
    /// office decision stays withdrawn whatever the record says. Put its subject first.
    RecordChange put_record(const model::Record& record, const ContentHash& hash,
                            std::int64_t batch_id);
    /// Another source that holds a version of the same decision (same subject, domain, kind and
    /// record_id; SPEC.md §2 "one decision, one fact"), or nullopt.
    std::optional<std::string> other_source_of(const model::Record& record);
    /// Whether any record was ever imported from a source other than `source` (when none was,
    /// other_source_of() can be skipped for a whole import).
    bool has_other_sources(std::string_view source);
    /// Marks the entry's active evidence records withdrawn by office decision (an upheld
    /// objection); returns the records it withdrew.
    std::vector<WithdrawnRecord> withdraw_evidence(std::int64_t entry_id);

    /// A large load into a small table (SQLite): once this batch has inserted more records than
    /// the table held before it (and at least k_index_deferred_after), put_record() drops the
    /// covering index `records_for_evaluation`, and build_deferred_index() builds it again from
    /// the table in one sorted pass, inside the same transaction — instead of one insertion at a
    /// random place of the index per record. Call it only when nothing of the import reads that
    /// index (no other_source_of(): has_other_sources() is false). A rollback (a dry run, a
    /// killed import) brings the index back as it was.
    void defer_index_on_large_load();
    /// Whether put_record() dropped the index, which build_deferred_index() must build again.
    [[nodiscard]] bool index_deferred() const { return m_index_dropped; }
    /// Builds the index dropped by put_record() again (before the commit).
    void build_deferred_index();

    /// Records inserted into a table before its covering index may be deferred.
    static constexpr std::int64_t k_index_deferred_after = 65536;

private:
    /// What the database holds under a record's key, as put_record() needs it.
    struct StoredKey {
        enum class Kind { absent, same, conflict, other } kind = Kind::absent;
        std::int64_t rec = 0;
        bool seen_in_this_batch = false;
        ReplacedVersion replaced;  ///< `other`: the stored version
    };
    StoredKey find_key(const model::Record& record, const ContentHash& hash,
                       std::int64_t batch_id);
    RecordChange write_record(const StoredKey& stored, const model::Record& record,
                              const ContentHash& hash, std::int64_t batch_id);

    // Writes the marks of the subjects collected in m_inserted_subjects and forgets them.
    void mark_inserted_subjects();

    Database& m_db;
    /// Subjects with a record inserted since the last marks were written: marked once each
    /// (a mark per row would cost a write per row), at the end of the batch or when many.
    std::unordered_set<std::string> m_inserted_subjects;
    /// defer_index_on_large_load(): the index's own CREATE statement (empty: not deferrable),
    /// the inserts after which it is dropped, those counted so far, and whether it was dropped.
    std::string m_deferred_index_sql;
    std::int64_t m_defer_after = 0;
    std::int64_t m_inserted_count = 0;
    bool m_index_dropped = false;
    Statement m_mark_subject;
    Statement m_insert_batch;
    Statement m_finish_batch;
    Statement m_find_batch;
    Statement m_revert_records;
    Statement m_revert_batch;
    Statement m_find_subject;
    Statement m_insert_subject;
    Statement m_update_subject;
    Statement m_insert_record;
    Statement m_find_record;
    Statement m_update_record;
    Statement m_mark_seen;
    Statement m_other_source;
    Statement m_withdraw_evidence;
};

}  // namespace rbl::store
