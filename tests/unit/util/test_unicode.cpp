#include <doctest/doctest.h>

#include <string>

#include "rbl/util/unicode.hpp"

using rbl::util::comparison_form;
using rbl::util::count_characters;
using rbl::util::edit_distance;
using rbl::util::nfkc;

TEST_CASE("unicode: NFKC makes full-width brackets, letters and digits plain") {
    CHECK(nfkc("罚款金额（万元）") == "罚款金额(万元)");
    CHECK(nfkc("ａｍｏｕｎｔ１") == "amount1");
    CHECK(nfkc("\xEF\xAC\x81le") == "file");  // U+FB01 LATIN SMALL LIGATURE FI
    CHECK(nfkc("cafe\xCC\x81") == "caf\xC3\xA9");  // e + combining acute composes to é
    CHECK(nfkc("统一社会信用代码") == "统一社会信用代码");
    CHECK(nfkc("") == "");
    CHECK(nfkc("Amount") == "Amount");  // NFKC keeps case
}

TEST_CASE("unicode: NFKC leaves text that is not UTF-8 as it is") {
    const std::string not_utf8 = "a\xFF";
    CHECK(nfkc(not_utf8) == not_utf8);
    CHECK(comparison_form("A\xC0") == "A\xC0");
}

TEST_CASE("unicode: the comparison form folds case and drops zero-width characters") {
    CHECK(comparison_form("Record_ID") == "record_id");
    CHECK(comparison_form("ＡＭＯＵＮＴ") == "amount");
    CHECK(comparison_form("amo\xE2\x80\x8Bunt") == "amount");  // U+200B ZERO WIDTH SPACE
    CHECK(comparison_form("vio\xC2\xADlence") == "violence");   // U+00AD SOFT HYPHEN
    CHECK(comparison_form("罚款金额（万元）") == comparison_form("罚款金额(万元)"));
    CHECK(comparison_form("处罚机关") != comparison_form("处罚类别"));
}

TEST_CASE("unicode: characters are counted, not bytes") {
    CHECK(count_characters("") == 0);
    CHECK(count_characters("amount") == 6);
    CHECK(count_characters("罚款金额（万元）") == 8);
    CHECK(count_characters("a\xFF") == 2);  // an invalid byte is one
}

TEST_CASE("unicode: edit distance counts insertions, deletions, substitutions, transpositions") {
    CHECK(edit_distance("amount", "amount", 2) == 0);
    CHECK(edit_distance("amout", "amount", 2) == 1);        // deletion
    CHECK(edit_distance("amounts", "amount", 2) == 1);      // insertion
    CHECK(edit_distance("violense", "violence", 2) == 1);   // substitution
    CHECK(edit_distance("amuont", "amount", 2) == 1);       // adjacent transposition
    CHECK(edit_distance("kind", "date", 5) == 4);
    CHECK(edit_distance("", "abc", 5) == 3);
    CHECK(edit_distance("abc", "", 5) == 3);
    CHECK(edit_distance("ca", "abc", 5) == 3);              // optimal string alignment, not 2
    // In characters: one Chinese character (3 bytes) is one edit.
    CHECK(edit_distance("处罚机关", "处罚机构", 2) == 1);
    CHECK(edit_distance("行政相对人类别", "行政相对人名称", 5) == 2);
}

TEST_CASE("unicode: edit distance stops above the limit") {
    CHECK(edit_distance("amount", "authority", 1) == 2);
    CHECK(edit_distance("a", "abcdefgh", 2) == 3);          // by the lengths alone
    CHECK(edit_distance("abcdef", "uvwxyz", 0) == 1);
    CHECK(edit_distance("record_id", "record_no", 1) == 2);
    CHECK(edit_distance("record_id", "record_no", 2) == 2);
}
