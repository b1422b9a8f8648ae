#pragma once
// A subject's credit report as one self-contained HTML page (no network: styles inline), laid
// out for A4 printing. It shows exactly the content of publish/subject_report.hpp.

#include <string>

#include "rbl/publish/subject_report.hpp"

namespace rbl::publish {

/// The HTML page of `report`, whose footer prints `digest` (content_digest(report)). Every field
/// carries a `data-field` attribute, each record, entry and appeal row its id, and the page its
/// number in `<meta name="rbl-report-number">`, so that programs can read it back.
std::string subject_report_html(const SubjectReport& report, const std::string& digest);

}  // namespace rbl::publish
