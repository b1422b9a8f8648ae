#include <doctest/doctest.h>

#include <string_view>

#include "rbl/model/entry_terms.hpp"
#include "rbl/util/error.hpp"

namespace model = rbl::model;
using rbl::FailedError;

namespace {

constexpr std::string_view k_terms =
    R"({"validity":"1y","notice_days":5,"publicity_days":3,"appeal_days":5,)"
    R"("repair_allowed":true,"repair_after":"6m","measures":[]})";

}  // namespace

TEST_CASE("entry terms: stored terms are read, a damaged one is a failure") {
    const auto terms = model::EntryTerms::parse(k_terms, 1);
    CHECK(terms.validity.text() == "1y");
    CHECK(terms.notice_days == 5);
    CHECK(terms.publicity_days == 3);
    CHECK(terms.appeal_days == 5);
    CHECK(terms.repair_allowed);
    REQUIRE(terms.repair_after);
    CHECK(terms.repair_after->text() == "6m");
    CHECK_THROWS_AS(model::EntryTerms::parse("{}", 1), FailedError);
    CHECK_THROWS_AS(model::EntryTerms::parse("not json", 1), FailedError);
    CHECK_THROWS_AS(model::EntryTerms::parse(R"({"validity":"forever"})", 1), FailedError);
}

TEST_CASE("entry terms: written and read back the same, measures included") {
    model::EntryTerms terms;
    terms.validity = *rbl::util::parse_duration("3y");
    terms.notice_days = 5;
    terms.appeal_days = 10;
    terms.repair_allowed = false;
    terms.measures.push_back({"restrict_procurement", "限制参与政府采购活动", {"省财政厅", "省发展改革委"}});
    const std::string json = terms.to_json();
    // The stored form keeps its keys sorted (what entries written before this type hold).
    CHECK(json.starts_with(R"({"appeal_days":10,"measures":[{"departments":["省财政厅","省发展改革委"],)"));
    const auto back = model::EntryTerms::parse(json, 7);
    CHECK(back.to_json() == json);
    CHECK_FALSE(back.repair_after.has_value());
    REQUIRE(back.measure("restrict_procurement") != nullptr);
    CHECK(back.measure("restrict_procurement")->applies_to("省财政厅"));
    CHECK_FALSE(back.measure("restrict_procurement")->applies_to("省财政"));
    CHECK(back.measure("none") == nullptr);
    CHECK_THROWS_AS(model::EntryTerms::parse(R"({"validity":"1y","notice_days":0,"publicity_days":0,)"
                                             R"("appeal_days":5,"repair_allowed":true,"measures":[{}]})",
                                             7),
                    FailedError);
}
