#include "rbl/store/subject_reader.hpp"

#include <algorithm>
#include <utility>
#include <tuple>

namespace rbl::store {

namespace {

constexpr std::string_view k_subjects_with_records = R"sql(
SELECT s.subject_id, s.name, s.subject_type, s.region,
       r.rec, r.record_id, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region, r.attrs,
       r.source, r.status, r.withdrawn_by, r.updated_batch, r.inserted_batch
FROM subjects s
LEFT JOIN records r ON r.subject_id = s.subject_id
ORDER BY s.subject_id, r.domain, r.date, r.kind, r.record_id, r.source)sql";

constexpr std::string_view k_subject_with_records = R"sql(
SELECT s.subject_id, s.name, s.subject_type, s.region,
       r.rec, r.record_id, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region, r.attrs,
       r.source, r.status, r.withdrawn_by, r.updated_batch, r.inserted_batch
FROM subjects s
LEFT JOIN records r ON r.subject_id = s.subject_id
WHERE s.subject_id = ?1
ORDER BY r.domain, r.date, r.kind, r.record_id, r.source)sql";

constexpr std::string_view k_reverted_batches =
    "SELECT batch_id FROM import_batches WHERE reverted_at IS NOT NULL";

constexpr std::string_view k_count_subjects = "SELECT count(*) FROM subjects";

}  // namespace

SubjectReader::SubjectReader(Database& db, std::string as_of, Query query)
    : m_statement(db, query.sql,
                  query.sql == k_subjects_with_records ? detail::Fetch::stream : detail::Fetch::all),
      m_as_of(std::move(as_of)) {
    Statement reverted(db, k_reverted_batches);
    while (reverted.step()) {
        m_reverted_batches.push_back(reverted.column_int64(0));
    }
}

SubjectReader::SubjectReader(Database& db, std::string as_of,
                             std::optional<std::string> subject_id)
    : SubjectReader(db, std::move(as_of),
                    Query{subject_id ? k_subject_with_records : k_subjects_with_records}) {
    if (subject_id) {
        m_point = true;
        m_next_subject = [id = std::move(*subject_id), given = false](std::string& out) mutable {
            out = id;
            return !std::exchange(given, true);
        };
    }
    start();
}

SubjectReader::SubjectReader(Database& db, std::string as_of,
                             std::function<bool(std::string& subject_id)> next_subject)
    : SubjectReader(db, std::move(as_of), Query{k_subject_with_records}) {
    m_point = true;
    m_next_subject = std::move(next_subject);
    start();
}

void SubjectReader::start() {
    if (!m_point) {
        m_has_row = m_statement.step();
        m_done = !m_has_row;
        return;
    }
    m_has_row = false;
    while (!m_has_row && m_next_subject(m_subject_id)) {
        m_statement.reset();
        m_statement.bind(1, m_subject_id);
        m_has_row = m_statement.step();
    }
    m_done = !m_has_row;
}

bool SubjectReader::next(SubjectRows& rows) {
    if (m_done) {
        return false;
    }
    rows.subject_id = m_statement.column_text(0);
    rows.name = m_statement.column_text(1);
    rows.subject_type = m_statement.column_text(2);
    rows.region = m_statement.column_text(3);
    rows.records.clear();
    while (m_has_row && m_statement.column_text(0) == rows.subject_id) {
        if (!m_statement.is_null(4)) {
            StoredRecord record = stored_record_of(m_statement, 4);
            if (record.active || !was_reverted(m_statement.column_int64(17))) {
                rows.records.push_back(std::move(record));
            }
        }
        m_has_row = m_statement.step();
    }
    if (!m_has_row) {
        m_statement.reset();
        if (m_point) {
            start();  // the next subject asked for
        } else {
            m_done = true;
        }
    }
    rows.next_fact_day = keep_one_fact_per_decision(rows.records, m_as_of);
    return true;
}

StoredRecord stored_record_of(const Statement& statement, int first) {
    StoredRecord record;
    record.rec = statement.column_int64(first);
    record.record_id = statement.column_text(first + 1);
    record.domain = statement.column_text(first + 2);
    record.kind = statement.column_text(first + 3);
    record.date = statement.column_text(first + 4);
    if (!statement.is_null(first + 5)) {
        record.amount_fen = statement.column_int64(first + 5);
    }
    record.authority = statement.column_optional_text(first + 6);
    record.region = statement.column_optional_text(first + 7);
    record.attrs = statement.column_text(first + 8);
    record.source = statement.column_text(first + 9);
    record.active = statement.column_text(first + 10) == "active";
    record.withdrawn_by_office = statement.column_text(first + 11) == "office";
    record.updated_batch = statement.column_int64(first + 12);
    return record;
}

bool SubjectReader::was_reverted(std::int64_t batch_id) const {
    return std::find(m_reverted_batches.begin(), m_reverted_batches.end(), batch_id) !=
           m_reverted_batches.end();
}

std::optional<std::string> keep_one_fact_per_decision(std::vector<StoredRecord>& records,
                                                      std::string_view as_of) {
    const auto decision = [](const StoredRecord& r) {
        return std::tie(r.domain, r.kind, r.record_id);
    };
    // Within a decision, the version that counts sorts first.
    std::sort(records.begin(), records.end(), [&](const StoredRecord& a, const StoredRecord& b) {
        if (decision(a) != decision(b)) {
            return decision(a) < decision(b);
        }
        return std::tuple(a.withdrawn_by_office, a.updated_batch, a.rec) >
               std::tuple(b.withdrawn_by_office, b.updated_batch, b.rec);
    });
    std::vector<bool> counts(records.size(), false);
    std::optional<std::string> next_fact_day;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const bool counting = (i == 0 || decision(records[i]) != decision(records[i - 1])) &&
                              records[i].active;
        counts[i] = counting && records[i].date <= as_of;
        if (counting && records[i].date > as_of &&
            (!next_fact_day || records[i].date < *next_fact_day)) {
            next_fact_day = records[i].date;
        }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (counts[i]) {
            if (kept != i) {
                records[kept] = std::move(records[i]);
            }
            ++kept;
        }
    }
    records.resize(kept);
    // Back in the order evaluation has always seen them: by domain, then date.
    std::sort(records.begin(), records.end(), [](const StoredRecord& a, const StoredRecord& b) {
        return std::tie(a.domain, a.date, a.rec) < std::tie(b.domain, b.date, b.rec);
    });
    return next_fact_day;
}

std::int64_t count_subjects(Database& db) {
    Statement statement(db, k_count_subjects);
    return statement.step() ? statement.column_int64(0) : 0;
}

}  // namespace rbl::store
