#include "common/departments.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::app {

std::set<std::string, std::less<>> known_departments(const rules::RuleSet& rules) {
    std::set<std::string, std::less<>> departments;
    for (const rules::ListRule* list : rules.lists()) {
        for (const rules::Measure& measure : list->measures) {
            departments.insert(measure.departments.begin(), measure.departments.end());
        }
    }
    return departments;
}

void check_department(const rules::RuleSet& rules, std::string_view department) {
    const auto departments = known_departments(rules);
    if (departments.contains(department)) {
        return;
    }
    throw UsageError(trf(
        "--department '{}' is not named by any measure of the rules in {}; the departments are: "
        "{}",
        department, rules.dir().string(), fmt::format("{}", fmt::join(departments, ", "))));
}

}  // namespace rbl::app
