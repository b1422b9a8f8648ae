#include "rbl/ingest/record_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <array>

#include "rbl/ids/ids.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/json_text.hpp"
#include "rbl/util/money.hpp"
#include "rbl/util/sha256.hpp"
#include "rbl/util/text.hpp"

namespace rbl::ingest {

namespace {

struct NamedColumn {
    std::string_view name;
    Column column;
};

constexpr std::array<NamedColumn, 11> k_columns = {{
    {"record_id", Column::record_id},
    {"subject_id", Column::subject_id},
    {"subject_name", Column::subject_name},
    {"subject_type", Column::subject_type},
    {"domain", Column::domain},
    {"kind", Column::kind},
    {"date", Column::date},
    {"amount", Column::amount},
    {"authority", Column::authority},
    {"region", Column::region},
    {"status", Column::status},
}};

constexpr std::array<std::string_view, 6> k_required = {"record_id", "subject_id", "subject_name",
                                                        "domain",    "kind",       "date"};

bool is_kind_name(std::string_view text) {
    if (text.empty() || text[0] < 'a' || text[0] > 'z') {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool is_region_code(std::string_view text) {
    return text.size() == 6 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<bool> parse_bool(std::string_view text) {
    const std::string lower = [&] {
        std::string s(text);
        std::transform(s.begin(), s.end(), s.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; });
        return s;
    }();
    if (lower == "true" || lower == "1" || lower == "yes" || lower == "y" || lower == "是") {
        return true;
    }
    if (lower == "false" || lower == "0" || lower == "no" || lower == "n" || lower == "否") {
        return false;
    }
    return std::nullopt;
}

Rejection reject(const Field& field, std::string reason) {
    return Rejection{std::string(field.source_name), std::move(reason)};
}

// Appends one value to the canonical form hashed for change detection, length-prefixed so that
// no two different records serialise alike.
void append_canonical(std::string& out, std::string_view value) {
    char length[24];
    const auto end = std::to_chars(std::begin(length), std::end(length), value.size()).ptr;
    out.append(length, end);
    out += ':';
    out += value;
}

// Multiplies a decimal by a mapping factor exactly; nullopt when it overflows.
std::optional<util::Decimal> scaled(const util::Decimal& value, const util::Decimal& factor) {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(value.mantissa, factor.mantissa, &product) ||
        value.scale + factor.scale > 18) {
        return std::nullopt;
    }
    return util::Decimal{product, value.scale + factor.scale};
}

}  // namespace

Column column_of(std::string_view target_name) {
    for (const NamedColumn& named : k_columns) {
        if (named.name == target_name) {
            return named.column;
        }
    }
    return Column::attribute;
}

std::span<const std::string_view> required_columns() { return k_required; }

RecordBuilder::RecordBuilder(const rules::RuleSet& rules, const Mapping& mapping,
                             BuildOptions options)
    : m_rules(rules),
      m_mapping(mapping),
      m_options(std::move(options)),
      m_amount_factor(mapping.factor("amount")) {}

std::optional<Rejection> RecordBuilder::build(std::span<const Field> fields,
                                              model::Record& record, std::string& warning) {
    record = model::Record{};
    record.source = m_options.source;
    warning.clear();
    bool has_type = false;
    for (const Field& field : fields) {
        if (field.value.size() > k_max_value_bytes) {
            return reject(field, trf("value of {} bytes is longer than the {} KiB a value "
                                     "may hold",
                                     field.value.size(), k_max_value_bytes / 1024));
        }
        // A NUL cut the stored name short wherever it was read as C text (SQLite's length(),
        // exports); escape codes would reach terminals. Tabs and line breaks are text.
        const auto control = std::find_if(field.value.begin(), field.value.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
        });
        if (control != field.value.end()) {
            return reject(field, trf("byte {} is a control character (0x{:02X}), not text",
                                     control - field.value.begin() + 1,
                                     static_cast<unsigned char>(*control)));
        }
    }
    // A given subject_type settles identifiers that could be either kind (see ids::classify).
    m_expected_kind.reset();
    for (const Field& field : fields) {
        if (field.column == Column::subject_type) {
            const auto type = model::parse_subject_type(util::trim(field.value));
            if (type) {
                m_expected_kind = *type == model::SubjectType::natural_person ? ids::IdKind::resident
                                                                             : ids::IdKind::uscc;
            }
        }
    }
    for (const Field& field : fields) {
        if (field.column == Column::attribute) {
            continue;
        }
        if (field.column == Column::subject_type && !field.value.empty()) {
            has_type = true;
        }
        if (auto rejection = read_standard(field, record, warning)) {
            return rejection;
        }
    }
    for (std::string_view name : k_required) {
        const Column column = column_of(name);
        const bool present = std::any_of(fields.begin(), fields.end(), [&](const Field& field) {
            return field.column == column && !util::trim(field.value).empty();
        });
        if (!present) {
            return Rejection{std::string(name), trf("{} is required but empty", name)};
        }
    }
    // The identifier decides the subject's type when none is given, and must agree when one is.
    const ids::IdKind kind = m_id_kind;
    const auto derived = model::subject_type_of(record.subject_id, kind);
    if (!has_type) {
        record.subject_type = derived;
    } else if ((record.subject_type == model::SubjectType::natural_person) !=
               (derived == model::SubjectType::natural_person)) {
        return Rejection{
            "subject_type",
            trf("subject_type {} does not agree with the identifier, which is {}",
                model::to_string(record.subject_type),
                kind == ids::IdKind::resident ? tr("a resident ID number (natural_person)")
                                              : tr("a unified social credit code"))};
    }
    m_subject_region = ids::region_of(record.subject_id, kind);

