#pragma once
// The lists a domain's rule file defines (SPEC.md §3): criteria trees with compiled expressions,
// terms, procedure, repair, measures and embedded tests, as loaded and checked from YAML.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rbl/model/list_kind.hpp"
#include "rbl/model/subject.hpp"
#include "rbl/rules/expression.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/money.hpp"

namespace rbl::rules {

/// Where in its file something was written (1-based; 0 when unknown).
struct SourceSpot {
    int line = 0;
    int column = 0;
};

/// Which of a subject's active records a criterion looks at.
struct Selection {
    std::vector<std::string> kinds;        ///< empty: every kind
    std::optional<util::Duration> within;  ///< records dated from as-of minus this to as-of
    bool any_domain = false;               ///< `domain: any`
    std::vector<std::string> domains;      ///< the domains looked at (the rule's own by default)
    std::optional<CompiledExpression> where;
};

/// One node of a criteria tree.
struct Criterion {
    enum class Type { all, any, negation, exists, count, sum, subject, listed, linked };
    Type type = Type::all;
    SourceSpot spot;
    std::vector<Criterion> children;  ///< all, any: the children; negation: exactly one
    Selection selection;              ///< exists, count, sum; linked: the answering records
    /// linked (only in `lift:`): the declared attribute a selected record shares with a
    /// finding (an evidence record of the entry) to answer it, e.g. `case_no`.
    std::string link_attribute;
    std::optional<std::int64_t> count_at_least;
    std::optional<std::int64_t> count_at_most;
    std::string sum_field;  ///< sum: `amount` or a number attribute
    int sum_slot = -1;      ///< its slot in the record schema
    std::optional<util::Decimal> sum_at_least;
    std::optional<util::Decimal> sum_at_most;
    std::optional<CompiledExpression> subject_expression;
    // listed: the subject has a pending or effective entry on ...
    std::optional<model::ListKind> listed_kind;  ///< ... a list of this kind,
    std::string listed_domain;            ///< ... of this domain ("any" or empty: any domain),
    std::string listed_list;              ///< ... or on this very list.
};

/// A joint reward or punishment measure and the departments that apply it.
struct Measure {
    std::string id;
    std::string text_zh;
    std::vector<std::string> departments;
};

/// Procedure periods in working days.
struct Procedure {
    int notice_days = 0;
    int publicity_days = 0;
    int appeal_days = 0;
};

/// Credit repair terms.
struct RepairTerms {
    bool allowed = false;
    std::optional<util::Duration> after;  ///< earliest repair, from the effective date
    /// `from:` a date attribute of the evidence: `after` counts from its latest value among the
    /// entry's evidence as it stands on the application day (never before the effective date);
    /// no repair while none has it. Empty: from the effective date.
    std::string from_attribute;
    bool commitment = false;  ///< `commitment: true`: the application carries a credit commitment
    /// `barred_when: { entries: N, within: D }`: no repair for a subject with N or more entries
    /// on the list (withdrawn ones aside) decided within D before the application; 0: no bar.
    int barred_entries = 0;
    std::optional<util::Duration> barred_within;
};

/// How long an entry stays in force (SPEC.md §4, docs/RULES.md `term:`): `validity: D` is a
/// term of D from the entry's effective date; `term:` may count it from the evidence instead,
/// make it open-ended, read an extension from the evidence, or be open-ended for some evidence.
struct TermRule {
    enum class From {
        effective,  ///< the entry's effective date (`validity:`, or `term: { from: effective }`)
        evidence,   ///< each evidence record's own date (the decision document)
    };
    From from = From::effective;
    /// The term; nullopt: open-ended (`length: open`), in force until lift, repair or revocation.
    std::optional<util::Duration> length;
    /// `add:`: a declared text attribute of the evidence holding a duration (e.g. `1y`) added to
    /// the length, and the duration used when a record has none.
    std::string add_attribute;
    util::Duration add_default;
    /// `open_when:`: an expression over an evidence record; the entry is open-ended when it holds
    /// for one of its evidence records.
    std::optional<CompiledExpression> open_when;
    /// True when written as `term:` (false: `validity:`).
    bool written = false;

