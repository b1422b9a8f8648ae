#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "../rule_problems.hpp"
#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"

using rbl::rules::Criterion;
using rbl::rules::Diagnostic;
using rbl::rules::InvalidConfig;
using rbl::model::ListKind;
using rbl::rules::RuleSet;
using rbl::util::Duration;

using rbl::test::problems_of;
using rbl::test::spot_of;

namespace {

// The first 8 lines of a rule file for `domain`, ending with `lists:`: lists start on line 9.
std::string header(const std::string& domain) {
    return "domain: " + domain +
           "\ntitle: T\ntitle_zh: 题\nversion: \"1\"\n"
           "attributes:\n  category: text\n  fine: number\nlists:\n";
}

// A list of 8 lines; `criteria` (lines indented by 6) starts on the list's 9th line, `extra`
// (lines indented by 4) follows it.
std::string list_yaml(const std::string& id, const std::string& kind, const std::string& criteria,
                      const std::string& extra = "") {
    return "  - id: " + id + "\n    kind: " + kind +
           "\n    title: T\n    title_zh: 题\n    basis: B\n    authority: A\n"
           "    validity: 3y\n    criteria:\n" +
           criteria + extra;
}

// How many problems mention `text`.
int count_of(const std::vector<Diagnostic>& problems, const std::string& text) {
    int count = 0;
    for (const Diagnostic& problem : problems) {
        count += problem.message.find(text) != std::string::npos ? 1 : 0;
    }
    return count;
}

// The problem whose message contains `text`, or nullptr.
const Diagnostic* find(const std::vector<Diagnostic>& problems, const std::string& text) {
    for (const Diagnostic& problem : problems) {
        if (problem.message.find(text) != std::string::npos) {
            return &problem;
        }
    }
    return nullptr;
}

// The ids of the set's lists in evaluation order.
std::vector<std::string> order_of(const RuleSet& set) {
    std::vector<std::string> ids;
    for (const auto* list : set.lists()) {
        ids.push_back(list->id);
    }
    return ids;
}

std::ptrdiff_t position(const std::vector<std::string>& ids, const std::string& id) {
    const auto it = std::find(ids.begin(), ids.end(), id);
    REQUIRE(it != ids.end());
    return it - ids.begin();
}

}  // namespace

