#include "rbl/appeal/appeal_desk.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "rbl/appeal/decision_support.hpp"
#include "rbl/model/entry_history.hpp"
#include "rbl/model/explanation.hpp"
#include "rbl/model/subject.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::appeal {

namespace {

using model::AppealOutcome;
using model::AppealType;
using model::Entry;
using model::EntryStatus;
using model::EntryTerms;

// The state a held pending entry was in ends on its planned last day or on the decision day,
// whichever is later; the periods after it follow from there (SPEC §5).
void release_hold(Entry& entry, util::Date decided, const EntryTerms& terms,
                  const rules::Calendar& calendar) {
    util::Date last = entry.decided_on;
    if (entry.status == EntryStatus::notice) {
        last = std::max(entry.notice_until.value_or(entry.decided_on), decided);
        entry.notice_until = last;
        if (terms.publicity_days > 0) {
            last = calendar.period_end(last, terms.publicity_days).end;
            entry.publicity_until = last;
        }
    } else {
        last = std::max(entry.publicity_until.value_or(entry.decided_on), decided);
        entry.publicity_until = last;
    }
    entry.effective_from = last.plus_days(1);
    if (!terms.expiry_fixed) {
        entry.expires_on = terms.validity.after(entry.effective_from);
    }
}

std::string ended_message(const Entry& entry, EntryStatus state) {
    if (state == EntryStatus::expired && entry.status != EntryStatus::expired &&
        entry.expires_on) {
        return trf("entry {} ran out on {} (its validity ended)", entry.entry_id,
                   entry.expires_on->plus_days(-1).iso());
    }
    const std::optional<util::Date> ended = entry.ended_on ? entry.ended_on : entry.expires_on;
    const std::string day = ended ? ended->iso() : std::string(tr("(no date)"));
    if (entry.end_reason) {
        return trf("entry {} has ended: {} on {} ({})", entry.entry_id, model::status_words(state),
                   day, reason_words(*entry.end_reason));
    }
    return trf("entry {} has ended: {} on {}", entry.entry_id, model::status_words(state), day);
}

nlohmann::json entry_json(const Entry& entry) {
    return {{"list_id", entry.list_id},
            {"subject_id", entry.subject_id},
            {"status", model::to_string(entry.status)},
            {"disputed", entry.disputed},
            {"effective_from", entry.effective_from.iso()},
            {"expires_on", entry.expires_on ? entry.expires_on->iso() : std::string()}};
}

}  // namespace

AppealDesk::AppealDesk(store::Database& db, audit::AuditLog& audit,
                       const rules::Calendar& calendar, std::string operator_name,
                       PublicityByDomain publicity)
    : m_db(db),
      m_audit(audit),
      m_calendar(calendar),
      m_operator(std::move(operator_name)),
      m_store(db),
      m_entries(db),
      m_records(db),
      m_states(db),
      m_repairs(db),
      m_publicity(std::move(publicity)) {}

std::string AppealDesk::entry_state_hex(std::int64_t entry_id) {
    const auto state = m_states.entry_state(entry_id);
    if (!state) {
        throw FailedError(trf("internal error: entry {} vanished while it was written", entry_id));
    }
    return store::to_hex(*state);
}

store::EntryDetail AppealDesk::entry_or_throw(std::int64_t entry_id) {
    auto detail = m_store.entry(entry_id);
    if (!detail) {
        throw UsageError(trf("there is no entry {}", entry_id));
    }
    return std::move(*detail);
}

model::RepairFacts AppealDesk::repair_facts(const Entry& entry, const EntryTerms& terms,
                                            const FileRequest& request) {
    model::RepairFacts facts;
    facts.commitment = model::gives_commitment(request.commitment);
    if (terms.repair_barred_entries > 0) {
        facts.recent_entries = model::recent_entries(m_entries.subject_entries(entry.subject_id),
                                                     entry, terms, request.received);
    }
    if (!terms.repair_from.empty()) {
        const std::vector<store::Decision> evidence = m_entries.evidence_of(entry.entry_id);
        store::SubjectReader reader(m_db, request.received.iso(), entry.subject_id);
        store::SubjectRows rows;
        if (reader.next(rows)) {
            facts.from_day = store::latest_date_attribute(rows.records, evidence, terms.repair_from);
        }
    }
    return facts;
}

