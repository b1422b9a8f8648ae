#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "../market_rules.hpp"
#include "../db_query.hpp"
#include "../temp_dir.hpp"
#include "rbl/ingest/importer.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/sha256.hpp"

using namespace rbl;
using ingest::ImportOptions;
using ingest::ImportSummary;

namespace {

const std::string k_header =
    "record_id,subject_id,subject_name,domain,kind,date,amount,category,fine_level\n";
// Two good rows (one with a date to normalise and an amount in yuan) and, on line 4, one whose
// declared number attribute is not a number.
const std::string k_penalties =
    k_header +
    "宁建罚字〔2025〕143号,91320106MA109Y0356,南京华泰建设工程有限公司,market,penalty,"
    "2025-02-25,286400.00,fine,2\n"
    "扬市监处罚〔2025〕0361号,91321002MAP0LUM417,扬州味香园餐饮管理有限公司,market,penalty,"
    "2025/8/22,50000,fine,1\n"
    "苏市监罚〔2025〕9号,91320505MAWYY1CN96,苏州恒通精密机械有限公司,market,penalty,2025-03-18,"
    ",fine,lots\n";

struct Fixture {
    test::TempDir dir;
    rules::RuleSet rules = test::market_rules(dir);
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog audit{db, {"tester", "login", "rbl-import"}};
    SilentReporter reporter;

    ImportOptions options_for(const std::filesystem::path& file) {
        ImportOptions options;
        options.file = file;
        options.operator_name = "tester";
        return options;
    }

    ImportSummary import(const ImportOptions& options) {
        return ingest::import_file(db, audit, rules, options, reporter);
    }

    std::string text(std::string_view sql) { return test::query_text(db, sql); }

