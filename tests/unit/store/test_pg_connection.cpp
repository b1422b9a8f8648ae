// The PostgreSQL engine behind Database (store/pg_connection.cpp), on a real server: the test
// cluster of tests/pg/cluster.sh, whose socket folder RBL_TEST_PG_HOST names (tests/pg/run.sh
// sets it; ctest's pg_unit runs these). Without it they are skipped.

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

namespace {

const char* pg_host() { return std::getenv("RBL_TEST_PG_HOST"); }
bool no_server() { return pg_host() == nullptr || *pg_host() == '\0'; }

/// A fresh database in the test cluster, dropped at the end.
class PgDatabase {
public:
    PgDatabase() {
        static std::atomic<int> counter{0};
        m_name = "rbl_unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
        admin("CREATE DATABASE " + m_name);
    }
    ~PgDatabase() { admin("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)"); }
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    [[nodiscard]] std::string uri() const {
        return "postgresql:///" + m_name + "?host=" + pg_host() + "&user=postgres";
    }

private:
    static void admin(const std::string& sql) {
        const std::string conninfo = std::string("host=") + pg_host() + " user=postgres dbname=postgres";
        PGconn* conn = PQconnectdb(conninfo.c_str());
        REQUIRE(PQstatus(conn) == CONNECTION_OK);
        PGresult* result = PQexec(conn, sql.c_str());
        const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
        PQclear(result);
        PQfinish(conn);
        REQUIRE(ok);
    }
    std::string m_name;
};

}  // namespace

TEST_SUITE("pg store" * doctest::skip(no_server())) {

TEST_CASE("pg store: rbl-import's open creates the schema; others find none and say so") {
    PgDatabase pg;
    CHECK_THROWS_AS(store::Database({.path = pg.uri()}), UsageError);
    CHECK_THROWS_AS(store::Database({.path = pg.uri(), .read_only = true}), UsageError);
    {
        store::Database db({.path = pg.uri(), .create = true});
        CHECK(db.dialect() == store::Dialect::postgresql);
        CHECK(db.schema_version() == store::current_schema_version());
    }
    store::Database again({.path = pg.uri(), .read_only = true});
    CHECK(again.schema_version() == store::current_schema_version());
}

TEST_CASE("pg store: ?N parameters, NULLs, unused numbers, blobs, booleans and big integers") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    store::Statement statement(
        db, "SELECT ?2, CAST(?3 AS TEXT) IS NULL, CAST(?4 AS BIGINT) + 1, ?2 = 'x', CAST(?5 AS bytea)");
    const std::string blob("\x00\x01\xfe\xff", 4);
    statement.bind(2, std::string_view("x")).bind_null(3).bind(4, std::int64_t{9007199254740993});
    statement.bind_blob(5, blob.data(), blob.size());
    // ?1 is never used: SQLite accepts that, and so must the translation.
    REQUIRE(statement.step());
    CHECK(statement.column_text(0) == "x");
    CHECK(statement.column_int64(1) == 1);  // a boolean reads as 1 or 0
    CHECK(statement.column_int64(2) == 9007199254740994);
    CHECK(statement.column_int64(3) == 1);
    CHECK(statement.column_blob(4) == blob);
    CHECK_FALSE(statement.step());
    statement.reset();
    statement.bind(2, std::string_view("y")).bind(3, std::string_view("z")).bind(4, 1);
    statement.bind_blob(5, blob.data(), 0);
    REQUIRE(statement.step());
    CHECK(statement.column_int64(1) == 0);
    CHECK(statement.column_int64(3) == 0);
    CHECK(statement.column_blob(4).empty());
    CHECK_FALSE(statement.is_null(4));
}

TEST_CASE("pg store: a streamed read comes in batches and lets other statements run between") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    store::Statement rows(db, "SELECT n FROM generate_series(1, ?1) AS n ORDER BY n",
                          store::detail::Fetch::stream);
    store::Statement other(db, "SELECT ?1 * 2");
    rows.bind(1, 5000);
    std::int64_t expected = 0;
    while (rows.step()) {
        CHECK(rows.column_int64(0) == ++expected);
        if (expected % 1999 == 0) {  // across batch edges
            other.bind(1, expected);
            REQUIRE(other.step());
            CHECK(other.column_int64(0) == 2 * expected);
            other.reset();
        }
    }
    CHECK(expected == 5000);
    rows.reset();  // again, from the start
    rows.bind(1, 3);
    REQUIRE(rows.step());
    CHECK(rows.column_int64(0) == 1);
}

TEST_CASE("pg store: one writer at a time, with --wait; readers never wait") {
    PgDatabase pg;
    store::Database first({.path = pg.uri(), .create = true});
    store::Database second({.path = pg.uri(), .wait_seconds = 0});
    store::Database reader({.path = pg.uri(), .read_only = true});
    store::Transaction writing(first, store::Transaction::Mode::immediate);
    first.exec("INSERT INTO subject_marks (subject_id) VALUES ('A')");
    CHECK_THROWS_AS(store::Transaction(second, store::Transaction::Mode::immediate), BusyError);
    CHECK_FALSE(second.in_transaction());
    {
        store::Transaction snapshot(reader, store::Transaction::Mode::deferred);
        store::Statement marks(reader, "SELECT count(*) FROM subject_marks");
        REQUIRE(marks.step());
        CHECK(marks.column_int64(0) == 0);  // not the uncommitted mark
    }
    writing.commit();
    store::Transaction now(second, store::Transaction::Mode::immediate);
    now.commit();
}

