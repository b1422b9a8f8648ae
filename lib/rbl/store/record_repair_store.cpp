#include "rbl/store/record_repair_store.hpp"

#include "rbl/store/columns.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_record =
    RBL_PUBLISHED_RECORD_QUERY "WHERE r.source = ?1 AND r.record_id = ?2";

constexpr std::string_view k_next_id = R"sql(
SELECT coalesce(max(id), 0) + 1 FROM (SELECT max(appeal_id) AS id FROM appeals
                                      UNION ALL SELECT max(appeal_id) AS id FROM record_repairs)
                                      AS ids
)sql";

#define RBL_REPAIR_COLUMNS                                                                    \
    "p.appeal_id, p.rec, r.source, r.record_id, r.subject_id, r.domain, r.kind, p.reason, "   \
    "p.commitment, p.filed_by, p.received_on, p.due_on, p.operator, p.filed_at, p.outcome, "  \
    "p.decided_on, p.note, p.decided_by, p.decided_at"
constexpr int k_repair_columns = 19;

constexpr std::string_view k_find = "SELECT " RBL_REPAIR_COLUMNS
                                    " FROM record_repairs p JOIN records r ON r.rec = p.rec "
                                    "WHERE p.appeal_id = ?1";

constexpr std::string_view k_list_all =
    "SELECT " RBL_REPAIR_COLUMNS ", s.name FROM record_repairs p JOIN records r ON r.rec = p.rec "
    "JOIN subjects s ON s.subject_id = r.subject_id ORDER BY p.appeal_id";

constexpr std::string_view k_list_open =
    "SELECT " RBL_REPAIR_COLUMNS ", s.name FROM record_repairs p JOIN records r ON r.rec = p.rec "
    "JOIN subjects s ON s.subject_id = r.subject_id WHERE p.outcome IS NULL "
    "ORDER BY p.appeal_id";

constexpr std::string_view k_granted = "SELECT " RBL_REPAIR_COLUMNS
                                       " FROM record_repairs p JOIN records r ON r.rec = p.rec "
                                       "WHERE p.rec = ?1 AND p.outcome = 'upheld' "
                                       "ORDER BY p.decided_on, p.appeal_id LIMIT 1";

#undef RBL_REPAIR_COLUMNS

constexpr std::string_view k_open_count =
    "SELECT count(*) FROM record_repairs WHERE rec = ?1 AND outcome IS NULL";

// The entries whose evidence holds a copy of the record's decision, and whether their evidence
// holds another record that is still a fact: active and not repaired.
constexpr std::string_view k_resting = R"sql(
SELECT ev.entry_id,
       EXISTS (SELECT 1 FROM entry_evidence o JOIN records other ON other.rec = o.rec
               WHERE o.entry_id = ev.entry_id AND other.status = 'active'
                 AND NOT (other.subject_id = r.subject_id AND other.domain = r.domain
                          AND other.kind = r.kind AND other.record_id = r.record_id)
                 AND NOT EXISTS (SELECT 1 FROM record_repairs g
                                 WHERE g.rec = other.rec AND g.outcome = 'upheld'))
FROM records r
JOIN records copy ON copy.subject_id = r.subject_id AND copy.domain = r.domain
                 AND copy.kind = r.kind AND copy.record_id = r.record_id
JOIN entry_evidence ev ON ev.rec = copy.rec
WHERE r.rec = ?1
GROUP BY ev.entry_id, r.subject_id, r.domain, r.kind, r.record_id ORDER BY ev.entry_id)sql";

constexpr std::string_view k_insert = R"sql(
INSERT INTO record_repairs (appeal_id, rec, reason, commitment, filed_by, received_on, due_on,
                            operator, filed_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql";

constexpr std::string_view k_decide = R"sql(
UPDATE record_repairs SET outcome = ?2, decided_on = ?3, note = ?4, decided_by = ?5,
                          decided_at = ?6
WHERE appeal_id = ?1 AND outcome IS NULL)sql";

std::optional<std::string> unless_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional(text);
}

}  // namespace

RecordRepairStore::RecordRepairStore(Database& db)
    : m_record(db, k_record),
      m_next_id(db, k_next_id),
      m_find(db, k_find),
      m_list_all(db, k_list_all),
      m_list_open(db, k_list_open),
      m_open_count(db, k_open_count),
      m_granted(db, k_granted),
      m_resting(db, k_resting),
      m_insert(db, k_insert),
      m_decide(db, k_decide) {}

