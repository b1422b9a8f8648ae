#pragma once
// rbl-appeal's work (SPEC.md §5): objections (异议) and credit-repair applications (信用修复)
// against list entries — filing, deciding with their effect on the entry, deadlines in working
// days, and the story of an appeal. Every change is one transaction with its audit rows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/audit/audit_log.hpp"
#include "rbl/model/appeal.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/rules/calendar.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"
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

/// Appeals to show and how many of the open ones are overdue.
struct AppealListing {
    std::vector<store::AppealRow> appeals;
    std::int64_t overdue = 0;  ///< open appeals past their due date as of the listing's date
};

/// The listing as `rbl-appeal list --json` prints it: as_of, the appeals (each with its list,
/// subject, the entry's status now and whether it is overdue as of `as_of`) and the overdue count.
nlohmann::json to_json(const AppealListing& listing, util::Date as_of);

/// The story of an appeal as `rbl-appeal show --json` prints it: {appeal_id, story}.
nlohmann::json story_to_json(std::int64_t appeal_id, const std::vector<std::string>& story);

/// Files, decides, lists and shows appeals in one database.
class AppealDesk {
public:
    AppealDesk(store::Database& db, audit::AuditLog& audit, const rules::Calendar& calendar,
               std::string operator_name);

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

    /// The appeals, open ones only with `open_only`, overdue ones only with `overdue_only`, and
    /// the number of open appeals overdue as of `as_of`.
    AppealListing list(bool open_only, bool overdue_only, util::Date as_of);

    /// The story of an appeal and of its entry, as printable lines. Throws UsageError for an
    /// unknown appeal.
    std::vector<std::string> show(std::int64_t appeal_id, util::Date as_of);

private:
    store::EntryDetail entry_or_throw(std::int64_t entry_id);
    /// The hash of the entry's content as now written (for its audit row's "state").
    std::string entry_state_hex(std::int64_t entry_id);
    void check_repair(const store::EntryDetail& detail, const model::EntryTerms& terms,
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
};

}  // namespace rbl::appeal
