#include "rbl/check/identifier_file.hpp"

#include <fmt/format.h>

#include <optional>

#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::check {

namespace {

// The index of the subject_id column when `header` names one.
std::optional<std::size_t> subject_id_column(const std::vector<std::string>& header) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (util::to_upper_ascii(util::trim(header[i])) == "SUBJECT_ID") {
            return i;
        }
    }
    return std::nullopt;
}

bool is_blank(const util::CsvRow& row) {
    for (const std::string& field : row.fields) {
        if (!util::trim(field).empty()) {
            return false;
        }
    }
    return true;
}

}  // namespace

void for_each_identifier(util::TextInput& input,
                         const std::function<void(std::string_view, std::uint64_t)>& visit) {
    util::CsvReader reader(input);
    util::CsvRow row;
    std::optional<std::size_t> column;
    bool first = true;
    while (reader.next(row)) {
        if (!row.error.empty()) {
            throw UsageError(trf("line {}: {}", row.line, row.error));
        }
        if (first) {
            first = false;
            column = subject_id_column(row.fields);
            if (column) {
                continue;  // the header
            }
        }
        if (is_blank(row)) {
            continue;
        }
        const std::size_t index = column.value_or(0);
        if (index >= row.fields.size()) {
            throw UsageError(trf("line {}: no subject_id (column {})", row.line, index + 1));
        }
        visit(row.fields[index], row.line);
    }
}

}  // namespace rbl::check