    std::int64_t number(std::string_view sql) { return test::query_number(db, sql); }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "importer: a CSV file is imported as one batch, with its counts") {
    const auto file = dir.write("penalties.csv", k_penalties);
    const auto summary = import(options_for(file));
    CHECK(summary.rows == 3);
    CHECK(summary.inserted == 2);
    CHECK(summary.updated == 0);
    CHECK(summary.unchanged == 0);
    CHECK(summary.rejected == 1);
    CHECK(summary.committed);
    REQUIRE(summary.batch_id.has_value());
    CHECK(*summary.batch_id == 1);
    CHECK(summary.file_sha256 == util::sha256_hex(k_penalties));
    CHECK(summary.unknown_columns.empty());  // category and fine_level are market's attributes

    CHECK(number("SELECT count(*) FROM records") == 2);
    CHECK(number("SELECT count(*) FROM subjects") == 2);
    // Normalised: the date to ISO, the amount to fen, attributes by their declared type.
    CHECK(text("SELECT date || ' ' || amount_fen || ' ' || attrs FROM records "
               "WHERE subject_id = '91321002MAP0LUM417'") ==
          "2025-08-22 5000000 {\"category\":\"fine\",\"fine_level\":1}");
    CHECK(text("SELECT subject_type || ' ' || region FROM subjects "
               "WHERE subject_id = '91320106MA109Y0356'") == "legal_person 320106");
    CHECK(text("SELECT rows || ' ' || inserted || ' ' || rejected || ' ' || operator || ' ' || "
               "file_sha256 FROM import_batches") ==
          "3 2 1 tester " + util::sha256_hex(k_penalties));
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'import.batch'") == 1);
    CHECK(audit.verify().first_bad == std::nullopt);

    const auto json = ingest::to_json(summary, false);
    CHECK(json["inserted"] == 2);
    CHECK(json["rejected"] == 1);
    CHECK(json["batch_id"] == 1);
    CHECK(json["committed"] == true);
}

TEST_CASE_FIXTURE(Fixture, "importer: a rejected row is written to the rejects file with its reason") {
    const auto file = dir.write("penalties.csv", k_penalties);
    auto options = options_for(file);
    options.rejects = dir.path() / "rejects.csv";
    import(options);
    const std::string rejects = test::read_all(dir.path() / "rejects.csv");
    const auto first_end = rejects.find("\r\n");
    REQUIRE(first_end != std::string::npos);
    CHECK(rejects.substr(0, first_end) ==
          "line,column,reason,record_id,subject_id,subject_name,domain,kind,date,amount,"
          "category,fine_level");
    const std::string row = rejects.substr(first_end + 2);
    // The reason holds commas: quoted.
    CHECK(row.starts_with("4,fine_level,\"fine_level is declared number: 'lots' is not "));
    CHECK(row.ends_with(",苏市监罚〔2025〕9号,91320505MAWYY1CN96,苏州恒通精密机械有限公司,market,"
                        "penalty,2025-03-18,,fine,lots\r\n"));
    CHECK(number("SELECT count(*) FROM records WHERE subject_id = '91320505MAWYY1CN96'") == 0);
}

TEST_CASE_FIXTURE(Fixture, "importer: a re-import is unchanged; changed content is an update") {
    const auto file = dir.write("penalties.csv", k_penalties);
    import(options_for(file));
    const auto again = import(options_for(file));
    CHECK(again.inserted == 0);
    CHECK(again.unchanged == 2);
    CHECK(again.updated == 0);
    CHECK(again.rejected == 1);
    CHECK(*again.batch_id == 2);
    CHECK(number("SELECT count(*) FROM records") == 2);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'record.updated'") == 0);

    std::string changed = k_penalties;
    const std::string amount = "2025/8/22,50000,";
    changed.replace(changed.find(amount), amount.size(), "2025/8/22,60000,");
    const auto update = import(options_for(dir.write("changed.csv", changed)));
    CHECK(update.updated == 1);
    CHECK(update.unchanged == 1);
    CHECK(number("SELECT amount_fen FROM records WHERE subject_id = '91321002MAP0LUM417'") ==
          6000000);
    CHECK(number("SELECT count(*) FROM records") == 2);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'record.updated'") == 1);
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "importer: --dry-run and --strict with a rejection leave nothing") {
    const auto file = dir.write("penalties.csv", k_penalties);
    auto dry = options_for(file);
    dry.dry_run = true;
    const auto dry_summary = import(dry);
    CHECK_FALSE(dry_summary.committed);
    CHECK_FALSE(dry_summary.batch_id.has_value());
    CHECK(dry_summary.inserted == 2);  // what validation found
    CHECK(dry_summary.rejected == 1);
    const auto json = ingest::to_json(dry_summary, true);
    CHECK(json["inserted"] == 0);
    CHECK(json["validated"]["inserted"] == 2);
    CHECK(json["dry_run"] == true);

    auto strict = options_for(file);
    strict.strict = true;
    const auto strict_summary = import(strict);
    CHECK_FALSE(strict_summary.committed);
    CHECK(strict_summary.rejected == 1);

    CHECK(number("SELECT count(*) FROM records") == 0);
    CHECK(number("SELECT count(*) FROM subjects") == 0);
    CHECK(number("SELECT count(*) FROM import_batches") == 0);
    CHECK(number("SELECT count(*) FROM audit_log") == 0);

    // --strict with every row good commits.
    std::string good = k_penalties.substr(0, k_penalties.rfind("苏市监罚"));
    const auto clean = import([&] {
        auto options = options_for(dir.write("good.csv", good));
        options.strict = true;
        return options;
    }());
    CHECK(clean.committed);
    CHECK(number("SELECT count(*) FROM records") == 2);
}

TEST_CASE_FIXTURE(Fixture, "importer: a key repeated with other content in one file is rejected") {
    const auto file = dir.write(
        "twice.csv", k_header +
                         "R1,91320106MA109Y0356,南京华泰,market,penalty,2025-02-25,100,fine,1\n"
                         "R1,91320106MA109Y0356,南京华泰,market,penalty,2025-02-26,100,fine,1\n");
    const auto summary = import(options_for(file));
    CHECK(summary.inserted == 1);
    CHECK(summary.rejected == 1);
    CHECK(text("SELECT date FROM records") == "2025-02-25");
}

TEST_CASE_FIXTURE(Fixture, "importer: JSON Lines with nested attributes; the format from the name") {
    CHECK(ingest::format_of("a.jsonl") == ingest::Format::jsonl);
    CHECK(ingest::format_of("a.ndjson") == ingest::Format::jsonl);
    CHECK(ingest::format_of("a.json") == ingest::Format::jsonl);
    CHECK(ingest::format_of("a.csv") == ingest::Format::csv);
    CHECK(ingest::format_of("a.txt") == ingest::Format::csv);
    const auto file = dir.write(
        "penalties.jsonl",
        "{\"record_id\":\"J1\",\"subject_id\":\"91320106MA109Y0356\",\"subject_name\":\"南京华泰\","
        "\"domain\":\"market\",\"kind\":\"penalty\",\"date\":\"2025-02-25\",\"amount\":12.5,"
        "\"attrs\":{\"category\":\"fine\"}}\n"
        "\n"
        "{\"record_id\":\"J2\",\"subject_id\":\"91320106MA109Y0356\"\n");
    auto options = options_for(file);
    options.rejects = dir.path() / "rejects.csv";
    const auto summary = import(options);
    CHECK(summary.rows == 2);
    CHECK(summary.inserted == 1);
    CHECK(summary.rejected == 1);
    CHECK(text("SELECT record_id || ' ' || amount_fen || ' ' || attrs FROM records") ==
          "J1 1250 {\"category\":\"fine\"}");
    // The truncated line keeps its own number (line 3: blank lines count).
    CHECK(test::read_all(dir.path() / "rejects.csv").find("\r\n3,,") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "importer: files that cannot be used at all are refused before any work") {
    CHECK_THROWS_WITH_AS(import(options_for(dir.path() / "none.csv")),
                         doctest::Contains("does not exist"), UsageError);
    CHECK_THROWS_WITH_AS(import(options_for(dir.write("empty.csv", ""))),
                         doctest::Contains("is empty"), UsageError);
    CHECK_THROWS_WITH_AS(
        import(options_for(dir.write("short.csv", "record_id,subject_id,subject_name,domain,kind\n"
                                                  "R1,91320106MA109Y0356,N,market,penalty\n"))),
        doctest::Contains("missing required column 'date'"), UsageError);
    CHECK(number("SELECT count(*) FROM import_batches") == 0);
}

TEST_CASE_FIXTURE(Fixture, "importer: reverting a batch withdraws what it inserted, once") {
    const auto first = import(options_for(dir.write("penalties.csv", k_penalties)));
    const auto reverted = ingest::revert_batch(db, audit, *first.batch_id);
    CHECK(reverted.batch_id == 1);
    CHECK(reverted.withdrawn == 2);
    CHECK(text("SELECT group_concat(DISTINCT status || ':' || withdrawn_by) FROM records") ==
          "withdrawn:office");
    CHECK_THROWS_WITH_AS(ingest::revert_batch(db, audit, 1),
                         doctest::Contains("already reverted"), UsageError);
    CHECK_THROWS_WITH_AS(ingest::revert_batch(db, audit, 7),
                         doctest::Contains("there is no import batch 7"), UsageError);
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE("importer: a dry run into a database that does not exist creates none") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    SilentReporter reporter;
    ingest::ImportOptions options;
    options.file = dir.write("penalties.csv", k_penalties);
    options.dry_run = true;
    const ingest::ImportDatabase database{dir.path() / "rbl.db", 5, {"tester", "login", "rbl-import"}};
    const auto summary = ingest::import_file_into(database, rules, options, reporter);
    CHECK(summary.inserted == 2);
    CHECK_FALSE(summary.committed);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "rbl.db"));

    // A failing import into a new database removes it again; a good one keeps it.
    options.dry_run = false;
    options.file = dir.path() / "none.csv";
    CHECK_THROWS_AS(ingest::import_file_into(database, rules, options, reporter), UsageError);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "rbl.db"));
    options.file = dir.path() / "penalties.csv";
    CHECK(ingest::import_file_into(database, rules, options, reporter).committed);
    CHECK(std::filesystem::exists(dir.path() / "rbl.db"));
}
