#pragma once
// The work of a run on one subject (SPEC.md §4, steps 1-5): what the subject's facts and open
// entries lead to — entries created, advanced, expired, withdrawn, revoked or lifted. Each change
// is counted in the run's summary and staged in the EntryStore for the run writer.

#include <cstdint>
#include <utility>
#include <vector>

#include "rbl/engine/adjudicator.hpp"
#include "rbl/engine/criteria.hpp"
#include "rbl/model/change_kind.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/report.hpp"

namespace rbl::engine {

/// The subject of stored rows as criteria see it (an unknown type reads as a legal person).
SubjectFacts facts_of(const store::SubjectRows& rows);

/// The active records of stored rows as criteria see them, attributes typed by their domain.
std::vector<SubjectRecord> records_of(const store::SubjectRows& rows,
                                      const rules::RuleSet& rules);

/// Adjudicates one subject after another (reusing its buffers), staging every change.
class SubjectAdjudication {
public:
    SubjectAdjudication(const rules::RuleSet& rules, const rules::Calendar& calendar,
                        const AdjudicateOptions& options, store::EntryStore& entries,
                        CriteriaEvaluator& evaluator, AdjudicationSummary& summary,
                        Reporter& reporter)
        : m_rules(rules),
          m_calendar(calendar),
          m_options(options),
          m_entries(entries),
          m_evaluator(evaluator),
          m_summary(summary),
          m_reporter(reporter) {}

    /// Runs steps 1-5 for the subject of `rows`, whose open entries (as read) are `open`.
    void run(const store::SubjectRows& rows, std::vector<model::Entry> open);

private:
    bool in_scope(std::string_view domain) const;
    std::vector<std::string> open_list_ids() const;
    std::vector<std::string> other_lists(const model::Entry& except) const;
    bool has_open(const std::string& list_id) const;
    bool has_open_black() const;
    model::EntryStatus status_read(std::int64_t entry_id) const;
    void record(const model::Entry& entry, model::ChangeKind change);
    void end(model::Entry& entry, model::EntryStatus status, util::Date on,
             model::EndReason reason);
    void advance();
    void adjust();
    bool lift_holds(const rules::ListRule& list, const std::vector<std::string>& lists);
    void stage_advances();
    void exclude_red();
    void consider(const rules::ListRule& list);
    bool evidence_used(const rules::ListRule& list, const Verdict& verdict);
    void create(const rules::ListRule& list, const Verdict& verdict);
    void warn_coverage(const rules::PeriodEnd& period);

    const rules::RuleSet& m_rules;
    const rules::Calendar& m_calendar;
    const AdjudicateOptions& m_options;
    store::EntryStore& m_entries;
    CriteriaEvaluator& m_evaluator;
    AdjudicationSummary& m_summary;
    Reporter& m_reporter;
    const store::SubjectRows* m_rows = nullptr;
    SubjectFacts m_subject;
    std::vector<SubjectRecord> m_records;
    std::vector<model::Entry> m_open;
    std::vector<std::pair<std::int64_t, model::EntryStatus>> m_status_read;  ///< as in the snapshot
    std::vector<std::int64_t> m_advanced;
    bool m_warned_coverage = false;
};

}  // namespace rbl::engine
