#include <doctest/doctest.h>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/database.hpp"

using namespace rbl;
using model::AppealOutcome;
using model::AppealType;
using util::Date;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::AppealStore appeals{db};

    Fixture() { db.exec(test::k_one_entry); }

    model::Appeal objection(Date received) const {
        model::Appeal appeal;
        appeal.entry_id = 1;
        appeal.type = AppealType::objection;
        appeal.reason = "该处罚已被撤销";
        appeal.filed_by = "甲公司";
        appeal.received_on = received;
        appeal.due_on = Date::from_ymd(2026, 3, 10);
        appeal.entry_status = model::EntryStatus::notice;
        appeal.operator_name = "张三";
        appeal.filed_at = "2026-03-03T01:00:00Z";
        return appeal;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "appeal store: an entry with what an appeal needs of it") {
    const auto detail = appeals.entry(1);
    REQUIRE(detail.has_value());
    CHECK(detail->entry.list_id == "market.black.serious");
    CHECK(detail->entry.status == model::EntryStatus::notice);
    CHECK(detail->entry.effective_from == Date::from_ymd(2026, 3, 13));
    CHECK(detail->subject_name == "甲公司");
    CHECK(detail->terms_json.find("\"appeal_days\":5") != std::string::npos);
    CHECK(detail->explanation == "because");
    CHECK_FALSE(appeals.entry(2).has_value());
}

TEST_CASE_FIXTURE(Fixture, "appeal store: an appeal inserted reads back as it was filed") {
    const std::int64_t id = appeals.insert(objection(Date::from_ymd(2026, 3, 3)));
    CHECK(id == 1);
    const auto found = appeals.find(id);
    REQUIRE(found.has_value());
    CHECK(found->entry_id == 1);
    CHECK(found->type == AppealType::objection);
    CHECK(found->reason == "该处罚已被撤销");
    CHECK(found->filed_by == "甲公司");
    CHECK(found->received_on == Date::from_ymd(2026, 3, 3));
    CHECK(found->due_on == Date::from_ymd(2026, 3, 10));
    CHECK(found->entry_status == model::EntryStatus::notice);
    CHECK(found->is_open());
    CHECK_FALSE(appeals.find(id + 1).has_value());
}

TEST_CASE_FIXTURE(Fixture, "appeal store: open counts, lists and decisions") {
    const std::int64_t first = appeals.insert(objection(Date::from_ymd(2026, 3, 3)));
    const std::int64_t second = appeals.insert(objection(Date::from_ymd(2026, 3, 5)));
    CHECK(appeals.open_count(1, AppealType::objection) == 2);
    CHECK(appeals.open_count(1, AppealType::repair) == 0);

    model::Appeal decided = *appeals.find(first);
    decided.outcome = AppealOutcome::rejected;
    decided.decided_on = Date::from_ymd(2026, 3, 6);
    decided.note = "证据不足";
    decided.decided_by = "李四";
    decided.decided_at = "2026-03-06T02:00:00Z";
    appeals.record_decision(decided);

    CHECK(appeals.open_count(1, AppealType::objection) == 1);
    const auto reread = appeals.find(first);
    REQUIRE(reread->outcome.has_value());
    CHECK(*reread->outcome == AppealOutcome::rejected);
    CHECK(reread->decided_on == Date::from_ymd(2026, 3, 6));
    CHECK(reread->note == "证据不足");
    CHECK(reread->decided_by == "李四");

    const auto all = appeals.list(false);
    REQUIRE(all.size() == 2);
    CHECK(all[0].appeal.appeal_id == first);
    CHECK(all[1].appeal.appeal_id == second);
    CHECK(all[0].list_id == "market.black.serious");
    CHECK(all[0].subject_id == "91320102MA1000001X");
    CHECK(all[0].subject_name == "甲公司");
    const auto open = appeals.list(true);
    REQUIRE(open.size() == 1);
    CHECK(open[0].appeal.appeal_id == second);

    const auto of_entry = appeals.of_entry(1);
    REQUIRE(of_entry.size() == 2);
    CHECK(of_entry[0].appeal_id == first);
    CHECK(appeals.of_entry(2).empty());
}
