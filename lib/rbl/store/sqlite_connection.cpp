// The SQLite engine behind Database: a file, WAL, one writer at a time by SQLite's write lock.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "rbl/store/connection.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::store::detail {

namespace {

// Text that SQLite may read for a bound value. An empty view may have a null data pointer, and
// SQLite binds a null pointer as NULL, not as "": point at a static empty string instead.
const char* non_null(std::string_view text) { return text.data() != nullptr ? text.data() : ""; }

// Creates the database file with mode 0600 before SQLite opens it, so that neither the umask nor
// SQLite's default (0644) decides who can read credit records. SQLite gives the -wal and -shm
// files the database file's mode.
void create_private_file(const std::filesystem::path& path) {
    std::filesystem::path folder = path.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        throw UsageError(trf("cannot create database {}: folder {} does not exist", path.string(),
                             folder.string()));
    }
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return;  // another process created it in the meantime: open that one
        }
        throw FailedError(
            trf("cannot create database {}: {}", path.string(), std::strerror(errno)));
    }
    // The umask may have removed bits from 0600 (e.g. 0277 -> 0400): set the mode exactly.
    const int chmod_result = ::fchmod(fd, 0600);
    const int chmod_errno = errno;
    ::close(fd);
    if (chmod_result != 0) {
        throw FailedError(
            trf("cannot create database {}: {}", path.string(), std::strerror(chmod_errno)));
    }
}

/// Throws the error family member for SQLite result `code` (extended codes too): BUSY/LOCKED ->
/// BusyError mentioning --wait; FULL -> "disk full"; NOTADB -> "not an rbl database"; others
/// FailedError. The message is "what: explanation", or the explanation alone when `what` is empty.
[[noreturn]] void raise(sqlite3* db, const std::string& name, int wait_seconds, int code,
                        std::string_view what) {
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    const auto with_context = [&](const std::string& text) {
        return what.empty() ? text : trf("{}: {}", what, text);
    };
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError(with_context(
                trf("database {} is busy: another rbl tool has been writing for more than {} s "
                    "(raise --wait or try later)",
                    name, wait_seconds)));
        case SQLITE_FULL:
            throw FailedError(with_context(trf("cannot write database {}: disk full", name)));
        case SQLITE_NOTADB:
            throw FailedError(
                with_context(trf("{} is not an rbl database (not an SQLite file)", name)));
        case SQLITE_CORRUPT:
            throw FailedError(with_context(
                trf("database {} is damaged (SQLite says: {}); restore it from a backup", name,
                    detail)));
        case SQLITE_READONLY:
            throw FailedError(with_context(trf("database {} is read-only", name)));
        case SQLITE_CONSTRAINT:
            throw FailedError(what.empty() ? trf("database {} refused the change: {}", name, detail)
                                           : trf("{}: {}", what, detail));
        case SQLITE_IOERR:
            throw FailedError(
                with_context(trf("input/output error on database {}: {}", name, detail)));
        case SQLITE_CANTOPEN:
            throw FailedError(with_context(trf("cannot open database {}: {}", name, detail)));
        case SQLITE_NOMEM:
            throw FailedError(with_context(tr("out of memory")));
        case SQLITE_PERM:
        case SQLITE_AUTH:
            throw FailedError(
                with_context(trf("no permission to use database {}: {}", name, detail)));
        default:
            throw FailedError(with_context(trf("database {}: {}", name, detail)));
    }
}

class SqliteConnection;

class SqliteCursor final : public Cursor {
public:
    SqliteCursor(SqliteConnection& connection, std::string_view sql);
    ~SqliteCursor() override { sqlite3_finalize(m_stmt); }
    SqliteCursor(const SqliteCursor&) = delete;
    SqliteCursor& operator=(const SqliteCursor&) = delete;

