#pragma once
// Turns one input row into a validated, normalised Record (SPEC.md §2), or says which column is
// wrong and why. Knows nothing of files or the database.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/ids/ids.hpp"
#include "rbl/ingest/mapping.hpp"
#include "rbl/model/record.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/util/date.hpp"

namespace rbl::ingest {

/// The most bytes one value of a row may hold (a decision's full text fits many times over);
/// a longer value rejects its row before it is read, quoted or stored.
inline constexpr std::size_t k_max_value_bytes = 64 * 1024;

/// The standard record columns; everything else is an attribute.
enum class Column {
    record_id,
    subject_id,
    subject_name,
    subject_type,
    domain,
    kind,
    date,
    amount,
    authority,
    region,
    status,
    attribute,
};

/// The column a (mapped) name stands for.
Column column_of(std::string_view target_name);

/// The standard columns every row must have a value for.
std::span<const std::string_view> required_columns();

/// One value of an input row, under its name after mapping.
struct Field {
    std::string_view source_name;  ///< as in the file (for messages)
    std::string_view name;         ///< after --mapping
    Column column = Column::attribute;
    std::string_view value;        ///< empty = no value
};

/// Why a row is rejected: the column (as named in the file; empty for the whole row) and reason.
struct Rejection {
    std::string column;
    std::string reason;
};

/// Settings of one import that affect validation.
struct BuildOptions {
    std::string source = "default";
    bool id_check_warn = false;  ///< accept a bad check character with a warning
    util::Date today;            ///< birth dates in resident IDs may not lie after it
};

/// Validates rows into records, reusing its buffers from row to row.
class RecordBuilder {
public:
    RecordBuilder(const rules::RuleSet& rules, const Mapping& mapping, BuildOptions options);

    /// Builds `record` from `fields`. Returns the rejection when a value is missing or invalid.
    /// A bad check character accepted under --id-check warn sets `warning`, and so does an
    /// identifier valid both as a resident ID and as a USCC (ids::classify).
    std::optional<Rejection> build(std::span<const Field> fields, model::Record& record,
                                   std::string& warning);

    /// The 6-digit region inside the last built record's subject identifier.
    [[nodiscard]] const std::string& subject_region() const { return m_subject_region; }
    /// The content hash of the last built record.
    [[nodiscard]] const store::ContentHash& content_hash() const { return m_hash; }

private:
    std::optional<Rejection> read_standard(const Field& field, model::Record& record,
                                           std::string& warning);
    std::optional<Rejection> read_attributes(std::span<const Field> fields,
                                             const rules::DomainRules& domain,
                                             model::Record& record);
    void compute_hash(const model::Record& record);

    const rules::RuleSet& m_rules;
    const Mapping& m_mapping;
    BuildOptions m_options;
    util::Decimal m_amount_factor;
    std::string m_subject_region;
    ids::IdKind m_id_kind = ids::IdKind::uscc;
    std::optional<ids::IdKind> m_expected_kind;
    std::string m_canonical;
    std::vector<std::pair<std::string_view, std::string>> m_attrs;
    store::ContentHash m_hash{};
};

}  // namespace rbl::ingest
