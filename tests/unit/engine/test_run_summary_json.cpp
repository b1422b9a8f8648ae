#include <doctest/doctest.h>

#include "rbl/engine/adjudicator.hpp"

using namespace rbl;

TEST_CASE("run summary json: totals at the top, counts per list, the expiring entries") {
    engine::AdjudicationSummary summary;
    summary.as_of = "2024-06-30";
    summary.run_id = 3;
    summary.lists["tax.black"] = {2, 1, 0, 0, 0, 0};
    summary.lists["tax.red"] = {};
    summary.total = {2, 1, 0, 0, 0, 0};
    summary.subjects = 40;
    summary.subjects_total = 1000;
    summary.full = false;
    summary.expiring.push_back({7, "tax.black", "91320000000000000X", "2024-07-15"});
    summary.read_seconds = 0.5;
    summary.evaluate_seconds = 0.25;
    summary.write_seconds = 0.125;
    engine::AdjudicateOptions options;
    options.notify_days = 30;
    options.jobs = 2;
    CHECK(engine::to_json(summary, options).dump() ==
          R"({"advanced":1,"as_of":"2024-06-30","created":2,"dry_run":false,)"
          R"("expired":0,"expiring":[{"entry_id":7,"expires_on":"2024-07-15",)"
          R"("list_id":"tax.black","subject_id":"91320000000000000X"}],"full_reason":null,)"
          R"("jobs":2,"lifted":0,)"
          R"("lists":{"tax.black":{"advanced":1,"created":2,"expired":0,"lifted":0,)"
          R"("revoked":0,"withdrawn":0},"tax.red":{"advanced":0,"created":0,"expired":0,)"
          R"("lifted":0,"revoked":0,"withdrawn":0}},"mode":"incremental","notify_days":30,)"
          R"("revoked":0,"run_id":3,"seconds":{"evaluate":0.25,"read":0.5,"write":0.125},)"
          R"("subjects":40,"subjects_total":1000,"withdrawn":0})");
}

TEST_CASE("run summary json: a dry run has no run id, and empty lists stay JSON containers") {
    engine::AdjudicationSummary summary;
    summary.as_of = "2024-06-30";
    engine::AdjudicateOptions options;
    options.dry_run = true;
    options.notify_days = 0;
    const auto json = engine::to_json(summary, options);
    CHECK(json["run_id"].is_null());
    CHECK(json["dry_run"] == true);
    CHECK(json["notify_days"] == 0);
    CHECK(json["lists"].dump() == "{}");
    CHECK(json["expiring"].dump() == "[]");
}
