#include <doctest/doctest.h>

#include "rbl/model/appeal.hpp"

namespace model = rbl::model;
using rbl::util::Date;

TEST_CASE("appeal: to_json shows an open appeal with null outcome and decision day") {
    model::Appeal appeal;
    appeal.appeal_id = 3;
    appeal.entry_id = 7;
    appeal.type = model::AppealType::repair;
    appeal.reason = "paid in full";
    appeal.filed_by = "the subject";
    appeal.received_on = Date::from_ymd(2024, 3, 1);
    appeal.due_on = Date::from_ymd(2024, 3, 8);
    CHECK(model::to_json(appeal).dump() ==
          R"({"appeal_id":3,"by":"the subject","decided_on":null,"due_on":"2024-03-08",)"
          R"("entry_id":7,"outcome":null,"reason":"paid in full","received_on":"2024-03-01",)"
          R"("type":"repair"})");
}

TEST_CASE("appeal: to_json shows a decided appeal's outcome and day") {
    model::Appeal appeal;
    appeal.appeal_id = 4;
    appeal.entry_id = 9;
    appeal.received_on = Date::from_ymd(2024, 3, 1);
    appeal.due_on = Date::from_ymd(2024, 3, 8);
    appeal.outcome = model::AppealOutcome::upheld;
    appeal.decided_on = Date::from_ymd(2024, 3, 5);
    const auto json = model::to_json(appeal);
    CHECK(json["type"] == "objection");
    CHECK(json["by"] == "");
    CHECK(json["outcome"] == "upheld");
    CHECK(json["decided_on"] == "2024-03-05");
}
