#include "rbl/util/lines.hpp"

#include <cstring>

namespace rbl::util {

bool LineReader::next(std::string& line) {
    line.clear();
    m_too_long = false;
    bool any = false;
    // Appends a piece of the line, or drops the line once it grows past the limit.
    const auto append = [&](const char* start, std::size_t length) {
        if (m_too_long) {
            return;
        }
        if (line.size() + length > m_max_line) {
            m_too_long = true;
            line.clear();
            line.shrink_to_fit();
            return;
        }
        line.append(start, length);
    };
    while (true) {
        if (m_pos == m_end) {
            if (m_eof) {
                break;
            }
            m_end = m_input.read(m_buffer.data(), m_buffer.size());
            m_pos = 0;
            if (m_end == 0) {
                m_eof = true;
                break;
            }
        }
        any = true;
        const char* start = m_buffer.data() + m_pos;
        const auto* newline =
            static_cast<const char*>(std::memchr(start, '\n', m_end - m_pos));
        if (newline == nullptr) {
            append(start, m_end - m_pos);
            m_pos = m_end;
            continue;
        }
        append(start, static_cast<std::size_t>(newline - start));
        m_pos += static_cast<std::size_t>(newline - start) + 1;
        break;
    }
    if (!any) {
        return false;
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    ++m_number;
    return true;
}

}  // namespace rbl::util
