#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/ids/ids.hpp"
#include "rbl/util/date.hpp"

using rbl::ids::classify;
using rbl::ids::IdKind;
using rbl::ids::is_government_organ;
using rbl::ids::mask;
using rbl::ids::normalise;
using rbl::ids::region_of;
using rbl::ids::resident_check_char;
using rbl::ids::uscc_check_char;
using rbl::ids::validate;
using rbl::util::Date;

namespace {

const Date k_today = Date::from_ymd(2026, 11, 28);

constexpr std::string_view k_uscc_alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Letters GB 32100 leaves out, plus lower case and punctuation a file might hold.
constexpr std::string_view k_not_uscc = "IOSVZa-";
constexpr std::string_view k_resident_alphabet = "0123456789X";

// The standard's own examples and the ones used in samples/.
constexpr std::array<std::string_view, 12> k_valid_usccs = {
    "91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
    "91320102MA1MX4RE6X", "91320106134885203H", "91320505MA1N8KQ38F", "91320583738271544P",
    "91320211MA1W2HDK1L", "913210021406183719", "113200000140000796", "113201000137051226",
};
constexpr std::array<std::string_view, 7> k_valid_resident_ids = {
    "11010519491231002X", "44011320141005001X", "360426199101010071", "320102196804120359",
    "320503197511232181", "320211198307064625", "321081199202291278",
};

// The 17 given characters followed by their USCC check character.
std::string complete_uscc(std::string_view first17) {
    return std::string(first17) + uscc_check_char(first17).value();
}

// The 17 given digits followed by their resident-ID check character.
std::string complete_resident(std::string_view first17) {
    return std::string(first17) + resident_check_char(first17).value();
}

// "ok: uscc", "ok: resident" or "error: REASON".
std::string validated(std::string_view id) {
    const auto kind = validate(id, k_today);
    if (!kind) {
        return "error: " + kind.error();
    }
    return *kind == IdKind::uscc ? "ok: uscc" : "ok: resident";
}

// Checks that every single-character substitution of `id` by a character of `alphabet` fails.
void check_every_substitution_fails(std::string_view id, std::string_view alphabet) {
    for (std::size_t i = 0; i < id.size(); ++i) {
        for (char replacement : alphabet) {
            if (replacement == id[i]) {
                continue;
            }
            std::string changed(id);
            changed[i] = replacement;
            const auto result = validate(changed, k_today);
            CHECK_MESSAGE(!result.has_value(), "valid ", id, " with character ", i + 1,
                          " changed to '", std::string(1, replacement), "' gives ", changed,
                          ", which validate() accepts");
        }
    }
}

}  // namespace

TEST_CASE("ids: check characters of the known valid identifiers") {
    CHECK(uscc_check_char("91110000600037341") == 'L');
    CHECK(uscc_check_char("12120000401359081") == '6');
    CHECK(uscc_check_char("91310115MA1K3BTP2") == 'B');
    CHECK(uscc_check_char("9144030071526726X") == 'G');
    CHECK(resident_check_char("11010519491231002") == 'X');
    CHECK(resident_check_char("36042619910101007") == '1');

    CHECK_FALSE(uscc_check_char("9111000060003734I").has_value());
    CHECK_FALSE(uscc_check_char("9111000060003734").has_value());
    CHECK_FALSE(resident_check_char("1101051949123100A").has_value());
    CHECK_FALSE(resident_check_char("110105194912310021").has_value());
}

TEST_CASE("ids: every valid example validates as its kind") {
    for (std::string_view id : k_valid_usccs) {
        CHECK_MESSAGE(validated(id) == "ok: uscc", id);
    }
    for (std::string_view id : k_valid_resident_ids) {
        CHECK_MESSAGE(validated(id) == "ok: resident", id);
    }
}

TEST_CASE("ids: every single-character substitution of a valid identifier fails") {
    std::string uscc_replacements(k_uscc_alphabet);
    uscc_replacements += k_not_uscc;
    for (std::string_view id : k_valid_usccs) {
        check_every_substitution_fails(id, uscc_replacements);
    }
    for (std::string_view id : k_valid_resident_ids) {
        check_every_substitution_fails(id, k_resident_alphabet);
    }
}

TEST_CASE("ids: transpositions of adjacent characters are caught") {
    CHECK(validated("19110000600037341L").starts_with("error"));
    CHECK(validated("91110000600033741L").starts_with("error"));
    CHECK(validated("91310115AM1K3BTP2B").starts_with("error"));
    CHECK(validated("9144030071526762XG").starts_with("error"));
    CHECK(validated("11010591491231002X").starts_with("error"));
    CHECK(validated("440113201410050010").starts_with("error"));
    CHECK(validated("360426199101010701").starts_with("error"));
    CHECK(validated("360426919101010071").starts_with("error"));
}

