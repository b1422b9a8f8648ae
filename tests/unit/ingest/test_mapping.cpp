#include <doctest/doctest.h>

#include "../temp_dir.hpp"
#include "rbl/ingest/mapping.hpp"
#include "rbl/rules/diagnostics.hpp"

using rbl::ingest::load_mapping;

TEST_CASE("mapping: columns, scale and constants") {
    rbl::test::TempDir dir;
    const auto file = dir.write("m.yaml",
                                "columns:\n  统一社会信用代码: subject_id\n  罚款金额（万元）: amount\n"
                                "scale:\n  amount: 10000\nconstants:\n  domain: market\n");
    const auto mapping = load_mapping(file);
    CHECK(mapping.target("统一社会信用代码") == "subject_id");
    CHECK(mapping.target("other") == "other");
    CHECK(mapping.factor("amount").mantissa == 10000);
    CHECK(mapping.factor("workers").mantissa == 1);
    REQUIRE(mapping.constants.size() == 1);
    CHECK(mapping.constants[0].second == "market");
}

TEST_CASE("mapping: problems name line and column") {
    rbl::test::TempDir dir;
    const auto file = dir.write("m.yaml",
                                "columns:\n  a: subject_id\n  b: subject_id\n"
                                "scale:\n  amount: -3\nconstants:\n  subject_id: x\nextra: 1\n");
    try {
        load_mapping(file);
        FAIL("an invalid mapping loaded");
    } catch (const rbl::rules::InvalidConfig& e) {
        const auto& problems = e.diagnostics();
        REQUIRE(problems.size() == 4);
        CHECK(problems[0].line == 8);  // unknown key 'extra' is found first, at the top level
        CHECK(problems[1].line == 3);  // b maps to subject_id again
        CHECK(problems[1].column == 6);
        CHECK(problems[2].line == 5);  // negative scale
        CHECK(problems[3].line == 7);  // constant for a mapped column
    }
}
