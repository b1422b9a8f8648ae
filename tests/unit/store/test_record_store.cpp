#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <string>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/store/state_hash.hpp"

using namespace rbl;
using store::RecordChange;
using store::SubjectChange;

namespace {

model::Record sample_record() {
    model::Record record;
    record.source = "court";
    record.record_id = "(2025)苏01执1号";
    record.subject_id = "91110000600037341L";
    record.subject_name = "甲公司";
    record.domain = "courts";
    record.kind = "court_default";
    record.date = util::Date::from_ymd(2025, 3, 1);
    record.amount = 1250;
    return record;
}

store::ContentHash hash_of(std::uint8_t seed) {
    store::ContentHash hash{};
    hash.fill(seed);
    return hash;
}

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::RecordStore records{db};

    std::int64_t batch() {
        return records.begin_batch({.source = "court", .file_name = "f.csv", .file_sha256 = "x",
                                    .format = "csv", .encoding = "utf-8", .mapping = {},
                                    .operator_name = "tester", .started_at = "2026-11-28T00:00:00Z"});
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "record store: insert, repeat, update, conflict") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const auto first = batch();
    auto record = sample_record();
    CHECK(records.put_subject(record, "110000", first).outcome == SubjectChange::Outcome::inserted);
    CHECK(records.put_record(record, hash_of(1), first).outcome == RecordChange::Outcome::inserted);
    CHECK(records.put_record(record, hash_of(1), first).outcome ==
          RecordChange::Outcome::unchanged);
    CHECK(records.put_record(record, hash_of(2), first).outcome == RecordChange::Outcome::conflict);

    const auto second = batch();
    record.amount = 999;
    const auto change = records.put_record(record, hash_of(2), second);
    CHECK(change.outcome == RecordChange::Outcome::updated);
    CHECK(change.before_json.find("\"12.50\"") != std::string::npos);

    record.subject_name = "甲公司（新）";
    const auto renamed = records.put_subject(record, "110000", second);
    CHECK(renamed.outcome == SubjectChange::Outcome::updated);
    CHECK(renamed.before_name == "甲公司");
    CHECK(records.put_subject(record, "110000", second).outcome ==
          SubjectChange::Outcome::unchanged);
    transaction.commit();

    auto stored = db.prepare("SELECT amount_fen, updated_batch FROM records");
    REQUIRE(stored.step());
    CHECK(stored.column_int64(0) == 999);
    CHECK(stored.column_int64(1) == second);
}

TEST_CASE_FIXTURE(Fixture, "record store: a row in conflict writes nothing, not even its subject") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const auto first = batch();
    auto record = sample_record();
    const auto written = records.put_row(record, hash_of(1), "110000", first);
    CHECK(written.record.outcome == RecordChange::Outcome::inserted);
    CHECK(written.subject.outcome == SubjectChange::Outcome::inserted);
    record.subject_id = "91320000134768001G";  // the same key, another subject, other content
    CHECK(records.put_row(record, hash_of(2), "320000", first).record.outcome ==
          RecordChange::Outcome::conflict);
    auto subjects = db.prepare("SELECT count(*) FROM subjects");
    REQUIRE(subjects.step());
    CHECK(subjects.column_int64(0) == 1);
}

namespace {

// Puts `count` records of distinct keys over 1,000 subjects.
void put_many(store::RecordStore& records, std::int64_t batch_id, int count) {
    auto record = sample_record();
    for (int i = 0; i < count; ++i) {
        // fmt, not "R" + std::to_string(i): g++ 12 at -O3 warns falsely (-Wrestrict) on that.
        record.record_id = fmt::format("R{}", i);
        record.subject_id = fmt::format("S{}", i % 1000);
        CHECK(records.put_row(record, hash_of(1), "110000", batch_id).record.outcome ==
              RecordChange::Outcome::inserted);
    }
}

std::string evaluation_index_sql(store::Database& db) {
    auto statement = db.prepare(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'records_for_evaluation'");
    return statement.step() ? std::string(statement.column_text(0)) : std::string();
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "record store: a large first load builds its covering index after its rows") {
    const std::string index = evaluation_index_sql(db);
    REQUIRE_FALSE(index.empty());
    const int count = static_cast<int>(store::RecordStore::k_index_deferred_after) + 10;
    {
        // Rolled back with the index dropped: the index is there again, as it was.
        store::Transaction transaction(db, store::Transaction::Mode::immediate);
        store::RecordStore load{db};
        load.defer_index_on_large_load();
        put_many(load, batch(), count);
        CHECK(load.index_deferred());
        CHECK(evaluation_index_sql(db).empty());
    }
    CHECK(evaluation_index_sql(db) == index);
    {
        store::Transaction transaction(db, store::Transaction::Mode::immediate);
        store::RecordStore load{db};
        load.defer_index_on_large_load();
        put_many(load, batch(), count);
        load.build_deferred_index();
        CHECK_FALSE(load.index_deferred());
        transaction.commit();
    }
    CHECK(evaluation_index_sql(db) == index);
    auto check = db.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.column_text(0) == "ok");
    // A load past the minimum but no larger than the table it joins keeps the index.
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    store::RecordStore next{db};
    next.defer_index_on_large_load();
    const auto third = batch();
    auto record = sample_record();
    for (int i = 0; i < count - 5; ++i) {
        record.record_id = fmt::format("N{}", i);
        CHECK(next.put_row(record, hash_of(1), "110000", third).record.outcome ==
              RecordChange::Outcome::inserted);
    }
    REQUIRE(count - 5 > store::RecordStore::k_index_deferred_after);
    CHECK_FALSE(next.index_deferred());
}

TEST_CASE_FIXTURE(Fixture, "record store: a reverted batch stays withdrawn") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const auto first = batch();
    auto record = sample_record();
    records.put_subject(record, "110000", first);
    records.put_record(record, hash_of(1), first);
    CHECK(records.revert_batch(first, "2026-11-28T01:00:00Z").withdrawn == 1);
    CHECK(records.find_batch(first)->reverted_at == "2026-11-28T01:00:00Z");
    CHECK_FALSE(records.find_batch(first + 100).has_value());

