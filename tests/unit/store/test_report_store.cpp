#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/report_store.hpp"
#include "rbl/store/schema.hpp"

using namespace rbl;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::ReportStore report{db};

    Fixture() { db.exec(test::k_one_entry); }
};

// "label/group=count" for each count, to compare lists in one line.
std::vector<std::string> text(const std::vector<store::LabelCount>& counts) {
    std::vector<std::string> out;
    for (const auto& count : counts) {
        out.push_back(count.label + "/" + count.group + "=" + std::to_string(count.count));
    }
    return out;
}

using Lines = std::vector<std::string>;

const util::Date k_decided = util::Date::from_ymd(2026, 3, 2);
const util::Date k_before = util::Date::from_ymd(2026, 3, 1);

}  // namespace

TEST_CASE_FIXTURE(Fixture, "report store: open entries per list, domain and region") {
    const auto open = report.open_entries(k_decided, k_decided);
    CHECK(text(open.by_list) == Lines{"market.black.serious/notice=1"});
    CHECK(text(open.by_domain) == Lines{"market/black=1"});
    CHECK(text(open.by_region) == Lines{"3201/black=1"});
    // Not decided yet on the day before.
    const auto before = report.open_entries(k_before, k_decided);
    CHECK(before.by_list.empty());
    CHECK(before.by_domain.empty());
    CHECK(before.by_region.empty());
    // Not open once ended; open as it stood before its end (SPEC.md §6: a day's figures are the
    // entries as they stood that day, as the export shows them).
    db.exec("UPDATE entries SET status = 'lifted', ended_on = '2026-05-04'");
    const util::Date ended = util::Date::from_ymd(2026, 5, 4);
    CHECK(report.open_entries(ended, ended).by_list.empty());
    CHECK(text(report.open_entries(k_decided, ended).by_list) ==
          Lines{"market.black.serious/notice=1"});
}

TEST_CASE_FIXTURE(Fixture, "report store: entries decided and ended per month") {
    CHECK(text(report.decided_by_month(k_decided)) == Lines{"2026-03/black=1"});
    CHECK(report.decided_by_month(k_before).empty());
    CHECK(report.ended_by_month(util::Date::from_ymd(2027, 1, 1)).empty());
    db.exec("UPDATE entries SET status = 'lifted', ended_on = '2026-05-04'");
    CHECK(text(report.ended_by_month(util::Date::from_ymd(2027, 1, 1))) ==
          Lines{"2026-05/black=1"});
    CHECK(report.ended_by_month(util::Date::from_ymd(2026, 5, 3)).empty());
}

TEST_CASE_FIXTURE(Fixture, "report store: open and overdue objections") {
    db.exec(R"sql(
INSERT INTO appeals (entry_id, type, reason, received_on, due_on, entry_status, operator,
                     filed_at, outcome, decided_on)
VALUES (1, 'objection', 'r', '2026-03-03', '2026-03-10', 'notice', 't', 't', NULL, NULL),
       (1, 'objection', 'r', '2026-03-05', '2026-03-20', 'notice', 't', 't', NULL, NULL),
       (1, 'objection', 'r', '2026-03-03', '2026-03-10', 'notice', 't', 't', 'rejected',
        '2026-03-04'))sql");
    // Undecided ones only, received by the day; overdue when their due date has passed.
    CHECK(report.objections_open_overdue(k_decided) == std::pair<std::int64_t, std::int64_t>{0, 0});
    CHECK(report.objections_open_overdue(util::Date::from_ymd(2026, 3, 4)) ==
          std::pair<std::int64_t, std::int64_t>{1, 0});
    CHECK(report.objections_open_overdue(util::Date::from_ymd(2026, 3, 11)) ==
          std::pair<std::int64_t, std::int64_t>{2, 1});
}

TEST_CASE_FIXTURE(Fixture, "report store: measures distributed and reported per department") {
    CHECK(report.feedback_by_list_department().empty());
    db.exec(R"sql(
UPDATE entries SET status = 'effective',
    terms = '{"measures":[{"id":"m1","departments":["tax","bank"]},' ||
            '{"id":"m2","departments":["tax"]}]}';
INSERT INTO feedback (entry_id, department, measure_id, applied_on, batch_id)
VALUES (1, 'tax', 'm1', '2026-04-01', 1), (1, 'tax', 'm2', '2026-04-01', 1))sql");
    const auto rows = report.feedback_by_list_department();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].list_id == "market.black.serious");
    CHECK(rows[0].department == "bank");
    CHECK(rows[0].distributed == 1);
    CHECK(rows[0].reported == 0);
    CHECK(rows[1].department == "tax");
    CHECK(rows[1].distributed == 1);  // one entry, however many of its measures name tax
    CHECK(rows[1].reported == 1);
    // Only effective entries count as distributed.
    db.exec("UPDATE entries SET status = 'notice'");
    CHECK(report.feedback_by_list_department().empty());
}

