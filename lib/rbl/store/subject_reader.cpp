#include "rbl/store/subject_reader.hpp"

#include <algorithm>
#include <utility>
#include <tuple>

#include <nlohmann/json.hpp>

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

// Records whose credit repair was granted, with its day (schema version 10 on).
constexpr std::string_view k_repaired_records =
    "SELECT rec, min(decided_on) FROM record_repairs WHERE outcome = 'upheld' GROUP BY rec";
constexpr int k_record_repairs_version = 10;

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
    if (db.schema_version() >= k_record_repairs_version) {
        Statement repaired(db, k_repaired_records);
        while (repaired.step()) {
            m_repaired.emplace(repaired.column_int64(0), repaired.column_text(1));
        }
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
            if (const auto repaired = m_repaired.find(record.rec); repaired != m_repaired.end()) {
                record.repaired_on = repaired->second;
            }
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
    // An office decision on the facts by then — a withdrawal, a granted repair — binds them all.
    const auto office_ended = [&](const StoredRecord& r) {
        return r.withdrawn_by_office || (r.repaired_on && *r.repaired_on <= as_of);
    };
    // Within a decision, the version that counts sorts first.
    std::sort(records.begin(), records.end(), [&](const StoredRecord& a, const StoredRecord& b) {
        if (decision(a) != decision(b)) {
            return decision(a) < decision(b);
        }
        return std::tuple(office_ended(a), a.updated_batch, a.rec) >
               std::tuple(office_ended(b), b.updated_batch, b.rec);
    });
    std::vector<bool> counts(records.size(), false);
    std::optional<std::string> next_fact_day;
    const auto change_on = [&](const std::string& day) {
        if (!next_fact_day || day < *next_fact_day) {
            next_fact_day = day;
        }
    };
    for (std::size_t i = 0; i < records.size(); ++i) {
        const StoredRecord& record = records[i];
        const bool counting = (i == 0 || decision(record) != decision(records[i - 1])) &&
                              record.active && !office_ended(record);
        counts[i] = counting && record.date <= as_of;
        if (counting && record.date > as_of) {
            change_on(record.date);
        }
        if (record.repaired_on && *record.repaired_on > as_of) {
            change_on(*record.repaired_on);  // the decision stops counting then
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

std::optional<util::Date> latest_date_attribute(std::span<const StoredRecord> facts,
                                                std::span<const Decision> decisions,
                                                std::string_view attribute) {
    std::optional<util::Date> latest;
    for (const StoredRecord& fact : facts) {
        const bool evidence = std::find(decisions.begin(), decisions.end(),
                                        Decision{fact.domain, fact.kind, fact.record_id}) !=
                              decisions.end();
        if (!evidence || fact.attrs.size() <= 2) {
            continue;
        }
        const auto attrs = nlohmann::json::parse(fact.attrs, nullptr, false);
        const auto value = attrs.is_object() ? attrs.find(std::string(attribute)) : attrs.end();
        if (value == attrs.end() || !value->is_string()) {
            continue;
        }
        if (auto day = util::parse_iso_date(value->get<std::string>());
            day && (!latest || *latest < *day)) {
            latest = *day;
        }
    }
    return latest;
}

}  // namespace rbl::store
