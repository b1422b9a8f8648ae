#pragma once
// Inside store/ only: what a database engine must provide behind Database, Statement and
// Transaction. Two engines implement it: SQLite (sqlite_connection.cpp, the default, a file) and
// PostgreSQL (pg_connection.cpp, a postgresql:// URI). Their errors leave as the error family of
// util/error.hpp, with the same messages for the same situations.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rbl::store {

enum class Dialect;
struct OpenOptions;

namespace detail {

/// How a prepared statement delivers its rows.
enum class Fetch {
    all,     ///< as the engine likes (PostgreSQL: the whole result at once, one round trip)
    stream,  ///< in bounded batches, never the whole result in memory (PostgreSQL: a cursor)
};

/// One prepared statement of a connection. Parameters are numbered from 1, columns from 0.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bind_int64(int index, std::int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    /// The text must stay alive until the statement has been stepped and reset.
    virtual void bind_text(int index, std::string_view value) = 0;
    virtual void bind_null(int index) = 0;
    virtual void bind_blob(int index, std::string_view bytes) = 0;
    /// Executes (on the first call after a reset) and moves to the next row: false when done.
    virtual bool step() = 0;
    /// Ready for the next execution, with no bindings.
    virtual void reset() = 0;
    [[nodiscard]] virtual bool is_null(int column) const = 0;
    [[nodiscard]] virtual std::int64_t column_int64(int column) const = 0;
    [[nodiscard]] virtual double column_double(int column) const = 0;
    [[nodiscard]] virtual std::string_view column_text(int column) const = 0;
    [[nodiscard]] virtual std::string_view column_blob(int column) const = 0;
};

/// A bulk load in progress (PostgreSQL's COPY ... FROM STDIN): rows in COPY's text format.
class CopySink {
public:
    virtual ~CopySink() = default;
    /// Sends a block of rows (whole lines or not: the server joins the blocks).
    virtual void write(std::string_view data) = 0;
    /// Ends the load; throws the server's error (a refused row) as the error family does.
    virtual void finish() = 0;
    /// Abandons the load (the statement fails, the transaction must roll back); never throws.
    virtual void abort() noexcept = 0;
};

/// One open connection.
class Connection {
public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    /// The database as people name it in messages: the file, or the URI without a password.
    [[nodiscard]] virtual const std::string& name() const = 0;
    [[nodiscard]] virtual std::unique_ptr<Cursor> prepare(std::string_view sql, Fetch fetch) = 0;
    /// Runs constant SQL text, possibly several statements, with no parameters.
    virtual void exec(std::string_view sql) = 0;
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] virtual int changes() const = 0;
    [[nodiscard]] virtual bool in_transaction() const = 0;
    /// Opens a transaction: a reader's snapshot, or the one writer's (waiting up to the
    /// connection's --wait for another writer to finish, then BusyError).
    virtual void begin(bool writer) = 0;
    virtual void commit() = 0;
    /// Rolls back an open transaction; never throws.
    virtual void rollback() noexcept = 0;
    /// The schema version stored in the database (0 for an empty one).
    [[nodiscard]] virtual int schema_version() = 0;
    /// Records `version` inside the open writer transaction.
    virtual void set_schema_version(int version) = 0;
    /// Starts `COPY table (columns) FROM STDIN` (constant SQL text). PostgreSQL only: the
    /// default refuses (SQLite has no such bulk path and needs none).
    virtual std::unique_ptr<CopySink> copy_in(std::string_view sql);
};

/// Opens the engine `options.path` names.
std::unique_ptr<Connection> open_sqlite(const OpenOptions& options);
std::unique_ptr<Connection> open_postgresql(const OpenOptions& options);

}  // namespace detail
}  // namespace rbl::store
