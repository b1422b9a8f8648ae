#include <doctest/doctest.h>
#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>

#include "../temp_dir.hpp"
#include "rbl/publish/xlsx_sheet.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/sha256.hpp"

using rbl::publish::Cell;
using rbl::publish::CellType;
using rbl::publish::XlsxSheet;

namespace {

rbl::util::AtomicFile file_at(const std::filesystem::path& path) {
    return rbl::util::AtomicFile(path, {.mode = 0600,
                                        .placement = rbl::util::AtomicFile::Placement::replace,
                                        .hash = true,
                                        .what = {}});
}

constexpr std::array<std::string_view, 4> k_columns = {"subject_id", "decided_on", "amount",
                                                       "disputed"};

}  // namespace

TEST_CASE("xlsx sheet: a zip put in place whole, its SHA-256 that of the file") {
    rbl::test::TempDir dir;
    const auto path = dir.path() / "out.xlsx";
    XlsxSheet sheet(file_at(path), "entries", k_columns);
    const std::array<Cell, 4> row = {
        Cell{CellType::text, "113200000140000012"}, Cell{CellType::date, "2026-11-28"},
        Cell{CellType::number, "12.35"}, Cell{CellType::boolean, "false"}};
    sheet.add_row(row);
    const std::string sha256 = sheet.finish();
    CHECK_FALSE(std::filesystem::exists(path));  // not before commit
    sheet.commit();
    const std::string bytes = rbl::test::read_all(path);
    CHECK(bytes.starts_with("PK\x03\x04"));
    CHECK(rbl::util::sha256_hex(bytes) == sha256);
}

TEST_CASE("xlsx sheet: abandoned, nothing is left, in place or in the temporary folder") {
    rbl::test::TempDir dir;
    const auto path = dir.path() / "out.xlsx";
    const auto workbooks = [] {
        std::size_t count = 0;
        for (const auto& item :
             std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
            count += item.path().filename().string().starts_with("rbl-xlsx-") ? 1 : 0;
        }
        return count;
    };
    const std::size_t before = workbooks();
    {
        XlsxSheet sheet(file_at(path), "entries", k_columns);
        CHECK(workbooks() == before + 1);
        const std::array<Cell, 1> row = {Cell{CellType::text, "=1+1"}};
        sheet.add_row(row);
    }
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(std::filesystem::is_empty(dir.path()));
    CHECK(workbooks() == before);
}

TEST_CASE("xlsx sheet: a cell over a spreadsheet's 32,767 characters is a plain failure") {
    rbl::test::TempDir dir;
    XlsxSheet sheet(file_at(dir.path() / "out.xlsx"), "entries", k_columns);
    const std::string long_text(40000, 'x');
    const std::array<Cell, 1> row = {Cell{CellType::text, long_text}};
    CHECK_THROWS_WITH_AS(sheet.add_row(row), doctest::Contains("at most 32,767 characters"),
                         rbl::FailedError);
}
