#pragma once
// What rbl-publish reads and records: entries as exported rows, and channel publications with a
// hash of each row (to tell the next publication's delta). All of its SQL is here, as constant
// statements prepared once. Department feedback is store/feedback_store.hpp's, the figures of the
// summary report store/report_store.hpp's.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rbl/model/end_reason.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::store {

/// Which entries to read (null members: no filter).
struct EntryFilter {
    std::optional<std::string> kind;           ///< "black" or "red"
    std::optional<std::string> domains_json;   ///< a JSON array of domain names
    std::optional<std::string> subject_id;
    util::Date as_of;                          ///< entries decided on or before this day
};

/// One entry as stored, with its subject, evidence and whether an objection was open on the
/// filter's as-of date. Members are reused from row to row.
struct EntryRow {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string list_title;
    std::string list_title_zh;
    std::string kind;
    std::string domain;
    std::string subject_id;
    std::string subject_name;
    std::string subject_type;
    std::string status;
    std::string decided_on;
    std::string notice_until;     ///< "" when none
    std::string publicity_until;  ///< "" when none
    std::string effective_from;
    std::string expires_on;
    std::string ended_on;  ///< "" when not ended
    std::optional<model::EndReason> end_reason;
    std::string authority;
    std::string basis;
    std::string explanation;       ///< in English, as published
    std::string explanation_data;  ///< the same as data (model/explanation.hpp); "" when none
    std::string terms_json;
    std::string evidence;  ///< record ids joined by ';', in order
    bool disputed = false;  ///< an objection was open on the as-of date
};

/// A channel's latest publication.
struct LastPublication {
    std::int64_t publication_id = 0;
    std::string filter_json;
    std::string as_of;
};

/// A publication as it is recorded.
struct PublicationRecord {
    std::string channel;
    std::string published_at;
    std::string as_of;
    std::string filter_json;
    std::string format;
    bool delta = false;
    std::int64_t rows = 0;
    std::string sha256;
    std::string out;
    std::string operator_name;
};

/// Reads entries for export and records publications in one database.
class PublicationStore {
public:
    explicit PublicationStore(Database& db);

    /// The as-of date of the latest run, if any.
    std::optional<std::string> last_run_as_of();
    /// Calls `visit` with every entry that passes the filter, by entry id.
    void for_each_entry(const EntryFilter& filter,
                        const std::function<void(const EntryRow&)>& visit);

    /// The channel's latest publication, if any.
    std::optional<LastPublication> last_publication(std::string_view channel);
    /// Empties (creating if needed) the TEMP table of the rows being published.
    void start_rows();
    /// Adds a row being published with its hash.
    void add_row(std::int64_t entry_id, std::string_view row_hash);
    /// Calls `visit(entry_id, change)` for each entry added, removed or updated between the
    /// publication `previous` (0: none) and the rows added since start_rows(), by entry id.
    void for_each_change(std::int64_t previous,
                         const std::function<void(std::int64_t, std::string_view)>& visit);
    /// The same changes as for_each_change, as the entries stand now whatever the filter (a
    /// delta reports removed rows too), each with `disputed` on `as_of`: `visit(row, change)`,
    /// by entry id, in one pass.
    void for_each_changed_entry(
        std::int64_t previous, util::Date as_of,
        const std::function<void(const EntryRow&, std::string_view)>& visit);
    /// Records a publication and its rows (those added since start_rows()); returns its id.
    std::int64_t record(const PublicationRecord& publication);

private:
    void read_row(const Statement& statement, EntryRow& row) const;
    std::set<std::int64_t> disputed_on(const std::string& day);
    /// Fills the TEMP table changed_rows with the changes since publication `previous`.
    void keep_changes(std::int64_t previous);

    Database& m_db;
    Statement m_last_as_of;
    Statement m_entries;
    Statement m_last_publication;
    Statement m_add_row;
    Statement m_keep_changes;
    Statement m_changes;
    Statement m_changed_entries;
    Statement m_insert_publication;
    Statement m_copy_rows;
};

}  // namespace rbl::store
