#include "common/departments.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>
#include <string>

#include "rbl/store/check_reader.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::app {

void check_department(const rules::RuleSet& rules, std::string_view department) {
    const auto departments = rules.departments();
    if (departments.contains(department)) {
        return;
    }
    throw UsageError(trf(
        "--department '{}' is not named by any measure of the rules in {}; the departments are: "
        "{}",
        department, rules.dir().string(), fmt::format("{}", fmt::join(departments, ", "))));
}

void check_department(store::Database& db, const std::filesystem::path& rules_dir,
                      std::string_view department) {
    const std::set<std::string, std::less<>> departments = store::rule_departments(db);
    if (departments.empty()) {
        check_department(rules::RuleSet::load(rules_dir), department);
        return;
    }
    if (departments.contains(department)) {
        return;
    }
    throw UsageError(
        trf("--department '{}' is not named by any measure of the rules the last "
            "run applied; the departments are: {}",
            department, fmt::format("{}", fmt::join(departments, ", "))));
}

}  // namespace rbl::app
