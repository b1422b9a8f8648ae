#pragma once
// Which names of an input file rbl knows (SPEC.md §2, "Columns"): the standard columns, the
// attributes a domain declares, a mapping's source columns. A name a small edit away from a known
// one, or one that only looks like it (NFKC: full-width vs ASCII brackets, case), is refused as a
// misspelling; any other unknown name is reported once per file. Internal to the importer.
//
// The rule:
// - names are compared in util::comparison_form (NFKC, case-folded, zero-width characters
//   dropped) by Damerau–Levenshtein distance in characters;
// - a name is a misspelling of a known name K when its form equals K's form (a look-alike), or
//   when the distance is at most 1, or at most 2 when K is ASCII and 8 characters or longer
//   (a Chinese character is a word: 行政相对人类别 is not 行政相对人名称);
// - except for look-alikes, K is not a candidate when the file has K itself (in the same header,
//   or the same JSON line): `rate` beside `date` is a column of its own;
// - `--allow-column NAME` accepts a name as given, as a plain attribute;
// - a declared attribute is known when a domain that declares it occurs in the file (in the
//   `domain` column of some row, or the mapping's constant): that is known only at the end.

#include <cstddef>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/ingest/mapping.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::ingest {

/// What a name of the file is to the import.
enum class ColumnVerdict {
    standard,   ///< a standard column (SPEC §2)
    mapped,     ///< a source column of the mapping
    attribute,  ///< an attribute some domain declares (known if that domain is in the file)
    allowed,    ///< unknown, but given with --allow-column
    unknown,    ///< none of these, and close to none
    misspelt,   ///< close to a known name, or looking like one: refused
};

/// The verdict on one name; for `misspelt`, the known name it most likely stands for.
struct ColumnMatch {
    ColumnVerdict verdict = ColumnVerdict::unknown;
    std::string meant;        ///< the known name (misspelt only)
    std::string meant_what;   ///< what that name is: "a standard column", "an attribute of courts"
    std::size_t distance = 0;  ///< 0: the two look alike
};

/// The column check of one file: names are checked the first time the file uses them.
class ColumnCheck {
public:
    /// Knows the standard columns, every declared attribute of `rules` and the mapping's source
    /// columns; `allowed` are the --allow-column names.
    ColumnCheck(const rules::RuleSet& rules, const Mapping& mapping,
                std::vector<std::string> allowed);

    /// Classifies a name as the file gives it (trimmed). `present`: every name of the same
    /// header or JSON line, as given and after mapping.
    [[nodiscard]] ColumnMatch classify(std::string_view name,
                                       std::span<const std::string_view> present) const;

    /// True when the file already used this name (and it was checked).
    [[nodiscard]] bool seen(std::string_view name) const;

    /// Checks and records a name the file uses for the first time. Throws UsageError for a
    /// misspelling, the message starting with `where` (e.g. "in.csv:1: column 3").
    void check(std::string_view name, std::span<const std::string_view> present,
               std::string_view where);

    /// Records a value of the domain column (or the mapping's constant domain).
    void saw_domain(std::string_view domain);

    /// Throws UsageError naming the mapping file, the column and `file_name` when a source column
    /// of the mapping is not among the names the file used.
    void check_mapping_sources(std::string_view file_name) const;

    /// The names the file used that are unknown, in the order first seen: neither standard, nor
    /// mapped, nor declared by a domain that occurs in the file; --allow-column names included.
    [[nodiscard]] std::vector<std::string> unknown_columns() const;

    /// The warning for one unknown column of `file_name`; empty for an --allow-column name.
    [[nodiscard]] std::string unknown_column_warning(std::string_view file_name,
                                                     std::string_view name) const;

    /// The --allow-column names the file did not use.
    [[nodiscard]] std::vector<std::string> unused_allowed() const;

private:
    struct KnownName {
        std::string name;
        std::string form;  ///< util::comparison_form(name)
        std::size_t limit = 1;  ///< the largest distance that counts as a misspelling of it
        std::string what;  ///< "a standard column", ...
    };
    struct UsedName {
        std::string name;
        ColumnVerdict verdict = ColumnVerdict::unknown;
    };

    void add_known(std::string name, std::string what);
    [[nodiscard]] bool domain_seen_for(std::string_view attribute) const;

    const rules::RuleSet& m_rules;
    const Mapping& m_mapping;
    std::vector<std::string> m_allowed;
    std::vector<KnownName> m_known;  ///< standard columns, mapping sources, attributes
    std::vector<UsedName> m_used;    ///< in the order first seen
    std::set<std::string, std::less<>> m_used_names;  ///< the same names, for seen()
    std::vector<std::string> m_domains;  ///< domain values seen
};

}  // namespace rbl::ingest
