#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rbl/rules/expression.hpp"
#include "rbl/util/error.hpp"

using rbl::rules::AttributeType;
using rbl::rules::compile;
using rbl::rules::CompiledExpression;
using rbl::rules::Schema;
using rbl::rules::Value;
using rbl::util::Decimal;

namespace {

// The standard record fields and a few declared attributes, as the rules layer will declare them.
const Schema& record_schema() {
    static const Schema schema{
        {"record_id", AttributeType::text},  {"kind", AttributeType::text},
        {"date", AttributeType::date},       {"amount", AttributeType::number},
        {"authority", AttributeType::text},  {"region", AttributeType::text},
        {"domain", AttributeType::text},     {"severity", AttributeType::text},
        {"score", AttributeType::number},    {"serious", AttributeType::boolean},
        {"flagged", AttributeType::boolean}, {"since", AttributeType::date},
    };
    return schema;
}

Value day(std::string_view iso) { return Value::date(rbl::util::parse_iso_date(iso).value()); }
Value num(std::int64_t mantissa, int scale = 0) { return Value::number(Decimal{mantissa, scale}); }

// One record's field values by slot; every field null until set.
struct Fields {
    std::vector<Value> values = std::vector<Value>(record_schema().size());

    Fields& set(std::string_view name, Value value) {
        const int slot = record_schema().find(name);
        REQUIRE(slot >= 0);
        values[static_cast<std::size_t>(slot)] = value;
        return *this;
    }
};

// A record with every field set (amount 12.50 yuan).
Fields full_record() {
    Fields fields;
    fields.set("record_id", Value::text("R-001"))
        .set("kind", Value::text("penalty"))
        .set("date", day("2025-03-10"))
        .set("amount", num(1250, 2))
        .set("authority", Value::text("江苏省市场监督管理局"))
        .set("region", Value::text("江苏省南京市"))
        .set("domain", Value::text("food_safety"))
        .set("severity", Value::text("serious"))
        .set("score", num(7))
        .set("serious", Value::boolean(true))
        .set("flagged", Value::boolean(false))
        .set("since", day("2024-01-01"));
    return fields;
}

CompiledExpression compiled(std::string_view source) {
    auto expression = compile(source, record_schema());
    if (!expression) {
        FAIL("'" << source << "' does not compile: " << expression.error().text());
    }
    return *expression;
}

bool eval(std::string_view source, const Fields& fields = full_record()) {
    return compiled(source).evaluate(fields.values);
}

// "COLUMN: MESSAGE" of an expression that must not compile.
std::string error_of(std::string_view source) {
    const auto expression = compile(source, record_schema());
    if (expression) {
        FAIL("'" << source << "' compiled although it is invalid");
    }
    return std::to_string(expression.error().column) + ": " + expression.error().message;
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.starts_with(prefix);
}

}  // namespace

TEST_CASE("expression: comparisons of every type") {
    CHECK(eval("kind == 'penalty'"));
    CHECK_FALSE(eval("kind != 'penalty'"));
    CHECK(eval("kind != 'reward'"));
    CHECK(eval("'a' < 'b'"));
    CHECK(eval("'b' >= 'b'"));
    CHECK_FALSE(eval("'b' > 'b'"));
    CHECK(eval("amount == 12.5"));
    CHECK(eval("amount == 12.500"));
    CHECK(eval("amount > 12"));
    CHECK(eval("amount <= 12.5"));
    CHECK(eval("amount < 12.51"));
    CHECK_FALSE(eval("amount >= 12.51"));
    CHECK(eval("score == 7"));
    CHECK(eval("score == 7.0"));
    CHECK(eval("-1 < 0"));
    CHECK(eval("-0 == 0"));
    CHECK(eval("serious"));
    CHECK(eval("serious == true"));
    CHECK(eval("flagged != true"));
    CHECK(eval("flagged == false"));
    CHECK(eval("record_id == 'R-001'"));
    // The same comparisons in shapes the compiler does not fuse into one instruction.
    CHECK(eval("'penalty' == kind"));
    CHECK(eval("(kind) == ('penalty')"));
    CHECK(eval("kind == kind"));
    CHECK(eval("12.5 == amount"));
    CHECK(eval("12 < amount"));
    CHECK_FALSE(eval("12.51 <= amount"));
}

