// The PostgreSQL engine behind Database (SPEC.md §12), on libpq's C API.
//
// - Statements are written with SQLite's ?N parameters; each is translated once to $N and
//   prepared on the server at its first execution. Parameters go as text with no declared type,
//   so that the server types them from their context, as it types a literal.
// - Rows: a statement prepared with Fetch::all gets its whole result in one round trip (point
//   reads, small lists); one with Fetch::stream, inside a transaction, reads through a cursor in
//   batches of k_fetch_rows, so that a run over every record never holds more than a batch, and
//   other statements may run between two batches (SQLite's interleaving, which the stores use).
// - One writer at a time: a writer's transaction takes a transaction-level advisory lock,
//   trying again every 50 ms until --wait has passed, then fails with BusyError (exit 4) as on
//   SQLite. Readers take no lock: a REPEATABLE READ transaction is their snapshot.

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>
#include <vector>

#include "rbl/store/connection.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/libpq.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/hex.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::store::detail {

namespace {

// The advisory lock every rbl writer takes: one writer per database ("rbl" in ASCII).
constexpr std::string_view k_writer_lock = "SELECT pg_try_advisory_xact_lock(7496300)";
constexpr std::chrono::milliseconds k_lock_retry{50};
constexpr int k_fetch_rows = 2000;

// The URI without its password, for messages.
std::string printable(std::string_view uri) {
    const std::size_t scheme = uri.find("://");
    const std::size_t at = uri.find('@');
    if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) {
        return std::string(uri);
    }
    const std::size_t colon = uri.find(':', scheme + 3);
    if (colon == std::string_view::npos || colon > at) {
        return std::string(uri);
    }
    return fmt::format("{}{}", uri.substr(0, colon), uri.substr(at));
}

constexpr Oid k_text_type = 25;  // pg_type's oid of text

/// A statement in PostgreSQL's terms: its text with $N parameters, and a type for each: none
/// (0: the server types it from its context) for those used, text for those the statement skips
/// (SQLite binds unused numbers; the server cannot type a parameter it never sees).
struct Translated {
    std::string sql;
    std::vector<Oid> types;
};

// SQLite's ?N and ? parameters as $N, outside quoted text and comments.
Translated translate_parameters(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 0;
    int count = 0;
    std::vector<bool> used;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const std::size_t end = sql.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t end = sql.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            std::size_t j = i + 1;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') {
                ++j;
            }
            int number = ++next;
            if (j > i + 1) {
                std::from_chars(sql.data() + i + 1, sql.data() + j, number);
            }
            count = std::max(count, number);
            used.resize(static_cast<std::size_t>(count), false);
            used[static_cast<std::size_t>(number - 1)] = true;
            out += fmt::format("${}", number);
            i = j - 1;
        } else {
            out += c;
        }
    }
    Translated translated{std::move(out), {}};
    for (const bool seen : used) {
        translated.types.push_back(seen ? 0 : k_text_type);
    }
    return translated;
}

// bytea's text form: \x and two hex digits per byte.
std::string bytea_text(std::string_view bytes) { return "\\x" + util::to_hex(bytes); }

// The rows an INSERT, UPDATE or DELETE changed (0 for anything else).
int rows_changed(const PGresult* result) {
    const char* tuples = libpq().PQcmdTuples(const_cast<PGresult*>(result));
    return tuples != nullptr && *tuples != '\0' ? std::atoi(tuples) : 0;
}

// Whether a statement only reads (SELECT or WITH first): for the message of a denied right.
bool reads_only(std::string_view sql) {
    const std::size_t start = sql.find_first_not_of(" \n");
    const std::string_view text = start == std::string_view::npos ? "" : sql.substr(start);
    return text.starts_with("SELECT") || text.starts_with("WITH");
}

/// What a connection and its statements share: the statements may outlive the connection
/// object's use (a store destroyed after its Database), so they check it is still open.
struct Session {
    PGconn* conn = nullptr;
    std::string name;
    int wait_seconds = 30;
    int changes = 0;
    int statements = 0;    // names of prepared statements and cursors
    bool reading = false;  // the statement running only reads (for the message of a denial)

    /// Throws the error family member for a failed result (or a lost connection).
    [[noreturn]] void raise(const PGresult* result, std::string_view what) const;
    /// Throws unless `result` has one of the successful statuses; takes ownership.
    void check(PGresult* result, std::string_view what);
};

