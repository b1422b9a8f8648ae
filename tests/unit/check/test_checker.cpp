#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "rbl/check/answer_format.hpp"
#include "rbl/check/checker.hpp"
#include "rbl/check/identifier_file.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/lookup_store.hpp"
#include "rbl/util/input.hpp"

using namespace rbl;

namespace {

constexpr std::string_view k_listed = "91320102MA1000001E";
constexpr std::string_view k_pending = "91320102MA1000002H";
constexpr std::string_view k_unlisted = "91320102MA1000003L";

// Three subjects and the last run of 2026-11-20: the first in force on a black list (and on it
// once before, expired on 2026-06-01), the second in notice with an open objection, the third
// with no entry.
constexpr std::string_view k_subjects = R"sql(
INSERT INTO import_batches VALUES (1, 'default', 'f.csv', 'x', 'csv', 'utf-8', NULL, 't',
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0, 0, 0, 0, 0, NULL);
INSERT INTO subjects VALUES ('91320102MA1000001E', '甲公司', 'legal_person', '320102', 1, 1, 1),
    ('91320102MA1000002H', '乙公司', 'legal_person', '320102', 1, 1, 1),
    ('91320102MA1000003L', '丙公司', 'legal_person', '320102', 1, 1, 1);
INSERT INTO runs VALUES (1, '2026-11-20', 't', '0.1', 'x', NULL, 0, '', '', '{}');
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, notice_until,
    publicity_until, effective_from, expires_on, ended_on, end_reason, kind, domain, list_title,
    list_title_zh, basis, authority, terms, rule_version, rule_sha256, explanation, created_run,
    updated_run)
VALUES (1, 'market.black.serious', '91320102MA1000001E', 'effective', '2026-01-05', NULL, NULL,
    '2026-01-05', '2029-01-05', NULL, NULL, 'black', 'market', 'Serious', '严重失信', 'B', 'A',
    '{"validity":"3y","notice_days":0,"publicity_days":0,"appeal_days":5,"repair_allowed":false,"measures":[{"id":"procurement","text_zh":"限制参与政府采购","departments":["省财政厅","省发改委"]},{"id":"credit","text_zh":"从严审核信贷","departments":["金融监管局"]}]}',
    't1', 'x', 'because', 1, 1),
  (2, 'market.black.serious', '91320102MA1000001E', 'expired', '2025-01-01', NULL, NULL,
    '2025-01-01', '2026-06-01', '2026-06-01', 'validity ran out', 'black', 'market', 'Serious',
    '严重失信', 'B', 'A',
    '{"validity":"1y","notice_days":0,"publicity_days":0,"appeal_days":5,"repair_allowed":false,"measures":[]}',
    't1', 'x', 'because', 1, 1),
  (3, 'market.black.serious', '91320102MA1000002H', 'notice', '2026-11-01', '2026-11-08',
    '2026-11-15', '2026-11-16', '2029-11-16', NULL, NULL, 'black', 'market', 'Serious', '严重失信',
    'B', 'A',
    '{"validity":"3y","notice_days":5,"publicity_days":5,"appeal_days":5,"repair_allowed":false,"measures":[{"id":"procurement","text_zh":"限制参与政府采购","departments":["省财政厅"]}]}',
    't1', 'x', 'because', 1, 1);
INSERT INTO appeals (appeal_id, entry_id, type, reason, received_on, due_on, entry_status,
    operator, filed_at)
VALUES (1, 3, 'objection', 'not us', '2026-11-03', '2026-11-10', 'notice', 't', '');
)sql";

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};

    Fixture() { db.exec(k_subjects); }

    check::Answer answer(std::string_view id, std::string_view as_of,
                         std::optional<std::string> department = std::nullopt) {
        check::Checker checker(db, {*util::parse_iso_date(as_of), std::move(department)});
        return checker.check(id);
    }
};

