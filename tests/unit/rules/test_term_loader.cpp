// `term:`, `as_of`, `age` and the tests' `subject_id` / `expires_on` as the loader reads them
// (docs/RULES.md): what parses, and each mistake reported at its line and column.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "../rule_problems.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::rules::Diagnostic;
using rbl::rules::InvalidConfig;
using rbl::rules::RuleSet;
using rbl::rules::TermRule;
using rbl::util::Duration;

using rbl::test::problems_of;
using rbl::test::spot_of;

namespace {

// Lines 1-9 of a courts file, ending with `lists:`; its list starts on line 10 and its
// `criteria:` is line 18, followed by the caller's lines from line 20 on.
std::string courts_file(const std::string& rest, const std::string& criteria =
                                                     "      exists: { kind: court_default }\n") {
    return std::string("domain: courts\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nattributes:\n"
                       "  circumstance: text\n  extension: text\n  fine: number\nlists:\n"
                       "  - id: courts.black.debtor\n    kind: black\n    title: T\n"
                       "    title_zh: 题\n    basis: B\n    authority: A\n    lift:\n"
                       "      exists: { kind: performed }\n    criteria:\n") +
           criteria + rest;
}

std::string spot_in(const std::string& rest, const std::string& text,
                    const std::string& criteria = "      exists: { kind: court_default }\n") {
    rbl::test::TempDir dir;
    dir.write("courts.yaml", courts_file(rest, criteria));
    return spot_of(problems_of(dir.path()), text);
}

}  // namespace

