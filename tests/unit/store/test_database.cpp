#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <string>

#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

namespace {

// A raw connection, for doing to a file what rbl never would.
struct RawConnection {
    sqlite3* db = nullptr;
    explicit RawConnection(const std::filesystem::path& path) {
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    }
    ~RawConnection() { sqlite3_close(db); }
    void exec(const char* sql) const {
        REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    int integer(const char* sql) const {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        const int value = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        return value;
    }
};

unsigned mode_of(const std::filesystem::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 0777;
}

// Calls `open` and returns the message of the rbl::Error it throws, checking its exit code.
template <typename Open>
std::string error_of(Open open, ExitCode expected) {
    try {
        open();
    } catch (const Error& error) {
        CHECK(error.code() == expected);
        return error.what();
    }
    FAIL("no error thrown");
    return {};
}

}  // namespace

TEST_CASE("database: create makes a private file at the current schema version") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    // Under the usual umask SQLite alone would create 0644.
    const mode_t old_umask = ::umask(022);
    {
        store::Database db({.path = path, .create = true});
        ::umask(old_umask);
        CHECK(mode_of(path) == 0600);
        CHECK(db.schema_version() == store::current_schema_version());
        CHECK(store::current_schema_version() >= 1);
        // WAL: the -wal file exists while the connection is open, with the same mode.
        db.exec("CREATE TABLE probe (x INTEGER)");
        REQUIRE(std::filesystem::exists(path.string() + "-wal"));
        CHECK(mode_of(path.string() + "-wal") == 0600);
    }
    ::umask(old_umask);
    RawConnection raw(path);
    CHECK(raw.integer("PRAGMA user_version") == store::current_schema_version());
    CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'") == 1);
}

TEST_CASE("database: create keeps 0600 even under a restrictive umask") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    const mode_t old_umask = ::umask(0277);
    try {
        store::Database db({.path = path, .create = true});
    } catch (...) {
        ::umask(old_umask);
        throw;
    }
    ::umask(old_umask);
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("database: reopening does not migrate again") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    {
        store::Database db({.path = path, .create = true});
        db.exec("INSERT INTO audit_log (seq, at, operator, login, tool, action, object, details, "
                "prev_hash, hash) VALUES (1, 'a', 'o', 'l', 't', 'x', 'y', '{}', 'p', 'h')");
    }
    // Re-running migration 1 would fail ("table already exists"); the row must survive.
    store::Database again({.path = path});
    CHECK(again.schema_version() == store::current_schema_version());
    auto count = again.prepare("SELECT count(*) FROM audit_log");
    REQUIRE(count.step());
    CHECK(count.column_int64(0) == 1);

    store::Database reader({.path = path, .read_only = true});
    CHECK(reader.schema_version() == store::current_schema_version());
}

TEST_CASE("database: a missing file without create is a usage error") {
    test::TempDir dir;
    const auto path = dir.path() / "none.db";
    const auto message =
        error_of([&] { store::Database db({.path = path}); }, ExitCode::usage);
    CHECK(message == "database " + path.string() + " does not exist (rbl-import creates it)");
    CHECK_FALSE(std::filesystem::exists(path));
    error_of([&] { store::Database db({.path = path, .read_only = true}); }, ExitCode::usage);
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("database: a missing folder is a usage error") {
    test::TempDir dir;
    const auto path = dir.path() / "no-such-folder" / "rbl.db";
    const auto message =
        error_of([&] { store::Database db({.path = path, .create = true}); }, ExitCode::usage);
    CHECK(message == "cannot create database " + path.string() + ": folder " +
                         (dir.path() / "no-such-folder").string() + " does not exist");
}

TEST_CASE("database: a file that is not SQLite is not an rbl database") {
    test::TempDir dir;
    const auto path = dir.write("notes.db", "hello, not a database, just some text in a file\n");
    const auto message =
        error_of([&] { store::Database db({.path = path, .create = true}); }, ExitCode::failed);
    CHECK(message == path.string() + " is not an rbl database (not an SQLite file)");
    const auto read_message =
        error_of([&] { store::Database db({.path = path, .read_only = true}); }, ExitCode::failed);
    CHECK(read_message.find("not an rbl database") != std::string::npos);
}

TEST_CASE("database: a newer schema version is refused") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    { store::Database db({.path = path, .create = true}); }
    { RawConnection(path).exec("PRAGMA user_version=99"); }
    const auto message = error_of([&] { store::Database db({.path = path}); }, ExitCode::failed);
    CHECK(message.find("schema version 99, newer than this rbl understands") != std::string::npos);
    CHECK(message.find("upgrade rbl") != std::string::npos);
}

TEST_CASE("database: an SQLite file without our tables is migrated; read-only does not migrate") {
    test::TempDir dir;
    const auto path = dir.path() / "other.db";
    { RawConnection(path).exec("CREATE TABLE notes (text TEXT)"); }
    const auto message =
        error_of([&] { store::Database db({.path = path, .read_only = true}); }, ExitCode::failed);
    CHECK(message.find("run rbl-import") != std::string::npos);
    store::Database db({.path = path});
    CHECK(db.schema_version() == store::current_schema_version());
}

