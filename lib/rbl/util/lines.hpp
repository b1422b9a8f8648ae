#pragma once
// Reads a TextInput line by line (for JSON Lines), with line numbers.

#include <cstdint>
#include <string>
#include <vector>

#include "rbl/util/input.hpp"

namespace rbl::util {

/// Splits a TextInput into lines without their LF or CRLF ending.
class LineReader {
public:
    explicit LineReader(TextInput& input) : m_input(input), m_buffer(1 << 18) {}
    /// Reads the next line into `line`; returns false at the end of input. `number()` is then
    /// the line's 1-based number.
    bool next(std::string& line);
    [[nodiscard]] std::uint64_t number() const { return m_number; }
    [[nodiscard]] std::uint64_t bytes_consumed() const { return m_input.bytes_consumed(); }

private:
    TextInput& m_input;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
    std::uint64_t m_number = 0;
};

}  // namespace rbl::util
