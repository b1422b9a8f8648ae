#include "rbl/ingest/mapping.hpp"

#include <fmt/format.h>

#include <set>

#include "rbl/rules/yaml_support.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::ingest {

std::string_view Mapping::target(std::string_view source_name) const {
    auto it = columns.find(source_name);
    return it == columns.end() ? source_name : std::string_view(it->second);
}

util::Decimal Mapping::factor(std::string_view target_name) const {
    auto it = scale.find(target_name);
    return it == scale.end() ? util::Decimal{1, 0} : it->second;
}

namespace {

// Reads a map of scalar to scalar, reporting anything else.
std::vector<std::pair<YAML::Node, YAML::Node>> scalar_pairs(const rules::YamlFile& file,
                                                            const YAML::Node& node,
                                                            std::string_view what) {
    std::vector<std::pair<YAML::Node, YAML::Node>> pairs;
    if (!node.IsDefined() || node.IsNull() || !file.expect_map(node, what)) {
        return pairs;
    }
    file.check_duplicate_keys(node);
    for (const auto& item : node) {
        if (!item.second.IsScalar()) {
            file.error(item.second, trf("in '{}', the value of '{}' must be a single value", what,
                                        item.first.Scalar()));
            continue;
        }
        pairs.emplace_back(item.first, item.second);
    }
    return pairs;
}

}  // namespace

Mapping load_mapping(const std::filesystem::path& path) {
    rules::Diagnostics diagnostics;
    rules::YamlFile file(path, diagnostics);
    Mapping mapping;
    mapping.file = path.string();
    if (file.ok() && file.expect_map(file.root(), tr("a mapping file"))) {
        const YAML::Node& root = file.root();
        file.check_keys(root, {"columns", "scale", "constants"});
        std::set<std::string> targets;
        for (const auto& [from, to] : scalar_pairs(file, root["columns"], "columns")) {
            if (!targets.insert(to.Scalar()).second) {
                file.error(to, trf("two source columns map to '{}'", to.Scalar()));
            }
            mapping.columns.emplace(from.Scalar(), to.Scalar());
        }
        for (const auto& [name, factor] : scalar_pairs(file, root["scale"], "scale")) {
            auto parsed = util::parse_decimal(factor.Scalar());
            if (!parsed || parsed->mantissa <= 0) {
                file.error(factor, trf("scale of '{}' must be a positive number, got '{}'",
                                       name.Scalar(), factor.Scalar()));
                continue;
            }
            mapping.scale.emplace(name.Scalar(), *parsed);
        }
        for (const auto& [name, value] : scalar_pairs(file, root["constants"], "constants")) {
            if (targets.contains(name.Scalar())) {
                file.error(name, trf("'{}' is both a mapped column and a constant", name.Scalar()));
                continue;
            }
            mapping.constants.emplace_back(name.Scalar(), value.Scalar());
        }
    }
    diagnostics.throw_if_any(trf("invalid mapping {}", path.string()));
    return mapping;
}

}  // namespace rbl::ingest
