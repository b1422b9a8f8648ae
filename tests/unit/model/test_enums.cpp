#include <doctest/doctest.h>

#include <set>
#include <string>

#include "rbl/model/change_kind.hpp"
#include "rbl/model/end_reason.hpp"
#include "rbl/model/list_kind.hpp"

namespace model = rbl::model;
using model::EndReason;

TEST_CASE("end reason: every code parses back to its reason, and codes and words are distinct") {
    std::set<std::string> codes;
    std::set<std::string> words;
    std::set<std::string> words_zh;
    for (const EndReason reason : model::k_end_reasons) {
        CHECK(model::parse_end_reason(model::to_string(reason)) == reason);
        codes.emplace(model::to_string(reason));
        words.emplace(model::words_en(reason));
        words_zh.emplace(model::words_zh(reason));
    }
    CHECK(codes.size() == model::k_end_reasons.size());
    CHECK(words.size() == model::k_end_reasons.size());
    CHECK(words_zh.size() == model::k_end_reasons.size());
    CHECK(model::to_string(EndReason::validity_ended) == "validity_ended");
    CHECK(model::words_en(EndReason::objection_upheld) == "an objection was upheld");
    CHECK(model::words_zh(EndReason::credit_repair) == "信用修复完成");
}

TEST_CASE("end reason: the prose earlier versions stored still parses") {
    CHECK(model::parse_end_reason("validity ran out") == EndReason::validity_ended);
    CHECK(model::parse_end_reason("lift criteria hold") == EndReason::lift_criteria_met);
}

TEST_CASE("end reason: other text does not parse") {
    CHECK_FALSE(model::parse_end_reason(""));
    CHECK_FALSE(model::parse_end_reason("expired"));
    CHECK_FALSE(model::parse_end_reason("Validity_Ended"));
    CHECK_FALSE(model::parse_end_reason("the lift criteria hold"));  // words are not codes
    CHECK_FALSE(model::parse_end_reason("validity_ended "));
}

TEST_CASE("list kind: names round-trip, other text does not parse") {
    for (const model::ListKind kind : model::k_list_kinds) {
        CHECK(model::parse_list_kind(model::to_string(kind)) == kind);
    }
    CHECK(model::to_string(model::ListKind::black) == "black");
    CHECK(model::to_string(model::ListKind::red) == "red");
    CHECK_FALSE(model::parse_list_kind("Black"));
    CHECK_FALSE(model::parse_list_kind("grey"));
}

TEST_CASE("change kind: names round-trip as stored and printed, other text does not parse") {
    std::set<std::string> names;
    for (const model::ChangeKind change : model::k_change_kinds) {
        CHECK(model::parse_change_kind(model::to_string(change)) == change);
        names.emplace(model::to_string(change));
    }
    CHECK(names == std::set<std::string>{"created", "advanced", "expired", "withdrawn", "revoked",
                                         "lifted"});
    CHECK_FALSE(model::parse_change_kind("repaired"));  // an appeal's end, not a run's change
    CHECK_FALSE(model::parse_change_kind(""));
}