void Session::raise(const PGresult* result, std::string_view what) const {
    const char* state =
        result != nullptr ? libpq().PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    std::string detail =
        result != nullptr ? libpq().PQresultErrorMessage(result) : libpq().PQerrorMessage(conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) {
        detail.pop_back();
    }
    if (detail.starts_with("ERROR:  ")) {
        detail.erase(0, 8);
    }
    const auto with_context = [&](const std::string& text) {
        return what.empty() ? text : trf("{}: {}", what, text);
    };
    if (code == "55P03" || code == "40001" || code == "40P01") {
        throw BusyError(with_context(
            trf("database {} is busy: another rbl tool has been writing for more than {} s (raise "
                "--wait or try later)",
                name, wait_seconds)));
    }
    if (code == "42501") {
        // rbl's group roles (pg_schema.cpp): reading needs at least rbl_analyst, changing
        // anything rbl_office (a department's own lookups and feedback aside).
        const char* user = libpq().PQuser(conn);
        const std::string login = user != nullptr ? user : "LOGIN";
        if (reading) {
            throw UsageError(with_context(
                trf("the login {0} may not read database {1} ({2}): it needs the role "
                    "rbl_analyst (an administrator grants it: GRANT rbl_analyst TO {0})",
                    login, name, detail)));
        }
        throw UsageError(with_context(
            trf("the login {0} may not change database {1} ({2}): it needs the role rbl_office "
                "(an administrator grants it: GRANT rbl_office TO {0})",
                login, name, detail)));
    }
    if (code == "53100") {
        throw FailedError(with_context(trf("cannot write database {}: disk full", name)));
    }
    if (code == "25006") {
        throw FailedError(with_context(trf("database {} is read-only", name)));
    }
    if (code.starts_with("23")) {
        throw FailedError(what.empty() ? trf("database {} refused the change: {}", name, detail)
                                       : trf("{}: {}", what, detail));
    }
    if (libpq().PQstatus(conn) != CONNECTION_OK) {
        throw FailedError(
            with_context(trf("lost the connection to database {}: {}", name, detail)));
    }
    throw FailedError(with_context(trf("database {}: {}", name, detail)));
}

void Session::check(PGresult* result, std::string_view what) {
    const ExecStatusType status = libpq().PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        changes = rows_changed(result);
        libpq().PQclear(result);
        return;
    }
    try {
        raise(result, what);
    } catch (...) {
        libpq().PQclear(result);
        throw;
    }
}