    /// True when every entry's expiry is its effective date plus one fixed length (`validity:`).
    [[nodiscard]] bool fixed() const {
        return from == From::effective && length && add_attribute.empty() && !open_when;
    }
};

/// One record of an embedded test: field name and value as written.
struct TestRecord {
    std::vector<std::pair<std::string, std::string>> fields;
    SourceSpot spot;
};

/// One step of a test over time (`runs:`): a run as of a day, or a credit-repair application
/// for the list's entry received and decided on a day, with the records that arrived before it,
/// and what the list's latest entry is expected to be after it (each expectation optional).
struct TestStep {
    enum class Kind { run, repair };
    Kind kind = Kind::run;
    util::Date on;                    ///< `as_of:` of a run, `repair:` of an application
    std::vector<TestRecord> records;  ///< given before the step (a later version replaces one)
    /// `status:`: the entry's status (model::EntryStatus's name), or `none` for no entry yet.
    std::optional<std::string> status;
    std::optional<util::Date> notice_until;
    std::optional<util::Date> publicity_until;
    std::optional<util::Date> effective_from;
    /// `expires_on:` a date, or nullopt inside for `open` (open-ended)
    std::optional<std::optional<util::Date>> expires_on;
    std::optional<util::Date> ended_on;
    std::optional<std::string> end_reason;  ///< model::EndReason's name
    std::optional<std::string> authority;
    /// `refused:` of a repair step: whether the application is refused (false when absent: a
    /// refusal fails the test, naming why).
    bool expect_refused = false;
    std::string commitment;  ///< `commitment:` of a repair step: the credit commitment given
    SourceSpot spot;
};

/// A test embedded in a rule file, run by `rbl-rules test`: one evaluation as of a day, or, with
/// `runs`, a sequence of runs and repair applications over time.
struct RuleTest {
    std::string name;
    util::Date as_of;
    model::SubjectType subject_type = model::SubjectType::legal_person;
    std::vector<TestRecord> records;
    std::vector<std::string> entries;  ///< lists the subject is already on
    std::string subject_id;            ///< `subject_id:`; empty: a valid one of subject_type
    bool expect_listed = true;
    /// `expires_on:`, checked when listed: a date, or nullopt inside for `open` (open-ended).
    std::optional<std::optional<util::Date>> expect_expires_on;
    /// `authority:`, checked when listed: the entry's deciding department.
    std::optional<std::string> expect_authority;
    std::vector<TestStep> runs;  ///< a test over time: its steps in order (as_of etc. unused)
    SourceSpot spot;
};

/// One list of a domain.
struct ListRule {
    std::string id;
    std::string domain;
    model::ListKind kind = model::ListKind::black;
    std::string title;
    std::string title_zh;
    std::string basis;
    std::string authority;
    /// `authority_from: evidence`: an entry's deciding department is its latest evidence
    /// record's `authority` (谁认定、谁修复), `authority` when no evidence record names one
    bool authority_from_evidence = false;
    /// `replaces:` lists an earlier revision had under other ids (no longer in the rules): their
    /// open entries count as this list's, and the facts they used as used here, so a renamed
    /// list does not list its subjects a second time (SPEC.md §4; docs/RULES.md)
    std::vector<std::string> replaces;
    SourceSpot replaces_spot;
    std::vector<model::SubjectType> subjects;  ///< who may be listed
    Criterion criteria;
    std::optional<Criterion> lift;
    util::Duration validity;  ///< term.length when the term is a fixed one; else 0d
    TermRule term;
    Procedure procedure;
    RepairTerms repair;
    std::vector<Measure> measures;
    std::vector<RuleTest> tests;
    SourceSpot spot;

    /// True when subjects of this type may be on the list.
    [[nodiscard]] bool admits(model::SubjectType type) const;
};

}  // namespace rbl::rules