TEST_CASE("list loader: a full list parses") {
    rbl::test::TempDir dir;
    dir.write("tax.yaml", header("tax") + "  []\n");
    dir.write("food.yaml", header("food") + R"(  - id: food.black.serious
    kind: black
    title: Serious
    title_zh: 严重
    basis: 《食品安全法》第一百三十五条
    authority: 市场监管局
    subjects: [legal_person, natural_person]
    criteria:
      any:
        - exists: { kind: penalty, within: 3y, where: "category == 'revoke'" }
        - count: { kind: [penalty, warning], within: 1y }
          at_least: 3
          at_most: 9
        - sum: { kind: penalty, within: 6m, domain: any }
          field: fine
          at_least: 1000000.5
        - all:
            - not: { subject: "subject_type == 'government'" }
            - listed: { list: food.black.other }
            - listed: { kind: black, domain: food }
    lift:
      exists: { kind: rectified, within: 30d, domain: [food, tax] }
    validity: 3y
    procedure: { notice_days: 5, publicity_days: 2, appeal_days: 10 }
    repair: { allowed: true, after: 1y }
    measures:
      - id: restrict
        text_zh: 限制参与政府采购
        departments: [财政厅, 发改委]
    tests:
      - name: revoked
        as_of: 2026-06-01
        subject_type: natural_person
        records:
          - { kind: penalty, date: 2025-01-10, category: revoke }
        entries: [food.black.other]
        expect: not_listed
  - id: food.red.good
    kind: red
    title: Good
    title_zh: 守信
    basis: B
    authority: A
    criteria:
      exists: { kind: award }
    validity: 2y
  - id: food.black.other
    kind: black
    title: Other
    title_zh: 其他
    basis: B
    authority: A
    criteria:
      exists: { kind: penalty }
    validity: 1y
)");
    const RuleSet set = RuleSet::load(dir.path());
    const auto* list = set.list("food.black.serious");
    REQUIRE(list != nullptr);
    CHECK(list->domain == "food");
    CHECK(list->kind == ListKind::black);
    CHECK(set.list("food.red.good")->kind == ListKind::red);
    CHECK(list->title == "Serious");
    CHECK(list->title_zh == "严重");
    CHECK(list->basis == "《食品安全法》第一百三十五条");
    CHECK(list->authority == "市场监管局");
    CHECK(list->spot.line == 9);
    CHECK(list->spot.column == 5);
    REQUIRE(list->subjects.size() == 2);
    CHECK(list->admits(rbl::model::SubjectType::natural_person));
    CHECK_FALSE(list->admits(rbl::model::SubjectType::government));
    CHECK(set.list("food.red.good")->admits(rbl::model::SubjectType::government));

    const Criterion& any = list->criteria;
    CHECK(any.type == Criterion::Type::any);
    CHECK(any.spot.line == 17);
    CHECK(any.spot.column == 7);
    REQUIRE(any.children.size() == 4);

    const Criterion& exists = any.children[0];
    CHECK(exists.type == Criterion::Type::exists);
    CHECK(exists.spot.line == 18);
    CHECK(exists.spot.column == 11);
    CHECK(exists.selection.kinds == std::vector<std::string>{"penalty"});
    REQUIRE(exists.selection.within.has_value());
    CHECK(*exists.selection.within == Duration{3, Duration::Unit::years});
    CHECK_FALSE(exists.selection.any_domain);
    CHECK(exists.selection.domains == std::vector<std::string>{"food"});
    REQUIRE(exists.selection.where.has_value());
    CHECK(exists.selection.where->text() == "category == 'revoke'");

    const Criterion& count = any.children[1];
    CHECK(count.type == Criterion::Type::count);
    CHECK(count.selection.kinds == std::vector<std::string>{"penalty", "warning"});
    CHECK(*count.selection.within == Duration{1, Duration::Unit::years});
    CHECK(count.count_at_least == 3);
    CHECK(count.count_at_most == 9);
    CHECK_FALSE(count.selection.where.has_value());

    const Criterion& sum = any.children[2];
    CHECK(sum.type == Criterion::Type::sum);
    CHECK(sum.selection.any_domain);
    CHECK(*sum.selection.within == Duration{6, Duration::Unit::months});
    CHECK(sum.sum_field == "fine");
    CHECK(sum.sum_slot == rbl::rules::k_standard_record_fields + 1);  // after category
    REQUIRE(sum.sum_at_least.has_value());
    CHECK(*sum.sum_at_least == rbl::util::Decimal{10000005, 1});
    CHECK_FALSE(sum.sum_at_most.has_value());

    const Criterion& all = any.children[3];
    CHECK(all.type == Criterion::Type::all);
    REQUIRE(all.children.size() == 3);
    CHECK(all.children[0].type == Criterion::Type::negation);
    REQUIRE(all.children[0].children.size() == 1);
    CHECK(all.children[0].children[0].type == Criterion::Type::subject);
    CHECK(all.children[0].children[0].subject_expression->text() == "subject_type == 'government'");
    CHECK(all.children[1].type == Criterion::Type::listed);
    CHECK(all.children[1].listed_list == "food.black.other");
    CHECK_FALSE(all.children[1].listed_kind.has_value());
    CHECK(all.children[2].type == Criterion::Type::listed);
    CHECK(all.children[2].listed_kind == ListKind::black);
    CHECK(all.children[2].listed_domain == "food");
    CHECK(all.children[2].listed_list.empty());

    REQUIRE(list->lift.has_value());
    CHECK(list->lift->type == Criterion::Type::exists);
    CHECK(list->lift->selection.domains == std::vector<std::string>{"food", "tax"});
    CHECK(*list->lift->selection.within == Duration{30, Duration::Unit::days});

    CHECK(list->validity == Duration{3, Duration::Unit::years});
    CHECK(set.list("food.red.good")->validity == Duration{2, Duration::Unit::years});
    CHECK(list->procedure.notice_days == 5);
    CHECK(list->procedure.publicity_days == 2);
    CHECK(list->procedure.appeal_days == 10);
    CHECK(list->repair.allowed);
    REQUIRE(list->repair.after.has_value());
    CHECK(*list->repair.after == Duration{1, Duration::Unit::years});
    CHECK_FALSE(set.list("food.red.good")->repair.allowed);
    CHECK(set.list("food.red.good")->procedure.notice_days == 0);

    REQUIRE(list->measures.size() == 1);
    CHECK(list->measures[0].id == "restrict");
    CHECK(list->measures[0].text_zh == "限制参与政府采购");
    CHECK(list->measures[0].departments == std::vector<std::string>{"财政厅", "发改委"});

    REQUIRE(list->tests.size() == 1);
    const auto& test = list->tests[0];
    CHECK(test.name == "revoked");
    CHECK(test.as_of.iso() == "2026-06-01");
    CHECK(test.subject_type == rbl::model::SubjectType::natural_person);
    CHECK(test.entries == std::vector<std::string>{"food.black.other"});
    CHECK_FALSE(test.expect_listed);
    CHECK(test.spot.line == 39);
    CHECK(test.spot.column == 9);
    REQUIRE(test.records.size() == 1);
    CHECK(test.records[0].spot.line == 43);
    REQUIRE(test.records[0].fields.size() == 3);
    CHECK(test.records[0].fields[0] == std::pair<std::string, std::string>{"kind", "penalty"});
    CHECK(test.records[0].fields[2] == std::pair<std::string, std::string>{"category", "revoke"});
}

