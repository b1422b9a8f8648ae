#include "rbl/ingest/row_sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/json_line.hpp"
#include "rbl/util/lines.hpp"
#include "rbl/util/text.hpp"

namespace rbl::ingest {

namespace {

// The mapping's constants, as fields appended to every row.
std::vector<Field> constant_fields(const Mapping& mapping) {
    std::vector<Field> fields;
    for (const auto& [name, value] : mapping.constants) {
        fields.push_back(Field{name, name, column_of(name), value});
    }
    return fields;
}

class CsvRows final : public RowSource {
public:
    CsvRows(util::TextInput& input, const Mapping& mapping, const std::string& file_name,
            ColumnCheck& columns)
        : m_reader(input), m_constants(constant_fields(mapping)), m_columns(columns) {
        if (!m_reader.next(m_header) || m_header.fields.empty()) {
            throw UsageError(trf("{} is empty: expected a header row", file_name));
        }
        if (!m_header.error.empty()) {
            throw UsageError(trf("{}:{}: the header row is malformed: {}", file_name, m_header.line,
                                 m_header.error));
        }
        std::set<std::string, std::less<>> targets;
        for (const auto& [name, value] : mapping.constants) {
            targets.insert(name);
        }
        for (std::size_t i = 0; i < m_header.fields.size(); ++i) {
            std::string& name = m_header.fields[i];
            if (auto bad = util::find_invalid_utf8(name)) {
                throw UsageError(
                    trf("{}:{}: the header is not valid UTF-8 (byte {} of column {}); if the file "
                        "is GB18030, use --encoding gb18030",
                        file_name, m_header.line, *bad + 1, i + 1));
            }
            name = std::string(util::trim(name));
            const std::string_view target = mapping.target(name);
            if (!targets.insert(std::string(target)).second) {
                throw UsageError(trf("{}:{}: column {} '{}' gives '{}' a second time", file_name,
                                     m_header.line, i + 1, name, target));
            }
            m_targets.emplace_back(target);
        }
        check_names(file_name);
        m_columns.check_mapping_sources(file_name);
        for (std::string_view required : required_columns()) {
            if (!targets.contains(required)) {
                throw UsageError(mapping.file.empty()
                                     ? trf("{}:{}: missing required column '{}'", file_name,
                                           m_header.line, required)
                                     : trf("{}:{}: missing required column '{}' (after mapping {})",
                                           file_name, m_header.line, required, mapping.file));
            }
        }
    }

    bool next(SourceRow& row) override {
        for (;;) {
            if (!m_reader.next(m_row)) {
                return false;
            }
            if (!is_blank(m_row)) {
                break;
            }
            ++m_blank_rows;
        }
        row.line = m_row.line;
        row.fields.clear();
        row.problem.reset();
        if (!m_row.error.empty()) {
            const std::size_t column = m_row.error_column;
            row.problem = Rejection{column >= 1 && column <= m_header.fields.size()
                                        ? m_header.fields[column - 1]
                                        : std::string(),
                                    m_row.error};
            return true;
        }
        if (m_row.fields.size() != m_header.fields.size()) {
            row.problem = Rejection{"", trf("the row has {} fields, the header has {}",
                                            m_row.fields.size(), m_header.fields.size())};
            return true;
        }
        for (std::size_t i = 0; i < m_row.fields.size(); ++i) {
            row.fields.push_back(Field{m_header.fields[i], m_targets[i], column_of(m_targets[i]),
                                       m_row.fields[i]});
        }
        row.fields.insert(row.fields.end(), m_constants.begin(), m_constants.end());
        if (m_domain_column) {
            m_columns.saw_domain(m_row.fields[*m_domain_column]);
        }
        return true;
    }

    [[nodiscard]] std::vector<std::string> original_header() const override {
        return m_header.fields;
    }
    [[nodiscard]] std::vector<std::string> original_fields() const override {
        return m_row.fields;
    }
    [[nodiscard]] std::uint64_t bytes_consumed() const override {
        return m_reader.bytes_consumed();
    }
    [[nodiscard]] std::uint64_t blank_rows() const override { return m_blank_rows; }

private:
    // A well-formed row with nothing but spaces in every field: no record, and no rejection.
    static bool is_blank(const util::CsvRow& row) {
        return row.error.empty() && std::ranges::all_of(row.fields, [](const std::string& field) {
                   return util::trim(field).empty();
               });
    }

    // Every header name through the column check (SPEC §2 "Columns"), and where the domain is.
    void check_names(const std::string& file_name) {
        std::vector<std::string_view> present(m_header.fields.begin(), m_header.fields.end());
        present.insert(present.end(), m_targets.begin(), m_targets.end());
        for (std::size_t i = 0; i < m_header.fields.size(); ++i) {
            m_columns.check(m_header.fields[i], present,
                            trf("{}:{}: column {}", file_name, m_header.line, i + 1));
            if (m_targets[i] == "domain") {
                m_domain_column = i;
            }
        }
        for (const Field& constant : m_constants) {
            if (constant.column == Column::domain) {
                m_columns.saw_domain(constant.value);
            }
        }
    }

