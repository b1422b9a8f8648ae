#include "rbl/ids/ids.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

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

// Why the USCC structure (alphabet, region code) does not hold, or nullopt when it holds.
std::optional<std::string> uscc_structure_problem(std::string_view id) {
    std::size_t position = 0;  // 1-based, in characters
    for (std::size_t i = 0; i < id.size(); ++i) {
        const auto byte = static_cast<unsigned char>(id[i]);
        if ((byte & 0xC0) == 0x80) {
            continue;
        }
        ++position;
        if (byte >= 0x80 || byte < 0x20 || byte == 0x7F) {
            return fmt::format(
                "character {} is not an ASCII letter or digit, as a unified social credit code "
                "needs",
                position);
        }
        if (k_uscc_alphabet.find(id[i]) == std::string_view::npos) {
            return fmt::format("character {} '{}' is not allowed in a unified social credit code",
                               position, id[i]);
        }
    }
    const std::string_view region = id.substr(2, 6);
    if (!all_digits(region)) {
        return fmt::format("characters 3-8 must be a 6-digit region code, got '{}'", region);
    }
    const int province = digits_value(region.substr(0, 2));
    bool known = false;
    for (int code : k_province_codes) {
        known = known || code == province;
    }
    if (!known || (province == 10 && region != "100000")) {
        return fmt::format("characters 3-8 '{}' are not an administrative division code", region);
    }
    return std::nullopt;
}

Result<IdShape> classify_uscc(std::string_view id) {
    if (auto problem = uscc_structure_problem(id)) {
        return fail(std::move(*problem));
    }
    return IdShape{IdKind::uscc, uscc_check_char(id.substr(0, 17)) == id[17]};
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
// (121200004013590816). The choice, in order:
//   1. characters 7-14 are a real birth date (1900 or later) not after `today` -> resident ID,
//      whatever its check character;
//   2. the USCC structure holds and its check character is right -> USCC;
//   3. characters 7-14 are a real date in the future -> a resident ID, failing for that date;
//   4. the USCC structure holds and the resident check character is wrong too -> USCC with a
//      wrong check character;
//   5. otherwise it is a resident ID whose birth date is not a real date -> fail.
// Rule 1 deliberately does not let a right USCC check win over a wrong resident check: the
// USCC check (mod 31 over a 31-character alphabet) cannot reject anything by itself, since every
// string is one substitution at any position away from a right USCC check character, so
// preferring it would accept about one in 31 mistyped resident IDs as a company's code, and
// publish that person's number unmasked. The cost is that an all-digit USCC whose characters
// 7-14 happen to read as a past date (its region code must end in 19 or 20) is rejected.
// Rule 2 also relies on the region check (characters 3-4 must be a province code), which most
// mistyped resident IDs fail because their characters 3-4 are a prefecture code.
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
            return fail(fmt::format("must be 18 characters, got {} bytes that are not valid UTF-8 "
                                    "text",
                                    id.size()));
        }
        return fail(fmt::format("must be 18 characters, got {}", characters));
    }
    const bool resident_shape = all_digits(id.substr(0, 17)) && (is_digit(id[17]) || id[17] == 'X');
    if (!resident_shape) {
        return classify_uscc(id);
    }

    const std::string_view birth = id.substr(6, 8);
    const int year = digits_value(birth.substr(0, 4));
    const int month = digits_value(birth.substr(4, 2));
    const int day = digits_value(birth.substr(6, 2));
    const bool real_date = year >= 1900 && util::is_valid_ymd(year, month, day);
    const bool resident_check_ok = resident_check_char(id.substr(0, 17)) == id[17];

    if (expected == IdKind::uscc && !uscc_structure_problem(id) &&
        uscc_check_char(id.substr(0, 17)) == id[17]) {
        return IdShape{IdKind::uscc, true};  // the row says it is an organisation: believe it
    }
    if (real_date && util::Date::from_ymd(year, month, day) <= today) {
        return IdShape{IdKind::resident, resident_check_ok};
    }
    const auto uscc_problem = uscc_structure_problem(id);
    const bool uscc_check_ok = uscc_check_char(id.substr(0, 17)) == id[17];
    if (!uscc_problem && uscc_check_ok) {
        return IdShape{IdKind::uscc, true};
    }
    if (real_date) {
        return fail(fmt::format("birth date {} in the identifier lies in the future",
                                util::Date::from_ymd(year, month, day).iso()));
    }
    if (!uscc_problem && !resident_check_ok) {
        return IdShape{IdKind::uscc, false};
    }
    if (year < 1900 && util::is_valid_ymd(year, month, day)) {
        return fail(fmt::format("birth date {:04}-{:02}-{:02} in the identifier is before 1900",
                                year, month, day));
    }
    return fail(fmt::format("characters 7-14 '{}' are not a real birth date", birth));
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
        return fail(
            fmt::format("check character is '{}', expected '{}'", id[17], expected.value_or('?')));
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

}  // namespace rbl::ids
