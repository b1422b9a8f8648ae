#include <doctest/doctest.h>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/state_hash.hpp"

using namespace rbl;
using model::EntryStatus;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::EntryStore entries{db};

    Fixture() { db.exec(test::k_one_entry); }

    model::Entry the_entry() {
        const auto all = entries.subject_entries("91320102MA1000001X");
        REQUIRE(all.size() == 1);
        return all[0];
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "entry store: a run's update is written only over what it read") {
    model::Entry entry = the_entry();
    CHECK(entry.status == EntryStatus::notice);
    CHECK_FALSE(entry.disputed);
    entry.status = EntryStatus::publicity;
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    CHECK(entries.update(entry, EntryStatus::notice, 1));
    CHECK(the_entry().status == EntryStatus::publicity);

    // Read as notice, but it is publicity now: another writer changed it; nothing written.
    entry.status = EntryStatus::withdrawn;
    entry.ended_on = util::Date::from_ymd(2026, 3, 5);
    CHECK_FALSE(entries.update(entry, EntryStatus::notice, 1));
    CHECK(the_entry().status == EntryStatus::publicity);

    // An objection filed since the snapshot (disputed now, not when read): nothing written.
    db.exec("UPDATE entries SET disputed = 1");
    CHECK_FALSE(entries.update(entry, EntryStatus::publicity, 1));
    CHECK(the_entry().status == EntryStatus::publicity);
    entry.disputed = true;
    CHECK(entries.update(entry, EntryStatus::publicity, 1));
    CHECK(the_entry().status == EntryStatus::withdrawn);
}

TEST_CASE_FIXTURE(Fixture, "entry store: last run id and entries about to expire") {
    CHECK(entries.last_run_id() == 1);
    db.exec("UPDATE entries SET status = 'effective'");  // expires 2027-03-13
    CHECK(entries.expiring(util::Date::from_ymd(2027, 2, 12), util::Date::from_ymd(2027, 3, 13))
              .size() == 1);
    CHECK(entries.expiring(util::Date::from_ymd(2027, 2, 12), util::Date::from_ymd(2027, 3, 12))
              .empty());
}

TEST_CASE_FIXTURE(Fixture, "entry store: an appeal's effect is written as given") {
    model::Entry entry = the_entry();
    entry.status = EntryStatus::revoked;
    entry.notice_until = std::nullopt;
    entry.publicity_until = util::Date::from_ymd(2026, 3, 20);
    entry.effective_from = util::Date::from_ymd(2026, 3, 21);
    entry.expires_on = util::Date::from_ymd(2027, 3, 21);
    entry.ended_on = util::Date::from_ymd(2026, 3, 25);
    entry.end_reason = rbl::model::EndReason::objection_upheld;
    entry.disputed = true;
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    entries.store_appeal_effect(entry);
    const model::Entry stored = the_entry();
    CHECK(stored.status == EntryStatus::revoked);
    CHECK_FALSE(stored.notice_until.has_value());
    CHECK(stored.publicity_until == util::Date::from_ymd(2026, 3, 20));
    CHECK(stored.effective_from == util::Date::from_ymd(2026, 3, 21));
    CHECK(stored.expires_on == util::Date::from_ymd(2027, 3, 21));
    CHECK(stored.ended_on == util::Date::from_ymd(2026, 3, 25));
    CHECK(stored.end_reason == rbl::model::EndReason::objection_upheld);
    CHECK(stored.disputed);

    // Unlike a run's update, it does not depend on what was read: an empty end clears it.
    entry.status = EntryStatus::effective;
    entry.ended_on = std::nullopt;
    entry.end_reason.reset();
    entry.disputed = false;
    entries.store_appeal_effect(entry);
    const model::Entry again = the_entry();
    CHECK(again.status == EntryStatus::effective);
    CHECK_FALSE(again.ended_on.has_value());
    CHECK_FALSE(again.end_reason);
    CHECK_FALSE(again.disputed);
}

TEST_CASE_FIXTURE(Fixture, "entry store: the domains entries are on") {
    CHECK(entries.domains() == std::vector<std::string>{"market"});
    db.exec("DELETE FROM entry_evidence; DELETE FROM entries");
    CHECK(entries.domains().empty());
}