TEST_CASE("expression: dates compare") {
    CHECK(eval("date > date('2025-01-01')"));
    CHECK(eval("date == date('2025-03-10')"));
    CHECK(eval("date <= date('2025-03-10')"));
    CHECK_FALSE(eval("date < date('2025-03-10')"));
    CHECK(eval("since < date"));
    CHECK(eval("date('2024-02-29') < date('2024-03-01')"));
    CHECK(eval("date != since"));
}

TEST_CASE("expression: numbers are exact decimals") {
    CHECK(eval("0.1 + 0.2 == 0.3"));
    CHECK(eval("0.3 - 0.1 == 0.2"));
    CHECK(eval("1.1 * 1.1 == 1.21"));
    CHECK(eval("amount * 100 == 1250"));
    CHECK(eval("amount - 12.5 == 0"));
    CHECK(eval("10 / 4 == 2.5"));
    CHECK(eval("amount / 10000 == 0.00125"));
    // `/` keeps 12 decimals, rounded half away from zero.
    CHECK(eval("1 / 3 == 0.333333333333"));
    CHECK(eval("2 / 3 == 0.666666666667"));
    CHECK(eval("-2 / 3 == -0.666666666667"));
    CHECK(eval("1 / 3 * 3 == 0.999999999999"));
    // A quotient too large for 12 decimals keeps as many as fit.
    CHECK(eval("100000000000000000 / 3 - 33333333333333333 == 0.33"));
    CHECK(eval("200000000000000000 / 3 - 66666666666666666 == 0.67"));
    CHECK(eval("-200000000000000000 / 3 + 66666666666666666 == -0.67"));
    CHECK(eval("1 / 0.000000000000000001 == 100000000000000000 * 10"));
    CHECK(eval("amount / 0.000000000000000001 is null"));  // 1.25 × 10^19 does not fit
    CHECK(eval("1 / 0 is null"));
    CHECK(eval("amount / (score - 7) is null"));
    CHECK_FALSE(eval("amount / 0 == 0"));
    // Past 18 decimals the result is rounded; past 64 bits it is null.
    CHECK(eval("0.000000001 * 0.0000000006 == 0.000000000000000001"));
    CHECK(eval("999999999999999999 + 999999999999999999 > 999999999999999999"));
    CHECK(eval("999999999999999999 * 999999999999999999 is null"));
    CHECK(eval("999999999999999999 * 9 is not null"));
    CHECK(eval("999999999999999999 * 10 is null"));
    CHECK(eval("100000000000000000 / 0.000000000000000001 is null"));
    CHECK(eval("0.000000000000000001 < 0.00000000000000001"));
}

TEST_CASE("expression: precedence and associativity") {
    CHECK(eval("true or false and false"));  // or < and
    CHECK_FALSE(eval("(true or false) and false"));
    CHECK_FALSE(eval("not true or false"));    // (not true) or false
    CHECK_FALSE(eval("not false and false"));  // (not false) and false
    CHECK(eval("not amount > 100"));           // not (amount > 100)
    CHECK(eval("not kind == 'reward' and serious"));
    CHECK(eval("1 + 2 * 3 == 7"));
    CHECK(eval("(1 + 2) * 3 == 9"));
    CHECK(eval("10 - 4 - 3 == 3"));  // left to right
    CHECK(eval("12 / 2 / 3 == 2"));
    CHECK(eval("-2 * 3 == -6"));
    CHECK(eval("-(1 + 2) == -3"));
    CHECK(eval("- -3 == 3"));
    CHECK(eval("2 - -3 == 5"));
    CHECK(eval("-amount == -12.5"));
    CHECK(eval("(amount + 1 > 14) == false"));
}

TEST_CASE("expression: and, or, not over every combination") {
    const std::string source = "serious and flagged or not serious and not flagged";
    const CompiledExpression expression = compiled(source);
    for (const bool serious : {false, true}) {
        for (const bool flagged : {false, true}) {
            Fields fields;
            fields.set("serious", Value::boolean(serious)).set("flagged", Value::boolean(flagged));
            CAPTURE(serious);
            CAPTURE(flagged);
            CHECK(expression.evaluate(fields.values) == (serious == flagged));
        }
    }
    CHECK(eval("true and true and true"));
    CHECK_FALSE(eval("true and true and false"));
    CHECK(eval("false or false or true"));
    CHECK_FALSE(eval("false or false or false"));
    CHECK(eval("(false or true) and (true or false)"));
    CHECK(eval("not (false and true)"));
    CHECK(eval("not not true"));
}

