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
