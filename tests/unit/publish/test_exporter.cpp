#include <doctest/doctest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "../entry_fixture.hpp"
#include "../db_query.hpp"
#include "../temp_dir.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/sha256.hpp"

using namespace rbl;
using publish::ExportOptions;
using publish::Format;

namespace {

// Beside k_one_entry's company (in notice from 2026-03-02, in force from 03-13): a person's entry
// in force from 2026-03-02 with a measure for 江苏省财政厅, and a second run, as of 2026-03-20,
// that made the company's entry effective.
constexpr std::string_view k_person_entry = R"sql(
INSERT INTO subjects VALUES ('320102196804120359', '王建国', 'natural_person', '320102', 1, 1, 1);
INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, content_hash,
                     inserted_batch, updated_batch, seen_batch)
VALUES (3, 'default', 'P3', '320102196804120359', 'market', 'penalty', '2026-02-03', 'active',
        x'00', 1, 1, 1);
INSERT INTO runs VALUES (2, '2026-03-20', 't', '0.1', 'x', NULL, 0, '', '', '{}');
UPDATE entries SET status = 'effective', updated_run = 2 WHERE entry_id = 1;
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, notice_until,
    publicity_until, effective_from, expires_on, kind, domain, list_title, list_title_zh, basis,
    authority, terms, rule_version, rule_sha256, explanation, created_run, updated_run)
VALUES (2, 'market.black.serious', '320102196804120359', 'effective', '2026-03-02', NULL, NULL,
    '2026-03-02', '2027-03-02', 'black', 'market', 'Serious', '严重违法', 'B', 'A',
    '{"validity":"1y","notice_days":0,"publicity_days":0,"appeal_days":5,"repair_allowed":false,"measures":[{"id":"restrict_procurement","text_zh":"限制参与政府采购活动","departments":["江苏省财政厅"]}]}',
    't1', 'x', '2 penalty records', 1, 1);
INSERT INTO entry_evidence VALUES (2, 3, 'P3');
)sql";

const std::string k_masked = "320102********0359";
const std::string k_person = "320102196804120359";

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog audit{db, {"tester", "login", "rbl-publish"}};
    SilentReporter reporter;

    Fixture() {
        db.exec(test::k_one_entry);
        db.exec(k_person_entry);
    }

    // JSON Lines export of every status to `name` in the test folder.
    ExportOptions jsonl(const std::string& name) {
        ExportOptions options;
        options.format = Format::jsonl;
        options.status = "all";
        options.out = (dir.path() / name).string();
        options.operator_name = "tester";
        return options;
    }

    publish::ExportSummary run(const ExportOptions& options) {
        return publish::export_entries(db, audit, options, reporter);
    }

    // The lines of a JSON Lines file, parsed.
    std::vector<nlohmann::json> rows_of(const std::string& path) {
        std::vector<nlohmann::json> rows;
        const std::string text = test::read_all(path);
        std::size_t start = 0;
        while (start < text.size()) {
            const auto end = text.find('\n', start);
            REQUIRE(end != std::string::npos);
            rows.push_back(nlohmann::json::parse(text.substr(start, end - start)));
            start = end + 1;
        }
        return rows;
    }

    // "entry_id:status" per row (with "change " before it in a delta).
    std::vector<std::string> states_of(const std::string& path) {
        std::vector<std::string> out;
        for (const auto& row : rows_of(path)) {
            const std::string change =
                row.contains("change") ? row["change"].get<std::string>() + " " : "";
            out.push_back(change + std::to_string(row["entry_id"].get<int>()) + ":" +
                          row["status"].get<std::string>());
        }
        return out;
    }

    std::int64_t number(std::string_view sql) { return test::query_number(db, sql); }
};

using Lines = std::vector<std::string>;

unsigned mode_of(const std::string& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 0777;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "exporter: entries as of the last run, a natural person masked") {
    const auto options = jsonl("entries.jsonl");
    const auto summary = run(options);
    CHECK(summary.rows == 2);
    CHECK(summary.as_of == "2026-03-20");
    CHECK(summary.out == options.out);
    CHECK(summary.sha256 == util::sha256_hex(test::read_all(options.out)));
    CHECK_FALSE(summary.publication_id.has_value());
    CHECK(mode_of(options.out) == 0600);
    const auto rows = rows_of(options.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["entry_id"] == 1);
    CHECK(rows[0]["subject_id"] == "91320102MA1000001X");  // a company's code is public
    CHECK(rows[0]["status"] == "effective");
    CHECK(rows[0]["evidence"] == nlohmann::json::array({"P1", "P2"}));
    CHECK(rows[1]["subject_id"] == k_masked);
    CHECK(rows[1]["subject_type"] == "natural_person");
    CHECK(rows[1]["ended_on"].is_null());
    CHECK(rows[1]["disputed"] == false);
    CHECK(test::read_all(options.out).find(k_person) == std::string::npos);
    CHECK(number("SELECT count(*) FROM audit_log") == 0);  // a masked export is not audited
}

