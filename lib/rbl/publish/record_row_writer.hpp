#pragma once
// One published record in the 双公示 layout (DOMAIN.md "Published data fields"): CSV (RFC 4180,
// `\r\n`, the formula guard), JSON Lines, or a spreadsheet's typed cells (xlsx: the CSV's columns,
// the document number as text, dates as dates, the amount a number), with natural persons' ID
// numbers masked unless --unmask. Amounts are in ¥10,000 (罚款金额（万元）).

#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/record_publicity.hpp"
#include "rbl/publish/export_files.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/xlsx_sheet.hpp"
#include "rbl/store/record_publicity_store.hpp"

namespace rbl::publish {

/// Formats published records as CSV, JSON Lines or xlsx cells, as `options` says (format,
/// language, BOM, unmask).
class RecordRowWriter {
public:
    /// `with_change`: a leading change column (a delta). Keeps a reference to `options`.
    RecordRowWriter(const ExportOptions& options, bool with_change);

    /// The column names, as CSV's header and xlsx's header row show them (--lang).
    [[nodiscard]] std::vector<std::string_view> columns() const;
    /// The CSV header line (with the BOM when asked), or "" for JSON Lines and xlsx.
    [[nodiscard]] std::string header() const;
    /// Opens the export file `out` in the options' format, its header written.
    [[nodiscard]] ExportFile open(const std::string& out) const;
    /// Writes the record to `file` in the options' format.
    void write(ExportFile& file, const store::PublishedRecord& row,
               const model::RecordPublicity& publicity, std::string_view change);
    /// The record's cells, as CSV shows them before the formula guard, valid until the next call.
    const std::vector<Cell>& cells(const store::PublishedRecord& row,
                                   const model::RecordPublicity& publicity,
                                   std::string_view change);

    /// The record's line, valid until the next call; `change` empty unless a delta.
    const std::string& line(const store::PublishedRecord& row,
                            const model::RecordPublicity& publicity, std::string_view change);

private:
    /// The attributes the layout shows, in its order (as market.yaml declares them; "" where a
    /// record has none).
    struct LayoutAttributes {
        std::string violation_type;
        std::string penalty_basis;
        std::string category;
        std::string penalty_content;
        std::string data_source;
    };

    void mask(const store::PublishedRecord& row);
    static LayoutAttributes layout_attributes(const std::string& attrs_json);
    void csv_line();
    void json_line(const store::PublishedRecord& row, const model::RecordPublicity& publicity,
                   std::string_view change);
    void text(std::string_view name, std::string_view value);
    void text_or_null(std::string_view name, std::string_view value);

    const ExportOptions& m_options;
    bool m_with_change;
    bool m_first = true;
    std::string m_subject_id;
    std::string m_amount;
    std::string m_until;
    std::string m_from;
    LayoutAttributes m_attrs;
    std::vector<Cell> m_cells;
    std::string m_line;
};

}  // namespace rbl::publish