TEST_CASE("database: a transaction rolls back unless committed") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    db.exec("CREATE TABLE items (name TEXT NOT NULL UNIQUE)");
    auto insert = db.prepare("INSERT INTO items (name) VALUES (?1)");
    auto count = db.prepare("SELECT count(*) FROM items");
    const auto items = [&] {
        REQUIRE(count.step());
        const auto n = count.column_int64(0);
        count.reset();
        return n;
    };
    {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        insert.bind(1, "lost").run();
        CHECK(items() == 1);
    }
    CHECK(items() == 0);
    {
        store::Transaction tx(db, store::Transaction::Mode::deferred);
        insert.bind(1, "kept").run();
        tx.commit();
    }
    CHECK(items() == 1);

    SUBCASE("a failed statement inside a transaction leaves nothing behind") {
        try {
            store::Transaction tx(db, store::Transaction::Mode::immediate);
            insert.bind(1, "new").run();
            insert.bind(1, "kept").run();  // UNIQUE
            tx.commit();
            FAIL("no error thrown");
        } catch (const FailedError& error) {
            CHECK(std::string(error.what()).find("UNIQUE") != std::string::npos);
        }
        CHECK(items() == 1);
        // The statement was reset after its error and can be used again.
        insert.bind(1, "again").run();
        CHECK(items() == 2);
    }
}

TEST_CASE("database: in_transaction tells whether a transaction is open") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    CHECK_FALSE(db.in_transaction());
    {
        store::Transaction tx(db, store::Transaction::Mode::deferred);
        CHECK(db.in_transaction());
    }
    CHECK_FALSE(db.in_transaction());
    {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        CHECK(db.in_transaction());
        tx.commit();
        CHECK_FALSE(db.in_transaction());
    }
}

TEST_CASE("database: a second writer gets BusyError after --wait") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    store::Database first({.path = path, .create = true});
    store::Database second({.path = path, .wait_seconds = 0});
    store::Transaction holding(first, store::Transaction::Mode::immediate);
    const auto message = error_of(
        [&] { store::Transaction tx(second, store::Transaction::Mode::immediate); },
        ExitCode::busy);
    CHECK(message.find("database " + path.string() + " is busy") != std::string::npos);
    CHECK(message.find("--wait") != std::string::npos);

    // A reader still reads (WAL) while the writer holds the lock.
    store::Database reader({.path = path, .read_only = true, .wait_seconds = 0});
    store::Transaction snapshot(reader, store::Transaction::Mode::deferred);
    auto count = reader.prepare("SELECT count(*) FROM audit_log");
    REQUIRE(count.step());
    CHECK(count.column_int64(0) == 0);
}

TEST_CASE("database: statements are reused with new bindings") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    db.exec("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT, "
            "data BLOB)");
    auto insert = db.prepare("INSERT INTO things (id, name, score, note, data) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)");
    const std::string names[] = {"甲公司", "", "third"};
    // Bound text is not copied: it must outlive run(), so no temporaries here.
    const std::optional<std::string> notes[] = {"note", std::nullopt, std::nullopt};
    for (int i = 0; i < 3; ++i) {
        insert.bind(1, i + 1).bind(2, names[i]).bind(3, 0.5 * i).bind(4, notes[i]);
        insert.bind_blob(5, "\x01\x00\x02", 3);
        insert.run();
        CHECK(db.changes() == 1);
    }

    auto select = db.prepare("SELECT name, score, note, data FROM things WHERE id = ?1");
    select.bind(1, 1);
    REQUIRE(select.step());
    CHECK(select.column_text(0) == "甲公司");
    CHECK(select.column_optional_text(2) == std::optional<std::string>("note"));
    CHECK(select.column_blob(3) == std::string_view("\x01\x00\x02", 3));
    CHECK_FALSE(select.step());
    select.reset();

    select.bind(1, 2);
    REQUIRE(select.step());
    // An empty string is stored as "", not as NULL.
    CHECK_FALSE(select.is_null(0));
    CHECK(select.column_text(0).empty());
    CHECK(select.column_double(1) == doctest::Approx(0.5));
    CHECK(select.is_null(2));
    CHECK(select.column_optional_text(2) == std::nullopt);
    select.reset();

    // After reset the bindings are cleared: ?1 is NULL and nothing matches.
    CHECK_FALSE(select.step());
    select.reset();

    // A moved statement keeps working; the moved-from one is empty.
    store::Statement moved = std::move(select);
    moved.bind(1, std::optional<std::int64_t>(3));
    REQUIRE(moved.step());
    CHECK(moved.column_text(0) == "third");
    moved.reset();
    error_of([&] { select.step(); }, ExitCode::failed);  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("database: bad SQL and constraint errors are FailedError naming the context") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    const auto message =
        error_of([&] { (void)db.prepare("SELECT missing_column FROM nowhere"); }, ExitCode::failed);
    INFO(message);
    CHECK(message.find("no such table: nowhere") != std::string::npos);
    error_of([&] { (void)db.prepare("SELECT 1; SELECT 2"); }, ExitCode::failed);

}
