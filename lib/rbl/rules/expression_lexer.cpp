// The lexer of the expression language: source text to tokens, with the messages for the
// characters people reach for from other languages (`=`, `!`, `&&`, `"`).

#include <fmt/format.h>

#include <string>
#include <utility>

#include "rbl/rules/expression_internal.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules::detail {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The whole UTF-8 character starting at `offset`, for messages.
std::string_view character_at(std::string_view source, std::size_t offset) {
    std::size_t end = offset + 1;
    while (end < source.size() && (static_cast<unsigned char>(source[end]) & 0xC0) == 0x80) {
        ++end;
    }
    return source.substr(offset, end - offset);
}

// The token of a character that is a token by itself, or Tok::end.
Tok single_character_token(char c) {
    switch (c) {
        case '(':
            return Tok::left_paren;
        case ')':
            return Tok::right_paren;
        case '[':
            return Tok::left_bracket;
        case ']':
            return Tok::right_bracket;
        case ',':
            return Tok::comma;
        case '+':
            return Tok::plus;
        case '-':
            return Tok::minus;
        case '*':
            return Tok::star;
        case '/':
            return Tok::slash;
        default:
            return Tok::end;
    }
}

[[noreturn]] void fail_at(std::size_t offset, std::string message) {
    throw CompileFailure{offset, std::move(message)};
}

// Reads the tokens of one source text. Each read_* starts at its token's first character and
// leaves m_position just after its last.
class Lexer {
public:
    explicit Lexer(std::string_view source) : m_source(source) {}

    std::vector<Token> run() {
        std::vector<Token> tokens;
        while (true) {
            while (m_position < m_source.size() && is_space(m_source[m_position])) {
                ++m_position;
            }
            if (m_position >= m_source.size()) {
                tokens.push_back(Token{Tok::end, m_source.size(), {}, {}});
                return tokens;
            }
            tokens.push_back(read_token());
        }
    }

private:
    Token read_token() {
        const std::size_t start = m_position;
        const char c = m_source[start];
        Token token{Tok::end, start, {}, {}};
        if (is_name_start(c)) {
            while (m_position < m_source.size() && is_name_char(m_source[m_position])) {
                ++m_position;
            }
            token.kind = Tok::name;
        } else if (is_digit(c)) {
            read_number(start);
            token.kind = Tok::number;
        } else if (c == '\'') {
            token.value = read_text(start);
            token.kind = Tok::text;
        } else {
            token.kind = read_symbol(start);
        }
        token.raw = m_source.substr(start, m_position - start);
        return token;
    }

    void skip_digits() {
        while (m_position < m_source.size() && is_digit(m_source[m_position])) {
            ++m_position;
        }
    }

    void read_number(std::size_t start) {
        skip_digits();
        if (m_position < m_source.size() && m_source[m_position] == '.') {
            ++m_position;
            if (m_position >= m_source.size() || !is_digit(m_source[m_position])) {
                fail_at(start, trf("'{}' is not a number (digits must follow '.')",
                                   m_source.substr(start, m_position - start)));
            }
            skip_digits();
        }
        if (m_position < m_source.size() &&
            (is_name_char(m_source[m_position]) || m_source[m_position] == '.')) {
            std::size_t stop = m_position;
            while (stop < m_source.size() &&
                   (is_name_char(m_source[stop]) || m_source[stop] == '.')) {
                ++stop;
            }
            fail_at(start, trf("'{}' is not a number", m_source.substr(start, stop - start)));
        }
    }

    // The characters of a text literal, quotes removed and '' unescaped.
    std::string read_text(std::size_t start) {
        std::string text;
        ++m_position;
        while (true) {
            if (m_position >= m_source.size()) {
                fail_at(start, tr("unterminated text: the quote opened here is never closed"));
            }
            if (m_source[m_position] == '\'') {
                if (m_position + 1 < m_source.size() && m_source[m_position + 1] == '\'') {
                    text.push_back('\'');
                    m_position += 2;
                    continue;
                }
                ++m_position;
                return text;
            }
            text.push_back(m_source[m_position]);
            ++m_position;
        }
    }

    // An operator or punctuation.
    Tok read_symbol(std::size_t start) {
        const char c = m_source[start];
        const char next = start + 1 < m_source.size() ? m_source[start + 1] : '\0';
        ++m_position;
        if (const Tok single = single_character_token(c); single != Tok::end) {
            return single;
        }
        switch (c) {
            case '=':
                if (next != '=') {
                    fail_at(start, tr("write '==' to compare ('=' alone means nothing)"));
                }
                ++m_position;
                return Tok::eq;
            case '!':
                if (next != '=') {
                    fail_at(start, tr("write 'not' instead of '!'"));
                }
                ++m_position;
                return Tok::ne;
            case '<':
                if (next == '>') {
                    fail_at(start, tr("write '!=' instead of '<>'"));
                }
                m_position += next == '=' ? 1 : 0;
                return next == '=' ? Tok::le : Tok::lt;
            case '>':
                m_position += next == '=' ? 1 : 0;
                return next == '=' ? Tok::ge : Tok::gt;
            case '&':
                fail_at(start, tr("write 'and' instead of '&'"));
            case '|':
                fail_at(start, tr("write 'or' instead of '|'"));
            case '"':
                fail_at(start, tr("text is written in single quotes: 'like this'"));
            default:
                fail_at(start, trf("unexpected character '{}'", character_at(m_source, start)));
        }
    }

    std::string_view m_source;
    std::size_t m_position = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

int column_of(std::string_view source, std::size_t offset) {
    int column = 1;
    for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
        if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return column;
}

}  // namespace rbl::rules::detail

namespace rbl::rules {

std::vector<std::string> top_level_conjuncts(std::string_view source) {
    const auto trimmed = [](std::string_view text) {
        const auto first = text.find_first_not_of(" \t\r\n");
        const auto last = text.find_last_not_of(" \t\r\n");
        return first == std::string_view::npos ? std::string()
                                               : std::string(text.substr(first, last - first + 1));
    };
    std::vector<detail::Token> tokens;
    try {
        tokens = detail::tokenize(source);
    } catch (const detail::CompileFailure&) {
        return {trimmed(source)};
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    int depth = 0;
    for (const detail::Token& token : tokens) {
        switch (token.kind) {
            case detail::Tok::left_paren:
            case detail::Tok::left_bracket:
                ++depth;
                break;
            case detail::Tok::right_paren:
            case detail::Tok::right_bracket:
                --depth;
                break;
            case detail::Tok::name:
                if (depth == 0 && token.raw == "or") {
                    return {trimmed(source)};
                }
                if (depth == 0 && token.raw == "and") {
                    parts.push_back(trimmed(source.substr(start, token.offset - start)));
                    start = token.offset + token.raw.size();
                }
                break;
            default:
                break;
        }
    }
    parts.push_back(trimmed(source.substr(start)));
    return parts;
}

}  // namespace rbl::rules
