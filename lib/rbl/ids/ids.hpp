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
    bool check_ok;           ///< the 18th character is the right check character
    bool ambiguous = false;  ///< taken as a resident ID, though valid as a USCC too: only a
                             ///< subject_type can say which kind was meant
};

/// The USCC check character for the first 17 characters (which must be from the USCC alphabet
/// 0-9A-HJ-NPQRTUWXY), or nullopt when one is not.
std::optional<char> uscc_check_char(std::string_view first17);

/// The resident-ID check character ('0'-'9' or 'X') for the first 17 digits, or nullopt when
/// one is not a digit.
std::optional<char> resident_check_char(std::string_view first17);

/// Classifies a normalised (trimmed, upper-case) 18-character identifier by everything its
/// structure says. A USCC: characters of 0-9A-HJ-NPQRTUWXY, a registration authority and an
/// organisation type of GB 32100 in characters 1-2, a region code in characters 3-8. A resident
/// ID: 17 digits then a digit or X, with a real birth date in characters 7-14, from 1900 on and
/// not after `today`. When only one reading's structure holds, it is that kind whatever its
/// check character says; when both hold, it is a resident ID (`ambiguous` when the USCC
/// reading is valid), since a right USCC check proves little. `expected`, when
/// the input says which kind of subject this is (a subject_type column), settles it for a
/// reading that is valid, check character included. Fails with a reason when neither reading's
/// structure holds ("must be 18 characters, got 17"; "character 5 'I' is not allowed in a
/// unified social credit code").
Result<IdShape> classify(std::string_view id, util::Date today,
                         std::optional<IdKind> expected = std::nullopt);

/// Full validation: classify() and a right check character. The reason names the kind the
/// identifier was taken for and the right check character ("taken as a unified social credit
/// code: check character should be '6', not '7'").
Result<IdKind> validate(std::string_view id, util::Date today,
                        std::optional<IdKind> expected = std::nullopt);

/// Trims and upper-cases a raw identifier from an input file.
std::string normalise(std::string_view raw);

/// The birth date in an 18-digit resident ID (characters 7-14, GB 11643-1999), or nullopt when
/// `id` is not 18 characters of 17 digits and a digit or X with a real date from 1900 on there.
/// The check character is not looked at: the caller validated the identifier on import.
std::optional<util::Date> birth_date(std::string_view id);

/// Completed years of age (周岁) on `day` of a person born on `birth`, counted as Chinese courts
/// count them: a year is completed on the day after its birthday (法释〔2006〕1号 Art. 2), so
/// a person is 18 from the day after the 18th birthday; a birthday on 29 February falls on
/// 28 February in other years (SPEC.md §3's calendar arithmetic). nullopt when `day` is
/// before `birth`.
std::optional<int> age_on(util::Date birth, util::Date day);

/// The first day after `day` on which age_on(birth, ·) differs from its value on `day`.
util::Date next_age_change(util::Date birth, util::Date day);

/// True for a USCC whose first two characters are "11" (a government organ).
bool is_government_organ(std::string_view uscc);

/// The 6-digit administrative division code inside the identifier: USCC characters 3-8,
/// resident ID characters 1-6.
std::string region_of(std::string_view id, IdKind kind);

/// A resident ID masked for publication: first 6 and last 4 characters shown, the 8 between as
/// '*'. Other identifiers are returned unchanged.
std::string mask(std::string_view id, IdKind kind);

}  // namespace rbl::ids
