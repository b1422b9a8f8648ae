#include "rbl/publish/subject_report_html.hpp"

#include <fmt/format.h>

#include "rbl/util/text.hpp"

namespace rbl::publish {

namespace {

// One table cell carrying its field's name.
std::string cell(std::string_view field, std::string_view text) {
    return fmt::format("<td data-field=\"{}\">{}</td>", field, util::escape_html(text));
}

constexpr std::string_view k_style =
    "@page{size:A4;margin:18mm 16mm}"
    "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif;font-size:10.5pt;"
    "color:#000;max-width:178mm;margin:0 auto}"
    "h1{font-size:18pt;text-align:center;margin:0 0 4mm}"
    "h2{font-size:12.5pt;border-bottom:1px solid #000;margin:6mm 0 2mm}"
    "h3{font-size:11pt;margin:4mm 0 1mm}"
    "table{border-collapse:collapse;width:100%;page-break-inside:auto}"
    "tr{page-break-inside:avoid}"
    "th,td{border:1px solid #555;padding:1mm 1.5mm;text-align:left;vertical-align:top;"
    "word-break:break-all}"
    "th{background:#eee}"
    "dl{display:grid;grid-template-columns:32mm 1fr;gap:1mm 3mm;margin:0}"
    "dt{font-weight:bold}dd{margin:0}"
    ".none{font-style:normal;color:#333}"
    "footer{margin-top:8mm;border-top:1px solid #000;padding-top:2mm;font-size:9pt}"
    "code{word-break:break-all}";

std::string header_html(const SubjectReport& r) {
    std::string html = fmt::format("<h1>{}</h1>\n<dl>\n", words::k_title);
    const std::pair<const char*, std::pair<const char*, const std::string*>> rows[] = {
        {"number", {"报告编号", &r.number}},
        {"office", {"出具机构", &r.office}},
        {"issued_on", {"出具日期", &r.issued_on}},
        {"operator", {"经办人", &r.operator_name}},
        {"as_of", {"信息截止日", &r.as_of}},
    };
    for (const auto& [field, label] : rows) {
        html += fmt::format("<dt>{}</dt><dd data-field=\"{}\">{}</dd>\n", label.first, field,
                            util::escape_html(*label.second));
    }
    html += fmt::format("<dt>查询期间</dt><dd data-field=\"period\">{} 至 {}</dd>\n",
                        util::escape_html(r.from), util::escape_html(r.to));
    std::string domains;
    for (const ReportDomain& domain : r.domains) {
        domains += (domains.empty() ? "" : "、") + util::escape_html(domain.domain);
    }
    html += fmt::format("<dt>查询领域</dt><dd data-field=\"domains\">{}</dd>\n</dl>\n", domains);
    html += "<h2>一、主体信息</h2>\n<dl>\n";
    const std::pair<const char*, std::pair<const char*, const std::string*>> subject[] = {
        {"subject_name", {"名称", &r.subject_name}},
        {"subject_id", {"统一社会信用代码或身份证号", &r.subject_id}},
        {"subject_type", {"主体类型", &r.subject_type_zh}},
        {"region", {"所属地区代码", &r.region}},
    };
    for (const auto& [field, label] : subject) {
        html += fmt::format("<dt>{}</dt><dd data-field=\"{}\">{}</dd>\n", label.first, field,
                            util::escape_html(*label.second));
    }
    return html + "</dl>\n";
}

std::string records_html(const SubjectReport& r) {
    std::string html = "<h2>二、信用记录（按领域）</h2>\n";
    for (const ReportDomain& domain : r.domains) {
        html += fmt::format("<section class=\"domain\" data-domain=\"{0}\">\n<h3>{0}</h3>\n",
                            util::escape_html(domain.domain));
        if (domain.records.empty()) {
            html += fmt::format("<p class=\"none\" data-field=\"no_record\">{}</p>\n</section>\n",
                                words::k_no_record);
            continue;
        }
        html += "<table>\n<tr><th>类别</th><th>决定书文号</th><th>决定机关</th><th>决定日期</th>"
                "<th>金额（元）</th><th>公示截止期</th></tr>\n";
        for (const ReportRecord& rec : domain.records) {
            html += fmt::format("<tr data-record=\"{}\">{}{}{}{}{}{}</tr>\n",
                                util::escape_html(rec.record_id), cell("kind", rec.kind_zh),
                                cell("record_id", rec.record_id), cell("authority", rec.authority),
                                cell("date", rec.date), cell("amount", rec.amount),
                                cell("publicity_until", rec.publicity_until));
        }
        html += "</table>\n</section>\n";
    }
    return html;
}

std::string entries_html(const SubjectReport& r) {
    std::string html = "<h2>三、查询期间内有效的名单</h2>\n";
    if (r.entries.empty()) {
        return html + fmt::format("<p class=\"none\" data-field=\"no_entry\">{}</p>\n",
                                  words::k_no_record);
    }
    html += "<table>\n<tr><th>名单</th><th>认定依据</th><th>认定部门</th><th>认定日期</th>"
            "<th>生效日期</th><th>有效期至</th><th>状态</th><th>终止日期</th><th>终止原因</th>"
            "</tr>\n";
    for (const ReportEntry& e : r.entries) {
        html += fmt::format(
            "<tr data-entry=\"{}\">{}{}{}{}{}{}{}{}{}</tr>\n", e.entry_id,
            cell("list", fmt::format("{}（{}）", e.list_title_zh, e.kind_zh)),
            cell("basis", e.basis), cell("authority", e.authority),
            cell("decided_on", e.decided_on), cell("effective_from", e.effective_from),
            cell("expires_on", e.expires_on),
            cell("status", e.disputed ? e.status_zh + "（有异议）" : e.status_zh),
            cell("ended_on", e.ended_on), cell("end_reason", e.end_reason_zh));
    }
    return html + "</table>\n";
}

std::string appeals_html(const SubjectReport& r) {
    std::string html = "<h2>四、异议与信用修复</h2>\n";
    if (r.appeals.empty()) {
        return html + fmt::format("<p class=\"none\" data-field=\"no_appeal\">{}</p>\n",
                                  words::k_no_record);
    }
    html += "<table>\n<tr><th>类型</th><th>名单条目</th><th>受理日期</th><th>办理期限</th>"
            "<th>理由</th><th>结果</th><th>决定日期</th><th>说明</th></tr>\n";
    for (const ReportAppeal& a : r.appeals) {
        html += fmt::format("<tr data-appeal=\"{}\">{}{}{}{}{}{}{}{}</tr>\n", a.appeal_id,
                            cell("type", a.type_zh), cell("entry_id", std::to_string(a.entry_id)),
                            cell("received_on", a.received_on), cell("due_on", a.due_on),
                            cell("reason", a.reason), cell("outcome", a.outcome_zh),
                            cell("decided_on", a.decided_on), cell("note", a.note));
    }
    return html + "</table>\n";
}

}  // namespace

std::string subject_report_html(const SubjectReport& report, const std::string& digest) {
    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"rbl-report-number\" content=\"{0}\">\n<title>{1} {0}</title>\n"
        "<style>{2}</style>\n</head>\n<body>\n",
        util::escape_html(report.number), words::k_title, k_style);
    html += header_html(report);
    html += records_html(report);
    html += entries_html(report);
    html += appeals_html(report);
    html += fmt::format(
        "<footer>\n<p>报告编号 <span data-field=\"footer_number\">{}</span>；内容摘要（SHA-256）："
        "<code data-field=\"content_sha256\">{}</code></p>\n<p>{}</p>\n</footer>\n"
        "</body>\n</html>\n",
        util::escape_html(report.number), digest, words::k_how_to_verify);
    return html;
}

}  // namespace rbl::publish
