#pragma once
// Bytes as lowercase hexadecimal text, and back: one home for the digests (SHA-256, state and
// multiset hashes) and for PostgreSQL's bytea text form.

#include <string>
#include <string_view>

namespace rbl::util {

/// Two lowercase hex characters per byte, in order.
std::string to_hex(std::string_view bytes);

/// The value of one hex character (either case), or -1 when it is none.
int hex_value(char c);

}  // namespace rbl::util
