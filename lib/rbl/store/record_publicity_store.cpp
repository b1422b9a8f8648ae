#include "rbl/store/record_publicity_store.hpp"

#include <nlohmann/json.hpp>

namespace rbl::store {

namespace {

constexpr std::string_view k_record = RBL_PUBLISHED_RECORD_QUERY "WHERE r.rec = ?1";

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

PublishedRecord published_record_of(const Statement& statement) {
    return {std::string(statement.column_text(0)), std::string(statement.column_text(1)),
            std::string(statement.column_text(2)), stored_record_of(statement, 3)};
}

bool RecordPublicityStore::record(std::int64_t rec, PublishedRecord& out) {
    m_record.bind(1, rec);
    const bool found = m_record.step();
    if (found) {
        out = published_record_of(m_record);
    }
    m_record.reset();
    return found;
}

}  // namespace rbl::store
