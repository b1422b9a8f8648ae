#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rbl/rules/publicity_loader.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules {

namespace {

constexpr std::string_view k_class_names = "minor, general or serious";

SourceSpot spot_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return SourceSpot{mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
}

// Reads one domain's `publicity:` with the file's diagnostics at hand.
class PublicityReader {
public:
    PublicityReader(const YamlFile& file, DomainRules& domain) : m_file(file), m_domain(domain) {}

    void read(const YAML::Node& node);

private:
    std::optional<model::PublicityClass> class_name(const YAML::Node& node);
    std::optional<bool> flag(const YAML::Node& map, std::string_view key, bool fallback);
    std::optional<util::Duration> term(const YAML::Node& map, std::string_view key,
                                       bool required);
    std::optional<util::Date> day(const YAML::Node& map, std::string_view key, bool required);
    void kinds(const YAML::Node& node, model::PublicityTerms& out);
    void class_rule(const YAML::Node& node, model::PublicityTerms& out);
    void class_attributes(const YAML::Node& node, model::PublicityTerms& out);
    void class_values(const YAML::Node& node, model::PublicityTerms& out);
    void classes(const YAML::Node& node, model::PublicityTerms& out);
    std::optional<model::ClassTerms> class_terms(const YAML::Node& node);
    void repair_days(const YAML::Node& node, model::PublicityTerms& out);
    void used_classes_have_terms(const YAML::Node& node, const model::PublicityTerms& out);
    void tests(const YAML::Node& node, const model::PublicityTerms& terms);
    std::optional<PublicityTest> test(const YAML::Node& node, const model::PublicityTerms& terms);
    void test_record(const YAML::Node& test, const model::PublicityTerms& terms,
                     PublicityTest& out);

