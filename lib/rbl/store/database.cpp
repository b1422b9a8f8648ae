#include "rbl/store/database.hpp"

#include <fmt/format.h>

#include <utility>

#include "rbl/store/entry_store.hpp"
#include "rbl/store/schema.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::store {

std::unique_ptr<detail::CopySink> detail::Connection::copy_in(std::string_view /*sql*/) {
    throw FailedError(tr("internal error: a bulk load (COPY) is PostgreSQL's only"));
}

// ---------------------------------------------------------------------------------------------
// CopyIn

namespace {
constexpr std::size_t k_copy_block = 1 << 20;  // bytes sent to the server at a time
}

CopyIn::CopyIn(Database& db, std::string_view sql) : m_sink(db.connection().copy_in(sql)) {
    m_buffer.reserve(k_copy_block + 4096);
}

CopyIn::~CopyIn() {
    if (!m_finished) {
        m_sink->abort();
    }
}

void CopyIn::separate() {
    if (m_row_started) {
        m_buffer += '\t';
    }
    m_row_started = true;
}

// COPY's text format: backslash, tab, line feed and carriage return escaped; \N is NULL.
CopyIn& CopyIn::text(std::string_view value) {
    separate();
    for (const char c : value) {
        switch (c) {
            case '\\': m_buffer += "\\\\"; break;
            case '\t': m_buffer += "\\t"; break;
            case '\n': m_buffer += "\\n"; break;
            case '\r': m_buffer += "\\r"; break;
            default: m_buffer += c;
        }
    }
    return *this;
}

CopyIn& CopyIn::text(const std::optional<std::string>& value) {
    return value ? text(std::string_view(*value)) : null();
}

CopyIn& CopyIn::text(std::optional<std::string_view> value) { return value ? text(*value) : null(); }

CopyIn& CopyIn::integer(std::int64_t value) {
    separate();
    m_buffer += std::to_string(value);
    return *this;
}

CopyIn& CopyIn::integer(const std::optional<std::int64_t>& value) {
    return value ? integer(*value) : null();
}

CopyIn& CopyIn::boolean(bool value) {
    separate();
    m_buffer += value ? 't' : 'f';
    return *this;
}

// bytea's text form \x..., its backslash escaped for COPY.
CopyIn& CopyIn::blob(const void* data, std::size_t size) {
    static constexpr char k_digits[] = "0123456789abcdef";
    separate();
    m_buffer += "\\\\x";
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        m_buffer += k_digits[bytes[i] >> 4];
        m_buffer += k_digits[bytes[i] & 0x0F];
    }
    return *this;
}

CopyIn& CopyIn::null() {
    separate();
    m_buffer += "\\N";
    return *this;
}

void CopyIn::end_row() {
    m_buffer += '\n';
    m_row_started = false;
    flush_if_full();
}

void CopyIn::flush_if_full() {
    if (m_buffer.size() >= k_copy_block) {
        m_sink->write(m_buffer);
        m_buffer.clear();
    }
}

void CopyIn::finish() {
    if (!m_buffer.empty()) {
        m_sink->write(m_buffer);
        m_buffer.clear();
    }
    m_finished = true;  // a failed end needs no abort: the server has ended the COPY
    m_sink->finish();
}

// ---------------------------------------------------------------------------------------------

bool is_postgresql_uri(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Database& db, std::string_view sql, detail::Fetch fetch)
    : m_cursor(db.connection().prepare(sql, fetch)) {}

Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;
Statement& Statement::operator=(Statement&& other) noexcept = default;

detail::Cursor& Statement::cursor() const {
    if (!m_cursor) {
        throw FailedError(
            tr("internal error: use of a database statement that was never prepared"));
    }
    return *m_cursor;
}

Statement& Statement::bind(int index, std::int64_t value) {
    cursor().bind_int64(index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    cursor().bind_double(index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    cursor().bind_text(index, value);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind(int index, std::optional<std::string_view> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    cursor().bind_null(index);
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    cursor().bind_blob(index, data == nullptr ? std::string_view()
                                              : std::string_view(static_cast<const char*>(data), size));
    return *this;
}

bool Statement::step() { return cursor().step(); }

void Statement::run() {
    step();
    reset();
}

std::int64_t Statement::single_integer() {
    if (!step()) {
        reset();
        throw FailedError(tr("internal error: a statement of one integer gave no row"));
    }
    const std::int64_t id = column_int64(0);
    reset();
    return id;
}

void Statement::reset() {
    if (m_cursor) {
        m_cursor->reset();
    }
}

bool Statement::is_null(int column) const { return cursor().is_null(column); }

std::int64_t Statement::column_int64(int column) const { return cursor().column_int64(column); }

double Statement::column_double(int column) const { return cursor().column_double(column); }

std::string_view Statement::column_text(int column) const { return cursor().column_text(column); }

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return std::string(column_text(column));
}

std::string_view Statement::column_blob(int column) const { return cursor().column_blob(column); }

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(const OpenOptions& options)
    : m_path(options.path),
      m_dialect(is_postgresql_uri(options.path.native()) ? Dialect::postgresql : Dialect::sqlite),
      m_wait_seconds(options.wait_seconds) {
    m_connection = m_dialect == Dialect::postgresql ? detail::open_postgresql(options)
                                                    : detail::open_sqlite(options);
    migrate(options);
}

Database::~Database() = default;

// Brings the schema to the version this build knows, in one writer transaction, or refuses a
// database this build cannot read.
void Database::migrate(const OpenOptions& options) {
    const std::string& name = m_connection->name();
    const int found = schema_version();
    const int known = current_schema_version();
    const auto newer = [&](int version) {
        return FailedError(
            trf("{} has schema version {}, newer than this rbl understands ({}): upgrade rbl", name,
                version, known));
    };
    if (found > known) {
        throw newer(found);
    }
    if (found == known || (options.read_only && found >= oldest_readable_version())) {
        return;
    }
    if (found == 0 && m_dialect == Dialect::postgresql && !options.create) {
        throw UsageError(
            trf("the rbl schema does not exist in database {} (rbl-import creates it)", name));
    }
    if (options.read_only) {
        throw FailedError(trf(
            "{} has schema version {}, older than this rbl ({}): run rbl-import once to upgrade it",
            name, found, known));
    }
    Transaction migration(*this, Transaction::Mode::immediate);
    // Another process may have migrated while this one waited for the write lock.
    const int now = schema_version();
    if (now > known) {
        throw newer(now);
    }
    const auto steps = migrations(m_dialect);
    for (int version = now; version < known; ++version) {
        const std::string_view step = steps[static_cast<std::size_t>(version)];
        if (!step.empty()) {
            exec(step);
        }
        if (version + 1 == k_explanation_data_version) {
            convert_explanations(*this);
        }
    }
    m_connection->set_schema_version(known);
    migration.commit();
}

void Database::exec(std::string_view sql) { m_connection->exec(sql); }

int Database::changes() const { return m_connection->changes(); }

bool Database::in_transaction() const { return m_connection->in_transaction(); }

int Database::schema_version() { return m_connection->schema_version(); }

// ---------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Database& db, Mode mode) : m_db(db) {
    m_db.connection().begin(mode == Mode::immediate);
}

Transaction::~Transaction() {
    if (m_open) {
        m_db.connection().rollback();
    }
}

void Transaction::commit() {
    m_db.connection().commit();
    m_open = false;
}

int current_schema_version() { return static_cast<int>(migrations(Dialect::sqlite).size()); }

}  // namespace rbl::store