TEST_CASE("list loader: malformed criteria are reported where they are written") {
    rbl::test::TempDir dir;
    // Criteria start on line 17.
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black", R"(      all:
        - exists: { kind: penalty }
          count: { kind: penalty }
        - at_least: 3
        - exists: { kind: penalty }
          at_least: 2
        - count: { kind: penalty }
        - sum: { kind: penalty }
          at_least: 5
        - sum: { kind: penalty }
          field: category
          at_least: 5
        - any: []
        - all: []
        - exists: { kind: penalty }
          field: amount
)"));
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "a criterion has one kind, this one has 2: exists, count") == "18:11");
    CHECK(spot_of(problems, "a criterion needs one of all, any, not") == "20:11");
    CHECK(spot_of(problems, "at_least belongs with count or sum, not exists") == "22:21");
    CHECK(spot_of(problems, "count needs at_least and/or at_most") == "23:11");
    CHECK(spot_of(problems, "sum needs field:") == "24:11");
    CHECK(spot_of(problems, "sum field 'category' is not amount or a number attribute of food") ==
          "27:18");
    CHECK(spot_of(problems, "any needs a non-empty list of criteria") == "29:16");
    CHECK(spot_of(problems, "all needs a non-empty list of criteria") == "30:16");
    CHECK(spot_of(problems, "field belongs with sum") == "32:18");
    CHECK(problems.size() == 9);
}

// Issue 10: SPEC.md §3's table writes a sum's field beside at_least, its example inside the
// selection; the example was refused with "unknown key 'field'" and "sum needs field".
TEST_CASE("list loader: a sum's field inside the selection or beside it, but not both") {
    rbl::test::TempDir dir;
    dir.write("food.yaml",
              header("food") +
                  list_yaml("food.black.inside", "black",
                            "      sum: { kind: penalty, within: 3y, field: amount }\n"
                            "      at_least: 1000000\n") +
                  list_yaml("food.black.beside", "black",
                            "      sum: { kind: penalty, within: 3y }\n"
                            "      field: fine\n"
                            "      at_least: 10\n"));
    const RuleSet set = RuleSet::load(dir.path());
    const Criterion& inside = set.list("food.black.inside")->criteria;
    CHECK(inside.type == Criterion::Type::sum);
    CHECK(inside.sum_field == "amount");
    CHECK(*inside.selection.within == Duration{3, Duration::Unit::years});
    CHECK(*inside.sum_at_least == rbl::util::Decimal{1000000, 0});
    const Criterion& beside = set.list("food.black.beside")->criteria;
    CHECK(beside.sum_field == "fine");
    CHECK(beside.sum_slot == rbl::rules::k_standard_record_fields + 1);
}

