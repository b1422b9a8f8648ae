#include <doctest/doctest.h>

#include "../temp_dir.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/publish/report.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

TEST_CASE("publish json: an export to one file, and a channel publication") {
    // Built whole (not field by field): g++ 12 at -O3 warns, wrongly, that short strings
    // assigned one by one "may be used uninitialized".
    const std::string sha256(64, 'a');
    publish::ExportSummary summary{.rows = 3,
                                   .out = "out.csv",
                                   .sha256 = sha256,
                                   .publication_id = std::nullopt,
                                   .as_of = "2024-06-30",
                                   .files = {},
                                   .audit_head = std::nullopt};
    CHECK(publish::to_json(summary).dump() ==
          R"({"as_of":"2024-06-30","audit_head":null,"files":[],"out":"out.csv",)"
          R"("publication_id":null,"rows":3,"sha256":")" + sha256 + R"(","written":true})");
    summary.publication_id = 2;
    summary.audit_head = "9:cd";
    summary.files = {"a.csv", "b.csv"};
    const auto json = publish::to_json(summary);
    CHECK(json["publication_id"] == 2);
    CHECK(json["audit_head"] == "9:cd");
    CHECK(json["files"].size() == 2);
}

TEST_CASE("publish json: an empty delta that wrote no file says so") {
    publish::ExportSummary summary;
    summary.out = "delta.csv";
    summary.written = false;
    const auto json = publish::to_json(summary);
    CHECK(json["written"] == false);
    CHECK(json["sha256"].is_null());
    CHECK(json["why"].get<std::string>().starts_with("empty delta"));
    publish::ExportOptions options;
    options.out = "delta.csv";
    CHECK_FALSE(publish::skips_empty_delta(options, 0));  // not a delta
    options.delta = true;
    CHECK(publish::skips_empty_delta(options, 0));
    CHECK_FALSE(publish::skips_empty_delta(options, 1));
    options.write_empty = true;
    CHECK_FALSE(publish::skips_empty_delta(options, 0));
    options.write_empty = false;
    options.out = "-";
    CHECK_FALSE(publish::skips_empty_delta(options, 0));  // stdout prints what it is
}

TEST_CASE("publish json: a report names its file, day and size, and its records' figures") {
    publish::RecordFigures records;
    records.period_from = util::Date::from_ymd(2024, 6, 1);
    records.as_of = util::Date::from_ymd(2024, 6, 30);
    records.public_records = {{"market", "general", 3}, {"market", "serious", 1}};
    records.repairs = {{"market", "granted", 2}, {"market", "refused", 1}, {"tax", "refused", 4}};
    records.ended = {{"statistics", "general", 5}};
    const publish::ReportSummary summary{"report.html", util::Date::from_ymd(2024, 6, 30), 1234,
                                         records};
    CHECK(publish::to_json(summary).dump() ==
          R"({"as_of":"2024-06-30","bytes":1234,"out":"report.html","records":{"as_of":"2024-06-30",)"
          R"("ended":[{"class":"general","count":5,"domain":"statistics"}],"period_from":"2024-06-01",)"
          R"("public":[{"class":"general","count":3,"domain":"market"},{"class":"serious","count":1,)"
          R"("domain":"market"}],"repairs":[{"domain":"market","granted":2,"refused":1},)"
          R"({"domain":"tax","granted":0,"refused":4}]}})");
}

TEST_CASE("publish options: --mode is octal permission bits") {
    CHECK(publish::parse_mode("0600") == 0600);
    CHECK(publish::parse_mode("640") == 0640);
    CHECK(publish::parse_mode("0777") == 0777);
    for (const char* bad : {"", "0800", "1777", "rw", "0600x", "-1"}) {
        CHECK_THROWS_AS_MESSAGE(publish::parse_mode(bad), UsageError, bad);
    }
    CHECK_THROWS_WITH(publish::parse_mode("0800"),
                      "--mode '0800': expected octal permission bits such as 0600 or 0640");
}

TEST_CASE("publish options: the folder to write in must exist") {
    test::TempDir dir;
    publish::check_output_folder(dir.path() / "report.html", "--out");
    publish::check_output_folder("report.html", "--out");  // the current folder
    const auto missing = dir.path() / "nope";
    CHECK_THROWS_WITH_AS(publish::check_output_folder(missing / "report.html", "--out"),
                         ("--out: folder " + missing.string() + " does not exist").c_str(),
                         UsageError);
}
