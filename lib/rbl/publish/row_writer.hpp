#pragma once
// One exported row: CSV (RFC 4180, `\r\n`, the formula guard), JSON Lines, or a spreadsheet's
// typed cells (xlsx: the CSV's columns and headers, each cell a text, date, number or boolean),
// with natural persons' ID numbers masked unless --unmask.

#include <string>
#include <string_view>
#include <vector>

#include "rbl/publish/export_files.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/xlsx_sheet.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/util/csv.hpp"

namespace rbl::publish {

/// A measure of a department in an entry's kept terms.
struct Measure {
    std::string id;
    std::string text_zh;
};

/// An entry as published on the as-of day: its state then.
struct PublishedRow {
    std::string status;
    std::string ended_on;
    std::string end_reason;  ///< its code (model/end_reason), "" when not ended
};

/// Formats rows as CSV, JSON Lines or xlsx cells, as `options` says (format, language, BOM,
/// unmask).
class RowWriter {
public:
    /// `with_change`: a leading change column (a delta); `with_measures`: the department's
    /// measures and those reported applied, as two trailing columns. Keeps a reference to
    /// `options`.
    RowWriter(const ExportOptions& options, bool with_change, bool with_measures);

    /// The column names, as CSV's header and xlsx's header row show them (--lang).
    [[nodiscard]] std::vector<std::string_view> columns() const;
    /// The CSV header line (with the BOM when asked), or "" for JSON Lines and xlsx.
    [[nodiscard]] std::string header() const;
    /// Opens the export file `out` in the options' format, its header written.
    [[nodiscard]] ExportFile open(const std::string& out) const;
    /// Writes the row to `file` in the options' format (the arguments as for line()).
    void write(ExportFile& file, const store::EntryRow& row, const PublishedRow& state,
               std::string_view change, const std::vector<Measure>* measures,
               std::string_view reported = {});

    /// The row's line, valid until the next call; `change` empty unless a delta; `measures`
    /// those of the department (read only with measures); `reported` the measures reported
    /// applied, ';'-joined.
    const std::string& line(const store::EntryRow& row, const PublishedRow& state,
                            std::string_view change, const std::vector<Measure>* measures,
                            std::string_view reported = {});

    /// The row's cells, as CSV shows them before the formula guard, valid until the next call.
    const std::vector<Cell>& cells(const store::EntryRow& row, const PublishedRow& state,
                                   std::string_view change, const std::vector<Measure>* measures,
                                   std::string_view reported = {});

private:
    void mask(const store::EntryRow& row);
    /// The entry's reason in the export's language: the stored English, or its Chinese.
    std::string_view reason(const store::EntryRow& row);
    void csv_line();
    void key(std::string_view name);
    void text(std::string_view name, std::string_view value);
    void text_or_null(std::string_view name, std::string_view value);
    void append_list(std::string_view joined);
    void json_line(const store::EntryRow& row, const PublishedRow& state, std::string_view change,
                   const std::vector<Measure>* measures, const std::string& title,
                   std::string_view reported);

    const ExportOptions& m_options;
    bool m_with_change;
    bool m_with_measures;
    bool m_first = true;
    std::string m_subject_id;
    std::string m_entry_id;
    std::string m_measures;
    std::vector<Cell> m_cells;
    std::string m_line;
    std::string m_reason;  ///< the reason in Chinese, for the row being written
};

/// A CSV cell as published (the formula guard, util/csv.hpp).
using util::guard_formula;

}  // namespace rbl::publish
