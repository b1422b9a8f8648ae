#include <doctest/doctest.h>

#include <string>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/publish/report.hpp"

using namespace rbl;
using util::Date;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};

    Fixture() { db.exec(test::k_one_entry); }

    std::string report(const Date& as_of) { return publish::report_html(db, as_of); }
};

bool has(const std::string& html, std::string_view part) {
    return html.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "report: one page with the open entries per list, domain and city") {
    const std::string html = report(Date::from_ymd(2026, 3, 2));
    CHECK(html.starts_with("<!DOCTYPE html>\n"));
    CHECK(html.ends_with("</html>\n"));
    CHECK(has(html, "Credit red and black lists, as of 2026-03-02</h1>"));
    CHECK(has(html, "<title>market.black.serious notice: 1</title>"));
    CHECK(has(html, "<title>market black: 1</title>"));
    CHECK(has(html, "<title>3201 black: 1</title>"));
    CHECK(has(html, "<title>2026-03 added black: 1</title>"));
    CHECK(has(html, "Open objections (异议): <b>0</b>; overdue: <b>0</b>."));
    // Self-contained: no scripts, no external resources.
    CHECK_FALSE(has(html, "<script"));
    CHECK_FALSE(has(html, "src="));
    CHECK_FALSE(has(html, "<link"));
}

TEST_CASE_FIXTURE(Fixture, "report: nothing decided yet shows empty charts") {
    const std::string html = report(Date::from_ymd(2026, 3, 1));
    CHECK_FALSE(has(html, "market.black.serious"));
    CHECK(has(html, "<p>None.</p>"));
}

TEST_CASE_FIXTURE(Fixture, "report: overdue objections stand out; departments are escaped") {
    db.exec(R"sql(
INSERT INTO appeals (entry_id, type, reason, received_on, due_on, entry_status, operator,
                     filed_at, outcome, decided_on)
VALUES (1, 'objection', 'r', '2026-03-03', '2026-03-10', 'notice', 't', 't', NULL, NULL);
UPDATE entries SET status = 'effective', terms = json_set(terms, '$.measures',
    json('[{"id":"m","text_zh":"t","departments":["财政厅 <采购> & 招标"]}]'));
)sql");
    const std::string html = report(Date::from_ymd(2026, 3, 11));
    CHECK(has(html, "Open objections (异议): <b>1</b>; overdue: <b class=\"alert\">1</b>."));
    CHECK(has(html, "<tr><td>market.black.serious</td><td>财政厅 &lt;采购&gt; &amp; 招标</td>"
                    "<td>1</td><td>0</td></tr>"));
    CHECK_FALSE(has(html, "<采购>"));
}

// SPEC.md §6: the report for a day shows the entries as they stood that day, as the export does.
TEST_CASE_FIXTURE(Fixture, "report: an earlier as-of shows the entries as they stood that day") {
    // A second run, as of 2026-03-20, found the entry in force (from 03-13).
    db.exec("INSERT INTO runs VALUES (2, '2026-03-20', 't', '0.1', 'x', NULL, 0, '', '', '{}');"
            "UPDATE entries SET status = 'effective', updated_run = 2");
    // On 2026-03-10 it was in publicity (notice to 03-09, publicity to 03-12), as the export says.
    const std::string before = report(Date::from_ymd(2026, 3, 10));
    CHECK(has(before, "<title>market.black.serious publicity: 1</title>"));
    CHECK_FALSE(has(before, "<title>market.black.serious effective: 1</title>"));
    // Lifted on 2026-05-04: on 2026-03-20 it was still in force.
    db.exec("UPDATE entries SET status = 'lifted', ended_on = '2026-05-04'");
    CHECK(has(report(Date::from_ymd(2026, 3, 20)),
              "<title>market.black.serious effective: 1</title>"));
}

TEST_CASE_FIXTURE(Fixture, "report: checks and feedback per department, escaped") {
    CHECK(has(report(Date::from_ymd(2026, 3, 20)),
              "<th>naming a check</th></tr>\n<tr><td colspan=\"5\">None.</td></tr>"));
    db.exec(R"sql(
INSERT INTO lookups (lookup_id, at, operator, login, department, subject_id, outcome, as_of,
                     entries)
VALUES (1, '2026-03-20T01:00:00Z', 't', 'l', '税务 <局>', '91320102MA1000001X', 'found',
        '2026-03-20', '[1]');
INSERT INTO feedback (entry_id, department, measure_id, applied_on, batch_id, lookup_id)
VALUES (1, '税务 <局>', 'm1', '2026-03-20', 1, 1);
)sql");
    CHECK(has(report(Date::from_ymd(2026, 3, 20)),
              "<tr><td>税务 &lt;局&gt;</td><td>1</td><td>1</td><td>1</td><td>1</td></tr>"));
}
