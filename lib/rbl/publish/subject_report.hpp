#pragma once
// A subject's credit report (信用报告, SPEC.md §10): its content gathered from the store in one
// place, once, for both renderers (subject_report_html.hpp, subject_report_pdf.hpp), which only
// lay it out. Every text the report shows is here, in Chinese, so that HTML and PDF say the same.
//
// The content has a digest (content_digest: SHA-256 of its canonical JSON) that the footer
// prints; the file's own SHA-256, which no file can contain, is kept in the office's register
// (report_register.hpp) under the report's number.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

namespace rbl::publish {

/// One record of the period: a decision document.
struct ReportRecord {
    std::string record_id;  ///< the document number (决定书文号)
    std::string kind;
    std::string kind_zh;  ///< 行政处罚, 失信被执行人 … or the kind itself when it has no name
    std::string date;
    std::string authority;        ///< "" when not known
    std::string amount;           ///< in yuan, e.g. "123500.00"; "" when none
    std::string publicity_until;  ///< the end of its publicity (公示截止期); "" when not known
};

/// A covered domain and its records of the period (penalties first, then by kind and date).
struct ReportDomain {
    std::string domain;
    std::vector<ReportRecord> records;  ///< empty: "no record found" (未发现记录)
};

/// A list entry that was in force at some time in the period.
struct ReportEntry {
    std::int64_t entry_id = 0;
    std::string list_id;
    std::string list_title_zh;
    std::string kind_zh;  ///< 黑名单 or 红名单
    std::string domain;
    std::string basis;
    std::string authority;
    std::string decided_on;
    std::string effective_from;
    std::string expires_on;  ///< "" when in force until its lift criteria hold
    std::string status;      ///< on the as-of day
    std::string status_zh;
    std::string ended_on;  ///< "" when not ended by the as-of day
    std::string end_reason;     ///< its code (model::EndReason)
    std::string end_reason_zh;  ///< in words
    bool disputed = false;  ///< an objection was open on the as-of day
};

/// An objection (异议) or repair application (信用修复) on a reported entry, received by the
/// as-of day; decided when decided by then.
struct ReportAppeal {
    std::int64_t appeal_id = 0;
    std::int64_t entry_id = 0;
    std::string type_zh;  ///< 异议 or 信用修复
    std::string received_on;
    std::string due_on;
    std::string reason;
    std::string outcome_zh;  ///< 办理中 (open), 已支持 (upheld) or 未支持 (rejected)
    std::string decided_on;  ///< "" while open
    std::string note;
};

/// The whole content of one report.
struct SubjectReport {
    std::string number;  ///< the report number (报告编号)
    std::string office;  ///< the issuing office (出具机构)
    std::string operator_name;
    std::string issued_on;  ///< the day it was issued (CST)
    std::string as_of;
    std::string from;  ///< the period covered, both ends included
    std::string to;
    std::string subject_id;  ///< as shown: a natural person's masked
    std::string subject_name;
    std::string subject_type_zh;
    std::string region;
    std::vector<ReportDomain> domains;
    std::vector<ReportEntry> entries;
    std::vector<ReportAppeal> appeals;
};

/// What a report is asked to cover.
struct ReportScope {
    std::string subject_id;                  ///< as given (trimmed and upper-cased here)
    std::optional<std::string> as_of;        ///< YYYY-MM-DD; default: the last run's as-of
    std::optional<util::Date> from;          ///< default: `to` three years back
    std::optional<util::Date> to;            ///< default: the as-of day
    std::vector<std::string> domains;        ///< default: every known domain
    std::filesystem::path rules_dir;         ///< to tell a known domain from an unknown one
};

/// The report's content for `scope`, as the database stands (read inside the caller's
/// transaction), with the number, office, operator and issue day given. Records are the
/// subject's facts (one version per decision, SPEC.md §2) dated in the period and active on
/// the as-of day; entries those in force on any day of the period. Throws UsageError for an
/// unknown subject or domain, no run yet, an as-of after the last run's, and a period that is
/// reversed or ends after the as-of day.
SubjectReport gather_subject_report(store::Database& db, const ReportScope& scope,
                                    std::string number, std::string office,
                                    std::string operator_name, util::Date issued_on);

/// The content as canonical JSON (fixed key order, every field): what content_digest hashes.
std::string canonical_json(const SubjectReport& report);

/// SHA-256 (hex) of canonical_json(report): the digest the report's footer prints.
std::string content_digest(const SubjectReport& report);

/// The fixed words both renderers use.
namespace words {
inline constexpr std::string_view k_title = "公共信用信息报告";
inline constexpr std::string_view k_no_record = "未发现记录";
/// How to check a report, printed in its footer after its number and digest.
inline constexpr std::string_view k_how_to_verify =
    "核验方法：出具机构登记了每份报告的编号、内容摘要和文件的 SHA-256。"
    "收到报告者可请出具机构运行 rbl-publish verify-report 文件名 核验（未经改动：通过），"
    "或以 sha256sum 计算文件的 SHA-256，与出具机构按报告编号登记的值比对。"
    "内容摘要是报告内容（不含文件格式）的 SHA-256，同一报告的 HTML 与 PDF 版本相同。";
}  // namespace words

}  // namespace rbl::publish
