#pragma once
// Evaluating a list's criteria for one subject as of a date (SPEC.md §3): which records each
// criterion selects, whether it holds, the evidence, and a plain explanation with the figures.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rbl/model/explanation.hpp"
#include "rbl/model/subject.hpp"
#include "rbl/rules/expression.hpp"
#include "rbl/rules/list_rule.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/money.hpp"

namespace rbl::engine {

/// One attribute of a record, typed as its domain declares it (undeclared ones are text).
struct AttributeValue {
    std::string name;
    rules::AttributeType type = rules::AttributeType::text;
    std::string text;         ///< text values (and the source text of others)
    util::Decimal number;     ///< number values
    util::Date date;          ///< date values
    bool flag = false;        ///< bool values
};

/// A record as criteria see it. Only active records are given to the evaluator.
struct SubjectRecord {
    std::int64_t rec = 0;  ///< the database row, for evidence
    std::string record_id;
    std::string domain;
    std::string kind;
    util::Date date;
    std::optional<util::Fen> amount;
    std::optional<std::string> authority;
    std::optional<std::string> region;
    std::vector<AttributeValue> attributes;

    /// Parses the stored attributes JSON object, typing values by `domain_rules` (may be null).
    void set_attributes(std::string_view attrs_json, const rules::DomainRules* domain_rules);
};

/// The subject being judged.
struct SubjectFacts {
    std::string subject_id;
    model::SubjectType subject_type = model::SubjectType::legal_person;
    std::string region;
    /// A natural person's birth date from the resident ID (none for others, or when the
    /// identifier holds none): the `birth_date` and `age` of subject expressions.
    std::optional<util::Date> birth_date;
};

/// One top-level part of a selection's `where` (the parts joined by `and`) for one record.
struct RecordCheck {
    std::string test;    ///< the part as written: "months_unpaid >= 3"
    bool holds = false;
    std::string figure;  ///< the record's values of the fields it names: "months_unpaid = 2"
    /// For a comparison of a field with a constant: "needs ≥ 3, short by 1" (or "…, margin 2").
    std::string margin;
};

/// A record a selection considered: of a domain and kind it looks at, dated up to as-of.
struct ConsideredRecord {
    std::size_t index = 0;  ///< into the records given
    bool taken = false;     ///< in the window and passing `where`
    std::string why_not;    ///< when not taken: "outside the window …" or "where fails"
    std::vector<RecordCheck> checks;  ///< `where`'s parts, when the record is in the window
    /// The record's values of the fields the criterion uses (`where`'s fields, the summed one).
    std::vector<std::pair<std::string, std::string>> attributes;
};

/// One node of a criteria tree as evaluated, for `--explain` (CriteriaEvaluator::trace).
struct CriterionTrace {
    int depth = 0;
    rules::Criterion::Type type = rules::Criterion::Type::all;
    bool holds = false;
    std::string text;       ///< what the node tests, with its figure: "2 penalty records within 1y"
    std::string figure;     ///< count, sum: the figure ("2", "36500.00"); else empty
    std::string threshold;  ///< count, sum, exists: "needs ≥ 3"; else empty
    std::string margin;     ///< count, sum: "short by 1", "over by 2", "margin 1"; else empty
    /// How far the node is from holding, 0 (holds) to 1, by which `--explain` finds the nearest
    /// miss (docs/DESIGN.md, "--explain"): exists, the smallest share of `where`'s parts that a
    /// record in the window fails (1 without such a record); count ≥ n with c records taken,
    /// (n − c − 1 + that share) / n; count ≤ m, (c − m) / c; sum, the shortfall or excess
    /// relative to the bound (to the total for ≤); subject, listed and not, 1; all, the largest
    /// of its children's; any, the least of them.
    double distance = 0;
    std::vector<ConsideredRecord> records;  ///< exists, count, sum
};

/// A subject's facts with its birth date read from the identifier when it is a natural person.
SubjectFacts subject_facts(std::string subject_id, model::SubjectType type, std::string region);

/// The outcome of evaluating criteria.
struct Verdict {
    bool holds = false;
    std::vector<std::size_t> evidence;  ///< indexes into the records given, sorted by record_id
    std::vector<std::string> explanation;  ///< one line per criterion, indented by depth
    /// The same lines as data (model::words(clauses[i], en) == explanation[i]), for the
    /// explanation in another language.
    std::vector<model::Clause> clauses;
    /// Whether each criterion held, in the same order as `explanation` (the tree in pre-order).
    std::vector<bool> held;
    /// With tracing on (CriteriaEvaluator::set_tracing): each node, in the same order.
    std::vector<CriterionTrace> trace;
    /// With tracing on: how far the criteria are from holding (the root's distance).
    double distance = 0;
};

/// A condition criteria need to hold at all: the subject has a record that one of `selections`
/// would take, judged on domain and kind alone (windows and `where` ignored). A subject without
/// one cannot meet the criteria, so a run need not evaluate them for it (SPEC.md §8).
struct RecordNeed {
    std::vector<const rules::Selection*> selections;

