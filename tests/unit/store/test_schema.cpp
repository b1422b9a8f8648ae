#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "../db_query.hpp"
#include "../temp_dir.hpp"
#include "rbl/model/explanation.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/schema.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

namespace {

// A plain SQLite connection, to build a database as an older (or newer) rbl left it.
class OldDatabase {
  public:
    explicit OldDatabase(const std::filesystem::path& path) {
        REQUIRE(sqlite3_open(path.c_str(), &m_db) == SQLITE_OK);
    }
    ~OldDatabase() { sqlite3_close(m_db); }
    OldDatabase(const OldDatabase&) = delete;
    OldDatabase& operator=(const OldDatabase&) = delete;

    void exec(std::string_view sql) const {
        char* error = nullptr;
        const int rc = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &error);
        const std::string message = error != nullptr ? error : "";
        sqlite3_free(error);
        REQUIRE_MESSAGE(rc == SQLITE_OK, message);
    }
    int integer(std::string_view sql) const {
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(m_db, std::string(sql).c_str(), -1, &statement, nullptr) ==
                SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        const int value = sqlite3_column_int(statement, 0);
        sqlite3_finalize(statement);
        return value;
    }
    // Applies the first `version` migrations, as the rbl of that version created its databases.
    void migrate_to(int version) const {
        for (int i = 0; i < version; ++i) {
            exec(store::migrations(store::Dialect::sqlite)[static_cast<std::size_t>(i)]);
        }
        exec("PRAGMA user_version=" + std::to_string(version));
    }

  private:
    sqlite3* m_db = nullptr;
};

// Every table of the current version, by name.
const std::vector<std::string> k_tables = {"appeals",
                                           "audit_log",
                                           "entries",
                                           "entry_evidence",
                                           "entry_explanations",
                                           "feedback",
                                           "import_batches",
                                           "lookups",
                                           "publication_rows",
                                           "publications",
                                           "record_repairs",
                                           "records",
                                           "rule_departments",
                                           "run_scope",
                                           "runs",
                                           "subject_due",
                                           "subject_marks",
                                           "subject_reports",
                                           "subjects"};

std::vector<std::string> tables(store::Database& db) {
    store::Statement statement(db,
                               "SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    std::vector<std::string> names;
    while (statement.step()) {
        names.emplace_back(statement.column_text(0));
    }
    return names;
}

// What version 1 held: one batch, one subject, one record, one audit row.
constexpr std::string_view k_v1_rows = R"sql(
INSERT INTO import_batches VALUES (1, 'default', 'f.csv', 'x', 'csv', 'utf-8', NULL, 't',
    '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 1, 1, 0, 0, 0, NULL);
INSERT INTO subjects VALUES ('91320102MA1000001X', '甲公司', 'legal_person', '320102', 1, 1, 1);
INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, content_hash,
                     inserted_batch, updated_batch, seen_batch)
VALUES (1, 'default', 'P1', '91320102MA1000001X', 'market', 'penalty', '2026-02-01', 'active',
        x'00', 1, 1, 1);
INSERT INTO audit_log VALUES (1, 'a', 'o', 'l', 't', 'import.batch', 'batch:1', '{}', 'p', 'h');
)sql";

}  // namespace

TEST_CASE("schema: one migration per version, each creating something") {
    const auto steps = store::migrations(store::Dialect::sqlite);
    CHECK(static_cast<int>(steps.size()) == store::current_schema_version());
    CHECK(store::current_schema_version() == 12);
    for (const std::string_view step : steps) {
        CHECK(step.find("CREATE ") != std::string_view::npos);
    }
}

TEST_CASE("schema: a new database gets the current version and every table") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    CHECK(db.schema_version() == store::current_schema_version());
    CHECK(tables(db) == k_tables);
}

