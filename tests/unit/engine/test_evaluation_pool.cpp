#include <doctest/doctest.h>

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "../market_rules.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/evaluation_pool.hpp"
#include "rbl/engine/next_change.hpp"

using namespace rbl;

namespace {

// Subject i has i % 4 penalties in 2026 (two or more list it on market.black.repeat).
engine::SubjectCase subject_case(int i) {
    engine::SubjectCase subject;
    subject.rows.subject_id = fmt::format("S{:05}", i);
    subject.rows.name = fmt::format("subject {}", i);
    subject.rows.subject_type = "legal_person";
    for (int k = 0; k < i % 4; ++k) {
        store::StoredRecord record;
        record.rec = i * 10 + k;
        record.record_id = fmt::format("P{}-{}", i, k);
        record.domain = "market";
        record.kind = "penalty";
        record.date = fmt::format("2026-0{}-1{}", 1 + k, i % 10);
        record.attrs = "{}";
        subject.rows.records.push_back(record);
    }
    return subject;
}

// What the pool handed back, in order: "subject: change list status; next change day".
std::vector<std::string> evaluate(int jobs, int subjects, int fail_reading_at = -1) {
    test::TempDir dir;
    const rules::RuleSet rules = test::market_rules(dir);
    const rules::Calendar calendar = test::weekends_only();
    engine::AdjudicateOptions options;
    options.as_of = util::Date::from_ymd(2026, 6, 1);
    const auto windows = engine::windows_of(rules);
    int next = 0;
    std::vector<std::string> taken;
    engine::evaluate_all(
        jobs, [&] { return engine::SubjectAdjudication(rules, calendar, options, windows); },
        [&](engine::SubjectCase& subject) {
            if (next == fail_reading_at) {
                throw std::runtime_error("the read failed");
            }
            if (next == subjects) {
                return false;
            }
            subject = subject_case(next++);
            return true;
        },
        [&](const engine::SubjectCase& subject, engine::SubjectOutcome& outcome) {
            std::string line = subject.rows.subject_id + ":";
            for (const auto& change : outcome.changes) {
                line += fmt::format(" {} {} {}", model::to_string(change.change),
                                    change.entry.list_id, model::to_string(change.entry.status));
            }
            line += "; " + (outcome.next_change ? outcome.next_change->iso() : "none");
            taken.push_back(line);
        });
    return taken;
}

}  // namespace

TEST_CASE("evaluation pool: outcomes come back in reading order, the same for any number of jobs") {
    const auto alone = evaluate(1, 1000);
    REQUIRE(alone.size() == 1000);
    CHECK(alone[0] == "S00000:; none");
    CHECK(alone[2] == "S00002: created market.black.repeat notice; 2026-06-09");
    for (const int jobs : {2, 3, 8}) {
        CAPTURE(jobs);
        CHECK(evaluate(jobs, 1000) == alone);
    }
    CHECK(evaluate(4, 0).empty());
    CHECK(evaluate(4, 255) == std::vector(alone.begin(), alone.begin() + 255));
}

TEST_CASE("evaluation pool: a failure while reading stops the workers and reaches the caller") {
    CHECK_THROWS_WITH(evaluate(3, 2000, 700), "the read failed");
    CHECK_THROWS_WITH(evaluate(1, 2000, 700), "the read failed");
}