TEST_CASE("expression: in and not in") {
    CHECK(eval("kind in ['penalty', 'warning']"));
    CHECK_FALSE(eval("kind in ['warning', 'reward']"));
    CHECK(eval("kind not in ['warning', 'reward']"));
    CHECK_FALSE(eval("kind not in ['penalty']"));
    CHECK(eval("amount in [1, 12.50, -3]"));
    CHECK(eval("amount * 2 in [25]"));
    CHECK(eval("score not in [7.1, -7]"));
    CHECK(eval("date in [date('2025-03-10'), date('2025-03-11')]"));
    CHECK(eval("serious in [true]"));
    CHECK_FALSE(eval("kind in []"));
    CHECK(eval("kind not in []"));
    CHECK(eval("'b' in ['a', 'b',]"));  // a trailing comma is allowed
    CHECK(eval("region in ['江苏省南京市', '浙江省']"));
    // Long lists are sorted and bisected: check members at both ends and a miss.
    const std::string long_texts =
        "['k', 'j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a', 'penalty', 'z']";
    CHECK(eval("kind in " + long_texts));
    CHECK(eval("'a' in " + long_texts));
    CHECK(eval("'z' in " + long_texts));
    CHECK(eval("'m' not in " + long_texts));
    const std::string long_numbers = "[100, 5, 1.5, -2, 0.001, 12.5000, 99, 3, 4, 8, 1000000]";
    CHECK(eval("amount in " + long_numbers));
    CHECK(eval("-2 in " + long_numbers));
    CHECK(eval("1000000 in " + long_numbers));
    CHECK(eval("0.001 in " + long_numbers));
    CHECK(eval("0.002 not in " + long_numbers));
}

TEST_CASE("expression: startswith and contains on Chinese text") {
    CHECK(eval("region startswith '江苏'"));
    CHECK_FALSE(eval("region startswith '浙江'"));
    CHECK(eval("authority contains '市场监督'"));
    CHECK_FALSE(eval("authority contains '税务'"));
    CHECK(eval("authority contains ''"));
    CHECK(eval("region startswith region"));
    CHECK(eval("'江苏省南京市玄武区' startswith region"));
    Fields quoted;
    quoted.set("kind", Value::text("it's"));
    CHECK(eval("kind == 'it''s'", quoted));
    CHECK(eval("kind startswith 'it'''", quoted));
}

TEST_CASE("expression: null operands make comparisons false and arithmetic null") {
    const Fields nulls;  // every field null
    for (const char* source : {"amount == 1",
                               "amount != 1",
                               "amount < 1",
                               "amount <= 1",
                               "amount > 1",
                               "amount >= 1",
                               "1 == amount",
                               "1 != amount",
                               "region == 'x'",
                               "region != 'x'",
                               "region < 'x'",
                               "date == date('2025-01-01')",
                               "date != date('2025-01-01')",
                               "date < date('2025-01-01')",
                               "date >= since",
                               "serious == true",
                               "serious == false",
                               "serious != true",
                               "region in ['x']",
                               "region not in ['x']",
                               "amount in [1, 2]",
                               "amount not in [1, 2]",
                               "region startswith 'x'",
                               "'abc' startswith region",
                               "region contains ''",
                               "'abc' contains region",
                               "amount + 1 == 1",
                               "amount + 1 != 1",
                               "amount is not null",
                               "region is not null",
                               "serious",
                               "serious and true",
                               "true and serious",
                               "serious or false",
                               "false or serious",
                               "(serious or false) == false" /* a plain false */}) {
        CAPTURE(source);
        if (std::string_view(source) == "(serious or false) == false") {
            CHECK(eval(source, nulls));
        } else {
            CHECK_FALSE(eval(source, nulls));
        }
    }
    for (const char* source :
         {"amount is null", "amount + 1 is null", "1 - amount is null", "amount * 2 is null",
          "amount / 2 is null", "2 / amount is null", "-amount is null", "region is null",
          "date is null", "serious is null", "not serious", "not (amount == 1)",
          "not (amount != 1)", "not (region in ['x'])", "not (region not in ['x'])",
          "not (region startswith 'x')", "not (serious and true)", "(serious and true) == false",
          "not (amount + 1 > 0)"}) {
        CAPTURE(source);
        CHECK(eval(source, nulls));
    }
    // A null field next to set ones.
    Fields fields = full_record();
    fields.set("score", Value{});
    CHECK(eval("score is null and amount is not null", fields));
    CHECK_FALSE(eval("score != 7", fields));
    CHECK(eval("not (score == 7)", fields));
}

