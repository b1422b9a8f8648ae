#pragma once
// Telling a GB18030 file from a UTF-8 one, to give a useful hint when --encoding was forgotten
// or given wrongly.

#include <string_view>

namespace rbl::util {

/// True when `head` (the first bytes of a file) is not valid UTF-8 but decodes cleanly as
/// GB18030 and holds non-ASCII text: the file was very likely saved as GB18030. A multibyte
/// sequence cut at the end of `head` is ignored.
bool looks_like_gb18030(std::string_view head);

/// True when `head` is valid UTF-8, but for a multibyte sequence cut at its end.
bool is_utf8_head(std::string_view head);

/// True when `head` is valid UTF-8 (a sequence cut at the end ignored) and holds non-ASCII text:
/// such a file read as GB18030 would turn every Chinese name into nonsense.
bool looks_like_utf8_text(std::string_view head);

}  // namespace rbl::util