    /// The need of `criterion`, if it has one: criteria that can hold without any record ("no
    /// penalty within 3y", a `listed` or `subject` test) have none.
    static std::optional<RecordNeed> of(const rules::Criterion& criterion);
    /// True when one of `records` is of a domain and kind one of the selections takes.
    [[nodiscard]] bool met_by(std::span<const SubjectRecord> records) const;
};

/// Evaluates criteria trees for one subject over its records. Reuses its buffers.
class CriteriaEvaluator {
public:
    explicit CriteriaEvaluator(const rules::RuleSet& rules) : m_rules(rules) {}

    /// With tracing on, verdicts carry the trace of every node (for `--explain`; slower).
    void set_tracing(bool on) { m_tracing = on; }

    /// Evaluates `criterion` (of `list`) as of `as_of`. `records` are the subject's active
    /// records, any date (later ones are ignored); `entries` the ids of lists the subject has a
    /// pending or effective entry on.
    /// `findings`: for a lift, the entry's evidence (indexes into `records`), which `linked`
    /// criteria match records to; empty elsewhere (a `linked` criterion then does not hold).
    Verdict evaluate(const rules::ListRule& list, const rules::Criterion& criterion,
                     const SubjectFacts& subject, std::span<const SubjectRecord> records,
                     std::span<const std::string> entries, util::Date as_of,
                     std::span<const std::size_t> findings = {});

    /// Whether a record expression of `list`'s domain (e.g. a term's `open_when`) holds for
    /// `record` as of `as_of`.
    bool record_holds(const rules::ListRule& list, const rules::CompiledExpression& expression,
                      const SubjectRecord& record, util::Date as_of);

private:
    bool eval(const rules::Criterion& criterion, int depth, Verdict& verdict,
              std::vector<std::size_t>& evidence);
    std::vector<std::size_t> select(const rules::Selection& selection);
    bool where_holds(const rules::CompiledExpression& where, const SubjectRecord& record);
    void load(const SubjectRecord& record);
    bool listed(const rules::Criterion& criterion) const;
    /// linked: the records of `answering` that answer each finding, and the findings none does.
    void link(const rules::Criterion& criterion, const std::vector<std::size_t>& answering,
              std::vector<std::size_t>& answers, std::vector<std::size_t>& unanswered) const;
    model::SelectionWords selection_words(const rules::Selection& selection,
                                          std::size_t count) const;
    std::vector<std::string> record_ids(const std::vector<std::size_t>& selected) const;
    double nearest_record(const Verdict& verdict, std::size_t slot) const;
    void trace_records(const rules::Criterion& criterion, CriterionTrace& trace);
    /// One part of a `where` over the record load() put in m_values.
    RecordCheck check(const rules::CompiledExpression& part);
    std::string value_text(int slot) const;
    const std::vector<rules::CompiledExpression>& where_parts(const rules::Selection& selection);

    const rules::RuleSet& m_rules;
    const rules::ListRule* m_list = nullptr;
    const rules::Schema* m_schema = nullptr;  ///< the record schema of m_list's domain
    const SubjectFacts* m_subject = nullptr;
    std::span<const SubjectRecord> m_records;
    std::span<const std::string> m_entries;
    std::span<const std::size_t> m_findings;
    util::Date m_as_of;
    std::vector<rules::Value> m_values;
    bool m_tracing = false;
    double m_last_distance = 0;  ///< tracing: the distance of the node eval() last finished
    /// tracing: each `where`'s top-level parts, compiled (by the selection's address)
    std::vector<std::pair<const rules::Selection*, std::vector<rules::CompiledExpression>>>
        m_where_parts;
};

}  // namespace rbl::engine
