#pragma once
// Subject identifiers: the unified social credit code (USCC, GB 32100-2015) and the resident
// identity number (GB 11643-1999). Validation by check character, kind detection, masking.

#include <optional>
#include <string>
#include <string_view>

#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"

namespace rbl::ids {

/// The two kinds of 18-character identifier.
enum class IdKind { uscc, resident };

/// What the shape of an identifier says, before its check character is looked at.
struct IdShape {
    IdKind kind;
    bool check_ok;  ///< the 18th character is the right check character
};

/// The USCC check character for the first 17 characters (which must be from the USCC alphabet
/// 0-9A-HJ-NPQRTUWXY), or nullopt when one is not.
std::optional<char> uscc_check_char(std::string_view first17);

/// The resident-ID check character ('0'-'9' or 'X') for the first 17 digits, or nullopt when
/// one is not a digit.
std::optional<char> resident_check_char(std::string_view first17);

/// Classifies a normalised (trimmed, upper-case) identifier by its shape: 17 digits then a digit
/// or X with a real birth date in characters 7-14 is a resident ID; 18 characters of the USCC
/// alphabet is a USCC. Fails with a reason when it is neither ("must be 18 characters, got 17";
/// "character 5 'I' is not allowed in a unified social credit code").
/// The birth date must not lie after `today`.
/// `expected`, when the input says which kind of subject this is (a subject_type column),
/// settles an all-digit identifier that could be either: an organisation's all-digit USCC with
/// a right check character is taken as a USCC even when characters 7-14 read as a date.
Result<IdShape> classify(std::string_view id, util::Date today,
                         std::optional<IdKind> expected = std::nullopt);

/// Full validation: classify() and a right check character. The reason names the expected
/// check character ("check character is 'L', expected '7'").
Result<IdKind> validate(std::string_view id, util::Date today,
                        std::optional<IdKind> expected = std::nullopt);

/// Trims and upper-cases a raw identifier from an input file.
std::string normalise(std::string_view raw);

/// True for a USCC whose first two characters are "11" (a government organ).
bool is_government_organ(std::string_view uscc);

/// The 6-digit administrative division code inside the identifier: USCC characters 3-8,
/// resident ID characters 1-6.
std::string region_of(std::string_view id, IdKind kind);

/// A resident ID masked for publication: first 6 and last 4 characters shown, the 8 between as
/// '*'. Other identifiers are returned unchanged.
std::string mask(std::string_view id, IdKind kind);

}  // namespace rbl::ids