TEST_CASE("ids: the reasons name what is wrong") {
    CHECK(validated("91110000600037341") == "error: must be 18 characters, got 17");
    CHECK(validated("91110000600037341LL") == "error: must be 18 characters, got 19");
    CHECK(validated("") == "error: must be 18 characters, got 0");
    CHECK(validated("9111I000600037341L") ==
          "error: character 5 'I' is not allowed in a unified social credit code");
    CHECK(validated("911100006000373410") ==
          "error: taken as a unified social credit code: check character should be 'L', not '0'");
    CHECK(validated("110105194912310027") ==
          "error: taken as a resident ID number: check character should be 'X', not '7'");
    CHECK(validated("91A10000600037341L") ==
          "error: characters 3-8 must be a 6-digit region code, got 'A10000'");
    CHECK(validated(complete_uscc("91040000600037341")) ==
          "error: characters 3-8 '040000' are not an administrative division code");
    // 18 characters, one of them not ASCII (a full-width digit: 20 bytes).
    CHECK(validated("9111000060003734\xEF\xBC\x91L") ==
          "error: character 17 is not an ASCII letter or digit, as a unified social credit code "
          "needs");
}

TEST_CASE("ids: normalise trims and upper-cases raw input") {
    CHECK(normalise("  91310115ma1k3btp2b\r\n") == "91310115MA1K3BTP2B");
    CHECK(normalise("\t11010519491231002x ") == "11010519491231002X");
    CHECK(validated(normalise(" 91310115ma1k3btp2b ")) == "ok: uscc");
    CHECK(validated(normalise("11010519491231002x")) == "ok: resident");
    CHECK(validated("91310115ma1k3btp2b") ==
          "error: character 9 'm' is not allowed in a unified social credit code");
}

TEST_CASE("ids: a resident ID's birth date must be real and not in the future") {
    const std::string future = complete_resident("32010220990101003");
    // Read as a USCC, characters 3-8 are no division code: neither reading holds.
    const std::string not_uscc = "; nor is it a unified social credit code: characters 3-8 ";
    CHECK(validated(future) == "error: birth date 2099-01-01 in the identifier lies in the future" +
                                   not_uscc + "'010220' are not an administrative division code");
    // The day after `today` is in the future; `today` itself is not.
    CHECK(validated(complete_resident("32010220261129003")) ==
          "error: birth date 2026-11-29 in the identifier lies in the future" + not_uscc +
              "'010220' are not an administrative division code");
    CHECK(validated(complete_resident("32010220261128003")) == "ok: resident");

    const std::string impossible = complete_resident("11010519000230001");
    CHECK(validated(impossible) == "error: characters 7-14 '19000230' are not a real birth date" +
                                       not_uscc +
                                       "'010519' are not an administrative division code");
    CHECK(validated(complete_resident("11010518991231001")) ==
          "error: birth date 1899-12-31 in the identifier is before 1900" + not_uscc +
              "'010518' are not an administrative division code");
    CHECK(validated(complete_resident("32010219920229003")) == "ok: resident");
    CHECK(validated(complete_resident("32010219930229003")) ==
          "error: characters 7-14 '19930229' are not a real birth date" + not_uscc +
              "'010219' are not an administrative division code");
}

TEST_CASE("ids: an all-digit identifier is a resident ID or a USCC by its date and checks") {
    // Characters 7-14 '00401359' are no date: a USCC.
    const auto all_digit_uscc = classify("121200004013590816", k_today);
    REQUIRE(all_digit_uscc.has_value());
    CHECK(all_digit_uscc->kind == IdKind::uscc);
    CHECK(all_digit_uscc->check_ok);
    CHECK_FALSE(all_digit_uscc->ambiguous);

    // The same with a wrong check character is still a USCC (for --id-check warn).
    const auto wrong_check = classify("121200004013590817", k_today);
    REQUIRE(wrong_check.has_value());
    CHECK(wrong_check->kind == IdKind::uscc);
    CHECK_FALSE(wrong_check->check_ok);

    // A real past birth date makes it a resident ID even when the check character is wrong.
    const auto wrong_resident = classify("110105194912310027", k_today);
    REQUIRE(wrong_resident.has_value());
    CHECK(wrong_resident->kind == IdKind::resident);
    CHECK_FALSE(wrong_resident->check_ok);

    // 11010519491231002X with its check character mistyped as the USCC one is still rejected:
    // its characters 3-8 read as a USCC's region ('010519') are no division code.
    const std::string uscc_reading = complete_uscc("11010519491231002");
    CHECK(validated(uscc_reading).starts_with("error"));
}