TEST_CASE("expression: compile errors carry a 1-based column") {
    CHECK(starts_with(error_of("severty == 'serious'"),
                      "1: unknown field 'severty' (known: record_id, kind, date, amount,"));
    CHECK(error_of("kind == 'a' and severty == 'x'").starts_with("17: unknown field 'severty'"));
    CHECK(error_of("severity == 1") == "10: cannot compare text with a number");
    CHECK(error_of("1 < kind") == "3: cannot compare a number with text");
    CHECK(error_of("date == '2024-01-01'") ==
          "6: cannot compare a date with text (write a date as date('YYYY-MM-DD'))");
    CHECK(error_of("amount == date") == "8: cannot compare a number with a date");
    CHECK(error_of("serious == 1") == "9: cannot compare true/false with a number");
    CHECK(error_of("serious < true") == "9: '<' cannot order true/false values");
    CHECK(error_of("amount == null") ==
          "8: write 'is null' to test for null ('== null' is never true)");
    CHECK(error_of("amount != null") ==
          "8: write 'is not null' to test for a value ('!= null' is never true)");
    CHECK(error_of("amount > null") == "8: '>' cannot compare with null");
    CHECK(error_of("null == amount") == "1: null is only tested with 'is null' or 'is not null'");
    CHECK(error_of("amount and true") ==
          "8: 'and' needs true/false on both sides, but its left side is a number");
    CHECK(error_of("true or kind") ==
          "6: 'or' needs true/false on both sides, but its right side is text");
    CHECK(error_of("not amount") == "1: 'not' needs true/false, but its operand is a number");
    CHECK(error_of("severity + 1 == 2") ==
          "10: '+' needs numbers on both sides, but its left side is text");
    CHECK(error_of("amount * date > 1") ==
          "8: '*' needs numbers on both sides, but its right side is a date");
    CHECK(error_of("-kind == 'a'") == "1: '-' needs a number, but its operand is text");
    CHECK(error_of("date + 1 > date") ==
          "6: '+' needs numbers on both sides, but its left side is a date");
    CHECK(error_of("amount startswith '1'") ==
          "8: 'startswith' needs text on both sides, but its left side is a number");
    CHECK(error_of("kind contains 1") ==
          "6: 'contains' needs text on both sides, but its right side is a number");
    CHECK(error_of("amount in ['a', 'b']") == "11: 'in' compares a number with a list of text");
    CHECK(error_of("kind not in [1, 2]") == "13: 'not in' compares text with a list of numbers");
    CHECK(error_of("kind in ['a', 1]") ==
          "15: a list holds one type: this item is a number, the first is text");
    CHECK(error_of("kind in region") ==
          "9: 'in' needs a list in brackets, e.g. ['a', 'b'], but found 'region'");
    CHECK(error_of("kind in ['a', region]").starts_with("15: a list holds only literals"));
    CHECK(error_of("kind in ['a'") == "9: '[' is never closed");
    CHECK(error_of("['a'] == kind") == "1: a list can only follow 'in' or 'not in'");
    CHECK(error_of("kind == 'a' region") == "13: unexpected 'region' after a complete expression");
    CHECK(error_of("(kind == 'a'") == "1: '(' is never closed");
    CHECK(error_of("((kind == 'a')") == "1: '(' is never closed");
    CHECK(error_of("kind == 'a')") == "12: unbalanced ')': there is no '(' to close");
    CHECK(error_of("(kind == 'a' serious)") == "14: expected ')' but found 'serious'");
    CHECK(error_of("kind == 'abc") ==
          "9: unterminated text: the quote opened here is never closed");
    CHECK(error_of("kind == 'it''s") ==
          "9: unterminated text: the quote opened here is never closed");
    CHECK(error_of("") == "1: empty expression");
    CHECK(error_of("   ") == "1: empty expression");
    CHECK(error_of("amount + 1") == "1: the expression must be true or false, but it is a number");
    CHECK(error_of("kind") == "1: the expression must be true or false, but it is text");
    CHECK(error_of("kind ==") == "8: the expression ends where a value is expected");
    CHECK(error_of("kind == )") == "9: expected a value before ')'");
    CHECK(error_of("kind == and") == "9: expected a value but found 'and'");
    CHECK(error_of("amount == 1 == true") ==
          "13: comparisons do not chain: join them with 'and' (at '==')");
    CHECK(error_of("kind = 'a'") == "6: write '==' to compare ('=' alone means nothing)");
    CHECK(error_of("kind == \"a\"") == "9: text is written in single quotes: 'like this'");
    CHECK(error_of("kind == 'a' && serious") == "13: write 'and' instead of '&'");
    CHECK(error_of("!serious") == "1: write 'not' instead of '!'");
    CHECK(error_of("amount > 1.") == "10: '1.' is not a number (digits must follow '.')");
    CHECK(error_of("date > 3y") == "8: '3y' is not a number");
    CHECK(error_of("amount > 1234567890123456789") ==
          "10: '1234567890123456789' has more than 18 significant digits");
    CHECK(error_of("date == date('2023-02-29')").starts_with("14: "));
    CHECK(error_of("date == date(2023)") ==
          "14: date(...) needs a text 'YYYY-MM-DD' but found '2023'");
    CHECK(error_of("date == date('2023-02-28'") == "13: '(' is never closed");
    CHECK(error_of("kind is 'a'") == "9: expected 'null' after 'is' but found ''a''");
    CHECK(error_of("kind not 'a'") == "6: unexpected 'not' after a complete expression");
    CHECK(error_of("kind == 'a' ＆ serious") == "13: unexpected character '＆'");
}

