// Credit repair of records (SPEC.md §11; 信用修复管理办法, 国家发展改革委令第36号): after its
// class's minimum period a subject may ask that a record's publication end; granted, it ends on
// the decision day, together with the list entries resting on that record alone. The record stays
// in the database; from the decision day on it is no fact (store/subject_reader.hpp), so it is
// neither published nor evidence for any criterion, and the next run does not list the subject
// again on it. The decision marks the subject for incremental runs (schema version 10's trigger).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/appeal/decision_support.hpp"
#include "rbl/model/entry_state.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::appeal {

namespace {

using model::AppealOutcome;
using model::Entry;
using model::EntryStatus;
using model::RecordRepair;

// SOURCE:RECORD_ID split at its first colon (sources have none; record ids may).
std::pair<std::string, std::string> record_key_parts(const std::string& key) {
    const auto colon = key.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) {
        throw UsageError(trf("--record '{}' must be SOURCE:RECORD_ID, e.g. "
                             "market:宁市监罚〔2026〕1号",
                             key));
    }
    return {key.substr(0, colon), key.substr(colon + 1)};
}

std::string class_words(model::PublicityClass value) {
    return fmt::format("{} ({})", model::to_string(value), model::chinese_name(value));
}

nlohmann::json entry_json(const Entry& entry) {
    return {{"entry_id", entry.entry_id},
            {"list_id", entry.list_id},
            {"subject_id", entry.subject_id},
            {"status", model::to_string(entry.status)},
            {"ended_on", entry.ended_on ? nlohmann::json(entry.ended_on->iso()) : nullptr},
            {"end_reason", entry.end_reason
                               ? nlohmann::json(std::string(model::to_string(*entry.end_reason)))
                               : nullptr}};
}

}  // namespace

store::PublishedRecord AppealDesk::repairable_record(const RecordRepairRequest& request,
                                                     const model::PublicityTerms*& terms) {
    const auto [source, record_id] = record_key_parts(request.record);
    auto found = m_repairs.record(source, record_id);
    if (!found) {
        throw UsageError(trf("there is no record {}", request.record));
    }
    const store::StoredRecord& record = found->record;
    const std::string& key = request.record;
    if (!record.active && record.withdrawn_by_office) {
        throw UsageError(trf("record {} was withdrawn by the office: it is not published, there "
                             "is nothing to repair",
                             key));
    }
    if (!record.active) {
        throw UsageError(
            trf("record {} was withdrawn: it is not published, there is nothing to repair", key));
    }
    const auto domain = m_publicity.find(record.domain);
    if (domain == m_publicity.end()) {
        throw UsageError(trf("record {}: domain '{}' publishes no records (its rule file "
                             "has no publicity:), there is nothing to repair",
                             key, record.domain));
    }
    terms = &domain->second;
    const auto publicity = store::publicity_of(*terms, record);
    if (!publicity) {
        throw UsageError(trf("record {}: domain '{}' does not publish records of kind "
                             "'{}', there is nothing to repair",
                             key, record.domain, record.kind));
    }
    if (!publicity->published) {
        throw UsageError(trf("record {} is of class {}, which domain '{}' does not "
                             "publish: there is nothing to repair",
                             key, class_words(publicity->publicity_class), record.domain));
    }
    if (request.received < publicity->from) {
        throw UsageError(trf("the receipt date {} precedes record {}'s decision date {}",
                             request.received.iso(), key, publicity->from.iso()));
    }
    if (const auto granted = m_repairs.granted(record.rec)) {
        throw UsageError(trf("record {}'s publication already ended by credit repair "
                             "(appeal {}, on {})",
                             key, granted->appeal_id, granted->decided_on->iso()));
    }
    if (request.received > publicity->until) {
        throw UsageError(trf("record {}'s publication ended by itself after its 公示截止期 "
                             "{}: there is nothing to repair",
                             key, publicity->until.iso()));
    }
    if (!publicity->repairable) {
        throw UsageError(trf("record {} is of class {}, which domain '{}' declares not "
                             "repairable: its publication runs until {}",
                             key, class_words(publicity->publicity_class), record.domain,
                             publicity->until.iso()));
    }
    if (request.received < publicity->repair_from) {
        throw UsageError(trf(
            "credit repair of record {} is not allowed yet: it will be allowed from {} (the "
            "minimum of {} of class {} after its decision on {})",
            key, publicity->repair_from.iso(),
            terms->classes.at(publicity->publicity_class).minimum.text(),
            class_words(publicity->publicity_class), publicity->from.iso()));
    }
    if (m_repairs.open_count(record.rec) > 0) {
        throw UsageError(trf("record {} already has an open repair application", key));
    }
    return std::move(*found);
}

