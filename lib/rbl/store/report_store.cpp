#include "rbl/store/report_store.hpp"

#include <map>
#include <utility>

#include "rbl/model/entry_state.hpp"
#include "rbl/store/columns.hpp"

namespace rbl::store {

namespace {

// Report figures. The entries that may be open on a day: decided by then and not ended by then;
// where each stood that day is model::state_as_published's to say.
constexpr std::string_view k_maybe_open = R"sql(
SELECT e.list_id, e.domain, e.kind, substr(s.region, 1, 4), e.status, e.notice_until,
       e.publicity_until, e.effective_from, e.expires_on, e.ended_on
FROM entries e JOIN subjects s ON s.subject_id = e.subject_id
WHERE e.decided_on <= ?1 AND (e.ended_on IS NULL OR e.ended_on > ?1))sql";

constexpr std::string_view k_decided_by_month = R"sql(
SELECT substr(decided_on, 1, 7), kind, count(*) FROM entries WHERE decided_on <= ?1
GROUP BY 1, 2 ORDER BY 1, 2)sql";

constexpr std::string_view k_ended_by_month = R"sql(
SELECT substr(ended_on, 1, 7), kind, count(*) FROM entries
WHERE ended_on IS NOT NULL AND ended_on <= ?1 GROUP BY 1, 2 ORDER BY 1, 2)sql";

constexpr std::string_view k_objections = R"sql(
SELECT count(*), coalesce(sum(CASE WHEN due_on < ?1 THEN 1 ELSE 0 END), 0) FROM appeals
WHERE type = 'objection' AND received_on <= ?1 AND (outcome IS NULL OR decided_on > ?1))sql";

// The departments each effective entry's measures go to, from its terms (JSON).
#define RBL_FEEDBACK_COUNTS(DISTRIBUTED)                                                        \
    "WITH distributed AS (" DISTRIBUTED " WHERE e.status = 'effective') "                       \
    "SELECT t.list_id, t.department, count(*), "                                                \
    "sum(CASE WHEN EXISTS (SELECT 1 FROM feedback f WHERE f.entry_id = t.entry_id "             \
    "AND f.department = t.department) THEN 1 ELSE 0 END) "                                      \
    "FROM distributed t GROUP BY t.list_id, t.department ORDER BY t.list_id, t.department"
constexpr std::string_view k_feedback_sqlite = RBL_FEEDBACK_COUNTS(
    "SELECT DISTINCT e.entry_id, e.list_id, d.value AS department "
    "FROM entries e, json_each(e.terms, '$.measures') m, json_each(m.value, '$.departments') d");
constexpr std::string_view k_feedback_postgresql = RBL_FEEDBACK_COUNTS(
    "SELECT DISTINCT e.entry_id, e.list_id, d.department COLLATE \"C\" AS department "
    "FROM entries e, jsonb_array_elements(CAST(e.terms AS jsonb) -> 'measures') m, "
    "jsonb_array_elements_text(m -> 'departments') AS d(department)");
#undef RBL_FEEDBACK_COUNTS

// Lookups made for a department whose answer was for ?1 or before: checks, and the distinct
// subjects whose answer named entries. By the answer's day rather than the clock's time, as
// feedback counts by the day it was applied: a check answers for today unless asked of a day
// past.
constexpr std::string_view k_lookups_by_department = R"sql(
SELECT department, count(*), count(DISTINCT CASE WHEN entries <> '[]' THEN subject_id END)
FROM lookups WHERE department IS NOT NULL AND as_of <= ?1 GROUP BY department)sql";

// Feedback applied by ?1, per department, and how many rows name a lookup (schema version 7 on).
constexpr std::string_view k_feedback_by_department = R"sql(
SELECT department, count(*), count(lookup_id) FROM feedback WHERE applied_on <= ?1
GROUP BY department)sql";

// The same before version 7, when no feedback named a lookup.
constexpr std::string_view k_feedback_by_department_v6 = R"sql(
SELECT department, count(*), 0 FROM feedback WHERE applied_on <= ?1 GROUP BY department)sql";

// Records' repair applications decided in a period, per domain and outcome.
constexpr std::string_view k_record_repairs_decided = R"sql(
SELECT r.domain, CASE p.outcome WHEN 'upheld' THEN 'granted' ELSE 'refused' END, count(*)
FROM record_repairs p JOIN records r ON r.rec = p.rec
WHERE p.decided_on >= ?1 AND p.decided_on <= ?2
GROUP BY 1, 2 ORDER BY 1, 2)sql";

// The first schema versions with the lookup log, with feedback.lookup_id, and with record repairs.
constexpr int k_lookups_version = 5;
constexpr int k_feedback_lookup_version = 7;
constexpr int k_record_repairs_version = 10;

