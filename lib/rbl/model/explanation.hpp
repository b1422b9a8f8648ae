#pragma once
// An entry's explanation as data (SPEC.md §13; issue 20): one clause per criterion evaluated
// (the figure, the threshold, the window, the records) and one for the entry's term, written
// out in English or Chinese. The English is the text rbl has always stored and published in
// `entries.explanation`; the data (`entries.explanation_data`, JSON) is what the Chinese, and
// any other reading, is made from.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/util/i18n.hpp"

namespace rbl::model {

/// The records a criterion selected, as its clause names them.
struct SelectionWords {
    std::size_t count = 0;            ///< how many records were selected
    std::vector<std::string> kinds;   ///< empty: any kind
    bool any_domain = false;          ///< `domain: any`
    std::vector<std::string> domains; ///< named only when not just the list's own domain
    std::string within;               ///< the window as written ("1y"); empty: none
    std::string where;                ///< the condition as written; empty: none
};

/// One line of an explanation.
struct Clause {
    enum class Kind {
        all,       ///< all of its children (the clauses after it, one level deeper)
        any,       ///< any of them
        negation,  ///< not its child
        count,     ///< a number of selected records (`exists` is a count of at least 1)
        sum,       ///< the sum of a field over the selected records
        subject,   ///< a test of the subject (type, region, age)
        listed,    ///< the subject has a pending or effective entry on a list
        linked,    ///< findings answered by records sharing an attribute (a lift)
        term,      ///< the entry's term, after the criteria
        text,      ///< a line kept as it was written (converted from text it does not parse)
    };
    /// How the term was counted (Kind::term).
    enum class Term {
        open,       ///< no fixed term
        open_when,  ///< no fixed term: `record` meets `expression`
        counted,    ///< `length` from an anchor: expires on `expires`
    };

    Kind kind = Kind::text;
    int depth = 0;
    bool holds = false;
    SelectionWords selection;                ///< count, sum, linked
    std::optional<std::string> at_least;     ///< count, sum: the bounds as written
    std::optional<std::string> at_most;
    std::string field;                       ///< sum: the field summed
    std::string total;                       ///< sum: its total
    std::vector<std::string> records;        ///< count, sum, linked: the evidence, sorted
    std::string expression;                  ///< subject; term open_when
    bool shows_age = false;                  ///< subject: the person's age is shown...
    std::optional<std::int64_t> age;         ///< ... when known
    std::string listed_list;                 ///< listed: a list id, or
    std::string listed_kind;                 ///< ... a kind ("black", "red")
    std::string listed_domain;               ///< ... of a domain ("any": any domain)
    std::size_t findings = 0;                ///< linked: the findings to answer
    std::string link_attribute;              ///< linked: the attribute they share
    std::vector<std::string> unanswered;     ///< linked: the findings left unanswered, sorted
    Term term = Term::open;                  ///< term
    std::string length;                      ///< term counted: the length as written ("2y")
    bool from_evidence = false;              ///< term counted: anchored on a record's date
    std::string record;                      ///< term: the record it is counted from, or meets
    std::string record_date;                 ///< term counted from evidence: that record's date
    std::string add_attribute;               ///< term counted: the extension's attribute...
    std::string extension;                   ///< ... and its length ("1y"); empty: none
    std::string expires;                     ///< term counted: the day it expires
    std::string text;                        ///< text: the line as written
};

/// The clause in `language`: "  [yes] 2 penalty records within 1y (needs ≥ 3): A, B" in English
/// (byte for byte the text rbl stores as the explanation), "  [是] 1 年内 penalty 记录 2 条（须 ≥ 3）：
/// A、B" in Chinese.
std::string words(const Clause& clause, i18n::Language language);
/// Every clause in `language`, one line each, each ended by a newline (the stored form).
std::string words(const std::vector<Clause>& clauses, i18n::Language language);

/// What a count, sum or linked clause tests, without its bounds and records ("2 penalty records
/// within 1y"); for the others their whole text without the mark. For `--explain`.
std::string summary(const Clause& clause, i18n::Language language);
/// A count's or sum's bounds: "needs ≥ 3", "needs 1 to 2", "须 ≥ 3".
std::string bounds(const std::optional<std::string>& at_least,
                   const std::optional<std::string>& at_most, i18n::Language language);
/// A window as written ("1y", "6m", "90d") in `language` ("1 年", "6 个月", "90 天").
std::string window_words(std::string_view within, i18n::Language language);

/// The clauses as stored in `entries.explanation_data`, and back (nullopt: not clauses).
nlohmann::json to_json(const std::vector<Clause>& clauses);
std::optional<std::vector<Clause>> clauses_from_json(std::string_view json);

/// The clauses of an explanation stored as text (an entry written before its data was kept):
/// each line read back into its clause when its English reads back to the very same line,
/// else kept as a text clause, so that words(…, en) gives the text again byte for byte.
std::vector<Clause> clauses_from_text(std::string_view explanation);

/// An entry's explanation in `language`: from its data when it has any, else from its text.
std::string explanation_words(std::string_view text, std::string_view data,
                              i18n::Language language);

}  // namespace rbl::model
