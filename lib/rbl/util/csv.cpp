#include "rbl/util/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "rbl/util/i18n.hpp"

namespace rbl::util {

namespace {

constexpr std::size_t k_max_field = std::size_t{64} << 20;

/// Where the reader is inside a row.
enum class State {
    field_start,         ///< before the first character of a field
    unquoted,            ///< inside a field that did not start with a quote
    quoted,              ///< inside a quoted field
    quote_seen,          ///< inside a quoted field, just after a quote: closing, or doubled?
    after_close,         ///< after a closing quote: expecting a comma or a line end
    after_close_cr,      ///< after a closing quote and CR: expecting LF
    skip_line,           ///< the row is malformed: skipping to the end of its line
};

}  // namespace

CsvReader::CsvReader(TextInput& input, std::size_t buffer_size)
    : m_input(input), m_buffer(std::max(buffer_size, k_min_buffer_size)) {}

bool CsvReader::fill() {
    if (m_eof) {
        return false;
    }
    // Keep what has not been consumed yet (only ever a few bytes, while looking for the BOM).
    if (m_pos > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_end - m_pos);
        m_end -= m_pos;
        m_pos = 0;
    }
    const std::size_t count = m_input.read(m_buffer.data() + m_end, m_buffer.size() - m_end);
    if (count == 0) {
        m_eof = true;
        return false;
    }
    m_end += count;
    return true;
}

bool CsvReader::next(CsvRow& row) {
    if (!m_started) {
        m_started = true;
        while (m_end - m_pos < 3 && fill()) {
        }
        if (m_end - m_pos >= 3 && std::memcmp(m_buffer.data() + m_pos, "\xEF\xBB\xBF", 3) == 0) {
            m_pos += 3;
        }
    }

    std::vector<std::string>& fields = row.fields;
    for (;;) {  // once per physical row; blank lines go round again
        if (m_pos == m_end && !fill()) {
            fields.clear();
            return false;
        }
        row.line = m_line;
        row.error.clear();
        row.error_column = 0;

        std::size_t count = 0;
        std::string* field = nullptr;
        bool discarding = false;  // a field grew past the limit: parse on, keep nothing
        std::uint64_t quote_line = 0;
        const auto start_field = [&] {
            if (count < fields.size()) {
                fields[count].clear();
            } else {
                fields.emplace_back();
            }
            field = &fields[count];
            ++count;
        };
        const auto set_error = [&](std::string message) {
            if (row.error.empty()) {
                row.error = std::move(message);
                row.error_column = count;
            }
        };
        const auto append = [&](const char* begin, const char* end) {
            if (discarding || begin == end) {
                return;
            }
            const auto length = static_cast<std::size_t>(end - begin);
            if (field->size() + length > k_max_field) {
                set_error(tr("field longer than 64 MiB"));
                field->clear();
                field->shrink_to_fit();
                discarding = true;
                return;
            }
            field->append(begin, length);
        };

        start_field();
        State state = State::field_start;
        bool row_ended = false;
        const char* p = m_buffer.data() + m_pos;
        const char* end = m_buffer.data() + m_end;
        while (!row_ended) {
            if (p == end) {
                m_pos = m_end;
                const bool more = fill();
                p = m_buffer.data() + m_pos;
                end = m_buffer.data() + m_end;
                if (!more) {
                    break;
                }
            }
            switch (state) {
                case State::field_start:
                    if (*p == '"') {
                        ++p;
                        quote_line = m_line;
                        state = State::quoted;
                        break;
                    }
                    state = State::unquoted;
                    [[fallthrough]];
                case State::unquoted: {
                    const char* begin = p;
                    while (p != end && *p != ',' && *p != '\n') {
                        ++p;
                    }
                    append(begin, p);
                    if (p == end) {
                        break;
                    }
                    if (*p == ',') {
                        ++p;
                        start_field();
                        state = State::field_start;
                        break;
                    }
                    ++p;  // LF; a CR before it belongs to the line end, not the field
                    ++m_line;
                    if (!field->empty() && field->back() == '\r') {
                        field->pop_back();
                    }
                    row_ended = true;
                    break;
                }
                case State::quoted: {
                    const char* begin = p;
                    const auto* quote =
                        static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
                    p = quote != nullptr ? quote : end;
                    m_line += static_cast<std::uint64_t>(std::count(begin, p, '\n'));
                    append(begin, p);
                    if (p != end) {
                        ++p;
                        state = State::quote_seen;
                    }
                    break;
                }
                case State::quote_seen:
                    if (*p == '"') {  // a doubled quote stands for one quote
                        append(p, p + 1);
                        ++p;
                        state = State::quoted;
                        break;
                    }
                    state = State::after_close;
                    [[fallthrough]];
                case State::after_close:
                    if (*p == ',') {
                        ++p;
                        start_field();
                        state = State::field_start;
                    } else if (*p == '\n') {
                        ++p;
                        ++m_line;
                        row_ended = true;
                    } else if (*p == '\r') {
                        ++p;
                        state = State::after_close_cr;
                    } else {
                        set_error(tr("text after closing quote"));
                        state = State::skip_line;
                    }
                    break;
                case State::after_close_cr:
                    if (*p == '\n') {
                        ++p;
                        ++m_line;
                        row_ended = true;
                    } else {
                        set_error(tr("text after closing quote"));
                        state = State::skip_line;
                    }
                    break;
                case State::skip_line: {
                    const auto* newline = static_cast<const char*>(
                        std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
                    if (newline == nullptr) {
                        p = end;
                    } else {
                        p = newline + 1;
                        ++m_line;
                        row_ended = true;
                    }
                    break;
                }
            }
        }
        m_pos = static_cast<std::size_t>(p - m_buffer.data());

        if (!row_ended) {  // the input ended inside this row
            if (state == State::quoted) {
                set_error(trf("unterminated quoted field (opened on line {})", quote_line));
            } else if (state == State::unquoted && !field->empty() && field->back() == '\r') {
                field->pop_back();  // a CRLF cut short at the end of the file
            }
        }
        fields.resize(count);
        const bool blank = count == 1 && state == State::unquoted && fields[0].empty() &&
                           row.error.empty();
        if (!blank) {
            return true;
        }
    }
}

void append_csv_field(std::string& out, std::string_view field) {
    // One pass over the bytes (find_first_of calls memchr per byte, which showed in profiles).
    bool needs_quotes = false;
    for (const char c : field) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            needs_quotes = true;
            break;
        }
    }
    if (!needs_quotes) {
        out.append(field);
        return;
    }
    out.push_back('"');
    while (!field.empty()) {
        const auto quote = field.find('"');
        if (quote == std::string_view::npos) {
            out.append(field);
            break;
        }
        out.append(field.substr(0, quote + 1));
        out.push_back('"');
        field.remove_prefix(quote + 1);
    }
    out.push_back('"');
}

std::string guard_formula(std::string_view cell) {
    std::string guarded;
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
        // Appended, not `"'" + std::string(cell)`: g++ 12 at -O3 misreads that insert as an
        // overlapping copy (-Wrestrict, GCC bug 105329), as in record_builder.cpp.
        guarded.reserve(cell.size() + 1);
        guarded += '\'';
    }
    guarded += cell;
    return guarded;
}

}  // namespace rbl::util
