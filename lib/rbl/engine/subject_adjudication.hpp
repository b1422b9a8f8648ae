#pragma once
// The work of a run on one subject (SPEC.md §4, steps 1-5): what the subject's facts and entries
// lead to — entries created, advanced, expired, withdrawn, revoked or lifted — and the subject's
// next change day (SPEC §8). It needs no database: the subject comes with everything evaluation
// reads (SubjectCase), so that subjects can be evaluated on several threads at once.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rbl/engine/adjudicator.hpp"
#include "rbl/engine/criteria.hpp"
#include "rbl/engine/next_change.hpp"
#include "rbl/model/change_kind.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/subject_entries.hpp"
#include "rbl/store/subject_reader.hpp"

namespace rbl::engine {

/// The subject of stored rows as criteria see it (an unknown type reads as a legal person).
SubjectFacts facts_of(const store::SubjectRows& rows);

/// The active records of stored rows as criteria see them, attributes typed by their domain.
std::vector<SubjectRecord> records_of(const store::SubjectRows& rows,
                                      const rules::RuleSet& rules);

/// One subject as a run reads it: its facts up to the as-of date and its entries.
struct SubjectCase {
    store::SubjectRows rows;
    store::SubjectEntries entries;
};

/// What a run decided for one subject.
struct SubjectOutcome {
    std::vector<store::StagedChange> changes;  ///< in the order they were decided
    std::optional<util::Date> next_change;     ///< the subject's next change day
    std::vector<std::string> warnings;         ///< for the operator (calendar coverage)
};

/// Adjudicates one subject after another (reusing its buffers). One per thread.
class SubjectAdjudication {
public:
    /// `windows`: windows_of(rules), for the next change day.
    SubjectAdjudication(const rules::RuleSet& rules, const rules::Calendar& calendar,
                        const AdjudicateOptions& options, std::span<const util::Duration> windows)
        : m_rules(rules),
          m_calendar(calendar),
          m_options(options),
          m_windows(windows),
          m_day_reads(day_reads_of(rules)),
          m_evaluator(rules) {
        for (const rules::ListRule* list : rules.lists()) {
            m_needs.emplace(list, RecordNeed::of(list->criteria));
        }
    }

    /// Runs steps 1-5 for one subject, filling `outcome` (emptied first).
    void run(const SubjectCase& subject, SubjectOutcome& outcome);

private:
    bool in_scope(std::string_view domain) const;
    std::vector<std::string> open_list_ids() const;
    std::vector<std::string> other_lists(const model::Entry& except) const;
    bool has_open(const rules::ListRule& list) const;
    static bool is_of(const rules::ListRule& list, std::string_view list_id);
    bool has_open_black() const;
    model::EntryStatus status_read(std::int64_t entry_id) const;
    void record(const model::Entry& entry, model::ChangeKind change);
    void end(model::Entry& entry, model::EntryStatus status, util::Date on,
             model::EndReason reason);
    void advance();
    void adjust();
    bool lift_holds(const rules::ListRule& list, const std::vector<std::string>& lists,
                    std::span<const std::size_t> findings);
    std::vector<std::size_t> findings_of(const rules::ListRule& list, const model::Entry& entry,
                                         const std::vector<std::string>& lists);
    void stage_advances();
    void exclude_red();
    void consider(const rules::ListRule& list);
    bool evidence_used(const rules::ListRule& list, const Verdict& verdict);
    void create(const rules::ListRule& list, const Verdict& verdict);
    void warn_coverage(const rules::PeriodEnd& period);

    const rules::RuleSet& m_rules;
    const rules::Calendar& m_calendar;
    const AdjudicateOptions& m_options;
    std::span<const util::Duration> m_windows;
    DayReads m_day_reads;
    CriteriaEvaluator m_evaluator;
    /// What each list's criteria need of a subject's records (lists without a need are absent
    /// or nullopt): a subject without such a record is not evaluated for the list.
    std::unordered_map<const rules::ListRule*, std::optional<RecordNeed>> m_needs;
    const SubjectCase* m_case = nullptr;
    SubjectOutcome* m_outcome = nullptr;
    SubjectFacts m_subject;
    std::vector<SubjectRecord> m_records;
    std::vector<model::Entry> m_open;
    std::vector<std::pair<std::int64_t, model::EntryStatus>> m_status_read;  ///< as in the snapshot
    std::vector<std::int64_t> m_advanced;
    bool m_warned_coverage = false;
};

}  // namespace rbl::engine
