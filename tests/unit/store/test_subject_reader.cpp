#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rbl/store/subject_reader.hpp"

using rbl::store::keep_one_fact_per_decision;
using rbl::store::StoredRecord;

namespace {

StoredRecord version(std::int64_t rec, std::string source, std::string record_id,
                     std::int64_t updated_batch, std::string date = "2026-01-10") {
    StoredRecord record;
    record.rec = rec;
    record.source = std::move(source);
    record.record_id = std::move(record_id);
    record.domain = "courts";
    record.kind = "court_default";
    record.date = std::move(date);
    record.updated_batch = updated_batch;
    return record;
}

std::vector<std::int64_t> recs(const std::vector<StoredRecord>& records) {
    std::vector<std::int64_t> out;
    for (const auto& record : records) {
        out.push_back(record.rec);
    }
    return out;
}

}  // namespace

TEST_CASE("one fact per decision: the version imported last counts") {
    std::vector<StoredRecord> records = {version(1, "court", "D1", 1), version(2, "platform", "D1", 2),
                                         version(3, "court", "D2", 3)};
    keep_one_fact_per_decision(records, "2026-12-01");
    CHECK(recs(records) == std::vector<std::int64_t>{2, 3});
}

TEST_CASE("one fact per decision: other kinds or domains are other decisions") {
    auto penalty = version(2, "platform", "D1", 2);
    penalty.kind = "penalty";
    auto tax = version(3, "tax", "D1", 3);
    tax.domain = "tax";
    std::vector<StoredRecord> records = {version(1, "court", "D1", 1), penalty, tax};
    keep_one_fact_per_decision(records, "2026-12-01");
    CHECK(recs(records) == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("one fact per decision: a withdrawal imported last withdraws the fact") {
    auto withdrawn = version(2, "court", "D1", 5);
    withdrawn.active = false;
    std::vector<StoredRecord> records = {version(1, "platform", "D1", 4), withdrawn};
    keep_one_fact_per_decision(records, "2026-12-01");
    CHECK(records.empty());
}

TEST_CASE("one fact per decision: an office withdrawal binds every copy") {
    auto office = version(1, "court", "D1", 1);
    office.active = false;
    office.withdrawn_by_office = true;
    std::vector<StoredRecord> records = {office, version(2, "platform", "D1", 9)};
    keep_one_fact_per_decision(records, "2026-12-01");
    CHECK(records.empty());
}

TEST_CASE("one fact per decision: the counting version's date decides whether it exists yet") {
    std::vector<StoredRecord> records = {version(1, "court", "D1", 1, "2026-01-10"),
                                         version(2, "platform", "D1", 2, "2026-03-10")};
    keep_one_fact_per_decision(records, "2026-02-01");
    CHECK(records.empty());  // the version that counts is dated after the as-of day
    records = {version(1, "court", "D1", 1, "2026-01-10"), version(2, "platform", "D1", 2, "2026-03-10")};
    keep_one_fact_per_decision(records, "2026-03-10");
    CHECK(recs(records) == std::vector<std::int64_t>{2});
}

TEST_CASE("one fact per decision: a granted repair ends the fact from its day, every copy") {
    auto repaired = version(1, "court", "D1", 1);
    repaired.repaired_on = "2026-07-15";
    const std::vector<StoredRecord> stored = {repaired, version(2, "platform", "D1", 9),
                                              version(3, "court", "D2", 2)};
    std::vector<StoredRecord> records = stored;
    CHECK(keep_one_fact_per_decision(records, "2026-07-15") == std::nullopt);
    CHECK(recs(records) == std::vector<std::int64_t>{3});  // on its day: gone, copies too
    records = stored;
    CHECK(keep_one_fact_per_decision(records, "2026-07-14") == "2026-07-15");
    CHECK(recs(records) == std::vector<std::int64_t>{2, 3});  // the day before: as it was
}

TEST_CASE("one fact per decision: the facts come back by domain, then date") {
    std::vector<StoredRecord> records = {version(1, "court", "Z", 1, "2026-01-01"),
                                         version(2, "court", "A", 1, "2026-02-01"),
                                         version(3, "court", "M", 1, "2025-12-01")};
    keep_one_fact_per_decision(records, "2026-12-01");
    CHECK(recs(records) == std::vector<std::int64_t>{3, 1, 2});
}
