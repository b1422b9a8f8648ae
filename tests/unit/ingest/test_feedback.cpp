#include <doctest/doctest.h>

#include <string>

#include "../db_query.hpp"
#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/ingest/feedback.hpp"
#include "rbl/store/database.hpp"

using namespace rbl;

namespace {

// The fixture's entry with a measure for tax, and three lookups: 1 by tax about the entry's
// subject, 2 by tax about another subject, 3 by the bank about the entry's subject, 4 with no
// department.
constexpr std::string_view k_lookups = R"sql(
UPDATE entries SET status = 'effective', terms = json_set(terms, '$.measures',
    json('[{"id":"m1","text_zh":"t","departments":["tax","bank"]}]'));
INSERT INTO lookups (lookup_id, at, operator, login, department, subject_id, outcome, as_of)
VALUES (1, '2026-03-20T01:00:00Z', 't', 'l', 'tax', '91320102MA1000001X', 'found', '2026-03-20'),
       (2, '2026-03-20T01:00:00Z', 't', 'l', 'tax', '91320106MA109Y0356', 'unknown', '2026-03-20'),
       (3, '2026-03-20T01:00:00Z', 't', 'l', 'bank', '91320102MA1000001X', 'found', '2026-03-20'),
       (4, '2026-03-20T01:00:00Z', 't', 'l', NULL, '91320102MA1000001X', 'found', '2026-03-20');
)sql";

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog audit{db, {"tester", "login", "rbl-import"}};
    SilentReporter reporter;

    Fixture() {
        db.exec(test::k_one_entry);
        db.exec(k_lookups);
    }

    ingest::FeedbackSummary import(const std::string& text, bool strict = false) {
        const auto file = dir.write("feedback.csv", text);
        return ingest::import_feedback(db, audit, file, strict, false, reporter, "tester");
    }

    std::int64_t number(std::string_view sql) { return test::query_number(db, sql); }
};

const std::string k_header = "entry_id,department,measure_id,applied_on,lookup_id\n";

}  // namespace

TEST_CASE_FIXTURE(Fixture, "feedback: a row may name the lookup it follows from") {
    const auto summary = import(k_header + "1,tax,m1,2026-04-01,1\n1,bank,m1,2026-04-01,\n");
    CHECK(summary.inserted == 2);
    CHECK(summary.rejected == 0);
    CHECK(number("SELECT lookup_id FROM feedback WHERE department = 'tax'") == 1);
    // An empty cell names none.
    CHECK(number("SELECT count(*) FROM feedback WHERE department = 'bank' "
                 "AND lookup_id IS NULL") == 1);
}

TEST_CASE_FIXTURE(Fixture, "feedback: a file without the lookup_id column names no lookups") {
    const auto summary = import("entry_id,department,measure_id,applied_on\n1,tax,m1,2026-04-01\n");
    CHECK(summary.inserted == 1);
    CHECK(number("SELECT count(*) FROM feedback WHERE lookup_id IS NULL") == 1);
}

TEST_CASE_FIXTURE(Fixture, "feedback: a lookup_id that is not that department's check of that "
                           "subject is rejected with its reason") {
    const auto summary = import(k_header +
                                "1,tax,m1,2026-04-01,9\n"      // line 2: no such lookup
                                "1,tax,m1,2026-04-01,2\n"      // 3: about another subject
                                "1,tax,m1,2026-04-01,3\n"      // 4: made for the bank
                                "1,tax,m1,2026-04-01,4\n"      // 5: made for no department
                                "1,tax,m1,2026-04-01,one\n"    // 6: not a number
                                "1,bank,m1,2026-04-01,3\n");  // 7: good
    CHECK(summary.rejected == 5);
    CHECK(summary.inserted == 1);
    REQUIRE(summary.rejections.size() == 5);
    CHECK(summary.rejections[0] == "line 2: there is no lookup 9");
    CHECK(summary.rejections[1] == "line 3: lookup 2 was about 91320106MA109Y0356, not about "
                                   "91320102MA1000001X, the subject of entry 1");
    CHECK(summary.rejections[2] == "line 4: lookup 3 was made for bank, not for tax");
    CHECK(summary.rejections[3] == "line 5: lookup 4 was made for no department, not for tax");
    CHECK(summary.rejections[4] == "line 6: lookup_id 'one' is not a lookup number");
    // Only the good row is recorded, naming its lookup.
    CHECK(number("SELECT count(*) FROM feedback") == 1);
    CHECK(number("SELECT lookup_id FROM feedback") == 3);
}

TEST_CASE_FIXTURE(Fixture, "feedback: with strict, a rejected lookup_id commits nothing") {
    const auto summary = import(k_header + "1,bank,m1,2026-04-01,3\n1,tax,m1,2026-04-01,3\n",
                                true);
    CHECK(summary.rejected == 1);
    CHECK_FALSE(summary.committed);
    CHECK(number("SELECT count(*) FROM feedback") == 0);
}