std::optional<PublishedRecord> RecordRepairStore::record(std::string_view source,
                                                         std::string_view record_id) {
    m_record.bind(1, source).bind(2, record_id);
    std::optional<PublishedRecord> found;
    if (m_record.step()) {
        found = published_record_of(m_record);
    }
    m_record.reset();
    return found;
}

std::int64_t RecordRepairStore::next_appeal_id() {
    return m_next_id.single_integer();
}

model::RecordRepair RecordRepairStore::read_repair(const Statement& statement) const {
    model::RecordRepair repair;
    repair.appeal_id = statement.column_int64(0);
    repair.rec = statement.column_int64(1);
    repair.source = statement.column_text(2);
    repair.record_id = statement.column_text(3);
    repair.subject_id = statement.column_text(4);
    repair.domain = statement.column_text(5);
    repair.kind = statement.column_text(6);
    repair.reason = statement.column_text(7);
    repair.commitment = statement.column_text(8);
    repair.filed_by = statement.column_text(9);
    repair.received_on = date_of(statement, 10);
    repair.due_on = date_of(statement, 11);
    repair.operator_name = statement.column_text(12);
    repair.filed_at = statement.column_text(13);
    repair.outcome = model::parse_appeal_outcome(statement.column_text(14));
    repair.decided_on = optional_date(statement, 15);
    repair.note = statement.column_text(16);
    repair.decided_by = statement.column_text(17);
    repair.decided_at = statement.column_text(18);
    return repair;
}

std::optional<model::RecordRepair> RecordRepairStore::find(std::int64_t appeal_id) {
    m_find.bind(1, appeal_id);
    std::optional<model::RecordRepair> repair;
    if (m_find.step()) {
        repair = read_repair(m_find);
    }
    m_find.reset();
    return repair;
}

std::vector<RecordRepairRow> RecordRepairStore::list(bool open_only) {
    Statement& statement = open_only ? m_list_open : m_list_all;
    std::vector<RecordRepairRow> rows;
    while (statement.step()) {
        rows.push_back({read_repair(statement),
                        std::string(statement.column_text(k_repair_columns))});
    }
    statement.reset();
    return rows;
}

std::int64_t RecordRepairStore::open_count(std::int64_t rec) {
    m_open_count.bind(1, rec);
    return m_open_count.single_integer();
}

std::optional<model::RecordRepair> RecordRepairStore::granted(std::int64_t rec) {
    m_granted.bind(1, rec);
    std::optional<model::RecordRepair> repair;
    if (m_granted.step()) {
        repair = read_repair(m_granted);
    }
    m_granted.reset();
    return repair;
}

std::vector<RestingEntry> RecordRepairStore::entries_resting_on(std::int64_t rec) {
    m_resting.bind(1, rec);
    std::vector<RestingEntry> entries;
    while (m_resting.step()) {
        entries.push_back({m_resting.column_int64(0), m_resting.column_int64(1) != 0});
    }
    m_resting.reset();
    return entries;
}

void RecordRepairStore::insert(const model::RecordRepair& repair) {
    const std::string received = repair.received_on.iso();
    const std::string due = repair.due_on.iso();
    // Bound texts are not copied: they must outlive the run.
    const std::optional<std::string> commitment = unless_empty(repair.commitment);
    const std::optional<std::string> filed_by = unless_empty(repair.filed_by);
    m_insert.bind(1, repair.appeal_id)
        .bind(2, repair.rec)
        .bind(3, repair.reason)
        .bind(4, commitment)
        .bind(5, filed_by)
        .bind(6, received)
        .bind(7, due)
        .bind(8, repair.operator_name)
        .bind(9, repair.filed_at);
    m_insert.run();
}

void RecordRepairStore::record_decision(const model::RecordRepair& repair) {
    const std::optional<std::string> decided = iso(repair.decided_on);
    const std::string_view outcome =
        repair.outcome ? model::to_string(*repair.outcome) : std::string_view();
    m_decide.bind(1, repair.appeal_id)
        .bind(2, outcome)
        .bind(3, decided)
        .bind(4, repair.note)
        .bind(5, repair.decided_by)
        .bind(6, repair.decided_at);
    m_decide.run();
}

}  // namespace rbl::store