TEST_CASE("list loader: a sum's field given twice, misplaced or not a name") {
    rbl::test::TempDir dir;
    // Criteria start on line 17.
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black", R"(      all:
        - sum: { kind: penalty, field: amount }
          field: fine
          at_least: 5
        - exists: { kind: penalty, field: amount }
        - count: { kind: penalty, field: amount }
          at_least: 2
        - sum: { kind: penalty, field: [amount] }
          at_least: 5
        - sum: { kind: penalty, field: category }
          at_least: 5
)"));
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "sum has field twice: inside the selection (line 18, column 40) and "
                            "beside it; give it once") == "19:18");
    CHECK(count_of(problems, "field twice") == 1);
    CHECK(spot_of(problems, "field belongs with sum") == "21:43");
    CHECK(count_of(problems, "field belongs with sum") == 2);
    CHECK(spot_of(problems, "field must be a name") == "24:40");
    CHECK(spot_of(problems, "sum field 'category' is not amount or a number attribute of food") ==
          "26:40");
    CHECK(count_of(problems, "unknown key") == 0);
    CHECK(problems.size() == 5);
}

TEST_CASE("list loader: bad durations and bad numbers") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") +
                               list_yaml("food.black.a", "black",
                                         "      exists: { kind: penalty, within: 3w }\n") +
                               list_yaml("food.black.b", "black",
                                         "      count: { kind: penalty, within: y }\n"
                                         "      at_least: 2.5\n") +
                               list_yaml("food.black.c", "black",
                                         "      sum: { kind: penalty }\n"
                                         "      field: amount\n"
                                         "      at_most: lots\n"));
    // A list is 8 lines plus its criteria: a on 9 (criteria 17), b on 18 (26), c on 28 (36).
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "within: '3w' is not a duration") == "17:40");
    CHECK(spot_of(problems, "within: 'y' is not a duration") == "26:39");
    CHECK(spot_of(problems, "at_least must be a whole number") == "27:17");
    CHECK(spot_of(problems, "at_most must be a number") == "38:16");
    CHECK(problems.size() == 4);
}

TEST_CASE("list loader: a bad validity and repair after without repair") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + R"(  - id: food.black.a
    kind: black
    title: T
    title_zh: 题
    basis: B
    authority: A
    criteria:
      exists: { kind: penalty }
    validity: 10
    repair:
      allowed: false
      after: 1y
)");
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "validity: '10' is not a duration") == "17:15");
    CHECK(spot_of(problems, "repair after is given but repair is not allowed") == "20:14");
    CHECK(problems.size() == 2);
}

// Bad-input catalogue: `validity: 9999y` passed, and every entry of the list expired at once
// (its end, beyond 9999-12-31, read back as 1970-01-01).
TEST_CASE("list loader: validity and repair after are at most 100 years") {
    rbl::test::TempDir dir;
    const std::string list = R"(    kind: black
    title: T
    title_zh: 题
    basis: B
    authority: A
    criteria:
      exists: { kind: penalty }
)";
    dir.write("food.yaml", header("food") + "  - id: food.black.a\n" + list +
                               "    validity: 9999y\n    repair: { allowed: true, after: 1201m }\n" +
                               "  - id: food.black.b\n" + list +
                               "    validity: 1201m\n" + "  - id: food.black.c\n" + list +
                               "    validity: 100y\n    repair: { allowed: true, after: 1200m }\n");
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "validity of 9999y is longer than 100 years") == "17:15");
    CHECK(spot_of(problems, "repair after 1201m is longer than 100 years") == "18:37");
    CHECK(spot_of(problems, "validity of 1201m is longer than 100 years") == "27:15");
    CHECK(problems.size() == 3);
}

