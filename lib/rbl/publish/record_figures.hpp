#pragma once
// The records section of rbl-publish report (SPEC.md §11): the records public on the as-of day by
// domain and class, the records' repair applications decided in the report's period, and the
// publications that ended by themselves (reached their 公示截止期) in it. The report's period is
// the calendar month of the as-of day, from its first day to the as-of day.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "rbl/model/record_publicity.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/report_store.hpp"
#include "rbl/util/date.hpp"

namespace rbl::publish {

/// The records' figures of a report.
struct RecordFigures {
    util::Date period_from;  ///< the first day of the as-of day's month
    util::Date as_of;
    /// Records public on as_of: label domain, group class (minor, general, serious).
    std::vector<store::LabelCount> public_records;
    /// Repair applications decided in the period: label domain, group granted or refused.
    std::vector<store::LabelCount> repairs;
    /// Publications that ended by themselves in the period — the day after their 公示截止期 (the
    /// first day not public) from period_from to as_of — and not ended earlier by a repair:
    /// label domain, group class.
    std::vector<store::LabelCount> ended;
};

/// Reads the figures as of `as_of` under `publicity` (inside the caller's read snapshot): one
/// pass over the facts (store::SubjectReader), as `rbl-publish records` reads them.
RecordFigures record_figures(store::Database& db, const model::PublicityByDomain& publicity,
                             util::Date as_of);

/// The figures as the report's JSON gives them: {period_from, as_of, public: [{domain, class,
/// count}], repairs: [{domain, granted, refused}], ended: [{domain, class, count}]}.
nlohmann::json to_json(const RecordFigures& figures);

/// The report's HTML section of the figures.
std::string record_figures_html(const RecordFigures& figures);

}  // namespace rbl::publish