    const auto second = batch();
    record.amount = 5;
    CHECK(records.put_record(record, hash_of(3), second).outcome == RecordChange::Outcome::updated);
    auto stored = db.prepare("SELECT status, withdrawn_by FROM records");
    REQUIRE(stored.step());
    CHECK(stored.column_text(0) == "withdrawn");
    CHECK(stored.column_text(1) == "office");
}

TEST_CASE("record store: an upheld objection withdraws the entry's active evidence") {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    db.exec(test::k_one_entry);  // entry 1 cites records default/P1 and default/P2
    db.exec("UPDATE records SET status = 'withdrawn', withdrawn_by = 'source' WHERE record_id = "
            "'P2'");
    store::RecordStore records{db};
    store::StateReader states{db};
    // The content hash of each record as stored now, and its status and withdrawn_by.
    const auto stored = [&states] {
        std::map<std::string, std::pair<store::StateHash, std::string>> found;
        states.for_each_record([&found](const store::StateReader::StoredRecord& record) {
            found[std::string(record.state.record_id)] = {
                store::record_state_hash(record.state),
                std::string(record.state.status) + "/" +
                    std::string(record.state.withdrawn_by.value_or(""))};
        });
        return found;
    };
    const auto before = stored();

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const auto withdrawn = records.withdraw_evidence(1);
    const auto after = stored();
    // P2 was withdrawn already (by its source): only P1 changes, and says what it was and became.
    REQUIRE(withdrawn.size() == 1);
    CHECK(withdrawn[0].source == "default");
    CHECK(withdrawn[0].record_id == "P1");
    CHECK(withdrawn[0].previous_state == before.at("P1").first);
    CHECK(withdrawn[0].state == after.at("P1").first);
    CHECK(withdrawn[0].state != withdrawn[0].previous_state);
    CHECK(after.at("P1").second == "withdrawn/office");
    CHECK(after.at("P2") == before.at("P2"));
    // Nothing is left to withdraw, and an entry without evidence withdraws nothing.
    CHECK(records.withdraw_evidence(1).empty());
    CHECK(records.withdraw_evidence(99).empty());
}

TEST_CASE_FIXTURE(Fixture, "record store: a batch marks each subject it inserted records of, once") {
    const auto marks = [&] {
        std::string text;
        auto statement = db.prepare("SELECT subject_id FROM subject_marks ORDER BY mark");
        while (statement.step()) {
            text += std::string(statement.column_text(0)) + " ";
        }
        return text;
    };
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const auto first = batch();
    auto record = sample_record();
    records.put_subject(record, "110000", first);
    records.put_record(record, hash_of(1), first);
    record.record_id = "(2025)苏01执2号";
    records.put_record(record, hash_of(3), first);
    records.put_record(record, hash_of(3), first);  // the same again: unchanged
    CHECK(marks().empty());  // written with the batch
    records.finish_batch(first, {}, "2026-11-28T00:00:01Z");
    CHECK(marks() == "91110000600037341L ");
    // A changed record is marked by the trigger on records, when it changes.
    const auto second = batch();
    record.amount = 1;
    records.put_record(record, hash_of(4), second);
    CHECK(marks() == "91110000600037341L 91110000600037341L ");
    records.finish_batch(second, {}, "2026-11-28T00:00:02Z");
    CHECK(marks() == "91110000600037341L 91110000600037341L ");
    transaction.commit();
}