    util::CsvReader m_reader;
    util::CsvRow m_header;
    util::CsvRow m_row;
    std::vector<std::string> m_targets;
    std::vector<Field> m_constants;
    ColumnCheck& m_columns;
    std::optional<std::size_t> m_domain_column;
    std::uint64_t m_blank_rows = 0;
};

class JsonlRows final : public RowSource {
public:
    JsonlRows(util::TextInput& input, const Mapping& mapping, const std::string& file_name,
              ColumnCheck& columns)
        : m_reader(input),
          m_mapping(mapping),
          m_constants(constant_fields(mapping)),
          m_file_name(file_name),
          m_columns(columns) {
        for (const Field& constant : m_constants) {
            if (constant.column == Column::domain) {
                m_columns.saw_domain(constant.value);
            }
        }
    }

    bool next(SourceRow& row) override {
        do {
            if (!m_reader.next(m_line)) {
                return false;
            }
        } while (!m_reader.too_long() && util::trim(m_line).empty());
        row.line = m_reader.number();
        row.fields.clear();
        row.problem.reset();
        if (m_reader.too_long()) {
            row.problem =
                Rejection{"", trf("line longer than {} MiB", util::LineReader::k_max_line >> 20)};
            return true;
        }
        if (auto bad = util::find_invalid_utf8(m_line)) {
            row.problem = Rejection{"", trf("byte {} is not valid UTF-8", *bad + 1)};
            return true;
        }
        auto parsed = util::parse_json_line(m_line);
        if (!parsed) {
            row.problem = Rejection{"", parsed.error()};
            return true;
        }
        m_fields = std::move(*parsed);
        check_names(row.line);
        m_targets_seen.clear();
        for (const util::JsonField& field : m_fields) {
            const std::string_view target = m_mapping.target(field.name);
            const Column column = column_of(target);
            if (field.nested && column != Column::attribute) {
                row.problem = Rejection{field.name, trf("'{}' is a standard column and "
                                                        "may not be inside attrs",
                                                        target)};
                return true;
            }
            // A set, not a scan of the row so far: a line of 100,000 names took 30 s.
            if (!m_targets_seen.insert(target).second) {
                row.problem = Rejection{field.name, trf("'{}' is given twice in the row "
                                                        "(after mapping)",
                                                        target)};
                return true;
            }
            row.fields.push_back(Field{field.name, target, column, field.value.text});
            if (column == Column::domain) {
                m_columns.saw_domain(field.value.text);
            }
        }
        for (const Field& constant : m_constants) {
            const bool given = std::any_of(row.fields.begin(), row.fields.end(),
                                           [&](const Field& f) { return f.name == constant.name; });
            if (given) {
                row.problem = Rejection{std::string(constant.name),
                                        trf("'{}' is set by the mapping's constants and "
                                            "may not be given in the row",
                                            constant.name)};
                return true;
            }
            row.fields.push_back(constant);
        }
        return true;
    }

    [[nodiscard]] std::vector<std::string> original_header() const override { return {"json"}; }
    [[nodiscard]] std::vector<std::string> original_fields() const override { return {m_line}; }
    [[nodiscard]] std::uint64_t bytes_consumed() const override {
        return m_reader.bytes_consumed();
    }
    /// Blank lines are no rows at all in JSON Lines: they are skipped, not counted.
    [[nodiscard]] std::uint64_t blank_rows() const override { return 0; }

private:

    // The names of this line that no earlier line used, through the column check (SPEC §2
    // "Columns"). Lines mostly repeat the names of the line before: that costs one comparison
    // per name.
    void check_names(std::uint64_t line) {
        const bool same_as_before =
            m_fields.size() == m_last_names.size() &&
            std::equal(m_fields.begin(), m_fields.end(), m_last_names.begin(),
                       [](const util::JsonField& field, const std::string& name) {
                           return field.name == name;
                       });
        if (same_as_before) {
            return;
        }
        m_last_names.clear();
        std::vector<std::string_view> present;
        for (const util::JsonField& field : m_fields) {
            m_last_names.push_back(field.name);
            if (m_columns.seen(field.name)) {
                continue;
            }
            if (present.empty()) {
                for (const util::JsonField& other : m_fields) {
                    present.push_back(other.name);
                    present.push_back(m_mapping.target(other.name));
                }
            }
            m_columns.check(field.name, present,
                            fmt::format("{}:{}: {}", m_file_name, line,
                                        field.nested ? tr("the attrs member") : tr("the name")));
        }
    }

    util::LineReader m_reader;
    const Mapping& m_mapping;
    std::vector<Field> m_constants;
    std::string m_file_name;
    ColumnCheck& m_columns;
    std::vector<std::string> m_last_names;  ///< the previous line's names, in order
    std::string m_line;
    std::vector<util::JsonField> m_fields;
    std::unordered_set<std::string_view> m_targets_seen;  ///< names after mapping, this row
};

}  // namespace

std::unique_ptr<RowSource> open_csv_rows(util::TextInput& input, const Mapping& mapping,
                                         const std::string& file_name, ColumnCheck& columns) {
    return std::make_unique<CsvRows>(input, mapping, file_name, columns);
}

std::unique_ptr<RowSource> open_jsonl_rows(util::TextInput& input, const Mapping& mapping,
                                           const std::string& file_name, ColumnCheck& columns) {
    return std::make_unique<JsonlRows>(input, mapping, file_name, columns);
}

}  // namespace rbl::ingest
