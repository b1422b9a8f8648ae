#include "rbl/publish/subject_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "rbl/ids/ids.hpp"
#include "rbl/model/end_reason.hpp"
#include "rbl/model/entry_state.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/store/subject_report_store.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/money.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::publish {

namespace {

// The Chinese name of a record kind SPEC.md §2 names; other kinds are shown as they are.
std::string kind_zh(std::string_view kind) {
    static const std::map<std::string, std::string, std::less<>> k_names = {
        {"penalty", "行政处罚"},        {"court_default", "失信被执行人"},
        {"tax_violation", "税收违法"},  {"wage_arrears", "拖欠工资"},
        {"rating", "信用评价"},         {"accident", "生产安全事故"},
        {"award", "表彰奖励"},          {"certification", "认证"},
        {"compulsory_measure", "行政强制"}, {"criminal_judgment", "刑事判决"}};
    const auto found = k_names.find(kind);
    return found != k_names.end() ? found->second : std::string(kind);
}

// An end reason's code in Chinese words; "" for none.
std::string end_reason_zh(std::string_view code) {
    const auto reason = model::parse_end_reason(code);
    return reason ? std::string(model::words_zh(*reason)) : std::string(code);
}

std::string status_zh(std::string_view status) {
    static const std::map<std::string, std::string, std::less<>> k_names = {
        {"notice", "告知中"},  {"publicity", "公示中"}, {"effective", "有效"},
        {"expired", "已期满"}, {"lifted", "已移出"},    {"repaired", "已信用修复"},
        {"revoked", "已撤销"}, {"withdrawn", "已撤回"}};
    const auto found = k_names.find(status);
    return found != k_names.end() ? found->second : std::string(status);
}

std::string subject_type_zh(std::string_view type) {
    if (type == "natural_person") {
        return "自然人";
    }
    return type == "government" ? "政府机构" : "法人和非法人组织";
}

// The period and day checked: from <= to <= as-of, as-of not after the last run's.
struct Period {
    util::Date as_of;
    util::Date last_run;
    util::Date from;
    util::Date to;
};

Period period_of(store::Database& db, const ReportScope& scope) {
    Period period;
    store::PublicationStore publications(db);
    period.as_of = publication_as_of(publications, scope.as_of, period.last_run);
    period.to = scope.to.value_or(period.as_of);
    period.from = scope.from.value_or(period.to.plus_years(-3));
    if (period.to > period.as_of) {
        throw UsageError(trf("--to {} lies after the report's as-of day {}", period.to.iso(),
                             period.as_of.iso()));
    }
    if (period.from > period.to) {
        throw UsageError(trf("--from {} lies after --to {}", period.from.iso(), period.to.iso()));
    }
    return period;
}

std::vector<std::string> covered_domains(store::Database& db, const ReportScope& scope) {
    const std::set<std::string> known = known_domains(db, scope.rules_dir);
    if (scope.domains.empty()) {
        return {known.begin(), known.end()};
    }
    for (const std::string& domain : scope.domains) {
        if (!known.contains(domain)) {
            throw UsageError(trf("unknown domain '{}'", domain));
        }
    }
    std::set<std::string> chosen(scope.domains.begin(), scope.domains.end());
    return {chosen.begin(), chosen.end()};
}

std::string text_attribute(const std::string& attrs_json, const char* name) {
    const auto attrs = nlohmann::json::parse(attrs_json, nullptr, false);
    if (attrs.is_object() && attrs.contains(name) && attrs[name].is_string()) {
        return attrs[name].get<std::string>();
    }
    return {};
}

// Per covered domain, the subject's facts dated in the period: penalties first.
std::vector<ReportDomain> records_of(const store::SubjectRows& subject,
                                     const std::vector<std::string>& domains,
                                     const Period& period) {
    std::vector<ReportDomain> covered;
    std::map<std::string, std::size_t> index;
    for (const std::string& domain : domains) {
        index[domain] = covered.size();
        covered.push_back({domain, {}});
    }
    const std::string from = period.from.iso();
    const std::string to = period.to.iso();
    for (const store::StoredRecord& record : subject.records) {
        const auto found = index.find(record.domain);
        if (found == index.end() || record.date < from || record.date > to) {
            continue;
        }
        covered[found->second].records.push_back(
            {record.record_id, record.kind, kind_zh(record.kind), record.date,
             record.authority.value_or(""),
             record.amount_fen ? util::format_yuan(*record.amount_fen) : "",
             text_attribute(record.attrs, "publicity_until")});
    }
    for (ReportDomain& domain : covered) {
        std::sort(domain.records.begin(), domain.records.end(), [](const auto& a, const auto& b) {
            return std::tuple(a.kind != "penalty", a.kind, a.date, a.record_id) <
                   std::tuple(b.kind != "penalty", b.kind, b.date, b.record_id);
        });
    }
    return covered;
}

// Whether the entry was in force on some day of the period: from its effective day until it
// expired or ended (whichever came first), never after the as-of day.
bool in_force_in(const store::EntryRow& row, const PublishedRow& state, const Period& period) {
    if (state.status == "withdrawn" || row.effective_from.empty()) {
        return false;  // withdrawn entries were never in force
    }
    std::string stop = period.as_of.plus_days(1).iso();  // the first day not in force
    if (!row.expires_on.empty()) {
        stop = std::min(stop, row.expires_on);
    }
    if (!state.ended_on.empty()) {
        stop = std::min(stop, state.ended_on);
    }
    return row.effective_from < stop && row.effective_from <= period.to.iso() &&
           stop > period.from.iso();
}

std::vector<ReportEntry> entries_of(store::Database& db, const std::string& subject_id,
                                    const std::vector<std::string>& domains,
                                    const Period& period) {
    store::PublicationStore publications(db);
    store::EntryFilter filter;
    filter.subject_id = subject_id;
    filter.domains_json = nlohmann::json(domains).dump();
    filter.as_of = period.as_of;
    std::vector<ReportEntry> entries;
    publications.for_each_entry(filter, [&](const store::EntryRow& row) {
        const PublishedRow state = state_on(row, period.as_of, period.last_run);
        if (!in_force_in(row, state, period)) {
            return;
        }
        entries.push_back({row.entry_id, row.list_id, row.list_title_zh,
                           row.kind == "black" ? "黑名单" : "红名单", row.domain, row.basis,
                           row.authority, row.decided_on, row.effective_from, row.expires_on,
                           state.status, status_zh(state.status), state.ended_on,
                           state.end_reason, end_reason_zh(state.end_reason), row.disputed});
    });
    return entries;
}

std::string outcome_zh(const model::Appeal& appeal, util::Date as_of) {
    if (!appeal.outcome || !appeal.decided_on || *appeal.decided_on > as_of) {
        return "办理中";
    }
    return *appeal.outcome == model::AppealOutcome::upheld ? "已支持" : "未支持";
}

std::vector<ReportAppeal> appeals_of(store::Database& db, const std::vector<ReportEntry>& entries,
                                     util::Date as_of) {
    store::AppealStore appeals(db);
    std::vector<ReportAppeal> found;
    for (const ReportEntry& entry : entries) {
        for (const model::Appeal& appeal : appeals.of_entry(entry.entry_id)) {
            if (appeal.received_on > as_of) {
                continue;
            }
            std::string outcome = outcome_zh(appeal, as_of);
            const bool decided = outcome != "办理中";
            found.push_back({appeal.appeal_id, appeal.entry_id,
                             appeal.type == model::AppealType::objection ? "异议" : "信用修复",
                             appeal.received_on.iso(), appeal.due_on.iso(), appeal.reason,
                             std::move(outcome),
                             decided ? appeal.decided_on->iso() : std::string(),
                             decided ? appeal.note : std::string()});
        }
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.appeal_id < b.appeal_id; });
    return found;
}

}  // namespace