struct ClearResult {
    void operator()(PGresult* result) const { libpq().PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ClearResult>;

class PgCursor final : public Cursor {
  public:
    PgCursor(std::shared_ptr<Session> session, std::string_view sql, Fetch fetch)
        : m_session(std::move(session)),
          m_statement(translate_parameters(sql)),
          m_parameter_count(static_cast<int>(m_statement.types.size())),
          m_fetch(fetch),
          m_values(m_statement.types.size()) {}
    ~PgCursor() override;
    PgCursor(const PgCursor&) = delete;
    PgCursor& operator=(const PgCursor&) = delete;

    void bind_int64(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
    void bind_double(int index, double value) override { slot(index) = fmt::format("{}", value); }
    void bind_text(int index, std::string_view value) override { slot(index) = std::string(value); }
    void bind_null(int index) override { slot(index).reset(); }
    void bind_blob(int index, std::string_view bytes) override { slot(index) = bytea_text(bytes); }
    bool step() override;
    void reset() override;
    [[nodiscard]] bool is_null(int column) const override {
        return libpq().PQgetisnull(m_result.get(), m_row, column) == 1;
    }
    [[nodiscard]] std::int64_t column_int64(int column) const override;
    [[nodiscard]] double column_double(int column) const override {
        return is_null(column) ? 0.0 : std::strtod(value(column), nullptr);
    }
    [[nodiscard]] std::string_view column_text(int column) const override {
        if (m_result == nullptr || is_null(column)) {
            return {};
        }
        return {value(column),
                static_cast<std::size_t>(libpq().PQgetlength(m_result.get(), m_row, column))};
    }
    [[nodiscard]] std::string_view column_blob(int column) const override;

  private:
    std::optional<std::string>& slot(int index);
    [[nodiscard]] const char* value(int column) const {
        return libpq().PQgetvalue(m_result.get(), m_row, column);
    }
    void prepare();
    void infer_types();
    void execute();
    void fetch_batch();
    [[nodiscard]] std::vector<const char*> parameter_pointers() const;

    std::shared_ptr<Session> m_session;
    Translated m_statement;
    int m_parameter_count;
    Fetch m_fetch;
    std::vector<std::optional<std::string>> m_values;
    std::string m_statement_name;  // prepared on first use
    std::vector<Oid> m_cursor_types;
    std::string m_cursor_name;  // an open cursor (Fetch::stream in a transaction)
    bool m_executed = false;
    bool m_cursor_done = false;
    ResultPtr m_result;
    int m_row = -1;
    mutable std::string m_blob;
};

PgCursor::~PgCursor() {
    if (m_session->conn == nullptr) {
        return;
    }
    if (!m_cursor_name.empty() && libpq().PQtransactionStatus(m_session->conn) == PQTRANS_INTRANS) {
        libpq().PQclear(
            libpq().PQexec(m_session->conn, fmt::format("CLOSE {}", m_cursor_name).c_str()));
    }
    if (!m_statement_name.empty() &&
        libpq().PQtransactionStatus(m_session->conn) != PQTRANS_INERROR) {
        libpq().PQclear(libpq().PQexec(m_session->conn,
                                       fmt::format("DEALLOCATE {}", m_statement_name).c_str()));
    }
}

std::optional<std::string>& PgCursor::slot(int index) {
    if (index < 1 || index > m_parameter_count) {
        throw FailedError(trf("internal error: cannot bind parameter {}", index));
    }
    return m_values[static_cast<std::size_t>(index - 1)];
}

std::vector<const char*> PgCursor::parameter_pointers() const {
    std::vector<const char*> pointers;
    pointers.reserve(m_values.size());
    for (const auto& value : m_values) {
        pointers.push_back(value ? value->c_str() : nullptr);
    }
    return pointers;
}

void PgCursor::prepare() {
    if (!m_statement_name.empty()) {
        return;
    }
    std::string name = fmt::format("rbl_s{}", ++m_session->statements);
    m_session->check(libpq().PQprepare(m_session->conn, name.c_str(), m_statement.sql.c_str(),
                                       m_parameter_count, m_statement.types.data()),
                     tr("internal error: cannot prepare a database statement"));
    m_statement_name = std::move(name);
}

// A cursor's query is typed once, without the prepared statement's inference across uses of a
// parameter (`?2 IS NULL OR kind = ?2`): it gets the types the server inferred when preparing.
void PgCursor::infer_types() {
    if (!m_cursor_types.empty() || m_parameter_count == 0) {
        return;
    }
    prepare();
    ResultPtr described(libpq().PQdescribePrepared(m_session->conn, m_statement_name.c_str()));
    if (libpq().PQresultStatus(described.get()) != PGRES_COMMAND_OK) {
        m_session->raise(described.get(), tr("internal error: cannot describe a statement"));
    }
    for (int i = 0; i < m_parameter_count; ++i) {
        m_cursor_types.push_back(libpq().PQparamtype(described.get(), i));
    }
}

void PgCursor::execute() {
    PGconn* conn = m_session->conn;
    m_session->reading = reads_only(m_statement.sql);
    const std::vector<const char*> values = parameter_pointers();
    if (m_fetch == Fetch::stream && libpq().PQtransactionStatus(conn) == PQTRANS_INTRANS) {
        infer_types();
        m_cursor_name = fmt::format("rbl_c{}", ++m_session->statements);
        const std::string declare =
            fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", m_cursor_name, m_statement.sql);
        m_session->check(
            libpq().PQexecParams(conn, declare.c_str(), m_parameter_count,
                                 m_cursor_types.empty() ? nullptr : m_cursor_types.data(),
                                 values.data(), nullptr, nullptr, 0),
            "");
        m_cursor_done = false;
        fetch_batch();
        return;
    }
    prepare();
    PGresult* result = libpq().PQexecPrepared(conn, m_statement_name.c_str(), m_parameter_count,
                                              values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = libpq().PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        m_session->check(result, "");  // throws
    }
    m_session->changes = rows_changed(result);
    m_result.reset(result);
    m_row = -1;
}

void PgCursor::fetch_batch() {
    const std::string fetch = fmt::format("FETCH FORWARD {} FROM {}", k_fetch_rows, m_cursor_name);
    PGresult* result = libpq().PQexec(m_session->conn, fetch.c_str());
    if (libpq().PQresultStatus(result) != PGRES_TUPLES_OK) {
        m_session->check(result, "");  // throws
    }
    m_cursor_done = libpq().PQntuples(result) < k_fetch_rows;
    m_result.reset(result);
    m_row = -1;
}

bool PgCursor::step() {
    if (m_session->conn == nullptr) {
        throw FailedError(tr("internal error: a statement used after its database was closed"));
    }
    if (!m_executed) {
        m_executed = true;
        execute();
    }
    if (m_result == nullptr) {
        return false;
    }
    if (m_row + 1 < libpq().PQntuples(m_result.get())) {
        ++m_row;
        return true;
    }
    if (!m_cursor_name.empty() && !m_cursor_done) {
        fetch_batch();
        if (libpq().PQntuples(m_result.get()) > 0) {
            m_row = 0;
            return true;
        }
    }
    return false;
}

void PgCursor::reset() {
    m_result.reset();
    m_row = -1;
    m_executed = false;
    if (!m_cursor_name.empty() && m_session->conn != nullptr &&
        libpq().PQtransactionStatus(m_session->conn) == PQTRANS_INTRANS) {
        libpq().PQclear(
            libpq().PQexec(m_session->conn, fmt::format("CLOSE {}", m_cursor_name).c_str()));
    }
    m_cursor_name.clear();
    for (auto& value : m_values) {
        value.reset();
    }
}

std::int64_t PgCursor::column_int64(int column) const {
    if (is_null(column)) {
        return 0;
    }
    const std::string_view text = column_text(column);
    if (text == "t") {
        return 1;  // a boolean (a comparison selected as a column)
    }
    if (text == "f") {
        return 0;
    }
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || (end != text.data() + text.size() && *end != '.')) {
        return static_cast<std::int64_t>(std::strtod(std::string(text).c_str(), nullptr));
    }
    return number;
}

std::string_view PgCursor::column_blob(int column) const {
    const std::string_view text = column_text(column);
    if (!text.starts_with("\\x")) {
        return text;
    }
    m_blob.clear();
    for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
        m_blob += static_cast<char>(util::hex_value(text[i]) * 16 + util::hex_value(text[i + 1]));
    }
    return m_blob;
}

// COPY ... FROM STDIN: the rows go in blocks with PQputCopyData; the end's result carries the
// server's verdict on the whole load (a refused row fails it, as an INSERT would).
class PgCopySink final : public CopySink {
  public:
    PgCopySink(std::shared_ptr<Session> session, std::string_view sql)
        : m_session(std::move(session)) {
        m_session->reading = false;
        PGresult* result = libpq().PQexec(m_session->conn, std::string(sql).c_str());
        if (libpq().PQresultStatus(result) != PGRES_COPY_IN) {
            m_session->check(result, "");  // throws (a COPY that did not start is an error)
            throw FailedError(tr("internal error: a bulk load did not start"));
        }
        libpq().PQclear(result);
        m_open = true;
    }
    ~PgCopySink() override { abort(); }
    PgCopySink(const PgCopySink&) = delete;
    PgCopySink& operator=(const PgCopySink&) = delete;

