#include <doctest/doctest.h>

#include <string>

#include "../temp_dir.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/sha256.hpp"

using namespace rbl;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog log{db, {.operator_name = "wang", .login = "clerk", .tool = "rbl-test"}};

    // Appends five rows in one transaction, as a tool would.
    void append_five() {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        CHECK(log.append("import.batch", "batch:1", R"({"rows":3})") == 1);
        CHECK(log.append("record.inserted", "record:court/1", "{}") == 2);
        CHECK(log.append("record.updated", "record:court/1", R"({"field":"amount"})") == 3);
        CHECK(log.append("entry.created", "entry:7", "{}") == 4);
        CHECK(log.append("entry.lifted", "entry:7", R"({"reason":"repair"})") == 5);
        tx.commit();
    }
};

}  // namespace

TEST_CASE("audit: row_hash covers every field, length-prefixed") {
    audit::AuditRow row{.seq = 1, .at = "2026-11-28T03:25:58Z", .operator_name = "wang",
                        .login = "clerk", .tool = "rbl-import", .action = "import.batch",
                        .object = "batch:1", .details = "{}", .prev_hash = std::string(64, '0'),
                        .hash = ""};
    const std::string expected = util::sha256_hex(
        "1:1\n20:2026-11-28T03:25:58Z\n4:wang\n5:clerk\n10:rbl-import\n12:import.batch\n"
        "7:batch:1\n2:{}\n64:" + std::string(64, '0') + "\n");
    CHECK(audit::row_hash(row) == expected);

    // The hash field itself is not covered.
    row.hash = "anything";
    CHECK(audit::row_hash(row) == expected);

    // Moving bytes from one field to the next changes the hash.
    audit::AuditRow shifted = row;
    shifted.operator_name = "wan";
    shifted.login = "gclerk";
    CHECK(audit::row_hash(shifted) != expected);
}

TEST_CASE("audit: an appended chain verifies") {
    Fixture f;
    auto result = f.log.verify();
    CHECK(result.rows == 0);
    CHECK_FALSE(result.first_bad.has_value());

    f.append_five();
    result = f.log.verify();
    CHECK(result.rows == 5);
    CHECK_FALSE(result.first_bad.has_value());
    CHECK(result.problem.empty());

    const auto rows = f.log.read({});
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].prev_hash == std::string(64, '0'));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].seq == static_cast<std::int64_t>(i + 1));
        CHECK(rows[i].hash == audit::row_hash(rows[i]));
        CHECK(rows[i].hash.size() == 64);
        CHECK(rows[i].operator_name == "wang");
        CHECK(rows[i].login == "clerk");
        CHECK(rows[i].tool == "rbl-test");
        CHECK(rows[i].at.size() == 20);
        if (i > 0) {
            CHECK(rows[i].prev_hash == rows[i - 1].hash);
        }
    }

    // A second log object (another run) continues the same chain.
    audit::AuditLog later(f.db, {.operator_name = "li", .login = "clerk", .tool = "rbl-test"});
    {
        store::Transaction tx(f.db, store::Transaction::Mode::immediate);
        CHECK(later.append("publication", "publication:1", "{}") == 6);
        tx.commit();
    }
    result = f.log.verify();
    CHECK(result.rows == 6);
    CHECK_FALSE(result.first_bad.has_value());
}

TEST_CASE("audit: append outside a transaction is refused") {
    Fixture f;
    CHECK_THROWS_AS(f.log.append("x", "y", "{}"), FailedError);
    CHECK(f.log.read({}).empty());
}

TEST_CASE("audit: a head held in memory continues the chain it read") {
    Fixture f;
    f.append_five();
    CHECK_THROWS_AS(audit::AuditLog::HeldHead(f.log), FailedError);  // outside a transaction
    {
        store::Transaction tx(f.db, store::Transaction::Mode::immediate);
        const audit::AuditLog::HeldHead head(f.log);
        CHECK(f.log.append("entry.created", "entry:8", "{}") == 6);
        CHECK(f.log.append("entry.created", "entry:9", "{}") == 7);
        tx.commit();
    }
    // Let go: appends read the last row again, so another log's rows are followed.
    audit::AuditLog later(f.db, {.operator_name = "li", .login = "clerk", .tool = "rbl-test"});
    {
        store::Transaction tx(f.db, store::Transaction::Mode::immediate);
        CHECK(later.append("publication", "publication:1", "{}") == 8);
        CHECK(f.log.append("entry.lifted", "entry:9", "{}") == 9);
        tx.commit();
    }
    const auto result = f.log.verify();
    CHECK(result.rows == 9);
    CHECK(result.ok());
    const auto rows = f.log.read({});
    REQUIRE(rows.size() == 9);
    CHECK(rows[5].prev_hash == rows[4].hash);
    CHECK(rows[6].prev_hash == rows[5].hash);
}

