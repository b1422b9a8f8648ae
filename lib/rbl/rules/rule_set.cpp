#include "rbl/rules/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rbl/rules/list_loader.hpp"
#include "rbl/rules/publicity_loader.hpp"
#include "rbl/rules/yaml_support.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::rules {

namespace {

constexpr std::string_view k_calendar_file = "calendar.yaml";

bool is_identifier(std::string_view name) {
    if (name.empty() || name[0] < 'a' || name[0] > 'z') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::optional<AttributeType> parse_attribute_type(std::string_view text) {
    for (AttributeType type : {AttributeType::text, AttributeType::number, AttributeType::date,
                               AttributeType::boolean}) {
        if (text == to_string(type)) {
            return type;
        }
    }
    return std::nullopt;
}

// Names a record already has as standard columns: an attribute may not shadow them.
bool is_standard_column(std::string_view name) {
    static constexpr std::string_view k_columns[] = {
        "record_id", "subject_id", "subject_name", "subject_type", "domain", "kind",
        "date",      "amount",     "authority",    "region",       "status", "source",
        "as_of"};
    return std::find(std::begin(k_columns), std::end(k_columns), name) != std::end(k_columns);
}

void read_attributes(const YamlFile& file, const YAML::Node& node, DomainRules& rules) {
    if (!node.IsDefined() || node.IsNull()) {
        return;
    }
    if (!file.expect_map(node, "attributes")) {
        return;
    }
    file.check_duplicate_keys(node);
    for (const auto& item : node) {
        const std::string name = item.first.Scalar();
        if (!is_identifier(name)) {
            file.error(item.first, trf("attribute name '{}' must match [a-z][a-z0-9_]*", name));
            continue;
        }
        if (is_standard_column(name)) {
            file.error(item.first,
                       name == "as_of"
                           ? std::string(tr("attribute 'as_of' is the run's date in expressions "
                                            "already"))
                           : trf("attribute '{}' is a standard record column already", name));
            continue;
        }
        const auto type = item.second.IsScalar() ? parse_attribute_type(item.second.Scalar())
                                                 : std::nullopt;
        if (!type) {
            file.error(item.second, trf("attribute '{}' has type '{}'; expected text, "
                                        "number, date or bool",
                                        name,
                                        item.second.IsScalar() ? item.second.Scalar()
                                                               : std::string(tr("(not a word)"))));
            continue;
        }
        rules.attributes.push_back(Attribute{name, *type});
    }
}

// The standard record fields in the slots of RecordField, then the declared attributes.
Schema record_schema_of(const DomainRules& rules) {
    Schema schema{{"record_id", AttributeType::text}, {"kind", AttributeType::text},
                  {"date", AttributeType::date},      {"amount", AttributeType::number},
                  {"authority", AttributeType::text}, {"region", AttributeType::text},
                  {"domain", AttributeType::text},    {"as_of", AttributeType::date}};
    for (const Attribute& attribute : rules.attributes) {
        (void)schema.add(attribute.name, attribute.type);  // names were checked when read
    }
    return schema;
}

std::optional<DomainRules> read_domain_file(const std::filesystem::path& path,
                                            Diagnostics& diagnostics) {
    YamlFile file(path, diagnostics);
    if (!file.ok() || !file.expect_map(file.root(), tr("a rule file"))) {
        return std::nullopt;
    }
    const YAML::Node& root = file.root();
    file.check_keys(root, {"domain", "title", "title_zh", "version", "attributes", "lists",
                           "publicity"});
    DomainRules rules;
    rules.file = path;
    rules.text_sha256 = util::sha256_hex(file.text());
    rules.domain = file.scalar(root, "domain", true).value_or("");
    rules.title = file.scalar(root, "title", true).value_or("");
    rules.title_zh = file.scalar(root, "title_zh", true).value_or("");
    rules.version = file.scalar(root, "version", true).value_or("");
    const std::string stem = path.stem().string();
    if (!rules.domain.empty() && rules.domain != stem) {
        file.error(root["domain"], trf("domain '{}' differs from the file name '{}' "
                                       "(rules/DOMAIN.yaml must hold domain: DOMAIN)",
                                       rules.domain, path.filename().string()));
    }
    if (!rules.domain.empty() && !is_identifier(rules.domain)) {
        file.error(root["domain"], trf("domain '{}' must match [a-z][a-z0-9_]*", rules.domain));
    }
    read_attributes(file, root["attributes"], rules);
    rules.record_schema = record_schema_of(rules);
    read_lists(file, root["lists"], rules);
    read_publicity(file, root["publicity"], rules);
    return rules;
}

}  // namespace

std::string_view to_string(AttributeType type) {
    switch (type) {
        case AttributeType::text:
            return "text";
        case AttributeType::number:
            return "number";
        case AttributeType::date:
            return "date";
        case AttributeType::boolean:
            return "bool";
    }
    return "text";
}

const Attribute* DomainRules::attribute(std::string_view name) const {
    for (const Attribute& attribute : attributes) {
        if (attribute.name == name) {
            return &attribute;
        }
    }
    return nullptr;
}

const ListRule& RuleSet::known_list(std::string_view id) const {
    const ListRule* found = list(id);
    if (found == nullptr) {
        throw UsageError(trf("there is no list '{}'", id));
    }
    return *found;
}

RuleSet RuleSet::load(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw UsageError(
            trf("rules folder {} does not exist (set --rules or $RBL_RULES)", dir.string()));
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto& path = entry.path();
        if (entry.is_regular_file() && path.extension() == ".yaml" &&
            path.filename() != k_calendar_file) {
            files.push_back(path);
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        throw UsageError(trf("rules folder {} holds no rule file (DOMAIN.yaml)", dir.string()));
    }
    RuleSet set;
    set.m_dir = dir;
    Diagnostics diagnostics;
    for (const auto& path : files) {
        if (auto rules = read_domain_file(path, diagnostics)) {
            // Keyed by file name: a file claiming another file's domain (an error of its own)
            // must not hide that file's lists from the checks across files.
            set.m_domains.insert_or_assign(path.stem().string(), std::move(*rules));
        }
    }
    set.m_order = order_lists(set.m_domains, diagnostics);
    diagnostics.throw_if_any(trf("invalid rules in {}", dir.string()));
    util::Sha256 hash;
    for (const auto& [name, domain] : set.m_domains) {
        hash.update(name);
        hash.update(domain.text_sha256);
    }
    set.m_sha256 = hash.hex();
    return set;
}

std::set<std::string, std::less<>> RuleSet::departments() const {
    std::set<std::string, std::less<>> departments;
    for (const ListRule* list : m_order) {
        for (const Measure& measure : list->measures) {
            departments.insert(measure.departments.begin(), measure.departments.end());
        }
    }
    return departments;
}

const ListRule* RuleSet::list(std::string_view id) const {
    for (const ListRule* list : m_order) {
        if (list->id == id) {
            return list;
        }
    }
    return nullptr;
}

const Schema& subject_schema() {
    static const Schema schema{{"subject_type", AttributeType::text},
                               {"subject_id", AttributeType::text},
                               {"region", AttributeType::text},
                               {"as_of", AttributeType::date},
                               {"birth_date", AttributeType::date},
                               {"age", AttributeType::number}};
    return schema;
}

bool ListRule::admits(model::SubjectType type) const {
    return subjects.empty() || std::find(subjects.begin(), subjects.end(), type) != subjects.end();
}

const DomainRules* RuleSet::domain(std::string_view name) const {
    auto it = m_domains.find(name);
    return it == m_domains.end() ? nullptr : &it->second;
}

}  // namespace rbl::rules
