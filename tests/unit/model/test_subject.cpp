#include <doctest/doctest.h>

#include <optional>

#include "rbl/ids/ids.hpp"
#include "rbl/model/subject.hpp"

using rbl::ids::IdKind;
using rbl::model::parse_subject_type;
using rbl::model::subject_type_of;
using rbl::model::SubjectType;
using rbl::model::to_string;

TEST_CASE("subject: the type an identifier implies") {
    CHECK(subject_type_of("11010519491231002X", IdKind::resident) == SubjectType::natural_person);
    CHECK(subject_type_of("113200000140000796", IdKind::uscc) == SubjectType::government);
    CHECK(subject_type_of("121200004013590816", IdKind::uscc) == SubjectType::legal_person);
    CHECK(subject_type_of("91110000600037341L", IdKind::uscc) == SubjectType::legal_person);
    // A resident ID that happens to start with "11" (Beijing) is still a natural person.
    CHECK(subject_type_of("110105194912310021", IdKind::resident) == SubjectType::natural_person);
}

TEST_CASE("subject: type names round-trip") {
    for (SubjectType type :
         {SubjectType::legal_person, SubjectType::natural_person, SubjectType::government}) {
        CHECK(parse_subject_type(to_string(type)) == type);
    }
    CHECK(to_string(SubjectType::legal_person) == "legal_person");
    CHECK(to_string(SubjectType::natural_person) == "natural_person");
    CHECK(to_string(SubjectType::government) == "government");
}

TEST_CASE("subject: unknown type names are refused") {
    CHECK(parse_subject_type("") == std::nullopt);
    CHECK(parse_subject_type("Government") == std::nullopt);
    CHECK(parse_subject_type("legal person") == std::nullopt);
    CHECK(parse_subject_type(" government") == std::nullopt);
}