TEST_CASE("schema: a database of every older version is migrated, keeping its rows") {
    for (int version = 1; version < store::current_schema_version(); ++version) {
        CAPTURE(version);
        test::TempDir dir;
        const auto path = dir.path() / "rbl.db";
        {
            OldDatabase old(path);
            old.migrate_to(version);
            old.exec(k_v1_rows);
        }
        store::Database db({.path = path});
        CHECK(db.schema_version() == store::current_schema_version());
        CHECK(tables(db) == k_tables);
        CHECK(test::query_number(db, "SELECT count(*) FROM records WHERE record_id = 'P1'") == 1);
        CHECK(test::query_number(db, "SELECT count(*) FROM audit_log") == 1);
        // The new tables work: an entry on the old record, an appeal and a publication row.
        db.exec(R"sql(
INSERT INTO runs VALUES (1, '2026-03-02', 't', '0.1', 'x', NULL, 0, '', '', '{}');
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, effective_from,
    expires_on, kind, domain, list_title, list_title_zh, basis, authority, terms, rule_version,
    rule_sha256, explanation, created_run, updated_run)
VALUES (1, 'market.black.x', '91320102MA1000001X', 'effective', '2026-03-02', '2026-03-02',
    '2027-03-02', 'black', 'market', 'T', 'T', 'B', 'A', '{}', '1', 'x', 'e', 1, 1);
INSERT INTO entry_evidence VALUES (1, 1, 'P1');
INSERT INTO appeals (entry_id, type, reason, received_on, due_on, entry_status, operator,
                     filed_at)
VALUES (1, 'objection', 'r', '2026-03-03', '2026-03-10', 'effective', 't', 't');
INSERT INTO publications VALUES (1, 'site', 't', '2026-03-02', '{}', 'csv', 0, 1, 'h', '-', 't');
INSERT INTO publication_rows VALUES (1, 1, 'h');
)sql");
        CHECK(test::query_number(db, "SELECT count(*) FROM publication_rows") == 1);
        // The appeal filed marks its subject for the next incremental run (version 8).
        CHECK(test::query_number(db,
                                 "SELECT count(*) FROM subject_marks WHERE subject_id = "
                                 "'91320102MA1000001X'") == 1);
        // Feedback may name a lookup (version 7).
        db.exec(R"sql(
INSERT INTO lookups (lookup_id, at, operator, login, department, subject_id, outcome, as_of)
VALUES (1, '2026-03-03T01:00:00Z', 't', 'l', 'tax', '91320102MA1000001X', 'found', '2026-03-03');
INSERT INTO feedback (entry_id, department, measure_id, applied_on, batch_id, lookup_id)
VALUES (1, 'tax', 'm1', '2026-03-04', 1, 1);
)sql");
        CHECK(test::query_number(db, "SELECT lookup_id FROM feedback") == 1);
        // A record repair decided marks the record's subject (version 10).
        db.exec("DELETE FROM subject_marks");
        db.exec(R"sql(
INSERT INTO record_repairs (appeal_id, rec, reason, received_on, due_on, operator, filed_at)
VALUES (2, 1, 'paid', '2026-06-01', '2026-06-12', 't', 't');
UPDATE record_repairs SET outcome = 'upheld', decided_on = '2026-06-02' WHERE appeal_id = 2;
)sql");
        CHECK(test::query_number(db,
                                 "SELECT count(*) FROM subject_marks WHERE subject_id = "
                                 "'91320102MA1000001X'") == 1);
    }
}

TEST_CASE("schema: version 7 keeps the feedback of version 6, naming no lookup") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    {
        OldDatabase old(path);
        old.migrate_to(6);
        old.exec(k_v1_rows);
        old.exec(R"sql(
INSERT INTO runs VALUES (1, '2026-03-02', 't', '0.1', 'x', NULL, 0, '', '', '{}');
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, effective_from,
    expires_on, kind, domain, list_title, list_title_zh, basis, authority, terms, rule_version,
    rule_sha256, explanation, created_run, updated_run)
VALUES (1, 'market.black.x', '91320102MA1000001X', 'effective', '2026-03-02', '2026-03-02',
    '2027-03-02', 'black', 'market', 'T', 'T', 'B', 'A', '{}', '1', 'x', 'e', 1, 1);
INSERT INTO feedback (feedback_id, entry_id, department, measure_id, applied_on, note, batch_id)
VALUES (5, 1, 'tax', 'm1', '2026-03-04', '已限制', 1);
)sql");
    }
    store::Database db({.path = path});
    CHECK(db.schema_version() == store::current_schema_version());
    CHECK(tables(db) == k_tables);
    CHECK(test::query_text(db,
                           "SELECT feedback_id || ' ' || department || ' ' || note || ' ' || "
                           "coalesce(lookup_id, 'none') FROM feedback") == "5 tax 已限制 none");
    // The same report is still refused once.
    CHECK_THROWS(
        db.exec("INSERT INTO feedback (entry_id, department, measure_id, applied_on, "
                "batch_id) VALUES (1, 'tax', 'm1', '2026-03-04', 1)"));
    CHECK(test::query_number(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("schema: version 11 gives the entries of version 10 their explanation as data") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    // Lines as rbl wrote them, and one no clause reads back (kept as text).
    const std::string explanation =
        "[yes] any of:\n"
        "  [yes] 2 penalty records within 1y where amount >= 10000 (needs ≥ 2): P1, P2\n"
        "  [no]  sum of amount is 0.00 over 0 penalty records within 3y (needs ≥ 100000)\n"
        "term: 1y from P2 dated 2026-03-01: expires 2027-03-01\n"
        "an odd line of an older rbl\n";
    {
        OldDatabase old(path);
        old.migrate_to(10);
        old.exec(k_v1_rows);
        old.exec(
            "INSERT INTO runs VALUES (1, '2026-03-02', 't', '0.1', 'x', NULL, 0, '', '', "
            "'{}')");
        for (int entry = 1; entry <= 2; ++entry) {
            old.exec(fmt::format(R"sql(
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, effective_from,
    expires_on, kind, domain, list_title, list_title_zh, basis, authority, terms, rule_version,
    rule_sha256, explanation, created_run, updated_run)
VALUES ({}, 'market.black.x', '91320102MA1000001X', 'effective', '2026-03-02', '2026-03-02',
    '2027-03-02', 'black', 'market', 'T', 'T', 'B', 'A', '{{}}', '1', 'x', '{}', 1, 1);)sql",
                                 entry, explanation));
        }
    }
    store::Database db({.path = path});
    CHECK(db.schema_version() == store::current_schema_version());
    CHECK(test::query_number(db, "SELECT count(*) FROM entry_explanations") == 2);
    const std::string data =
        test::query_text(db, "SELECT data FROM entry_explanations WHERE entry_id = 2");
    const auto clauses = model::clauses_from_json(data);
    REQUIRE(clauses.has_value());
    REQUIRE(clauses->size() == 5);
    CHECK((*clauses)[1].kind == model::Clause::Kind::count);
    CHECK((*clauses)[1].records == std::vector<std::string>{"P1", "P2"});
    CHECK((*clauses)[2].kind == model::Clause::Kind::sum);
    CHECK((*clauses)[3].kind == model::Clause::Kind::term);
    CHECK((*clauses)[4].kind == model::Clause::Kind::text);
    // The English is the stored text, byte for byte; the Chinese is made from the data.
    CHECK(model::words(*clauses, i18n::Language::en) == explanation);
    const std::string chinese = model::words(*clauses, i18n::Language::zh);
    CHECK(chinese.find("1 年内符合 amount >= 10000 的 penalty 记录 2 条（须 ≥ 2）：P1、P2") !=
          std::string::npos);
    CHECK(chinese.find("an odd line of an older rbl") != std::string::npos);
}