TEST_CASE("pg store: a failed statement rolls its transaction back, and commit says so") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    db.exec("INSERT INTO subject_marks (subject_id) VALUES ('A')");
    store::Statement bad(db, "INSERT INTO subject_due (subject_id, due_on) VALUES (?1, NULL)");
    bad.bind(1, std::string_view("A"));
    CHECK_THROWS_AS(bad.step(), FailedError);
    CHECK_THROWS_AS(transaction.commit(), FailedError);
}

TEST_CASE("pg store: the audit log is append-only, for its owner too") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    db.exec("INSERT INTO audit_log VALUES (1, 'at', 'op', 'login', 'tool', 'action', 'object', "
            "'{}', 'prev', 'hash')");
    CHECK_THROWS_AS(db.exec("UPDATE audit_log SET operator = 'mallory'"), UsageError);
    CHECK_THROWS_AS(db.exec("DELETE FROM audit_log"), UsageError);
    CHECK_THROWS_AS(db.exec("TRUNCATE audit_log"), UsageError);
}

TEST_CASE("pg store: a URI's password never reaches a message") {
    try {
        store::Database db({.path = std::string("postgresql://someone:s3cret@/nowhere?host=") +
                                    pg_host() + "&connect_timeout=2"});
        FAIL("connected");
    } catch (const Error& error) {
        CHECK(std::string(error.what()).find("s3cret") == std::string::npos);
    }
}

TEST_CASE("pg store: COPY FROM STDIN takes any text, NULLs, bytes and big loads exactly") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    db.exec("CREATE TEMPORARY TABLE t (n bigint, s text, o text, b bytea, f boolean)");
    const std::string tricky = "tab\there\nline\r\\N back\\slash 中文 \\x00";
    std::string bytes;
    for (int c = 0; c < 256; ++c) {
        bytes += static_cast<char>(c);
    }
    {
        store::CopyIn copy(db, "COPY t (n, s, o, b, f) FROM STDIN");
        copy.integer(-9007199254740993).text(tricky).null().blob(bytes.data(), bytes.size())
            .boolean(true);
        copy.end_row();
        copy.integer(std::optional<std::int64_t>()).text(std::string_view("")).text(
            std::optional<std::string>("x")).blob(nullptr, 0).boolean(false);
        copy.end_row();
        for (int i = 0; i < 50000; ++i) {  // several blocks of 1 MiB
            copy.integer(i).text(std::string(40, 'a')).null().null().null();
            copy.end_row();
        }
        copy.finish();
    }
    store::Statement first(db, "SELECT n, s, o IS NULL, b, f FROM t WHERE n < 0");
    REQUIRE(first.step());
    CHECK(first.column_int64(0) == -9007199254740993);
    CHECK(first.column_text(1) == tricky);
    CHECK(first.column_int64(2) == 1);
    CHECK(first.column_blob(3) == bytes);
    CHECK(first.column_int64(4) == 1);
    first.reset();
    store::Statement second(db, "SELECT n IS NULL, s = '', o, length(b), f FROM t WHERE o = 'x'");
    REQUIRE(second.step());
    CHECK(second.column_int64(0) == 1);
    CHECK(second.column_int64(1) == 1);
    CHECK(second.column_int64(3) == 0);
    CHECK(second.column_int64(4) == 0);
    second.reset();
    store::Statement count(db, "SELECT count(*) FROM t");
    CHECK(count.single_integer() == 50002);
}

TEST_CASE("pg store: a refused or abandoned COPY fails its transaction, not the connection") {
    PgDatabase pg;
    store::Database db({.path = pg.uri(), .create = true});
    {
        store::Transaction transaction(db, store::Transaction::Mode::immediate);
        db.exec("CREATE TEMPORARY TABLE t (n bigint NOT NULL)");
        store::CopyIn copy(db, "COPY t (n) FROM STDIN");
        copy.null();
        copy.end_row();
        CHECK_THROWS_AS(copy.finish(), FailedError);
        CHECK_THROWS_AS(transaction.commit(), FailedError);
    }
    {
        store::Transaction transaction(db, store::Transaction::Mode::immediate);
        db.exec("CREATE TEMPORARY TABLE u (n bigint)");
        {
            store::CopyIn copy(db, "COPY u (n) FROM STDIN");
            copy.integer(1);
            copy.end_row();
        }  // never finished: abandoned
        CHECK_THROWS_AS(transaction.commit(), FailedError);
    }
    store::Statement alive(db, "SELECT 41 + 1");
    CHECK(alive.single_integer() == 42);
}

}  // TEST_SUITE