TEST_CASE_FIXTURE(Fixture, "report store: checks and feedback per department, as of a day") {
    CHECK(report.lookups_by_department(k_decided).empty());
    db.exec(R"sql(
INSERT INTO lookups (lookup_id, at, operator, login, department, subject_id, outcome, as_of,
                     entries)
VALUES (1, '2026-03-20T01:00:00Z', 't', 'l', 'tax', '91320102MA1000001X', 'found', '2026-03-20',
        '[1]'),
       (2, '2026-03-20T02:00:00Z', 't', 'l', 'tax', '91320102MA1000001X', 'found', '2026-03-20',
        '[1]'),
       (3, '2026-03-20T15:59:59Z', 't', 'l', 'tax', '91320106MA109Y0356', 'unknown',
        '2026-03-20', '[]'),
       (4, '2026-03-20T15:00:00Z', 't', 'l', 'bank', '91320102MA1000001X', 'found',
        '2026-03-21', '[1]'),
       (5, '2026-03-20T01:00:00Z', 't', 'l', NULL, '91320102MA1000001X', 'found', '2026-03-20',
        '[1]');
INSERT INTO feedback (entry_id, department, measure_id, applied_on, batch_id, lookup_id)
VALUES (1, 'tax', 'm1', '2026-03-20', 1, 1), (1, 'tax', 'm2', '2026-03-20', 1, NULL),
       (1, 'court', 'm1', '2026-03-22', 1, NULL))sql");
    // As of 2026-03-20: three checks by tax of two subjects, one found with entries; the bank's
    // check answered for the 21st, the court's feedback was applied on the 22nd; a check for no
    // department is no department's.
    const auto on_20th = report.lookups_by_department(util::Date::from_ymd(2026, 3, 20));
    REQUIRE(on_20th.size() == 1);
    CHECK(on_20th[0].department == "tax");
    CHECK(on_20th[0].checks == 3);
    CHECK(on_20th[0].subjects_with_entries == 1);
    CHECK(on_20th[0].feedback_rows == 2);
    CHECK(on_20th[0].naming_lookup == 1);
    const auto on_22nd = report.lookups_by_department(util::Date::from_ymd(2026, 3, 22));
    REQUIRE(on_22nd.size() == 3);
    CHECK(on_22nd[0].department == "bank");
    CHECK(on_22nd[0].checks == 1);
    CHECK(on_22nd[0].feedback_rows == 0);
    CHECK(on_22nd[1].department == "court");
    CHECK(on_22nd[1].checks == 0);
    CHECK(on_22nd[1].feedback_rows == 1);
    CHECK(on_22nd[2].department == "tax");
}

TEST_CASE("report store: a database from before feedback named lookups is read as it is") {
    // Version 4 has no lookup log, version 6 no feedback.lookup_id.
    for (const std::size_t version : {4U, 6U}) {
        CAPTURE(version);
        test::TempDir dir;
        const auto path = dir.path() / "rbl.db";
        {
            // As the rbl of that version created it.
            sqlite3* old = nullptr;
            REQUIRE(sqlite3_open(path.c_str(), &old) == SQLITE_OK);
            std::string sql;
            for (std::size_t i = 0; i < version; ++i) {
                sql += store::migrations(store::Dialect::sqlite)[i];
            }
            sql += test::k_one_entry;
            sql += "INSERT INTO feedback (entry_id, department, measure_id, applied_on, batch_id) "
                   "VALUES (1, 'tax', 'm1', '2026-03-20', 1); PRAGMA user_version = " +
                   std::to_string(version) + ";";
            const int rc = sqlite3_exec(old, sql.c_str(), nullptr, nullptr, nullptr);
            sqlite3_close(old);
            REQUIRE(rc == SQLITE_OK);
        }
        store::Database reader({.path = path, .read_only = true});
        REQUIRE(reader.schema_version() == static_cast<int>(version));
        const auto rows = store::ReportStore(reader).lookups_by_department(
            util::Date::from_ymd(2026, 3, 20));
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].department == "tax");
        CHECK(rows[0].checks == 0);
        CHECK(rows[0].feedback_rows == 1);
        CHECK(rows[0].naming_lookup == 0);
    }
}
