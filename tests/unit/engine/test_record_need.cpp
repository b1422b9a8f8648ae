#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "../market_rules.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/criteria.hpp"

using namespace rbl;
using engine::RecordNeed;

namespace {

engine::SubjectRecord record(std::string domain, std::string kind, util::Date date) {
    engine::SubjectRecord r;
    r.domain = std::move(domain);
    r.kind = std::move(kind);
    r.date = date;
    r.record_id = fmt::format("R-{}-{}", r.domain, r.kind);
    return r;
}

// Every (domain, kind) some selection of the rules names, and one kind none does.
std::vector<std::pair<std::string, std::string>> kinds_named(const rules::RuleSet& rules) {
    std::vector<std::pair<std::string, std::string>> kinds;
    const auto add = [&](const std::string& domain, const std::string& kind) {
        if (std::find(kinds.begin(), kinds.end(), std::pair(domain, kind)) == kinds.end()) {
            kinds.emplace_back(domain, kind);
        }
    };
    std::function<void(const rules::Criterion&, const std::string&)> walk =
        [&](const rules::Criterion& criterion, const std::string& domain) {
            for (const std::string& kind : criterion.selection.kinds) {
                for (const std::string& in : criterion.selection.domains) {
                    add(in, kind);
                }
                add(domain, kind);
            }
            for (const rules::Criterion& child : criterion.children) {
                walk(child, domain);
            }
        };
    for (const rules::ListRule* list : rules.lists()) {
        walk(list->criteria, list->domain);
        add(list->domain, "unheard_of");
    }
    return kinds;
}

}  // namespace

TEST_CASE("record need: a count, an exists in an all; none for a negation") {
    test::TempDir dir;
    const auto rules = test::market_rules(dir);
    const auto black = RecordNeed::of(rules.list("market.black.repeat")->criteria);
    const auto red = RecordNeed::of(rules.list("market.red.honest")->criteria);
    REQUIRE(black);
    REQUIRE(red);
    const auto day = util::Date::from_ymd(2026, 1, 5);
    const std::vector<engine::SubjectRecord> award = {record("market", "award", day)};
    const std::vector<engine::SubjectRecord> penalty = {record("market", "penalty", day)};
    const std::vector<engine::SubjectRecord> elsewhere = {record("tax", "penalty", day)};
    CHECK(black->met_by(penalty));
    CHECK_FALSE(black->met_by(award));
    CHECK_FALSE(black->met_by(elsewhere));
    CHECK(red->met_by(award));
    CHECK_FALSE(red->met_by({}));
    CHECK_FALSE(RecordNeed::of(rules.list("market.red.honest")->criteria.children[1]));
}

// Evaluates every list for random subjects (0-4 records of kinds the rules name, dated within
// the last 3.3 years), requiring that criteria never hold when their need is not met. Returns
// how often the need was not met and how often criteria held.
static std::pair<int, int> screen_random_subjects(const rules::RuleSet& rules, int subjects) {
    const auto kinds = kinds_named(rules);
    const auto as_of = util::Date::from_ymd(2026, 11, 28);
    std::mt19937 random(20261202);
    engine::CriteriaEvaluator evaluator(rules);
    int skipped = 0;
    int held = 0;
    for (int subject = 0; subject < subjects; ++subject) {
        std::vector<engine::SubjectRecord> records;
        const int count = static_cast<int>(random() % 5);
        for (int i = 0; i < count; ++i) {
            const auto& [domain, kind] = kinds[random() % kinds.size()];
            records.push_back(
                record(domain, kind, as_of.plus_days(-static_cast<int>(random() % 1200))));
            records.back().record_id = fmt::format("R{}", i);
        }
        const engine::SubjectFacts facts{"91320000000000000X", model::SubjectType::legal_person,
                                         "320100", std::nullopt};
        for (const rules::ListRule* list : rules.lists()) {
            const auto verdict =
                evaluator.evaluate(*list, list->criteria, facts, records, {}, as_of);
            held += verdict.holds ? 1 : 0;
            const auto need = RecordNeed::of(list->criteria);
            if (need && !need->met_by(records)) {
                ++skipped;
                CAPTURE(list->id);
                REQUIRE_FALSE(verdict.holds);
            }
        }
    }
    return {skipped, held};
}

TEST_CASE("record need: criteria never hold for a subject without the need") {
    test::TempDir dir;
    const auto [market_skipped, market_held] = screen_random_subjects(test::market_rules(dir), 2000);
    CHECK(market_skipped > 500);
    CHECK(market_held > 100);
    const auto shipped = rules::RuleSet::load(std::filesystem::path(RBL_SOURCE_DIR) / "rules");
    CHECK(screen_random_subjects(shipped, 2000).first > 1000);
}
