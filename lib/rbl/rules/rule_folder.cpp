#include "rbl/rules/rule_folder.hpp"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "rbl/util/i18n.hpp"

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
        throw InvalidConfig(trf("invalid rules in {}", dir.string()), std::move(problems));
    }
    return RuleFolder{std::move(*rules), std::move(*calendar)};
}

FolderSummary RuleFolder::summary() const {
    std::size_t tests = 0;
    for (const ListRule* list : rules.lists()) {
        tests += list->tests.size();
    }
    return {rules.domains().size(), rules.lists().size(), tests, rules.sha256(),
            calendar.first_year(), calendar.last_year()};
}

nlohmann::json to_json(const FolderSummary& summary) {
    return {{"ok", true},
            {"domains", summary.domains},
            {"lists", summary.lists},
            {"tests", summary.tests},
            {"rules_sha256", summary.rules_sha256}};
}

}  // namespace rbl::rules
