#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "../db_query.hpp"
#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/feedback_store.hpp"

using namespace rbl;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::FeedbackStore feedback{db};

    Fixture() { db.exec(test::k_one_entry); }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "feedback store: an entry's decision date and kept terms") {
    std::string decided_on = "stale";
    std::string terms = "stale";
    CHECK(feedback.entry_terms(1, decided_on, terms));
    CHECK(decided_on == "2026-03-02");
    CHECK(terms.find(R"("validity":"1y")") != std::string::npos);
    CHECK_FALSE(feedback.entry_terms(99, decided_on, terms));
    // The statement is reused: the entry is found again.
    CHECK(feedback.entry_terms(1, decided_on, terms));
}

TEST_CASE_FIXTURE(Fixture, "feedback store: each report once, measures by entry and department") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    CHECK(feedback.reported_measures().empty());
    CHECK(feedback.add_feedback(1, "tax", "m2", "2026-04-01", "", 1));
    CHECK(feedback.add_feedback(1, "tax", "m1", "2026-04-01", "note", 1));
    // The same report again is ignored; the same measure on another day is a new report.
    CHECK_FALSE(feedback.add_feedback(1, "tax", "m1", "2026-04-01", "again", 1));
    CHECK(feedback.add_feedback(1, "tax", "m1", "2026-04-02", "", 1));
    CHECK(feedback.add_feedback(1, "bank", "m1", "2026-04-01", "", 1));
    const auto reported = feedback.reported_measures();
    REQUIRE(reported.size() == 2);
    // Each measure once, in order, whatever the days it was reported on.
    CHECK(reported.at({1, "tax"}) == "m1;m2");
    CHECK(reported.at({1, "bank"}) == "m1");
    // An entry that does not exist is refused by the database.
    CHECK_THROWS(feedback.add_feedback(99, "tax", "m1", "2026-04-01", "", 1));
}

TEST_CASE_FIXTURE(Fixture, "feedback store: a named lookup beside the entry's subject") {
    db.exec(R"sql(
INSERT INTO lookups (lookup_id, at, operator, login, department, subject_id, outcome, as_of)
VALUES (7, '2026-03-20T01:00:00Z', 't', 'l', 'tax', '91320106MA109Y0356', 'unknown',
        '2026-03-20'),
       (8, '2026-03-20T01:00:00Z', 't', 'l', NULL, '91320102MA1000001X', 'found',
        '2026-03-20'))sql");
    const auto other = feedback.named_lookup(7, 1);
    REQUIRE(other.has_value());
    CHECK(other->subject_id == "91320106MA109Y0356");
    CHECK(other->department == std::optional<std::string>("tax"));
    CHECK(other->entry_subject_id == "91320102MA1000001X");
    const auto no_department = feedback.named_lookup(8, 1);
    REQUIRE(no_department.has_value());
    CHECK_FALSE(no_department->department.has_value());
    // No such lookup, or no such entry.
    CHECK_FALSE(feedback.named_lookup(9, 1).has_value());
    CHECK_FALSE(feedback.named_lookup(8, 99).has_value());

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    CHECK(feedback.add_feedback(1, "tax", "m1", "2026-04-01", "", 1, 8));
    CHECK(feedback.add_feedback(1, "tax", "m2", "2026-04-01", "", 1));
    CHECK(test::query_number(db, "SELECT count(lookup_id) FROM feedback") == 1);
    CHECK(test::query_number(db, "SELECT lookup_id FROM feedback WHERE measure_id = 'm1'") == 8);
    // A lookup that does not exist is refused by the database.
    CHECK_THROWS(feedback.add_feedback(1, "tax", "m3", "2026-04-01", "", 1, 99));
}