    void write(std::string_view data) override {
        if (libpq().PQputCopyData(m_session->conn, data.data(), static_cast<int>(data.size())) !=
            1) {
            m_open = false;
            m_session->raise(nullptr, "");
        }
    }
    void finish() override {
        m_open = false;
        if (libpq().PQputCopyEnd(m_session->conn, nullptr) != 1) {
            m_session->raise(nullptr, "");
        }
        drain();
    }
    void abort() noexcept override {
        if (!m_open || m_session->conn == nullptr) {
            return;
        }
        m_open = false;
        libpq().PQputCopyEnd(m_session->conn, "abandoned by rbl");
        try {
            drain();
        } catch (...) {  // the expected failure of an abandoned COPY
        }
    }

  private:
    // Reads the results of the ended COPY: the first failure is thrown, after the rest is read.
    void drain() {
        PGresult* failed = nullptr;
        while (PGresult* result = libpq().PQgetResult(m_session->conn)) {
            if (libpq().PQresultStatus(result) == PGRES_COMMAND_OK && failed == nullptr) {
                m_session->changes = rows_changed(result);
                libpq().PQclear(result);
            } else if (failed == nullptr) {
                failed = result;
            } else {
                libpq().PQclear(result);
            }
        }
        if (failed != nullptr) {
            m_session->check(failed, "");  // throws
        }
    }

    std::shared_ptr<Session> m_session;
    bool m_open = false;
};

class PgConnection final : public Connection {
  public:
    explicit PgConnection(const OpenOptions& options);
    ~PgConnection() override {
        libpq().PQfinish(m_session->conn);
        m_session->conn = nullptr;
    }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    [[nodiscard]] Dialect dialect() const override { return Dialect::postgresql; }
    [[nodiscard]] const std::string& name() const override { return m_session->name; }
    std::unique_ptr<Cursor> prepare(std::string_view sql, Fetch fetch) override {
        return std::make_unique<PgCursor>(m_session, sql, fetch);
    }
    void exec(std::string_view sql) override {
        m_session->reading = false;
        m_session->check(libpq().PQexec(m_session->conn, std::string(sql).c_str()), "");
    }
    [[nodiscard]] int changes() const override { return m_session->changes; }
    [[nodiscard]] bool in_transaction() const override {
        return libpq().PQtransactionStatus(m_session->conn) != PQTRANS_IDLE;
    }
    void begin(bool writer) override;
    void commit() override;
    void rollback() noexcept override {
        if (libpq().PQtransactionStatus(m_session->conn) != PQTRANS_IDLE) {
            libpq().PQclear(libpq().PQexec(m_session->conn, "ROLLBACK"));
        }
    }
    [[nodiscard]] int schema_version() override;
    void set_schema_version(int version) override;
    std::unique_ptr<CopySink> copy_in(std::string_view sql) override {
        return std::make_unique<PgCopySink>(m_session, sql);
    }