namespace {

store::RunStart a_run() {
    return store::RunStart{"2026-04-01", "wang", "0.1", "x", std::nullopt, false, "t"};
}

// A new entry on the fixture's list for the fixture's subject, with its evidence.
store::StagedChange staged_creation(std::vector<std::pair<std::int64_t, std::string>> evidence,
                                    std::string explanation) {
    store::StagedChange staged;
    staged.create = true;
    staged.entry.list_id = "market.black.serious";
    staged.entry.subject_id = "91320102MA1000001X";
    staged.entry.kind = model::ListKind::black;
    staged.entry.domain = "market";
    staged.entry.status = EntryStatus::notice;
    staged.entry.decided_on = util::Date::from_ymd(2026, 4, 1);
    staged.entry.notice_until = util::Date::from_ymd(2026, 4, 8);
    staged.entry.effective_from = util::Date::from_ymd(2026, 4, 9);
    staged.entry.expires_on = util::Date::from_ymd(2027, 4, 9);
    staged.subject_name = "甲公司";
    staged.detail = std::move(explanation);
    staged.evidence = std::move(evidence);
    return staged;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "entry store: staged changes are written in staging order") {
    const store::ListTerms terms{"Title", "标题", "Basis", "Authority", R"({"validity":"1y"})",
                                 "v2", "abc"};
    model::Entry moved = the_entry();
    moved.status = EntryStatus::publicity;
    store::StagedChange update;
    update.entry = moved;
    update.change = model::ChangeKind::advanced;
    update.status_read = EntryStatus::notice;
    entries.start_staging();
    entries.stage(staged_creation({{2, "P2"}, {1, "P1"}}, "first"));
    entries.stage(update);
    entries.stage(staged_creation({{1, "P1"}}, "second"));

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const std::int64_t run_id = entries.begin_run(a_run());
    std::vector<std::string> lists_asked;
    std::vector<std::int64_t> ids;
    store::StateReader states(db);
    entries.write_staged(
        run_id,
        [&](const std::string& list_id) -> const store::ListTerms& {
            lists_asked.push_back(list_id);
            return terms;
        },
        [&](const store::WrittenChange& written) {
            ids.push_back(written.entry_id);
            CHECK(written.written);
            // The state is that of the entry as stored, as `rbl-audit verify` reads it.
            REQUIRE(written.state.has_value());
            CHECK(*written.state == *states.entry_state(written.entry_id));
            if (written.staged.create) {
                // The evidence as staged, by record_id (as for_each_staged gives it).
                CHECK(written.staged.evidence.front().second == "P1");
            }
        });
    CHECK(lists_asked == std::vector<std::string>{"market.black.serious"});
    // New ids follow the largest one in staging order; the update keeps its entry's.
    CHECK(ids == std::vector<std::int64_t>{2, 1, 3});
    const auto all = entries.subject_entries("91320102MA1000001X");
    REQUIRE(all.size() == 3);
    CHECK(all[0].status == EntryStatus::publicity);
    CHECK(all[1].decided_on == util::Date::from_ymd(2026, 4, 1));
    CHECK(all[1].notice_until == util::Date::from_ymd(2026, 4, 8));
    CHECK_FALSE(all[1].publicity_until.has_value());
    CHECK(entries.evidence_of(2).size() == 2);
    CHECK(entries.evidence_of(3).size() == 1);
    store::Statement stored(db,
                     "SELECT group_concat(list_title || '/' || terms || '/' || rule_version || "
                     "'/' || explanation || '/' || created_run || '/' || updated_run, '|') "
                     "FROM entries WHERE entry_id > 1");
    REQUIRE(stored.step());
    CHECK(stored.column_text(0) == R"(Title/{"validity":"1y"}/v2/first/2/2|)"
                                   R"(Title/{"validity":"1y"}/v2/second/2/2)");
}

TEST_CASE_FIXTURE(Fixture, "entry store: a staged update another writer overtook is skipped") {
    model::Entry moved = the_entry();
    moved.status = EntryStatus::publicity;
    store::StagedChange update;
    update.entry = moved;
    update.change = model::ChangeKind::advanced;
    update.status_read = EntryStatus::notice;
    entries.start_staging();
    entries.stage(update);
    entries.stage(staged_creation({{1, "P1"}}, "x"));
    db.exec("UPDATE entries SET disputed = 1");  // an objection filed since the snapshot

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    const std::int64_t run_id = entries.begin_run(a_run());
    const store::ListTerms terms{"T", "T", "B", "A", "{}", "v", "s"};
    std::vector<std::pair<std::int64_t, bool>> seen;
    entries.write_staged(
        run_id, [&](const std::string&) -> const store::ListTerms& { return terms; },
        [&](const store::WrittenChange& written) {
            seen.emplace_back(written.entry_id, written.written);
            CHECK(written.state.has_value() == written.written);
        });
    CHECK(seen == std::vector<std::pair<std::int64_t, bool>>{{1, false}, {2, true}});
    const auto all = entries.subject_entries("91320102MA1000001X");
    REQUIRE(all.size() == 2);
    CHECK(all[0].status == EntryStatus::notice);  // as the objection left it
}
