#pragma once
// Reading the `publicity:` block of a rule file. Internal to lib/rbl/rules.

#include "rbl/rules/rule_set.hpp"
#include "rbl/rules/yaml_support.hpp"

namespace rbl::rules {

/// Reads `node` (the `publicity:` mapping) into `domain.publicity` and `domain.publicity_tests`,
/// reporting every problem; needs domain.attributes to be read.
void read_publicity(const YamlFile& file, const YAML::Node& node, DomainRules& domain);

}  // namespace rbl::rules
