#pragma once
// The database connection, prepared statements and transactions, as RAII objects, on either
// store (SPEC.md §12): an SQLite file (the default) or a PostgreSQL database named by a
// postgresql:// URI. The engines' errors become the error family of util/error.hpp with plain
// messages: a busy writer -> BusyError, "file is not a database" -> FailedError("X is not an rbl
// database"), and so on.
//
// SQL is written once for both where the two agree (parameters as ?N, INSERT ... ON CONFLICT,
// RETURNING); where they do not (JSON arrays, string aggregation, table options), a statement has
// one constant text per dialect, picked with Database::dialect().

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/store/connection.hpp"

namespace rbl::store {

class Database;

/// The SQL a connection speaks.
enum class Dialect { sqlite, postgresql };

/// True when `location` names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgresql_uri(std::string_view location);

/// A prepared statement, reset and cleared for reuse after each execution. Parameters are
/// numbered from 1, columns from 0, as in SQLite.
class Statement {
public:
    Statement() = default;
    /// Prepares `sql`. With Fetch::stream the rows come in bounded batches (a long read of
    /// records, entries or the audit log), never the whole result in memory.
    Statement(Database& db, std::string_view sql, detail::Fetch fetch = detail::Fetch::all);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    /// Binds text without copying it (SQLITE_STATIC): the viewed text must stay alive until the
    /// statement has been stepped and reset.
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    /// Binds NULL when the optional is empty, else its text (not copied, as above).
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    /// Binds NULL when empty; the viewed text must outlive the execution.
    Statement& bind(int index, std::optional<std::string_view> value);
    Statement& bind_null(int index);
    Statement& bind_blob(int index, const void* data, std::size_t size);

    /// Executes one step: true when a row is available, false when done. Throws on error.
    bool step();
    /// Runs a statement that returns no rows (or ignores them), then resets it.
    void run();
    /// Resets the statement and clears its bindings, ready for the next use.
    void reset();
    /// Runs a statement whose one row is one integer (an INSERT ... RETURNING id, a count, the
    /// next id), resets, and returns it; FailedError when it gives no row.
    std::int64_t single_integer();

    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t column_int64(int column) const;
    [[nodiscard]] double column_double(int column) const;
    /// The column as text ("" for NULL); valid until the next step or reset.
    [[nodiscard]] std::string_view column_text(int column) const;
    [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;
    /// The column as bytes; valid until the next step or reset.
    [[nodiscard]] std::string_view column_blob(int column) const;

private:
    detail::Cursor& cursor() const;
    std::unique_ptr<detail::Cursor> m_cursor;
};

/// A bulk load into a table: PostgreSQL's `COPY ... FROM STDIN` in its text format, fed field
/// by field and sent in blocks of about 1 MiB. Only on PostgreSQL (Database::dialect()); the SQL
/// is constant text naming the table and its columns. Abandoned (the statement fails, so the
/// transaction must roll back) unless finish() was called.
class CopyIn {
public:
    CopyIn(Database& db, std::string_view sql);
    ~CopyIn();
    CopyIn(const CopyIn&) = delete;
    CopyIn& operator=(const CopyIn&) = delete;

    CopyIn& text(std::string_view value);
    CopyIn& text(const std::string& value) { return text(std::string_view(value)); }
    CopyIn& text(const std::optional<std::string>& value);
    CopyIn& text(std::optional<std::string_view> value);
    CopyIn& integer(std::int64_t value);
    CopyIn& integer(const std::optional<std::int64_t>& value);
    CopyIn& boolean(bool value);
    CopyIn& blob(const void* data, std::size_t size);
    CopyIn& null();
    /// Ends the current row.
    void end_row();
    /// Sends what is left and ends the load; throws the server's error.
    void finish();

private:
    void separate();
    void flush_if_full();

    std::unique_ptr<detail::CopySink> m_sink;
    std::string m_buffer;
    bool m_row_started = false;
    bool m_finished = false;
};

/// How to open a database.
struct OpenOptions {
    /// The SQLite file, or a postgresql:// URI (libpq's syntax; the password from ~/.pgpass).
    std::filesystem::path path;
    bool create = false;        ///< create the file (mode 0600) or the schema when missing
    bool read_only = false;     ///< open read-only (readers never take the write lock)
    int wait_seconds = 30;      ///< busy timeout for writers (--wait)
    /// When set, the busy timeout in milliseconds instead of `wait_seconds`: for a write that
    /// must not keep its caller waiting (the lookup log of rbl-check).
    std::optional<int> wait_milliseconds = std::nullopt;
    /// Read through a memory map of up to 256 MiB of the file (for tools that read most of a
    /// large database: fewer copies; the mapped pages count in the process's RSS but are the
    /// kernel's page cache, shared and reclaimable).
    bool map_for_reading = false;
};

/// An open connection, migrated to the current schema.
class Database {
public:
    /// Opens (and with `create`, creates) the database and migrates the schema forward. SQLite:
    /// WAL, foreign keys, the busy timeout, synchronous=NORMAL. Throws UsageError when the file
    /// (or, on PostgreSQL, rbl's schema) does not exist and `create` is off; FailedError when it
    /// cannot be created or opened, is not an rbl database, or has a newer schema version than
    /// this build knows.
    explicit Database(const OpenOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs SQL text with no parameters (schema, pragmas). Only for constant SQL.
    void exec(std::string_view sql);
    /// Prepares a statement for this connection.
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    /// The text of the dialect this connection speaks.
    [[nodiscard]] std::string_view sql(std::string_view sqlite, std::string_view postgresql) const {
        return m_dialect == Dialect::sqlite ? sqlite : postgresql;
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] int changes() const;
    [[nodiscard]] int schema_version();
    [[nodiscard]] Dialect dialect() const { return m_dialect; }
    /// The SQLite file, or the PostgreSQL URI.
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] int wait_seconds() const { return m_wait_seconds; }
    /// True inside an open transaction.
    [[nodiscard]] bool in_transaction() const;

private:
    // The connection itself stays inside store/: Statement and Transaction reach it, nothing else.
    friend class Statement;
    friend class Transaction;
    friend class CopyIn;
    [[nodiscard]] detail::Connection& connection() const { return *m_connection; }
    void migrate(const OpenOptions& options);

    std::unique_ptr<detail::Connection> m_connection;
    std::filesystem::path m_path;
    Dialect m_dialect;
    int m_wait_seconds = 30;
};

/// A transaction that rolls back unless commit() was called. Destructors never throw.
class Transaction {
public:
    enum class Mode {
        deferred,   ///< starts as a reader: a consistent snapshot for long reads
        immediate,  ///< takes the write lock now (waits up to --wait, then BusyError)
    };
    Transaction(Database& db, Mode mode);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    /// Commits; throws (and the destructor then rolls back) on failure.
    void commit();

private:
    Database& m_db;
    bool m_open = true;
};

/// The schema version this build creates and understands.
int current_schema_version();

}  // namespace rbl::store
