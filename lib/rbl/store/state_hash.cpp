#include "rbl/store/state_hash.hpp"


#include <charconv>
#include <iterator>
#include <string>
#include <vector>

#include "rbl/util/hex.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::store {

namespace {

constexpr int k_entry_status_column = 5;

constexpr std::string_view k_entry =
    "SELECT " RBL_ENTRY_STATE_COLUMNS " FROM entries WHERE entry_id = ?1";

constexpr std::string_view k_evidence =
    "SELECT rec, record_id FROM entry_evidence WHERE entry_id = ?1 ORDER BY rec";

constexpr std::string_view k_all_entries =
    "SELECT " RBL_ENTRY_STATE_COLUMNS " FROM entries ORDER BY entry_id";

constexpr std::string_view k_all_evidence =
    "SELECT entry_id, rec, record_id FROM entry_evidence ORDER BY entry_id, rec";

constexpr std::string_view k_all_records =
    "SELECT rec, inserted_batch, " RBL_RECORD_STATE_COLUMNS " FROM records ORDER BY rec";

constexpr std::string_view k_entry_label = "rbl entry state v1\n";
constexpr std::string_view k_record_label = "rbl record state v1\n";

// Serialises values, length-prefixed, NULL as "n", then hashes them with SHA-256 in one go (one
// digest update per state rather than three per value: this runs for every imported record).
class StateHasher {
public:
    explicit StateHasher(std::string_view label) : m_bytes(label) {}

    void text(std::string_view value) {
        char length[24];
        const auto end = std::to_chars(std::begin(length), std::end(length), value.size()).ptr;
        m_bytes.append(length, end);
        m_bytes += ':';
        m_bytes += value;
        m_bytes += '\n';
    }
    void optional_text(std::optional<std::string_view> value) {
        if (value) {
            text(*value);
        } else {
            m_bytes += "n\n";
        }
    }
    void integer(std::optional<std::int64_t> value) {
        if (value) {
            char digits[24];
            const auto end = std::to_chars(std::begin(digits), std::end(digits), *value).ptr;
            text(std::string_view(digits, static_cast<std::size_t>(end - digits)));
        } else {
            m_bytes += "n\n";
        }
    }
    void column(const Statement& statement, int column) {
        if (statement.is_null(column)) {
            m_bytes += "n\n";
        } else {
            text(statement.column_text(column));
        }
    }
    StateHash finish() {
        util::Sha256 hash;
        hash.update(m_bytes);
        return hash.digest();
    }

private:
    std::string m_bytes;
};

std::optional<std::string_view> optional_text(const Statement& statement, int column) {
    if (statement.is_null(column)) {
        return std::nullopt;
    }
    return statement.column_text(column);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

}  // namespace

StateHash entry_state_hash(const Statement& entry, int first,
                           const std::vector<std::pair<std::int64_t, std::string>>& evidence) {
    StateHasher hasher(k_entry_label);
    for (int column = first; column < first + k_entry_state_columns; ++column) {
        hasher.column(entry, column);
    }
    hasher.integer(static_cast<std::int64_t>(evidence.size()));
    for (const auto& [rec, record_id] : evidence) {
        hasher.integer(rec);
        hasher.text(record_id);
    }
    return hasher.finish();
}

std::string to_hex(const StateHash& hash) {
    return util::to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

std::optional<StateHash> state_hash_from_hex(std::string_view text) {
    StateHash hash{};
    if (text.size() != hash.size() * 2) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < hash.size(); ++i) {
        const int high = hex_value(text[2 * i]);
        const int low = hex_value(text[2 * i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        hash[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return hash;
}

RecordState record_state_of(const Statement& statement, int first) {
    RecordState record;
    record.source = statement.column_text(first + 0);
    record.record_id = statement.column_text(first + 1);
    record.subject_id = statement.column_text(first + 2);
    record.domain = statement.column_text(first + 3);
    record.kind = statement.column_text(first + 4);
    record.date = statement.column_text(first + 5);
    if (!statement.is_null(first + 6)) {
        record.amount_fen = statement.column_int64(first + 6);
    }
    record.authority = optional_text(statement, first + 7);
    record.region = optional_text(statement, first + 8);
    record.status = statement.column_text(first + 9);
    record.withdrawn_by = optional_text(statement, first + 10);
    record.attrs = statement.column_text(first + 11);
    return record;
}

StateHash record_state_hash(const RecordState& record) {
    StateHasher hasher(k_record_label);
    hasher.text(record.source);
    hasher.text(record.record_id);
    hasher.text(record.subject_id);
    hasher.text(record.domain);
    hasher.text(record.kind);
    hasher.text(record.date);
    hasher.integer(record.amount_fen);
    hasher.optional_text(record.authority);
    hasher.optional_text(record.region);
    hasher.text(record.status);
    hasher.optional_text(record.withdrawn_by);
    hasher.text(record.attrs);
    return hasher.finish();
}

StateReader::StateReader(Database& db)
    : m_entry(db, k_entry),
      m_evidence(db, k_evidence),
      m_all_entries(db, k_all_entries, detail::Fetch::stream),
      m_all_evidence(db, k_all_evidence, detail::Fetch::stream),
      m_all_records(db, k_all_records, detail::Fetch::stream) {}

std::optional<StateHash> StateReader::entry_state(std::int64_t entry_id) {
    std::vector<std::pair<std::int64_t, std::string>> evidence;
    m_evidence.bind(1, entry_id);
    while (m_evidence.step()) {
        evidence.emplace_back(m_evidence.column_int64(0), std::string(m_evidence.column_text(1)));
    }
    m_evidence.reset();
    m_entry.bind(1, entry_id);
    std::optional<StateHash> hash;
    if (m_entry.step()) {
        hash = entry_state_hash(m_entry, 0, evidence);
    }
    m_entry.reset();
    return hash;
}

void StateReader::for_each_entry(
    const std::function<void(std::int64_t, const StateHash&, std::string_view)>& visit) {
    // Two cursors in entry_id order, merged: one pass over each table.
    std::vector<std::pair<std::int64_t, std::string>> evidence;
    bool more_evidence = m_all_evidence.step();
    try {
        while (m_all_entries.step()) {
            const std::int64_t entry_id = m_all_entries.column_int64(0);
            while (more_evidence && m_all_evidence.column_int64(0) < entry_id) {
                more_evidence = m_all_evidence.step();  // evidence of an entry that is gone
            }
            evidence.clear();
            while (more_evidence && m_all_evidence.column_int64(0) == entry_id) {
                evidence.emplace_back(m_all_evidence.column_int64(1),
                                      std::string(m_all_evidence.column_text(2)));
                more_evidence = m_all_evidence.step();
            }
            visit(entry_id, entry_state_hash(m_all_entries, 0, evidence),
                  m_all_entries.column_text(k_entry_status_column));
        }
    } catch (...) {
        m_all_entries.reset();
        m_all_evidence.reset();
        throw;
    }
    m_all_entries.reset();
    m_all_evidence.reset();
}

void StateReader::for_each_record(const std::function<void(const StoredRecord&)>& visit) {
    StoredRecord record;
    try {
        while (m_all_records.step()) {
            record.rec = m_all_records.column_int64(0);
            record.inserted_batch = m_all_records.column_int64(1);
            record.state = record_state_of(m_all_records, 2);
            visit(record);
        }
    } catch (...) {
        m_all_records.reset();
        throw;
    }
    m_all_records.reset();
}

}  // namespace rbl::store
