#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "rbl/util/json_line.hpp"

using rbl::util::JsonField;
using rbl::util::JsonScalar;
using rbl::util::parse_json_line;

namespace {

/// The value of field `name`, or "<missing>".
std::string text_of(const std::vector<JsonField>& fields, const std::string& name) {
    for (const auto& field : fields) {
        if (field.name == name) {
            return field.value.text;
        }
    }
    return "<missing>";
}

}  // namespace

TEST_CASE("json_line: scalars in order, numbers as their source text") {
    const auto fields = parse_json_line(
        R"({"record_id":"A-1","amount":12.30,"big":1e3,"n":42,"neg":-7,"z":-0,"huge":123456789012345678901234,"ok":true,"no":false,"none":null,"名称":"张三 \"q\""})");
    REQUIRE(fields.has_value());
    REQUIRE(fields->size() == 11);
    CHECK((*fields)[0].name == "record_id");
    CHECK((*fields)[0].value.type == JsonScalar::Type::string);
    CHECK((*fields)[0].value.text == "A-1");
    CHECK((*fields)[1].value.type == JsonScalar::Type::number);
    CHECK(text_of(*fields, "amount") == "12.30");
    CHECK(text_of(*fields, "big") == "1e3");
    CHECK(text_of(*fields, "n") == "42");
    CHECK(text_of(*fields, "neg") == "-7");
    CHECK(text_of(*fields, "z") == "-0");
    CHECK(text_of(*fields, "huge") == "123456789012345678901234");
    CHECK(text_of(*fields, "ok") == "true");
    CHECK((*fields)[7].value.type == JsonScalar::Type::boolean);
    CHECK(text_of(*fields, "no") == "false");
    CHECK((*fields)[9].value.type == JsonScalar::Type::null);
    CHECK(text_of(*fields, "none").empty());
    CHECK(text_of(*fields, "名称") == "张三 \"q\"");
}

TEST_CASE("json_line: the nested object's members are fields too") {
    const auto fields =
        parse_json_line(R"( {"record_id":"1","attrs":{"severity":"high","days":30},"x":1} )");
    REQUIRE(fields.has_value());
    REQUIRE(fields->size() == 4);
    CHECK(text_of(*fields, "severity") == "high");
    CHECK(text_of(*fields, "days") == "30");
    CHECK(text_of(*fields, "x") == "1");
    CHECK(text_of(*fields, "attrs") == "<missing>");

    CHECK(parse_json_line(R"({"a":1,"attrs":{}})").value().size() == 1);
    CHECK(parse_json_line(R"({"a":1,"attrs":null})").value().size() == 1);
    CHECK(parse_json_line("{}").value().empty());

    const auto other = parse_json_line(R"({"extra":{"k":1}})", "extra");
    REQUIRE(other.has_value());
    CHECK(text_of(*other, "k") == "1");
}

TEST_CASE("json_line: nesting other than the one object is refused") {
    CHECK(parse_json_line(R"({"a":1,"list":[1,2]})").error() ==
          "field 'list' at column 15 is an array; only scalars are allowed");
    CHECK(parse_json_line(R"({"obj":{"k":1}})").error() ==
          "field 'obj' at column 8 is an object; only scalars are allowed");
    CHECK(parse_json_line(R"({"attrs":{"deep":{"k":1}}})").error() ==
          "field 'attrs.deep' at column 18 is an object; only scalars are allowed");
    CHECK(parse_json_line(R"({"attrs":{"l":[]}})").error() ==
          "field 'attrs.l' at column 15 is an array; only scalars are allowed");
    CHECK(parse_json_line(R"({"attrs":"x"})").error() ==
          "field 'attrs' at column 2 must be an object of scalars");
}

TEST_CASE("json_line: duplicate names, also between the top level and attrs") {
    CHECK(parse_json_line(R"({"record_id":"1","record_id":"2"})").error() ==
          "duplicate field 'record_id' at column 18");
    CHECK(parse_json_line(R"({"kind":"x","attrs":{"kind":"y"}})").error() ==
          "duplicate field 'kind' at column 22");
    CHECK(parse_json_line(R"({"attrs":{},"attrs":{}})").error() ==
          "duplicate field 'attrs' at column 13");
    // A key holding an escaped quote still gets the column of its opening quote.
    CHECK(parse_json_line(R"({"a\"b":1, "a\"b":2})").error() ==
          "duplicate field 'a\"b' at column 12");
}

TEST_CASE("json_line: not an object, or not JSON") {
    CHECK(parse_json_line("[1,2]").error() == "the line is a JSON array, not an object");
    CHECK(parse_json_line("42").error() == "the line is not a JSON object");
    CHECK(parse_json_line(R"("text")").error() == "the line is not a JSON object");

    CHECK(parse_json_line(R"({"a":1,"b":tru})").error() ==
          "invalid JSON at column 15: syntax error while parsing value - invalid literal");
    CHECK(parse_json_line(R"({"a" 1})").error() ==
          "invalid JSON at column 6: syntax error while parsing object separator - unexpected "
          "number literal; expected ':'");

    const auto trailing = parse_json_line(R"({"a":1} x)");
    REQUIRE_FALSE(trailing.has_value());
    CHECK(trailing.error().starts_with("invalid JSON at column 9: "));

    const auto empty = parse_json_line("");
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().starts_with("invalid JSON at column 1: "));

    const auto cut = parse_json_line(R"({"a":1,)");
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().starts_with("invalid JSON"));

    const auto bad_utf8 = parse_json_line("{\"a\":\"\xFF\"}");
    REQUIRE_FALSE(bad_utf8.has_value());
    CHECK(bad_utf8.error() ==  // without the bad byte itself
          "invalid JSON at column 7: syntax error while parsing value - invalid string: "
          "ill-formed UTF-8 byte");
}

// Bad-input catalogue: duplicate names were found by comparing each name with every earlier one,
// so a line of 100,000 names took 30 s and a 64 MiB line hours.
TEST_CASE("json_line: a line of 200,000 names parses in linear time, duplicates still found") {
    std::string line = "{";
    for (int i = 0; i < 200000; ++i) {
        line += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    }
    const std::string unique_line = line + "\"last\":1}";
    const auto started = std::chrono::steady_clock::now();
    const auto fields = rbl::util::parse_json_line(unique_line);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    REQUIRE(fields.has_value());
    CHECK(fields->size() == 200001);
    const auto duplicate = rbl::util::parse_json_line(line + "\"k199999\":1}");
    REQUIRE_FALSE(duplicate.has_value());
    CHECK(duplicate.error().find("duplicate field 'k199999'") != std::string::npos);
}