std::vector<LabelCount> label_counts(Database& db, std::string_view sql, util::Date as_of) {
    Statement statement(db, sql);
    const std::string day = as_of.iso();
    statement.bind(1, day);
    std::vector<LabelCount> counts;
    while (statement.step()) {
        counts.push_back({std::string(statement.column_text(0)),
                          std::string(statement.column_text(1)), statement.column_int64(2)});
    }
    return counts;
}

}  // namespace

ReportStore::ReportStore(Database& db) : m_db(db) {}

OpenEntryCounts ReportStore::open_entries(util::Date as_of, util::Date last_run) {
    using Key = std::pair<std::string, std::string>;
    std::map<Key, std::int64_t> by_list;
    std::map<Key, std::int64_t> by_domain;
    std::map<Key, std::int64_t> by_region;
    Statement statement(m_db, k_maybe_open);
    const std::string day = as_of.iso();
    statement.bind(1, day);
    while (statement.step()) {
        model::Entry entry;
        entry.status = status_of(statement, 4);
        entry.notice_until = optional_date(statement, 5);
        entry.publicity_until = optional_date(statement, 6);
        entry.effective_from = date_of(statement, 7);
        entry.expires_on = optional_date(statement, 8);
        entry.ended_on = optional_date(statement, 9);
        const model::EntryStatus status = model::state_as_published(entry, as_of, last_run).status;
        if (!model::is_open(status)) {
            continue;
        }
        const std::string kind(statement.column_text(2));
        ++by_list[{std::string(statement.column_text(0)), std::string(model::to_string(status))}];
        ++by_domain[{std::string(statement.column_text(1)), kind}];
        ++by_region[{std::string(statement.column_text(3)), kind}];
    }
    const auto counts = [](const std::map<Key, std::int64_t>& map) {
        std::vector<LabelCount> out;
        for (const auto& [key, count] : map) {
            out.push_back({key.first, key.second, count});
        }
        return out;
    };
    return {counts(by_list), counts(by_domain), counts(by_region)};
}

std::vector<LabelCount> ReportStore::decided_by_month(util::Date as_of) {
    return label_counts(m_db, k_decided_by_month, as_of);
}

std::vector<LabelCount> ReportStore::ended_by_month(util::Date as_of) {
    return label_counts(m_db, k_ended_by_month, as_of);
}

std::pair<std::int64_t, std::int64_t> ReportStore::objections_open_overdue(util::Date as_of) {
    Statement statement(m_db, k_objections);
    const std::string day = as_of.iso();
    statement.bind(1, day);
    statement.step();
    return {statement.column_int64(0), statement.column_int64(1)};
}

std::vector<DepartmentFeedback> ReportStore::feedback_by_list_department() {
    Statement statement(m_db, m_db.sql(k_feedback_sqlite, k_feedback_postgresql));
    std::vector<DepartmentFeedback> rows;
    while (statement.step()) {
        rows.push_back({std::string(statement.column_text(0)),
                        std::string(statement.column_text(1)), statement.column_int64(2),
                        statement.column_int64(3)});
    }
    return rows;
}

std::vector<DepartmentLookups> ReportStore::lookups_by_department(util::Date as_of) {
    std::map<std::string, DepartmentLookups> by_department;
    const auto row_of = [&](std::string_view department) -> DepartmentLookups& {
        DepartmentLookups& row = by_department[std::string(department)];
        row.department = department;
        return row;
    };
    const int version = m_db.schema_version();
    const std::string day = as_of.iso();
    if (version >= k_lookups_version) {
        Statement lookups(m_db, k_lookups_by_department);
        lookups.bind(1, day);
        while (lookups.step()) {
            DepartmentLookups& row = row_of(lookups.column_text(0));
            row.checks = lookups.column_int64(1);
            row.subjects_with_entries = lookups.column_int64(2);
        }
    }
    const auto count_feedback = [&](Statement& feedback) {
        feedback.bind(1, day);
        while (feedback.step()) {
            DepartmentLookups& row = row_of(feedback.column_text(0));
            row.feedback_rows = feedback.column_int64(1);
            row.naming_lookup = feedback.column_int64(2);
        }
    };
    if (version >= k_feedback_lookup_version) {
        Statement feedback(m_db, k_feedback_by_department);
        count_feedback(feedback);
    } else {
        Statement feedback(m_db, k_feedback_by_department_v6);
        count_feedback(feedback);
    }
    std::vector<DepartmentLookups> rows;
    rows.reserve(by_department.size());
    for (auto& [department, row] : by_department) {
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<LabelCount> ReportStore::record_repairs_decided(util::Date from, util::Date to) {
    std::vector<LabelCount> counts;
    if (m_db.schema_version() < k_record_repairs_version) {
        return counts;
    }
    Statement statement(m_db, k_record_repairs_decided);
    const std::string first = from.iso();
    const std::string last = to.iso();
    statement.bind(1, first).bind(2, last);
    while (statement.step()) {
        counts.push_back({std::string(statement.column_text(0)),
                          std::string(statement.column_text(1)), statement.column_int64(2)});
    }
    return counts;
}

}  // namespace rbl::store
