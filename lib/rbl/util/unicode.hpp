#pragma once
// Comparing names as people read them, with no domain knowledge: Unicode normalisation NFKC
// (through utf8proc) and the edit distance between two texts in characters. Used to tell a
// misspelt or look-alike name (ASCII vs full-width brackets) from a known one.

#include <cstddef>
#include <string>
#include <string_view>

namespace rbl::util {

/// The text in Unicode normalisation form NFKC: compatibility characters become their plain
/// forms (full-width `（` → `(`, `Ａ` → `A`, `ﬁ` → `fi`), canonical sequences are composed.
/// Text that is not valid UTF-8 is returned unchanged.
std::string nfkc(std::string_view text);

/// The form in which two names are compared: NFKC, case-folded, without default-ignorable code
/// points (zero-width spaces, soft hyphens). Two names with the same form look alike to a reader.
/// Text that is not valid UTF-8 is returned unchanged.
std::string comparison_form(std::string_view text);

/// The number of Unicode characters (code points) of UTF-8 text; an invalid byte counts as one.
std::size_t count_characters(std::string_view text);

/// The Damerau–Levenshtein distance (optimal string alignment: insertions, deletions,
/// substitutions, and transpositions of two adjacent characters) between two UTF-8 texts,
/// counted in characters. A distance above `limit` is returned as `limit + 1`, found early.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

}  // namespace rbl::util