std::vector<std::pair<std::string, std::uint64_t>> identifiers_of(std::string_view text) {
    auto input = util::memory_text_input(text);
    std::vector<std::pair<std::string, std::uint64_t>> found;
    check::for_each_identifier(*input, [&](std::string_view id, std::uint64_t line) {
        found.emplace_back(std::string(id), line);
    });
    return found;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "check: a subject in force on a black list, with every measure") {
    const check::Answer answer = this->answer(k_listed, "2026-11-20");
    CHECK(answer.outcome == check::Outcome::found);
    CHECK(answer.subject_name == "甲公司");
    CHECK(answer.subject_type == "legal_person");
    CHECK(answer.listed_black);
    CHECK_FALSE(answer.listed_red);
    // The expired entry is not named.
    REQUIRE(answer.entries.size() == 1);
    const check::Listing& listing = answer.entries.front();
    CHECK(listing.entry_id == 1);
    CHECK(listing.status == model::EntryStatus::effective);
    CHECK(listing.expires_on == rbl::util::Date::from_ymd(2029, 1, 5));
    CHECK_FALSE(listing.disputed);
    REQUIRE(listing.measures.size() == 2);
    CHECK(listing.measures[0].id == "procurement");
    CHECK(listing.measures[0].departments == std::vector<std::string>{"省财政厅", "省发改委"});
}

TEST_CASE_FIXTURE(Fixture, "check: a department gets only the measures that name it") {
    const check::Answer answer = this->answer(k_listed, "2026-11-20", "金融监管局");
    REQUIRE(answer.entries.size() == 1);
    REQUIRE(answer.entries.front().measures.size() == 1);
    CHECK(answer.entries.front().measures.front().id == "credit");
    CHECK(answer.entries.front().measures.front().departments.empty());
    const check::Answer other = this->answer(k_listed, "2026-11-20", "公安厅");
    REQUIRE(other.entries.size() == 1);  // the entry still shows, with nothing for it to apply
    CHECK(other.entries.front().measures.empty());
}

TEST_CASE_FIXTURE(Fixture, "check: a pending entry is named, disputed, but does not list") {
    const check::Answer answer = this->answer(k_pending, "2026-11-20");
    REQUIRE(answer.entries.size() == 1);
    // After the last run: its stored status (the run has not moved it on).
    CHECK(answer.entries.front().status == model::EntryStatus::notice);
    CHECK(answer.entries.front().disputed);
    CHECK_FALSE(answer.listed_black);
    // Before the objection was received it was not disputed; before its decision it was not there.
    CHECK_FALSE(this->answer(k_pending, "2026-11-02").entries.front().disputed);
    CHECK(this->answer(k_pending, "2026-10-31").entries.empty());
}

TEST_CASE_FIXTURE(Fixture, "check: an earlier day sees the entries that stood then") {
    const check::Answer answer = this->answer(k_listed, "2026-05-01");
    REQUIRE(answer.entries.size() == 2);
    CHECK(answer.entries[0].entry_id == 1);
    CHECK(answer.entries[1].entry_id == 2);
    CHECK(answer.entries[1].status == model::EntryStatus::effective);
}

TEST_CASE_FIXTURE(Fixture, "check: unknown and invalid identifiers are answered as such") {
    const check::Answer unlisted = this->answer(k_unlisted, "2026-11-20");
    CHECK(unlisted.outcome == check::Outcome::found);
    CHECK(unlisted.entries.empty());
    CHECK_FALSE(unlisted.listed_black);
    const check::Answer unknown = this->answer(" 91320102ma1000004x ", "2026-11-20");
    CHECK(unknown.subject_id == "91320102MA1000004X");
    CHECK(unknown.outcome == check::Outcome::invalid);  // X is not its check character
    CHECK(unknown.reason.find("check character") != std::string::npos);
    // A right check character the database does not know.
    const check::Answer stranger = this->answer("320102198001010016", "2026-11-20");
    CHECK(stranger.outcome == check::Outcome::unknown);
    CHECK(stranger.subject_name.empty());
}

