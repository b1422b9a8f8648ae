#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/store/audit_store.hpp"
#include "rbl/store/database.hpp"

using namespace rbl;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::AuditStore rows{db};

    static store::AuditRow row(std::int64_t seq, std::string action, std::string object) {
        return {.seq = seq,
                .at = "2026-11-28T03:25:58Z",
                .operator_name = seq % 2 == 0 ? "li" : "wang",
                .login = "clerk",
                .tool = "rbl-test",
                .action = std::move(action),
                .object = std::move(object),
                .details = R"({"n":)" + std::to_string(seq) + "}",
                .prev_hash = std::string(64, static_cast<char>('0' + seq - 1)),
                .hash = std::string(64, static_cast<char>('0' + seq))};
    }

    void insert_four() {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        rows.insert(row(1, "import.batch", "batch:1"));
        rows.insert(row(2, "entry.created", "entry:7"));
        rows.insert(row(3, "entry.lifted", "entry:7"));
        rows.insert(row(4, "entryish", "entry:8"));
        tx.commit();
    }

    std::vector<std::int64_t> seqs(const store::AuditFilter& filter) {
        std::vector<std::int64_t> out;
        rows.for_each(filter, [&out](const store::AuditRow& found) { out.push_back(found.seq); });
        return out;
    }
};

using Seqs = std::vector<std::int64_t>;
using Text = std::optional<std::string>;

store::AuditFilter filter(std::optional<std::int64_t> since, Text object, Text action,
                          Text operator_name) {
    store::AuditFilter out;
    out.since_seq = since;
    out.object = std::move(object);
    out.action = std::move(action);
    out.operator_name = std::move(operator_name);
    return out;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "audit store: an empty log has no last row") {
    CHECK_FALSE(rows.last().has_value());
    CHECK(seqs({}).empty());
    int visited = 0;
    rows.for_each_row([&visited](const store::AuditRow&) { ++visited; });
    CHECK(visited == 0);
}

TEST_CASE_FIXTURE(Fixture, "audit store: rows are stored as given and read back in seq order") {
    insert_four();
    const auto last = rows.last();
    REQUIRE(last.has_value());
    CHECK(last->seq == 4);
    CHECK(last->hash == std::string(64, '4'));

    std::vector<store::AuditRow> all;
    rows.for_each_row([&all](const store::AuditRow& found) { all.push_back(found); });
    REQUIRE(all.size() == 4);
    const store::AuditRow expected = row(3, "entry.lifted", "entry:7");
    const store::AuditRow& third = all[2];
    CHECK(third.seq == 3);
    CHECK(third.at == expected.at);
    CHECK(third.operator_name == "wang");
    CHECK(third.login == "clerk");
    CHECK(third.tool == "rbl-test");
    CHECK(third.action == "entry.lifted");
    CHECK(third.object == "entry:7");
    CHECK(third.details == R"({"n":3})");
    CHECK(third.prev_hash == expected.prev_hash);
    CHECK(third.hash == expected.hash);
    CHECK(all[0].seq == 1);
    CHECK(all[3].seq == 4);
}

TEST_CASE_FIXTURE(Fixture, "audit store: a seq already taken is refused") {
    insert_four();
    store::Transaction tx(db, store::Transaction::Mode::immediate);
    CHECK_THROWS(rows.insert(row(4, "entry.created", "entry:9")));
}

TEST_CASE_FIXTURE(Fixture, "audit store: filters, each alone and together") {
    insert_four();
    CHECK(seqs({}) == Seqs{1, 2, 3, 4});
    CHECK(seqs(filter(2, {}, {}, {})) == Seqs{3, 4});
    CHECK(seqs(filter({}, "entry:7", {}, {})) == Seqs{2, 3});
    CHECK(seqs(filter({}, {}, "entry.created", {})) == Seqs{2});
    // A family matches the actions under it, not a longer word that begins alike.
    CHECK(seqs(filter({}, {}, "entry", {})) == Seqs{2, 3});
    CHECK(seqs(filter({}, {}, {}, "li")) == Seqs{2, 4});
    CHECK(seqs(filter(1, "entry:7", "entry", "wang")) == Seqs{3});
    CHECK(seqs(filter({}, "' OR 1=1 --", {}, {})).empty());
    // The statement is reset after each use: the same filter again gives the same answer.
    CHECK(seqs(filter({}, {}, {}, "li")) == Seqs{2, 4});
}

TEST_CASE_FIXTURE(Fixture, "audit store: a visitor that throws leaves the statements reusable") {
    insert_four();
    const auto fail = [](const store::AuditRow&) { throw std::runtime_error("visitor failed"); };
    CHECK_THROWS_AS(rows.for_each({}, fail), std::runtime_error);
    CHECK_THROWS_AS(rows.for_each_row(fail), std::runtime_error);
    CHECK(seqs({}) == Seqs{1, 2, 3, 4});
    int visited = 0;
    rows.for_each_row([&visited](const store::AuditRow&) { ++visited; });
    CHECK(visited == 4);
}
