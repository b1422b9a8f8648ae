#pragma once
// The figures of rbl-publish's summary report (publish/report.cpp), read with constant statements
// from entries, subjects, appeals, feedback and lookups. It only reads.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::store {

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

/// Per department, as of a day: the real-time checks it made (the lookup log, SPEC.md §9) and the
/// subjects they found with entries in force or pending, against the feedback it reported and how
/// much of it names the lookup it follows from.
struct DepartmentLookups {
    std::string department;
    std::int64_t checks = 0;
    std::int64_t subjects_with_entries = 0;  ///< distinct subjects whose answer named entries
    std::int64_t feedback_rows = 0;
    std::int64_t naming_lookup = 0;  ///< feedback rows that give a lookup_id
};

/// The entries in force or pending on a day: per list and status, per domain and kind, per
/// region (the first 4 digits of the subject's region: the city) and kind.
struct OpenEntryCounts {
    std::vector<LabelCount> by_list;
    std::vector<LabelCount> by_domain;
    std::vector<LabelCount> by_region;
};

/// Reads the report's figures from one database (inside the caller's read snapshot).
class ReportStore {
public:
    explicit ReportStore(Database& db);

    /// The entries open on `as_of` as they stood that day (model::state_as_published, as the
    /// export shows them), `last_run` being the as-of day of the last run.
    OpenEntryCounts open_entries(util::Date as_of, util::Date last_run);
    /// Report figures, as of a day: entries decided and ended per month, open and overdue
    /// objections, measures distributed and reported per list and department.
    std::vector<LabelCount> decided_by_month(util::Date as_of);
    std::vector<LabelCount> ended_by_month(util::Date as_of);
    /// The objections (repair applications not counted) open on `as_of` — received by then and
    /// undecided then, also those decided later — and how many of them were past their due date.
    std::pair<std::int64_t, std::int64_t> objections_open_overdue(util::Date as_of);
    std::vector<DepartmentFeedback> feedback_by_list_department();
    /// Lookups whose answer was for `as_of` or a day before, and feedback applied by then, per
    /// department (in name order). A database from before the lookup log, or from before
    /// feedback named lookups, is read as it is: it has none.
    std::vector<DepartmentLookups> lookups_by_department(util::Date as_of);
    /// Records' repair applications decided from `from` to `to` (both included), per domain
    /// (label) and outcome (group: "granted" or "refused"), in domain order. None before schema
    /// version 10.
    std::vector<LabelCount> record_repairs_decided(util::Date from, util::Date to);

private:
    Database& m_db;
};

}  // namespace rbl::store
