#pragma once
// A streaming RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line breaks;
// LF or CRLF; a UTF-8 BOM at the start is skipped. Memory is bounded by the longest row.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/util/input.hpp"

namespace rbl::util {

/// One row of a CSV file.
struct CsvRow {
    std::vector<std::string> fields;
    std::uint64_t line = 0;   ///< physical line (1-based) where the row starts
    std::string error;        ///< non-empty when the row is malformed (the fields are then partial)
    std::uint64_t error_column = 0;  ///< 1-based field number where the error is, 0 = whole row
};

/// Reads CSV rows one at a time from a TextInput.
class CsvReader {
public:
    /// The reader's own buffer size, unless a test asks for another.
    static constexpr std::size_t k_default_buffer_size = 256 * 1024;
    /// The smallest buffer (room for a BOM and one more byte); smaller requests get this.
    static constexpr std::size_t k_min_buffer_size = 4;

    /// Reads from `input` in blocks of `buffer_size` bytes (small sizes let tests and the fuzzer
    /// cross block boundaries at every place in a row).
    explicit CsvReader(TextInput& input, std::size_t buffer_size = k_default_buffer_size);
    /// Reads the next row into `row` (reusing its storage); returns false at end of input.
    /// A blank line (no characters at all) is skipped. A malformed row - an unterminated quote
    /// at the end of the file, text after a closing quote - comes back with `error` set; reading
    /// goes on after it where that is possible.
    bool next(CsvRow& row);
    /// Bytes of the underlying file consumed so far.
    [[nodiscard]] std::uint64_t bytes_consumed() const { return m_input.bytes_consumed(); }

private:
    bool fill();
    TextInput& m_input;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
    bool m_started = false;
    std::uint64_t m_line = 1;
};

/// Appends `field` to `out` quoted per RFC 4180 when it holds a comma, quote, CR or LF.
void append_csv_field(std::string& out, std::string_view field);

/// A CSV cell as published: a text cell beginning with '=', '+', '-', '@', tab or carriage
/// return gets a leading apostrophe, so that no spreadsheet program runs it as a formula.
std::string guard_formula(std::string_view cell);

}  // namespace rbl::util
