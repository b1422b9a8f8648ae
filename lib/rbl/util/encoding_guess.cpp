#include "rbl/util/encoding_guess.hpp"

#include <iconv.h>

#include <cerrno>
#include <string>

#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

// True when `tail` is the start of a UTF-8 multibyte sequence that the end of the head cut
// short: a lead byte and fewer continuation bytes than it announces.
bool is_cut_sequence(std::string_view tail) {
    if (tail.empty() || tail.size() > 3) {
        return false;
    }
    const auto lead = static_cast<unsigned char>(tail[0]);
    std::size_t length = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
    }
    if (tail.size() >= length) {
        return false;
    }
    for (std::size_t i = 1; i < tail.size(); ++i) {
        if ((static_cast<unsigned char>(tail[i]) & 0xC0) != 0x80) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_utf8_head(std::string_view head) {
    const auto bad = find_invalid_utf8(head);
    return !bad || is_cut_sequence(head.substr(*bad));
}

bool looks_like_utf8_text(std::string_view head) {
    if (!is_utf8_head(head)) {
        return false;
    }
    for (const char c : head) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return true;
        }
    }
    return false;
}

bool looks_like_gb18030(std::string_view head) {
    // A head of UTF-8 text cut inside a character is still UTF-8 (3-byte Chinese characters
    // read two bytes at a time often decode as GB18030).
    if (is_utf8_head(head)) {
        return false;
    }
    iconv_t converter = iconv_open("UTF-8", "GB18030");
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        return false;
    }
    std::string input(head);
    char* in = input.data();
    std::size_t in_left = input.size();
    std::string output(input.size() * 2 + 16, '\0');
    char* out = output.data();
    std::size_t out_left = output.size();
    const std::size_t result = iconv(converter, &in, &in_left, &out, &out_left);
    const int error = errno;
    iconv_close(converter);
    // EINVAL: an incomplete sequence at the very end of the head, which is expected.
    return result != static_cast<std::size_t>(-1) || error == EINVAL;
}

}  // namespace rbl::util
