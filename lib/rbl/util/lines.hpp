#pragma once
// Reads a TextInput line by line (for JSON Lines), with line numbers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rbl/util/input.hpp"

namespace rbl::util {

/// Splits a TextInput into lines without their LF or CRLF ending.
class LineReader {
public:
    /// The longest line kept: memory stays bounded whatever the file holds.
    static constexpr std::size_t k_max_line = std::size_t{64} << 20;

    /// Reads `input`; lines longer than `max_line` bytes are skipped over (see too_long()).
    explicit LineReader(TextInput& input, std::size_t max_line = k_max_line)
        : m_input(input), m_buffer(1 << 18), m_max_line(max_line) {}
    /// Reads the next line into `line`; returns false at the end of input. `number()` is then
    /// the line's 1-based number. A line longer than the limit comes back empty, with
    /// too_long() set.
    bool next(std::string& line);
    /// True when the line last read was longer than the limit (and was not kept).
    [[nodiscard]] bool too_long() const { return m_too_long; }
    [[nodiscard]] std::uint64_t number() const { return m_number; }
    [[nodiscard]] std::uint64_t bytes_consumed() const { return m_input.bytes_consumed(); }

private:
    TextInput& m_input;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
    std::uint64_t m_number = 0;
    std::size_t m_max_line;
    bool m_too_long = false;
};

}  // namespace rbl::util
