#include "rbl/ingest/columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

#include "rbl/ingest/record_builder.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"
#include "rbl/util/unicode.hpp"

namespace rbl::ingest {

namespace {

constexpr std::array<std::string_view, 11> k_standard = {
    "record_id", "subject_id", "subject_name", "subject_type", "domain", "kind",
    "date",      "amount",     "authority",    "region",       "status"};

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The largest distance that makes a name a misspelling of `known`: one edit, two for long ASCII
// names. A Chinese character carries a word, so two of them make another column.
std::size_t misspelling_limit(std::string_view known) {
    return is_ascii(known) && util::count_characters(known) >= 8 ? 2 : 1;
}

// "U+FF08 '（'": a character named so that look-alikes can be told apart in a message.
std::string describe_character(std::string_view character) {
    char32_t point = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(character.data());
    const std::size_t length = character.size();
    if (length == 1) {
        point = bytes[0];
    } else if (length == 2) {
        point = ((bytes[0] & 0x1Fu) << 6) | (bytes[1] & 0x3Fu);
    } else if (length == 3) {
        point = ((bytes[0] & 0x0Fu) << 12) | ((bytes[1] & 0x3Fu) << 6) | (bytes[2] & 0x3Fu);
    } else if (length == 4) {
        point = ((bytes[0] & 0x07u) << 18) | ((bytes[1] & 0x3Fu) << 12) |
                ((bytes[2] & 0x3Fu) << 6) | (bytes[3] & 0x3Fu);
    }
    return fmt::format("'{}' (U+{:04X})", character, static_cast<std::uint32_t>(point));
}

// The length in bytes of the UTF-8 character starting at text[0].
std::size_t character_length(std::string_view text) {
    const auto lead = static_cast<unsigned char>(text[0]);
    std::size_t length = 1;
    if (lead >= 0xF0) {
        length = 4;
    } else if (lead >= 0xE0) {
        length = 3;
    } else if (lead >= 0xC0) {
        length = 2;
    }
    return std::min(length, text.size());
}

// Where two look-alike names first differ: "'(' (U+0028) where 'X' has '（' (U+FF08)".
std::string first_difference(std::string_view name, std::string_view known) {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < name.size() && j < known.size()) {
        const std::size_t a = character_length(name.substr(i));
        const std::size_t b = character_length(known.substr(j));
        if (name.substr(i, a) != known.substr(j, b)) {
            return trf("{} where '{}' has {}", describe_character(name.substr(i, a)), known,
                       describe_character(known.substr(j, b)));
        }
        i += a;
        j += b;
    }
    if (i < name.size()) {
        return trf("{} that '{}' does not have",
                   describe_character(name.substr(i, character_length(name.substr(i)))), known);
    }
    if (j < known.size()) {
        return trf("no {} where '{}' has one",
                   describe_character(known.substr(j, character_length(known.substr(j)))), known);
    }
    return tr("the same characters");
}

}  // namespace

ColumnCheck::ColumnCheck(const rules::RuleSet& rules, const Mapping& mapping,
                         std::vector<std::string> allowed)
    : m_rules(rules), m_mapping(mapping), m_allowed(std::move(allowed)) {
    for (std::string_view name : k_standard) {
        add_known(std::string(name), tr("a standard column"));
    }
    const std::string mapped_what = trf("a source column of the mapping {}", mapping.file);
    for (const auto& [source, target] : mapping.columns) {
        add_known(source, mapped_what);
    }
    std::map<std::string, std::vector<std::string>, std::less<>> declared;
    for (const auto& [domain, domain_rules] : rules.domains()) {
        for (const rules::Attribute& attribute : domain_rules.attributes) {
            declared[attribute.name].push_back(domain);
        }
    }
    for (const auto& [name, domains] : declared) {
        add_known(name, trf("an attribute of {}", fmt::join(domains, ", ")));
    }
}

void ColumnCheck::add_known(std::string name, std::string what) {
    KnownName known;
    known.form = util::comparison_form(name);
    known.limit = misspelling_limit(name);
    known.name = std::move(name);
    known.what = std::move(what);
    m_known.push_back(std::move(known));
}

ColumnMatch ColumnCheck::classify(std::string_view name,
                                  std::span<const std::string_view> present) const {
    if (m_mapping.columns.contains(name)) {
        return {ColumnVerdict::mapped, {}, {}, 0};
    }
    if (column_of(name) != Column::attribute) {
        return {ColumnVerdict::standard, {}, {}, 0};
    }
    for (const auto& [domain, domain_rules] : m_rules.domains()) {
        if (domain_rules.attribute(name) != nullptr) {
            return {ColumnVerdict::attribute, {}, {}, 0};
        }
    }
    if (std::find(m_allowed.begin(), m_allowed.end(), name) != m_allowed.end()) {
        return {ColumnVerdict::allowed, {}, {}, 0};
    }
    const std::string form = util::comparison_form(name);
    const KnownName* best = nullptr;
    std::size_t best_distance = 0;
    for (const KnownName& known : m_known) {
        const std::size_t distance = util::edit_distance(form, known.form, known.limit);
        if (distance > known.limit || (best != nullptr && distance >= best_distance)) {
            continue;
        }
        // A column the file has is not what another of its columns misspells; a look-alike
        // of it is refused all the same (two columns a reader cannot tell apart).
        if (distance > 0 &&
            std::find(present.begin(), present.end(), known.name) != present.end()) {
            continue;
        }
        best = &known;
        best_distance = distance;
    }
    if (best == nullptr) {
        return {ColumnVerdict::unknown, {}, {}, 0};
    }
    return {ColumnVerdict::misspelt, best->name, best->what, best_distance};
}