TEST_CASE("expression: columns count characters, offsets count bytes") {
    const auto expression = compile("region == '江苏' and amount == 'x'", record_schema());
    REQUIRE_FALSE(expression);
    CHECK(expression.error().column == 27);
    CHECK(expression.error().offset == 30);
    CHECK(expression.error().text() == "column 27: cannot compare a number with text");
}

TEST_CASE("expression: nesting is limited instead of overflowing the stack") {
    const int levels = 10000;
    const std::string deep_parens = std::string(levels, '(') + "true" + std::string(levels, ')');
    CHECK(error_of(deep_parens) == "201: expression nests too deeply (more than 200 levels)");
    std::string deep_not;
    for (int i = 0; i < levels; ++i) {
        deep_not += "not ";
    }
    CHECK(error_of(deep_not + "true").starts_with("801: expression nests too deeply"));
    CHECK(error_of(std::string(levels, '-') + "1 == 1").starts_with("201: expression nests"));
    CHECK(error_of(std::string(levels, '[')).starts_with("1: a list can only follow"));
    CHECK(error_of(std::string(levels, '(')).starts_with("201: expression nests too deeply"));
    // Operands waiting at every level exhaust the value stack before the nesting limit.
    std::string pending;
    for (int i = 0; i < 150; ++i) {
        pending += "1 == 1 + 1 * (";
    }
    CHECK(error_of(pending + "1" + std::string(150, ')')).ends_with("expression nests too deeply"));

    // 200 levels are fine.
    const std::string ok = std::string(200, '(') + "amount > 1" + std::string(200, ')');
    CHECK(eval(ok));
    // Long chains do not nest: 10,000 terms compile and run on a shallow stack.
    std::string chain = "kind == 'x0'";
    for (int i = 1; i < levels; ++i) {
        chain += " or kind == 'x" + std::to_string(i) + "'";
    }
    CHECK_FALSE(eval(chain));
    CHECK(eval(chain + " or kind == 'penalty'"));
    std::string sum = "amount";
    for (int i = 0; i < levels; ++i) {
        sum += " + 1";
    }
    CHECK(eval(sum + " == 10012.5"));
}

TEST_CASE("expression: fields used, text, and copies that outlive the original") {
    const CompiledExpression expression =
        compiled("severity == 'serious' and amount > 10 or kind in ['a', 'b'] and amount < 1");
    CHECK(expression.fields_used() == std::vector<int>{1, 3, 7});
    CHECK(expression.fields_needed() == 8);
    CHECK(expression.text() ==
          "severity == 'serious' and amount > 10 or kind in ['a', 'b'] and amount < 1");
    CHECK(compiled("true").fields_used().empty());
    CHECK(compiled("true").fields_needed() == 0);

    // Text constants live with the program, not the source or the first copy.
    std::vector<CompiledExpression> copies;
    {
        std::string source = "kind == 'penalty' and region startswith '江苏'";
        copies.push_back(compiled(source));
        source.assign(source.size(), 'x');
    }
    for (int i = 0; i < 20; ++i) {
        copies.push_back(copies.back());
    }
    CHECK(copies.back().evaluate(full_record().values));

    // Only the slots up to the highest one used need values.
    const std::vector<Value> short_row{Value{}, Value::text("penalty")};
    CHECK(compiled("kind == 'penalty'").evaluate(short_row));
}

