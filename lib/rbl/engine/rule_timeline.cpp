#include "rbl/engine/rule_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "rbl/engine/entry_term.hpp"
#include "rbl/engine/next_change.hpp"
#include "rbl/engine/subject_adjudication.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/json_text.hpp"
#include "rbl/util/money.hpp"

namespace rbl::engine {

Result<store::StoredRecord> stored_test_record(const rules::RuleSet& rules,
                                               const rules::ListRule& list,
                                               const rules::TestRecord& given, int number) {
    store::StoredRecord record;
    record.rec = number;
    record.record_id = fmt::format("T{}", number);
    record.domain = list.domain;
    record.source = "test";
    bool has_date = false;
    std::vector<std::pair<std::string, std::string>> attributes;
    for (const auto& [name, value] : given.fields) {
        if (name == "record_id") {
            record.record_id = value;
        } else if (name == "domain") {
            record.domain = value;
        } else if (name == "kind") {
            record.kind = value;
        } else if (name == "date") {
            auto date = util::parse_date(value);
            if (!date) {
                return fail(trf("record {} (line {}): {}", number, given.spot.line, date.error()));
            }
            record.date = date->iso();
            has_date = true;
        } else if (name == "amount") {
            auto fen = util::parse_yuan(value);
            if (!fen) {
                return fail(trf("record {} (line {}): {}", number, given.spot.line, fen.error()));
            }
            record.amount_fen = *fen;
        } else if (name == "authority") {
            record.authority = value;
        } else if (name == "region") {
            record.region = value;
        } else if (name == "status") {
            record.active = value != "withdrawn";
        } else {
            attributes.emplace_back(name, value);
        }
    }
    if (!has_date || record.kind.empty()) {
        return fail(trf("record {} (line {}) needs kind and date", number, given.spot.line));
    }
    const rules::DomainRules* domain = rules.domain(record.domain);
    if (domain == nullptr) {
        return fail(trf("record {} (line {}): unknown domain '{}'", number, given.spot.line,
                        record.domain));
    }
    // Attributes as import stores them: numbers and booleans of the domain as JSON literals.
    // (Built in a string of its own: g++ 12 at -O3 warns falsely of an overlapping copy when
    // the member is assigned a literal here.)
    std::string attrs;
    attrs.push_back('{');
    for (const auto& [name, value] : attributes) {
        if (attrs.size() > 1) {
            attrs.push_back(',');
        }
        util::append_json_string(attrs, name);
        attrs.push_back(':');
        const rules::Attribute* declared = domain->attribute(name);
        const bool literal = declared != nullptr &&
                             (declared->type == rules::AttributeType::number ||
                              declared->type == rules::AttributeType::boolean);
        if (literal) {
            attrs.append(value);
        } else {
            util::append_json_string(attrs, value);
        }
    }
    attrs.push_back('}');
    record.attrs = std::move(attrs);
    return record;
}

namespace {

/// One subject's entries and records kept in memory across a test's steps, as the database
/// keeps them across runs.
class Timeline {
public:
    Timeline(const rules::RuleSet& rules, const rules::ListRule& list, const SubjectFacts& subject,
             const rules::Calendar& calendar)
        : m_rules(rules), m_list(list), m_subject(subject), m_calendar(calendar),
          m_windows(windows_of(rules)) {}

    /// Adds a step's records (a later version of a decision replaces the earlier one).
    Result<bool> add_records(const rules::TestStep& step, int batch) {
        for (const rules::TestRecord& given : step.records) {
            auto record = stored_test_record(m_rules, m_list, given, ++m_numbered);
            if (!record) {
                return fail(record.error());
            }
            record->updated_batch = batch;
            m_records.push_back(std::move(*record));
        }
        return true;
    }

    /// A run as of `day`: what rbl-adjudicate decides for the subject, applied.
    void run(util::Date day) {
        SubjectCase subject;
        subject.rows.subject_id = m_subject.subject_id;
        subject.rows.subject_type = std::string(model::to_string(m_subject.subject_type));
        subject.rows.region = m_subject.region;
        subject.rows.records = m_records;
        subject.rows.next_fact_day =
            store::keep_one_fact_per_decision(subject.rows.records, day.iso());
        for (const model::Entry& entry : m_entries) {
            if (model::is_open(entry.status)) {
                subject.entries.open.push_back(entry);
            }
        }
        subject.entries.evidence = m_evidence;
        AdjudicateOptions options;
        options.as_of = day;
        SubjectAdjudication adjudication(m_rules, m_calendar, options, m_windows);
        SubjectOutcome outcome;
        adjudication.run(subject, outcome);
        for (const store::StagedChange& change : outcome.changes) {
            apply(change);
        }
    }