bool ColumnCheck::seen(std::string_view name) const { return m_used_names.contains(name); }

void ColumnCheck::check(std::string_view name, std::span<const std::string_view> present,
                        std::string_view where) {
    const ColumnMatch match = classify(name, present);
    if (match.verdict == ColumnVerdict::misspelt) {
        // Allowing a look-alike of a mapped column would only leave the mapping without it.
        const bool mapped = m_mapping.columns.contains(match.meant);
        if (match.distance == 0) {
            const std::string difference = first_difference(name, match.meant);
            throw UsageError(
                mapped ? trf("{} '{}' looks like '{}' ({}) but is other text: it has {}. Rename "
                             "it, or change the mapping {} to match",
                             where, name, match.meant, match.meant_what, difference, m_mapping.file)
                       : trf("{} '{}' looks like '{}' ({}) but is other text: it has {}. Rename "
                             "it, or give --allow-column '{}' to import it as a plain attribute",
                             where, name, match.meant, match.meant_what, difference, name));
        }
        throw UsageError(
            mapped ? trf("{} '{}' is not a known column, but close to '{}' ({}): a misspelling? "
                         "Rename it, or change the mapping {} to match",
                         where, name, match.meant, match.meant_what, m_mapping.file)
                   : trf("{} '{}' is not a known column, but close to '{}' ({}): a misspelling? "
                         "Rename it, or give --allow-column '{}' to import it as a plain "
                         "attribute",
                         where, name, match.meant, match.meant_what, name));
    }
    m_used_names.emplace(name);
    m_used.push_back(UsedName{std::string(name), match.verdict});
}

void ColumnCheck::saw_domain(std::string_view domain) {
    domain = util::trim(domain);
    // Files come in long runs of one domain: most rows stop at the first comparison.
    if (domain.empty() || (!m_domains.empty() && m_domains.back() == domain) ||
        std::find(m_domains.begin(), m_domains.end(), domain) != m_domains.end()) {
        return;
    }
    m_domains.emplace_back(domain);
}

void ColumnCheck::check_mapping_sources(std::string_view file_name) const {
    std::vector<std::string_view> missing;
    for (const auto& [source, target] : m_mapping.columns) {
        if (!seen(source)) {
            missing.push_back(source);
        }
    }
    if (missing.empty()) {
        return;
    }
    std::vector<std::string> named;
    for (std::string_view source : missing) {
        named.push_back(trf("'{}' (to '{}')", source, m_mapping.target(source)));
    }
    throw UsageError(
        trnf("the mapping {} maps the column {}, which {} does not have: fix the "
             "mapping or the file",
             "the mapping {} maps columns {}, which {} does not have: fix the "
             "mapping or the file",
             missing.size(), m_mapping.file, fmt::join(named, ", "), file_name));
}

bool ColumnCheck::domain_seen_for(std::string_view attribute) const {
    return std::any_of(m_domains.begin(), m_domains.end(), [&](const std::string& domain) {
        const rules::DomainRules* rules = m_rules.domain(domain);
        return rules != nullptr && rules->attribute(attribute) != nullptr;
    });
}

std::vector<std::string> ColumnCheck::unknown_columns() const {
    std::vector<std::string> unknown;
    for (const UsedName& used : m_used) {
        const bool is_unknown =
            used.verdict == ColumnVerdict::unknown || used.verdict == ColumnVerdict::allowed ||
            (used.verdict == ColumnVerdict::attribute && !domain_seen_for(used.name));
        if (is_unknown) {
            unknown.push_back(used.name);
        }
    }
    return unknown;
}

std::string ColumnCheck::unknown_column_warning(std::string_view file_name,
                                                std::string_view name) const {
    if (std::find(m_allowed.begin(), m_allowed.end(), name) != m_allowed.end()) {
        return {};
    }
    std::vector<std::string_view> domains;
    for (const std::string& domain : m_domains) {
        if (m_rules.domain(domain) != nullptr) {
            domains.push_back(domain);
        }
    }
    std::sort(domains.begin(), domains.end());
    const std::string listed = fmt::format("{}", fmt::join(domains, ", "));
    if (m_mapping.file.empty()) {
        return domains.empty()
                   ? trf("{}: column '{}' is not a standard column, not an attribute of a domain "
                         "in the file, so it is kept as an attribute that no rule reads",
                         file_name, name)
                   : trf("{}: column '{}' is not a standard column, not an attribute of {}, so "
                         "it is kept as an attribute that no rule reads",
                         file_name, name, listed);
    }
    return domains.empty()
               ? trf("{}: column '{}' is not a standard column, not an attribute of a domain in "
                     "the file and not mapped by {}, so it is kept as an attribute that no rule "
                     "reads",
                     file_name, name, m_mapping.file)
               : trf("{}: column '{}' is not a standard column, not an attribute of {} and not "
                     "mapped by {}, so it is kept as an attribute that no rule reads",
                     file_name, name, listed, m_mapping.file);
}

std::vector<std::string> ColumnCheck::unused_allowed() const {
    std::vector<std::string> unused;
    for (const std::string& name : m_allowed) {
        if (!seen(name)) {
            unused.push_back(name);
        }
    }
    return unused;
}

}  // namespace rbl::ingest
