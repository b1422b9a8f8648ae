#pragma once
// rbl-appeal's work (SPEC.md §5): objections (异议) and credit-repair applications (信用修复)
// against list entries — filing, deciding with their effect on the entry, deadlines in working
// days, and the story of an appeal — and credit-repair applications for records (SPEC.md §11,
// record_repair.cpp): granted, a record's publication ends on the decision day, and so do the
// entries resting on it alone. Every change is one transaction with its audit rows.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/audit/audit_log.hpp"
#include "rbl/model/appeal.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/model/record_publicity.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/record_repair_store.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/date.hpp"

namespace rbl::appeal {

/// A new objection or repair application.
struct FileRequest {
    std::int64_t entry_id = 0;
    model::AppealType type = model::AppealType::objection;
    std::string reason;
    std::string filed_by;
    util::Date received;
    std::string commitment;  ///< a repair's public credit commitment (信用承诺), may be empty
};

/// A new credit-repair application for a record (rbl-appeal repair --record).
struct RecordRepairRequest {
    std::string record;      ///< SOURCE:RECORD_ID
    std::string reason;
    std::string commitment;  ///< the public credit commitment (信用承诺), may be empty
    std::string filed_by;
    util::Date received;
};

/// A decision on an appeal.
struct DecideRequest {
    std::int64_t appeal_id = 0;
    model::AppealOutcome outcome = model::AppealOutcome::rejected;
    bool withdraw_records = false;
    std::string note;
    util::Date date;
};

/// What a decision did.
struct Decision {
    model::Appeal appeal;  ///< as decided
    model::Entry entry;    ///< the entry after the decision
    std::string effect;    ///< in plain words: "entry 7 revoked", "entry 7 held until ..."
    std::vector<std::string> withdrawn_records;  ///< "source/record_id" of records withdrawn
};

/// The decision as `rbl-appeal decide --json` prints it: the appeal as decided (model::to_json)
/// with the entry's status and disputed flag after it, the effect and the records withdrawn.
nlohmann::json to_json(const Decision& decision);

/// What a decision on a record's repair application did.
struct RecordRepairDecision {
    model::RecordRepair repair;  ///< as decided
    /// Granted: the day the record's publication ended (the decision day).
    std::optional<util::Date> publication_ended;
    std::vector<model::Entry> ended_entries;  ///< entries that rested on the record alone
    std::vector<std::int64_t> kept_entries;   ///< open entries with other evidence, unchanged
    std::string effect;                       ///< in plain words
};

/// The decision as `rbl-appeal decide --json` prints it for a record repair: the application
/// (model::to_json) with publication_ended (null when refused), the entries ended (id, list,
/// status, end reason), the entry ids kept and the effect.
nlohmann::json to_json(const RecordRepairDecision& decision);

/// Appeals to show and how many of the open ones are overdue.
struct AppealListing {
    std::vector<store::AppealRow> appeals;
    std::vector<store::RecordRepairRow> record_repairs;  ///< records' repair applications
    std::int64_t overdue = 0;  ///< open appeals of both kinds past their due date
};

/// The listing as `rbl-appeal list --json` prints it: as_of, the appeals in id order (each entry
/// appeal with its list, subject, the entry's status now and whether it is overdue as of `as_of`;
/// each record repair as model::to_json with subject_name and overdue) and the overdue count.
nlohmann::json to_json(const AppealListing& listing, util::Date as_of);

/// The story of an appeal as `rbl-appeal show --json` prints it: {appeal_id, story}.
nlohmann::json story_to_json(std::int64_t appeal_id, const std::vector<std::string>& story);

using model::PublicityByDomain;

/// Files, decides, lists and shows appeals in one database.
class AppealDesk {
public:
    AppealDesk(store::Database& db, audit::AuditLog& audit, const rules::Calendar& calendar,
               std::string operator_name, PublicityByDomain publicity = {});

    /// Files an objection or a repair application and returns it as stored. Throws UsageError
    /// (nothing written) for an unknown or ended entry, a receipt before the entry's decision
    /// date, and for repair: an entry not in force, a list that allows no repair, a receipt
    /// before the earliest repair date (named in the message), an open application already.
    model::Appeal file(const FileRequest& request);

