#include <doctest/doctest.h>

#include "rbl/appeal/appeal_desk.hpp"

using namespace rbl;
using util::Date;

namespace {

store::AppealRow open_row(std::int64_t appeal_id, Date due_on) {
    store::AppealRow row;
    row.appeal.appeal_id = appeal_id;
    row.appeal.entry_id = 10 + appeal_id;
    row.appeal.received_on = Date::from_ymd(2024, 5, 1);
    row.appeal.due_on = due_on;
    row.list_id = "tax_black";
    row.subject_id = "91320000000000000X";
    row.subject_name = "某某公司";
    row.entry_status_now = model::EntryStatus::publicity;
    return row;
}

}  // namespace

TEST_CASE("appeal json: a decision is the appeal with the entry after it and the effect") {
    appeal::Decision decision;
    decision.appeal.appeal_id = 2;
    decision.appeal.entry_id = 7;
    decision.appeal.outcome = model::AppealOutcome::upheld;
    decision.appeal.decided_on = Date::from_ymd(2024, 5, 3);
    decision.entry.status = model::EntryStatus::revoked;
    decision.entry.disputed = false;
    decision.effect = "entry 7 revoked";
    decision.withdrawn_records = {"court/A-1", "court/A-2"};
    const auto json = appeal::to_json(decision);
    CHECK(json["appeal_id"] == 2);
    CHECK(json["outcome"] == "upheld");
    CHECK(json["entry_status"] == "revoked");
    CHECK(json["disputed"] == false);
    CHECK(json["effect"] == "entry 7 revoked");
    CHECK(json["withdrawn_records"].dump() == R"(["court/A-1","court/A-2"])");
}

TEST_CASE("appeal json: a listing judges each appeal overdue as of its day") {
    appeal::AppealListing listing;
    listing.appeals.push_back(open_row(1, Date::from_ymd(2024, 5, 8)));
    listing.appeals.push_back(open_row(2, Date::from_ymd(2024, 5, 20)));
    listing.overdue = 1;
    const auto json = appeal::to_json(listing, Date::from_ymd(2024, 5, 10));
    CHECK(json["as_of"] == "2024-05-10");
    CHECK(json["overdue"] == 1);
    REQUIRE(json["appeals"].size() == 2);
    CHECK(json["appeals"][0]["overdue"] == true);
    CHECK(json["appeals"][1]["overdue"] == false);
    CHECK(json["appeals"][0]["list_id"] == "tax_black");
    CHECK(json["appeals"][0]["subject_name"] == "某某公司");
    CHECK(json["appeals"][0]["entry_status"] == "publicity");
    CHECK(json["appeals"][0]["entry_id"] == 11);
}

TEST_CASE("appeal json: an empty listing has an empty array, and a story its lines") {
    const auto json = appeal::to_json(appeal::AppealListing{}, Date::from_ymd(2024, 5, 10));
    CHECK(json.dump() == R"({"appeals":[],"as_of":"2024-05-10","overdue":0})");
    CHECK(appeal::story_to_json(5, {"filed", "decided"}).dump() ==
          R"({"appeal_id":5,"story":["filed","decided"]})");
}
