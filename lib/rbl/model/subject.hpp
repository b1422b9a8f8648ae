#pragma once
// Subjects: who may be on a list.

#include <optional>
#include <string>
#include <string_view>

#include "rbl/ids/ids.hpp"

namespace rbl::model {

/// The kinds of subject a list may hold.
enum class SubjectType { legal_person, natural_person, government };

/// "legal_person", "natural_person" or "government".
std::string_view to_string(SubjectType type);
/// A stored subject type in the interface's language, for messages (the English is the name).
std::string subject_type_words(std::string_view type);

/// Parses the names above; nullopt for anything else.
std::optional<SubjectType> parse_subject_type(std::string_view text);

/// The type an identifier implies: resident ID -> natural person, USCC "11..." -> government,
/// other USCC -> legal person.
SubjectType subject_type_of(std::string_view id, ids::IdKind kind);

}  // namespace rbl::model
