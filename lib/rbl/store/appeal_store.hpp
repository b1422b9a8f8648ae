#pragma once
// Reading and writing appeals, and the changes a decision makes to an entry and its evidence.
// All of their SQL is here, prepared once per AppealStore.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rbl/model/appeal.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/state_hash.hpp"

namespace rbl::store {

/// An entry with what an appeal needs to know of it.
struct EntryDetail {
    model::Entry entry;
    std::string subject_name;
    std::string subject_type;
    std::string list_title;
    std::string terms_json;  ///< validity, procedure, repair, measures, as when it was created
    std::string explanation;
};

/// An appeal with the entry it concerns, for lists.
struct AppealRow {
    model::Appeal appeal;
    std::string list_id;
    std::string subject_id;
    std::string subject_name;
    model::EntryStatus entry_status_now = model::EntryStatus::effective;
};

/// Appeals of one database.
class AppealStore {
public:
    explicit AppealStore(Database& db);

    /// The entry with this id, if any.
    std::optional<EntryDetail> entry(std::int64_t entry_id);
    /// The appeal with this id, if any.
    std::optional<model::Appeal> find(std::int64_t appeal_id);
    /// Every appeal (or only the undecided ones), with its entry, in id order.
    std::vector<AppealRow> list(bool open_only);
    /// The appeals of one entry, in id order.
    std::vector<model::Appeal> of_entry(std::int64_t entry_id);
    /// How many appeals of this type on the entry are undecided.
    std::int64_t open_count(std::int64_t entry_id, model::AppealType type);

    /// Inserts a new appeal; returns its id.
    std::int64_t insert(const model::Appeal& appeal);
    /// Stores an appeal's decision (outcome, date, note, who and when).
    void record_decision(const model::Appeal& appeal);
    /// Stores an entry's status, dates, end and disputed flag as an appeal left them.
    void update_entry(const model::Entry& entry);
    /// A record withdrawn by office decision: its key and the hashes of its content after and
    /// before.
    struct WithdrawnRecord {
        std::string source;
        std::string record_id;
        StateHash state{};
        StateHash previous_state{};
    };
    /// Marks the entry's active evidence records withdrawn by office decision; returns the
    /// records it withdrew.
    std::vector<WithdrawnRecord> withdraw_evidence(std::int64_t entry_id);

private:
    model::Appeal read_appeal(const Statement& statement, int first) const;

    Database& m_db;
    Statement m_entry;
    Statement m_find;
    Statement m_list_all;
    Statement m_list_open;
    Statement m_of_entry;
    Statement m_open_count;
    Statement m_insert;
    Statement m_decide;
    Statement m_update_entry;
    Statement m_withdraw;
};

}  // namespace rbl::store
