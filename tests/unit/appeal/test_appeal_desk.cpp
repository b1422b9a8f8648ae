#include <doctest/doctest.h>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;
using model::AppealOutcome;
using model::AppealType;
using model::EntryStatus;
using util::Date;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog audit{db, {"tester", "login", "rbl-appeal"}};
    rules::Calendar calendar = rules::Calendar::from_lists(
        {rules::Weekday::sat, rules::Weekday::sun}, {Date::from_ymd(2026, 3, 4)}, {});
    appeal::AppealDesk desk{db, audit, calendar, "tester"};

    Fixture() {
        db.exec(test::k_one_entry);
    }

    std::string column(std::string_view sql) {
        store::Statement statement(db, sql);
        REQUIRE(statement.step());
        return std::string(statement.column_text(0));
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "appeal: a rejected objection extends the held state and what follows") {
    // Received Tue 03-03: due 5 working days on, skipping the holiday 03-04: 03-11.
    const auto objection = desk.file({1, AppealType::objection, "wrong", "subject",
                                      Date::from_ymd(2026, 3, 3), ""});
    CHECK(objection.due_on == Date::from_ymd(2026, 3, 11));
    CHECK(column("SELECT disputed FROM entries") == "1");
    // Decided Fri 03-13, after the planned end of notice: notice ends that day, publicity takes
    // 3 working days after it (03-16..18), in force from 03-19 for 1y.
    const auto decision = desk.decide({objection.appeal_id, AppealOutcome::rejected, false, "no",
                                       Date::from_ymd(2026, 3, 13)});
    CHECK(decision.entry.status == EntryStatus::notice);
    CHECK(decision.entry.notice_until == Date::from_ymd(2026, 3, 13));
    CHECK(decision.entry.publicity_until == Date::from_ymd(2026, 3, 18));
    CHECK(decision.entry.effective_from == Date::from_ymd(2026, 3, 19));
    CHECK(decision.entry.expires_on == Date::from_ymd(2027, 3, 19));
    CHECK(column("SELECT notice_until || ' ' || publicity_until || ' ' || disputed FROM entries") ==
          "2026-03-13 2026-03-18 0");
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "appeal: a decision before the planned end keeps the planned dates") {
    const auto objection =
        desk.file({1, AppealType::objection, "wrong", "", Date::from_ymd(2026, 3, 3), ""});
    const auto decision = desk.decide({objection.appeal_id, AppealOutcome::rejected, false, "no",
                                       Date::from_ymd(2026, 3, 5)});
    CHECK(decision.entry.notice_until == Date::from_ymd(2026, 3, 9));
    CHECK(decision.entry.publicity_until == Date::from_ymd(2026, 3, 12));
    CHECK(decision.entry.effective_from == Date::from_ymd(2026, 3, 13));
}

TEST_CASE_FIXTURE(Fixture, "appeal: upheld with withdraw_records retires the evidence") {
    const auto objection =
        desk.file({1, AppealType::objection, "wrong", "", Date::from_ymd(2026, 3, 3), ""});
    const auto decision = desk.decide({objection.appeal_id, AppealOutcome::upheld, true, "yes",
                                       Date::from_ymd(2026, 3, 5)});
    CHECK(decision.entry.status == EntryStatus::withdrawn);
    CHECK(decision.entry.end_reason == rbl::model::EndReason::objection_upheld);
    CHECK(decision.withdrawn_records ==
          std::vector<std::string>{"default/P1", "default/P2"});
    CHECK(column("SELECT group_concat(status || ':' || withdrawn_by) FROM records") ==
          "withdrawn:office,withdrawn:office");
}

TEST_CASE_FIXTURE(Fixture, "appeal: repair is refused before its time, with the date it opens") {
    db.exec("UPDATE entries SET status = 'effective'");
    try {
        desk.file({1, AppealType::repair, "fixed", "", Date::from_ymd(2026, 4, 1), ""});
        FAIL("repair accepted too early");
    } catch (const UsageError& error) {
        CHECK(std::string(error.what()).find("allowed from 2026-09-13") != std::string::npos);
    }
    const auto repair = desk.file({1, AppealType::repair, "fixed", "", Date::from_ymd(2026, 9, 13), ""});
    CHECK_THROWS_AS(desk.file({1, AppealType::repair, "again", "", Date::from_ymd(2026, 9, 14), ""}),
                    UsageError);
    CHECK_THROWS_AS(desk.decide({repair.appeal_id, AppealOutcome::upheld, true, "x",
                                 Date::from_ymd(2026, 9, 14)}),
                    UsageError);  // --withdraw-records is for objections
    const auto decision = desk.decide({repair.appeal_id, AppealOutcome::upheld, false, "ok",
                                       Date::from_ymd(2026, 9, 14)});
    CHECK(decision.entry.status == EntryStatus::repaired);
    CHECK(decision.entry.ended_on == Date::from_ymd(2026, 9, 14));
}

TEST_CASE_FIXTURE(Fixture, "appeal: unknown ids, ended entries and decided appeals are refused") {
    CHECK_THROWS_AS(desk.file({2, AppealType::objection, "x", "", Date::from_ymd(2026, 3, 3), ""}),
                    UsageError);
    CHECK_THROWS_AS(desk.decide({9, AppealOutcome::upheld, false, "x", Date::from_ymd(2026, 3, 3)}),
                    UsageError);
    CHECK_THROWS_AS(desk.file({1, AppealType::objection, "x", "", Date::from_ymd(2026, 3, 1), ""}),
                    UsageError);  // before the decision date
    // Effective and past its expiry on the day of receipt: it ran out.
    db.exec("UPDATE entries SET status = 'effective'");
    CHECK_THROWS_AS(desk.file({1, AppealType::objection, "x", "", Date::from_ymd(2027, 3, 13), ""}),
                    UsageError);
    const auto objection =
        desk.file({1, AppealType::objection, "x", "", Date::from_ymd(2026, 3, 20), ""});
    desk.decide({objection.appeal_id, AppealOutcome::rejected, false, "x",
                 Date::from_ymd(2026, 3, 21)});
    CHECK_THROWS_AS(desk.decide({objection.appeal_id, AppealOutcome::upheld, false, "x",
                                 Date::from_ymd(2026, 3, 22)}),
                    UsageError);
    CHECK(column("SELECT count(*) FROM appeals") == "1");
}

TEST_CASE_FIXTURE(Fixture, "appeal: overdue appeals are counted as of a date") {
    desk.file({1, AppealType::objection, "x", "", Date::from_ymd(2026, 3, 3), ""});  // due 03-11
    CHECK(desk.list(true, true, Date::from_ymd(2026, 3, 11)).overdue == 0);
    const auto listing = desk.list(true, true, Date::from_ymd(2026, 3, 12));
    CHECK(listing.overdue == 1);
    REQUIRE(listing.appeals.size() == 1);
    CHECK(listing.appeals[0].subject_name == "甲公司");
}