TEST_CASE("schema: a migration that fails leaves the database at its version") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    {
        OldDatabase old(path);
        old.migrate_to(3);
        // A table of version 4's name that is not version 4's: the migration cannot create it.
        old.exec("CREATE TABLE feedback (x INTEGER)");
    }
    CHECK_THROWS_AS(store::Database({.path = path}), FailedError);
    OldDatabase after(path);
    CHECK(after.integer("PRAGMA user_version") == 3);
    after.exec("INSERT INTO feedback VALUES (1)");  // still the table it was
    // Version 4's first table was rolled back with the rest.
    CHECK(after.integer("SELECT count(*) FROM sqlite_master WHERE name = 'publications'") == 0);
}

TEST_CASE("schema: a database of the next version is refused and left as it is") {
    test::TempDir dir;
    const auto path = dir.path() / "rbl.db";
    const int next = store::current_schema_version() + 1;
    {
        OldDatabase newer(path);
        newer.migrate_to(store::current_schema_version());
        newer.exec("CREATE TABLE from_the_future (x INTEGER)");
        newer.exec("PRAGMA user_version=" + std::to_string(next));
    }
    const std::string refusal =
        "schema version " + std::to_string(next) + ", newer than this rbl understands";
    CHECK_THROWS_WITH_AS(store::Database({.path = path}), doctest::Contains(refusal.c_str()),
                         FailedError);
    CHECK_THROWS_AS(store::Database({.path = path, .read_only = true}), FailedError);
    OldDatabase after(path);
    CHECK(after.integer("PRAGMA user_version") == next);
    after.exec("INSERT INTO from_the_future VALUES (1)");
}

TEST_CASE("schema: a run reads records through the covering index, no row fetched") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    store::Statement plan(db,
                          "EXPLAIN QUERY PLAN SELECT record_id, domain, kind, date, "
                          "amount_fen, authority, region, attrs, source, status, "
                          "withdrawn_by, updated_batch, inserted_batch, rec FROM records "
                          "WHERE subject_id = 'x'");
    std::string details;
    while (plan.step()) {
        details += std::string(plan.column_text(3)) + ";";
    }
    CHECK(details.find("USING COVERING INDEX records_for_evaluation") != std::string::npos);
}

TEST_CASE("schema: changes that a run must see mark their subject, bookkeeping does not") {
    test::TempDir dir;
    store::Database db({.path = dir.path() / "rbl.db", .create = true});
    db.exec(k_v1_rows);
    const auto marks = [&] { return test::query_number(db, "SELECT count(*) FROM subject_marks"); };
    CHECK(marks() == 0);  // an insert is marked by RecordStore, once per subject and batch
    db.exec("UPDATE records SET seen_batch = 2");
    CHECK(marks() == 0);  // seen again, unchanged
    db.exec("UPDATE records SET status = 'withdrawn', withdrawn_by = 'office'");
    CHECK(marks() == 1);
    db.exec("UPDATE subjects SET name = 'other'");
    CHECK(marks() == 2);
    db.exec("UPDATE subjects SET updated_batch = updated_batch");
    CHECK(marks() == 2);
    db.exec("UPDATE import_batches SET reverted_at = '2026-03-02T00:00:00Z'");
    CHECK(marks() == 3);  // the batch's subjects, whatever their records' status
    CHECK(test::query_text(db, "SELECT DISTINCT subject_id FROM subject_marks") ==
          "91320102MA1000001X");
}
