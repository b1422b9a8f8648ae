// The evaluator of the expression language: runs a compiled program over field values, and the
// arithmetic of its values (exact decimals, by util/decimal).

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "rbl/rules/expression_internal.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules {

using detail::Instruction;
using detail::Op;
using detail::Predicate;
using detail::compare_values;
using detail::equal_values;
using detail::k_linear_list;
using detail::k_max_stack;

namespace {

bool is_true(const Value& value) { return value.type() == ValueType::boolean && value.as_bool(); }

// A number result as a Value: null when the arithmetic overflowed.
Value number_or_null(const std::optional<util::Decimal>& number) {
    return number ? Value::number(*number) : Value{};
}

bool test(Predicate predicate, int order) {
    switch (predicate) {
        case Predicate::eq:
            return order == 0;
        case Predicate::ne:
            return order != 0;
        case Predicate::lt:
            return order < 0;
        case Predicate::le:
            return order <= 0;
        case Predicate::gt:
            return order > 0;
        case Predicate::ge:
            return order >= 0;
    }
    return false;
}

Value add_numbers(const Value& a, const Value& b, bool subtract) {
    if (a.is_null() || b.is_null()) {
        return Value{};
    }
    return number_or_null(subtract ? util::subtract(a.as_number(), b.as_number())
                                   : util::add(a.as_number(), b.as_number()));
}

Value multiply_numbers(const Value& a, const Value& b) {
    if (a.is_null() || b.is_null()) {
        return Value{};
    }
    return number_or_null(util::multiply(a.as_number(), b.as_number()));
}

Value divide_numbers(const Value& a, const Value& b) {
    if (a.is_null() || b.is_null()) {
        return Value{};
    }
    return number_or_null(util::divide(a.as_number(), b.as_number(), k_division_decimals));
}

Value negate_number(const Value& a) {
    if (a.is_null()) {
        return Value{};
    }
    return number_or_null(util::negate(a.as_number()));
}

bool list_contains(const std::vector<Value>& list, const Value& value) {
    if (list.size() <= k_linear_list) {
        return std::any_of(list.begin(), list.end(),
                           [&](const Value& item) { return equal_values(item, value); });
    }
    const auto found = std::lower_bound(
        list.begin(), list.end(), value,
        [](const Value& item, const Value& key) { return compare_values(item, key) < 0; });
    return found != list.end() && compare_values(*found, value) == 0;
}

// `left PREDICATE right` of two non-null values of one type.
bool compares(Predicate predicate, const Value& left, const Value& right) {
    return predicate == Predicate::eq ? equal_values(left, right)
                                      : test(predicate, compare_values(left, right));
}

// `value in list`, or `value not in list` when `negated`; false when value is null.
bool in_list(const std::vector<Value>& list, const Value& value, bool negated) {
    if (value.is_null()) {
        return false;
    }
    return list_contains(list, value) != negated;
}

// `left startswith right` or `left contains right`; false with a null.
bool text_test(Op op, const Value& left, const Value& right) {
    if (left.is_null() || right.is_null()) {
        return false;
    }
    return op == Op::starts_with ? left.as_text().starts_with(right.as_text())
                                 : left.as_text().find(right.as_text()) != std::string_view::npos;
}

[[noreturn]] void wrong_fields(const std::string& message) {
    throw FailedError(
        trf("internal error: expression evaluated over the wrong fields: {}", message));
}

}  // namespace

std::string_view to_string(ValueType type) {
    switch (type) {
        case ValueType::null:
            return "null";
        case ValueType::text:
            return "text";
        case ValueType::number:
            return "number";
        case ValueType::date:
            return "date";
        case ValueType::boolean:
            return "bool";
    }
    return "null";
}

CompiledExpression::CompiledExpression(std::shared_ptr<const detail::Program> program)
    : m_program(std::move(program)) {}

const std::string& CompiledExpression::text() const { return m_program->source; }

const std::vector<int>& CompiledExpression::fields_used() const { return m_program->fields_used; }

std::size_t CompiledExpression::fields_needed() const { return m_program->fields_needed; }