void AppealDesk::check_repair(const store::EntryDetail& detail, const EntryTerms& terms,
                              const FileRequest& request) {
    const Entry& entry = detail.entry;
    const model::RepairFacts facts = repair_facts(entry, terms, request);
    if (const auto bar = model::repair_bar(entry, terms, request.received, facts)) {
        const EntryStatus state = model::status_on(entry, request.received);
        switch (bar->why) {
            case model::RepairBar::Why::not_allowed:
                throw UsageError(trf("entry {}: list {} allows no credit repair", entry.entry_id,
                                     entry.list_id));
            case model::RepairBar::Why::repeated:
                throw UsageError(trf(
                    "entry {}: list {} allows no credit repair for a subject with {} or more of "
                    "its entries decided within {} (this subject has {})",
                    entry.entry_id, entry.list_id, terms.repair_barred_entries,
                    terms.repair_barred_within ? terms.repair_barred_within->text() : "",
                    facts.recent_entries));
            case model::RepairBar::Why::not_in_force:
                if (entry.disputed) {
                    throw UsageError(trf(
                        "entry {} is not in force yet ({}, in force from {} unless an open "
                        "objection holds it longer): credit repair applies to entries in force; "
                        "it will be allowed from {} at the earliest",
                        entry.entry_id, model::status_words(state), entry.effective_from.iso(),
                        bar->earliest.iso()));
                }
                throw UsageError(trf(
                    "entry {} is not in force yet ({}, in force from {}): credit repair applies "
                    "to entries in force; it will be allowed from {}",
                    entry.entry_id, model::status_words(state), entry.effective_from.iso(),
                    bar->earliest.iso()));
            case model::RepairBar::Why::no_commitment:
                throw UsageError(trf("credit repair of entry {} needs the subject's public credit "
                                     "commitment (信用承诺): give it with --commitment",
                                     entry.entry_id));
            case model::RepairBar::Why::not_recorded:
                throw UsageError(trf(
                    "credit repair of entry {} is not allowed yet: its evidence records no {} "
                    "(repair is counted from it)",
                    entry.entry_id, terms.repair_from));
            case model::RepairBar::Why::too_early:
                if (!terms.repair_from.empty() && facts.from_day &&
                    entry.effective_from < *facts.from_day) {
                    throw UsageError(trf(
                        "credit repair of entry {} is not allowed yet: it will be allowed from {} "
                        "({} after its {} {})",
                        entry.entry_id, bar->earliest.iso(),
                        terms.repair_after ? terms.repair_after->text() : std::string("0d"),
                        terms.repair_from, facts.from_day->iso()));
                }
                throw UsageError(trf(
                    "credit repair of entry {} is not allowed yet: it will be allowed from {} "
                    "({} after it took effect on {})",
                    entry.entry_id, bar->earliest.iso(),
                    terms.repair_after ? terms.repair_after->text() : std::string("0d"),
                    entry.effective_from.iso()));
        }
    }
    if (m_store.open_count(entry.entry_id, AppealType::repair) > 0) {
        throw UsageError(trf("entry {} already has an open repair application", entry.entry_id));
    }
}

