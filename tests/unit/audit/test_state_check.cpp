// The state the audit log vouches for (SPEC.md §7): the multiset hash, the content hashes of
// entries and records, and verify() recomputing them.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <string>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/model/record.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/multiset_hash.hpp"

using namespace rbl;

namespace {

store::StateHash hash_of(std::uint8_t fill) {
    store::StateHash hash{};
    hash.fill(fill);
    return hash;
}

model::Record record_named(std::string record_id, std::optional<util::Fen> amount) {
    model::Record record;
    record.source = "court";
    record.record_id = std::move(record_id);
    record.subject_id = "91320102MA1000001X";
    record.subject_name = "甲公司";
    record.domain = "market";
    record.kind = "penalty";
    record.date = *util::parse_iso_date("2026-02-01");
    record.amount = amount;
    record.attrs_json = R"({"severity":"serious"})";
    return record;
}

// A database with one import of three records audited as rbl-import does it.
struct Imported {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog log{db, {.operator_name = "wang", .login = "clerk", .tool = "rbl-test"}};

    Imported() {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        store::RecordStore records(db);
        const std::int64_t batch = records.begin_batch({.source = "court", .file_name = "f.csv",
                                                        .file_sha256 = "x", .format = "csv",
                                                        .encoding = "utf-8", .mapping = {},
                                                        .operator_name = "wang",
                                                        .started_at = "t"});
        util::MultisetHash digest;
        for (const char* id : {"A", "B", "C"}) {
            const model::Record record = record_named(id, 100);
            const auto change = records.put_record(record, store::ContentHash{}, batch);
            REQUIRE(change.outcome == store::RecordChange::Outcome::inserted);
            records.put_subject(record, "320102", batch);
            digest.add(change.state);
        }
        log.append("import.batch", "batch:1",
                   nlohmann::json{{"inserted", 3}, {"inserted_digest", digest.hex()}}.dump());
        tx.commit();
    }

    audit::VerifyResult verify(const audit::VerifyOptions& options = {}) {
        store::Transaction snapshot(db, store::Transaction::Mode::deferred);
        return log.verify(options);
    }
};

}  // namespace

TEST_CASE("multiset hash: order-independent, remove undoes add, hex round-trips") {
    util::MultisetHash ab;
    ab.add(hash_of(1));
    ab.add(hash_of(2));
    util::MultisetHash ba;
    ba.add(hash_of(2));
    ba.add(hash_of(1));
    CHECK(ab == ba);
    CHECK(ab != util::MultisetHash());
    CHECK(ab.hex().size() == 512);

    // A multiset, not a set: the same element twice is not once.
    util::MultisetHash twice = ab;
    twice.add(hash_of(1));
    CHECK(twice != ab);

    ab.remove(hash_of(1));
    util::MultisetHash b;
    b.add(hash_of(2));
    CHECK(ab == b);
    ab.remove(hash_of(2));
    CHECK(ab == util::MultisetHash());
    CHECK(util::MultisetHash().hex() == std::string(512, '0'));

    // Digests add and subtract as wholes (a revert's "after - before").
    util::MultisetHash delta;
    delta.add(hash_of(3));
    delta.remove(hash_of(2));
    util::MultisetHash moved = ba;
    moved.add(delta);
    util::MultisetHash expected;
    expected.add(hash_of(1));
    expected.add(hash_of(3));
    CHECK(moved == expected);

    CHECK(util::MultisetHash::from_hex(twice.hex()) == twice);
    CHECK_FALSE(util::MultisetHash::from_hex("00").has_value());
    CHECK_FALSE(util::MultisetHash::from_hex(std::string(512, 'g')).has_value());
}

TEST_CASE("state hash: every field counts, NULL is not empty, values cannot shift") {
    store::RecordState base{.source = "court", .record_id = "A", .subject_id = "S",
                            .domain = "market", .kind = "penalty", .date = "2026-02-01",
                            .amount_fen = 100, .authority = std::nullopt,
                            .region = std::nullopt, .status = "active",
                            .withdrawn_by = std::nullopt, .attrs = "{}"};
    const store::StateHash hash = store::record_state_hash(base);
    CHECK(store::record_state_hash(base) == hash);

    auto changed = base;
    changed.authority = "";
    CHECK(store::record_state_hash(changed) != hash);
    changed = base;
    changed.amount_fen = std::nullopt;
    CHECK(store::record_state_hash(changed) != hash);
    changed = base;
    changed.source = "cour";
    changed.record_id = "tA";
    CHECK(store::record_state_hash(changed) != hash);

    CHECK(store::state_hash_from_hex(store::to_hex(hash)) == hash);
    CHECK_FALSE(store::state_hash_from_hex("abc").has_value());
}

TEST_CASE("state hash: a record hashes alike as written and as read back") {
    Imported f;
    store::StateReader reader(f.db);
    int seen = 0;
    reader.for_each_record([&](const store::StateReader::StoredRecord& stored) {
        ++seen;
        CHECK(stored.inserted_batch == 1);
        const model::Record written = record_named(std::string(stored.state.record_id), 100);
        store::RecordState expected{.source = written.source, .record_id = written.record_id,
                                    .subject_id = written.subject_id, .domain = written.domain,
                                    .kind = written.kind, .date = "2026-02-01",
                                    .amount_fen = 100, .authority = std::nullopt,
                                    .region = std::nullopt, .status = "active",
                                    .withdrawn_by = std::nullopt, .attrs = written.attrs_json};
        CHECK(store::record_state_hash(stored.state) == store::record_state_hash(expected));
    });
    CHECK(seen == 3);
}

