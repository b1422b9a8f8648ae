#pragma once
// One published record as text, in the 双公示 layout (DOMAIN.md "Published data fields"): CSV
// (RFC 4180, `\r\n`, the formula guard) or JSON Lines, with natural persons' ID numbers masked
// unless --unmask. Amounts are in ¥10,000 (罚款金额（万元）).

#include <string>
#include <string_view>

#include "rbl/model/record_publicity.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/store/record_publicity_store.hpp"

namespace rbl::publish {

/// Formats published records as CSV or JSON Lines, as `options` says (format, language, BOM,
/// unmask).
class RecordRowWriter {
public:
    /// `with_change`: a leading change column (a delta). Keeps a reference to `options`.
    RecordRowWriter(const ExportOptions& options, bool with_change);

    /// The CSV header line (with the BOM when asked), or "" for JSON Lines.
    [[nodiscard]] std::string header() const;

    /// The record's line, valid until the next call; `change` empty unless a delta.
    const std::string& line(const store::PublishedRecord& row,
                            const model::RecordPublicity& publicity, std::string_view change);

private:
    void csv_line(const store::PublishedRecord& row, const model::RecordPublicity& publicity,
                  std::string_view change);
    void json_line(const store::PublishedRecord& row, const model::RecordPublicity& publicity,
                   std::string_view change);
    void text(std::string_view name, std::string_view value);
    void text_or_null(std::string_view name, std::string_view value);

    const ExportOptions& m_options;
    bool m_with_change;
    bool m_first = true;
    std::string m_subject_id;
    std::string m_line;
};

}  // namespace rbl::publish
