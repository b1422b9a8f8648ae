#include "rbl/publish/record_row_writer.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <array>

#include "rbl/ids/ids.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/json_text.hpp"
#include "rbl/util/money.hpp"

namespace rbl::publish {

namespace {

// The 双公示 columns of DOMAIN.md first, in its order, then what SPEC.md §11 adds: the domain,
// the kind, the subject's type, the source the record was imported from, its class and the first
// day of its publication. The JSON Lines keys are the English names.
constexpr std::size_t k_column_count = 18;
constexpr std::array<std::string_view, k_column_count> k_columns_en = {
    "subject_name",     "subject_id",      "record_id",      "violation_type",
    "penalty_basis",    "penalty_category", "penalty_content", "amount_10k_yuan",
    "decision_date",    "authority",        "publicity_until", "data_source",
    "domain",           "kind",             "subject_type",    "source",
    "publicity_class",  "publicity_from"};
constexpr std::array<std::string_view, k_column_count> k_columns_zh = {
    "行政相对人名称", "统一社会信用代码", "决定书文号", "违法行为类型", "处罚依据", "处罚类别",
    "处罚内容",       "罚款金额（万元）", "处罚决定日期", "处罚机关",   "公示截止期", "数据来源单位",
    "领域",           "记录类型",         "主体类型",   "导入来源",   "失信程度",   "公示起始日期"};

std::string attribute_text(const nlohmann::json& attrs, const char* name) {
    if (!attrs.is_object()) {
        return {};
    }
    const auto found = attrs.find(name);
    if (found == attrs.end() || found->is_null()) {
        return {};
    }
    return found->is_string() ? found->get<std::string>() : found->dump();
}

std::string amount_of(const store::StoredRecord& record) {
    return record.amount_fen ? util::format_ten_thousand_yuan(*record.amount_fen) : std::string();
}

}  // namespace

RecordRowWriter::RecordRowWriter(const ExportOptions& options, bool with_change)
    : m_options(options), m_with_change(with_change) {}

RecordRowWriter::LayoutAttributes RecordRowWriter::layout_attributes(
    const std::string& attrs_json) {
    const auto attrs = nlohmann::json::parse(attrs_json, nullptr, false);
    return {attribute_text(attrs, "violation_type"), attribute_text(attrs, "penalty_basis"),
            attribute_text(attrs, "category"), attribute_text(attrs, "penalty_content"),
            attribute_text(attrs, "data_source")};
}

std::vector<std::string_view> RecordRowWriter::columns() const {
    const bool zh = m_options.lang == Language::zh;
    std::vector<std::string_view> names;
    if (m_with_change) {
        names.push_back(zh ? "变更" : "change");
    }
    const auto& columns = zh ? k_columns_zh : k_columns_en;
    names.insert(names.end(), columns.begin(), columns.end());
    return names;
}

std::string RecordRowWriter::header() const {
    if (m_options.format != Format::csv) {
        return {};
    }
    return csv_header(columns(), m_options.bom);
}

ExportFile RecordRowWriter::open(const std::string& out) const {
    const bool zh = m_options.lang == Language::zh;
    ExportFile file(out, m_options.format, m_options.mode, zh ? "公示记录" : "records", columns());
    file.write(header());
    return file;
}

void RecordRowWriter::write(ExportFile& file, const store::PublishedRecord& row,
                            const model::RecordPublicity& publicity, std::string_view change) {
    if (file.is_sheet()) {
        file.add_row(cells(row, publicity, change));
    } else {
        file.write(line(row, publicity, change));
    }
}

void RecordRowWriter::mask(const store::PublishedRecord& row) {
    m_subject_id = row.subject_id;
    if (!m_options.unmask && row.subject_type == "natural_person") {
        m_subject_id = ids::mask(row.subject_id, ids::IdKind::resident);
    }
}

const std::string& RecordRowWriter::line(const store::PublishedRecord& row,
                                         const model::RecordPublicity& publicity,
                                         std::string_view change) {
    m_line.clear();
    if (m_options.format == Format::jsonl) {
        mask(row);
        json_line(row, publicity, change);
    } else {
        cells(row, publicity, change);
        csv_line();
    }
    return m_line;
}

// The layout's columns, each with what a spreadsheet should read it as: the document number and
// the identifier as text, the dates as dates, the amount (¥10,000) as a number.
const std::vector<Cell>& RecordRowWriter::cells(const store::PublishedRecord& row,
                                                const model::RecordPublicity& publicity,
                                                std::string_view change) {
    mask(row);
    const store::StoredRecord& record = row.record;
    m_attrs = layout_attributes(record.attrs);
    m_amount = amount_of(record);
    m_until = publicity.until.iso();
    m_from = publicity.from.iso();
    const auto text = [this](std::string_view value) {
        m_cells.push_back({CellType::text, value});
    };
    const auto date = [this](std::string_view value) {
        m_cells.push_back({CellType::date, value});
    };
    m_cells.clear();
    if (m_with_change) {
        text(change);
    }
    text(row.subject_name);
    text(m_subject_id);
    text(record.record_id);
    text(m_attrs.violation_type);
    text(m_attrs.penalty_basis);
    text(m_attrs.category);
    text(m_attrs.penalty_content);
    m_cells.push_back({CellType::number, m_amount});
    date(record.date);
    text(record.authority ? std::string_view(*record.authority) : std::string_view());
    date(m_until);
    text(m_attrs.data_source);
    text(record.domain);
    text(record.kind);
    text(row.subject_type);
    text(record.source);
    text(model::to_string(publicity.publicity_class));
    date(m_from);
    return m_cells;
}

void RecordRowWriter::csv_line() {
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        if (i > 0) {
            m_line += ',';
        }
        util::append_csv_field(m_line, util::guard_formula(m_cells[i].text));
    }
    m_line += "\r\n";
}