TEST_CASE("verify: records inserted by a batch are checked through its digest") {
    Imported f;
    auto ok = f.verify();
    CHECK(ok.ok());
    CHECK(ok.records_checked == 3);
    CHECK(ok.unchecked == 0);

    SUBCASE("a record edited") {
        f.db.exec("UPDATE records SET amount_fen = 101 WHERE record_id = 'B'");
        const auto bad = f.verify();
        CHECK_FALSE(bad.ok());
        CHECK(bad.object == "batch:1");
        CHECK(bad.first_bad == 1);
        CHECK(bad.problem.find("changed outside rbl") != std::string::npos);
    }
    SUBCASE("a record deleted") {
        f.db.exec("DELETE FROM records WHERE record_id = 'B'");
        const auto bad = f.verify();
        CHECK(bad.problem.find("2 records where it says 3: 1 record removed") !=
              std::string::npos);
    }
    SUBCASE("a record moved to another batch is missed by one and unknown to the other") {
        // As the sqlite3 shell does it: without enforcing foreign keys.
        f.db.exec("PRAGMA foreign_keys = OFF");
        f.db.exec("UPDATE records SET inserted_batch = 7 WHERE record_id = 'B'");
        const auto bad = f.verify();
        CHECK(bad.problems.size() == 2);
    }
    SUBCASE("an update with its hashes keeps the digest whole; one without them does not") {
        {
            store::Transaction tx(f.db, store::Transaction::Mode::immediate);
            store::RecordStore records(f.db);
            const std::int64_t batch = records.begin_batch(
                {.source = "court", .file_name = "g.csv", .file_sha256 = "y", .format = "csv",
                 .encoding = "utf-8", .mapping = {}, .operator_name = "wang", .started_at = "t"});
            const auto change =
                records.put_record(record_named("B", 200), store::ContentHash{1}, batch);
            REQUIRE(change.outcome == store::RecordChange::Outcome::updated);
            CHECK(change.previous_state != change.state);
            f.log.append("record.updated", "record:court/B",
                         nlohmann::json{{"state", store::to_hex(change.state)},
                                        {"previous_state", store::to_hex(change.previous_state)}}
                             .dump());
            f.log.append("import.batch", fmt::format("batch:{}", batch),
                         nlohmann::json{{"inserted", 0},
                                        {"inserted_digest", util::MultisetHash().hex()}}
                             .dump());
            tx.commit();
        }
        CHECK(f.verify().ok());
        f.db.exec("UPDATE records SET amount_fen = 201 WHERE record_id = 'B'");
        const auto bad = f.verify();
        CHECK(bad.object == "record:court/B");
        CHECK(bad.first_bad == 2);
    }
}

TEST_CASE("verify: an entry is what its latest row says; rows without hashes are counted") {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog log{db, {.operator_name = "wang", .login = "clerk", .tool = "rbl-test"}};
    db.exec(test::k_one_entry);
    store::StateReader reader(db);
    const auto state = reader.entry_state(1);
    REQUIRE(state.has_value());
    CHECK_FALSE(reader.entry_state(2).has_value());
    {
        store::Transaction tx(db, store::Transaction::Mode::immediate);
        log.append("import.batch", "batch:1", R"({"inserted":2})");  // from before digests
        log.append("entry.created", "entry:1",
                   nlohmann::json{{"status", "notice"}, {"state", store::to_hex(*state)}}.dump());
        tx.commit();
    }
    const auto verify = [&] {
        store::Transaction snapshot(db, store::Transaction::Mode::deferred);
        return log.verify();
    };
    auto ok = verify();
    CHECK(ok.ok());
    CHECK(ok.entries_checked == 1);
    CHECK(ok.records_checked == 0);
    CHECK(ok.unchecked == 2);  // the two records of a batch row without a digest

    db.exec("UPDATE entries SET status = 'expired' WHERE entry_id = 1");
    auto bad = verify();
    CHECK(bad.object == "entry:1");
    CHECK(bad.first_bad == 2);
    CHECK(bad.problem == "entry 1: its content is not what audit row 2 (entry.created) says it "
                         "became (its status is 'expired', the row says 'notice')");

    db.exec("UPDATE entries SET status = 'notice' WHERE entry_id = 1");
    CHECK(verify().ok());
    db.exec("UPDATE entry_evidence SET record_id = 'P9' WHERE rec = 2");
    CHECK(verify().object == "entry:1");
}

TEST_CASE("verify --head: the head's row must be there with its hash") {
    Imported f;
    const auto head = [&] {
        store::Transaction snapshot(f.db, store::Transaction::Mode::deferred);
        return f.log.head();
    }();
    REQUIRE(head.has_value());
    CHECK(head->seq == 1);
    CHECK(audit::parse_head(head->text())->hash == head->hash);
    CHECK_FALSE(audit::parse_head("1").has_value());
    CHECK_FALSE(audit::parse_head("0:" + head->hash).has_value());
    CHECK_FALSE(audit::parse_head("1:" + head->hash.substr(1)).has_value());

    CHECK(f.verify({.head = head}).ok());
    audit::Head later{5, head->hash};
    const auto gone = f.verify({.head = later});
    CHECK_FALSE(gone.ok());
    CHECK(gone.first_bad == 2);
    CHECK(gone.problem.find("is gone: the log ends at row 1, so rows 2 to 5") != std::string::npos);
    audit::Head other{1, std::string(64, 'a')};
    CHECK(f.verify({.head = other}).first_bad == 1);
}
