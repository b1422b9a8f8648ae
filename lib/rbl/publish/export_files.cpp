#include "rbl/publish/export_files.hpp"

#include <fmt/format.h>

#include "rbl/publish/exporter.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::publish {

using util::AtomicFile;

namespace {

std::string manifest_line(const std::string& sha256, const std::filesystem::path& file) {
    return fmt::format("{}  {}\n", sha256, file.filename().string());
}

}  // namespace

ExportFile::ExportFile(const std::string& out, Format format, unsigned mode,
                       std::string_view sheet_name, std::span<const std::string_view> columns) {
    if (format == Format::xlsx) {
        m_sheet.emplace(open_export_file(out, mode), sheet_name, columns);
    } else {
        m_text.emplace(open_export_file(out, mode));
    }
}

void ExportFile::write(std::string_view bytes) {
    if (m_text) {
        m_text->write(bytes);
    }
}

void ExportFile::add_row(std::span<const Cell> cells) {
    if (m_sheet) {
        m_sheet->add_row(cells);
    }
}

std::string ExportFile::finish() { return m_sheet ? m_sheet->finish() : m_text->finish(); }

void ExportFile::commit() {
    if (m_sheet) {
        m_sheet->commit();
    } else {
        m_text->commit();
    }
}

std::string csv_header(std::span<const std::string_view> columns, bool bom) {
    std::string line = bom ? "\xEF\xBB\xBF" : "";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) {
            line += ',';
        }
        util::append_csv_field(line, columns[i]);
    }
    line += "\r\n";
    return line;
}

AtomicFile open_export_file(const std::string& out, unsigned mode) {
    if (out == "-") {
        return AtomicFile::standard_output(true);
    }
    std::error_code ec;
    if (std::filesystem::is_directory(std::filesystem::symlink_status(out, ec))) {
        throw UsageError(trf("--out {} is a folder", out));
    }
    return AtomicFile(out, AtomicFile::Options{.mode = mode,
                                               .placement = AtomicFile::Placement::replace,
                                               .hash = true,
                                               .what = {}});
}

// The audit log's head as it stood after the publication's own rows (SPEC.md §7), as a '#'
// comment line, which `sha256sum -c` skips (also with --strict): `rbl-audit verify --head
// SEQ:HASH` proves later that no row up to it went.
void write_manifest(const std::filesystem::path& file, const std::string& sha256,
                    const std::optional<std::string>& audit_head, unsigned mode) {
    std::string text = manifest_line(sha256, file);
    if (audit_head) {
        text += fmt::format("# rbl-audit head {}\n", *audit_head);
    }
    write_private_file(file.string() + ".sha256", text, mode);
}

std::string file_name_of(std::string_view department) {
    std::string name;
    for (const char c : department) {
        name += (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    }
    if (name.empty() || name == "." || name == "..") {
        // Returned, not assigned: g++ 12 warns falsely (-Wrestrict) on `name = "_"` here.
        return std::string(1, '_');
    }
    return name;
}

void write_private_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode) {
    AtomicFile file = open_export_file(path.string(), mode);
    file.write(bytes);
    file.commit();
}

}  // namespace rbl::publish
