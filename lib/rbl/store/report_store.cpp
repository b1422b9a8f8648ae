#include "rbl/store/report_store.hpp"

namespace rbl::store {

namespace {

// Report figures. An entry is open on a day when decided by then and not ended by then; its
// state is counted as stored.
constexpr std::string_view k_open_by_list = R"sql(
SELECT list_id, status, count(*) FROM entries
WHERE decided_on <= ?1 AND status IN ('notice', 'publicity', 'effective')
GROUP BY list_id, status ORDER BY list_id, status)sql";

constexpr std::string_view k_open_by_domain = R"sql(
SELECT domain, kind, count(*) FROM entries
WHERE decided_on <= ?1 AND status IN ('notice', 'publicity', 'effective')
GROUP BY domain, kind ORDER BY domain, kind)sql";

constexpr std::string_view k_open_by_region = R"sql(
SELECT substr(s.region, 1, 4), e.kind, count(*) FROM entries e
JOIN subjects s ON s.subject_id = e.subject_id
WHERE e.decided_on <= ?1 AND e.status IN ('notice', 'publicity', 'effective')
GROUP BY 1, 2 ORDER BY 1, 2)sql";

constexpr std::string_view k_decided_by_month = R"sql(
SELECT substr(decided_on, 1, 7), kind, count(*) FROM entries WHERE decided_on <= ?1
GROUP BY 1, 2 ORDER BY 1, 2)sql";

constexpr std::string_view k_ended_by_month = R"sql(
SELECT substr(ended_on, 1, 7), kind, count(*) FROM entries
WHERE ended_on IS NOT NULL AND ended_on <= ?1 GROUP BY 1, 2 ORDER BY 1, 2)sql";

constexpr std::string_view k_objections = R"sql(
SELECT count(*), coalesce(sum(due_on < ?1), 0) FROM appeals
WHERE outcome IS NULL AND received_on <= ?1)sql";

constexpr std::string_view k_feedback = R"sql(
WITH distributed AS (
    SELECT DISTINCT e.entry_id, e.list_id, d.value AS department
    FROM entries e, json_each(e.terms, '$.measures') m, json_each(m.value, '$.departments') d
    WHERE e.status = 'effective')
SELECT t.list_id, t.department, count(*),
       sum(EXISTS (SELECT 1 FROM feedback f WHERE f.entry_id = t.entry_id
                   AND f.department = t.department))
FROM distributed t GROUP BY t.list_id, t.department ORDER BY t.list_id, t.department)sql";

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

std::vector<LabelCount> ReportStore::open_by_list(util::Date as_of) {
    return label_counts(m_db, k_open_by_list, as_of);
}

std::vector<LabelCount> ReportStore::open_by_domain(util::Date as_of) {
    return label_counts(m_db, k_open_by_domain, as_of);
}

std::vector<LabelCount> ReportStore::open_by_region(util::Date as_of) {
    return label_counts(m_db, k_open_by_region, as_of);
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
    Statement statement(m_db, k_feedback);
    std::vector<DepartmentFeedback> rows;
    while (statement.step()) {
        rows.push_back({std::string(statement.column_text(0)),
                        std::string(statement.column_text(1)), statement.column_int64(2),
                        statement.column_int64(3)});
    }
    return rows;
}

}  // namespace rbl::store
