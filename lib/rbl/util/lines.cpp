#include "rbl/util/lines.hpp"

#include <cstring>

namespace rbl::util {

bool LineReader::next(std::string& line) {
    line.clear();
    bool any = false;
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
            line.append(start, m_end - m_pos);
            m_pos = m_end;
            continue;
        }
        line.append(start, static_cast<std::size_t>(newline - start));
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
