#include "rbl/publish/row_writer.hpp"

#include <fmt/format.h>

#include <array>

#include "rbl/ids/ids.hpp"
#include "rbl/model/explanation.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/json_text.hpp"

namespace rbl::publish {

namespace {

constexpr std::array<std::string_view, 19> k_columns_en = {
    "entry_id",   "list_id",        "list_title", "kind",     "domain",   "subject_id",
    "subject_name", "subject_type", "status",     "decided_on", "effective_from", "expires_on",
    "ended_on",   "end_reason",     "authority",  "basis",    "reason",   "evidence",
    "disputed"};
constexpr std::array<std::string_view, 19> k_columns_zh = {
    "条目编号", "名单编号", "名单名称", "名单类别", "领域",     "主体标识", "主体名称",
    "主体类型", "状态",     "认定日期", "生效日期", "到期日期", "终止日期", "终止原因",
    "认定部门", "认定依据", "认定理由", "证据记录", "异议中"};

std::string_view trim_newlines(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

RowWriter::RowWriter(const ExportOptions& options, bool with_change, bool with_measures)
    : m_options(options), m_with_change(with_change), m_with_measures(with_measures) {}

std::vector<std::string_view> RowWriter::columns() const {
    const bool zh = m_options.lang == Language::zh;
    std::vector<std::string_view> names;
    if (m_with_change) {
        names.push_back(zh ? "变更" : "change");
    }
    const auto& columns = zh ? k_columns_zh : k_columns_en;
    names.insert(names.end(), columns.begin(), columns.end());
    if (m_with_measures) {
        names.push_back(zh ? "联合奖惩措施" : "measures");
        names.push_back(zh ? "已反馈措施" : "measures_reported");
    }
    return names;
}

std::string RowWriter::header() const {
    if (m_options.format != Format::csv) {
        return {};
    }
    return csv_header(columns(), m_options.bom);
}

ExportFile RowWriter::open(const std::string& out) const {
    const bool zh = m_options.lang == Language::zh;
    ExportFile file(out, m_options.format, m_options.mode, zh ? "名单条目" : "entries", columns());
    file.write(header());
    return file;
}

void RowWriter::write(ExportFile& file, const store::EntryRow& row, const PublishedRow& state,
                      std::string_view change, const std::vector<Measure>* measures,
                      std::string_view reported) {
    if (file.is_sheet()) {
        file.add_row(cells(row, state, change, measures, reported));
    } else {
        file.write(line(row, state, change, measures, reported));
    }
}

std::string_view RowWriter::reason(const store::EntryRow& row) {
    if (m_options.lang != Language::zh) {
        return trim_newlines(row.explanation);  // the English as stored, byte for byte
    }
    m_reason =
        model::explanation_words(row.explanation, row.explanation_data, i18n::Language::zh);
    return trim_newlines(m_reason);
}

void RowWriter::mask(const store::EntryRow& row) {
    m_subject_id = row.subject_id;
    if (!m_options.unmask && row.subject_type == "natural_person") {
        m_subject_id = ids::mask(row.subject_id, ids::IdKind::resident);
    }
}

const std::string& RowWriter::line(const store::EntryRow& row, const PublishedRow& state,
                                   std::string_view change, const std::vector<Measure>* measures,
                                   std::string_view reported) {
    m_line.clear();
    if (m_options.format == Format::jsonl) {
        mask(row);
        const std::string& title =
            m_options.lang == Language::zh ? row.list_title_zh : row.list_title;
        json_line(row, state, change, measures, title, reported);
    } else {
        cells(row, state, change, measures, reported);
        csv_line();
    }
    return m_line;
}

// The columns of CSV and xlsx, in SPEC.md §6's order, each with what a spreadsheet should read
// it as: identifiers (the entry's number too) as text, dates as dates.
const std::vector<Cell>& RowWriter::cells(const store::EntryRow& row, const PublishedRow& state,
                                          std::string_view change,
                                          const std::vector<Measure>* measures,
                                          std::string_view reported) {
    mask(row);
    m_entry_id = fmt::format_int(row.entry_id).str();
    const std::string& title = m_options.lang == Language::zh ? row.list_title_zh : row.list_title;
    m_cells.clear();
    const auto text = [this](std::string_view value) {
        m_cells.push_back({CellType::text, value});
    };
    const auto date = [this](std::string_view value) {
        m_cells.push_back({CellType::date, value});
    };
    if (m_with_change) {
        text(change);
    }
    text(m_entry_id);
    text(row.list_id);
    text(title);
    text(row.kind);
    text(row.domain);
    text(m_subject_id);
    text(row.subject_name);
    text(row.subject_type);
    text(state.status);
    date(row.decided_on);
    date(row.effective_from);
    date(row.expires_on);
    date(state.ended_on);
    text(state.end_reason);
    text(row.authority);
    text(row.basis);
    text(reason(row));
    text(row.evidence);
    m_cells.push_back({CellType::boolean, row.disputed ? "true" : "false"});
    if (m_with_measures) {
        m_measures.clear();
        for (const Measure& measure : *measures) {
            if (!m_measures.empty()) {
                m_measures += "; ";
            }
            m_measures += measure.text_zh;
        }
        text(m_measures);
        text(reported);
    }
    return m_cells;
}

void RowWriter::csv_line() {
    for (std::size_t i = 0; i < m_cells.size(); ++i) {
        if (i > 0) {
            m_line += ',';
        }
        const std::string_view text = m_cells[i].text;
        if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) !=
                                 std::string_view::npos) {
            util::append_csv_field(m_line, guard_formula(text));
        } else {
            util::append_csv_field(m_line, text);
        }
    }
    m_line += "\r\n";
}

void RowWriter::key(std::string_view name) {
    m_line += m_first ? "{" : ",";
    m_first = false;
    util::append_json_string(m_line, name);
    m_line += ':';
}

void RowWriter::text(std::string_view name, std::string_view value) {
    key(name);
    util::append_json_string(m_line, value);
}

void RowWriter::text_or_null(std::string_view name, std::string_view value) {
    key(name);
    if (value.empty()) {
        m_line += "null";
    } else {
        util::append_json_string(m_line, value);
    }
}

// A ';'-joined list as a JSON array of strings.
void RowWriter::append_list(std::string_view joined) {
    m_line += '[';
    bool first = true;
    while (!joined.empty()) {
        const auto end = joined.find(';');
        if (!first) {
            m_line += ',';
        }
        first = false;
        util::append_json_string(m_line, joined.substr(0, end));
        joined = end == std::string_view::npos ? std::string_view() : joined.substr(end + 1);
    }
    m_line += ']';
}

void RowWriter::json_line(const store::EntryRow& row, const PublishedRow& state,
                          std::string_view change, const std::vector<Measure>* measures,
                          const std::string& title, std::string_view reported) {
    m_first = true;
    if (m_with_change) {
        text("change", change);
    }
    key("entry_id");
    m_line += fmt::format_int(row.entry_id).str();
    text("list_id", row.list_id);
    text("list_title", title);
    text("kind", row.kind);
    text("domain", row.domain);
    text("subject_id", m_subject_id);
    text("subject_name", row.subject_name);
    text("subject_type", row.subject_type);
    text("status", state.status);
    text("decided_on", row.decided_on);
    text("effective_from", row.effective_from);
    text_or_null("expires_on", row.expires_on);  // null: an open-ended term
    text_or_null("ended_on", state.ended_on);
    text_or_null("end_reason", state.end_reason);
    text("authority", row.authority);
    text("basis", row.basis);
    text("reason", reason(row));
    key("evidence");
    append_list(row.evidence);
    key("disputed");
    m_line += row.disputed ? "true" : "false";
    if (m_with_measures) {
        key("measures");
        m_line += '[';
        for (std::size_t i = 0; i < measures->size(); ++i) {
            m_line += i > 0 ? ",{" : "{";
            m_line += "\"id\":";
            util::append_json_string(m_line, (*measures)[i].id);
            m_line += ",\"text_zh\":";
            util::append_json_string(m_line, (*measures)[i].text_zh);
            m_line += '}';
        }
        m_line += ']';
        key("measures_reported");
        append_list(reported);
    }
    m_line += "}\n";
}

}  // namespace rbl::publish