void RecordRowWriter::text(std::string_view name, std::string_view value) {
    m_line += m_first ? "{" : ",";
    m_first = false;
    util::append_json_string(m_line, name);
    m_line += ':';
    util::append_json_string(m_line, value);
}

void RecordRowWriter::text_or_null(std::string_view name, std::string_view value) {
    if (!value.empty()) {
        text(name, value);
        return;
    }
    m_line += m_first ? "{" : ",";
    m_first = false;
    util::append_json_string(m_line, name);
    m_line += ":null";
}

void RecordRowWriter::json_line(const store::PublishedRecord& row,
                                const model::RecordPublicity& publicity,
                                std::string_view change) {
    const store::StoredRecord& record = row.record;
    const LayoutAttributes attrs = layout_attributes(record.attrs);
    m_first = true;
    if (m_with_change) {
        text("change", change);
    }
    text("subject_name", row.subject_name);
    text("subject_id", m_subject_id);
    text("record_id", record.record_id);
    text_or_null("violation_type", attrs.violation_type);
    text_or_null("penalty_basis", attrs.penalty_basis);
    text_or_null("penalty_category", attrs.category);
    text_or_null("penalty_content", attrs.penalty_content);
    // An exact decimal number, never a float's rounding.
    m_line += ",\"amount_10k_yuan\":";
    m_line += record.amount_fen ? amount_of(record) : std::string("null");
    text("decision_date", record.date);
    text_or_null("authority", record.authority.value_or(""));
    text("publicity_until", publicity.until.iso());
    text_or_null("data_source", attrs.data_source);
    text("domain", record.domain);
    text("kind", record.kind);
    text("subject_type", row.subject_type);
    text("source", record.source);
    text("publicity_class", model::to_string(publicity.publicity_class));
    text("publicity_from", publicity.from.iso());
    m_line += "}\n";
}

}  // namespace rbl::publish