model::Appeal AppealDesk::file(const FileRequest& request) {
    require_text(request.reason, "--reason");
    store::Transaction transaction(m_db, store::Transaction::Mode::immediate);
    store::EntryDetail detail = entry_or_throw(request.entry_id);
    Entry& entry = detail.entry;
    if (request.received < entry.decided_on) {
        throw UsageError(trf("the receipt date {} precedes entry {}'s decision date {}",
                             request.received.iso(), entry.entry_id, entry.decided_on.iso()));
    }
    const EntryStatus state = model::status_on(entry, request.received);
    if (!model::is_open(state)) {
        throw UsageError(trf("{}: an appeal needs a pending or effective entry",
                             ended_message(entry, state)));
    }
    const EntryTerms terms = EntryTerms::parse(detail.terms_json, entry.entry_id);
    if (request.type == AppealType::repair) {
        check_repair(detail, terms, request);
    }

    model::Appeal appeal;
    appeal.entry_id = entry.entry_id;
    appeal.type = request.type;
    appeal.reason = request.reason;
    appeal.filed_by = request.filed_by;
    appeal.received_on = request.received;
    appeal.due_on = m_calendar.period_end(request.received, terms.appeal_days).end;
    appeal.entry_status = state;
    appeal.operator_name = m_operator;
    appeal.filed_at = util::utc_now_iso();
    appeal.appeal_id = m_repairs.next_appeal_id();  // one numbering with records' repairs
    appeal.appeal_id = m_store.insert(appeal);
    nlohmann::json filed{{"entry_id", entry.entry_id},
                         {"type", model::to_string(appeal.type)},
                         {"received_on", appeal.received_on.iso()},
                         {"due_on", appeal.due_on.iso()},
                         {"by", appeal.filed_by},
                         {"reason", appeal.reason}};
    if (!request.commitment.empty()) {
        filed["commitment"] = request.commitment;  // the public credit commitment, on the record
    }
    m_audit.append("appeal.filed", fmt::format("appeal:{}", appeal.appeal_id), filed.dump());
    if (request.type == AppealType::objection) {
        // An objection holds a pending entry in the state it is in on the day of receipt (its
        // stored status catches up with its dates first) and marks an effective one disputed.
        if (state != entry.status) {
            m_audit.append("entry.advanced", fmt::format("entry:{}", entry.entry_id),
                           nlohmann::json{{"list_id", entry.list_id},
                                          {"subject_id", entry.subject_id},
                                          {"status", model::to_string(state)},
                                          {"reason", fmt::format("its dates, on the objection's "
                                                                 "receipt {}",
                                                                 request.received.iso())}}
                               .dump());
        }
        if (state != entry.status) {
            model::advance_entry(entry, state);
        }
        entry.disputed = true;
        m_entries.store_appeal_effect(entry);
        nlohmann::json details = entry_json(entry);
        details["appeal_id"] = appeal.appeal_id;
        details["state"] = entry_state_hex(entry.entry_id);
        m_audit.append(model::is_pending(state) ? "entry.held" : "entry.disputed",
                       fmt::format("entry:{}", entry.entry_id), details.dump());
    }
    transaction.commit();
    return appeal;
}

namespace {

// Refuses a decision the appeal does not allow (exit 2; nothing is written).
void check_decision(const model::Appeal& appeal, const DecideRequest& request) {
    if (!appeal.is_open()) {
        throw UsageError(trf("appeal {} was already decided: {} on {}", appeal.appeal_id,
                             model::outcome_words(*appeal.outcome),
                             appeal.decided_on ? appeal.decided_on->iso() : std::string("?")));
    }
    if (request.date < appeal.received_on) {
        throw UsageError(trf("the decision date {} precedes appeal {}'s receipt on {}",
                             request.date.iso(), appeal.appeal_id, appeal.received_on.iso()));
    }
    if (request.withdraw_records && request.outcome != AppealOutcome::upheld) {
        throw UsageError(tr("--withdraw-records goes with --outcome upheld"));
    }
    if (request.withdraw_records && appeal.type != AppealType::objection) {
        throw UsageError(
            trf("--withdraw-records applies to objections; appeal {} is a repair application",
                appeal.appeal_id));
    }
}

// What a decision did to its entry: the audit action ("" when nothing changed) and the effect
// in words.
struct EntryEffect {
    std::string action;
    std::string words;
};

// An objection decided on `date` against an entry open on that day (`state`): upheld, it
// withdraws a pending entry or revokes an effective one; rejected, it releases a held entry or
// leaves an effective one, disputed still while `others_open`.
EntryEffect decide_objection(Entry& entry, EntryStatus state, bool upheld, bool others_open,
                             util::Date date, const EntryTerms& terms,
                             const rules::Calendar& calendar) {
    if (upheld) {
        const bool pending = model::is_pending(state);
        end_by_decision(entry, pending ? EntryStatus::withdrawn : EntryStatus::revoked, date,
                        model::EndReason::objection_upheld);
        return {pending ? "entry.withdrawn" : "entry.revoked",
                pending ? trf("entry {} withdrawn", entry.entry_id)
                        : trf("entry {} revoked", entry.entry_id)};
    }
    if (model::is_pending(entry.status) && entry.disputed) {
        release_hold(entry, date, terms, calendar);
        entry.disputed = others_open;
        const auto held_until =
            entry.status == EntryStatus::notice ? entry.notice_until : entry.publicity_until;
        return {others_open ? "entry.held" : "entry.released",
                others_open ? trf("entry {} stays {} and held by another open objection; in "
                                  "force from {}",
                                  entry.entry_id, model::status_words(entry.status),
                                  entry.effective_from.iso())
                            : trf("entry {} stays {} until {}; in force from {}", entry.entry_id,
                                  model::status_words(entry.status), held_until->iso(),
                                  entry.effective_from.iso())};
    }
    entry.disputed = others_open;
    return {others_open ? "entry.disputed" : "entry.undisputed",
            others_open ? trf("entry {} stays {}, disputed by another objection", entry.entry_id,
                              model::status_words(state))
                        : trf("entry {} stays {}", entry.entry_id, model::status_words(state))};
}

// A repair application decided against an entry open on the day: upheld, it ends an effective
// entry as repaired.
EntryEffect decide_repair(Entry& entry, EntryStatus state, bool upheld, util::Date date) {
    if (upheld && state == EntryStatus::effective) {
        end_by_decision(entry, EntryStatus::repaired, date, model::EndReason::credit_repair);
        return {"entry.repaired", trf("entry {} repaired", entry.entry_id)};
    }
    return {"", trf("entry {} stays {}", entry.entry_id, model::status_words(state))};
}

// A decision on an entry that had ended by its day changes nothing on it, except that no
// objection can hold an ended entry.
EntryEffect decide_on_ended(Entry& entry, EntryStatus state) {
    EntryEffect effect{"", trf("{}: the decision changes nothing on it",
                               ended_message(entry, state))};
    if (entry.disputed && !model::is_open(entry.status)) {
        entry.disputed = false;
        effect.action = "entry.undisputed";
    }
    return effect;
}

}  // namespace

