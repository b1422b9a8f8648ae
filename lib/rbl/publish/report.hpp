#pragma once
// rbl-publish report: one self-contained HTML page (no network, inline SVG charts) with the
// lists' figures as of a day, for analysts and office heads.

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rbl/model/record_publicity.hpp"
#include "rbl/publish/record_figures.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::publish {

/// The report as HTML: open entries per list (by status), per domain and per region (city),
/// entries decided and ended per month, open and overdue objections, and per list and
/// department the entries distributed against those with measures reported; per department the
/// checks made (rbl-check) and the subjects they found listed against the feedback reported and
/// how much of it names a check; and the records' figures (`records`, record_figures.hpp).
std::string report_html(store::Database& db, util::Date as_of, const RecordFigures& records);

/// The same, the records' figures read under `publicity` (none: the section says none).
std::string report_html(store::Database& db, util::Date as_of,
                        const model::PublicityByDomain& publicity = {});

/// Where `rbl-publish report` writes the report, and as of which day.
struct ReportOptions {
    std::string out;                   ///< the HTML file
    std::optional<std::string> as_of;  ///< YYYY-MM-DD; default: the last run's as-of
    unsigned mode = 0600;              ///< permission bits of the file
    /// The publicity terms of the domains that publish records, for the records' figures.
    model::PublicityByDomain publicity;
};

/// What a report run wrote.
struct ReportSummary {
    std::string out;
    util::Date as_of;
    std::size_t bytes = 0;  ///< the size of the HTML page
    RecordFigures records;  ///< the records' figures the page shows
};

/// Writes the report as of `options.as_of` (see publication_as_of) to `options.out`, through
/// write_private_file. Throws as those two; the folder of `out` is checked before, with
/// check_output_folder.
ReportSummary write_report(store::Database& db, const ReportOptions& options);

/// The summary as `rbl-publish report --json` prints it: {out, as_of, bytes, records} (records
/// as to_json(RecordFigures)).
nlohmann::json to_json(const ReportSummary& summary);

}  // namespace rbl::publish