// Issue 10: 121200004013590810 was rejected as "characters 7-14 '00401359' are not a real birth
// date" because '0' is also its resident-ID check character: an all-digit code was a resident ID
// unless proven otherwise.
TEST_CASE("ids: an all-digit USCC with any wrong check character is a USCC with a bad check") {
    REQUIRE(resident_check_char("12120000401359081") == '0');
    CHECK(validated("121200004013590810") ==
          "error: taken as a unified social credit code: check character should be '6', not '0'");
    CHECK(validated("121200004013590817") ==
          "error: taken as a unified social credit code: check character should be '6', not '7'");
    for (char check : k_uscc_alphabet) {
        const std::string id = std::string("12120000401359081") + check;
        const auto shape = classify(id, k_today);
        REQUIRE_MESSAGE(shape.has_value(), id);
        CHECK_MESSAGE(shape->kind == IdKind::uscc, id);
        CHECK_MESSAGE(shape->check_ok == (check == '6'), id);
    }
}

TEST_CASE("ids: a USCC's characters 1-2 are a registration authority and an organisation type") {
    CHECK(validated(complete_uscc("01320102MA1MX4RE6")) ==
          "error: character 1 '0' is not a registration authority code (GB 32100: 1-9, A, N, Y)");
    CHECK(validated(complete_uscc("B1320102MA1MX4RE6")) ==
          "error: character 1 'B' is not a registration authority code (GB 32100: 1-9, A, N, Y)");
    CHECK(validated(complete_uscc("94320102MA1MX4RE6")) ==
          "error: character 2 '4' is not an organisation type of registration authority '9' (GB "
          "32100 allows 1, 2, 3)");
    CHECK(validated(complete_uscc("1A320102MA1MX4RE6")) ==
          "error: character 2 'A' is not an organisation type of registration authority '1' (GB "
          "32100 allows 1, 2, 3, 9)");
    // Every authority with each type it allows.
    for (std::string_view prefix :
         {"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39",
          "41", "49", "51", "52", "53", "59", "61", "62", "69", "71", "72", "79",
          "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"}) {
        const std::string id = complete_uscc(std::string(prefix) + "320102MA1MX4RE6");
        CHECK_MESSAGE(validated(id) == "ok: uscc", id);
    }
}

TEST_CASE("ids: an identifier both readings fit is a resident ID unless subject_type says not") {
    // 113201199001011230: a government organ's valid USCC (11, region 320119) whose characters
    // 7-14 read as 1990-01-01; as a resident ID its check character would be '5'.
    const auto organ = classify("113201199001011230", k_today);
    REQUIRE(organ.has_value());
    CHECK(organ->kind == IdKind::resident);
    CHECK_FALSE(organ->check_ok);
    CHECK(organ->ambiguous);
    CHECK(validated("113201199001011230") ==
          "error: taken as a resident ID number: check character should be '5', not '0' (as a "
          "unified social credit code it is valid: a subject_type column settles it)");
    const auto settled = classify("113201199001011230", k_today, IdKind::uscc);
    REQUIRE(settled.has_value());
    CHECK(settled->kind == IdKind::uscc);
    CHECK(settled->check_ok);
    CHECK_FALSE(settled->ambiguous);
    // A subject_type of a person settles nothing here: as a resident ID it is invalid.
    CHECK(validate("113201199001011230", k_today, IdKind::resident)
              .error()
              .starts_with("taken as a resident ID number"));

    // 321102198001010391: a valid resident ID of Zhenjiang (321102) that is a valid USCC too
    // (3-2, a notary office, region 110219): a person's number unless the row says otherwise.
    const auto both = classify("321102198001010391", k_today);
    REQUIRE(both.has_value());
    CHECK(both->kind == IdKind::resident);
    CHECK(both->check_ok);
    CHECK(both->ambiguous);
    CHECK(classify("321102198001010391", k_today, IdKind::uscc)->kind == IdKind::uscc);
    CHECK_FALSE(classify("321102198001010391", k_today, IdKind::resident)->ambiguous);

    // Both structures hold, neither check is right ('7' as a resident ID, '5' as a USCC).
    const auto neither = classify("321102198001010010", k_today);
    REQUIRE(neither.has_value());
    CHECK(neither->kind == IdKind::resident);
    CHECK_FALSE(neither->check_ok);
    CHECK_FALSE(neither->ambiguous);
    CHECK(validated("321102198001010010") ==
          "error: taken as a resident ID number: check character should be '7', not '0'");

    // Single-digit typos of valid resident IDs that are valid USCCs are not taken for companies.
    CHECK(validated("324102196804120359").starts_with("error: taken as a resident ID number"));
    CHECK(validated("325211198307064625").starts_with("error: taken as a resident ID number"));
}

