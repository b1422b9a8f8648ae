#include "rbl/store/subject_entries.hpp"

#include <algorithm>

#include "rbl/store/columns.hpp"

namespace rbl::store {

namespace {

// Every query here starts with subject_id, then the columns its reader reads.
constexpr std::string_view k_open_all = R"sql(
SELECT subject_id, entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until,
       publicity_until, effective_from, expires_on, ended_on, end_reason, disputed
FROM entries WHERE status IN ('notice', 'publicity', 'effective')
ORDER BY subject_id, entry_id)sql";

constexpr std::string_view k_open_of = R"sql(
SELECT subject_id, entry_id, list_id, subject_id, kind, domain, status, decided_on, notice_until,
       publicity_until, effective_from, expires_on, ended_on, end_reason, disputed
FROM entries WHERE subject_id = ?1 AND status IN ('notice', 'publicity', 'effective')
ORDER BY entry_id)sql";

constexpr std::string_view k_evidence_all = R"sql(
SELECT e.subject_id, e.entry_id, e.list_id, e.status, e.end_reason, r.domain, r.kind, r.record_id
FROM entries e
JOIN entry_evidence ev ON ev.entry_id = e.entry_id
JOIN records r ON r.rec = ev.rec
ORDER BY e.subject_id)sql";

constexpr std::string_view k_evidence_of = R"sql(
SELECT e.subject_id, e.entry_id, e.list_id, e.status, e.end_reason, r.domain, r.kind, r.record_id
FROM entries e
JOIN entry_evidence ev ON ev.entry_id = e.entry_id
JOIN records r ON r.rec = ev.rec
WHERE e.subject_id = ?1)sql";

}  // namespace

std::vector<Decision> SubjectEntries::used_on(std::string_view list_id,
                                              bool with_expired) const {
    std::vector<Decision> decisions;
    for (const EntryDecision& item : evidence) {
        if (item.used && item.list_id == list_id && (with_expired || !item.expired)) {
            decisions.push_back(item.decision);
        }
    }
    return decisions;
}

std::vector<Decision> SubjectEntries::of_entry(std::int64_t entry_id) const {
    std::vector<Decision> decisions;
    for (const EntryDecision& item : evidence) {
        if (item.entry_id == entry_id) {
            decisions.push_back(item.decision);
        }
    }
    return decisions;
}

SubjectEntriesReader::SubjectEntriesReader(Database& db, Mode mode)
    : m_mode(mode),
      m_open(db, mode == Mode::stream ? k_open_all : k_open_of,
             mode == Mode::stream ? detail::Fetch::stream : detail::Fetch::all),
      m_evidence(db, mode == Mode::stream ? k_evidence_all : k_evidence_of,
                 mode == Mode::stream ? detail::Fetch::stream : detail::Fetch::all) {
    if (m_mode == Mode::stream) {
        m_open_row = m_open.step();
        m_evidence_row = m_evidence.step();
    }
}

bool SubjectEntriesReader::seek(Statement& cursor, bool& has_row, std::string_view subject_id) {
    while (has_row && cursor.column_text(0) < subject_id) {
        has_row = cursor.step();
    }
    return has_row && cursor.column_text(0) == subject_id;
}

EntryDecision SubjectEntriesReader::decision_of(const Statement& statement) {
    EntryDecision item;
    item.entry_id = statement.column_int64(1);
    item.list_id = statement.column_text(2);
    const auto status = model::parse_entry_status(statement.column_text(3));
    const auto reason = model::parse_end_reason(statement.column_text(4));
    item.used = (status && !model::is_open(*status) && *status != model::EntryStatus::withdrawn) ||
                reason == model::EndReason::objection_upheld;
    item.expired = status == model::EntryStatus::expired;
    item.decision = Decision{std::string(statement.column_text(5)),
                             std::string(statement.column_text(6)),
                             std::string(statement.column_text(7))};
    return item;
}

void SubjectEntriesReader::read(std::string_view subject_id, SubjectEntries& entries) {
    entries.open.clear();
    entries.evidence.clear();
    if (m_mode == Mode::point) {
        m_open.bind(1, subject_id);
        while (m_open.step()) {
            entries.open.push_back(entry_of(m_open, 1));
        }
        m_open.reset();
        m_evidence.bind(1, subject_id);
        while (m_evidence.step()) {
            entries.evidence.push_back(decision_of(m_evidence));
        }
        m_evidence.reset();
        return;
    }
    while (seek(m_open, m_open_row, subject_id)) {
        entries.open.push_back(entry_of(m_open, 1));
        m_open_row = m_open.step();
    }
    while (seek(m_evidence, m_evidence_row, subject_id)) {
        entries.evidence.push_back(decision_of(m_evidence));
        m_evidence_row = m_evidence.step();
    }
}

}  // namespace rbl::store
