// libFuzzer target: the streaming CSV reader (lib/rbl/util/csv) over arbitrary bytes (after the
// first, which picks the reader's buffer size).
// Checks that every row is read to the end of input, that rows start on increasing lines, and
// that a field written back with append_csv_field reads back the same.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/util/csv.hpp"
#include "rbl/util/input.hpp"

namespace {

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    // The first byte picks the reader's buffer size, so that block boundaries fall everywhere.
    const std::size_t buffer_size = rbl::util::CsvReader::k_min_buffer_size + data[0] % 64;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto input = rbl::util::memory_text_input(bytes);
    rbl::util::CsvReader reader(*input, buffer_size);
    rbl::util::CsvRow row;
    std::uint64_t last_line = 0;
    std::size_t rows = 0;
    std::vector<std::vector<std::string>> good_rows;
    // The reader drops one BOM at the start: write one, so that a field starting with U+FEFF
    // (a second BOM in the input) reads back as itself.
    std::string written = "\xEF\xBB\xBF";
    while (reader.next(row)) {
        if (row.line <= last_line && rows > 0) {
            fuzz_fail("rows must start on increasing lines");
        }
        last_line = row.line;
        ++rows;
        if (rows > size + 1) {
            fuzz_fail("more rows than bytes");
        }
        // A row of one empty field would be written as an empty line, which the reader skips.
        if (!row.error.empty() || (row.fields.size() == 1 && row.fields[0].empty())) {
            continue;
        }
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            if (i > 0) {
                written += ',';
            }
            rbl::util::append_csv_field(written, row.fields[i]);
        }
        written += '\n';
        good_rows.push_back(row.fields);
    }
    if (reader.bytes_consumed() != bytes.size()) {
        fuzz_fail("the reader stopped before the end of input");
    }
    // Round trip: the good rows written as CSV read back as the same fields.
    auto again_input = rbl::util::memory_text_input(written);
    rbl::util::CsvReader again(*again_input, buffer_size);
    std::size_t index = 0;
    while (again.next(row)) {
        if (index >= good_rows.size() || !row.error.empty() || row.fields != good_rows[index]) {
            fuzz_fail("a written row read back differently");
        }
        ++index;
    }
    if (index != good_rows.size()) {
        fuzz_fail("a written row did not read back");
    }
    return 0;
}
