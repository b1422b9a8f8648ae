#pragma once
// Column mappings (--mapping FILE.yaml) for source files whose layout differs from SPEC.md §2:
// renamed columns (Chinese headers), scaled numbers (amounts in ¥10,000), constant values.
//
//   columns:   { 统一社会信用代码: subject_id, 罚款金额（万元）: amount }
//   scale:     { amount: 10000 }
//   constants: { domain: market, kind: penalty }

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rbl/util/money.hpp"

namespace rbl::ingest {

/// How source columns become record columns and attributes.
struct Mapping {
    std::map<std::string, std::string, std::less<>> columns;  ///< source name -> target name
    std::map<std::string, util::Decimal, std::less<>> scale;  ///< target name -> factor
    std::vector<std::pair<std::string, std::string>> constants;  ///< target name -> value
    std::string file;  ///< where it was loaded from ("" when none)

    /// The target name of a source column (itself when not renamed).
    [[nodiscard]] std::string_view target(std::string_view source_name) const;
    /// The factor for a target column (1 when none).
    [[nodiscard]] util::Decimal factor(std::string_view target_name) const;
};

/// Loads a mapping file strictly: unknown keys, non-scalar values, a bad factor, a target named
/// twice, a constant for a mapped column: InvalidConfig (exit 2) naming line and column.
Mapping load_mapping(const std::filesystem::path& path);

}  // namespace rbl::ingest
