#include <doctest/doctest.h>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"

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