SubjectReport gather_subject_report(store::Database& db, const ReportScope& scope,
                                    std::string number, std::string office,
                                    std::string operator_name, util::Date issued_on) {
    const std::string subject_id = ids::normalise(scope.subject_id);
    const Period period = period_of(db, scope);
    const std::vector<std::string> domains = covered_domains(db, scope);
    if (!store::SubjectReportStore(db).subject(subject_id)) {
        throw UsageError(trf("unknown subject '{}': no record of it was imported", subject_id));
    }
    store::SubjectRows subject;
    store::SubjectReader reader(db, period.as_of.iso(), subject_id);
    reader.next(subject);
    SubjectReport report;
    report.number = std::move(number);
    report.office = std::move(office);
    report.operator_name = std::move(operator_name);
    report.issued_on = issued_on.iso();
    report.as_of = period.as_of.iso();
    report.from = period.from.iso();
    report.to = period.to.iso();
    const bool person = subject.subject_type == "natural_person";
    report.subject_id = person ? ids::mask(subject_id, ids::IdKind::resident) : subject_id;
    report.subject_name = subject.name;
    report.subject_type_zh = subject_type_zh(subject.subject_type);
    report.region = subject.region;
    report.domains = records_of(subject, domains, period);
    report.entries = entries_of(db, subject_id, domains, period);
    report.appeals = appeals_of(db, report.entries, period.as_of);
    return report;
}

