#include "rbl/publish/report_register.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "rbl/ids/ids.hpp"
#include "rbl/publish/subject_report_html.hpp"
#include "rbl/publish/subject_report_pdf.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::publish {

namespace {

constexpr std::string_view k_html_number = "<meta name=\"rbl-report-number\" content=\"";

// "html" or "pdf" from the file's extension (any case).
std::string format_of(const std::string& out) {
    std::string extension = std::filesystem::path(out).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".html" || extension == ".htm") {
        return "html";
    }
    if (extension == ".pdf") {
        return "pdf";
    }
    throw UsageError(trf("--out {}: the report is written as FILE.html or FILE.pdf", out));
}

// The report number: the issue day and the register's id, e.g. XYBG-20261128-000001.
std::string number_of(util::Date issued_on, std::int64_t report_id) {
    std::string day = issued_on.iso();
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    return fmt::format("XYBG-{}-{:06}", day, report_id);
}

std::string options_json(const SubjectReport& report, const std::string& format) {
    std::vector<std::string> domains;
    for (const ReportDomain& domain : report.domains) {
        domains.push_back(domain.domain);
    }
    return nlohmann::ordered_json{{"as_of", report.as_of}, {"from", report.from},
                                  {"to", report.to},       {"domains", domains},
                                  {"office", report.office}, {"format", format}}
        .dump();
}

std::string read_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        throw UsageError(trf("{} does not exist", file.string()));
    }
    if (std::filesystem::is_directory(file, ec)) {
        throw UsageError(trf("{} is a folder, not a report", file.string()));
    }
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        throw FailedError(trf("cannot read {}", file.string()));
    }
    return bytes;
}

// The number a file carries: the HTML page's meta element or the PDF's keywords; "" when none.
std::string number_in(const std::string& bytes) {
    std::string_view marker;
    if (bytes.starts_with("%PDF-")) {
        marker = k_pdf_number_keyword;
    } else if (bytes.find("<!DOCTYPE html>") != std::string::npos) {
        marker = k_html_number;
    } else {
        return {};
    }
    const auto at = bytes.find(marker);
    if (at == std::string::npos) {
        return {};
    }
    std::string number;
    for (auto i = at + marker.size(); i < bytes.size() && number.size() < 64; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (!std::isalnum(c) && c != '-') {
            break;
        }
        number += static_cast<char>(c);
    }
    return number;
}

}  // namespace

IssueSummary issue_subject_report(store::Database& db, audit::AuditLog& audit,
                                  const IssueOptions& options) {
    IssueSummary summary;
    summary.format = format_of(options.out);
    summary.out = options.out;
    // The file is opened (its folder checked) before the write lock is taken.
    util::AtomicFile file(options.out, {options.mode, util::AtomicFile::Placement::replace, true,
                                        tr("the report")});
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    store::SubjectReportStore store(db);
    const util::Date issued_on = util::today();
    const std::int64_t report_id = store.next_report_id();
    const SubjectReport report =
        gather_subject_report(db, options.scope, number_of(issued_on, report_id), options.office,
                              options.operator_name, issued_on);
    summary.number = report.number;
    summary.content_sha256 = content_digest(report);
    const std::string bytes = summary.format == "pdf"
                                  ? subject_report_pdf(report, summary.content_sha256)
                                  : subject_report_html(report, summary.content_sha256);
    file.write(bytes);
    summary.sha256 = file.finish();
    summary.bytes = bytes.size();
    summary.as_of = report.as_of;
    summary.from = report.from;
    summary.to = report.to;
    store::IssuedReport issued{report_id,         report.number,
                               ids::normalise(options.scope.subject_id),
                               options_json(report, summary.format),
                               summary.format,    summary.content_sha256,
                               summary.sha256,    options.out,
                               options.operator_name, util::utc_now_iso()};
    store.record(issued);
    audit.append("report.issued", fmt::format("report:{}", report.number),
                 nlohmann::ordered_json{{"subject_id", issued.subject_id},
                                        {"options", nlohmann::json::parse(issued.options_json)},
                                        {"content_sha256", summary.content_sha256},
                                        {"sha256", summary.sha256},
                                        {"out", options.out}}
                     .dump());
    transaction.commit();
    file.commit();
    return summary;
}

ReportCheck verify_report(store::Database& db, const std::filesystem::path& file) {
    const std::string bytes = read_file(file);
    const std::string sha256 = util::sha256_hex(bytes);
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    store::SubjectReportStore store(db);
    ReportCheck check;
    check.number = number_in(bytes);
    if (auto issued = store.find_by_file(sha256)) {
        check.ok = true;
        check.number = issued->number;
        check.message = trf("report {} issued at {} by {}, unchanged (SHA-256 {})",
                            issued->number, issued->issued_at, issued->operator_name, sha256);
        check.issued = std::move(issued);
        return check;
    }
    if (check.number.empty()) {
        check.message = trf("{} is not a credit report issued by rbl: it carries no "
                            "report number",
                            file.string());
        return check;
    }
    check.issued = store.find_by_number(check.number);
    if (!check.issued) {
        check.message = trf("report number {} is not in this office's register: the "
                            "report was not issued here",
                            check.number);
        return check;
    }
    check.message = trf("report {} was changed after it was issued: its file was "
                        "registered with SHA-256 {}, this file's is {}",
                        check.number, check.issued->file_sha256, sha256);
    return check;
}

}  // namespace rbl::publish
