#pragma once
// A subject's credit report as an A4 PDF, with the same content as the HTML page: text laid out
// by pango in a CJK font found by fontconfig (Noto Sans CJK SC, Debian's fonts-noto-cjk) and
// written by cairo with that font embedded (subset). cairo and pango stay inside the .cpp.

#include <string>

#include "rbl/publish/subject_report.hpp"

namespace rbl::publish {

/// The PDF of `report` (its bytes), whose footer prints `digest`. The report number is also in
/// the document's keywords ("rbl-report-number:NUMBER") for verify-report, and its creation date
/// is the issue day, so that the same content gives the same bytes. Throws FailedError when no
/// CJK font is installed or the font lacks a character of the report (never boxes in place of
/// characters), or when cairo fails.
std::string subject_report_pdf(const SubjectReport& report, const std::string& digest);

/// The keywords entry that names a PDF report's number.
inline constexpr std::string_view k_pdf_number_keyword = "rbl-report-number:";

}  // namespace rbl::publish
