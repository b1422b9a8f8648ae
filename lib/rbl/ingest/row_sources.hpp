#pragma once
// Rows of an input file as named fields, whatever the format: CSV with a header row, or JSON
// Lines. Internal to the importer.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rbl/ingest/columns.hpp"
#include "rbl/ingest/mapping.hpp"
#include "rbl/ingest/record_builder.hpp"
#include "rbl/util/input.hpp"

namespace rbl::ingest {

/// One row as read: its line, its fields after mapping, or a problem with its shape.
struct SourceRow {
    std::uint64_t line = 0;
    std::vector<Field> fields;
    std::optional<Rejection> problem;
};

/// Reads rows from a file; `fields` point into the source's buffers until the next call.
class RowSource {
public:
    virtual ~RowSource() = default;
    /// Reads the next row; false at the end of the file.
    virtual bool next(SourceRow& row) = 0;
    /// The file's own column names, for the rejects file's header.
    [[nodiscard]] virtual std::vector<std::string> original_header() const = 0;
    /// The last row's original values, for the rejects file.
    [[nodiscard]] virtual std::vector<std::string> original_fields() const = 0;
    [[nodiscard]] virtual std::uint64_t bytes_consumed() const = 0;
    /// Rows skipped so far because every field of them is empty (a CSV file's ",,,,," rows, as
    /// spreadsheet programs leave them below the data).
    [[nodiscard]] virtual std::uint64_t blank_rows() const = 0;
};

/// A CSV source: reads and checks the header row at once, every name through `columns`, and
/// gives `columns` each row's domain. Throws UsageError for an empty file, a header that is not
/// UTF-8, a column named twice, a misspelt or look-alike column name, a source column of the
/// mapping that the header lacks, or a required column that is missing.
std::unique_ptr<RowSource> open_csv_rows(util::TextInput& input, const Mapping& mapping,
                                         const std::string& file_name, ColumnCheck& columns);

/// A JSON Lines source: checks each name through `columns` the first time a line uses it (a
/// misspelt or look-alike name throws UsageError naming the line), and gives `columns` each
/// line's domain. Whether the mapping's source columns occurred is for the caller to ask
/// `columns` at the end.
std::unique_ptr<RowSource> open_jsonl_rows(util::TextInput& input, const Mapping& mapping,
                                           const std::string& file_name, ColumnCheck& columns);

}  // namespace rbl::ingest
