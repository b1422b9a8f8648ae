#pragma once
// Reading and writing records' credit-repair applications (SPEC.md §11, table record_repairs,
// schema version 10), and reading what they concern: the record by its source and id, and the
// entries that rest on it. All of their SQL is here, prepared once per RecordRepairStore (a
// writer's: the database is at the current version). What a decision changes in the entries is
// written by EntryStore::store_appeal_effect.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/appeal.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/record_publicity_store.hpp"

namespace rbl::store {

/// An application with its subject's name, for lists.
struct RecordRepairRow {
    model::RecordRepair repair;
    std::string subject_name;
};

/// An entry whose evidence holds a record (any stored copy of its decision).
struct RestingEntry {
    std::int64_t entry_id = 0;
    /// True when its evidence also holds another record that is still a fact (active, not
    /// repaired): it does not rest on the record alone.
    bool other_evidence = false;
};

/// The record repairs of one database.
class RecordRepairStore {
public:
    explicit RecordRepairStore(Database& db);

    /// The record imported from `source` as `record_id`, whatever its status, with its subject.
    std::optional<PublishedRecord> record(std::string_view source, std::string_view record_id);
    /// The next appeal id: one more than the highest of appeals and record repairs, so that both
    /// share one numbering (call under the write lock).
    std::int64_t next_appeal_id();
    /// The application with this appeal id, if it is one.
    std::optional<model::RecordRepair> find(std::int64_t appeal_id);
    /// Every application (or only the undecided ones), in id order.
    std::vector<RecordRepairRow> list(bool open_only);
    /// How many applications for the record `rec` are undecided.
    std::int64_t open_count(std::int64_t rec);
    /// The first granted application for the record `rec`, if any.
    std::optional<model::RecordRepair> granted(std::int64_t rec);
    /// The entries whose evidence holds the decision of record `rec` (by subject, domain, kind and
    /// record id), in id order.
    std::vector<RestingEntry> entries_resting_on(std::int64_t rec);

    /// Inserts a new application under its appeal_id.
    void insert(const model::RecordRepair& repair);
    /// Stores an application's decision (outcome, date, note, who and when).
    void record_decision(const model::RecordRepair& repair);

private:
    model::RecordRepair read_repair(const Statement& statement) const;

    Statement m_record;
    Statement m_next_id;
    Statement m_find;
    Statement m_list_all;
    Statement m_list_open;
    Statement m_open_count;
    Statement m_granted;
    Statement m_resting;
    Statement m_insert;
    Statement m_decide;
};

}  // namespace rbl::store