TEST_CASE("expression: evaluating over the wrong fields is an internal error") {
    const CompiledExpression expression = compiled("amount > 1");
    Fields fields;
    fields.set("amount", Value::text("12"));
    CHECK_THROWS_AS((void)expression.evaluate(fields.values), rbl::FailedError);
    CHECK_THROWS_AS((void)compiled("amount + 1 > 1").evaluate(fields.values), rbl::FailedError);
    CHECK_THROWS_AS((void)compiled("amount in [1]").evaluate(fields.values), rbl::FailedError);
    const std::vector<Value> too_few(2);
    CHECK_THROWS_AS((void)expression.evaluate(too_few), rbl::FailedError);
}

TEST_CASE("expression: schema and reserved words") {
    Schema schema;
    CHECK(schema.add("subject_type", AttributeType::text).value() == 0);
    CHECK(schema.add("subject_id", AttributeType::text).value() == 1);
    CHECK(schema.add("region", AttributeType::text).value() == 2);
    CHECK(schema.add("region", AttributeType::number).error() == "'region' is already a field");
    CHECK(schema.find("subject_id") == 1);
    CHECK(schema.find("kind") == -1);
    const auto subject =
        compile("subject_type == 'legal_person' and region startswith '江苏'", schema);
    REQUIRE(subject);
    const std::vector<Value> values{Value::text("legal_person"), Value::text("913200001234567890"),
                                    Value::text("江苏省苏州市")};
    CHECK(subject->evaluate(values));
    CHECK(compile("kind == 'penalty'", schema).error().message ==
          "unknown field 'kind' (known: subject_type, subject_id, region)");
    CHECK(compile("x == 1", Schema{}).error().message == "unknown field 'x' (known: none)");
    CHECK(rbl::rules::is_reserved_word("startswith"));
    CHECK(rbl::rules::is_reserved_word("null"));
    CHECK_FALSE(rbl::rules::is_reserved_word("date"));
    CHECK_FALSE(rbl::rules::is_reserved_word("severity"));
    CHECK(sizeof(Value) <= 24);
}

TEST_CASE("expression: top-level parts joined by and, for explanations") {
    using Parts = std::vector<std::string>;
    using rbl::rules::top_level_conjuncts;
    CHECK(top_level_conjuncts("score >= 3 and serious == true and amount >= score * 10") ==
          Parts{"score >= 3", "serious == true", "amount >= score * 10"});
    // Parentheses, brackets and text keep their `and`s; a top-level `or` keeps the whole.
    CHECK(top_level_conjuncts("(score >= 3 and serious) and severity in ['a and b']") ==
          Parts{"(score >= 3 and serious)", "severity in ['a and b']"});
    CHECK(top_level_conjuncts("score >= 3 and serious or flagged") ==
          Parts{"score >= 3 and serious or flagged"});
    CHECK(top_level_conjuncts("  score >= 3 ") == Parts{"score >= 3"});
    // Every part compiles on its own over the same fields.
    for (const std::string& part : top_level_conjuncts("not serious and since < date('2025-01-01')")) {
        CHECK(compile(part, record_schema()).has_value());
    }
}

TEST_CASE("expression: a comparison of a field with a constant is told apart") {
    const auto comparison = compiled("(score >= 3)").comparison();
    REQUIRE(comparison.has_value());
    CHECK(comparison->slot == record_schema().find("score"));
    CHECK(comparison->op == ">=");
    CHECK(rbl::util::compare(comparison->constant.as_number(), Decimal{3, 0}) == 0);
    CHECK(compiled("severity != 'minor'").comparison()->op == "!=");
    CHECK(compiled("severity != 'minor'").comparison()->constant.as_text() == "minor");
    CHECK_FALSE(compiled("amount >= score * 10").comparison().has_value());
    CHECK_FALSE(compiled("score >= 3 and serious").comparison().has_value());
    CHECK_FALSE(compiled("serious").comparison().has_value());
}