Decision AppealDesk::decide(const DecideRequest& request) {
    require_text(request.note, "--note");
    store::Transaction transaction(m_db, store::Transaction::Mode::immediate);
    auto found = m_store.find(request.appeal_id);
    if (!found) {
        if (m_repairs.find(request.appeal_id)) {
            throw UsageError(trf("appeal {} is a record's repair application", request.appeal_id));
        }
        throw UsageError(trf("there is no appeal {}", request.appeal_id));
    }
    Decision decision{std::move(*found), {}, {}, {}};
    model::Appeal& appeal = decision.appeal;
    check_decision(appeal, request);
    store::EntryDetail detail = entry_or_throw(appeal.entry_id);
    Entry& entry = detail.entry;
    const EntryStatus state = model::status_on(entry, request.date);
    const EntryTerms terms = EntryTerms::parse(detail.terms_json, entry.entry_id);

    appeal.outcome = request.outcome;
    appeal.decided_on = request.date;
    appeal.note = request.note;
    appeal.withdraw_records = request.withdraw_records;
    appeal.decided_by = m_operator;
    appeal.decided_at = util::utc_now_iso();
    m_store.record_decision(appeal);

    const bool upheld = request.outcome == AppealOutcome::upheld;
    EntryEffect effect;
    if (!model::is_open(state)) {
        effect = decide_on_ended(entry, state);
    } else if (appeal.type == AppealType::objection) {
        const bool others_open = m_store.open_count(entry.entry_id, AppealType::objection) > 0;
        effect = decide_objection(entry, state, upheld, others_open, request.date, terms,
                                  m_calendar);
    } else {
        effect = decide_repair(entry, state, upheld, request.date);
    }
    decision.effect = effect.words;
    if (!effect.action.empty()) {
        m_entries.store_appeal_effect(entry);
    }
    if (request.withdraw_records) {
        decision.withdrawn_records = withdraw_evidence(entry.entry_id, appeal.appeal_id);
    }
    audit_decision(appeal, entry, effect.action);
    transaction.commit();
    decision.entry = entry;
    return decision;
}

std::vector<std::string> AppealDesk::withdraw_evidence(std::int64_t entry_id,
                                                       std::int64_t appeal_id) {
    std::vector<std::string> keys;
    for (const auto& record : m_records.withdraw_evidence(entry_id)) {
        const std::string key = fmt::format("{}/{}", record.source, record.record_id);
        m_audit.append("record.withdrawn", fmt::format("record:{}", key),
                       nlohmann::json{{"by", "office"},
                                      {"appeal_id", appeal_id},
                                      {"entry_id", entry_id},
                                      {"state", store::to_hex(record.state)},
                                      {"previous_state", store::to_hex(record.previous_state)}}
                           .dump());
        keys.push_back(key);
    }
    return keys;
}

