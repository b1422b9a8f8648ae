#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rbl/publish/export_options.hpp"
#include "rbl/publish/row_writer.hpp"
#include "rbl/store/publication_store.hpp"

using rbl::publish::ExportOptions;
using rbl::publish::Format;
using rbl::publish::guard_formula;
using rbl::publish::Measure;
using rbl::publish::PublishedRow;
using rbl::publish::RowWriter;

namespace {

rbl::store::EntryRow natural_person_row() {
    rbl::store::EntryRow row;
    row.entry_id = 7;
    row.list_id = "tax.black.major";
    row.list_title = "Major tax violations";
    row.list_title_zh = "重大税收违法";
    row.kind = "black";
    row.domain = "tax";
    row.subject_id = "110101199003078515";
    row.subject_name = "Zhang, \"San\"";
    row.subject_type = "natural_person";
    row.decided_on = "2024-01-02";
    row.effective_from = "2024-01-02";
    row.expires_on = "2027-01-02";
    row.authority = "=HYPERLINK(\"http://x\")";
    row.basis = "Art. 5";
    row.explanation = "line one\nline two\n";
    row.evidence = "r1;r2";
    return row;
}

const PublishedRow k_effective{"effective", "", ""};

}  // namespace

TEST_CASE("row writer: CSV quotes commas, quotes and newlines, ends lines with CRLF") {
    ExportOptions options;
    options.unmask = true;
    RowWriter writer(options, false, false);
    const std::string line = writer.line(natural_person_row(), k_effective, "", nullptr);
    CHECK(line.find(",\"Zhang, \"\"San\"\"\",") != std::string::npos);
    CHECK(line.find(",\"line one\nline two\",") != std::string::npos);  // trailing newline trimmed
    CHECK(line.ends_with(",r1;r2,false\r\n"));
    CHECK(writer.header().starts_with("entry_id,list_id,list_title,kind,"));
    CHECK(writer.header().ends_with(",evidence,disputed\r\n"));
}

TEST_CASE("row writer: the formula guard in CSV, never in JSON Lines") {
    CHECK(guard_formula("=1+1") == "'=1+1");
    CHECK(guard_formula("+86") == "'+86");
    CHECK(guard_formula("-5") == "'-5");
    CHECK(guard_formula("@SUM(A1)") == "'@SUM(A1)");
    CHECK(guard_formula("\tx") == "'\tx");
    CHECK(guard_formula("\rx") == "'\rx");
    CHECK(guard_formula("a=b") == "a=b");
    CHECK(guard_formula("") == "");
    ExportOptions options;
    RowWriter csv(options, false, false);
    CHECK(csv.line(natural_person_row(), k_effective, "", nullptr)
              .find(",\"'=HYPERLINK(\"\"http://x\"\")\",") != std::string::npos);
    options.format = Format::jsonl;
    RowWriter jsonl(options, false, false);
    CHECK(jsonl.line(natural_person_row(), k_effective, "", nullptr)
              .find("\"authority\":\"=HYPERLINK(\\\"http://x\\\")\"") != std::string::npos);
}

TEST_CASE("row writer: a natural person's ID is masked unless unmasked; a company's never") {
    ExportOptions options;
    options.format = Format::jsonl;
    RowWriter masked(options, false, false);
    const std::string line = masked.line(natural_person_row(), k_effective, "", nullptr);
    CHECK(line.find("110101199003078515") == std::string::npos);
    CHECK(line.find("\"subject_id\":\"1101") != std::string::npos);
    options.unmask = true;
    RowWriter unmasked(options, false, false);
    CHECK(unmasked.line(natural_person_row(), k_effective, "", nullptr)
              .find("\"subject_id\":\"110101199003078515\"") != std::string::npos);
    ExportOptions masking;
    RowWriter company_writer(masking, false, false);
    auto company = natural_person_row();
    company.subject_type = "legal_person";
    company.subject_id = "91350100M000100Y43";
    CHECK(company_writer.line(company, k_effective, "", nullptr).find(",91350100M000100Y43,") !=
          std::string::npos);
}

TEST_CASE("row writer: JSON Lines with the change, measures and nulls for no end") {
    ExportOptions options;
    options.format = Format::jsonl;
    RowWriter writer(options, true, true);
    CHECK(writer.header().empty());
    const std::vector<Measure> measures = {{"m1", "限制乘坐飞机"}};
    const std::string line =
        writer.line(natural_person_row(), k_effective, "added", &measures, "m1");
    CHECK(line.starts_with("{\"change\":\"added\",\"entry_id\":7,"));
    CHECK(line.find("\"ended_on\":null,\"end_reason\":null") != std::string::npos);
    CHECK(line.find("\"evidence\":[\"r1\",\"r2\"]") != std::string::npos);
    CHECK(line.ends_with(
        "\"measures\":[{\"id\":\"m1\",\"text_zh\":\"限制乘坐飞机\"}],\"measures_reported\":[\"m1\"]}\n"));
}

TEST_CASE("row writer: xlsx cells are CSV's columns, typed: identifiers text, dates, a boolean") {
    ExportOptions options;
    options.format = Format::xlsx;
    RowWriter writer(options, true, false);
    const rbl::store::EntryRow row = natural_person_row();  // the cells view its text
    const auto& cells = writer.cells(row, k_effective, "added", nullptr);
    const auto columns = writer.columns();
    REQUIRE(cells.size() == columns.size());
    CHECK(columns.front() == "change");
    using rbl::publish::CellType;
    const auto type_of = [&](std::string_view column) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i] == column) {
                return cells[i].type;
            }
        }
        FAIL("no column ", column);
        return CellType::text;
    };
    CHECK(type_of("entry_id") == CellType::text);
    CHECK(type_of("subject_id") == CellType::text);
    CHECK(type_of("decided_on") == CellType::date);
    CHECK(type_of("expires_on") == CellType::date);
    CHECK(type_of("ended_on") == CellType::date);
    CHECK(type_of("disputed") == CellType::boolean);
    CHECK(cells[6].text == "110101********8515");  // masked, as in CSV
    CHECK(cells[15].text == "=HYPERLINK(\"http://x\")");  // the guard is the cell's type
    CHECK(writer.header().empty());
    options.lang = rbl::publish::Language::zh;
    CHECK(RowWriter(options, false, false).columns().front() == "条目编号");
}