TEST_CASE_FIXTURE(Fixture, "exporter: --unmask shows the ID whole and is audited") {
    auto options = jsonl("unmasked.jsonl");
    options.unmask = true;
    const auto summary = run(options);
    CHECK(rows_of(options.out)[1]["subject_id"] == k_person);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'publish.unmasked'") == 1);
    REQUIRE(summary.audit_head.has_value());
    CHECK(summary.audit_head->starts_with("1:"));
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "exporter: CSV masks as well, header first") {
    ExportOptions options;
    options.out = (dir.path() / "entries.csv").string();
    const auto summary = run(options);
    CHECK(summary.rows == 2);
    const std::string csv = test::read_all(options.out);
    CHECK(csv.starts_with("entry_id,list_id,list_title,kind,domain,subject_id,"));
    CHECK(csv.find("\r\n2,market.black.serious,Serious,black,market,320102********0359,王建国,"
                   "natural_person,effective,2026-03-02,2026-03-02,2027-03-02,") !=
          std::string::npos);
    CHECK(csv.find(k_person) == std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "exporter: an earlier as-of shows the entries as they stood that day") {
    auto options = jsonl("earlier.jsonl");
    options.as_of = "2026-03-10";
    CHECK(run(options).as_of == "2026-03-10");
    // The company's entry was in publicity (notice to 03-09, publicity to 03-12).
    CHECK(states_of(options.out) == Lines{"1:publicity", "2:effective"});
    options.as_of = "2026-03-01";
    run(options);
    CHECK(states_of(options.out).empty());  // nothing decided yet

    // --status effective (the default) keeps only what was in force on the day.
    options.status = "effective";
    options.as_of = "2026-03-10";
    CHECK(run(options).rows == 1);
    CHECK(states_of(options.out) == Lines{"2:effective"});

    // An end shows from its day on.
    db.exec("UPDATE entries SET status = 'revoked', ended_on = '2026-03-15', end_reason = 'objection_upheld' "
            "WHERE entry_id = 2");
    options.status = "all";
    run(options);
    CHECK(states_of(options.out) == Lines{"1:publicity", "2:effective"});
    options.as_of = std::nullopt;
    run(options);
    CHECK(states_of(options.out) == Lines{"1:effective", "2:revoked"});
    CHECK(rows_of(options.out)[1]["ended_on"] == "2026-03-15");
}

TEST_CASE_FIXTURE(Fixture, "exporter: refusals before anything is written") {
    auto options = jsonl("after.jsonl");
    options.as_of = "2026-03-21";  // after the last run: allowed (the tools warn), no refusal
    CHECK_NOTHROW(run(options));
    options = jsonl("x.jsonl");
    options.delta = true;
    CHECK_THROWS_WITH_AS(run(options), doctest::Contains("--delta needs --channel"), UsageError);
    options = jsonl("x.jsonl");
    options.status = "pending";
    CHECK_THROWS_WITH_AS(run(options), doctest::Contains("unknown status 'pending'"), UsageError);
    options = jsonl("x.jsonl");
    options.channel = "../up";
    CHECK_THROWS_AS(run(options), UsageError);
    options = jsonl("no-folder/x.jsonl");
    CHECK_THROWS_WITH_AS(run(options), doctest::Contains("does not exist"), UsageError);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "x.jsonl"));
    CHECK(number("SELECT count(*) FROM publications") == 0);
}

TEST_CASE_FIXTURE(Fixture, "exporter: a channel's deltas give what was added, removed, updated") {
    auto options = jsonl("delta.jsonl");
    options.status = "effective";
    options.channel = "site";
    options.delta = true;
    const auto first = run(options);
    REQUIRE(first.publication_id.has_value());
    CHECK(first.rows == 2);
    CHECK(states_of(options.out) == Lines{"added 1:effective", "added 2:effective"});

    // Nothing changed: no file is written (the first delta's stays), unless write_empty.
    const auto second = run(options);
    CHECK(second.rows == 0);
    CHECK_FALSE(second.written);
    CHECK(second.sha256.empty());
    CHECK(states_of(options.out) == Lines{"added 1:effective", "added 2:effective"});
    CHECK(*second.publication_id == *first.publication_id + 1);
    options.write_empty = true;
    const auto empty = run(options);
    CHECK(empty.written);
    CHECK(states_of(options.out).empty());
    options.write_empty = false;

    // Entry 2 is revoked (it leaves an effective-only channel), entry 1's term is corrected.
    db.exec("UPDATE entries SET status = 'revoked', ended_on = '2026-03-15', end_reason = 'objection_upheld' "
            "WHERE entry_id = 2");
    db.exec("UPDATE entries SET expires_on = '2027-03-14' WHERE entry_id = 1");
    const auto third = run(options);
    CHECK(third.rows == 2);
    CHECK(states_of(options.out) == Lines{"updated 1:effective", "removed 2:revoked"});

    CHECK(number("SELECT count(*) FROM publications WHERE channel = 'site'") == 4);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'publish.channel'") == 4);
    CHECK(number("SELECT rows FROM publications ORDER BY publication_id DESC LIMIT 1") == 2);

    // Another filter on the same channel is refused.
    options.status = "all";
    CHECK_THROWS_WITH_AS(run(options), doctest::Contains("channel 'site' publishes with the filter"),
                         UsageError);
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "exporter: --department keeps the entries whose measures name it") {
    auto options = jsonl("finance.jsonl");
    options.department = "江苏省财政厅";
    CHECK(run(options).rows == 1);
    const auto rows = rows_of(options.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["entry_id"] == 2);
    CHECK(rows[0]["measures"] ==
          nlohmann::json::parse(R"([{"id":"restrict_procurement","text_zh":"限制参与政府采购活动"}])"));

    auto split = jsonl("unused");
    split.by_department_dir = (dir.path() / "out").string();
    std::filesystem::create_directory(dir.path() / "out");
    const auto summary = run(split);
    CHECK(summary.rows == 1);
    REQUIRE(summary.files.size() == 1);
    CHECK(summary.files[0] == (dir.path() / "out" / "江苏省财政厅.jsonl").string());
    CHECK(states_of(summary.files[0]) == Lines{"2:effective"});
}
