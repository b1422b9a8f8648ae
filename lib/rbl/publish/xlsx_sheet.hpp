#pragma once
// An export as a spreadsheet (--format xlsx, SPEC.md §6): one sheet whose first row is the
// header, bold and frozen, under an autofilter; columns as wide as their widest cell's display
// width (a Chinese character counts two), within limits. Written with libxlsxwriter, which stays
// inside xlsx_sheet.cpp: no header names its types.
//
// Cells keep their meaning: text (identifiers and document numbers included, so that an 18-digit
// number never loses digits) is always a string cell, never a formula, whatever it begins with
// (the formula guard of a spreadsheet); a date is a date cell (yyyy-mm-dd); an amount a number; a
// yes/no a boolean. An empty cell is left blank.
//
// The workbook is built in a private temporary folder (mode 0700, under $TMPDIR), rows streamed
// to disk as they come (libxlsxwriter's constant-memory mode), and its bytes copied into the
// export's util::AtomicFile by finish(): hashed, and put in place by commit() as any export.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "rbl/util/atomic_file.hpp"

namespace rbl::publish {

/// What a cell holds, as a spreadsheet should read it.
enum class CellType {
    text,     ///< a string, never a number or a formula
    date,     ///< "YYYY-MM-DD", written as a date cell
    number,   ///< a decimal number's text ("123.5")
    boolean,  ///< "true" or "false"
};

/// One cell of an exported row: its type and its text as CSV shows it (before the formula guard).
struct Cell {
    CellType type = CellType::text;
    std::string_view text;
};

/// One sheet being written into an export file.
class XlsxSheet {
  public:
    /// Starts the workbook whose bytes go to `file`, with one sheet named `sheet_name` (at most
    /// 31 characters, none of []:*?/\) and the header row `columns`. Throws FailedError when the
    /// temporary folder or the workbook cannot be made.
    XlsxSheet(util::AtomicFile file, std::string_view sheet_name,
              std::span<const std::string_view> columns);
    ~XlsxSheet();
    XlsxSheet(XlsxSheet&&) noexcept;
    XlsxSheet& operator=(XlsxSheet&&) = delete;
    XlsxSheet(const XlsxSheet&) = delete;
    XlsxSheet& operator=(const XlsxSheet&) = delete;

    /// Appends a row below the last. Throws FailedError beyond a sheet's 1,048,576 rows or for a
    /// text over 32,767 characters (a spreadsheet's limits).
    void add_row(std::span<const Cell> cells);
    /// Closes the workbook, copies its bytes into the file and returns their SHA-256 (as
    /// util::AtomicFile::finish). Throws FailedError.
    std::string finish();
    /// Puts the file in place (util::AtomicFile::commit), finishing it first if need be.
    void commit();

  private:
    struct Workbook;
    std::unique_ptr<Workbook> m_book;
};

}  // namespace rbl::publish
