#include "rbl/util/text.hpp"

#include <cstdint>
#include <cstring>

namespace rbl::util {

namespace {

constexpr std::string_view k_ideographic_space = "\xE3\x80\x80";  // U+3000
constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length of the well-formed UTF-8 sequence starting at text[at], or 0 when it is ill-formed.
// Follows Table 3-7 of the Unicode Standard: the second byte's range depends on the lead byte,
// which is what rules out overlong forms, surrogates and code points above U+10FFFF.
std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead < 0x80) {
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            second_min = 0xA0;  // below is an overlong form
        } else if (lead == 0xED) {
            second_max = 0x9F;  // above are the surrogates U+D800..U+DFFF
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            second_min = 0x90;  // below is an overlong form
        } else if (lead == 0xF4) {
            second_max = 0x8F;  // above is beyond U+10FFFF
        }
    } else {
        return 0;  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (text.size() - at < length) {
        return 0;
    }
    const auto second = static_cast<unsigned char>(text[at + 1]);
    if (second < second_min || second > second_max) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (!is_continuation(static_cast<unsigned char>(text[at + i]))) {
            return 0;
        }
    }
    return length;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        // Most of the text is ASCII: skip it eight bytes at a time.
        if (text.size() - at >= 8) {
            std::uint64_t block = 0;
            std::memcpy(&block, text.data() + at, sizeof block);
            if ((block & k_high_bits) == 0) {
                at += 8;
                continue;
            }
        }
        const std::size_t length = sequence_length(text, at);
        if (length == 0) {
            return at;
        }
        at += length;
    }
    return std::nullopt;
}

std::string_view trim(std::string_view text) {
    while (true) {
        if (!text.empty() && is_ascii_space(text.front())) {
            text.remove_prefix(1);
        } else if (text.starts_with(k_ideographic_space)) {
            text.remove_prefix(k_ideographic_space.size());
        } else {
            break;
        }
    }
    while (true) {
        if (!text.empty() && is_ascii_space(text.back())) {
            text.remove_suffix(1);
        } else if (text.ends_with(k_ideographic_space)) {
            text.remove_suffix(k_ideographic_space.size());
        } else {
            break;
        }
    }
    return text;
}

std::string to_upper_ascii(std::string_view text) {
    std::string upper(text);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return upper;
}

bool looks_binary(std::string_view head) { return head.find('\0') != std::string_view::npos; }

std::string abbreviate(std::string_view text, std::size_t max_characters) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (characters == max_characters) {
                return std::string(text.substr(0, i)) + "…";
            }
            ++characters;
        }
    }
    return std::string(text);
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace rbl::util
