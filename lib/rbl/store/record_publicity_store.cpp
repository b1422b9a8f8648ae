#include "rbl/store/record_publicity_store.hpp"

#include <nlohmann/json.hpp>

namespace rbl::store {

namespace {

constexpr std::string_view k_record = R"sql(
SELECT s.subject_id, s.name, s.subject_type,
       r.rec, r.record_id, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region, r.attrs,
       r.source, r.status, r.withdrawn_by, r.updated_batch
FROM records r JOIN subjects s ON s.subject_id = r.subject_id
WHERE r.rec = ?1)sql";

}  // namespace

std::vector<std::optional<std::string>> class_values(const model::PublicityTerms& terms,
                                                     const std::string& attrs_json) {
    std::vector<std::optional<std::string>> values;
    if (terms.class_attributes.empty()) {
        return values;
    }
    const auto attrs = nlohmann::json::parse(attrs_json, nullptr, false);
    for (const std::string& name : terms.class_attributes) {
        const auto found = attrs.is_object() ? attrs.find(name) : attrs.end();
        values.push_back(attrs.is_object() && found != attrs.end() && found->is_string()
                             ? std::optional(found->get<std::string>())
                             : std::nullopt);
    }
    return values;
}

std::optional<model::RecordPublicity> publicity_of(const model::PublicityTerms& terms,
                                                   const StoredRecord& record) {
    const auto decided_on = util::parse_iso_date(record.date);
    if (!decided_on) {
        return std::nullopt;
    }
    auto publicity = model::publicity_of(terms, record.kind, class_values(terms, record.attrs),
                                         *decided_on);
    if (publicity && record.repaired_on) {
        if (const auto repaired = util::parse_iso_date(*record.repaired_on)) {
            publicity->ended_on = *repaired;
        }
    }
    return publicity;
}

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
