#include <doctest/doctest.h>

#include "rbl/model/entry.hpp"
#include "rbl/model/entry_state.hpp"

using rbl::model::EntryStatus;
using rbl::util::Date;
namespace model = rbl::model;

TEST_CASE("entry state: where an entry stands on a day") {
    model::Entry entry;
    entry.status = EntryStatus::notice;
    entry.decided_on = Date::from_ymd(2026, 3, 2);
    entry.notice_until = Date::from_ymd(2026, 3, 9);
    entry.effective_from = Date::from_ymd(2026, 3, 10);
    entry.expires_on = Date::from_ymd(2027, 3, 10);
    CHECK(model::status_on(entry, Date::from_ymd(2026, 3, 9)) == EntryStatus::notice);
    CHECK(model::status_on(entry, Date::from_ymd(2026, 3, 10)) == EntryStatus::effective);
    CHECK(model::status_on(entry, Date::from_ymd(2027, 3, 10)) == EntryStatus::expired);
    entry.disputed = true;  // held by an objection: dates do not move it
    CHECK(model::status_on(entry, Date::from_ymd(2026, 6, 1)) == EntryStatus::notice);
    entry.status = EntryStatus::revoked;
    CHECK(model::status_on(entry, Date::from_ymd(2026, 3, 3)) == EntryStatus::revoked);
}

TEST_CASE("entry state: the lawful moves of SPEC's life cycle") {
    using enum EntryStatus;
    CHECK(model::is_lawful_move(notice, publicity));
    CHECK(model::is_lawful_move(notice, effective));
    CHECK(model::is_lawful_move(notice, expired));  // a run may cross several states at once
    CHECK(model::is_lawful_move(publicity, withdrawn));
    CHECK(model::is_lawful_move(effective, lifted));
    CHECK(model::is_lawful_move(effective, repaired));
    CHECK(model::is_lawful_move(effective, revoked));
    CHECK(model::is_lawful_move(effective, expired));
    CHECK_FALSE(model::is_lawful_move(publicity, notice));   // never backwards
    CHECK_FALSE(model::is_lawful_move(notice, revoked));     // a pending entry is withdrawn
    CHECK_FALSE(model::is_lawful_move(notice, repaired));
    CHECK_FALSE(model::is_lawful_move(effective, withdrawn)); // an entry in force is revoked
    CHECK_FALSE(model::is_lawful_move(effective, publicity));
    for (const EntryStatus ended : {expired, lifted, repaired, revoked, withdrawn}) {
        for (const EntryStatus to : model::k_entry_statuses) {
            CHECK_FALSE(model::is_lawful_move(ended, to));
        }
    }
}

TEST_CASE("entry state: every status has one name that reads back") {
    for (const EntryStatus status : model::k_entry_statuses) {
        CHECK(model::parse_entry_status(model::to_string(status)) == status);
    }
    CHECK_FALSE(model::parse_entry_status("listed").has_value());
}

TEST_CASE("entry state: a held entry is pending with an open objection") {
    model::Entry entry;
    entry.status = EntryStatus::publicity;
    CHECK_FALSE(model::is_held(entry));
    entry.disputed = true;
    CHECK(model::is_held(entry));
    entry.status = EntryStatus::effective;  // in force: disputed, not held
    CHECK_FALSE(model::is_held(entry));
}

TEST_CASE("entry state: as published on a day, beside the last run") {
    const auto day = [](int y, int m, int d) { return Date::from_ymd(y, m, d); };
    model::Entry entry;
    entry.status = EntryStatus::notice;
    entry.notice_until = day(2026, 3, 9);
    entry.publicity_until = day(2026, 3, 12);
    entry.effective_from = day(2026, 3, 13);
    entry.expires_on = day(2027, 3, 13);
    const Date last_run = day(2026, 3, 2);
    // On or after the last run: what the office has decided so far, however late the day.
    CHECK(model::state_as_published(entry, day(2026, 4, 1), last_run).status ==
          EntryStatus::notice);
    // Before it (the entry moved on since): by its dates.
    entry.status = EntryStatus::effective;
    CHECK(model::state_as_published(entry, day(2026, 3, 10), day(2026, 3, 20)).status ==
          EntryStatus::publicity);
    const auto expired = model::state_as_published(entry, day(2027, 3, 13), day(2028, 1, 1));
    CHECK(expired.status == EntryStatus::expired);
    CHECK(expired.ended_on == day(2027, 3, 13));
    CHECK(expired.end_reason == model::EndReason::validity_ended);
    // An ended entry is ended from its end on, and stood by its dates before.
    entry.status = EntryStatus::revoked;
    entry.ended_on = day(2026, 6, 1);
    entry.end_reason = model::EndReason::objection_upheld;
    const auto revoked = model::state_as_published(entry, day(2026, 6, 1), day(2026, 7, 1));
    CHECK(revoked.status == EntryStatus::revoked);
    CHECK(revoked.end_reason == model::EndReason::objection_upheld);
    CHECK(model::state_as_published(entry, day(2026, 5, 31), day(2026, 7, 1)).status ==
          EntryStatus::effective);
}