std::optional<FieldComparison> CompiledExpression::comparison() const {
    const auto& code = m_program->code;
    if (code.size() != 2 || code[0].op != detail::Op::compare_field ||
        code[1].op != detail::Op::end) {
        return std::nullopt;
    }
    static constexpr std::string_view k_ops[] = {"==", "!=", "<", "<=", ">", ">="};
    return FieldComparison{code[0].arg, k_ops[static_cast<std::size_t>(code[0].predicate)],
                           m_program->constants[static_cast<std::size_t>(code[0].arg2)]};
}

// One function with one switch on purpose (over the ~80 lines of the rule): this loop is the
// adjudication hot path. The value stack lives in this frame, and each case is a few lines over
// it; the work of the longer cases is in the small functions above, which the compiler inlines.
bool CompiledExpression::evaluate(std::span<const Value> fields) const {
    const detail::Program& program = *m_program;
    if (fields.size() < program.fields_needed) {
        wrong_fields(trf("'{}' needs {} field values, got {}", program.source,
                         program.fields_needed, fields.size()));
    }
    // Uninitialised on purpose: slots are written before they are read, and zeroing them
    // would cost more than most programs take to run.
    union Slot {
        Slot() {}
        Value value;
    };
    Slot stack[k_max_stack];
    int top = -1;
    const auto load = [&](const Instruction& instruction) -> const Value& {
        const Value& value = fields[static_cast<std::size_t>(instruction.arg)];
        if (value.type() != instruction.type && !value.is_null()) [[unlikely]] {
            wrong_fields(trf("field '{}' holds {}, declared {}",
                             program.field_names[static_cast<std::size_t>(instruction.arg)],
                             to_string(value.type()), to_string(instruction.type)));
        }
        return value;
    };
    const Instruction* const code = program.code.data();
    for (std::size_t pc = 0;; ++pc) {
        const Instruction& instruction = code[pc];
        switch (instruction.op) {
            case Op::field:
                stack[++top].value = load(instruction);
                break;
            case Op::compare_field: {
                const Value& left = load(instruction);
                const Value& right = program.constants[static_cast<std::size_t>(instruction.arg2)];
                stack[++top].value =
                    Value::boolean(!left.is_null() && compares(instruction.predicate, left, right));
                break;
            }
            case Op::field_in_list:
            case Op::field_not_in_list:
                stack[++top].value = Value::boolean(
                    in_list(program.lists[static_cast<std::size_t>(instruction.arg2)],
                            load(instruction), instruction.op == Op::field_not_in_list));
                break;
            case Op::constant:
                stack[++top].value = program.constants[static_cast<std::size_t>(instruction.arg)];
                break;
            case Op::compare: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                left = Value::boolean(!left.is_null() && !right.is_null() &&
                                      compares(instruction.predicate, left, right));
                break;
            }
            case Op::in_list:
            case Op::not_in_list:
                stack[top].value = Value::boolean(
                    in_list(program.lists[static_cast<std::size_t>(instruction.arg)],
                            stack[top].value, instruction.op == Op::not_in_list));
                break;
            case Op::starts_with:
            case Op::contains: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                left = Value::boolean(text_test(instruction.op, left, right));
                break;
            }
            case Op::is_null:
                stack[top].value = Value::boolean(stack[top].value.is_null());
                break;
            case Op::is_not_null:
                stack[top].value = Value::boolean(!stack[top].value.is_null());
                break;
            case Op::logical_not:
                stack[top].value = Value::boolean(!is_true(stack[top].value));
                break;
            case Op::add:
            case Op::subtract: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                left = add_numbers(left, right, instruction.op == Op::subtract);
                break;
            }
            case Op::multiply: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                left = multiply_numbers(left, right);
                break;
            }
            case Op::divide: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                left = divide_numbers(left, right);
                break;
            }
            case Op::negate:
                stack[top].value = negate_number(stack[top].value);
                break;
            case Op::jump_if_false:
                if (!is_true(stack[top].value)) {
                    // A null bool counts as false; leave a plain false as the `and`'s value.
                    stack[top].value = Value::boolean(false);
                    pc = static_cast<std::size_t>(instruction.arg) - 1;
                } else {
                    --top;
                }
                break;
            case Op::jump_if_true:
                if (is_true(stack[top].value)) {
                    pc = static_cast<std::size_t>(instruction.arg) - 1;
                } else {
                    --top;
                }
                break;
            case Op::truth:
                stack[top].value = Value::boolean(is_true(stack[top].value));
                break;
            case Op::end:
                return is_true(stack[top].value);
        }
    }
}

}  // namespace rbl::rules
