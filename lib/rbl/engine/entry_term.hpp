#pragma once
// An entry's term when it is created (SPEC.md §4, docs/RULES.md `term:`): its expires_on from its
// list's `validity:` or `term:` and the records of its evidence.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rbl/engine/criteria.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/model/explanation.hpp"
#include "rbl/rules/list_rule.hpp"
#include "rbl/util/date.hpp"

namespace rbl::engine {

/// What a list's term gives a new entry.
struct EntryTerm {
    std::optional<util::Date> expires_on;  ///< none: open-ended
    std::string explanation;               ///< one line, e.g. "term: 2y from 2026-01-10 (T1) ..."
    std::optional<model::Clause> clause;   ///< the same line as data (none: a fixed term)
    std::vector<std::string> warnings;     ///< an extension that could not be read
};

/// The term of a new entry of `list` in force from `effective_from`, decided as of `as_of`, whose
/// evidence is `evidence` (indexes into `records`). Each evidence record gives an end: its
/// anchor (its own date for `from: evidence`, else `effective_from`) plus the length plus its
/// `add:` extension; the entry expires on the latest end (the subject stays listed while any
/// decision's term runs), or has none when the length is open or `open_when` holds for one
/// record. Without evidence the anchor is `effective_from`.
EntryTerm entry_term(const rules::ListRule& list, std::span<const SubjectRecord> records,
                     std::span<const std::size_t> evidence, util::Date effective_from,
                     util::Date as_of, CriteriaEvaluator& evaluator);

/// The deciding department of a new entry of `list` whose evidence is `evidence`: with
/// `authority_from: evidence`, the `authority` of the latest-dated evidence record that names
/// one (the last of them in `evidence` on a tie); else, or when none names one, the list's.
std::string entry_authority(const rules::ListRule& list, std::span<const SubjectRecord> records,
                            std::span<const std::size_t> evidence);

/// A `term:` as kept with an entry: "from evidence, 2y, add extension (default 0d), open when
/// ..."; empty for a fixed `validity:`.
std::string term_text(const rules::TermRule& term);

/// What a new entry of `list` keeps of its rule (model::EntryTerms): its terms, procedure,
/// repair terms and measures.
model::EntryTerms entry_terms_of(const rules::ListRule& list);

}  // namespace rbl::engine