TEST_CASE("audit: an edited row is found") {
    Fixture f;
    f.append_five();
    f.db.exec(R"(UPDATE audit_log SET details = '{"rows":4}' WHERE seq = 1)");
    auto result = f.log.verify();
    CHECK(result.rows == 5);
    REQUIRE(result.first_bad.has_value());
    CHECK(*result.first_bad == 1);
    CHECK(result.problem == "row 1: hash does not match its contents");

    SUBCASE("an edit with a recomputed hash breaks the next link") {
        Fixture g;
        g.append_five();
        g.db.exec("UPDATE audit_log SET operator = 'zhao' WHERE seq = 3");
        auto rows = g.log.read({.since_seq = 2, .object = {}, .action = {}, .operator_name = {}});
        auto stmt = g.db.prepare("UPDATE audit_log SET hash = ?1 WHERE seq = 3");
        const std::string fixed = audit::row_hash(rows.at(0));
        stmt.bind(1, fixed).run();
        result = g.log.verify();
        REQUIRE(result.first_bad.has_value());
        CHECK(*result.first_bad == 4);
        CHECK(result.problem == "row 4: previous hash does not match row 3");
    }
}

TEST_CASE("audit: a deleted row is found") {
    Fixture f;
    f.append_five();

    SUBCASE("in the middle") {
        f.db.exec("DELETE FROM audit_log WHERE seq = 3");
        const auto result = f.log.verify();
        CHECK(result.rows == 4);
        REQUIRE(result.first_bad.has_value());
        CHECK(*result.first_bad == 4);
        CHECK(result.problem == "row 4 follows row 2: row 3 is missing");
    }
    SUBCASE("several, at the start") {
        f.db.exec("DELETE FROM audit_log WHERE seq <= 2");
        const auto result = f.log.verify();
        REQUIRE(result.first_bad.has_value());
        CHECK(*result.first_bad == 3);
        CHECK(result.problem == "row 3 is the first: rows 1 to 2 are missing");
    }
    SUBCASE("renumbered to hide the gap") {
        f.db.exec("DELETE FROM audit_log WHERE seq = 3");
        f.db.exec("UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
        const auto result = f.log.verify();
        REQUIRE(result.first_bad.has_value());
        CHECK(*result.first_bad == 3);
    }
}

TEST_CASE("audit: read filters") {
    Fixture f;
    f.append_five();
    audit::AuditLog other(f.db, {.operator_name = "li", .login = "clerk", .tool = "rbl-test"});
    {
        store::Transaction tx(f.db, store::Transaction::Mode::immediate);
        other.append("entry.created", "entry:8", "{}");
        tx.commit();
    }
    const auto seqs = [&](const audit::LogFilter& filter) {
        std::vector<std::int64_t> out;
        for (const auto& row : f.log.read(filter)) {
            out.push_back(row.seq);
        }
        return out;
    };
    using V = std::vector<std::int64_t>;
    using Text = std::optional<std::string>;
    const auto filter = [](std::optional<std::int64_t> since, Text object, Text action,
                           Text operator_name) {
        audit::LogFilter out;
        out.since_seq = since;
        out.object = std::move(object);
        out.action = std::move(action);
        out.operator_name = std::move(operator_name);
        return out;
    };
    CHECK(seqs({}) == V{1, 2, 3, 4, 5, 6});
    CHECK(seqs(filter(4, {}, {}, {})) == V{5, 6});
    CHECK(seqs(filter({}, "record:court/1", {}, {})) == V{2, 3});
    CHECK(seqs(filter({}, {}, "entry.created", {})) == V{4, 6});
    CHECK(seqs(filter({}, {}, "entry", {})) == V{4, 5, 6});
    CHECK(seqs(filter({}, {}, "entr", {})).empty());
    CHECK(seqs(filter({}, {}, {}, "li")) == V{6});
    CHECK(seqs(filter(1, "entry:7", "entry.lifted", "wang")) == V{5});
    CHECK(seqs(filter({}, "' OR 1=1 --", {}, {})).empty());
    // The statement is reused: the same filter twice gives the same answer.
    CHECK(seqs(filter({}, {}, {}, "li")) == V{6});
}

TEST_CASE("audit: login_name is never empty") { CHECK_FALSE(audit::login_name().empty()); }
