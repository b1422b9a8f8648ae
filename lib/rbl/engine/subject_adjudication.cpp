#include "rbl/engine/subject_adjudication.hpp"

#include <algorithm>

#include "rbl/engine/entry_term.hpp"
#include "rbl/engine/next_change.hpp"

namespace rbl::engine {

using model::Entry;
using model::EndReason;
using model::EntryStatus;

namespace {

// The change a run counts for an end it decided.
model::ChangeKind change_of(EntryStatus ended) {
    switch (ended) {
        case EntryStatus::expired:
            return model::ChangeKind::expired;
        case EntryStatus::lifted:
            return model::ChangeKind::lifted;
        case EntryStatus::revoked:
            return model::ChangeKind::revoked;
        default:
            return model::ChangeKind::withdrawn;
    }
}

}  // namespace

SubjectFacts facts_of(const store::SubjectRows& rows) {
    return subject_facts(rows.subject_id,
                         model::parse_subject_type(rows.subject_type)
                             .value_or(model::SubjectType::legal_person),
                         rows.region);
}

std::vector<SubjectRecord> records_of(const store::SubjectRows& rows,
                                      const rules::RuleSet& rules) {
    std::vector<SubjectRecord> records;
    records.reserve(rows.records.size());
    for (const store::StoredRecord& stored : rows.records) {
        SubjectRecord record;
        record.rec = stored.rec;
        record.record_id = stored.record_id;
        record.domain = stored.domain;
        record.kind = stored.kind;
        record.date = util::parse_iso_date(stored.date).value_or(util::Date());
        record.amount = stored.amount_fen;
        record.authority = stored.authority;
        record.region = stored.region;
        if (stored.attrs.size() > 2) {
            record.set_attributes(stored.attrs, rules.domain(stored.domain));
        }
        records.push_back(std::move(record));
    }
    return records;
}

void SubjectAdjudication::run(const SubjectCase& subject, SubjectOutcome& outcome) {
    m_case = &subject;
    m_outcome = &outcome;
    outcome.changes.clear();
    outcome.warnings.clear();
    m_subject = facts_of(subject.rows);
    m_records = records_of(subject.rows, m_rules);
    m_open = subject.entries.open;
    m_status_read.clear();
    for (const Entry& entry : m_open) {
        m_status_read.emplace_back(entry.entry_id, entry.status);
    }
    m_advanced.clear();
    advance();
    adjust();
    for (const rules::ListRule* list : m_rules.lists()) {
        if (list->kind == model::ListKind::black) {
            consider(*list);
        }
    }
    exclude_red();
    for (const rules::ListRule* list : m_rules.lists()) {
        if (list->kind == model::ListKind::red) {
            consider(*list);
        }
    }
    stage_advances();
    std::optional<util::Date> next_fact_day;
    if (subject.rows.next_fact_day) {
        next_fact_day = util::parse_iso_date(*subject.rows.next_fact_day).value_or(util::Date());
    }
    outcome.next_change =
        next_change_day(m_records, next_fact_day, m_open, m_windows, m_options.as_of,
                        m_day_reads, m_subject.birth_date);
}

bool SubjectAdjudication::in_scope(std::string_view domain) const {
    return m_options.domains.empty() ||
           std::find(m_options.domains.begin(), m_options.domains.end(), domain) !=
               m_options.domains.end();
}

std::vector<std::string> SubjectAdjudication::open_list_ids() const {
    std::vector<std::string> ids;
    for (const Entry& entry : m_open) {
        if (model::is_open(entry.status)) {
            ids.push_back(entry.list_id);
        }
    }
    return ids;
}

// The lists of the subject's open entries other than `except` (an element of m_open).
std::vector<std::string> SubjectAdjudication::other_lists(const Entry& except) const {
    std::vector<std::string> ids;
    for (const Entry& entry : m_open) {
        if (model::is_open(entry.status) && &entry != &except) {
            ids.push_back(entry.list_id);
        }
    }
    return ids;
}

// An open entry of the list, or of a list it replaces (a renamed list's entries count as its).
bool SubjectAdjudication::has_open(const rules::ListRule& list) const {
    return std::any_of(m_open.begin(), m_open.end(), [&](const Entry& entry) {
        return model::is_open(entry.status) && is_of(list, entry.list_id);
    });
}

bool SubjectAdjudication::is_of(const rules::ListRule& list, std::string_view list_id) {
    return list_id == list.id ||
           std::find(list.replaces.begin(), list.replaces.end(), list_id) != list.replaces.end();
}

bool SubjectAdjudication::has_open_black() const {
    return std::any_of(m_open.begin(), m_open.end(), [](const Entry& entry) {
        return entry.kind == model::ListKind::black && model::is_open(entry.status);
    });
}

EntryStatus SubjectAdjudication::status_read(std::int64_t entry_id) const {
    for (const auto& [id, status] : m_status_read) {
        if (id == entry_id) {
            return status;
        }
    }
    return EntryStatus::notice;
}

void SubjectAdjudication::record(const Entry& entry, model::ChangeKind change) {
    store::StagedChange staged;
    staged.entry = entry;
    staged.subject_name = m_case->rows.name;
    staged.change = change;
    if (entry.end_reason) {
        staged.detail = model::to_string(*entry.end_reason);
    }
    staged.status_read = status_read(entry.entry_id);
    m_outcome->changes.push_back(std::move(staged));
}

// Ends an entry and records the change its new status stands for.
void SubjectAdjudication::end(Entry& entry, EntryStatus status, util::Date on,
                              EndReason reason) {
    model::end_entry(entry, status, on, reason);
    record(entry, change_of(status));
}

// Steps 1 and 2: move entries along their dates, then re-check them.
// Step 1: every entry moves along its dates before any is re-checked. Entries only move
// forward, even when a forced run goes back in time.
void SubjectAdjudication::advance() {
    for (Entry& entry : m_open) {
        if (!in_scope(entry.domain) || model::is_held(entry)) {
            continue;  // a pending entry held by an open objection does not move
        }
        const EntryStatus before = entry.status;
        const EntryStatus scheduled = model::status_on(entry, m_options.as_of);
        if (scheduled == EntryStatus::expired) {
            end(entry, EntryStatus::expired, *entry.expires_on, EndReason::validity_ended);
        } else if (scheduled != before) {
            model::advance_entry(entry, scheduled);
            m_advanced.push_back(entry.entry_id);  // staged once the run's later steps are done
        }
    }
}

// Step 2: re-check open entries as of their decision date with the current records
// (withdrawn or corrected records can end an entry, the passing of time cannot); lift
// effective ones whose list's `lift` holds; withdraw pending entries of removed lists.
void SubjectAdjudication::adjust() {
    for (Entry& entry : m_open) {
        if (!in_scope(entry.domain) || !model::is_open(entry.status)) {
            continue;
        }
        const rules::ListRule* list = m_rules.list(entry.list_id);
        if (list == nullptr) {
            if (model::is_pending(entry.status)) {
                end(entry, EntryStatus::withdrawn, m_options.as_of, EndReason::rule_removed);
            }
            continue;
        }
        const Verdict recheck = m_evaluator.evaluate(*list, list->criteria, m_subject, m_records,
                                                     other_lists(entry), entry.decided_on);
        if (!recheck.holds) {
            if (model::is_pending(entry.status)) {
                end(entry, EntryStatus::withdrawn, m_options.as_of,
                    EndReason::criteria_no_longer_hold);
            } else {
                end(entry, EntryStatus::revoked, m_options.as_of, EndReason::evidence_withdrawn);
            }
            continue;
        }
        if (entry.status == EntryStatus::effective && list->lift &&
            lift_holds(*list, other_lists(entry), findings_of(*list, entry, other_lists(entry)))) {
            end(entry, EntryStatus::lifted, m_options.as_of, EndReason::lift_criteria_met);
        }
    }
}

// `lists`: the lists the subject is on, apart from the entry whose lift is in question;
// `findings`: the evidence a `linked` criterion must see answered (indexes into m_records).
bool SubjectAdjudication::lift_holds(const rules::ListRule& list,
                                     const std::vector<std::string>& lists,
                                     std::span<const std::size_t> findings) {
    return list.lift && m_evaluator
                            .evaluate(list, *list.lift, m_subject, m_records, lists,
                                      m_options.as_of, findings)
                            .holds;
}

// The findings an effective entry's lift must see answered (docs/RULES.md, `linked`): the
// records it was made from that are still facts, and every record its criteria take today - a
// finding made after the entry was created keeps the debtor listed as much as the first one.
std::vector<std::size_t> SubjectAdjudication::findings_of(const rules::ListRule& list,
                                                          const Entry& entry,
                                                          const std::vector<std::string>& lists) {
    std::vector<std::size_t> findings =
        m_evaluator.evaluate(list, list.criteria, m_subject, m_records, lists, m_options.as_of)
            .evidence;
    for (const store::Decision& decision : m_case->entries.of_entry(entry.entry_id)) {
        for (std::size_t i = 0; i < m_records.size(); ++i) {
            const SubjectRecord& record = m_records[i];
            if (record.domain == decision.domain && record.kind == decision.kind &&
                record.record_id == decision.record_id &&
                std::find(findings.begin(), findings.end(), i) == findings.end()) {
                findings.push_back(i);
            }
        }
    }
    return findings;
}

// Entries that moved to a later pending or in-force state and did not end in this run are
// counted as advanced, once (SPEC §4: ends count only under their own name).
void SubjectAdjudication::stage_advances() {
    for (const Entry& entry : m_open) {
        if (model::is_open(entry.status) && entry.entry_id != 0 &&
            std::find(m_advanced.begin(), m_advanced.end(), entry.entry_id) !=
                m_advanced.end()) {
            record(entry, model::ChangeKind::advanced);
        }
    }
}

// Step 4: a subject effective on a black list loses its red entries.
void SubjectAdjudication::exclude_red() {
    const bool effective_black = std::any_of(m_open.begin(), m_open.end(), [](const Entry& entry) {
        return entry.kind == model::ListKind::black && entry.status == EntryStatus::effective;
    });
    if (!effective_black) {
        return;
    }
    for (Entry& entry : m_open) {
        if (entry.kind != model::ListKind::red || !model::is_open(entry.status) ||
            !in_scope(entry.domain)) {
            continue;
        }
        if (model::is_pending(entry.status)) {
            end(entry, EntryStatus::withdrawn, m_options.as_of, EndReason::black_listed);
        } else {
            end(entry, EntryStatus::revoked, m_options.as_of, EndReason::black_listed);
        }
    }
}

// Steps 3 and 5: a subject that meets a list's criteria gets an entry.
void SubjectAdjudication::consider(const rules::ListRule& list) {
    if (!in_scope(list.domain) || !list.admits(m_subject.subject_type) || has_open(list) ||
        (list.kind == model::ListKind::red && has_open_black())) {
        return;
    }
    if (const auto need = m_needs.find(&list);
        need != m_needs.end() && need->second && !need->second->met_by(m_records)) {
        return;  // the criteria cannot hold: the subject has no record they could count
    }
    const Verdict verdict = m_evaluator.evaluate(list, list.criteria, m_subject, m_records,
                                                 open_list_ids(), m_options.as_of);
    if (!verdict.holds) {
        return;
    }
    // Every open entry counts here, those created earlier in this run too (they have no id
    // yet, so other_lists() would leave them out).
    if (lift_holds(list, open_list_ids(), verdict.evidence)) {
        return;  // the subject already meets the list's way out: an entry would end at once
    }
    if (!verdict.evidence.empty() && evidence_used(list, verdict)) {
        return;
    }
    create(list, verdict);
}

// No listing twice for the same facts: true when every record of the verdict's evidence was
// used by an entry of the list that ended before this run, or in it (a lift or an expiry a
// moment ago), other than by withdrawal. For a term counted from the evidence, an expiry does
// not use the facts up: a new entry's term counts from the same decisions, so it cannot restart
// a term that ran out (such an entry is not made), and a term the current rule gives longer -
// no fixed term for refusing to perform, a court's extension - than the entry's kept one
// (made under an earlier rule) runs on as the rule says.
bool SubjectAdjudication::evidence_used(const rules::ListRule& list, const Verdict& verdict) {
    const bool expiry_uses = list.term.from != rules::TermRule::From::evidence;
    auto used = m_case->entries.used_on(list.id, expiry_uses);
    for (const std::string& replaced : list.replaces) {
        const auto before = m_case->entries.used_on(replaced, expiry_uses);
        used.insert(used.end(), before.begin(), before.end());
    }
    for (const Entry& entry : m_open) {
        if (is_of(list, entry.list_id) && entry.entry_id != 0 && !model::is_open(entry.status) &&
            entry.status != EntryStatus::withdrawn &&
            (expiry_uses || entry.status != EntryStatus::expired)) {
            const auto decisions = m_case->entries.of_entry(entry.entry_id);
            used.insert(used.end(), decisions.begin(), decisions.end());
        }
    }
    // By decision, not by stored row: another source's copy of a used fact is used too.
    return std::all_of(verdict.evidence.begin(), verdict.evidence.end(), [&](std::size_t index) {
        const SubjectRecord& record = m_records[index];
        return std::find(used.begin(), used.end(),
                         store::Decision{record.domain, record.kind, record.record_id}) !=
               used.end();
    });
}

void SubjectAdjudication::create(const rules::ListRule& list, const Verdict& verdict) {
    Entry entry;
    entry.list_id = list.id;
    entry.subject_id = m_subject.subject_id;
    entry.kind = list.kind;
    entry.domain = list.domain;
    entry.decided_on = m_options.as_of;
    util::Date last = entry.decided_on;
    bool pending_period = false;
    if (list.procedure.notice_days > 0) {
        const auto period = m_calendar.period_end(last, list.procedure.notice_days);
        warn_coverage(period);
        entry.notice_until = period.end;
        last = period.end;
        pending_period = true;
    }
    if (list.procedure.publicity_days > 0) {
        const auto period = m_calendar.period_end(last, list.procedure.publicity_days);
        warn_coverage(period);
        entry.publicity_until = period.end;
        last = period.end;
        pending_period = true;
    }
    entry.effective_from = pending_period ? last.plus_days(1) : entry.decided_on;
    EntryTerm term = entry_term(list, m_records, verdict.evidence, entry.effective_from,
                                m_options.as_of, m_evaluator);
    // A term counted from the facts may have run out already, or run out before the entry
    // would take effect: no entry (SPEC.md §4).
    if (term.expires_on && *term.expires_on <= std::max(m_options.as_of, entry.effective_from)) {
        return;
    }
    for (std::string& warning : term.warnings) {
        m_outcome->warnings.push_back(std::move(warning));
    }
    entry.expires_on = term.expires_on;
    entry.status = model::scheduled_status(entry, m_options.as_of);

    // The explanation as data, and its English: the text stored and published as the reason.
    std::vector<model::Clause> clauses = verdict.clauses;
    if (term.clause) {
        clauses.push_back(std::move(*term.clause));
    }
    store::StagedChange staged;
    staged.create = true;
    staged.entry = entry;
    staged.subject_name = m_case->rows.name;
    staged.change = model::ChangeKind::created;
    staged.detail = model::words(clauses, i18n::Language::en);
    staged.detail_data = model::to_json(clauses).dump();
    for (std::size_t index : verdict.evidence) {
        staged.evidence.emplace_back(m_records[index].rec, m_records[index].record_id);
    }
    staged.authority = entry_authority(list, m_records, verdict.evidence);
    m_outcome->changes.push_back(std::move(staged));
    m_open.push_back(entry);  // later lists of this run see it
}

void SubjectAdjudication::warn_coverage(const rules::PeriodEnd& period) {
    if (period.beyond_coverage && !m_warned_coverage) {
        m_warned_coverage = true;
        m_outcome->warnings.push_back(m_calendar.coverage_warning(period));
    }
}

}  // namespace rbl::engine
