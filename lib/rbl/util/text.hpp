#pragma once
// Text helpers with no domain knowledge: UTF-8 validation, trimming, case.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rbl::util {

/// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
/// above U+10FFFF are invalid), or nullopt when the text is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// The text without leading and trailing ASCII spaces, tabs, CR and LF, and U+3000
/// (ideographic space).
std::string_view trim(std::string_view text);

/// ASCII letters upper-cased; other bytes unchanged.
std::string to_upper_ascii(std::string_view text);

/// `text` cut to its first `max_characters` UTF-8 characters followed by "…" when it is longer
/// (for quoting input in messages without printing all of a huge value).
std::string abbreviate(std::string_view text, std::size_t max_characters);

/// The text with &, <, > and " written as HTML character references, for element content and
/// quoted attribute values.
std::string escape_html(std::string_view text);

/// True when the bytes look like a binary file rather than text: a NUL byte among them.
bool looks_binary(std::string_view head);

}  // namespace rbl::util