    /// A credit-repair application for the list's latest entry received on `day`, granted
    /// unless something bars it; returns the bar's words when something does.
    std::optional<std::string> repair(util::Date day, const std::string& commitment) {
        model::Entry* entry = latest();
        if (entry == nullptr) {
            return tr("there is no entry to repair");
        }
        const model::EntryTerms terms = entry_terms_of(m_list);
        const model::RepairFacts facts = repair_facts(*entry, terms, day, commitment);
        const auto bar = model::repair_bar(*entry, terms, day, facts);
        if (bar) {
            switch (bar->why) {
                case model::RepairBar::Why::not_allowed:
                    return tr("the list allows no credit repair");
                case model::RepairBar::Why::repeated:
                    return trf("the subject has {} entries on the list decided within {}",
                               facts.recent_entries,
                               terms.repair_barred_within ? terms.repair_barred_within->text()
                                                          : std::string());
                case model::RepairBar::Why::no_commitment:
                    return tr("the list asks for a credit commitment (commitment:)");
                case model::RepairBar::Why::not_recorded:
                    return trf("the evidence records no {}", terms.repair_from);
                case model::RepairBar::Why::not_in_force:
                    return trf("the entry is not in force on {} ({})", day.iso(),
                               model::status_words(model::status_on(*entry, day)));
                case model::RepairBar::Why::too_early:
                    return trf("credit repair is allowed from {}", bar->earliest.iso());
            }
        }
        if (entry->status != model::EntryStatus::effective) {
            model::advance_entry(*entry, model::EntryStatus::effective);  // by its dates
        }
        model::end_entry(*entry, model::EntryStatus::repaired, day,
                         model::EndReason::credit_repair);
        mark_ended(*entry);
        return std::nullopt;
    }

    /// The latest entry of the test's list, or null when it has none.
    [[nodiscard]] const model::Entry* latest_entry() const {
        for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
            if (it->list_id == m_list.id) {
                return &*it;
            }
        }
        return nullptr;
    }

    /// The deciding department of the list's latest entry.
    [[nodiscard]] const std::string& latest_authority() const { return m_latest_authority; }

private:
    model::Entry* latest() { return const_cast<model::Entry*>(latest_entry()); }

    // As rbl-appeal reads them: the evidence's facts on the day, the subject's recent entries.
    model::RepairFacts repair_facts(const model::Entry& entry, const model::EntryTerms& terms,
                                    util::Date day, const std::string& commitment) const {
        model::RepairFacts facts;
        facts.commitment = model::gives_commitment(commitment);
        facts.recent_entries = model::recent_entries(m_entries, entry, terms, day);
        if (!terms.repair_from.empty()) {
            std::vector<store::StoredRecord> facts_then = m_records;
            store::keep_one_fact_per_decision(facts_then, day.iso());
            std::vector<store::Decision> evidence;
            for (const store::EntryDecision& decision : m_evidence) {
                if (decision.entry_id == entry.entry_id) {
                    evidence.push_back(decision.decision);
                }
            }
            facts.from_day = store::latest_date_attribute(facts_then, evidence, terms.repair_from);
        }
        return facts;
    }

    void apply(const store::StagedChange& change) {
        if (change.create) {
            model::Entry entry = change.entry;
            entry.entry_id = static_cast<std::int64_t>(m_entries.size()) + 1;
            for (const auto& evidence : change.evidence) {
                const std::int64_t rec = evidence.first;  // (clang 14 captures no binding)
                const std::string& record_id = evidence.second;
                const auto record =
                    std::find_if(m_records.begin(), m_records.end(),
                                 [rec](const store::StoredRecord& r) { return r.rec == rec; });
                store::EntryDecision decision;
                decision.entry_id = entry.entry_id;
                decision.list_id = entry.list_id;
                decision.decision = {record->domain, record->kind, record_id};
                m_evidence.push_back(std::move(decision));
            }
            if (entry.list_id == m_list.id) {
                m_latest_authority = change.authority.empty() ? m_list.authority : change.authority;
            }
            m_entries.push_back(std::move(entry));
            return;
        }
        model::Entry& entry = m_entries.at(static_cast<std::size_t>(change.entry.entry_id) - 1);
        entry = change.entry;
        if (!model::is_open(entry.status)) {
            mark_ended(entry);
        }
    }

