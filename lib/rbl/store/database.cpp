#include "rbl/store/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "rbl/store/schema.hpp"
#include "rbl/util/error.hpp"

namespace rbl::store {

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
        throw UsageError(fmt::format("cannot create database {}: folder {} does not exist",
                                     path.string(), folder.string()));
    }
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return;  // another process created it in the meantime: open that one
        }
        throw FailedError(
            fmt::format("cannot create database {}: {}", path.string(), std::strerror(errno)));
    }
    // The umask may have removed bits from 0600 (e.g. 0277 -> 0400): set the mode exactly.
    const int chmod_result = ::fchmod(fd, 0600);
    const int chmod_errno = errno;
    ::close(fd);
    if (chmod_result != 0) {
        throw FailedError(
            fmt::format("cannot create database {}: {}", path.string(), std::strerror(chmod_errno)));
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Database& db, std::string_view sql) : m_db(&db) {
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &m_stmt, &tail);
    if (rc != SQLITE_OK) {
        db.raise(rc, "internal error: cannot prepare a database statement");
    }
    if (m_stmt == nullptr) {
        throw FailedError("internal error: empty SQL statement");
    }
    const char* end = sql.data() + sql.size();
    for (const char* p = tail; p != nullptr && p < end; ++p) {
        if (std::isspace(static_cast<unsigned char>(*p)) == 0 && *p != ';') {
            sqlite3_finalize(m_stmt);
            m_stmt = nullptr;
            throw FailedError("internal error: more than one SQL statement given to prepare()");
        }
    }
}

Statement::~Statement() {
    if (m_stmt != nullptr) {
        sqlite3_finalize(m_stmt);
    }
}

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt != nullptr) {
            sqlite3_finalize(m_stmt);
        }
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

namespace {

[[noreturn]] void not_prepared() {
    throw FailedError("internal error: use of a database statement that was never prepared");
}

}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
    if (m_stmt == nullptr) {
        not_prepared();
    }
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK) {
        m_db->raise(rc, fmt::format("internal error: cannot bind parameter {}", index));
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (m_stmt == nullptr) {
        not_prepared();
    }
    const int rc = sqlite3_bind_double(m_stmt, index, value);
    if (rc != SQLITE_OK) {
        m_db->raise(rc, fmt::format("internal error: cannot bind parameter {}", index));
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (m_stmt == nullptr) {
        not_prepared();
    }
    // SQLITE_STATIC: no copy; the caller keeps the text alive until the statement is stepped
    // and reset (see the header).
    const int rc = sqlite3_bind_text64(m_stmt, index, non_null(value), value.size(),
                                       SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK) {
        m_db->raise(rc, fmt::format("internal error: cannot bind parameter {}", index));
    }
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    if (value) {
        return bind(index, std::string_view(*value));
    }
    return bind_null(index);
}

Statement& Statement::bind(int index, std::optional<std::string_view> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    if (value) {
        return bind(index, *value);
    }
    return bind_null(index);
}

Statement& Statement::bind_null(int index) {
    if (m_stmt == nullptr) {
        not_prepared();
    }
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK) {
        m_db->raise(rc, fmt::format("internal error: cannot bind parameter {}", index));
    }
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (m_stmt == nullptr) {
        not_prepared();
    }
    // A null pointer would bind NULL; an empty blob is a zero-length blob.
    const int rc = (data == nullptr || size == 0)
                       ? sqlite3_bind_zeroblob(m_stmt, index, 0)
                       : sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        m_db->raise(rc, fmt::format("internal error: cannot bind parameter {}", index));
    }
    return *this;
}

bool Statement::step() {
    if (m_stmt == nullptr) {
        not_prepared();
    }
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
        m_db->raise(rc, "");
    } catch (...) {
        sqlite3_reset(m_stmt);
        throw;
    }
}

void Statement::run() {
    step();
    reset();
}