model::RecordRepair AppealDesk::file_record_repair(const RecordRepairRequest& request) {
    require_text(request.reason, "--reason");
    store::Transaction transaction(m_db, store::Transaction::Mode::immediate);
    const model::PublicityTerms* terms = nullptr;
    const store::PublishedRecord found = repairable_record(request, terms);

    RecordRepair repair;
    repair.appeal_id = m_repairs.next_appeal_id();
    repair.rec = found.record.rec;
    repair.source = found.record.source;
    repair.record_id = found.record.record_id;
    repair.subject_id = found.subject_id;
    repair.domain = found.record.domain;
    repair.kind = found.record.kind;
    repair.reason = request.reason;
    repair.commitment = request.commitment;
    repair.filed_by = request.filed_by;
    repair.received_on = request.received;
    repair.due_on = m_calendar.period_end(request.received, terms->repair_days).end;
    repair.operator_name = m_operator;
    repair.filed_at = util::utc_now_iso();
    m_repairs.insert(repair);
    m_audit.append("appeal.filed", fmt::format("appeal:{}", repair.appeal_id),
                   nlohmann::json{{"record", repair.record_key()},
                                  {"subject_id", repair.subject_id},
                                  {"type", model::k_record_repair_type},
                                  {"received_on", repair.received_on.iso()},
                                  {"due_on", repair.due_on.iso()},
                                  {"by", repair.filed_by},
                                  {"reason", repair.reason},
                                  {"commitment", repair.commitment}}
                       .dump());
    transaction.commit();
    return repair;
}

bool AppealDesk::is_record_repair(std::int64_t appeal_id) {
    store::Transaction snapshot(m_db, store::Transaction::Mode::deferred);
    return m_repairs.find(appeal_id).has_value();
}

void AppealDesk::end_resting_entries(RecordRepairDecision& decision) {
    const RecordRepair& repair = decision.repair;
    const util::Date day = *repair.decided_on;
    for (const store::RestingEntry& resting : m_repairs.entries_resting_on(repair.rec)) {
        store::EntryDetail detail = entry_or_throw(resting.entry_id);
        Entry& entry = detail.entry;
        const EntryStatus state = model::status_on(entry, day);
        if (!model::is_open(state)) {
            continue;  // ended before: nothing to lift
        }
        if (resting.other_evidence) {
            decision.kept_entries.push_back(entry.entry_id);
            continue;
        }
        if (state != entry.status) {
            m_audit.append("entry.advanced", fmt::format("entry:{}", entry.entry_id),
                           nlohmann::json{{"list_id", entry.list_id},
                                          {"subject_id", entry.subject_id},
                                          {"status", model::to_string(state)},
                                          {"reason", fmt::format("its dates, on the record "
                                                                 "repair's decision {}",
                                                                 day.iso())}}
                               .dump());
            model::advance_entry(entry, state);
        }
        const bool pending = model::is_pending(state);
        end_by_decision(entry, pending ? EntryStatus::withdrawn : EntryStatus::repaired, day,
                        model::EndReason::credit_repair);
        m_entries.store_appeal_effect(entry);
        nlohmann::json details = entry_json(entry);
        details["appeal_id"] = repair.appeal_id;
        details["record"] = repair.record_key();
        details["state"] = entry_state_hex(entry.entry_id);
        m_audit.append(pending ? "entry.withdrawn" : "entry.repaired",
                       fmt::format("entry:{}", entry.entry_id), details.dump());
        decision.ended_entries.push_back(entry);
    }
}

namespace {

std::string decision_effect(const RecordRepairDecision& decision) {
    const RecordRepair& repair = decision.repair;
    if (!decision.publication_ended) {
        return trf("record {} stays published", repair.record_key());
    }
    std::string words = trf("record {}'s publication ended on {}", repair.record_key(),
                            decision.publication_ended->iso());
    for (const Entry& entry : decision.ended_entries) {
        // An entry ends withdrawn (pending) or repaired (in force): end_resting_entries.
        words += entry.status == EntryStatus::withdrawn
                     ? trf("; entry {} withdrawn", entry.entry_id)
                     : trf("; entry {} repaired", entry.entry_id);
    }
    for (const std::int64_t entry_id : decision.kept_entries) {
        words += trf("; entry {} stays (other evidence)", entry_id);
    }
    return words;
}

}  // namespace

