#include "rbl/model/subject.hpp"

#include "rbl/util/i18n.hpp"

namespace rbl::model {

std::string_view to_string(SubjectType type) {
    switch (type) {
        case SubjectType::legal_person:
            return tr_later("legal_person");
        case SubjectType::natural_person:
            return tr_later("natural_person");
        case SubjectType::government:
            return tr_later("government");
    }
    return "legal_person";
}

std::optional<SubjectType> parse_subject_type(std::string_view text) {
    for (SubjectType type :
         {SubjectType::legal_person, SubjectType::natural_person, SubjectType::government}) {
        if (text == to_string(type)) {
            return type;
        }
    }
    return std::nullopt;
}

std::string subject_type_words(std::string_view type) {
    const auto parsed = parse_subject_type(type);
    return parsed ? std::string(tr(to_string(*parsed).data())) : std::string(type);
}

SubjectType subject_type_of(std::string_view id, ids::IdKind kind) {
    if (kind == ids::IdKind::resident) {
        return SubjectType::natural_person;
    }
    return ids::is_government_organ(id) ? SubjectType::government : SubjectType::legal_person;
}

}  // namespace rbl::model