void Statement::reset() {
    if (m_stmt != nullptr) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::column_double(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string_view Statement::column_text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (text == nullptr) {
        return {};
    }
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return std::string(column_text(column));
}

std::string_view Statement::column_blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    if (data == nullptr) {
        return {};
    }
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(const OpenOptions& options)
    : m_path(options.path), m_wait_seconds(options.wait_seconds) {
    const std::string name = m_path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(m_path, ec);
    if (std::filesystem::is_directory(status)) {
        throw UsageError(fmt::format("database {} is a folder, not a database file", name));
    }
    if (!std::filesystem::exists(status)) {
        if (!options.create || options.read_only) {
            throw UsageError(fmt::format("database {} does not exist (rbl-import creates it)", name));
        }
        create_private_file(m_path);
    }

    // Never SQLITE_OPEN_CREATE: the file exists by now, created above with mode 0600.
    const int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    const int rc = sqlite3_open_v2(name.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message =
            m_db != nullptr ? sqlite3_errmsg(m_db) : std::string(sqlite3_errstr(rc));
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw FailedError(fmt::format("cannot open database {}: {}", name, message));
    }

    // The destructor does not run when the constructor throws: close the connection here.
    try {
        sqlite3_extended_result_codes(m_db, 1);
        if (!options.read_only && sqlite3_db_readonly(m_db, "main") == 1) {
            throw FailedError(fmt::format(
                "database {} is read-only (no write permission on the file)", name));
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
        exec("PRAGMA cache_size=-65536");  // 64 MiB
        if (options.map_for_reading) {
            exec("PRAGMA mmap_size=268435456");  // 256 MiB
        }

        const int found = schema_version();
        const int known = current_schema_version();
        if (found > known) {
            throw FailedError(fmt::format(
                "{} has schema version {}, newer than this rbl understands ({}): upgrade rbl",
                name, found, known));
        }
        if (found < known && !(options.read_only && found >= oldest_readable_version())) {
            if (options.read_only) {
                throw FailedError(fmt::format(
                    "{} has schema version {}, older than this rbl ({}): run rbl-import once to "
                    "upgrade it",
                    name, found, known));
            }
            Transaction migration(*this, Transaction::Mode::immediate);
            // Another process may have migrated while this one waited for the write lock.
            const int now = schema_version();
            if (now > known) {
                throw FailedError(fmt::format(
                    "{} has schema version {}, newer than this rbl understands ({}): upgrade rbl",
                    name, now, known));
            }
            const auto steps = migrations();
            for (int version = now; version < known; ++version) {
                exec(steps[static_cast<std::size_t>(version)]);
            }
            // user_version cannot be a bound parameter; the number is ours, not input.
            exec(fmt::format("PRAGMA user_version={}", known));
            migration.commit();
        }
    } catch (...) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw;
    }
}

Database::~Database() {
    if (m_db != nullptr) {
        // close_v2: statements still alive keep the connection until they are finalized.
        sqlite3_close_v2(m_db);
    }
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec needs a terminating NUL
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);  // the same text is still available from sqlite3_errmsg
    if (rc != SQLITE_OK) {
        raise(rc, "");
    }
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(m_db) == 0; }

int Database::schema_version() {
    Statement statement(*this, "PRAGMA user_version");
    if (!statement.step()) {
        return 0;
    }
    return static_cast<int>(statement.column_int64(0));
}

void Database::raise(int code, std::string_view what) const {
    const std::string name = m_path.string();
    const std::string detail = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
    // Every message starts with `what` when the caller gave one.
    const auto with_context = [&](const std::string& text) {
        return what.empty() ? text : fmt::format("{}: {}", what, text);
    };
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError(with_context(fmt::format(
                "database {} is busy: another rbl tool has been writing for more than {} s "
                "(raise --wait or try later)",
                name, m_wait_seconds)));
        case SQLITE_FULL:
            throw FailedError(
                with_context(fmt::format("cannot write database {}: disk full", name)));
        case SQLITE_NOTADB:
            throw FailedError(
                with_context(fmt::format("{} is not an rbl database (not an SQLite file)", name)));
        case SQLITE_CORRUPT:
            throw FailedError(with_context(fmt::format(
                "database {} is damaged (SQLite says: {}); restore it from a backup", name,
                detail)));
        case SQLITE_READONLY:
            throw FailedError(with_context(fmt::format("database {} is read-only", name)));
        case SQLITE_CONSTRAINT:
            throw FailedError(what.empty() ? fmt::format("database {} refused the change: {}",
                                                         name, detail)
                                           : fmt::format("{}: {}", what, detail));
        case SQLITE_IOERR:
            throw FailedError(
                with_context(fmt::format("input/output error on database {}: {}", name, detail)));
        case SQLITE_CANTOPEN:
            throw FailedError(
                with_context(fmt::format("cannot open database {}: {}", name, detail)));
        case SQLITE_NOMEM:
            throw FailedError(with_context("out of memory"));
        case SQLITE_PERM:
        case SQLITE_AUTH:
            throw FailedError(
                with_context(fmt::format("no permission to use database {}: {}", name, detail)));
        default:
            throw FailedError(with_context(fmt::format("database {}: {}", name, detail)));
    }
}

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Database& db, Mode mode) : m_db(db) {
    m_db.exec(mode == Mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    // SQLite may already have rolled back by itself (after SQLITE_FULL, for instance).
    if (m_open && sqlite3_get_autocommit(m_db.handle()) == 0) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

int current_schema_version() { return static_cast<int>(migrations().size()); }

}  // namespace rbl::store
