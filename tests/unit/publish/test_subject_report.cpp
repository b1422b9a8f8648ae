#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/publish/subject_report.hpp"
#include "rbl/publish/subject_report_html.hpp"
#include "rbl/publish/subject_report_pdf.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

namespace {

constexpr const char* k_company = "91320102MA1000001X";

// The fixture's entry (decided 2026-03-02, in force from 03-13 to 2027-03-13) made effective by a
// later run as of 2026-04-01; an award beside the two penalties; a natural person with a penalty.
constexpr std::string_view k_later = R"sql(
INSERT INTO runs VALUES (2, '2026-04-01', 't', '0.1', 'x', NULL, 0, '', '', '{}');
UPDATE entries SET status = 'effective', updated_run = 2;
INSERT INTO subjects VALUES ('11010519491231002X', '张三', 'natural_person', '110105', 1, 1, 1);
INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, amount_fen,
                     authority, status, attrs, content_hash, inserted_batch, updated_batch,
                     seen_batch)
VALUES (3, 'default', 'A1', '91320102MA1000001X', 'market', 'award', '2026-01-05', NULL, '某局',
        'active', '{}', x'00', 1, 1, 1),
       (4, 'default', 'P9', '11010519491231002X', 'market', 'penalty', '2026-02-10', 12345,
        '某局', 'active', '{"publicity_until":"2027-02-10"}', x'00', 1, 1, 1);
)sql";

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};

    Fixture() {
        db.exec(test::k_one_entry);
        db.exec(k_later);
    }

    publish::SubjectReport gather(publish::ReportScope scope) {
        return publish::gather_subject_report(db, scope, "XYBG-1", "某中心", "tester",
                                              util::Date::from_ymd(2026, 4, 2));
    }
};

publish::ReportScope scope_of(const char* subject) {
    publish::ReportScope scope;
    scope.subject_id = subject;
    return scope;
}

std::vector<std::string> record_ids(const publish::ReportDomain& domain) {
    std::vector<std::string> ids;
    for (const auto& record : domain.records) {
        ids.push_back(record.record_id);
    }
    return ids;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "subject report: the period's records per domain, penalties first") {
    const auto report = gather(scope_of(k_company));
    CHECK(report.as_of == "2026-04-01");
    CHECK(report.from == "2023-04-01");
    CHECK(report.to == "2026-04-01");
    CHECK(report.subject_name == "甲公司");
    CHECK(report.subject_id == k_company);
    REQUIRE(report.domains.size() == 1);
    CHECK(report.domains[0].domain == "market");
    CHECK(record_ids(report.domains[0]) == std::vector<std::string>{"P1", "P2", "A1"});
    CHECK(report.domains[0].records[0].kind_zh == "行政处罚");

    auto scope = scope_of(k_company);
    scope.from = util::Date::from_ymd(2026, 2, 2);
    CHECK(record_ids(gather(scope).domains[0]) == std::vector<std::string>{"P2"});
}

TEST_CASE_FIXTURE(Fixture, "subject report: a covered domain without records is there, empty") {
    std::ofstream(dir.path() / "labour.yaml") << "domain: labour\n";
    auto scope = scope_of(k_company);
    scope.rules_dir = dir.path();
    const auto report = gather(scope);
    REQUIRE(report.domains.size() == 2);
    CHECK(report.domains[0].domain == "labour");
    CHECK(report.domains[0].records.empty());
    const std::string html = publish::subject_report_html(report, content_digest(report));
    CHECK(html.find("<p class=\"none\" data-field=\"no_record\">未发现记录</p>") !=
          std::string::npos);
    scope.domains = {"labour"};
    CHECK(gather(scope).domains.size() == 1);
    scope.domains = {"nope"};
    CHECK_THROWS_AS(gather(scope), UsageError);
}

TEST_CASE_FIXTURE(Fixture, "subject report: entries in force on some day of the period") {
    auto scope = scope_of(k_company);
    scope.from = util::Date::from_ymd(2026, 3, 20);
    auto report = gather(scope);
    REQUIRE(report.entries.size() == 1);
    CHECK(report.entries[0].status_zh == "有效");
    CHECK(report.entries[0].kind_zh == "黑名单");
    CHECK(report.entries[0].effective_from == "2026-03-13");
    scope.from = util::Date::from_ymd(2026, 1, 1);
    scope.to = util::Date::from_ymd(2026, 3, 12);  // the day before it took effect
    CHECK(gather(scope).entries.empty());
    db.exec("UPDATE entries SET status = 'revoked', ended_on = '2026-03-15', "
            "end_reason = 'objection_upheld'");
    scope.from = util::Date::from_ymd(2026, 3, 15);  // ended that day: no longer in force
    scope.to = std::nullopt;
    CHECK(gather(scope).entries.empty());
    scope.from = util::Date::from_ymd(2026, 3, 14);
    report = gather(scope);
    REQUIRE(report.entries.size() == 1);
    CHECK(report.entries[0].ended_on == "2026-03-15");
    CHECK(report.entries[0].end_reason == "objection_upheld");
}

TEST_CASE_FIXTURE(Fixture, "subject report: a natural person's identifier is masked") {
    const auto report = gather(scope_of("11010519491231002x"));
    CHECK(report.subject_id == "110105********002X");
    CHECK(report.subject_type_zh == "自然人");
    REQUIRE(report.domains[0].records.size() == 1);
    CHECK(report.domains[0].records[0].amount == "123.45");
    CHECK(report.domains[0].records[0].publicity_until == "2027-02-10");
    CHECK(canonical_json(report).find("11010519491231002X") == std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "subject report: unknown subjects and bad periods are usage errors") {
    CHECK_THROWS_AS(gather(scope_of("91320102MA1000002X")), UsageError);
    auto scope = scope_of(k_company);
    scope.from = util::Date::from_ymd(2026, 3, 2);
    scope.to = util::Date::from_ymd(2026, 3, 1);
    CHECK_THROWS_AS(gather(scope), UsageError);
    scope = scope_of(k_company);
    scope.as_of = "2026-04-02";  // after the last run's: allowed (the tool warns)
    CHECK_NOTHROW(gather(scope));
}

TEST_CASE_FIXTURE(Fixture, "subject report: the digest follows the content; the PDF is stable") {
    const auto report = gather(scope_of(k_company));
    auto other = report;
    other.domains[0].records[0].amount = "1.00";
    CHECK(content_digest(report) != content_digest(other));
    CHECK(content_digest(report) == content_digest(gather(scope_of(k_company))));
    const std::string pdf = publish::subject_report_pdf(report, content_digest(report));
    CHECK(pdf.starts_with("%PDF-"));
    CHECK(pdf.find("rbl-report-number:XYBG-1") != std::string::npos);
    CHECK(pdf == publish::subject_report_pdf(report, content_digest(report)));
}