    void bind_int64(int index, std::int64_t value) override {
        check_bind(sqlite3_bind_int64(m_stmt, index, value), index);
    }
    void bind_double(int index, double value) override {
        check_bind(sqlite3_bind_double(m_stmt, index, value), index);
    }
    void bind_text(int index, std::string_view value) override {
        // SQLITE_STATIC: no copy; the caller keeps the text alive until step and reset.
        check_bind(sqlite3_bind_text64(m_stmt, index, non_null(value), value.size(),
                                       SQLITE_STATIC, SQLITE_UTF8),
                   index);
    }
    void bind_null(int index) override { check_bind(sqlite3_bind_null(m_stmt, index), index); }
    void bind_blob(int index, std::string_view bytes) override {
        // A null pointer would bind NULL; an empty blob is a zero-length blob.
        check_bind(bytes.empty() ? sqlite3_bind_zeroblob(m_stmt, index, 0)
                                 : sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(),
                                                       SQLITE_STATIC),
                   index);
    }
    bool step() override;
    void reset() override {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    [[nodiscard]] bool is_null(int column) const override {
        return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
    }
    [[nodiscard]] std::int64_t column_int64(int column) const override {
        return sqlite3_column_int64(m_stmt, column);
    }
    [[nodiscard]] double column_double(int column) const override {
        return sqlite3_column_double(m_stmt, column);
    }
    [[nodiscard]] std::string_view column_text(int column) const override {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        if (text == nullptr) {
            return {};
        }
        return {text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
    }
    [[nodiscard]] std::string_view column_blob(int column) const override {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
        if (data == nullptr) {
            return {};
        }
        return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
    }

private:
    void check_bind(int rc, int index) const;

    SqliteConnection& m_connection;
    sqlite3_stmt* m_stmt = nullptr;
};

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const OpenOptions& options);
    ~SqliteConnection() override { sqlite3_close_v2(m_db); }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }
    [[nodiscard]] const std::string& name() const override { return m_name; }
    std::unique_ptr<Cursor> prepare(std::string_view sql, Fetch /*fetch*/) override {
        return std::make_unique<SqliteCursor>(*this, sql);
    }
    void exec(std::string_view sql) override {
        const std::string text(sql);  // sqlite3_exec needs a terminating NUL
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
        sqlite3_free(message);  // the same text is still available from sqlite3_errmsg
        if (rc != SQLITE_OK) {
            raise(rc, "");
        }
    }
    [[nodiscard]] int changes() const override { return sqlite3_changes(m_db); }
    [[nodiscard]] bool in_transaction() const override { return sqlite3_get_autocommit(m_db) == 0; }
    void begin(bool writer) override { exec(writer ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override {
        // SQLite may already have rolled back by itself (after SQLITE_FULL, for instance).
        if (in_transaction()) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    [[nodiscard]] int schema_version() override {
        SqliteCursor statement(*this, "PRAGMA user_version");
        return statement.step() ? static_cast<int>(statement.column_int64(0)) : 0;
    }
    void set_schema_version(int version) override {
        // user_version cannot be a bound parameter; the number is ours, not input.
        exec(fmt::format("PRAGMA user_version={}", version));
    }

    [[nodiscard]] sqlite3* handle() const { return m_db; }
    [[noreturn]] void raise(int code, std::string_view what) const {
        detail::raise(m_db, m_name, m_wait_seconds, code, what);
    }

private:
    sqlite3* m_db = nullptr;
    std::string m_name;
    int m_wait_seconds;
};

SqliteCursor::SqliteCursor(SqliteConnection& connection, std::string_view sql)
    : m_connection(connection) {
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &m_stmt, &tail);
    if (rc != SQLITE_OK) {
        connection.raise(rc, tr("internal error: cannot prepare a database statement"));
    }
    if (m_stmt == nullptr) {
        throw FailedError(tr("internal error: empty SQL statement"));
    }
    const char* end = sql.data() + sql.size();
    for (const char* p = tail; p != nullptr && p < end; ++p) {
        if (std::isspace(static_cast<unsigned char>(*p)) == 0 && *p != ';') {
            sqlite3_finalize(m_stmt);
            m_stmt = nullptr;
            throw FailedError(tr("internal error: more than one SQL statement given to prepare()"));
        }
    }
}

void SqliteCursor::check_bind(int rc, int index) const {
    if (rc != SQLITE_OK) {
        m_connection.raise(rc, trf("internal error: cannot bind parameter {}", index));
    }
}

bool SqliteCursor::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Build the message while the connection still holds this error's text, then reset so the
    // statement can be used again (the bindings stay for a retry).
    try {
        m_connection.raise(rc, "");
    } catch (...) {
        sqlite3_reset(m_stmt);
        throw;
    }
}

SqliteConnection::SqliteConnection(const OpenOptions& options)
    : m_name(options.path.string()), m_wait_seconds(options.wait_seconds) {
    std::error_code ec;
    const auto status = std::filesystem::status(options.path, ec);
    if (std::filesystem::is_directory(status)) {
        throw UsageError(trf("database {} is a folder, not a database file", m_name));
    }
    if (!std::filesystem::exists(status)) {
        if (!options.create || options.read_only) {
            throw UsageError(trf("database {} does not exist (rbl-import creates it)", m_name));
        }
        create_private_file(options.path);
    }

    // Never SQLITE_OPEN_CREATE: the file exists by now, created above with mode 0600.
    // SQLITE_OPEN_NOMUTEX: a connection is used by one thread at a time (a run's workers and the
    // import's reading thread hold none; the thread that opened it uses it), so SQLite need not
    // lock it at every call.
    const int flags =
        (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(m_name.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message =
            m_db != nullptr ? sqlite3_errmsg(m_db) : std::string(sqlite3_errstr(rc));
        sqlite3_close_v2(m_db);
        throw FailedError(trf("cannot open database {}: {}", m_name, message));
    }

    // The destructor does not run when the constructor throws: close the connection here.
    try {
        sqlite3_extended_result_codes(m_db, 1);
        if (!options.read_only && sqlite3_db_readonly(m_db, "main") == 1) {
            throw FailedError(
                trf("database {} is read-only (no write permission on the file)", m_name));
        }
        // Before anything touches the file, so that even the first read waits for a writer.
        sqlite3_busy_timeout(m_db, options.wait_milliseconds ? *options.wait_milliseconds
                                   : options.wait_seconds > 0 ? options.wait_seconds * 1000
                                                              : 0);
        if (!options.read_only) {
            // The first statement that reads the file: a non-SQLite file fails here (NOTADB).
            exec("PRAGMA journal_mode=WAL");
        }
        exec("PRAGMA foreign_keys=ON");
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA cache_size=-65536");  // 64 MiB (halved for a while by RecordStore)
        if (options.map_for_reading) {
            exec("PRAGMA mmap_size=268435456");  // 256 MiB
        }
    } catch (...) {
        sqlite3_close_v2(m_db);
        throw;
    }
}

}  // namespace

std::unique_ptr<Connection> open_sqlite(const OpenOptions& options) {
    return std::make_unique<SqliteConnection>(options);
}

}  // namespace rbl::store::detail