void AppealDesk::audit_decision(const model::Appeal& appeal, const Entry& entry,
                                const std::string& entry_action) {
    m_audit.append("appeal.decided", fmt::format("appeal:{}", appeal.appeal_id),
                   nlohmann::json{{"entry_id", entry.entry_id},
                                  {"type", model::to_string(appeal.type)},
                                  {"outcome", model::to_string(*appeal.outcome)},
                                  {"decided_on", appeal.decided_on->iso()},
                                  {"withdraw_records", appeal.withdraw_records},
                                  {"note", appeal.note}}
                       .dump());
    if (entry_action.empty()) {
        return;
    }
    nlohmann::json details = entry_json(entry);
    details["appeal_id"] = appeal.appeal_id;
    if (entry.ended_on) {
        details["ended_on"] = entry.ended_on->iso();
        details["reason"] =
            entry.end_reason ? nlohmann::json(std::string(model::to_string(*entry.end_reason)))
                             : nullptr;
    }
    details["state"] = entry_state_hex(entry.entry_id);
    m_audit.append(entry_action, fmt::format("entry:{}", entry.entry_id), details.dump());
}

AppealListing AppealDesk::list(bool open_only, bool overdue_only, util::Date as_of) {
    store::Transaction snapshot(m_db, store::Transaction::Mode::deferred);
    AppealListing listing;
    for (store::AppealRow& row : m_store.list(open_only || overdue_only)) {
        const bool overdue = row.appeal.is_overdue(as_of);
        listing.overdue += overdue ? 1 : 0;
        if (!overdue_only || overdue) {
            listing.appeals.push_back(std::move(row));
        }
    }
    for (store::RecordRepairRow& row : m_repairs.list(open_only || overdue_only)) {
        const bool overdue = row.repair.is_overdue(as_of);
        listing.overdue += overdue ? 1 : 0;
        if (!overdue_only || overdue) {
            listing.record_repairs.push_back(std::move(row));
        }
    }
    return listing;
}

std::vector<std::string> AppealDesk::show(std::int64_t appeal_id, util::Date as_of) {
    store::Transaction snapshot(m_db, store::Transaction::Mode::deferred);
    if (const auto repair = m_repairs.find(appeal_id)) {
        return show_record_repair(*repair);
    }
    const auto appeal = m_store.find(appeal_id);
    if (!appeal) {
        throw UsageError(trf("there is no appeal {}", appeal_id));
    }
    const store::EntryDetail detail = entry_or_throw(appeal->entry_id);
    std::vector<std::string> lines;
    std::string first =
        appeal->filed_by.empty()
            ? trf("appeal {}: {} against entry {}, recorded by {} at {}", appeal->appeal_id,
                  model::type_words(appeal->type), appeal->entry_id, appeal->operator_name,
                  util::china_time(appeal->filed_at))
            : trf("appeal {}: {} against entry {} by {}, recorded by {} at {}", appeal->appeal_id,
                  model::type_words(appeal->type), appeal->entry_id, appeal->filed_by,
                  appeal->operator_name, util::china_time(appeal->filed_at));
    if (!appeal->decided_by.empty()) {
        first += trf("; decided by {} at {}", appeal->decided_by,
                     util::china_time(appeal->decided_at));
    }
    lines.push_back(std::move(first));
    lines.push_back(trf("subject {} {} ({}) on {} {}", detail.entry.subject_id,
                        detail.subject_name, model::subject_type_words(detail.subject_type),
                        detail.entry.list_id,
                        i18n::language() == i18n::Language::zh ? detail.list_title_zh
                                                               : detail.list_title));
    lines.push_back(tr("decision's explanation:"));
    const std::string words =
        model::explanation_words(detail.explanation, detail.explanation_data, i18n::language());
    std::string_view explanation = words;
    while (!explanation.empty()) {
        const auto end = explanation.find('\n');
        lines.push_back(fmt::format("  {}", explanation.substr(0, end)));
        explanation = end == std::string_view::npos ? std::string_view()
                                                    : explanation.substr(end + 1);
    }
    lines.push_back(tr("history:"));
    for (const std::string& line :
         model::describe_history(detail.entry, m_store.of_entry(detail.entry.entry_id), as_of)) {
        lines.push_back("  " + line);
    }
    return lines;
}

}  // namespace rbl::appeal
