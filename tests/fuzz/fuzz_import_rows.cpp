// libFuzzer target: what rbl-import does to each row before the database (lib/rbl/ingest): the
// CSV or JSON Lines row source with its header checks, then the record builder's validation and
// normalisation against the shipped rules. The first input byte picks the format, the mapping
// and --id-check; the rest is the file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/ingest/columns.hpp"
#include "rbl/ingest/mapping.hpp"
#include "rbl/ingest/record_builder.hpp"
#include "rbl/ingest/row_sources.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto rules = rbl::rules::RuleSet::load(RBL_SOURCE_DIR "/rules");
    static const rbl::ingest::Mapping no_mapping;
    static const auto sample_mapping =
        rbl::ingest::load_mapping(RBL_SOURCE_DIR "/samples/mappings/shuanggongshi_penalty.yaml");
    if (size == 0) {
        return 0;
    }
    const bool jsonl = (data[0] & 1) != 0;
    const bool mapped = (data[0] & 2) != 0;
    const bool id_check_warn = (data[0] & 4) != 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const rbl::ingest::Mapping& mapping = mapped ? sample_mapping : no_mapping;

    auto input = rbl::util::memory_text_input(bytes);
    try {
        rbl::ingest::ColumnCheck columns(rules, mapping, {});
        auto rows = jsonl ? rbl::ingest::open_jsonl_rows(*input, mapping, "fuzz.jsonl", columns)
                          : rbl::ingest::open_csv_rows(*input, mapping, "fuzz.csv", columns);
        rbl::ingest::RecordBuilder builder(
            rules, mapping,
            rbl::ingest::BuildOptions{"fuzz", id_check_warn, rbl::util::Date::from_ymd(2026, 11, 28)});
        rbl::ingest::SourceRow row;
        rbl::model::Record record;
        std::string warning;
        while (rows->next(row)) {
            (void)rows->original_fields();
            if (row.problem) {
                continue;
            }
            if (!builder.build(row.fields, record, warning)) {
                (void)builder.subject_region();
            }
        }
        (void)columns.unknown_columns();
    } catch (const rbl::UsageError&) {
        // A header the importer refuses (missing column, not UTF-8, a name given twice, a
        // misspelt or look-alike name, a mapped column missing).
    }
    return 0;
}
