#pragma once
// Terminal tables that line up whatever the script: cells are padded by their display width
// (East Asian wide and fullwidth characters take two columns, combining marks none), so rows
// with Chinese names align with the others; cut to the terminal's width when printed to one,
// never when piped.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbl::util {

/// The number of terminal columns `text` (UTF-8) takes: wcwidth(3) of each character under the
/// C.UTF-8 locale, whatever the process's locale; a control or invalid character counts one.
std::size_t display_width(std::string_view text);

/// `text` followed by spaces up to `width` display columns (unchanged when it is as wide or
/// wider): for tables streamed row by row with fixed column widths.
std::string pad_to_width(std::string_view text, std::size_t width);

/// `text` cut to at most `width` display columns, ending in "…" when cut (unchanged when it
/// fits; a wide character that would straddle the edge is left out).
std::string truncate_to_width(std::string_view text, std::size_t width);

/// The width in columns of the terminal that file descriptor `fd` writes to: $COLUMNS when it
/// is a positive number, else what the terminal says (ioctl TIOCGWINSZ). Nothing when `fd` is no
/// terminal (a pipe, a file), so that output for programs is never cut.
std::optional<std::size_t> terminal_width(int fd);

/// A table with a header row, rendered with its columns padded to their widest cell.
class TextTable {
public:
    enum class Align { left, right };

    /// A table with these column titles, every column left-aligned.
    explicit TextTable(std::vector<std::string> header);

    /// Aligns column `column` (0-based) to the right (for counts).
    TextTable& align_right(std::size_t column);

    /// Adds a row; it must have as many cells as the header.
    void add_row(std::vector<std::string> cells);

    /// The number of rows added (the header not counted).
    [[nodiscard]] std::size_t rows() const { return m_rows.size(); }

    /// The header and the rows, one line each ending in '\n', cells separated by two spaces and
    /// padded by display width; the last column is not padded on the right. With `max_width`
    /// (0: no limit), lines wider are cut to it: the widest left-aligned columns are narrowed
    /// (to k_min_cut_width at least) and their longer cells end in "…"; right-aligned columns
    /// (counts) are never cut.
    [[nodiscard]] std::string render(std::size_t max_width = 0) const;

    /// A column is not narrowed below this many display columns.
    static constexpr std::size_t k_min_cut_width = 6;

private:
    std::vector<std::string> m_header;
    std::vector<Align> m_align;
    std::vector<std::vector<std::string>> m_rows;
};

}  // namespace rbl::util
