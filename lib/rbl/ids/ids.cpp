#include "rbl/ids/ids.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::ids {

namespace {

constexpr std::size_t k_id_length = 18;

// GB 32100-2015: the 31 characters of a USCC, valued 0..30 in this order.
constexpr std::string_view k_uscc_alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// 3^i mod 31 for positions 1..17.
constexpr std::array<int, 17> k_uscc_weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};
// GB 11643-1999 (ISO 7064 MOD 11-2): 2^(17-i) mod 11 for positions 1..17.
constexpr std::array<int, 17> k_resident_weights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                    3, 7, 9,  10, 5, 8, 4, 2};

// The first two digits of a GB/T 2260 division code (province level), and 10 for the national
// registrations (region 100000). 66 is the Xinjiang Production and Construction Corps, which
// registers organisations under its own code.
constexpr std::array<int, 36> k_province_codes = {10, 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33,
                                                  34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
                                                  52, 53, 54, 61, 62, 63, 64, 65, 66, 71, 81, 82};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
    for (char c : text) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

int digits_value(std::string_view digits) {
    int value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}

// Number of code points in UTF-8 text, so that messages count characters as a reader does.
std::size_t count_characters(std::string_view text) {
    std::size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

// GB 32100-2015 Annex A: the registration authority codes (character 1) and the organisation
// type codes (character 2) each allows. 1 organ staffing (机构编制), 2 foreign affairs, 3 justice
// (司法行政), 4 culture, 5 civil affairs (民政), 6 tourism, 7 religious affairs, 8 trade unions,
// 9 market regulation (工商), A the Central Military Commission's staffing office, N agriculture
// (rural collective economic organisations), Y other.
struct Authority {
    char code;
    std::string_view types;
};
constexpr std::array<Authority, 12> k_authorities = {{
    {'1', "1239"},
    {'2', "19"},
    {'3', "123459"},
    {'4', "19"},
    {'5', "1239"},
    {'6', "129"},
    {'7', "129"},
    {'8', "19"},
    {'9', "123"},
    {'A', "19"},
    {'N', "1239"},
    {'Y', "1"},
}};

// Why characters 1-2 are no registration authority and organisation type, or nullopt.
std::optional<std::string> authority_problem(std::string_view id) {
    for (const Authority& authority : k_authorities) {
        if (authority.code != id[0]) {
            continue;
        }
        if (authority.types.find(id[1]) == std::string_view::npos) {
            return trf(
                "character 2 '{}' is not an organisation type of registration authority "
                "'{}' (GB 32100 allows {})",
                id[1], id[0], fmt::join(authority.types, ", "));
        }
        return std::nullopt;
    }
    return trf("character 1 '{}' is not a registration authority code (GB 32100: 1-9, A, N, Y)",
               id[0]);
}

// Why the USCC structure (alphabet, registration authority and organisation type, region code)
// does not hold, or nullopt when it holds.
std::optional<std::string> uscc_structure_problem(std::string_view id) {
    std::size_t position = 0;  // 1-based, in characters
    for (std::size_t i = 0; i < id.size(); ++i) {
        const auto byte = static_cast<unsigned char>(id[i]);
        if ((byte & 0xC0) == 0x80) {
            continue;
        }
        ++position;
        if (byte >= 0x80 || byte < 0x20 || byte == 0x7F) {
            return trf(
                "character {} is not an ASCII letter or digit, as a unified social credit code "
                "needs",
                position);
        }
        if (k_uscc_alphabet.find(id[i]) == std::string_view::npos) {
            return trf("character {} '{}' is not allowed in a unified social credit code", position,
                       id[i]);
        }
    }
    if (auto problem = authority_problem(id)) {
        return problem;
    }
    const std::string_view region = id.substr(2, 6);
    if (!all_digits(region)) {
        return trf("characters 3-8 must be a 6-digit region code, got '{}'", region);
    }
    const int province = digits_value(region.substr(0, 2));
    bool known = false;
    for (int code : k_province_codes) {
        known = known || code == province;
    }
    if (!known || (province == 10 && region != "100000")) {
        return trf("characters 3-8 '{}' are not an administrative division code", region);
    }
    return std::nullopt;
}

// Why the resident-ID structure does not hold for 17 digits followed by a digit or X:
// characters 7-14 must be a real birth date, from 1900 on and not after `today`.
std::optional<std::string> resident_structure_problem(std::string_view id, util::Date today) {
    const std::string_view birth = id.substr(6, 8);
    const int year = digits_value(birth.substr(0, 4));
    const int month = digits_value(birth.substr(4, 2));
    const int day = digits_value(birth.substr(6, 2));
    if (!util::is_valid_ymd(year, month, day)) {
        return trf("characters 7-14 '{}' are not a real birth date", birth);
    }
    if (year < 1900) {
        return trf("birth date {:04}-{:02}-{:02} in the identifier is before 1900", year, month,
                   day);
    }
    const util::Date date = util::Date::from_ymd(year, month, day);
    if (date > today) {
        return trf("birth date {} in the identifier lies in the future", date.iso());
    }
    return std::nullopt;
}

}  // namespace

