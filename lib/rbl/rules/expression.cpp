#include "rbl/rules/expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <optional>
#include <stdexcept>
#include <utility>

#include "rbl/util/error.hpp"

// Design: a recursive-descent parser that type-checks as it goes and emits a flat postfix
// program (operands pushed on a value stack, operators pop them); `and`/`or` compile to
// conditional jumps, so they short-circuit. Long chains (`a or b or c ...`) are loops in the
// parser and keep the stack shallow, so only parentheses, `not` and unary minus nest; their depth
// is capped, which bounds both the parser's recursion and the evaluator's stack. The evaluator
// runs the program over a fixed-size stack of uninitialised slots: no allocation, no lookups by
// name, one switch per instruction.

namespace rbl::rules {

namespace {

// The evaluator's value stack. Each nesting level holds at most a few pending operands (one per
// precedence level), so this is far above what k_max_expression_nesting allows in practice; a
// program that would need more is refused at compile time like too deep a nesting.
constexpr int k_max_stack = 256;
// Lists of up to this many items are searched linearly; longer ones are sorted and bisected.
constexpr std::size_t k_linear_list = 8;

enum class Op : std::uint8_t {
    field,          // push fields[arg] (checked against `type`)
    constant,       // push constants[arg]
    compare,        // pop b, a; push a PREDICATE b (false with a null)
    in_list,        // pop a; push a in lists[arg]
    not_in_list,    // pop a; push a not in lists[arg]
    starts_with,    // pop b, a; push a startswith b
    contains,       // pop b, a; push a contains b
    is_null,        // pop a; push a is null
    is_not_null,    // pop a; push a is not null
    logical_not,    // pop a; push not a
    add,            // pop b, a; push a + b
    subtract,       // pop b, a; push a - b
    multiply,       // pop b, a; push a * b
    divide,         // pop b, a; push a / b
    negate,         // pop a; push -a
    jump_if_false,  // top false: make it a plain false and jump to arg; else pop it
    jump_if_true,   // top true: jump to arg; else pop it
    truth,          // pop a; push a plain bool (a null bool is false)
    // Fused forms of the commonest shapes, `field OP constant` and `field [not] in [...]`: one
    // dispatch instead of three and no stack traffic for the operands.
    compare_field,      // push fields[arg] PREDICATE constants[arg2]
    field_in_list,      // push fields[arg] in lists[arg2]
    field_not_in_list,  // push fields[arg] not in lists[arg2]
    end,                // the result is on top
};

enum class Predicate : std::uint8_t { eq, ne, lt, le, gt, ge };

struct Instruction {
    Op op = Op::end;
    Predicate predicate = Predicate::eq;
    ValueType type = ValueType::null;
    std::int32_t arg = 0;
    std::int32_t arg2 = 0;  // fused instructions: the constant or list
};

}  // namespace

namespace detail {

// A compiled expression. Built once, then only read; text constants view `texts`, whose strings
// never move once added (a deque keeps its elements in place and the Program itself is never
// moved once shared).
struct Program {
    std::string source;
    std::vector<Instruction> code;
    std::vector<Value> constants;
    std::vector<std::vector<Value>> lists;
    std::deque<std::string> texts;
    std::vector<int> fields_used;
    std::vector<std::string> field_names;  // by slot, for internal-error messages
    std::size_t fields_needed = 0;
};

}  // namespace detail

namespace {

// ---------------------------------------------------------------------------------------------
// Values

bool is_true(const Value& value) { return value.type() == ValueType::boolean && value.as_bool(); }

// A number result as a Value: null when the arithmetic overflowed.
Value number_or_null(const std::optional<util::Decimal>& number) {
    return number ? Value::number(*number) : Value{};
}

// Three-way comparison of two non-null values of the same type (text by bytes, which for UTF-8
// is code point order).
int compare_values(const Value& a, const Value& b) {
    switch (a.type()) {
        case ValueType::text: {
            const int order = a.as_text().compare(b.as_text());
            return (order > 0) - (order < 0);
        }
        case ValueType::number:
            return util::compare(a.as_number(), b.as_number());
        case ValueType::date:
            return (a.as_date() > b.as_date()) - (a.as_date() < b.as_date());
        case ValueType::boolean:
            return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
        case ValueType::null:
            break;
    }
    return 0;
}

bool equal_values(const Value& a, const Value& b) {
    if (a.type() == ValueType::text) {
        return a.as_text() == b.as_text();
    }
    return compare_values(a, b) == 0;
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

// ---------------------------------------------------------------------------------------------
// Compiling

// Thrown inside the compiler and turned into an ExpressionError by compile().
struct CompileFailure {
    std::size_t offset = 0;
    std::string message;
};

enum class Tok : std::uint8_t {
    end,
    name,
    text,
    number,
    left_paren,
    right_paren,
    left_bracket,
    right_bracket,
    comma,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    plus,
    minus,
    star,
    slash,
};

struct Token {
    Tok kind = Tok::end;
    std::size_t offset = 0;
    std::string_view raw;  // as written
    std::string value;     // a text literal's characters, quotes removed and '' unescaped
};

constexpr std::string_view k_reserved_words[] = {"and",  "or",   "not",   "in",         "is",
                                                 "null", "true", "false", "startswith", "contains"};

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

int column_of(std::string_view source, std::size_t offset) {
    int column = 1;
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
        if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return column;
}

// The whole UTF-8 character starting at `offset`, for messages.
std::string_view character_at(std::string_view source, std::size_t offset) {
    std::size_t end = offset + 1;
    while (end < source.size() && (static_cast<unsigned char>(source[end]) & 0xC0) == 0x80) {
        ++end;
    }
    return source.substr(offset, end - offset);
}

std::vector<Token> tokenize(std::string_view source) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    const auto fail_at = [](std::size_t offset, std::string message) {
        return CompileFailure{offset, std::move(message)};
    };
    while (true) {
        while (i < source.size() &&
               (source[i] == ' ' || source[i] == '\t' || source[i] == '\n' || source[i] == '\r')) {
            ++i;
        }
        if (i >= source.size()) {
            tokens.push_back(Token{Tok::end, source.size(), {}, {}});
            return tokens;
        }
        const std::size_t start = i;
        const char c = source[i];
        Token token{Tok::end, start, {}, {}};
        if (is_name_start(c)) {
            while (i < source.size() && is_name_char(source[i])) {
                ++i;
            }
            token.kind = Tok::name;
        } else if (is_digit(c)) {
            while (i < source.size() && is_digit(source[i])) {
                ++i;
            }
            if (i < source.size() && source[i] == '.') {
                ++i;
                if (i >= source.size() || !is_digit(source[i])) {
                    throw fail_at(start,
                                  fmt::format("'{}' is not a number (digits must follow '.')",
                                              source.substr(start, i - start)));
                }
                while (i < source.size() && is_digit(source[i])) {
                    ++i;
                }
            }
            if (i < source.size() && (is_name_char(source[i]) || source[i] == '.')) {
                std::size_t stop = i;
                while (stop < source.size() &&
                       (is_name_char(source[stop]) || source[stop] == '.')) {
                    ++stop;
                }
                throw fail_at(
                    start, fmt::format("'{}' is not a number", source.substr(start, stop - start)));
            }
            token.kind = Tok::number;
        } else if (c == '\'') {
            ++i;
            while (true) {
                if (i >= source.size()) {
                    throw fail_at(start,
                                  "unterminated text: the quote opened here is never closed");
                }
                if (source[i] == '\'') {
                    if (i + 1 < source.size() && source[i + 1] == '\'') {
                        token.value.push_back('\'');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                token.value.push_back(source[i]);
                ++i;
            }
            token.kind = Tok::text;
        } else {
            const char next = i + 1 < source.size() ? source[i + 1] : '\0';
            ++i;
            switch (c) {
                case '(':
                    token.kind = Tok::left_paren;
                    break;
                case ')':
                    token.kind = Tok::right_paren;
                    break;
                case '[':
                    token.kind = Tok::left_bracket;
                    break;
                case ']':
                    token.kind = Tok::right_bracket;
                    break;
                case ',':
                    token.kind = Tok::comma;
                    break;
                case '+':
                    token.kind = Tok::plus;
                    break;
                case '-':
                    token.kind = Tok::minus;
                    break;
                case '*':
                    token.kind = Tok::star;
                    break;
                case '/':
                    token.kind = Tok::slash;
                    break;
                case '=':
                    if (next != '=') {
                        throw fail_at(start, "write '==' to compare ('=' alone means nothing)");
                    }
                    ++i;
                    token.kind = Tok::eq;
                    break;
                case '!':
                    if (next != '=') {
                        throw fail_at(start, "write 'not' instead of '!'");
                    }
                    ++i;
                    token.kind = Tok::ne;
                    break;
                case '<':
                    if (next == '=') {
                        ++i;
                        token.kind = Tok::le;
                    } else if (next == '>') {
                        throw fail_at(start, "write '!=' instead of '<>'");
                    } else {
                        token.kind = Tok::lt;
                    }
                    break;
                case '>':
                    if (next == '=') {
                        ++i;
                    }
                    token.kind = next == '=' ? Tok::ge : Tok::gt;
                    break;
                case '&':
                    throw fail_at(start, "write 'and' instead of '&'");
                case '|':
                    throw fail_at(start, "write 'or' instead of '|'");
                case '"':
                    throw fail_at(start, "text is written in single quotes: 'like this'");
                default:
                    throw fail_at(start, fmt::format("unexpected character '{}'",
                                                     character_at(source, start)));
            }
        }
        token.raw = source.substr(start, i - start);
        tokens.push_back(std::move(token));
    }
}

std::string describe(ValueType type) {
    switch (type) {
        case ValueType::text:
            return "text";
        case ValueType::number:
            return "a number";
        case ValueType::date:
            return "a date";
        case ValueType::boolean:
            return "true/false";
        case ValueType::null:
            break;
    }
    return "null";
}

std::string describe_plural(ValueType type) {
    switch (type) {
        case ValueType::text:
            return "text";
        case ValueType::number:
            return "numbers";
        case ValueType::date:
            return "dates";
        case ValueType::boolean:
            return "true/false values";
        case ValueType::null:
            break;
    }
    return "nulls";
}

std::string describe(const Token& token) {
    if (token.kind == Tok::end) {
        return "the end";
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
        : m_schema(schema), m_program(program), m_tokens(tokenize(source)) {}

    void run() {
        if (peek().kind == Tok::end) {
            throw CompileFailure{0, "empty expression"};
        }
        const ValueType type = parse_or();
        if (peek().kind == Tok::right_paren) {
            throw CompileFailure{peek().offset, "unbalanced ')': there is no '(' to close"};
        }
        if (peek().kind != Tok::end) {
            throw CompileFailure{
                peek().offset,
                fmt::format("unexpected {} after a complete expression", describe(peek()))};
        }
        if (type != ValueType::boolean) {
            throw CompileFailure{
                m_tokens.front().offset,
                fmt::format("the expression must be true or false, but it is {}", describe(type))};
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
            fail(at, "expression nests too deeply");
        }
    }
    void pop() { --m_depth; }
    void enter(const Token& at) {
        if (++m_nesting > k_max_expression_nesting) {
            fail(at, fmt::format("expression nests too deeply (more than {} levels)",
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
            fail(op, fmt::format("'{}' needs true/false on both sides, but its {} side is {}",
                                 op.raw, side, describe(type)));
        }
    }
    static void need_number(ValueType type, const Token& op, std::string_view side) {
        if (type != ValueType::number) {
            fail(op, fmt::format("'{}' needs numbers on both sides, but its {} side is {}", op.raw,
                                 side, describe(type)));
        }
    }
    static void need_text(ValueType type, const Token& op, std::string_view side) {
        if (type != ValueType::text) {
            fail(op, fmt::format("'{}' needs text on both sides, but its {} side is {}", op.raw,
                                 side, describe(type)));
        }
    }

    // -- grammar

    ValueType parse_or() {
        ValueType left = parse_and();
        while (at_word("or")) {
            const Token& op = next();
            need_bool(left, op, "left");
            const std::size_t jump = emit(Op::jump_if_true);
            pop();
            need_bool(parse_and(), op, "right");
            plain_bool();
            m_program.code[jump].arg = static_cast<std::int32_t>(m_program.code.size());
        }
        return left;
    }

    ValueType parse_and() {
        ValueType left = parse_not();
        while (at_word("and")) {
            const Token& op = next();
            need_bool(left, op, "left");
            const std::size_t jump = emit(Op::jump_if_false);
            pop();
            need_bool(parse_not(), op, "right");
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
            fail(op,
                 fmt::format("'not' needs true/false, but its operand is {}", describe(operand)));
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
                    fail(peek(), fmt::format("expected 'null' after '{}' but found {}",
                                             negated ? "is not" : "is", describe(peek())));
                }
                next();
                emit(negated ? Op::is_not_null : Op::is_null);
            } else {
                need_text(left, op, "left");
                need_text(parse_sum(), op, "right");
                emit(op.raw == "startswith" ? Op::starts_with : Op::contains);
                pop();
            }
        } else {
            parse_ordering(left, op);
        }
        if (at_comparison()) {
            fail(peek(), fmt::format("comparisons do not chain: join them with 'and' (at {})",
                                     describe(peek())));
        }
        return ValueType::boolean;
    }

    void parse_ordering(ValueType left, const Token& op) {
        if (at_word("null")) {
            if (op.kind == Tok::eq) {
                fail(op, "write 'is null' to test for null ('== null' is never true)");
            }
            if (op.kind == Tok::ne) {
                fail(op, "write 'is not null' to test for a value ('!= null' is never true)");
            }
            fail(op, fmt::format("'{}' cannot compare with null", op.raw));
        }
        const ValueType right = parse_sum();
        if (left != right) {
            const bool date_and_text = (left == ValueType::date && right == ValueType::text) ||
                                       (left == ValueType::text && right == ValueType::date);
            fail(op, fmt::format("cannot compare {} with {}{}", describe(left), describe(right),
                                 date_and_text ? " (write a date as date('YYYY-MM-DD'))" : ""));
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
            fail(op, fmt::format("'{}' cannot order true/false values", op.raw));
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
            fail(peek(), fmt::format("'{}' needs a list in brackets, e.g. ['a', 'b'], but found {}",
                                     written, describe(peek())));
        }
        const Token& open = next();
        std::vector<Value> items;
        ValueType item_type = ValueType::null;
        while (peek().kind != Tok::right_bracket) {
            if (peek().kind == Tok::end) {
                fail(open, "'[' is never closed");
            }
            const Token& start = peek();
            const Value item = parse_literal();
            if (item_type == ValueType::null) {
                item_type = item.type();
            } else if (item.type() != item_type) {
                fail(start, fmt::format("a list holds one type: this item is {}, the first is {}",
                                        describe(item.type()), describe(item_type)));
            }
            items.push_back(item);
            if (peek().kind == Tok::comma) {
                next();
            } else if (peek().kind == Tok::end) {
                fail(open, "'[' is never closed");
            } else if (peek().kind != Tok::right_bracket) {
                fail(peek(),
                     fmt::format("expected ',' or ']' in the list but found {}", describe(peek())));
            }
        }
        next();
        if (item_type != ValueType::null && item_type != left) {
            fail(open, fmt::format("'{}' compares {} with a list of {}", written, describe(left),
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
        fail(token, fmt::format("a list holds only literals ('text', numbers, date('YYYY-MM-DD'), "
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
            fail(peek(),
                 fmt::format("date(...) needs a text 'YYYY-MM-DD' but found {}", describe(peek())));
        }
        const Token& text = next();
        const auto date = util::parse_iso_date(text.value);
        if (!date) {
            fail(text, date.error());
        }
        if (peek().kind != Tok::right_paren) {
            fail(peek().kind == Tok::end ? open : peek(),
                 peek().kind == Tok::end
                     ? "'(' is never closed"
                     : fmt::format("expected ')' but found {}", describe(peek())));
        }
        next();
        return Value::date(*date);
    }

    ValueType parse_sum() {
        ValueType left = parse_product();
        while (peek().kind == Tok::plus || peek().kind == Tok::minus) {
            const Token& op = next();
            need_number(left, op, "left");
            need_number(parse_product(), op, "right");
            emit(op.kind == Tok::plus ? Op::add : Op::subtract);
            pop();
        }
        return left;
    }

    ValueType parse_product() {
        ValueType left = parse_unary();
        while (peek().kind == Tok::star || peek().kind == Tok::slash) {
            const Token& op = next();
            need_number(left, op, "left");
            need_number(parse_unary(), op, "right");
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
            fail(op, fmt::format("'-' needs a number, but its operand is {}", describe(operand)));
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
                    fail(token, "'(' is never closed");
                }
                if (peek().kind != Tok::right_paren) {
                    fail(peek(), fmt::format("expected ')' but found {}", describe(peek())));
                }
                next();
                return type;
            }
            case Tok::left_bracket:
                fail(token, "a list can only follow 'in' or 'not in'");
            case Tok::text:
            case Tok::number: {
                const Value value = parse_literal();
                emit_constant(token, value);
                return value.type();
            }
            case Tok::name:
                return parse_name();
            case Tok::end:
                fail(token, "the expression ends where a value is expected");
            case Tok::right_paren:
                fail(token, "expected a value before ')'");
            default:
                fail(token, fmt::format("expected a value but found {}", describe(token)));
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
            fail(token, "null is only tested with 'is null' or 'is not null'");
        }
        if (is_reserved_word(token.raw)) {
            fail(token, fmt::format("expected a value but found '{}'", token.raw));
        }
        const int slot = m_schema.find(token.raw);
        if (slot < 0) {
            std::string known;
            for (const FieldSpec& field : m_schema.fields()) {
                known += known.empty() ? "" : ", ";
                known += field.name;
            }
            fail(token, fmt::format("unknown field '{}' (known: {})", token.raw,
                                    known.empty() ? "none" : known));
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

[[noreturn]] void wrong_fields(const std::string& message) {
    throw FailedError("internal error: expression evaluated over the wrong fields: " + message);
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

Schema::Schema(std::initializer_list<FieldSpec> fields) {
    for (const FieldSpec& field : fields) {
        if (!add(field.name, field.type)) {
            throw std::invalid_argument("field '" + field.name + "' given twice");
        }
    }
}

Result<int> Schema::add(std::string name, AttributeType type) {
    if (find(name) >= 0) {
        return fail(fmt::format("'{}' is already a field", name));
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

std::string ExpressionError::text() const { return fmt::format("column {}: {}", column, message); }

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
            ExpressionError{column_of(source, failure.offset), failure.offset, failure.message});
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

CompiledExpression::CompiledExpression(std::shared_ptr<const detail::Program> program)
    : m_program(std::move(program)) {}

const std::string& CompiledExpression::text() const { return m_program->source; }

const std::vector<int>& CompiledExpression::fields_used() const { return m_program->fields_used; }

std::size_t CompiledExpression::fields_needed() const { return m_program->fields_needed; }

bool CompiledExpression::evaluate(std::span<const Value> fields) const {
    const detail::Program& program = *m_program;
    if (fields.size() < program.fields_needed) {
        wrong_fields(fmt::format("'{}' needs {} field values, got {}", program.source,
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
            wrong_fields(fmt::format("field '{}' holds {}, declared {}",
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
                const bool holds = !left.is_null() &&
                                   (instruction.predicate == Predicate::eq
                                        ? equal_values(left, right)
                                        : test(instruction.predicate, compare_values(left, right)));
                stack[++top].value = Value::boolean(holds);
                break;
            }
            case Op::field_in_list:
            case Op::field_not_in_list: {
                const Value& left = load(instruction);
                bool holds = false;
                if (!left.is_null()) {
                    const bool found = list_contains(
                        program.lists[static_cast<std::size_t>(instruction.arg2)], left);
                    holds = instruction.op == Op::field_in_list ? found : !found;
                }
                stack[++top].value = Value::boolean(holds);
                break;
            }
            case Op::constant:
                stack[++top].value = program.constants[static_cast<std::size_t>(instruction.arg)];
                break;
            case Op::compare: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                const bool holds = !left.is_null() && !right.is_null() &&
                                   (instruction.predicate == Predicate::eq
                                        ? equal_values(left, right)
                                        : test(instruction.predicate, compare_values(left, right)));
                left = Value::boolean(holds);
                break;
            }
            case Op::in_list:
            case Op::not_in_list: {
                Value& left = stack[top].value;
                bool holds = false;
                if (!left.is_null()) {
                    const bool found = list_contains(
                        program.lists[static_cast<std::size_t>(instruction.arg)], left);
                    holds = instruction.op == Op::in_list ? found : !found;
                }
                left = Value::boolean(holds);
                break;
            }
            case Op::starts_with:
            case Op::contains: {
                const Value& right = stack[top--].value;
                Value& left = stack[top].value;
                bool holds = false;
                if (!left.is_null() && !right.is_null()) {
                    holds = instruction.op == Op::starts_with
                                ? left.as_text().starts_with(right.as_text())
                                : left.as_text().find(right.as_text()) != std::string_view::npos;
                }
                left = Value::boolean(holds);
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
