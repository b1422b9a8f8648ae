#pragma once
// The expression language of rule files (SPEC.md §3): `where:` over a record, `subject:` over a
// subject. An expression is parsed and type-checked once against a schema of named, typed fields,
// compiled to a flat program, then evaluated many times over field values given by slot, without
// allocating.
//
// Numbers are exact decimals: comparison, `+`, `-` and `*` are exact while the result fits in a
// 64-bit mantissa with at most 18 decimals (beyond that the result is rounded half away from zero
// to the most decimals that fit, and is null when even its whole part does not fit). `/` rounds
// the quotient half away from zero to k_division_decimals decimals; division by zero is null.
//
// Null: a comparison (`!=` included), `in`, `not in`, `startswith` or `contains` with a null
// operand is false; arithmetic with null is null. Comparisons give plain true or false, so
// `not (x == 1)` is true when x is null. A null bool (a missing bool field) counts as false
// wherever a truth value is needed: in `and`, `or`, `not` and as the result.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/rules/attribute_type.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/decimal.hpp"

namespace rbl::rules {

/// Parentheses, `not` and unary minus may nest this deep; deeper is a compile error.
inline constexpr int k_max_expression_nesting = 200;
/// Decimals kept by `/` (the quotient is rounded half away from zero to this many).
inline constexpr int k_division_decimals = 12;

/// The type of a value. Lists are not values: they exist only as literals after `in`/`not in`.
enum class ValueType : std::uint8_t { null, text, number, date, boolean };

/// "null", "text", "number", "date" or "bool".
std::string_view to_string(ValueType type);

/// The value type of fields declared with an attribute type.
constexpr ValueType value_type(AttributeType type) {
    switch (type) {
        case AttributeType::text:
            return ValueType::text;
        case AttributeType::number:
            return ValueType::number;
        case AttributeType::date:
            return ValueType::date;
        case AttributeType::boolean:
            return ValueType::boolean;
    }
    return ValueType::null;
}

/// A field value or an intermediate result: null, text, an exact decimal, a date or a bool.
/// 24 bytes and trivially copyable. Text is a view: whoever makes the value keeps its characters
/// alive for as long as the value is used.
class Value {
public:
    /// Null.
    constexpr Value() noexcept = default;
    /// A text value viewing `text`.
    static constexpr Value text(std::string_view text) noexcept {
        return Value(text.data(), text.size());
    }
    /// An exact number; `number.scale` must be 0..18.
    static constexpr Value number(util::Decimal number) noexcept {
        return Value(ValueType::number, false, static_cast<std::int32_t>(number.scale),
                     number.mantissa);
    }
    /// A date.
    static constexpr Value date(util::Date date) noexcept {
        return Value(ValueType::date, false, date.serial(), 0);
    }
    /// true or false.
    static constexpr Value boolean(bool flag) noexcept {
        return Value(ValueType::boolean, flag, 0, 0);
    }

    [[nodiscard]] constexpr ValueType type() const noexcept { return m_type; }
    [[nodiscard]] constexpr bool is_null() const noexcept { return m_type == ValueType::null; }
    /// The text; only for a text value.
    [[nodiscard]] constexpr std::string_view as_text() const noexcept { return {m_data, m_size}; }
    /// The number; only for a number value.
    [[nodiscard]] constexpr util::Decimal as_number() const noexcept {
        return util::Decimal{m_mantissa, m_small};
    }
    /// The date; only for a date value.
    [[nodiscard]] constexpr util::Date as_date() const noexcept {
        return util::Date::from_serial(m_small);
    }
    /// The flag; only for a bool value.
    [[nodiscard]] constexpr bool as_bool() const noexcept { return m_flag; }
    /// A number value's mantissa and scale, without building a Decimal.
    [[nodiscard]] constexpr std::int64_t mantissa() const noexcept { return m_mantissa; }
    [[nodiscard]] constexpr int scale() const noexcept { return m_small; }

private:
    // Every member is set by every constructor, so that the compiler can build a Value in
    // registers (no partial writes to a union in memory: evaluation makes millions of them).
    constexpr Value(ValueType type, bool flag, std::int32_t small, std::int64_t mantissa) noexcept
        : m_type(type), m_flag(flag), m_small(small), m_mantissa(mantissa) {}
    constexpr Value(const char* data, std::size_t size) noexcept
        : m_type(ValueType::text), m_data(data), m_size(size) {}

