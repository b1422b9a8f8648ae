// The compiler of the expression language: a recursive-descent parser over the lexer's tokens
// that type-checks as it goes and writes the program the evaluator runs (see
// expression_internal.hpp for the design).

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

#include "rbl/rules/expression_internal.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules {

using detail::CompileFailure;
using detail::Instruction;
using detail::Op;
using detail::Predicate;
using detail::Tok;
using detail::Token;
using detail::compare_values;
using detail::k_linear_list;
using detail::k_max_stack;

namespace {

constexpr std::string_view k_reserved_words[] = {"and",  "or",   "not",   "in",         "is",
                                                 "null", "true", "false", "startswith", "contains"};

std::string describe(ValueType type) {
    switch (type) {
        case ValueType::text:
            return tr("text");
        case ValueType::number:
            return tr("a number");
        case ValueType::date:
            return tr("a date");
        case ValueType::boolean:
            return tr("true/false");
        case ValueType::null:
            break;
    }
    return "null";
}

std::string describe_plural(ValueType type) {
    switch (type) {
        case ValueType::text:
            return tr("text");
        case ValueType::number:
            return tr("numbers");
        case ValueType::date:
            return tr("dates");
        case ValueType::boolean:
            return tr("true/false values");
        case ValueType::null:
            break;
    }
    return "nulls";
}

std::string describe(const Token& token) {
    if (token.kind == Tok::end) {
        return tr("the end");
    }
    return fmt::format("'{}'", token.raw);
}

// A recursive-descent parser for
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := sum [(== != < <= > >=) sum | ['not'] 'in' list | (startswith|contains) sum
//                   | 'is' ['not'] 'null']
//   sum     := product (('+'|'-') product)*
//   product := unary (('*'|'/') unary)*
//   unary   := '-' unary | primary
//   primary := '(' or ')' | text | number | date(text) | true | false | field
// that checks types and emits the program as it goes.
class Compiler {
public:
    Compiler(std::string_view source, const Schema& schema, detail::Program& program)
        : m_schema(schema), m_program(program), m_tokens(detail::tokenize(source)) {}

    void run() {
        if (peek().kind == Tok::end) {
            throw CompileFailure{0, tr("empty expression")};
        }
        const ValueType type = parse_or();
        if (peek().kind == Tok::right_paren) {
            throw CompileFailure{peek().offset, tr("unbalanced ')': there is no '(' to close")};
        }
        if (peek().kind != Tok::end) {
            throw CompileFailure{
                peek().offset, trf("unexpected {} after a complete expression", describe(peek()))};
        }
        if (type != ValueType::boolean) {
            throw CompileFailure{
                m_tokens.front().offset,
                trf("the expression must be true or false, but it is {}", describe(type))};
        }
        emit(Op::end);
    }

private:
    // -- tokens

    const Token& peek(std::size_t ahead = 0) const {
        return m_tokens[std::min(m_position + ahead, m_tokens.size() - 1)];
    }
    const Token& next() {
        const Token& token = peek();
        if (m_position < m_tokens.size() - 1) {
            ++m_position;
        }
        return token;
    }
    bool at_word(std::string_view word, std::size_t ahead = 0) const {
        const Token& token = peek(ahead);
        return token.kind == Tok::name && token.raw == word;
    }
    bool at_comparison() const {
        switch (peek().kind) {
            case Tok::eq:
            case Tok::ne:
            case Tok::lt:
            case Tok::le:
            case Tok::gt:
            case Tok::ge:
                return true;
            default:
                break;
        }
        return at_word("in") || at_word("is") || at_word("startswith") || at_word("contains") ||
               (at_word("not") && at_word("in", 1));
    }
    [[noreturn]] static void fail(const Token& token, std::string message) {
        throw CompileFailure{token.offset, std::move(message)};
    }

    // -- emitting

    std::size_t emit(Op op, std::int32_t arg = 0, Predicate predicate = Predicate::eq,
                     ValueType type = ValueType::null) {
        m_program.code.push_back(Instruction{op, predicate, type, arg});
        return m_program.code.size() - 1;
    }
    void push(const Token& at) {
        if (++m_depth > k_max_stack) {
            fail(at, tr("expression nests too deeply"));
        }
    }
    void pop() { --m_depth; }
    void enter(const Token& at) {
        if (++m_nesting > k_max_expression_nesting) {
            fail(at, trf("expression nests too deeply (more than {} levels)",
                         k_max_expression_nesting));
        }
    }
    void leave() { --m_nesting; }

    void emit_constant(const Token& at, Value value) {
        push(at);
        m_program.constants.push_back(value);
        emit(Op::constant, static_cast<std::int32_t>(m_program.constants.size() - 1));
    }
    Value keep_text(std::string text) {
        m_program.texts.push_back(std::move(text));
        return Value::text(m_program.texts.back());
    }

    // The value of `and`/`or` is a plain bool. Only a bare bool field can be a null bool (every
    // operator yields true or false), so only that needs converting.
    void plain_bool() {
        if (m_program.code.back().op == Op::field) {
            emit(Op::truth);
        }
    }

    // -- checks

    static void need_bool(ValueType type, const Token& op, std::string_view side) {
        if (type != ValueType::boolean) {
            fail(op, trf("'{}' needs true/false on both sides, but its {} side is {}", op.raw, side,
                         describe(type)));
        }
    }
    static void need_number(ValueType type, const Token& op, std::string_view side) {
        if (type != ValueType::number) {
            fail(op, trf("'{}' needs numbers on both sides, but its {} side is {}", op.raw, side,
                         describe(type)));
        }
    }
    static void need_text(ValueType type, const Token& op, std::string_view side) {
        if (type != ValueType::text) {
            fail(op, trf("'{}' needs text on both sides, but its {} side is {}", op.raw, side,
                         describe(type)));
        }
    }

    // -- grammar

    ValueType parse_or() {
        ValueType left = parse_and();
        while (at_word("or")) {
            const Token& op = next();
            need_bool(left, op, tr("left"));
            const std::size_t jump = emit(Op::jump_if_true);
            pop();
            need_bool(parse_and(), op, tr("right"));
            plain_bool();
            m_program.code[jump].arg = static_cast<std::int32_t>(m_program.code.size());
        }
        return left;
    }

    ValueType parse_and() {
        ValueType left = parse_not();
        while (at_word("and")) {
            const Token& op = next();
            need_bool(left, op, tr("left"));
            const std::size_t jump = emit(Op::jump_if_false);
            pop();
            need_bool(parse_not(), op, tr("right"));
            plain_bool();
            m_program.code[jump].arg = static_cast<std::int32_t>(m_program.code.size());
        }
        return left;
    }

    ValueType parse_not() {
        if (!at_word("not")) {
            return parse_comparison();
        }
        const Token& op = next();
        enter(op);
        const ValueType operand = parse_not();
        leave();
        if (operand != ValueType::boolean) {
            fail(op, trf("'not' needs true/false, but its operand is {}", describe(operand)));
        }
        emit(Op::logical_not);
        return ValueType::boolean;
    }

    ValueType parse_comparison() {
        const ValueType left = parse_sum();
        if (!at_comparison()) {
            return left;
        }
        const Token& op = next();
        if (op.kind == Tok::name) {
            if (op.raw == "in") {
                parse_list(left, op, Op::in_list);
            } else if (op.raw == "not") {
                next();  // 'in', as at_comparison() saw
                parse_list(left, op, Op::not_in_list);
            } else if (op.raw == "is") {
                const bool negated = at_word("not");
                if (negated) {
                    next();
                }
                if (!at_word("null")) {
                    fail(peek(), trf("expected 'null' after '{}' but found {}",
                                     negated ? "is not" : "is", describe(peek())));
                }
                next();
                emit(negated ? Op::is_not_null : Op::is_null);
            } else {
                need_text(left, op, tr("left"));
                need_text(parse_sum(), op, tr("right"));
                emit(op.raw == "startswith" ? Op::starts_with : Op::contains);
                pop();
            }
        } else {
            parse_ordering(left, op);
        }
        if (at_comparison()) {
            fail(peek(),
                 trf("comparisons do not chain: join them with 'and' (at {})", describe(peek())));
        }
        return ValueType::boolean;
    }

    void parse_ordering(ValueType left, const Token& op) {
        if (at_word("null")) {
            if (op.kind == Tok::eq) {
                fail(op, tr("write 'is null' to test for null ('== null' is never true)"));
            }
            if (op.kind == Tok::ne) {
                fail(op, tr("write 'is not null' to test for a value ('!= null' is never true)"));
            }
            fail(op, trf("'{}' cannot compare with null", op.raw));
        }
        const ValueType right = parse_sum();
        if (left != right) {
            const bool date_and_text = (left == ValueType::date && right == ValueType::text) ||
                                       (left == ValueType::text && right == ValueType::date);
            fail(op, date_and_text
                         ? trf("cannot compare {} with {} (write a date as date('YYYY-MM-DD'))",
                               describe(left), describe(right))
                         : trf("cannot compare {} with {}", describe(left), describe(right)));
        }
        Predicate predicate = Predicate::eq;
        switch (op.kind) {
            case Tok::eq:
                predicate = Predicate::eq;
                break;
            case Tok::ne:
                predicate = Predicate::ne;
                break;
            case Tok::lt:
                predicate = Predicate::lt;
                break;
            case Tok::le:
                predicate = Predicate::le;
                break;
            case Tok::gt:
                predicate = Predicate::gt;
                break;
            default:
                predicate = Predicate::ge;
                break;
        }
        if (left == ValueType::boolean && predicate != Predicate::eq &&
            predicate != Predicate::ne) {
            fail(op, trf("'{}' cannot order true/false values", op.raw));
        }
        pop();
        // `field OP constant`: a sum whose code ends in `field` is that bare field, and one that
        // is a single `constant` is that constant.
        auto& code = m_program.code;
        if (code.size() >= 2 && code[code.size() - 2].op == Op::field &&
            code.back().op == Op::constant) {
            const std::int32_t constant = code.back().arg;
            code.pop_back();
            code.back().op = Op::compare_field;
            code.back().predicate = predicate;
            code.back().arg2 = constant;
            return;
        }
        emit(Op::compare, 0, predicate);
    }

    // The list after `in`/`not in` (`op`), checked against the type of the left side.
    void parse_list(ValueType left, const Token& op, Op instruction) {
        const std::string_view written = op.raw == "in" ? "in" : "not in";
        if (peek().kind != Tok::left_bracket) {
            fail(peek(), trf("'{}' needs a list in brackets, e.g. ['a', 'b'], but found {}",
                             written, describe(peek())));
        }
        const Token& open = next();
        std::vector<Value> items;
        ValueType item_type = ValueType::null;
        while (peek().kind != Tok::right_bracket) {
            if (peek().kind == Tok::end) {
                fail(open, tr("'[' is never closed"));
            }
            const Token& start = peek();
            const Value item = parse_literal();
            if (item_type == ValueType::null) {
                item_type = item.type();
            } else if (item.type() != item_type) {
                fail(start, trf("a list holds one type: this item is {}, the first is {}",
                                describe(item.type()), describe(item_type)));
            }
            items.push_back(item);
            if (peek().kind == Tok::comma) {
                next();
            } else if (peek().kind == Tok::end) {
                fail(open, tr("'[' is never closed"));
            } else if (peek().kind != Tok::right_bracket) {
                fail(peek(), trf("expected ',' or ']' in the list but found {}", describe(peek())));
            }
        }
        next();
        if (item_type != ValueType::null && item_type != left) {
            fail(open, trf("'{}' compares {} with a list of {}", written, describe(left),
                           describe_plural(item_type)));
        }
        if (items.size() > k_linear_list) {
            std::sort(items.begin(), items.end(),
                      [](const Value& a, const Value& b) { return compare_values(a, b) < 0; });
        }
        m_program.lists.push_back(std::move(items));
        const auto list = static_cast<std::int32_t>(m_program.lists.size() - 1);
        if (m_program.code.back().op == Op::field) {
            m_program.code.back().op =
                instruction == Op::in_list ? Op::field_in_list : Op::field_not_in_list;
            m_program.code.back().arg2 = list;
            return;
        }
        emit(instruction, list);
    }

    // A list item: text, a number (optionally negative), date('...'), true or false.
    Value parse_literal() {
        const Token& token = peek();
        if (token.kind == Tok::minus && peek(1).kind == Tok::number) {
            next();
            return number_literal(next(), true);
        }
        if (token.kind == Tok::number) {
            return number_literal(next(), false);
        }
        if (token.kind == Tok::text) {
            return keep_text(next().value);
        }
        if (at_word("true") || at_word("false")) {
            return Value::boolean(next().raw == "true");
        }
        if (at_word("date") && peek(1).kind == Tok::left_paren) {
            return date_literal();
        }
        fail(token, trf("a list holds only literals ('text', numbers, date('YYYY-MM-DD'), "
                        "true, false), not {}",
                        describe(token)));
    }

    Value number_literal(const Token& token, bool negative) {
        const auto number = util::parse_decimal(token.raw);
        if (!number) {
            fail(token, number.error());
        }
        util::Decimal decimal = *number;
        if (negative) {
            decimal.mantissa = -decimal.mantissa;
        }
        return Value::number(decimal);
    }

    // date('YYYY-MM-DD'), at the word `date`.
    Value date_literal() {
        next();  // date
        const Token& open = next();
        if (peek().kind != Tok::text) {
            fail(peek(), trf("date(...) needs a text 'YYYY-MM-DD' but found {}", describe(peek())));
        }
        const Token& text = next();
        const auto date = util::parse_iso_date(text.value);
        if (!date) {
            fail(text, date.error());
        }
        if (peek().kind != Tok::right_paren) {
            fail(peek().kind == Tok::end ? open : peek(),
                 peek().kind == Tok::end ? tr("'(' is never closed")
                                         : trf("expected ')' but found {}", describe(peek())));
        }
        next();
        return Value::date(*date);
    }

    ValueType parse_sum() {
        ValueType left = parse_product();
        while (peek().kind == Tok::plus || peek().kind == Tok::minus) {
            const Token& op = next();
            need_number(left, op, tr("left"));
            need_number(parse_product(), op, tr("right"));
            emit(op.kind == Tok::plus ? Op::add : Op::subtract);
            pop();
        }
        return left;
    }

    ValueType parse_product() {
        ValueType left = parse_unary();
        while (peek().kind == Tok::star || peek().kind == Tok::slash) {
            const Token& op = next();
            need_number(left, op, tr("left"));
            need_number(parse_unary(), op, tr("right"));
            emit(op.kind == Tok::star ? Op::multiply : Op::divide);
            pop();
        }
        return left;
    }

    ValueType parse_unary() {
        if (peek().kind != Tok::minus) {
            return parse_primary();
        }
        if (peek(1).kind == Tok::number) {
            const Token& at = peek();
            emit_constant(at, parse_literal());
            return ValueType::number;
        }
        const Token& op = next();
        enter(op);
        const ValueType operand = parse_unary();
        leave();
        if (operand != ValueType::number) {
            fail(op, trf("'-' needs a number, but its operand is {}", describe(operand)));
        }
        emit(Op::negate);
        return ValueType::number;
    }

    ValueType parse_primary() {
        const Token& token = peek();
        switch (token.kind) {
            case Tok::left_paren: {
                next();
                enter(token);
                const ValueType type = parse_or();
                leave();
                if (peek().kind == Tok::end) {
                    fail(token, tr("'(' is never closed"));
                }
                if (peek().kind != Tok::right_paren) {
                    fail(peek(), trf("expected ')' but found {}", describe(peek())));
                }
                next();
                return type;
            }
            case Tok::left_bracket:
                fail(token, tr("a list can only follow 'in' or 'not in'"));
            case Tok::text:
            case Tok::number: {
                const Value value = parse_literal();
                emit_constant(token, value);
                return value.type();
            }
            case Tok::name:
                return parse_name();
            case Tok::end:
                fail(token, tr("the expression ends where a value is expected"));
            case Tok::right_paren:
                fail(token, tr("expected a value before ')'"));
            default:
                fail(token, trf("expected a value but found {}", describe(token)));
        }
    }

    ValueType parse_name() {
        const Token& token = peek();
        if (token.raw == "true" || token.raw == "false" ||
            (token.raw == "date" && peek(1).kind == Tok::left_paren)) {
            const Value value = parse_literal();
            emit_constant(token, value);
            return value.type();
        }
        if (token.raw == "null") {
            fail(token, tr("null is only tested with 'is null' or 'is not null'"));
        }
        if (is_reserved_word(token.raw)) {
            fail(token, trf("expected a value but found '{}'", token.raw));
        }
        const int slot = m_schema.find(token.raw);
        if (slot < 0) {
            std::string known;
            for (const FieldSpec& field : m_schema.fields()) {
                known += known.empty() ? "" : ", ";
                known += field.name;
            }
            fail(token, trf("unknown field '{}' (known: {})", token.raw,
                            known.empty() ? std::string(tr("none")) : known));
        }
        next();
        const ValueType type = value_type(m_schema.fields()[static_cast<std::size_t>(slot)].type);
        push(token);
        emit(Op::field, slot, Predicate::eq, type);
        m_program.fields_used.push_back(slot);
        return type;
    }

    const Schema& m_schema;
    detail::Program& m_program;
    std::vector<Token> m_tokens;
    std::size_t m_position = 0;
    int m_nesting = 0;
    int m_depth = 0;
};

}  // namespace

Schema::Schema(std::initializer_list<FieldSpec> fields) {
    for (const FieldSpec& field : fields) {
        if (!add(field.name, field.type)) {
            throw std::invalid_argument("field '" + field.name + "' given twice");
        }
    }
}

Result<int> Schema::add(std::string name, AttributeType type) {
    if (find(name) >= 0) {
        return fail(trf("'{}' is already a field", name));
    }
    m_fields.push_back(FieldSpec{std::move(name), type});
    return static_cast<int>(m_fields.size() - 1);
}

int Schema::find(std::string_view name) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        if (m_fields[i].name == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

std::string ExpressionError::text() const { return trf("column {}: {}", column, message); }

bool is_reserved_word(std::string_view word) {
    return std::find(std::begin(k_reserved_words), std::end(k_reserved_words), word) !=
           std::end(k_reserved_words);
}

rbl::expected<CompiledExpression, ExpressionError> compile(std::string_view source,
                                                           const Schema& schema) {
    auto program = std::make_shared<detail::Program>();
    program->source = std::string(source);
    try {
        Compiler(source, schema, *program).run();
    } catch (const CompileFailure& failure) {
        return rbl::unexpected(
            ExpressionError{detail::column_of(source, failure.offset), failure.offset, failure.message});
    }
    auto& used = program->fields_used;
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    program->fields_needed = used.empty() ? 0 : static_cast<std::size_t>(used.back()) + 1;
    for (const FieldSpec& field : schema.fields()) {
        program->field_names.push_back(field.name);
    }
    return CompiledExpression(std::move(program));
}

}  // namespace rbl::rules