    // Once an entry ends, its decisions count as used (SPEC.md §4) unless it was withdrawn.
    void mark_ended(const model::Entry& entry) {
        for (store::EntryDecision& decision : m_evidence) {
            if (decision.entry_id == entry.entry_id) {
                decision.used = entry.status != model::EntryStatus::withdrawn;
                decision.expired = entry.status == model::EntryStatus::expired;
            }
        }
    }

    const rules::RuleSet& m_rules;
    const rules::ListRule& m_list;
    const SubjectFacts& m_subject;
    const rules::Calendar& m_calendar;
    std::vector<util::Duration> m_windows;
    std::vector<store::StoredRecord> m_records;
    std::vector<model::Entry> m_entries;  ///< entry_id - 1 is the index
    std::vector<store::EntryDecision> m_evidence;
    std::string m_latest_authority;
    int m_numbered = 0;
};

std::string date_words(const std::optional<util::Date>& day) {
    return day ? day->iso() : std::string("none");
}

std::string expiry_words(const std::optional<util::Date>& day) {
    return day ? day->iso() : std::string("open");
}

// The first expectation of `step` the entry does not meet, in words; empty when all hold.
std::string unmet(const rules::TestStep& step, const model::Entry* entry,
                  const std::string& authority) {
    const std::string status = entry ? std::string(model::to_string(entry->status)) : "none";
    if (step.status && *step.status != status) {
        return trf("expected status {}, but it is {}", *step.status, status);
    }
    if (entry == nullptr) {
        const bool expects_more = step.notice_until || step.publicity_until ||
                                  step.effective_from || step.expires_on || step.ended_on ||
                                  step.end_reason || step.authority;
        return expects_more ? tr("expected an entry, but the subject has none on the list")
                            : std::string();
    }
    const auto date_check = [](const char* what, const std::optional<util::Date>& expected,
                               const std::optional<util::Date>& actual) -> std::string {
        if (expected && expected != actual) {
            return trf("expected {} {}, but it is {}", what, expected->iso(), date_words(actual));
        }
        return {};
    };
    for (std::string problem :
         {date_check("notice_until", step.notice_until, entry->notice_until),
          date_check("publicity_until", step.publicity_until, entry->publicity_until),
          date_check("effective_from", step.effective_from, entry->effective_from),
          date_check("ended_on", step.ended_on, entry->ended_on)}) {
        if (!problem.empty()) {
            return problem;
        }
    }
    if (step.expires_on && *step.expires_on != entry->expires_on) {
        return trf("expected expires_on {}, but it is {}", expiry_words(*step.expires_on),
                   expiry_words(entry->expires_on));
    }
    const std::string reason =
        entry->end_reason ? std::string(model::to_string(*entry->end_reason)) : "none";
    if (step.end_reason && *step.end_reason != reason) {
        return trf("expected end_reason {}, but it is {}", *step.end_reason, reason);
    }
    if (step.authority && *step.authority != authority) {
        return trf("expected the deciding department {}, but it is {}", *step.authority,
                   authority);
    }
    return {};
}

}  // namespace

RuleTestResult run_timeline_test(const rules::RuleSet& rules, const rules::ListRule& list,
                                 const rules::RuleTest& test, const SubjectFacts& subject,
                                 const rules::Calendar& calendar) {
    RuleTestResult result{list.id, test.name, {}, test.spot.line, false, {}, {}};
    Timeline timeline(rules, list, subject, calendar);
    int number = 0;
    for (const rules::TestStep& step : test.runs) {
        ++number;
        std::string problem;
        if (step.kind == rules::TestStep::Kind::run) {
            if (auto added = timeline.add_records(step, number); !added) {
                problem = added.error();
            } else {
                timeline.run(step.on);
            }
        } else {
            const auto refusal = timeline.repair(step.on, step.commitment);
            if (refusal && !step.expect_refused) {
                problem = trf("expected the repair granted, but it is refused: {}", *refusal);
            } else if (!refusal && step.expect_refused) {
                problem = tr("expected the repair refused, but it is granted");
            }
        }
        if (problem.empty()) {
            problem = unmet(step, timeline.latest_entry(), timeline.latest_authority());
        }
        if (!problem.empty()) {
            const std::string what = step.kind == rules::TestStep::Kind::run
                                         ? trf("the run as of {}", step.on.iso())
                                         : trf("the repair application of {}", step.on.iso());
            result.problem = trf("step {} (line {}), {}: {}", number, step.spot.line, what, problem);
            return result;
        }
    }
    result.passed = true;
    return result;
}

}  // namespace rbl::engine