TEST_CASE("list loader: unknown keys in a list, selection, listed, procedure, measure, test") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + R"(  - id: food.black.a
    kind: black
    colour: red
    title: T
    title_zh: 题
    basis: B
    authority: A
    criteria:
      all:
        - exists: { kind: penalty, windows: 1y }
        - not: { listed: { kind: black, scope: all } }
    validity: 3y
    procedure: { notice_days: 5, notice: 3 }
    measures:
      - id: m
        text_zh: 措施
        departments: [厅]
        dept: 厅
    tests:
      - name: t
        as_of: 2026-01-01
        expected: listed
        expect: listed
)");
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "unknown key 'colour'") == "11:5");
    CHECK(spot_of(problems, "unknown key 'windows'") == "18:36");
    CHECK(spot_of(problems, "unknown key 'scope'") == "19:41");
    CHECK(spot_of(problems, "unknown key 'notice'") == "21:34");
    CHECK(spot_of(problems, "unknown key 'dept'") == "26:9");
    CHECK(spot_of(problems, "unknown key 'expected'") == "30:9");
    CHECK(problems.size() == 6);
    // The message lists the keys that are allowed there.
    CHECK(find(problems, "unknown key 'windows'")->message.find("kind, within, where, domain") !=
          std::string::npos);
}

TEST_CASE("list loader: expression errors point into the YAML file") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black", R"(      all:
        - exists: { kind: penalty, where: "category == 'x' and nope == 1" }
        - exists:
            where: fine > 10 and colour == 'red'
        - exists:
            where: 'fine >= 1 and category == 2'
        - subject: "subject_type == 'government' and amount > 1"
        - exists: { where: "category contains '吊销' and severty == 'x'" }
)"));
    const auto problems = problems_of(dir.path());
    // Line 18: the quote is at column 43, so the text starts at 44; `nope` is its 21st character.
    CHECK(spot_of(problems, "unknown field 'nope'") == "18:64");
    // Line 20: unquoted, the text starts at column 20; `colour` is its 15th character.
    CHECK(spot_of(problems, "unknown field 'colour'") == "20:34");
    // Line 22: single quotes; the text starts at column 21 and a type error points at its `==`.
    CHECK(spot_of(problems, "cannot compare text with a number") == "22:44");
    // Line 23: a subject expression knows subject_type, subject_id and region only.
    CHECK(spot_of(problems, "unknown field 'amount'") == "23:54");
    CHECK(find(problems, "unknown field 'nope'")
              ->message.find("in expression \"category == 'x' and nope == 1\"") !=
          std::string::npos);
    // Line 24: inside the expression, columns count characters (吊销 is two).
    CHECK(spot_of(problems, "unknown field 'severty'") == "24:56");
    CHECK(problems.size() == 5);
}

// Regression (was a bug): list_loader.cpp:119-123 adds the expression's column to the scalar's start mark, which is
// right only for a scalar on one line. A folded or literal block scalar (`>-`, `|`) starts on the
// line after its indicator, and a quoted scalar may span lines: the error then names the
// indicator's or the first line, at a column past its end.
TEST_CASE("list loader: an error in a multi-line expression names the line it is on") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black", R"(      all:
        - exists:
            where: >-
              fine >= 1 and
              nope == 1
        - exists:
            where: "kind == 'x' and
              nope2 == 1"
)"));
    const auto problems = problems_of(dir.path());
    REQUIRE(problems.size() == 2);
    CHECK(spot_of(problems, "unknown field 'nope'") == "21:15");   // actual 19:35
    CHECK(spot_of(problems, "unknown field 'nope2'") == "24:15");  // actual 23:37
}

// Regression (was a bug): yaml-cpp's marks count bytes, the expression's columns count characters
// (list_loader.cpp:122 adds one to the other). When the line holds multi-byte characters before
// the expression, the column is off by the extra bytes: here 处罚 (2 characters, 6 bytes) moves it
// 4 columns right. Inside the expression characters are counted (see 24:56 above), so the
// expected column here is in characters too.
TEST_CASE("list loader: an expression column after Chinese text on the same line") {
    rbl::test::TempDir dir;
    dir.write("food.yaml",
              header("food") + list_yaml("food.black.a", "black",
                                         "      exists: { kind: 处罚, where: \"nope == 1\" }\n"));
    const auto problems = problems_of(dir.path());
    REQUIRE(problems.size() == 1);
    CHECK(spot_of(problems, "unknown field 'nope'") == "17:35");  // actual 17:39
}