    const YamlFile& m_file;
    DomainRules& m_domain;
};

std::optional<model::PublicityClass> PublicityReader::class_name(const YAML::Node& node) {
    const auto parsed =
        node.IsScalar() ? model::parse_publicity_class(node.Scalar()) : std::nullopt;
    if (!parsed) {
        m_file.error(node, trf("unknown class '{}' (expected {})",
                               node.IsScalar() ? node.Scalar() : std::string(tr("(not a word)")),
                               k_class_names));
    }
    return parsed;
}

std::optional<bool> PublicityReader::flag(const YAML::Node& map, std::string_view key,
                                          bool fallback) {
    const YAML::Node node = map[std::string(key)];
    if (!node) {
        return fallback;
    }
    if (!node.IsScalar() || (node.Scalar() != "true" && node.Scalar() != "false")) {
        m_file.error(node, trf("{} must be true or false", key));
        return std::nullopt;
    }
    return node.Scalar() == "true";
}

std::optional<util::Duration> PublicityReader::term(const YAML::Node& map, std::string_view key,
                                                    bool required) {
    const YAML::Node node = map[std::string(key)];
    if (!node) {
        if (required) {
            m_file.error(map, trf("missing required key '{}'", key));
        }
        return std::nullopt;
    }
    auto parsed = m_file.duration(node, key);
    if (parsed && longer_than_max_term(*parsed)) {
        m_file.error(
            node, trf("{} of {} is longer than {} years", key, parsed->text(), k_max_term_years));
        return std::nullopt;
    }
    return parsed;
}

std::optional<util::Date> PublicityReader::day(const YAML::Node& map, std::string_view key,
                                               bool required) {
    const auto text = m_file.scalar(map, key, required);
    if (!text) {
        return std::nullopt;
    }
    auto parsed = util::parse_iso_date(*text);
    if (!parsed) {
        m_file.error(map[std::string(key)], trf("{}: {}", key, parsed.error()));
        return std::nullopt;
    }
    return *parsed;
}

void PublicityReader::kinds(const YAML::Node& node, model::PublicityTerms& out) {
    if (!node) {
        return;  // reported as a missing key
    }
    if (!node.IsSequence() || node.size() == 0) {
        m_file.error(node, tr("kinds must be a non-empty list of record kinds, e.g. [penalty]"));
        return;
    }
    for (const auto& item : node) {
        const std::string kind = item.IsScalar() ? item.Scalar() : std::string();
        const bool identifier =
            !kind.empty() && kind[0] >= 'a' && kind[0] <= 'z' &&
            kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
        if (!identifier) {
            m_file.error(item, trf("record kind '{}' must match [a-z][a-z0-9_]*", kind));
        } else if (out.publishes(kind)) {
            m_file.error(item, trf("record kind '{}' is given twice", kind));
        } else {
            out.kinds.push_back(kind);
        }
    }
}

void PublicityReader::class_values(const YAML::Node& node, model::PublicityTerms& out) {
    if (!m_file.expect_map(node, "class values")) {
        return;
    }
    m_file.check_duplicate_keys(node);
    for (const auto& item : node) {
        const auto publicity_class = class_name(item.first);
        std::vector<YAML::Node> values;
        if (item.second.IsScalar()) {
            values.push_back(item.second);
        } else if (item.second.IsSequence() && item.second.size() > 0) {
            for (const auto& value : item.second) {
                values.push_back(value);
            }
        } else {
            m_file.error(item.second, tr("class values must be a value or a list of values"));
        }
        for (const YAML::Node& value : values) {
            if (!value.IsScalar()) {
                m_file.error(value, tr("a class value must be a single value"));
            } else if (out.class_values.contains(value.Scalar())) {
                // Values are often Chinese: the column counts characters, as in expressions.
                const auto [line, column] = m_file.locate(value, value.Scalar());
                m_file.error_at(line, column,
                                trf("value '{}' is given to two classes", value.Scalar()));
            } else if (publicity_class) {
                out.class_values.emplace(value.Scalar(), *publicity_class);
            }
        }
    }
}

void PublicityReader::class_rule(const YAML::Node& node, model::PublicityTerms& out) {
    if (!node) {
        return;  // reported as a missing key
    }
    if (!m_file.expect_map(node, "class")) {
        return;
    }
    m_file.check_keys(node, {"attribute", "values", "default"});
    if (const YAML::Node fallback = node["default"]; fallback) {
        out.default_class = class_name(fallback).value_or(out.default_class);
    } else {
        m_file.error(node, tr("missing required key 'default'"));
    }
    const YAML::Node values = node["values"];
    const YAML::Node attributes = node["attribute"];
    if (attributes.IsDefined() != values.IsDefined()) {
        m_file.error(node, tr("class needs attribute and values together, or neither (every "
                              "record then has the default class)"));
        return;
    }
    if (!attributes) {
        return;
    }
    class_attributes(attributes, out);
    class_values(values, out);
}

void PublicityReader::class_attributes(const YAML::Node& node, model::PublicityTerms& out) {
    std::vector<YAML::Node> names;
    if (node.IsSequence() && node.size() > 0) {
        for (const auto& name : node) {
            names.push_back(name);
        }
    } else {
        names.push_back(node);
    }
    for (const YAML::Node& name : names) {
        const Attribute* declared = name.IsScalar() ? m_domain.attribute(name.Scalar()) : nullptr;
        if (!name.IsScalar()) {
            m_file.error(name,
                         tr("class attribute must be an attribute's name or a list of names"));
        } else if (declared == nullptr) {
            m_file.error(name, trf("class attribute '{}' is not declared under "
                                   "attributes",
                                   name.Scalar()));
        } else if (declared->type != AttributeType::text) {
            m_file.error(name, trf("class attribute '{}' must be a text attribute, not "
                                   "{}",
                                   name.Scalar(), to_string(declared->type)));
        } else if (std::find(out.class_attributes.begin(), out.class_attributes.end(),
                             name.Scalar()) != out.class_attributes.end()) {
            m_file.error(name, trf("class attribute '{}' is given twice", name.Scalar()));
        } else {
            out.class_attributes.push_back(name.Scalar());
        }
    }
}

std::optional<model::ClassTerms> PublicityReader::class_terms(const YAML::Node& node) {
    if (!m_file.expect_map(node, tr("a class's terms"))) {
        return std::nullopt;
    }
    m_file.check_keys(node, {"published", "minimum", "maximum", "repairable"});
    model::ClassTerms out;
    const auto published = flag(node, "published", true);
    const auto repairable = flag(node, "repairable", true);
    const auto minimum = term(node, "minimum", false);
    const auto maximum = term(node, "maximum", true);
    if (!published || !repairable || !maximum || (node["minimum"] && !minimum)) {
        return std::nullopt;
    }
    out.published = *published;
    out.repairable = *repairable;
    out.maximum = *maximum;
    out.minimum = minimum.value_or(util::Duration{});
    // Compared on a day where months and years end differently (the end of a leap February).
    const util::Date probe = util::Date::from_ymd(2024, 1, 31);
    if (out.minimum.after(probe) > out.maximum.after(probe)) {
        m_file.error(node["minimum"], trf("minimum {} is longer than maximum {}",
                                          out.minimum.text(), out.maximum.text()));
        return std::nullopt;
    }
    return out;
}

void PublicityReader::classes(const YAML::Node& node, model::PublicityTerms& out) {
    if (!node) {
        return;  // reported as a missing key
    }
    if (!m_file.expect_map(node, "classes")) {
        return;
    }
    m_file.check_duplicate_keys(node);
    for (const auto& item : node) {
        const auto publicity_class = class_name(item.first);
        auto terms = class_terms(item.second);
        if (publicity_class && terms) {
            out.classes[*publicity_class] = *terms;
        }
    }
}

// Every class a record can be given (the default and those of the values) needs its terms.
void PublicityReader::used_classes_have_terms(const YAML::Node& node,
                                              const model::PublicityTerms& out) {
    if (!node["classes"] || !node["class"] || !node["classes"].IsMap()) {
        return;
    }
    std::set<model::PublicityClass> used{out.default_class};
    for (const auto& [value, publicity_class] : out.class_values) {
        used.insert(publicity_class);
    }
    for (model::PublicityClass publicity_class : used) {
        if (!out.classes.contains(publicity_class) &&
            !node["classes"][std::string(model::to_string(publicity_class))]) {
            m_file.error(node["classes"],
                         trf("class '{}' is given to records but has no terms under "
                             "classes",
                             model::to_string(publicity_class)));
        }
    }
}

void PublicityReader::test_record(const YAML::Node& test, const model::PublicityTerms& terms,
                                  PublicityTest& out) {
    const YAML::Node node = test["record"];
    if (!node) {
        m_file.error(test, tr("missing required key 'record'"));
        return;
    }
    if (!m_file.expect_map(node, tr("a test record"))) {
        return;
    }
    m_file.check_duplicate_keys(node);
    for (const auto& field : node) {
        const std::string key = field.first.Scalar();
        if (key != "kind" && key != "date" &&
            std::find(terms.class_attributes.begin(), terms.class_attributes.end(), key) ==
                terms.class_attributes.end()) {
            m_file.error(field.first, trf("unknown key '{}' in a test record (expected "
                                          "kind, date and the class attributes)",
                                          key));
        }
    }
    for (const std::string& attribute : terms.class_attributes) {
        out.class_values.push_back(m_file.scalar(node, attribute, false));
    }
    out.kind = m_file.scalar(node, "kind", true).value_or("");
    out.decided_on = day(node, "date", true).value_or(util::Date());
}

std::optional<PublicityTest> PublicityReader::test(const YAML::Node& node,
                                                   const model::PublicityTerms& terms) {
    if (!m_file.expect_map(node, tr("a test"))) {
        return std::nullopt;
    }
    m_file.check_keys(node, {"name", "record", "as_of", "expect", "class", "publicity_until",
                             "repair_from"});
    PublicityTest out;
    out.spot = spot_of(node);
    out.name = m_file.scalar(node, "name", true).value_or("");
    test_record(node, terms, out);
    out.as_of = day(node, "as_of", true).value_or(util::Date());
    if (auto expect = m_file.scalar(node, "expect", true)) {
        if (*expect != "public" && *expect != "not_public") {
            m_file.error(node["expect"], tr("expect must be public or not_public"));
        }
        out.expect_public = *expect == "public";
    }
    if (const YAML::Node expected_class = node["class"]; expected_class) {
        out.expect_class = class_name(expected_class);
    }
    out.expect_until = day(node, "publicity_until", false);
    out.expect_repair_from = day(node, "repair_from", false);
    return out;
}

void PublicityReader::tests(const YAML::Node& node, const model::PublicityTerms& terms) {
    if (!node) {
        return;
    }
    if (!node.IsSequence()) {
        m_file.error(node, tr("tests must be a list"));
        return;
    }
    for (const auto& item : node) {
        if (auto parsed = test(item, terms)) {
            m_domain.publicity_tests.push_back(std::move(*parsed));
        }
    }
}

// `repair_days:`: working days to decide a record's repair application, 1 to 365.
void PublicityReader::repair_days(const YAML::Node& node, model::PublicityTerms& out) {
    if (!node) {
        return;
    }
    const std::string text = node.IsScalar() ? node.Scalar() : std::string();
    int days = 0;
    const bool digits = !text.empty() && text.size() <= 3 &&
                        std::all_of(text.begin(), text.end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
        days = std::stoi(text);
    }
    if (!digits || days < 1 || days > 365) {
        m_file.error(node, tr("repair_days must be a whole number of working days from 1 to 365"));
        return;
    }
    out.repair_days = days;
}

void PublicityReader::read(const YAML::Node& node) {
    if (!m_file.expect_map(node, "publicity")) {
        return;
    }
    m_file.check_keys(node, {"kinds", "class", "classes", "repair_days", "tests"});
    for (std::string_view key : {"kinds", "class", "classes"}) {
        if (!node[std::string(key)]) {
            m_file.error(node, trf("missing required key '{}'", key));
        }
    }
    model::PublicityTerms terms;
    kinds(node["kinds"], terms);
    class_rule(node["class"], terms);
    classes(node["classes"], terms);
    used_classes_have_terms(node, terms);
    repair_days(node["repair_days"], terms);
    tests(node["tests"], terms);
    m_domain.publicity = std::move(terms);
}

}  // namespace

void read_publicity(const YamlFile& file, const YAML::Node& node, DomainRules& domain) {
    if (!node.IsDefined() || node.IsNull()) {
        return;
    }
    PublicityReader(file, domain).read(node);
}

}  // namespace rbl::rules