TEST_CASE("ids: region codes") {
    CHECK(region_of("91320583738271544P", IdKind::uscc) == "320583");
    CHECK(region_of("91110000600037341L", IdKind::uscc) == "110000");
    CHECK(region_of("320503197511232181", IdKind::resident) == "320503");
    CHECK(region_of("11010519491231002X", IdKind::resident) == "110105");
    CHECK(region_of("9132", IdKind::uscc).empty());
}

TEST_CASE("ids: government organs") {
    const std::string organ = complete_uscc("11100000000013127");
    CHECK(validated(organ) == "ok: uscc");
    CHECK(is_government_organ(organ));
    CHECK(is_government_organ("113200000140000796"));
    CHECK_FALSE(is_government_organ("121200004013590816"));
    CHECK_FALSE(is_government_organ("91110000600037341L"));
}

TEST_CASE("ids: masking shows a resident ID's first 6 and last 4 characters") {
    CHECK(mask("11010519491231002X", IdKind::resident) == "110105********002X");
    CHECK(mask("320503197511232181", IdKind::resident) == "320503********2181");
    CHECK(mask("91110000600037341L", IdKind::uscc) == "91110000600037341L");
    CHECK(mask("1101051949", IdKind::resident) == "1101051949");
}

// Fuzz finding (fuzz_ids): 18 ASCII characters followed by stray UTF-8 continuation bytes were
// counted as 18 characters and accepted as a valid USCC of 21 bytes.
TEST_CASE("ids: stray UTF-8 continuation bytes after 18 characters are not a valid code") {
    const std::string id = std::string("113203129459679238") + "\xA1\xA1\xA1";
    const auto shape = classify(id, k_today);
    REQUIRE_FALSE(shape.has_value());
    CHECK(shape.error() == "must be 18 characters, got 21 bytes that are not valid UTF-8 text");
    CHECK_FALSE(validate(id, k_today).has_value());
    CHECK_FALSE(validate(id, k_today, IdKind::uscc).has_value());
    // A non-ASCII character among 18 is still named by its position.
    CHECK(classify("91320106MA109Y035é", k_today).error() ==
          "character 18 is not an ASCII letter or digit, as a unified social credit code needs");
}

TEST_CASE("ids: the birth date of a resident ID, and age counted as the courts count it") {
    using rbl::ids::age_on;
    using rbl::ids::birth_date;
    using rbl::ids::next_age_change;
    CHECK(birth_date("320102200806011235") == Date::from_ymd(2008, 6, 1));
    CHECK(birth_date("32010220080229123X") == Date::from_ymd(2008, 2, 29));  // check not looked at
    CHECK(birth_date("91320102MA1MX4RE6X") == std::nullopt);                 // a USCC
    CHECK(birth_date("320102200802301233") == std::nullopt);                 // 30 February
    CHECK(birth_date("320102189912311233") == std::nullopt);                 // before 1900
    CHECK(birth_date("32010220080601123") == std::nullopt);                  // 17 characters

    const Date born = Date::from_ymd(2008, 6, 1);
    // 周岁 from the day after the birthday: a minor on the 18th birthday, 18 the day after.
    CHECK(age_on(born, Date::from_ymd(2026, 6, 1)) == 17);
    CHECK(age_on(born, Date::from_ymd(2026, 6, 2)) == 18);
    CHECK(age_on(born, Date::from_ymd(2026, 5, 31)) == 17);
    CHECK(age_on(born, born) == 0);
    CHECK(age_on(born, Date::from_ymd(2008, 5, 31)) == std::nullopt);
    CHECK(next_age_change(born, Date::from_ymd(2026, 1, 1)) == Date::from_ymd(2026, 6, 2));
    CHECK(next_age_change(born, Date::from_ymd(2026, 6, 1)) == Date::from_ymd(2026, 6, 2));
    CHECK(next_age_change(born, Date::from_ymd(2026, 6, 2)) == Date::from_ymd(2027, 6, 2));

    // 29 February: the birthday falls on 28 February in other years.
    const Date leap = Date::from_ymd(2008, 2, 29);
    CHECK(age_on(leap, Date::from_ymd(2026, 2, 28)) == 17);
    CHECK(age_on(leap, Date::from_ymd(2026, 3, 1)) == 18);
    CHECK(age_on(leap, Date::from_ymd(2028, 2, 29)) == 19);
    CHECK(age_on(leap, Date::from_ymd(2028, 3, 1)) == 20);
    CHECK(next_age_change(leap, Date::from_ymd(2026, 2, 28)) == Date::from_ymd(2026, 3, 1));
}