TEST_CASE("list loader: a list id must start with its domain and be unique across files") {
    rbl::test::TempDir dir;
    dir.write("food.yaml",
              header("food") +
                  list_yaml("food.black.a", "black", "      exists: { kind: penalty }\n") +
                  list_yaml("tax.black.b", "black", "      exists: { kind: penalty }\n"));
    dir.write("tax.yaml", header("tax") + list_yaml("tax.black.b", "black",
                                                    "      exists: { kind: penalty }\n"));
    const auto problems = problems_of(dir.path());
    // food.yaml's second list starts on line 18.
    CHECK(spot_of(problems, "list id 'tax.black.b' must start with 'food.'") == "18:9");
    const auto* twice = find(problems, "list id 'tax.black.b' is defined twice");
    REQUIRE(twice != nullptr);
    CHECK(twice->file.ends_with("tax.yaml"));  // files are read in name order: food, then tax
    CHECK(twice->line == 9);
    CHECK(twice->column == 5);
    CHECK(problems.size() == 2);
}

// Regression (was a bug): rule_set.cpp:172 keys domains by their `domain:` value with insert_or_assign, so a file
// whose domain differs from its name replaces the file of that name: the cross-file checks then
// never see the replaced file's lists, and their problems go unreported (SPEC §3: every error in
// every file is reported).
TEST_CASE("list loader: a file claiming another file's domain hides none of its problems") {
    rbl::test::TempDir dir;
    dir.write("a.yaml", header("a") + list_yaml("a.black.x", "black",
                                                "      listed: { list: a.black.nope }\n"));
    dir.write("b.yaml", "domain: a\ntitle: T\ntitle_zh: 题\nversion: \"1\"\nlists: []\n");
    const auto problems = problems_of(dir.path());
    CHECK(count_of(problems, "differs from the file name") == 1);
    CHECK(spot_of(problems, "listed names unknown list 'a.black.nope'") == "17:7");
}

TEST_CASE("list loader: a list id given twice in one file") {
    rbl::test::TempDir dir;
    dir.write("food.yaml",
              header("food") +
                  list_yaml("food.black.a", "black", "      exists: { kind: penalty }\n") +
                  list_yaml("food.black.a", "red", "      exists: { kind: award }\n"));
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "list id 'food.black.a' is defined twice") == "18:5");
    CHECK(problems.size() == 1);
}

TEST_CASE("list loader: listed, selection domains and test entries must name what exists") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") +
                               list_yaml("food.black.a", "black", R"(      any:
        - listed: { list: food.black.nope }
        - listed: { kind: black, domain: nowhere }
        - exists: { kind: penalty, domain: [food, customs] }
        - listed: { list: food.red.r }
        - listed: { kind: red }
)",
                                         R"(    tests:
      - name: on an unknown list
        as_of: 2026-01-01
        entries: [food.black.ghost]
        expect: listed
)") + list_yaml("food.red.r", "red", "      exists: { kind: award }\n"));
    const auto problems = problems_of(dir.path());
    CHECK(spot_of(problems, "listed names unknown list 'food.black.nope'") == "18:11");
    CHECK(spot_of(problems, "listed names unknown domain 'nowhere'") == "19:11");
    CHECK(spot_of(problems, "selection names unknown domain 'customs'") == "20:11");
    CHECK(count_of(problems, "a black list's listed may not look at red lists") == 2);
    CHECK(spot_of(problems, "a black list's listed may not look at red lists") == "21:11");
    CHECK(spot_of(problems, "test 'on an unknown list' names unknown list 'food.black.ghost'") ==
          "24:9");
    CHECK(problems.size() == 6);
    const auto* unknown = find(problems, "food.black.nope");
    REQUIRE(unknown != nullptr);
    CHECK(unknown->file.ends_with("food.yaml"));
}

TEST_CASE("list loader: a red list may look at red lists") {
    rbl::test::TempDir dir;
    dir.write("food.yaml",
              header("food") +
                  list_yaml("food.red.a", "red", "      listed: { kind: red, domain: food }\n") +
                  list_yaml("food.red.b", "red", "      exists: { kind: award }\n"));
    const RuleSet set = RuleSet::load(dir.path());
    const auto ids = order_of(set);
    CHECK(position(ids, "food.red.b") < position(ids, "food.red.a"));
}

