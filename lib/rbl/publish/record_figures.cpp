#include "rbl/publish/record_figures.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "rbl/store/record_publicity_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::publish {

namespace {

using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;

std::vector<store::LabelCount> label_counts(const Counts& counts) {
    std::vector<store::LabelCount> out;
    out.reserve(counts.size());
    for (const auto& [key, count] : counts) {
        out.push_back({key.first, key.second, count});
    }
    return out;
}

nlohmann::json class_counts_json(const std::vector<store::LabelCount>& counts) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& count : counts) {
        out.push_back({{"domain", count.label}, {"class", count.group}, {"count", count.count}});
    }
    return out;
}

// Per domain: granted and refused.
std::map<std::string, std::pair<std::int64_t, std::int64_t>> repairs_by_domain(
    const std::vector<store::LabelCount>& repairs) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& count : repairs) {
        auto& row = out[count.label];
        (count.group == "granted" ? row.first : row.second) += count.count;
    }
    return out;
}

std::string class_table(const std::string& title, const std::string& count_header,
                        const std::vector<store::LabelCount>& counts) {
    std::string html = fmt::format("<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th>"
                                   "<th>{}</th></tr>\n",
                                   util::escape_html(title), tr("domain"), tr("class"),
                                   util::escape_html(tr(count_header.c_str())));
    for (const auto& count : counts) {
        const auto value = model::parse_publicity_class(count.group);
        html += fmt::format("<tr><td>{}</td><td>{}{}</td><td>{}</td></tr>\n",
                            util::escape_html(count.label), util::escape_html(count.group),
                            value ? fmt::format(" {}", model::chinese_name(*value)) : "",
                            count.count);
    }
    if (counts.empty()) {
        html += fmt::format("<tr><td colspan=\"3\">{}</td></tr>\n", tr("None."));
    }
    return html + "</table>\n";
}

}  // namespace

RecordFigures record_figures(store::Database& db, const model::PublicityByDomain& publicity,
                             util::Date as_of) {
    RecordFigures figures;
    figures.as_of = as_of;
    figures.period_from = util::Date::from_ymd(as_of.year(), as_of.month(), 1);
    Counts public_records;
    Counts ended;
    if (!publicity.empty()) {
        store::SubjectReader reader(db, as_of.iso(), std::nullopt);
        store::SubjectRows subject;
        while (reader.next(subject)) {
            for (const store::StoredRecord& record : subject.records) {
                const auto terms = publicity.find(record.domain);
                if (terms == publicity.end()) {
                    continue;
                }
                const auto published = store::publicity_of(terms->second, record);
                if (!published || !published->published) {
                    continue;
                }
                const std::pair key{record.domain,
                                    std::string(model::to_string(published->publicity_class))};
                const util::Date first_day_not_public = published->until.plus_days(1);
                if (published->is_public_on(as_of)) {
                    ++public_records[key];
                } else if (first_day_not_public >= figures.period_from &&
                           first_day_not_public <= as_of) {
                    ++ended[key];
                }
            }
        }
    }
    figures.public_records = label_counts(public_records);
    figures.ended = label_counts(ended);
    figures.repairs = store::ReportStore(db).record_repairs_decided(figures.period_from, as_of);
    return figures;
}

nlohmann::json to_json(const RecordFigures& figures) {
    nlohmann::json repairs = nlohmann::json::array();
    for (const auto& [domain, counts] : repairs_by_domain(figures.repairs)) {
        repairs.push_back({{"domain", domain}, {"granted", counts.first}, {"refused", counts.second}});
    }
    return {{"period_from", figures.period_from.iso()},
            {"as_of", figures.as_of.iso()},
            {"public", class_counts_json(figures.public_records)},
            {"repairs", repairs},
            {"ended", class_counts_json(figures.ended)}};
}

std::string record_figures_html(const RecordFigures& figures) {
    std::string html = fmt::format(
        "<section id=\"records\"><h2>{}</h2>\n",
        trf("Records published (双公示) as of {}; repairs and ends from {} to {}",
            figures.as_of.iso(), figures.period_from.iso(), figures.as_of.iso()));
    html += class_table(tr("Records public, per domain and class (公示中的记录)"),
                        tr_later("public"), figures.public_records);
    html += fmt::format("<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                        tr("Record repairs decided (信用修复)"), tr("domain"), tr("granted"),
                        tr("refused"));
    const auto repairs = repairs_by_domain(figures.repairs);
    for (const auto& [domain, counts] : repairs) {
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            util::escape_html(domain), counts.first, counts.second);
    }
    if (repairs.empty()) {
        html += fmt::format("<tr><td colspan=\"3\">{}</td></tr>\n", tr("None."));
    }
    html += "</table>\n";
    html += class_table(tr("Publications ended by themselves, their 公示截止期 reached (到期终止公示)"),
                        tr_later("ended"), figures.ended);
    return html + "</section>\n";
}

}  // namespace rbl::publish