    const rules::DomainRules* domain = m_rules.domain(record.domain);
    if (domain == nullptr) {
        return Rejection{"domain", trf("unknown domain '{}' (no rule file {}.yaml)", record.domain,
                                       record.domain)};
    }
    if (auto rejection = read_attributes(fields, *domain, record)) {
        return rejection;
    }
    compute_hash(record);
    return std::nullopt;
}

std::optional<Rejection> RecordBuilder::read_standard(const Field& field, model::Record& record,
                                                      std::string& warning) {
    const std::string_view value = util::trim(field.value);
    if (auto bad = util::find_invalid_utf8(field.value)) {
        return reject(field, trf("byte {} is not valid UTF-8 (if the file is GB18030, "
                                 "use --encoding gb18030)",
                                 *bad + 1));
    }
    if (value.empty()) {
        return std::nullopt;  // optional columns default; required ones are checked after
    }
    switch (field.column) {
        case Column::record_id:
            record.record_id = value;
            break;
        case Column::subject_id: {
            record.subject_id = ids::normalise(value);
            auto shape = ids::classify(record.subject_id, m_options.today, m_expected_kind);
            if (!shape) {
                return reject(field, trf("'{}': {}", value, shape.error()));
            }
            m_id_kind = shape->kind;
            if (!shape->check_ok) {
                auto full = ids::validate(record.subject_id, m_options.today, m_expected_kind);
                const std::string reason =
                    trf("'{}': {}", value,
                        full ? std::string(tr("bad check character")) : full.error());
                if (!m_options.id_check_warn) {
                    return reject(field, reason);
                }
                warning = trf("{} (accepted: --id-check warn)", reason);
                record.id_check_ok = false;
            } else if (shape->ambiguous && !m_expected_kind) {
                warning =
                    trf("'{}': valid both as a resident ID number and as a unified "
                        "social credit code; taken as a resident ID number (a "
                        "subject_type column settles it)",
                        value);
            }
            break;
        }
        case Column::subject_name:
            record.subject_name = value;
            break;
        case Column::subject_type: {
            auto type = model::parse_subject_type(value);
            if (!type) {
                return reject(field, trf("subject_type '{}' is not legal_person, "
                                         "natural_person or government",
                                         value));
            }
            record.subject_type = *type;
            break;
        }
        case Column::domain:
            record.domain = value;
            break;
        case Column::kind:
            if (!is_kind_name(value)) {
                return reject(field, trf("kind '{}' must match [a-z][a-z0-9_]*", value));
            }
            record.kind = value;
            break;
        case Column::date: {
            auto date = util::parse_date(value);
            if (!date) {
                return reject(field, date.error());
            }
            record.date = *date;
            break;
        }
        case Column::amount: {
            auto fen = util::parse_yuan(value, m_amount_factor);
            if (!fen) {
                return reject(field, fen.error());
            }
            record.amount = *fen;
            break;
        }
        case Column::authority:
            record.authority = std::string(value);
            break;
        case Column::region:
            if (!is_region_code(value)) {
                return reject(field, trf("region '{}' must be a 6-digit administrative "
                                         "division code",
                                         value));
            }
            record.region = std::string(value);
            break;
        case Column::status:
            if (value == "active") {
                record.status = model::RecordStatus::active;
            } else if (value == "withdrawn") {
                record.status = model::RecordStatus::withdrawn;
            } else {
                return reject(field, trf("status '{}' is not active or withdrawn", value));
            }
            break;
        case Column::attribute:
            break;
    }
    return std::nullopt;
}

std::optional<Rejection> RecordBuilder::read_attributes(std::span<const Field> fields,
                                                        const rules::DomainRules& domain,
                                                        model::Record& record) {
    m_attrs.clear();
    for (const Field& field : fields) {
        if (field.column != Column::attribute) {
            continue;
        }
        if (auto bad = util::find_invalid_utf8(field.value)) {
            return reject(field, trf("byte {} is not valid UTF-8 (if the file is "
                                     "GB18030, use --encoding gb18030)",
                                     *bad + 1));
        }
        const std::string_view value = util::trim(field.value);
        if (value.empty()) {
            continue;  // an empty cell is no value: the attribute is null
        }
        std::string json;
        const rules::Attribute* declared = domain.attribute(field.name);
        const auto type = declared == nullptr ? rules::AttributeType::text : declared->type;
        switch (type) {
            case rules::AttributeType::text:
                util::append_json_string(json, value);
                break;
            case rules::AttributeType::number: {
                auto number = util::parse_decimal(value);
                if (!number) {
                    return reject(field,
                                  trf("{} is declared number: {}", field.name, number.error()));
                }
                auto result = scaled(*number, m_mapping.factor(field.name));
                if (!result) {
                    return reject(field, trf("{} '{}' is too large", field.name, value));
                }
                json = result->text();
                break;
            }
            case rules::AttributeType::date: {
                auto date = util::parse_date(value);
                if (!date) {
                    return reject(field, trf("{} is declared date: {}", field.name, date.error()));
                }
                util::append_json_string(json, date->iso());
                break;
            }
            case rules::AttributeType::boolean: {
                auto flag = parse_bool(value);
                if (!flag) {
                    return reject(field, trf("{} is declared bool: '{}' is not a yes/no "
                                             "value (true, false, 1, 0, yes, no, 是, 否)",
                                             field.name, value));
                }
                json = *flag ? "true" : "false";
                break;
            }
        }
        m_attrs.emplace_back(field.name, std::move(json));
    }
    std::sort(m_attrs.begin(), m_attrs.end());
    std::string& out = record.attrs_json;
    // Not `out = "{"`: g++ 12 at -O3 takes that assignment of a short literal for an overlapping
    // copy of unbounded size (a -Wrestrict false positive in basic_string::_M_replace).
    out.clear();
    out += '{';
    for (const auto& [name, json] : m_attrs) {
        if (out.size() > 1) {
            out += ',';
        }
        util::append_json_string(out, name);
        out += ':';
        out += json;
    }
    out += '}';
    return std::nullopt;
}

void RecordBuilder::compute_hash(const model::Record& record) {
    m_canonical.clear();
    append_canonical(m_canonical, record.subject_id);
    append_canonical(m_canonical, model::to_string(record.subject_type));
    append_canonical(m_canonical, record.domain);
    append_canonical(m_canonical, record.kind);
    append_canonical(m_canonical, record.date.iso());
    append_canonical(m_canonical, record.amount ? std::to_string(*record.amount) : "-");
    append_canonical(m_canonical, record.authority.value_or("\x01"));
    append_canonical(m_canonical, record.region.value_or("\x01"));
    append_canonical(m_canonical, model::to_string(record.status));
    append_canonical(m_canonical, record.attrs_json);
    util::Sha256 hash;
    hash.update(m_canonical);
    m_hash = hash.digest();
}

}  // namespace rbl::ingest
