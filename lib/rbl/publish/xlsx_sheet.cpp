#include "rbl/publish/xlsx_sheet.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::publish {

namespace {

constexpr double k_min_width = 6;
constexpr double k_max_width = 60;  // a long explanation wraps no column off the screen
constexpr double k_date_width = 12;
constexpr lxw_row_t k_max_rows = 1048576;

// A private folder for the workbook and libxlsxwriter's own temporary files.
std::filesystem::path make_private_folder() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "rbl-xlsx-XXXXXX").string();
    if (ec) {
        pattern = "/tmp/rbl-xlsx-XXXXXX";
    }
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw FailedError(trf("xlsx: cannot make a temporary folder {}: {}", pattern,
                              std::strerror(errno)));
    }
    return pattern;
}

}  // namespace

struct XlsxSheet::Workbook {
    util::AtomicFile file;
    std::filesystem::path folder;
    std::string folder_text;  // libxlsxwriter keeps a pointer to it
    lxw_workbook* book = nullptr;
    lxw_worksheet* sheet = nullptr;
    lxw_format* header_format = nullptr;
    lxw_format* date_format = nullptr;
    std::vector<double> widths;
    std::vector<bool> date_columns;
    lxw_row_t row = 0;
    bool finished = false;

    Workbook(util::AtomicFile out, std::string_view sheet_name,
             std::span<const std::string_view> columns)
        : file(std::move(out)), folder(make_private_folder()), folder_text(folder.string()) {
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = folder_text.data();
        book = workbook_new_opt((folder / "export.xlsx").c_str(), &options);
        if (book == nullptr) {
            remove_folder();
            throw FailedError(tr("xlsx: cannot start the workbook (out of memory?)"));
        }
        const std::string name(sheet_name);
        sheet = workbook_add_worksheet(book, name.c_str());
        header_format = workbook_add_format(book);
        format_set_bold(header_format);
        date_format = workbook_add_format(book);
        format_set_num_format(date_format, "yyyy-mm-dd");
        widths.assign(columns.size(), k_min_width);
        date_columns.assign(columns.size(), false);
        worksheet_freeze_panes(sheet, 1, 0);
        for (std::size_t col = 0; col < columns.size(); ++col) {
            write_text(col, columns[col], header_format);
        }
        row = 1;
    }

    ~Workbook() {
        if (book != nullptr) {
            workbook_close(book);  // frees it; the file goes with the folder
        }
        remove_folder();
    }

    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;

    void remove_folder() noexcept {
        std::error_code ec;
        std::filesystem::remove_all(folder, ec);
    }

    void widen(std::size_t col, std::string_view text) {
        const double width = static_cast<double>(util::display_width(text)) + 2;
        widths[col] = std::max(widths[col], std::min(width, k_max_width));
    }

    void write_text(std::size_t col, std::string_view text, lxw_format* format = nullptr) {
        const std::string value(text);
        // worksheet_write_string, never a formula: text beginning with '=' stays text.
        const lxw_error error =
            worksheet_write_string(sheet, row, static_cast<lxw_col_t>(col), value.c_str(), format);
        if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
            throw FailedError(trf("xlsx: row {}, column {}: a cell holds at most 32,767 "
                                  "characters; export this as csv or jsonl",
                                  row + 1, col + 1));
        }
        if (error != LXW_NO_ERROR) {
            throw FailedError(trf("xlsx: cannot write a cell: {}", lxw_strerror(error)));
        }
        widen(col, text);
    }

    void write_date(std::size_t col, std::string_view text) {
        const auto date = util::parse_iso_date(text);
        if (!date) {
            write_text(col, text);
            return;
        }
        lxw_datetime when{date->year(), date->month(), date->day(), 0, 0, 0.0};
        const lxw_error error =
            worksheet_write_datetime(sheet, row, static_cast<lxw_col_t>(col), &when, date_format);
        if (error != LXW_NO_ERROR) {
            throw FailedError(trf("xlsx: cannot write a date: {}", lxw_strerror(error)));
        }
        date_columns[col] = true;
    }

    void write_number(std::size_t col, std::string_view text) {
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) {
            write_text(col, text);
            return;
        }
        if (worksheet_write_number(sheet, row, static_cast<lxw_col_t>(col), value, nullptr) !=
            LXW_NO_ERROR) {
            write_text(col, text);
            return;
        }
        widen(col, text);
    }

    void write_boolean(std::size_t col, std::string_view text) {
        worksheet_write_boolean(sheet, row, static_cast<lxw_col_t>(col), text == "true" ? 1 : 0,
                                nullptr);
        widen(col, "FALSE");
    }

    void add_row(std::span<const Cell> cells) {
        if (row >= k_max_rows) {
            throw FailedError(
                tr("xlsx: a sheet holds at most 1,048,575 rows below its header; "
                   "export this as csv or jsonl, or filter it (--domain, --kind)"));
        }
        for (std::size_t col = 0; col < cells.size() && col < widths.size(); ++col) {
            const Cell& cell = cells[col];
            if (cell.text.empty()) {
                continue;
            }
            switch (cell.type) {
                case CellType::text:
                    write_text(col, cell.text);
                    break;
                case CellType::date:
                    write_date(col, cell.text);
                    break;
                case CellType::number:
                    write_number(col, cell.text);
                    break;
                case CellType::boolean:
                    write_boolean(col, cell.text);
                    break;
            }
        }
        ++row;
    }

    // Widths and the filter, then the workbook closed and its bytes copied into the file.
    std::string finish() {
        for (std::size_t col = 0; col < widths.size(); ++col) {
            const double width =
                date_columns[col] ? std::max(widths[col], k_date_width) : widths[col];
            worksheet_set_column(sheet, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col),
                                 width, nullptr);
        }
        if (!widths.empty()) {
            worksheet_autofilter(sheet, 0, 0, row - 1, static_cast<lxw_col_t>(widths.size() - 1));
        }
        const lxw_error error = workbook_close(book);
        book = nullptr;
        if (error != LXW_NO_ERROR) {
            throw FailedError(trf("xlsx: cannot write the workbook: {}", lxw_strerror(error)));
        }
        copy_into_file();
        remove_folder();
        finished = true;
        return file.finish();
    }

    void copy_into_file() {
        std::ifstream in(folder / "export.xlsx", std::ios::binary);
        if (!in) {
            throw FailedError(trf("xlsx: cannot read back the workbook in {}", folder.string()));
        }
        std::array<char, 65536> buffer{};
        while (in) {
            in.read(buffer.data(), buffer.size());
            file.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
        }
        if (in.bad()) {
            throw FailedError(trf("xlsx: cannot read back the workbook in {}", folder.string()));
        }
    }
};

XlsxSheet::XlsxSheet(util::AtomicFile file, std::string_view sheet_name,
                     std::span<const std::string_view> columns)
    : m_book(std::make_unique<Workbook>(std::move(file), sheet_name, columns)) {}

XlsxSheet::~XlsxSheet() = default;
XlsxSheet::XlsxSheet(XlsxSheet&&) noexcept = default;

void XlsxSheet::add_row(std::span<const Cell> cells) { m_book->add_row(cells); }

std::string XlsxSheet::finish() { return m_book->finish(); }

void XlsxSheet::commit() {
    if (!m_book->finished) {
        m_book->finish();
    }
    m_book->file.commit();
}

}  // namespace rbl::publish
