#include "rbl/util/text_table.hpp"

#include <locale.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace rbl::util {

namespace {

// Decodes the UTF-8 character at `text[i]`, advancing `i`; U+FFFD for an invalid sequence.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    std::size_t length = 1;
    char32_t code = lead;
    if (lead >= 0xF0 && lead < 0xF8) {
        length = 4;
        code = lead & 0x07;
    } else if (lead >= 0xE0) {
        length = 3;
        code = lead & 0x0F;
    } else if (lead >= 0xC0) {
        length = 2;
        code = lead & 0x1F;
    } else if (lead >= 0x80) {
        ++i;
        return U'\uFFFD';
    }
    if (length > 1 && (lead >= 0xF8 || i + length > text.size())) {
        ++i;
        return U'\uFFFD';
    }
    for (std::size_t k = 1; k < length; ++k) {
        const unsigned char next = byte(i + k);
        if ((next & 0xC0) != 0x80) {
            ++i;
            return U'\uFFFD';
        }
        code = (code << 6) | (next & 0x3F);
    }
    i += length;
    return code;
}

// The C.UTF-8 locale's character classes, made once: wcwidth() answers from the calling thread's
// locale, which is "C" (ASCII only) in a program that never called setlocale.
locale_t utf8_ctype() {
    static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    return locale;
}

int width_of(char32_t code) {
    if (code < 0x80) {
        return 1;  // ASCII; control characters too (a table shows them as they are)
    }
    const locale_t locale = utf8_ctype();
    if (locale == static_cast<locale_t>(0)) {
        return 1;
    }
    const locale_t previous = uselocale(locale);
    const int width = wcwidth(static_cast<wchar_t>(code));
    uselocale(previous);
    return width < 0 ? 1 : width;
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        width += static_cast<std::size_t>(width_of(next_code_point(text, i)));
    }
    return width;
}

std::string pad_to_width(std::string_view text, std::size_t width) {
    std::string out(text);
    const std::size_t have = display_width(text);
    if (have < width) {
        out.append(width - have, ' ');
    }
    return out;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) {
        return std::string(text);
    }
    if (width == 0) {
        return "";
    }
    // Keep what fits in width − 1 columns, then the ellipsis (one column).
    std::size_t used = 0;
    std::size_t end = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const auto w = static_cast<std::size_t>(width_of(next_code_point(text, i)));
        if (used + w > width - 1) {
            end = start;
            break;
        }
        used += w;
        end = i;
    }
    return std::string(text.substr(0, end)) + "…";
}

std::optional<std::size_t> terminal_width(int fd) {
    if (isatty(fd) == 0) {
        return std::nullopt;
    }
    if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
        const std::string_view text(columns);
        std::size_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size() && value > 0) {
            return value;
        }
    }
    winsize size{};
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return static_cast<std::size_t>(size.ws_col);
    }
    return std::nullopt;
}

TextTable::TextTable(std::vector<std::string> header)
    : m_header(std::move(header)), m_align(m_header.size(), Align::left) {}

TextTable& TextTable::align_right(std::size_t column) {
    m_align.at(column) = Align::right;
    return *this;
}

void TextTable::add_row(std::vector<std::string> cells) {
    if (cells.size() != m_header.size()) {
        // untranslated: a programming error (reported as an internal error), for developers
        throw std::logic_error("TextTable: a row with another number of cells than the header");
    }
    m_rows.push_back(std::move(cells));
}

std::string TextTable::render(std::size_t max_width) const {
    std::vector<std::size_t> widths(m_header.size(), 0);
    const auto measure = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(cells[c]));
        }
    };
    measure(m_header);
    for (const auto& row : m_rows) {
        measure(row);
    }
    std::vector<bool> cut(widths.size(), false);
    if (max_width > 0 && !widths.empty()) {
        std::size_t total = 2 * (widths.size() - 1);
        for (std::size_t width : widths) {
            total += width;
        }
        // Narrow the widest column that may be cut, one column at a time, until the line fits.
        while (total > max_width) {
            std::size_t widest = widths.size();
            for (std::size_t c = 0; c < widths.size(); ++c) {
                if (m_align[c] == Align::left && widths[c] > k_min_cut_width &&
                    (widest == widths.size() || widths[c] > widths[widest])) {
                    widest = c;
                }
            }
            if (widest == widths.size()) {
                break;  // nothing more to cut: the line stays wider
            }
            --widths[widest];
            cut[widest] = true;
            --total;
        }
    }
    std::string out;
    const auto write = [&](const std::vector<std::string>& row) {
        std::string line;
        std::vector<std::string> cells = row;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (cut[c]) {
                cells[c] = truncate_to_width(cells[c], widths[c]);
            }
            const std::size_t pad = widths[c] - display_width(cells[c]);
            const bool last = c + 1 == cells.size();
            if (c > 0) {
                line += "  ";
            }
            if (m_align[c] == Align::right) {
                line.append(pad, ' ');
                line += cells[c];
            } else {
                line += cells[c];
                if (!last) {
                    line.append(pad, ' ');
                }
            }
        }
        out += line;
        out += '\n';
    };
    write(m_header);
    for (const auto& row : m_rows) {
        write(row);
    }
    return out;
}

}  // namespace rbl::util
