#pragma once
// What filing and deciding appeals of both kinds share (internal to lib/rbl/appeal): the check of
// a required text, ending an entry by an appeal's decision, and an end reason in words.

#include <fmt/format.h>

#include <string_view>

#include "rbl/model/entry.hpp"
#include "rbl/model/entry_state.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::appeal {

/// Throws UsageError when `text`, given for `option`, is empty or blank.
inline void require_text(std::string_view text, std::string_view option) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        throw UsageError(trf("{} may not be empty", option));
    }
}

/// An appeal's decision ends the entry; no objection is open on it any more.
inline void end_by_decision(model::Entry& entry, model::EntryStatus status, util::Date on,
                            model::EndReason reason) {
    model::end_entry(entry, status, on, reason);
    entry.disputed = false;
}

/// An end reason in the words of the interface's language.
inline std::string_view reason_words(model::EndReason reason) {
    return i18n::language() == i18n::Language::zh ? model::words_zh(reason)
                                                  : model::words_en(reason);
}

}  // namespace rbl::appeal
