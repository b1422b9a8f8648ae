#pragma once
// Reading the `lists:` of a rule file, and the checks across files (ids, `listed` references,
// cycles, evaluation order). Internal to lib/rbl/rules.

#include <map>
#include <string>
#include <vector>

#include "rbl/rules/diagnostics.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/rules/yaml_support.hpp"

namespace rbl::rules {

/// Reads `node` (the `lists:` sequence) into `domain.lists`, reporting every problem; needs
/// domain.record_schema to be set.
void read_lists(const YamlFile& file, const YAML::Node& node, DomainRules& domain);

/// Checks what spans files — list ids unique, `listed` naming known lists, black lists not
/// looking at red lists, selections naming known domains, no cycle — and returns the lists in
/// evaluation order.
std::vector<const ListRule*> order_lists(
    const std::map<std::string, DomainRules, std::less<>>& domains, Diagnostics& diagnostics);

}  // namespace rbl::rules
