#pragma once
// The SQLite connection, prepared statements and transactions, as RAII objects. SQLite's result
// codes become the error family of util/error.hpp with plain messages: SQLITE_BUSY -> BusyError,
// "file is not a database" -> FailedError("X is not an rbl database"), and so on.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rbl::store {

class Database;

/// A prepared statement, reset and cleared for reuse after each execution. Parameters are
/// numbered from 1, columns from 0, as in SQLite.
class Statement {
public:
    Statement() = default;
    Statement(Database& db, std::string_view sql);
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

    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t column_int64(int column) const;
    [[nodiscard]] double column_double(int column) const;
    /// The column as text ("" for NULL); valid until the next step or reset.
    [[nodiscard]] std::string_view column_text(int column) const;
    [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;
    /// The column as bytes; valid until the next step or reset.
    [[nodiscard]] std::string_view column_blob(int column) const;

private:
    Database* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

/// How to open a database.
struct OpenOptions {
    std::filesystem::path path;
    bool create = false;        ///< create the file (mode 0600) when it does not exist
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

/// An open SQLite connection, migrated to the current schema.
class Database {
public:
    /// Opens (and with `create`, creates) the database, sets WAL, foreign keys, the busy timeout
    /// and synchronous=NORMAL, and migrates the schema forward. Throws UsageError when the file
    /// does not exist and `create` is off; FailedError when it cannot be created or opened, is not
    /// an SQLite file, or has a newer schema version than this build knows.
    explicit Database(const OpenOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs SQL text with no parameters (schema, pragmas). Only for constant SQL.
    void exec(std::string_view sql);
    /// Prepares a statement for this connection.
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }

    [[nodiscard]] std::int64_t last_insert_rowid() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] int schema_version();
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] int wait_seconds() const { return m_wait_seconds; }
    /// True inside an open transaction (SQLite is not in autocommit mode).
    [[nodiscard]] bool in_transaction() const;

    /// Throws the error family member for SQLite result `code` (extended codes too) with `what`
    /// as context, e.g. raise(rc, "cannot insert record"): the message is "what: explanation",
    /// or the explanation alone when `what` is empty. SQLITE_BUSY/LOCKED -> BusyError mentioning
    /// --wait; SQLITE_FULL -> "disk full"; SQLITE_NOTADB -> "not an rbl database"; others
    /// FailedError.
    [[noreturn]] void raise(int code, std::string_view what) const;

private:
    // The connection itself stays inside store/: Statement and Transaction reach it, nothing else.
    friend class Statement;
    friend class Transaction;
    [[nodiscard]] sqlite3* handle() const { return m_db; }

    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
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