    /// Decides an appeal. Upheld: an objection withdraws a pending entry or revokes an effective
    /// one (and with withdraw_records retires its evidence records); a repair application ends an
    /// effective entry as `repaired`. Rejected: the entry stays; a held pending entry's state ends
    /// on its planned last day or the decision day, whichever is later. Throws UsageError
    /// (nothing written) for an unknown or decided appeal, a date before its receipt,
    /// withdraw_records without `upheld` or on a repair application.
    Decision decide(const DecideRequest& request);

    /// Files a credit-repair application for a record and returns it as stored. Throws
    /// UsageError (nothing written) for a malformed SOURCE:RECORD_ID or an unknown record, and
    /// where the record is not published at all on the day of receipt (withdrawn, of a kind or
    /// class its domain does not publish, past its 公示截止期, its publication already ended by
    /// repair), where its class is not repairable, before its class's minimum period (naming the
    /// first allowed day), and where an application for it is open already.
    model::RecordRepair file_record_repair(const RecordRepairRequest& request);

    /// True when `appeal_id` is a record's repair application (decide it with
    /// decide_record_repair).
    bool is_record_repair(std::int64_t appeal_id);

    /// Decides a record's repair application. Upheld: the record's publication ends on the
    /// decision day (it is no fact from then on), and each entry open that day whose evidence was
    /// that record alone ends — a pending one withdrawn, an effective one repaired, both for
    /// `credit_repair`; entries with other evidence stay. Rejected: nothing else changes. Throws
    /// UsageError as decide() (withdraw_records is refused).
    RecordRepairDecision decide_record_repair(const DecideRequest& request);

    /// The appeals of both kinds, open ones only with `open_only`, overdue ones only with
    /// `overdue_only`, and the number of open appeals overdue as of `as_of`.
    AppealListing list(bool open_only, bool overdue_only, util::Date as_of);

    /// The story of an appeal and of its entry (or of a record repair and its record), as
    /// printable lines. Throws UsageError for an unknown appeal.
    std::vector<std::string> show(std::int64_t appeal_id, util::Date as_of);

private:
    std::vector<std::string> show_record_repair(const model::RecordRepair& repair);
    /// The record a repair application names, checked as file_record_repair says.
    store::PublishedRecord repairable_record(const RecordRepairRequest& request,
                                             const model::PublicityTerms*& terms);
    /// Ends the entries resting on the repaired record alone, audited.
    void end_resting_entries(RecordRepairDecision& decision);
    store::EntryDetail entry_or_throw(std::int64_t entry_id);
    /// The hash of the entry's content as now written (for its audit row's "state").
    std::string entry_state_hex(std::int64_t entry_id);
    void check_repair(const store::EntryDetail& detail, const model::EntryTerms& terms,
                      const FileRequest& request);
    /// What the repair check reads of the database as of the day of receipt.
    model::RepairFacts repair_facts(const model::Entry& entry, const model::EntryTerms& terms,
                                    const FileRequest& request);
    /// Withdraws the entry's evidence records by office decision, audited; their source/record ids.
    std::vector<std::string> withdraw_evidence(std::int64_t entry_id, std::int64_t appeal_id);
    /// The audit rows of a decision: the appeal's, and the entry's under `entry_action` if any.
    void audit_decision(const model::Appeal& appeal, const model::Entry& entry,
                        const std::string& entry_action);

    store::Database& m_db;
    audit::AuditLog& m_audit;
    const rules::Calendar& m_calendar;
    std::string m_operator;
    store::AppealStore m_store;
    store::EntryStore m_entries;  ///< writes what a filing or decision does to the entry
    store::RecordStore m_records;  ///< withdraws evidence records by office decision
    store::StateReader m_states;  ///< the hash of an entry's new content, for its audit row
    store::RecordRepairStore m_repairs;
    PublicityByDomain m_publicity;
};

}  // namespace rbl::appeal
