// The publicity periods of the 2026 classes at their edges (SPEC.md §11, DOMAIN.md): public from
// the decision date to the decision date + maximum, both included; repair from the decision date
// + minimum; calendar arithmetic on leap days.

#include <doctest/doctest.h>

#include "rbl/model/record_publicity.hpp"

using rbl::model::ClassTerms;
using rbl::model::PublicityClass;
using rbl::model::PublicityTerms;
using rbl::model::RecordPublicity;
using rbl::model::publicity_of;
using rbl::util::Date;
using rbl::util::Duration;

namespace {

Date day(int y, int m, int d) { return Date::from_ymd(y, m, d); }

// The 2026 terms as the shipped rules declare them, read from `severity`.
PublicityTerms terms_2026() {
    PublicityTerms terms;
    terms.kinds = {"penalty"};
    terms.class_attributes = {"severity"};
    terms.class_values = {{"minor", PublicityClass::minor},
                          {"general", PublicityClass::general},
                          {"serious", PublicityClass::serious}};
    terms.default_class = PublicityClass::general;
    terms.classes[PublicityClass::minor] =
        ClassTerms{false, Duration{0, Duration::Unit::days}, Duration{3, Duration::Unit::months},
                   true};
    terms.classes[PublicityClass::general] = ClassTerms{
        true, Duration{3, Duration::Unit::months}, Duration{1, Duration::Unit::years}, true};
    terms.classes[PublicityClass::serious] = ClassTerms{
        true, Duration{1, Duration::Unit::years}, Duration{3, Duration::Unit::years}, true};
    return terms;
}

RecordPublicity of(const std::string& severity, Date decided_on) {
    const auto publicity = publicity_of(terms_2026(), "penalty", {severity}, decided_on);
    REQUIRE(publicity.has_value());
    return *publicity;
}

}  // namespace

TEST_CASE("record publicity: a general record is public from its decision to one year on") {
    const RecordPublicity general = of("general", day(2026, 4, 10));
    CHECK(general.publicity_class == PublicityClass::general);
    CHECK(general.from == day(2026, 4, 10));
    CHECK(general.until == day(2027, 4, 10));
    CHECK(general.repair_from == day(2026, 7, 10));
    CHECK_FALSE(general.is_public_on(day(2026, 4, 9)));
    CHECK(general.is_public_on(day(2026, 4, 10)));
    CHECK(general.is_public_on(day(2027, 4, 10)));
    CHECK_FALSE(general.is_public_on(day(2027, 4, 11)));
}

TEST_CASE("record publicity: a serious record is public for three years, repair after one") {
    const RecordPublicity serious = of("serious", day(2026, 5, 20));
    CHECK(serious.until == day(2029, 5, 20));
    CHECK(serious.repair_from == day(2027, 5, 20));
    CHECK(serious.is_public_on(day(2029, 5, 20)));
    CHECK_FALSE(serious.is_public_on(day(2029, 5, 21)));
}

TEST_CASE("record publicity: leap days") {
    // Decided on a leap day: a year on and three years on is 28 February.
    const RecordPublicity general = of("general", day(2028, 2, 29));
    CHECK(general.until == day(2029, 2, 28));
    CHECK(general.is_public_on(day(2029, 2, 28)));
    CHECK_FALSE(general.is_public_on(day(2029, 3, 1)));
    const RecordPublicity serious = of("serious", day(2028, 2, 29));
    CHECK(serious.until == day(2031, 2, 28));
    CHECK(serious.repair_from == day(2029, 2, 28));
    CHECK_FALSE(serious.is_public_on(day(2031, 3, 1)));
    // Three months from 30 November land on the leap day, or on 28 February in other years.
    CHECK(of("general", day(2027, 11, 30)).repair_from == day(2028, 2, 29));
    CHECK(of("general", day(2026, 11, 30)).repair_from == day(2027, 2, 28));
    // A year from 28 February 2027 is 28 February 2028, not the leap day.
    CHECK(of("general", day(2027, 2, 28)).until == day(2028, 2, 28));
}

TEST_CASE("record publicity: a minor record is never public") {
    const RecordPublicity minor = of("minor", day(2026, 6, 1));
    CHECK(minor.publicity_class == PublicityClass::minor);
    CHECK_FALSE(minor.published);
    CHECK_FALSE(minor.is_public_on(day(2026, 6, 1)));
    CHECK(minor.until == day(2026, 9, 1));
    CHECK(minor.repair_from == day(2026, 6, 1));
}

TEST_CASE("record publicity: the class comes from the first attribute that names one") {
    PublicityTerms terms = terms_2026();
    terms.class_attributes = {"severity", "category"};
    terms.class_values.emplace("吊销许可证", PublicityClass::serious);
    const Date decided = day(2026, 6, 1);
    CHECK(publicity_of(terms, "penalty", {std::nullopt, "吊销许可证"}, decided)->publicity_class ==
          PublicityClass::serious);
    CHECK(publicity_of(terms, "penalty", {"general", "吊销许可证"}, decided)->publicity_class ==
          PublicityClass::general);
    CHECK(publicity_of(terms, "penalty", {"unheard of", "罚款"}, decided)->publicity_class ==
          PublicityClass::general);
    CHECK(publicity_of(terms, "penalty", {}, decided)->publicity_class == PublicityClass::general);
    CHECK_FALSE(publicity_of(terms, "licence", {}, decided).has_value());
}

TEST_CASE("record publicity: a publication ended early is not public from that day") {
    RecordPublicity general = of("general", day(2026, 4, 10));
    general.ended_on = day(2026, 8, 1);
    CHECK(general.is_public_on(day(2026, 7, 31)));
    CHECK_FALSE(general.is_public_on(day(2026, 8, 1)));
}

TEST_CASE("record publicity: class names round-trip") {
    for (PublicityClass value : rbl::model::k_publicity_classes) {
        CHECK(rbl::model::parse_publicity_class(rbl::model::to_string(value)) == value);
    }
    CHECK(rbl::model::chinese_name(PublicityClass::serious) == "严重");
    CHECK_FALSE(rbl::model::parse_publicity_class("grave").has_value());
}
