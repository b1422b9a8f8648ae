#include "rbl/store/record_publicity_store.hpp"

namespace rbl::store {

namespace {

constexpr std::string_view k_record = R"sql(
SELECT s.subject_id, s.name, s.subject_type,
       r.rec, r.record_id, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region, r.attrs,
       r.source, r.status, r.withdrawn_by, r.updated_batch
FROM records r JOIN subjects s ON s.subject_id = r.subject_id
WHERE r.rec = ?1)sql";

}  // namespace

RecordPublicityStore::RecordPublicityStore(Database& db) : m_record(db, k_record) {}

bool RecordPublicityStore::record(std::int64_t rec, PublishedRecord& out) {
    m_record.bind(1, rec);
    const bool found = m_record.step();
    if (found) {
        out.subject_id = m_record.column_text(0);
        out.subject_name = m_record.column_text(1);
        out.subject_type = m_record.column_text(2);
        out.record = stored_record_of(m_record, 3);
    }
    m_record.reset();
    return found;
}

}  // namespace rbl::store