std::optional<char> uscc_check_char(std::string_view first17) {
    if (first17.size() != k_uscc_weights.size()) {
        return std::nullopt;
    }
    int sum = 0;
    for (std::size_t i = 0; i < first17.size(); ++i) {
        const auto value = k_uscc_alphabet.find(first17[i]);
        if (value == std::string_view::npos) {
            return std::nullopt;
        }
        sum += static_cast<int>(value) * k_uscc_weights[i];
    }
    return k_uscc_alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

std::optional<char> resident_check_char(std::string_view first17) {
    if (first17.size() != k_resident_weights.size() || !all_digits(first17)) {
        return std::nullopt;
    }
    int sum = 0;
    for (std::size_t i = 0; i < first17.size(); ++i) {
        sum += (first17[i] - '0') * k_resident_weights[i];
    }
    const int value = (12 - sum % 11) % 11;
    return value == 10 ? 'X' : static_cast<char>('0' + value);
}

// An identifier of 17 digits and a final digit or X may be either kind: all-digit USCCs exist
// (121200004013590816). Each reading is tried on everything its structure says - for a USCC
// the registration authority and organisation type (characters 1-2) and a region code
// (characters 3-8), for a resident ID a real birth date (characters 7-14) not after `today` -
// and then, in order:
//   1. a given subject_type (`expected`) settles it for a reading that is valid, check included;
//   2. when only one reading's structure holds, that one, whatever its check character (so an
//      all-digit USCC with a wrong check character is a USCC for --id-check warn, also when its
//      resident-ID check character happens to be right);
//   3. when both hold, the resident ID, whatever the check characters say; `ambiguous` is set
//      when the USCC reading is valid, so that the message can say how to settle it.
// Rule 3 deliberately does not let a right USCC check win over a wrong resident check: the
// USCC check (mod 31 over a 31-character alphabet) cannot reject anything by itself, since every
// string is one substitution at any position away from a right USCC check character, so
// preferring it would accept about one in 31 of the mistyped resident IDs that read as a USCC at
// all as a company's code, and publish that person's number unmasked. Such IDs are not rare even
// with the authority and type check: 32 (Jiangsu) is also 3-2, a notary office, and characters
// 3-4 of Zhenjiang's, Taizhou's and Suqian's IDs (3211, 3212, 3213) are province codes; two single-
// digit typos of this module's test IDs (324102196804120359, 325211198307064625) would pass.
// The cost: an all-digit USCC whose characters 7-14 read as a past date needs a subject_type.
Result<IdShape> classify(std::string_view id, util::Date today, std::optional<IdKind> expected) {
    if (id.size() != k_id_length) {
        const std::size_t characters = count_characters(id);
        if (characters == k_id_length) {
            // 18 characters but more bytes: name the first one that is not ASCII. When every
            // character starts with an ASCII byte, the extra bytes are stray UTF-8 continuation
            // bytes, which must not pass as part of a code.
            if (auto problem = uscc_structure_problem(id)) {
                return fail(std::move(*problem));
            }
            return fail(trf("must be 18 characters, got {} bytes that are not valid UTF-8 text",
                            id.size()));
        }
        return fail(trf("must be 18 characters, got {}", characters));
    }
    const std::string_view first17 = id.substr(0, 17);
    const auto uscc_problem = uscc_structure_problem(id);
    const bool uscc_check_ok = !uscc_problem && uscc_check_char(first17) == id[17];
    const bool resident_shape = all_digits(first17) && (is_digit(id[17]) || id[17] == 'X');
    if (!resident_shape) {
        if (uscc_problem) {
            return fail(*uscc_problem);
        }
        return IdShape{IdKind::uscc, uscc_check_ok};
    }
    const auto resident_problem = resident_structure_problem(id, today);
    const bool resident_check_ok = !resident_problem && resident_check_char(first17) == id[17];

    if (expected == IdKind::uscc && uscc_check_ok) {
        return IdShape{IdKind::uscc, true};  // the row says it is an organisation: believe it
    }
    if (expected == IdKind::resident && resident_check_ok) {
        return IdShape{IdKind::resident, true};
    }
    if (uscc_problem && resident_problem) {
        return fail(trf("{}; nor is it a unified social credit code: {}", *resident_problem,
                        *uscc_problem));
    }
    if (resident_problem) {
        return IdShape{IdKind::uscc, uscc_check_ok};
    }
    return IdShape{IdKind::resident, resident_check_ok, uscc_check_ok};
}

Result<IdKind> validate(std::string_view id, util::Date today, std::optional<IdKind> expected) {
    const auto shape = classify(id, today, expected);
    if (!shape) {
        return fail(shape.error());
    }
    if (!shape->check_ok) {
        const auto first17 = id.substr(0, 17);
        const auto expected =
            shape->kind == IdKind::uscc ? uscc_check_char(first17) : resident_check_char(first17);
        const char right = expected.value_or('?');
        if (shape->kind == IdKind::uscc) {
            return fail(
                trf("taken as a unified social credit code: check character should be "
                    "'{}', not '{}'",
                    right, id[17]));
        }
        if (shape->ambiguous) {
            return fail(
                trf("taken as a resident ID number: check character should be '{}', not "
                    "'{}' (as a unified social credit code it is valid: a subject_type "
                    "column settles it)",
                    right, id[17]));
        }
        return fail(trf("taken as a resident ID number: check character should be '{}', not '{}'",
                        right, id[17]));
    }
    return shape->kind;
}

std::string normalise(std::string_view raw) { return util::to_upper_ascii(util::trim(raw)); }

bool is_government_organ(std::string_view uscc) { return uscc.starts_with("11"); }

std::string region_of(std::string_view id, IdKind kind) {
    const std::size_t start = kind == IdKind::uscc ? 2 : 0;
    if (id.size() < start + 6) {
        return {};
    }
    return std::string(id.substr(start, 6));
}

std::string mask(std::string_view id, IdKind kind) {
    if (kind != IdKind::resident || id.size() != k_id_length) {
        return std::string(id);
    }
    return std::string(id.substr(0, 6)) + "********" + std::string(id.substr(14));
}

std::optional<util::Date> birth_date(std::string_view id) {
    if (id.size() != 18) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < 17; ++i) {
        if (id[i] < '0' || id[i] > '9') {
            return std::nullopt;
        }
    }
    if (!((id[17] >= '0' && id[17] <= '9') || id[17] == 'X' || id[17] == 'x')) {
        return std::nullopt;
    }
    const int year = digits_value(id.substr(6, 4));
    const int month = digits_value(id.substr(10, 2));
    const int day = digits_value(id.substr(12, 2));
    if (year < 1900 || !util::is_valid_ymd(year, month, day)) {
        return std::nullopt;
    }
    return util::Date::from_ymd(year, month, day);
}

std::optional<int> age_on(util::Date birth, util::Date day) {
    if (day < birth) {
        return std::nullopt;
    }
    int years = day.year() - birth.year();
    // The N-th birthday is birth + N years; N years are completed from the day after it.
    while (years > 0 && !(birth.plus_years(years) < day)) {
        --years;
    }
    return years;
}

util::Date next_age_change(util::Date birth, util::Date day) {
    if (day < birth) {
        return birth;
    }
    const int years = age_on(birth, day).value_or(0);
    return birth.plus_years(years + 1).plus_days(1);
}

}  // namespace rbl::ids