TEST_CASE("term: a term from the evidence, with an extension and an open case, parses") {
    rbl::test::TempDir dir;
    dir.write("courts.yaml", courts_file(R"(    term:
      from: evidence
      length: 2y
      add: { attribute: extension, default: 0d }
      open_when: "circumstance == 'refuse_perform'"
    tests:
      - name: t
        as_of: 2026-06-01
        subject_type: natural_person
        subject_id: "320102200806011235"
        records: [{ kind: court_default, date: 2026-01-01 }]
        expect: listed
        expires_on: 2028-01-01
      - name: u
        as_of: 2026-06-01
        records: [{ kind: court_default, date: 2026-01-01 }]
        expect: listed
        expires_on: open
)"));
    const auto set = RuleSet::load(dir.path());
    const auto* list = set.list("courts.black.debtor");
    REQUIRE(list != nullptr);
    const TermRule& term = list->term;
    CHECK(term.written);
    CHECK(term.from == TermRule::From::evidence);
    CHECK(term.length == Duration{2, Duration::Unit::years});
    CHECK(term.add_attribute == "extension");
    CHECK(term.add_default == Duration{0, Duration::Unit::days});
    REQUIRE(term.open_when.has_value());
    CHECK(term.open_when->text() == "circumstance == 'refuse_perform'");
    CHECK_FALSE(term.fixed());
    REQUIRE(list->tests.size() == 2);
    CHECK(list->tests[0].subject_id == "320102200806011235");
    CHECK(list->tests[0].expect_expires_on ==
          std::optional<std::optional<rbl::util::Date>>(rbl::util::Date::from_ymd(2028, 1, 1)));
    REQUIRE(list->tests[1].expect_expires_on.has_value());
    CHECK_FALSE(list->tests[1].expect_expires_on->has_value());  // open
}

TEST_CASE("term: validity is a fixed term from the effective date; length open is open-ended") {
    rbl::test::TempDir dir;
    dir.write("courts.yaml", courts_file("    validity: 3y\n"));
    const auto set = RuleSet::load(dir.path());
    const auto* list = set.list("courts.black.debtor");
    CHECK(list->term.fixed());
    CHECK_FALSE(list->term.written);
    CHECK(list->validity == Duration{3, Duration::Unit::years});

    rbl::test::TempDir open;
    open.write("courts.yaml", courts_file("    term: { length: open }\n"));
    const auto open_set = RuleSet::load(open.path());
    const auto* open_list = open_set.list("courts.black.debtor");
    CHECK_FALSE(open_list->term.length.has_value());
    CHECK_FALSE(open_list->term.fixed());
}

TEST_CASE("term: each mistake is an error at its line and column") {
    CHECK(spot_in("    term:\n      length: 2y\n      since: evidence\n", "unknown key 'since'") ==
          "22:7");
    CHECK(spot_in("    term:\n      from: decision\n      length: 2y\n",
                  "term from 'decision' is not evidence or effective") == "21:13");
    CHECK(spot_in("    term:\n      from: evidence\n", "term needs length") == "21:7");
    CHECK(spot_in("    term:\n      length: two years\n", "term length") == "21:15");
    CHECK(spot_in("    term:\n      length: 200y\n", "longer than 100 years") == "21:15");
    CHECK(spot_in("    term:\n      length: 2y\n      add: { attribute: extent, default: 0d }\n",
                  "add attribute 'extent' is not a text attribute") == "22:25");
    CHECK(spot_in("    term:\n      length: 2y\n      add: { attribute: fine, default: 0d }\n",
                  "add attribute 'fine' is not a text attribute") == "22:25");
    CHECK(spot_in("    term:\n      length: 2y\n      add: { attribute: extension }\n",
                  "add needs default") == "22:12");
    CHECK(spot_in("    term:\n      length: 2y\n      add: { attribute: extension, default: 1 }\n",
                  "add default") == "22:45");
    CHECK(spot_in("    term:\n      length: open\n      add: { attribute: extension, default: 0d }\n",
                  "add is given but the term is open") == "22:12");
    CHECK(spot_in("    term:\n      length: open\n      open_when: \"fine > 1\"\n",
                  "open_when is given but the term is open anyway") == "22:18");
    CHECK(spot_in("    term:\n      length: 2y\n      open_when: \"fines > 1\"\n", "fines") !=
          "missing");
    CHECK(spot_in("    validity: 2y\n    term: { length: 2y }\n",
                  "give either validity or term, not both") == "21:11");
    CHECK(spot_in("    procedure: { notice_days: 0 }\n",
                  "missing required key 'validity' (or 'term')") == "10:5");
    CHECK(spot_in("    validity: 2y\n    tests:\n      - name: t\n        as_of: 2026-06-01\n"
                  "        expect: not_listed\n        expires_on: 2027-01-01\n",
                  "expires_on is checked only with expect: listed") == "25:21");
    CHECK(spot_in("    validity: 2y\n    tests:\n      - name: t\n        as_of: 2026-06-01\n"
                  "        expect: listed\n        expires_on: soon\n",
                  "expires_on:") == "25:21");
}

TEST_CASE("term: an open-ended term needs lift criteria") {
    rbl::test::TempDir dir;
    std::string text = courts_file("    term: { length: open }\n");
    const auto at = text.find("    lift:\n      exists: { kind: performed }\n");
    REQUIRE(at != std::string::npos);
    text.erase(at, std::string("    lift:\n      exists: { kind: performed }\n").size());
    dir.write("courts.yaml", text);
    CHECK(spot_of(problems_of(dir.path()), "an open-ended term needs lift criteria") == "18:11");
}

TEST_CASE("expressions: as_of in where and subject, birth_date and age in subject only") {
    rbl::test::TempDir record;
    record.write("courts.yaml",
                 courts_file("    validity: 2y\n",
                             "      exists: { kind: court_default, where: \"date >= as_of\" }\n"));
    CHECK_NOTHROW(RuleSet::load(record.path()));
    rbl::test::TempDir ok;
    ok.write("courts.yaml",
             courts_file("    validity: 2y\n",
                         "      subject: \"age >= 18 and birth_date < as_of and as_of > "
                         "date('2026-01-01')\"\n"));
    CHECK_NOTHROW(RuleSet::load(ok.path()));
    CHECK(spot_in("    validity: 2y\n", "unknown field 'age'",
                  "      exists: { kind: court_default, where: \"age >= 18\" }\n") != "missing");
    CHECK(spot_in("    validity: 2y\n", "in expression",
                  "      subject: \"age >= '18'\"\n") == "19:21");
}

TEST_CASE("attributes: as_of is the run's date, not a name for an attribute") {
    rbl::test::TempDir dir;
    std::string text = courts_file("    validity: 2y\n");
    text.replace(text.find("  fine: number\n"), std::string("  fine: number\n").size(),
                 "  as_of: date\n");
    dir.write("courts.yaml", text);
    CHECK(spot_of(problems_of(dir.path()), "attribute 'as_of' is the run's date") == "8:3");
}