  private:
    bool try_writer_lock();

    std::shared_ptr<Session> m_session = std::make_shared<Session>();
    std::chrono::milliseconds m_wait;
};

PgConnection::PgConnection(const OpenOptions& options)
    : m_wait(options.wait_milliseconds
                 ? std::chrono::milliseconds(*options.wait_milliseconds)
                 : std::chrono::milliseconds(std::max(0, options.wait_seconds) * 1000)) {
    const std::string uri = options.path.native();
    m_session->name = printable(uri);
    m_session->wait_seconds = options.wait_seconds;
    m_session->conn = libpq().PQconnectdb(uri.c_str());
    if (libpq().PQstatus(m_session->conn) != CONNECTION_OK) {
        std::string message = libpq().PQerrorMessage(m_session->conn);
        while (!message.empty() && message.back() == '\n') {
            message.pop_back();
        }
        libpq().PQfinish(m_session->conn);
        m_session->conn = nullptr;
        throw FailedError(trf("cannot connect to database {}: {}", m_session->name, message));
    }
    // Notices (e.g. "relation already exists, skipping") are not for the user.
    libpq().PQsetNoticeProcessor(
        m_session->conn, [](void*, const char*) {}, nullptr);
    try {
        exec("SET client_encoding = 'UTF8'; SET client_min_messages = warning");
        if (options.read_only) {
            exec("SET default_transaction_read_only = on");
        }
    } catch (...) {
        libpq().PQfinish(m_session->conn);
        m_session->conn = nullptr;
        throw;
    }
}

bool PgConnection::try_writer_lock() {
    ResultPtr result(libpq().PQexec(m_session->conn, k_writer_lock.data()));
    if (libpq().PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
        m_session->raise(result.get(), "");
    }
    return std::string_view(libpq().PQgetvalue(result.get(), 0, 0)) == "t";
}

void PgConnection::begin(bool writer) {
    if (!writer) {
        exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
        return;
    }
    exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    const auto deadline = std::chrono::steady_clock::now() + m_wait;
    try {
        while (!try_writer_lock()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw BusyError(
                    trf("database {} is busy: another rbl tool has been writing for more than {} s "
                        "(raise --wait or try later)",
                        m_session->name, m_session->wait_seconds));
            }
            std::this_thread::sleep_for(k_lock_retry);
        }
    } catch (...) {
        rollback();
        throw;
    }
}

void PgConnection::commit() {
    if (libpq().PQtransactionStatus(m_session->conn) == PQTRANS_INERROR) {
        throw FailedError(
            trf("database {}: the transaction failed and was rolled back", m_session->name));
    }
    exec("COMMIT");
}

int PgConnection::schema_version() {
    m_session->reading = true;
    ResultPtr exists(
        libpq().PQexec(m_session->conn, "SELECT to_regclass('rbl_schema') IS NOT NULL"));
    if (libpq().PQresultStatus(exists.get()) != PGRES_TUPLES_OK) {
        m_session->raise(exists.get(), "");
    }
    if (std::string_view(libpq().PQgetvalue(exists.get(), 0, 0)) != "t") {
        return 0;
    }
    ResultPtr version(libpq().PQexec(m_session->conn, "SELECT max(version) FROM rbl_schema"));
    if (libpq().PQresultStatus(version.get()) != PGRES_TUPLES_OK) {
        m_session->raise(version.get(), "");
    }
    return libpq().PQgetisnull(version.get(), 0, 0) == 1
               ? 0
               : std::atoi(libpq().PQgetvalue(version.get(), 0, 0));
}

void PgConnection::set_schema_version(int version) {
    // The number is ours, not input.
    exec(fmt::format("DELETE FROM rbl_schema; INSERT INTO rbl_schema (version) VALUES ({})",
                     version));
}

}  // namespace

std::unique_ptr<Connection> open_postgresql(const OpenOptions& options) {
    return std::make_unique<PgConnection>(options);
}

}  // namespace rbl::store::detail
