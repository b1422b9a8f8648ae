#include "rbl/rules/rule_folder.hpp"

#include <fmt/format.h>

#include <optional>
#include <vector>

namespace rbl::rules {

RuleFolder RuleFolder::load(const std::filesystem::path& dir) {
    std::vector<Diagnostic> problems;
    std::optional<RuleSet> rules;
    std::optional<Calendar> calendar;
    try {
        rules = RuleSet::load(dir);
    } catch (const InvalidConfig& e) {
        problems = e.diagnostics();
    }
    try {
        calendar = Calendar::load(dir / "calendar.yaml");
    } catch (const InvalidConfig& e) {
        problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
    if (!problems.empty()) {
        throw InvalidConfig(fmt::format("invalid rules in {}", dir.string()), std::move(problems));
    }
    return RuleFolder{std::move(*rules), std::move(*calendar)};
}

}  // namespace rbl::rules
