#include "rbl/util/hex.hpp"

namespace rbl::util {

std::string to_hex(std::string_view bytes) {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const char byte : bytes) {
        const auto value = static_cast<unsigned char>(byte);
        text.push_back(k_hex[value >> 4]);
        text.push_back(k_hex[value & 0x0f]);
    }
    return text;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace rbl::util