TEST_CASE_FIXTURE(Fixture, "check: lookups are logged with the entries named, and listed") {
    const check::CheckOptions options{*util::parse_iso_date("2026-11-20"), "省财政厅"};
    std::vector<check::Answer> answers;
    {
        check::Checker checker(db, options);
        answers.push_back(checker.check(k_listed));
        answers.push_back(checker.check("bad"));
    }
    check::record_lookups(db, {"clerk", "login"}, options, answers);
    REQUIRE(answers[0].lookup_id.has_value());
    REQUIRE(answers[1].lookup_id.has_value());
    std::vector<store::Lookup> logged;
    store::LookupStore(db).for_each({}, [&](const store::Lookup& row) { logged.push_back(row); });
    REQUIRE(logged.size() == 2);
    CHECK(logged[0].lookup_id == *answers[0].lookup_id);
    CHECK(logged[0].operator_name == "clerk");
    CHECK(logged[0].department == std::optional<std::string>("省财政厅"));
    CHECK(logged[0].subject_id == k_listed);
    CHECK(logged[0].outcome == "found");
    CHECK(logged[0].entries_json == "[1]");
    CHECK(logged[1].subject_id == "bad");
    CHECK(logged[1].outcome == "invalid");
    CHECK(logged[1].entries_json == "[]");
    std::size_t for_other = 0;
    store::LookupStore(db).for_each({.since = std::nullopt, .department = "公安厅"},
                                    [&](const store::Lookup&) { ++for_other; });
    CHECK(for_other == 0);
    std::size_t later = 0;
    store::LookupStore(db).for_each({.since = "9999-01-01T00:00:00Z", .department = std::nullopt},
                                    [&](const store::Lookup&) { ++later; });
    CHECK(later == 0);
}

TEST_CASE("check: a database from before the lookup log is read as it is, with no lookups") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    {
        store::Database db({.path = path, .create = true});
        db.exec("DROP TABLE lookups; DROP TABLE subject_reports; PRAGMA user_version = 4");
    }
    store::Database reader({.path = path, .read_only = true});
    CHECK(reader.schema_version() == 4);
    std::size_t rows = 0;
    store::LookupStore(reader).for_each({}, [&](const store::Lookup&) { ++rows; });
    CHECK(rows == 0);
    // A writer migrates it.
    store::Database writer({.path = path});
    CHECK(writer.schema_version() == store::current_schema_version());
}

TEST_CASE("check: identifiers one a line, or a CSV file's subject_id column") {
    using Found = std::vector<std::pair<std::string, std::uint64_t>>;
    CHECK(identifiers_of("A1\n\nB2\r\n") == Found{{"A1", 1}, {"B2", 3}});
    CHECK(identifiers_of("\xEF\xBB\xBFname,Subject_ID\nx,A1\ny,\"B2\"\n") ==
          Found{{"A1", 2}, {"B2", 3}});
    CHECK_THROWS_AS(identifiers_of("name,subject_id\nx\n"), UsageError);
}

TEST_CASE_FIXTURE(Fixture, "check: answers as JSON and CSV") {
    check::Answer answer = this->answer(k_listed, "2026-11-20", "省财政厅");
    answer.lookup_id = 7;
    const auto json = check::to_json(answer, false);
    CHECK(json["result"] == "found");
    CHECK(json["listed_black"] == true);
    CHECK(json["lookup_id"] == 7);
    CHECK(json["entries"][0]["measures"][0]["id"] == "procurement");
    CHECK_FALSE(json["entries"][0]["measures"][0].contains("departments"));
    CHECK_FALSE(json.contains("line"));
    CHECK(check::csv_header().rfind("line,subject_id,result,", 0) == 0);
    CHECK(check::csv_row(answer) ==
          ",91320102MA1000001E,found,,甲公司,legal_person,true,false,"
          "market.black.serious:effective,procurement,7\r\n");
    // What was asked is shown as given, but never as a formula.
    check::Answer bad = this->answer("=HYPERLINK(1)", "2026-11-20");
    bad.line = 4;
    CHECK(check::csv_row(bad).rfind("4,'=HYPERLINK(1),invalid,", 0) == 0);
}

TEST_CASE("check: count_outcomes counts found (and listed), unknown and invalid answers") {
    std::vector<check::Answer> answers(4);
    answers[0].outcome = check::Outcome::found;
    answers[0].entries.emplace_back();
    answers[1].outcome = check::Outcome::found;
    answers[2].outcome = check::Outcome::unknown;
    answers[3].outcome = check::Outcome::invalid;
    const check::OutcomeCounts counts = check::count_outcomes(answers);
    CHECK(counts.found == 2);
    CHECK(counts.listed == 1);
    CHECK(counts.unknown == 1);
    CHECK(counts.invalid == 1);
    CHECK(check::count_outcomes({}).found == 0);
}