RecordRepairDecision AppealDesk::decide_record_repair(const DecideRequest& request) {
    require_text(request.note, "--note");
    store::Transaction transaction(m_db, store::Transaction::Mode::immediate);
    auto found = m_repairs.find(request.appeal_id);
    if (!found) {
        throw UsageError(trf("there is no record repair application {}", request.appeal_id));
    }
    RecordRepairDecision decision{std::move(*found), std::nullopt, {}, {}, {}};
    RecordRepair& repair = decision.repair;
    if (!repair.is_open()) {
        throw UsageError(trf("appeal {} was already decided: {} on {}", repair.appeal_id,
                             model::outcome_words(*repair.outcome),
                             repair.decided_on ? repair.decided_on->iso() : std::string("?")));
    }
    if (request.date < repair.received_on) {
        throw UsageError(trf("the decision date {} precedes appeal {}'s receipt on {}",
                             request.date.iso(), repair.appeal_id, repair.received_on.iso()));
    }
    if (request.withdraw_records) {
        throw UsageError(trf(
            "--withdraw-records applies to objections; appeal {} is a record's repair application",
            repair.appeal_id));
    }
    repair.outcome = request.outcome;
    repair.decided_on = request.date;
    repair.note = request.note;
    repair.decided_by = m_operator;
    repair.decided_at = util::utc_now_iso();
    m_repairs.record_decision(repair);
    m_audit.append("appeal.decided", fmt::format("appeal:{}", repair.appeal_id),
                   nlohmann::json{{"record", repair.record_key()},
                                  {"type", model::k_record_repair_type},
                                  {"outcome", model::to_string(*repair.outcome)},
                                  {"decided_on", repair.decided_on->iso()},
                                  {"note", repair.note}}
                       .dump());
    if (request.outcome == AppealOutcome::upheld) {
        decision.publication_ended = request.date;
        m_audit.append("record.repaired",
                       fmt::format("record:{}/{}", repair.source, repair.record_id),
                       nlohmann::json{{"appeal_id", repair.appeal_id},
                                      {"subject_id", repair.subject_id},
                                      {"publication_ended_on", request.date.iso()}}
                           .dump());
        end_resting_entries(decision);
    }
    decision.effect = decision_effect(decision);
    transaction.commit();
    return decision;
}

std::vector<std::string> AppealDesk::show_record_repair(const RecordRepair& repair) {
    std::vector<std::string> lines;
    std::string first =
        repair.filed_by.empty()
            ? trf("appeal {}: record_repair of record {}, recorded by {} at {}", repair.appeal_id,
                  repair.record_key(), repair.operator_name, util::china_time(repair.filed_at))
            : trf("appeal {}: record_repair of record {} by {}, recorded by {} at {}",
                  repair.appeal_id, repair.record_key(), repair.filed_by, repair.operator_name,
                  util::china_time(repair.filed_at));
    if (!repair.decided_by.empty()) {
        first += trf("; decided by {} at {}", repair.decided_by,
                     util::china_time(repair.decided_at));
    }
    lines.push_back(std::move(first));
    const auto found = m_repairs.record(repair.source, repair.record_id);
    lines.push_back(found ? trf("subject {} {}; record of {} ({}) dated {}", repair.subject_id,
                                found->subject_name, repair.domain, repair.kind,
                                found->record.date)
                          : trf("subject {}; record of {} ({}) dated {}", repair.subject_id,
                                repair.domain, repair.kind, std::string("?")));
    if (const auto terms = m_publicity.find(repair.domain);
        found && terms != m_publicity.end()) {
        if (const auto publicity = store::publicity_of(terms->second, found->record)) {
            lines.push_back(trf("class {}: public {} to {}, repair allowed from {}",
                                class_words(publicity->publicity_class), publicity->from.iso(),
                                publicity->until.iso(), publicity->repair_from.iso()));
        }
    }
    lines.push_back(trf("reason: {}", repair.reason));
    if (!repair.commitment.empty()) {
        lines.push_back(trf("credit commitment: {}", repair.commitment));
    }
    lines.push_back(trf("received {}, to be decided by {}", repair.received_on.iso(),
                        repair.due_on.iso()));
    if (repair.outcome) {
        lines.push_back(trf("{} on {}: {}", model::outcome_words(*repair.outcome),
                            repair.decided_on->iso(), repair.note));
    }
    lines.push_back(tr("entries resting on the record:"));
    const auto resting = m_repairs.entries_resting_on(repair.rec);
    for (const store::RestingEntry& item : resting) {
        const store::EntryDetail detail = entry_or_throw(item.entry_id);
        const Entry& entry = detail.entry;
        std::string line =
            entry.ended_on ? trf("  entry {} on {}: {} on {}", entry.entry_id, entry.list_id,
                                 model::status_words(entry.status), entry.ended_on->iso())
                           : trf("  entry {} on {}: {}", entry.entry_id, entry.list_id,
                                 model::status_words(entry.status));
        if (entry.end_reason) {
            line += fmt::format(" ({})", reason_words(*entry.end_reason));
        } else if (item.other_evidence) {
            line += tr(" (has other evidence)");
        }
        lines.push_back(std::move(line));
    }
    if (resting.empty()) {
        lines.push_back(fmt::format("  {}", tr("none")));
    }
    return lines;
}

nlohmann::json to_json(const RecordRepairDecision& decision) {
    nlohmann::json out = model::to_json(decision.repair);
    out["publication_ended"] = decision.publication_ended
                                   ? nlohmann::json(decision.publication_ended->iso())
                                   : nlohmann::json(nullptr);
    nlohmann::json ended = nlohmann::json::array();
    for (const Entry& entry : decision.ended_entries) {
        ended.push_back(entry_json(entry));
    }
    out["ended_entries"] = std::move(ended);
    out["kept_entries"] = decision.kept_entries;
    out["effect"] = decision.effect;
    return out;
}

}  // namespace rbl::appeal