std::string canonical_json(const SubjectReport& report) {
    nlohmann::ordered_json domains = nlohmann::ordered_json::array();
    for (const ReportDomain& domain : report.domains) {
        nlohmann::ordered_json records = nlohmann::ordered_json::array();
        for (const ReportRecord& r : domain.records) {
            records.push_back({{"record_id", r.record_id}, {"kind", r.kind},
                               {"kind_zh", r.kind_zh}, {"date", r.date},
                               {"authority", r.authority}, {"amount", r.amount},
                               {"publicity_until", r.publicity_until}});
        }
        domains.push_back({{"domain", domain.domain}, {"records", records}});
    }
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const ReportEntry& e : report.entries) {
        entries.push_back({{"entry_id", e.entry_id}, {"list_id", e.list_id},
                           {"list_title_zh", e.list_title_zh}, {"kind_zh", e.kind_zh},
                           {"domain", e.domain}, {"basis", e.basis}, {"authority", e.authority},
                           {"decided_on", e.decided_on}, {"effective_from", e.effective_from},
                           {"expires_on", e.expires_on}, {"status", e.status},
                           {"status_zh", e.status_zh}, {"ended_on", e.ended_on},
                           {"end_reason", e.end_reason}, {"end_reason_zh", e.end_reason_zh},
                           {"disputed", e.disputed}});
    }
    nlohmann::ordered_json appeals = nlohmann::ordered_json::array();
    for (const ReportAppeal& a : report.appeals) {
        appeals.push_back({{"appeal_id", a.appeal_id}, {"entry_id", a.entry_id},
                           {"type_zh", a.type_zh}, {"received_on", a.received_on},
                           {"due_on", a.due_on}, {"reason", a.reason},
                           {"outcome_zh", a.outcome_zh}, {"decided_on", a.decided_on},
                           {"note", a.note}});
    }
    const nlohmann::ordered_json content = {
        {"number", report.number},       {"office", report.office},
        {"operator", report.operator_name}, {"issued_on", report.issued_on},
        {"as_of", report.as_of},         {"from", report.from},
        {"to", report.to},               {"subject_id", report.subject_id},
        {"subject_name", report.subject_name}, {"subject_type_zh", report.subject_type_zh},
        {"region", report.region},       {"domains", domains},
        {"entries", entries},            {"appeals", appeals}};
    return content.dump();
}

std::string content_digest(const SubjectReport& report) {
    return util::sha256_hex(canonical_json(report));
}

}  // namespace rbl::publish
