#include <doctest/doctest.h>

#include <string>

#include "rbl/audit/audit_log.hpp"

using namespace rbl;

namespace {

const std::string k_hash(64, 'a');

}  // namespace

TEST_CASE("audit json: a row's details are an object, not a string") {
    audit::AuditRow row;
    row.seq = 4;
    row.at = "2024-05-01T08:00:00Z";
    row.operator_name = "张三";
    row.login = "zhang";
    row.tool = "rbl-import";
    row.action = "import.batch";
    row.object = "batch:1";
    row.details = R"({"rows":3})";
    row.prev_hash = "ignored";
    row.hash = k_hash;
    CHECK(audit::to_json(row).dump() ==
          R"({"action":"import.batch","at":"2024-05-01T08:00:00Z","details":{"rows":3},)"
          R"("hash":")" + k_hash +
              R"(","login":"zhang","object":"batch:1","operator":"张三","seq":4,)"
              R"("tool":"rbl-import"})");
    row.details = "not json";
    CHECK(audit::to_json(row)["details"].is_discarded());
}

TEST_CASE("audit json: a head, and none") {
    CHECK(audit::to_json(std::optional<audit::Head>()).is_null());
    const auto json = audit::to_json(std::optional<audit::Head>(audit::Head{12, k_hash}));
    CHECK(json["seq"] == 12);
    CHECK(json["hash"] == k_hash);
    CHECK(json["head"] == "12:" + k_hash);
}

TEST_CASE("audit json: a verify result says whether a head kept outside was checked") {
    audit::VerifyResult result;
    result.rows = 9;
    result.entries_checked = 2;
    result.records_checked = 5;
    result.head = audit::Head{9, k_hash};
    audit::VerifyOptions options;
    auto json = audit::to_json(result, options);
    CHECK(json["ok"] == true);
    CHECK(json["first_bad"].is_null());
    CHECK(json["object"].is_null());
    CHECK(json["problem"] == "");
    CHECK(json["head_checked"] == false);
    CHECK(json["head"]["seq"] == 9);
    CHECK(json["entries_checked"] == 2);
    CHECK(json["records_checked"] == 5);

    result.first_bad = 5;
    result.problem = "row 5: hash does not match its contents";
    result.object = "entry:3";
    result.problems = {result.problem};
    options.head = audit::Head{9, k_hash};
    json = audit::to_json(result, options);
    CHECK(json["ok"] == false);
    CHECK(json["first_bad"] == 5);
    CHECK(json["object"] == "entry:3");
    CHECK(json["problems"].size() == 1);
    CHECK(json["head_checked"] == true);
}