    ValueType m_type = ValueType::null;
    bool m_flag = false;       // bool
    std::int32_t m_small = 0;  // number: scale; date: days since 1970-01-01
    union {
        std::int64_t m_mantissa = 0;  // number
        const char* m_data;           // text
    };
    std::size_t m_size = 0;  // text
};

/// A field an expression may name, and the type of its values.
struct FieldSpec {
    std::string name;
    AttributeType type = AttributeType::text;
};

/// The fields an expression may name. A field's slot is its position: at evaluation, the value
/// of the field in slot i is fields[i].
class Schema {
public:
    Schema() = default;
    /// A schema of these fields, in this order. Throws std::invalid_argument on a name given
    /// twice (meant for fixed field lists written in code; use add() for names from files).
    Schema(std::initializer_list<FieldSpec> fields);

    /// Adds a field and returns its slot; fails when the name is already a field.
    Result<int> add(std::string name, AttributeType type);
    /// The slot of the field called `name`, or -1.
    [[nodiscard]] int find(std::string_view name) const;
    /// Every field, by slot.
    [[nodiscard]] std::span<const FieldSpec> fields() const { return m_fields; }
    [[nodiscard]] std::size_t size() const { return m_fields.size(); }

private:
    std::vector<FieldSpec> m_fields;
};

/// Why an expression does not compile, and where.
struct ExpressionError {
    /// 1-based; counts characters (UTF-8 code points, a newline as one) from the start of the
    /// expression text.
    int column = 1;
    /// The same place as a byte offset into the expression text.
    std::size_t offset = 0;
    std::string message;

    /// "column N: MESSAGE".
    [[nodiscard]] std::string text() const;
};

namespace detail {
struct Program;
}

/// An expression that is one comparison of a field with a constant (`months_unpaid >= 3`), as
/// an explanation shows it: the field's value against the constant, and by how much it misses.
struct FieldComparison {
    int slot = -1;        ///< the field's slot in the schema
    std::string_view op;  ///< "==", "!=", "<", "<=", ">" or ">="
    Value constant;       ///< a text constant views the expression: valid while it lives
};

/// A type-checked expression whose value is true or false, ready to evaluate. Immutable; copies
/// share the compiled program and are cheap.
class CompiledExpression {
public:
    /// The expression's value over `fields` (indexed by schema slot; must hold at least
    /// fields_needed() values, each null or of its field's type). Allocates nothing. Throws
    /// FailedError when the caller breaks those rules (an internal error, not bad input).
    [[nodiscard]] bool evaluate(std::span<const Value> fields) const;
    /// The expression as written.
    [[nodiscard]] const std::string& text() const;
    /// The slots of the fields the expression names, ascending, each once.
    [[nodiscard]] const std::vector<int>& fields_used() const;
    /// One more than the highest slot used (0 when no field is used).
    [[nodiscard]] std::size_t fields_needed() const;
    /// When the whole expression is one comparison of a field with a constant: that comparison.
    [[nodiscard]] std::optional<FieldComparison> comparison() const;

private:
    friend rbl::expected<CompiledExpression, ExpressionError> compile(std::string_view source,
                                                                      const Schema& schema);
    explicit CompiledExpression(std::shared_ptr<const detail::Program> program);

    std::shared_ptr<const detail::Program> m_program;
};

/// Parses and type-checks `source` against `schema`. Fails, with the column of the problem, on a
/// syntax error, an unknown field, a type error, `== null`, nesting deeper than
/// k_max_expression_nesting, or an expression whose value is not true or false.
rbl::expected<CompiledExpression, ExpressionError> compile(std::string_view source,
                                                           const Schema& schema);

/// The parts of `source` joined by `and` at its top level (outside parentheses and brackets),
/// each trimmed, as written: each is an expression of its own over the same fields, and the
/// whole holds when every part does. `source` alone when it has a top-level `or` (which binds
/// looser than `and`), no top-level `and`, or does not tokenize.
std::vector<std::string> top_level_conjuncts(std::string_view source);

/// True for the words the language reserves (`and`, `or`, `not`, `in`, `is`, `null`, `true`,
/// `false`, `startswith`, `contains`): a field with such a name could not be named.
bool is_reserved_word(std::string_view word);

}  // namespace rbl::rules
