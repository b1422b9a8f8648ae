#pragma once
// What rbl-publish reads and records: entries as exported rows, channel publications with a hash
// of each row, department feedback, and the figures of the summary report. All of its SQL is
// here, as constant statements prepared once.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

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
    std::string end_reason;
    std::string authority;
    std::string basis;
    std::string explanation;
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

/// A count under a label, for the report.
struct LabelCount {
    std::string label;
    std::string group;  ///< a second key where there is one (status, department), else ""
    std::int64_t count = 0;
};

/// Per list and department: effective entries whose list's measures name the department, and
/// how many of them the department reported measures applied to.
struct DepartmentFeedback {
    std::string list_id;
    std::string department;
    std::int64_t distributed = 0;
    std::int64_t reported = 0;
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
    /// One entry, whatever the filter (for rows a delta reports removed); false when none.
    bool entry(std::int64_t entry_id, util::Date as_of, EntryRow& row);

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
    /// Records a publication and its rows (those added since start_rows()); returns its id.
    std::int64_t record(const PublicationRecord& publication);

    /// Report figures, as of a day: open entries (pending or effective) per list and status,
    /// per domain, per region (first 4 digits: the city), entries decided and ended per month,
    /// open and overdue objections, measures distributed and reported per list and department.
    std::vector<LabelCount> open_by_list(util::Date as_of);
    std::vector<LabelCount> open_by_domain(util::Date as_of);
    std::vector<LabelCount> open_by_region(util::Date as_of);
    std::vector<LabelCount> decided_by_month(util::Date as_of);
    std::vector<LabelCount> ended_by_month(util::Date as_of);
    std::pair<std::int64_t, std::int64_t> objections_open_overdue(util::Date as_of);
    std::vector<DepartmentFeedback> feedback_by_list_department();

    /// An entry's decision date and kept terms (JSON), for checking feedback; false when none.
    bool entry_terms(std::int64_t entry_id, std::string& decided_on, std::string& terms_json);
    /// The measures each department reported applied to each entry: (entry_id, department) ->
    /// measure ids joined by ';' (feedback is small: read once per export).
    std::map<std::pair<std::int64_t, std::string>, std::string> reported_measures();
    /// Records a measure a department applied; false when the same report was recorded before.
    bool add_feedback(std::int64_t entry_id, std::string_view department,
                      std::string_view measure_id, std::string_view applied_on,
                      std::string_view note, std::int64_t batch_id);

private:
    void read_row(const Statement& statement, EntryRow& row) const;
    std::set<std::int64_t> disputed_on(const std::string& day);

    Database& m_db;
    Statement m_last_as_of;
    Statement m_entries;
    Statement m_entry;
    Statement m_last_publication;
    Statement m_add_row;
    Statement m_changes;
    Statement m_insert_publication;
    Statement m_copy_rows;
    Statement m_entry_terms;
    Statement m_add_feedback;
};

}  // namespace rbl::store