TEST_CASE("list loader: two lists that see each other through listed are a cycle") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black",
                                                      "      listed: { list: tax.black.b }\n"));
    dir.write("tax.yaml",
              header("tax") + list_yaml("tax.black.b", "black", "      exists: { kind: x }\n",
                                        "    lift:\n"
                                        "      listed: { kind: black, domain: food }\n"));
    const auto problems = problems_of(dir.path());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("a cycle") != std::string::npos);
    CHECK(problems[0].message.find("food.black.a") != std::string::npos);
    CHECK(problems[0].message.find("tax.black.b") != std::string::npos);
    // The cycle is reported at the list where it was found.
    CHECK(problems[0].line > 0);
    CHECK((problems[0].file.ends_with("food.yaml") || problems[0].file.ends_with("tax.yaml")));
}

TEST_CASE("list loader: a list seeing itself is no cycle") {
    rbl::test::TempDir dir;
    dir.write("food.yaml", header("food") + list_yaml("food.black.a", "black",
                                                      "      not: { listed: { kind: black } }\n"));
    const RuleSet set = RuleSet::load(dir.path());
    CHECK(set.lists().size() == 1);
}

TEST_CASE("list loader: evaluation order follows listed") {
    rbl::test::TempDir dir;
    // Ids are chosen so that plain id order would be wrong.
    dir.write("aaa.yaml",
              header("aaa") +
                  list_yaml("aaa.red.first", "red",
                            "      all:\n        - not: { listed: { kind: black } }\n"
                            "        - exists: { kind: award }\n") +
                  list_yaml("aaa.black.a", "black", "      listed: { list: zzz.black.z }\n"));
    dir.write("zzz.yaml", header("zzz") +
                              list_yaml("zzz.black.z", "black", "      exists: { kind: x }\n") +
                              list_yaml("zzz.black.y", "black", "      exists: { kind: x }\n") +
                              list_yaml("zzz.red.plain", "red", "      exists: { kind: award }\n"));
    const RuleSet set = RuleSet::load(dir.path());
    const auto ids = order_of(set);
    REQUIRE(ids.size() == 5);
    // A black list that sees another black list comes after it.
    CHECK(position(ids, "zzz.black.z") < position(ids, "aaa.black.a"));
    // A red list that sees black lists comes after every black list.
    for (const char* black : {"aaa.black.a", "zzz.black.z", "zzz.black.y"}) {
        CHECK_MESSAGE(position(ids, black) < position(ids, "aaa.red.first"), black);
        CHECK_MESSAGE(position(ids, black) < position(ids, "zzz.red.plain"), black);
    }
    // RuleSet::list finds every list by id.
    CHECK(set.list("zzz.red.plain") != nullptr);
    CHECK(set.list("zzz.red.none") == nullptr);
}

TEST_CASE("list loader: the rule set's hash changes with any file's text") {
    rbl::test::TempDir dir;
    const std::string food =
        header("food") + list_yaml("food.black.a", "black", "      exists: { kind: penalty }\n");
    dir.write("food.yaml", food);
    dir.write("tax.yaml", header("tax") + "  []\n");
    dir.write("calendar.yaml", "weekend: [sat, sun]\n");
    const std::string first = RuleSet::load(dir.path()).sha256();
    CHECK(first.size() == 64);
    CHECK(RuleSet::load(dir.path()).sha256() == first);
    // The calendar is not part of the rule set.
    dir.write("calendar.yaml", "weekend: [sun]\n");
    CHECK(RuleSet::load(dir.path()).sha256() == first);
    // A comment is a change of text.
    dir.write("food.yaml", food + "# reviewed\n");
    const std::string second = RuleSet::load(dir.path()).sha256();
    CHECK(second != first);
    dir.write("tax.yaml", header("tax") + "  [ ]\n");
    CHECK(RuleSet::load(dir.path()).sha256() != second);
    dir.write("tax.yaml", header("tax") + "  []\n");
    CHECK(RuleSet::load(dir.path()).sha256() == second);
}
