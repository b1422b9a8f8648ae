#pragma once
// What a run needs of one subject's entries, read with its records so that evaluating the
// subject needs no database (and can run on any thread): its open entries, and the decisions its
// entries rest on — of ended entries, for "no listing twice for the same facts" (SPEC.md §4), of
// open ones, for an entry that ends in the run.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/entry_store.hpp"

namespace rbl::store {

/// One decision an entry of the subject rests on.
struct EntryDecision {
    std::int64_t entry_id = 0;
    std::string list_id;
    /// The entry ended other than by withdrawal (expired, lifted, repaired, revoked), or was
    /// withdrawn by an upheld objection: its facts were used, or ruled out by the office.
    bool used = false;
    bool expired = false;  ///< the entry ended as expired (its term ran out)
    Decision decision;
};

/// A subject's entries as a run sees them.
struct SubjectEntries {
    std::vector<model::Entry> open;        ///< pending or effective, by entry id
    std::vector<EntryDecision> evidence;   ///< of every entry of the subject

    /// The decisions used by the subject's ended entries on `list_id` (EntryDecision::used),
    /// those of expired entries left out unless `with_expired`.
    [[nodiscard]] std::vector<Decision> used_on(std::string_view list_id,
                                                bool with_expired = true) const;
    /// The decisions one entry rests on.
    [[nodiscard]] std::vector<Decision> of_entry(std::int64_t entry_id) const;
};

/// Reads subjects' entries, either streaming over every subject (ask in ascending subject order,
/// as SubjectReader gives them) or one indexed query per subject.
class SubjectEntriesReader {
public:
    enum class Mode { stream, point };
    SubjectEntriesReader(Database& db, Mode mode);

    /// Fills `entries` with the subject's.
    void read(std::string_view subject_id, SubjectEntries& entries);

private:
    // Stream mode: steps `cursor` past subjects before `subject_id`; true when it is on it.
    static bool seek(Statement& cursor, bool& has_row, std::string_view subject_id);
    static EntryDecision decision_of(const Statement& statement);

    Mode m_mode;
    Statement m_open;
    Statement m_evidence;
    bool m_open_row = false;
    bool m_evidence_row = false;
};

}  // namespace rbl::store
