#include <doctest/doctest.h>

#include "rbl/ingest/feedback.hpp"
#include "rbl/ingest/importer.hpp"

using namespace rbl;

TEST_CASE("summary json: feedback committed counts what is stored") {
    ingest::FeedbackSummary summary;
    summary.rows = 4;
    summary.inserted = 2;
    summary.unchanged = 1;
    summary.rejected = 1;
    summary.rejections = {"line 3: there is no entry 99"};
    summary.batch_id = 6;
    summary.committed = true;
    CHECK(ingest::to_json(summary).dump() ==
          R"({"batch_id":6,"committed":true,"inserted":2,"rejected":1,)"
          R"("rejections":["line 3: there is no entry 99"],"rows":4,"unchanged":1,"updated":0,)"
          R"("validated":{"inserted":2,"unchanged":1,"updated":0}})");
}

TEST_CASE("summary json: feedback not committed stores nothing, validated says what it found") {
    ingest::FeedbackSummary summary;
    summary.rows = 3;
    summary.inserted = 2;
    summary.unchanged = 1;
    const auto json = ingest::to_json(summary);
    CHECK(json["inserted"] == 0);
    CHECK(json["unchanged"] == 0);
    CHECK(json["validated"]["inserted"] == 2);
    CHECK(json["validated"]["unchanged"] == 1);
    CHECK(json["batch_id"].is_null());
    CHECK(json["committed"] == false);
}

TEST_CASE("summary json: a revert names its batch and the records withdrawn") {
    CHECK(ingest::to_json(ingest::RevertSummary{4, 12}).dump() ==
          R"({"batch_id":4,"withdrawn":12})");
}
