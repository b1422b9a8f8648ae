#pragma once
// rbl-publish report: one self-contained HTML page (no network, inline SVG charts) with the
// lists' figures as of a day, for analysts and office heads.

#include <string>

#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::publish {

/// The report as HTML: open entries per list (by status), per domain and per region (city),
/// entries decided and ended per month, open and overdue objections, and per list and
/// department the entries distributed against those with measures reported.
std::string report_html(store::Database& db, util::Date as_of);

}  // namespace rbl::publish
