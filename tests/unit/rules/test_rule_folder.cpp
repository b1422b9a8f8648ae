#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

#include "../temp_dir.hpp"
#include "rbl/rules/describe.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;

namespace {

const std::filesystem::path k_shipped = std::filesystem::path(RBL_SOURCE_DIR) / "rules";

}  // namespace

TEST_CASE("rule folder: the summary counts domains, lists and embedded tests") {
    const auto folder = rules::RuleFolder::load(k_shipped);
    const rules::FolderSummary summary = folder.summary();
    CHECK(summary.domains == folder.rules.domains().size());
    CHECK(summary.lists == folder.rules.lists().size());
    std::size_t tests = 0;
    for (const rules::ListRule* list : folder.rules.lists()) {
        tests += list->tests.size();
    }
    CHECK(summary.tests == tests);
    CHECK(summary.tests > 0);
    CHECK(summary.first_year == folder.calendar.first_year());
    CHECK(summary.last_year == folder.calendar.last_year());
    CHECK(rules::to_json(summary).dump() ==
          fmt::format(R"({{"domains":{},"lists":{},"ok":true,"rules_sha256":"{}","tests":{}}})",
                      summary.domains, summary.lists, folder.rules.sha256(), summary.tests));
}

TEST_CASE("rule folder: a list named on the command line must exist") {
    const auto folder = rules::RuleFolder::load(k_shipped);
    const rules::ListRule* first = folder.rules.lists().front();
    CHECK(&folder.rules.known_list(first->id) == first);
    CHECK_THROWS_WITH_AS(folder.rules.known_list("no_such_list"),
                         "there is no list 'no_such_list'", UsageError);
}

TEST_CASE("rule folder: the criteria document is written, not into a missing folder") {
    const auto folder = rules::RuleFolder::load(k_shipped);
    test::TempDir dir;
    rules::write_rules_markdown(folder.rules, dir.path() / "criteria.md");
    CHECK(test::read_all(dir.path() / "criteria.md") == rules::rules_markdown(folder.rules));
    const auto missing = dir.path() / "nope" / "criteria.md";
    CHECK_THROWS_WITH_AS(rules::write_rules_markdown(folder.rules, missing),
                         ("folder " + missing.parent_path().string() + " does not exist").c_str(),
                         UsageError);
}
