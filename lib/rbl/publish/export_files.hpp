#pragma once
// The files an export writes, all through util::AtomicFile: the export itself (or standard
// output) as text (CSV, JSON Lines) or a spreadsheet (xlsx), the per-department files, the
// manifests FILE.sha256, the HTML report.

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rbl/publish/export_options.hpp"
#include "rbl/publish/xlsx_sheet.hpp"
#include "rbl/util/atomic_file.hpp"

namespace rbl::publish {

/// An export's file in its format: text written as it comes (CSV, JSON Lines), or a spreadsheet
/// of rows of cells (xlsx). Whole or nothing, hashed, as open_export_file.
class ExportFile {
public:
    /// Opens `out` ("-" for standard output) as open_export_file does; for xlsx starts the sheet
    /// `sheet_name` with the header row `columns` (text formats write their own header).
    ExportFile(const std::string& out, Format format, unsigned mode, std::string_view sheet_name,
               std::span<const std::string_view> columns);

    /// True for xlsx: rows go in with add_row, not write.
    [[nodiscard]] bool is_sheet() const { return m_sheet.has_value(); }
    /// Appends text (CSV, JSON Lines); nothing for a spreadsheet, whose header is its first row.
    void write(std::string_view bytes);
    /// Appends a spreadsheet row (xlsx only).
    void add_row(std::span<const Cell> cells);
    /// Makes the file whole and durable, not yet in place; returns its SHA-256.
    std::string finish();
    /// Puts the file in place (finishing it first if need be).
    void commit();

private:
    std::optional<util::AtomicFile> m_text;
    std::optional<XlsxSheet> m_sheet;
};

/// A CSV header line of `columns` (RFC 4180, `\r\n`), after a UTF-8 BOM when `bom`.
std::string csv_header(std::span<const std::string_view> columns, bool bom);

/// An export's file: `out` ("-" for standard output) written whole or not at all (renamed into
/// place by commit()), created with `mode`, hashed as written. Throws UsageError when `out` is a
/// folder, and as util::AtomicFile does.
util::AtomicFile open_export_file(const std::string& out, unsigned mode);

/// The manifest `FILE.sha256`: the file's checksum line for `sha256sum -c`, then the audit log's
/// head as a '#' comment line when given. Throws as write_private_file.
void write_manifest(const std::filesystem::path& file, const std::string& sha256,
                    const std::optional<std::string>& audit_head, unsigned mode);

/// A department's name as a file name: path separators and control characters replaced.
std::string file_name_of(std::string_view department);

}  // namespace rbl::publish
