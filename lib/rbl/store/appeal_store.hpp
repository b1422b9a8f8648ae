#pragma once
// Reading and writing appeals, and reading the entries they concern. All of their SQL is here,
// prepared once per AppealStore. What a decision changes in the entry and its evidence records is
// written by the stores of those tables (EntryStore::store_appeal_effect,
// RecordStore::withdraw_evidence).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rbl/model/appeal.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"

namespace rbl::store {

/// An entry with what an appeal needs to know of it.
struct EntryDetail {
    model::Entry entry;
    std::string subject_name;
    std::string subject_type;
    std::string list_title;
    std::string list_title_zh;
    std::string terms_json;  ///< validity, procedure, repair, measures, as when it was created
    std::string explanation;       ///< in English, as published
    std::string explanation_data;  ///< the same as data (model/explanation.hpp); "" when none
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

    /// Inserts a new appeal under its appeal_id (the next one when 0); returns its id.
    std::int64_t insert(const model::Appeal& appeal);
    /// Stores an appeal's decision (outcome, date, note, who and when).
    void record_decision(const model::Appeal& appeal);

private:
    model::Appeal read_appeal(const Statement& statement, int first) const;

    Statement m_entry;
    Statement m_find;
    Statement m_list_all;
    Statement m_list_open;
    Statement m_of_entry;
    Statement m_open_count;
    Statement m_insert;
    Statement m_decide;
};

}  // namespace rbl::store
