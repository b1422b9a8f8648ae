#pragma once
// Internal to the expression language (rules/expression*.cpp); nothing else includes this. What
// its three parts share: the tokens the lexer (expression_lexer.cpp) makes for the compiler, the
// program the compiler (expression_compiler.cpp) writes for the evaluator
// (expression_evaluator.cpp), and the order of values, by which the compiler sorts lists and the
// evaluator compares.
//
// Design: a recursive-descent parser that type-checks as it goes and emits a flat postfix
// program (operands pushed on a value stack, operators pop them); `and`/`or` compile to
// conditional jumps, so they short-circuit. Long chains (`a or b or c ...`) are loops in the
// parser and keep the stack shallow, so only parentheses, `not` and unary minus nest; their depth
// is capped, which bounds both the parser's recursion and the evaluator's stack. The evaluator
// runs the program over a fixed-size stack of uninitialised slots: no allocation, no lookups by
// name, one switch per instruction.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/rules/expression.hpp"
#include "rbl/util/decimal.hpp"

namespace rbl::rules::detail {

// ---------------------------------------------------------------------------------------------
// The program

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

// ---------------------------------------------------------------------------------------------
// Values

// Three-way comparison of two non-null values of the same type (text by bytes, which for UTF-8
// is code point order).
inline int compare_values(const Value& a, const Value& b) {
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

inline bool equal_values(const Value& a, const Value& b) {
    if (a.type() == ValueType::text) {
        return a.as_text() == b.as_text();
    }
    return compare_values(a, b) == 0;
}

// ---------------------------------------------------------------------------------------------
// Tokens

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

/// The tokens of `source`, the last one Tok::end. Throws CompileFailure at a character that
/// starts no token, a malformed number or an unterminated text.
std::vector<Token> tokenize(std::string_view source);

/// The 1-based column of byte `offset` in `source`, counting UTF-8 characters.
int column_of(std::string_view source, std::size_t offset);

}  // namespace rbl::rules::detail
