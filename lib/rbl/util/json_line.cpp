#include "rbl/util/json_line.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>

#include "rbl/util/i18n.hpp"

namespace rbl::util {

namespace {

using Json = nlohmann::json;

/// An iterator over the line's bytes that remembers the last byte the JSON lexer read, so the
/// SAX handler can name the column of the token it is called for.
class TrackingIterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackingIterator() = default;
    TrackingIterator(const char* position, const char** last_read)
        : m_position(position), m_last_read(last_read) {}

    reference operator*() const {
        *m_last_read = m_position;
        return *m_position;
    }
    TrackingIterator& operator++() {
        ++m_position;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator before = *this;
        ++m_position;
        return before;
    }
    bool operator==(const TrackingIterator& other) const { return m_position == other.m_position; }

private:
    const char* m_position = nullptr;
    const char** m_last_read = nullptr;
};

/// Collects the scalars of a flat object (plus one nested object of scalars) as fields.
class FlatObjectHandler final : public nlohmann::json_sax<Json> {
public:
    FlatObjectHandler(std::string_view line, std::string_view nested_name)
        : m_line(line), m_nested_name(nested_name), m_last_read(line.data()) {}

    const char** last_read() { return &m_last_read; }
    std::vector<JsonField>& fields() { return m_fields; }
    [[nodiscard]] const std::string& error() const { return m_error; }

    bool null() override { return scalar(JsonScalar::Type::null, {}); }
    bool boolean(bool value) override {
        return scalar(JsonScalar::Type::boolean, value ? "true" : "false");
    }
    bool number_integer(number_integer_t value) override {
        // Non-negative integers come as number_unsigned, so a zero here was written "-0".
        return scalar(JsonScalar::Type::number, value == 0 ? "-0" : std::to_string(value));
    }
    bool number_unsigned(number_unsigned_t value) override {
        return scalar(JsonScalar::Type::number, std::to_string(value));
    }
    bool number_float(number_float_t /*value*/, const string_t& source) override {
        return scalar(JsonScalar::Type::number, source);  // the exact source text
    }
    bool string(string_t& value) override {
        return scalar(JsonScalar::Type::string, std::move(value));
    }
    bool binary(binary_t& /*value*/) override {
        return refuse(tr("binary values are not allowed"));  // not produced by the JSON parser
    }

    bool start_object(std::size_t /*elements*/) override {
        if (m_depth == 0) {
            m_depth = 1;
            return true;
        }
        if (m_depth == 1 && m_key == m_nested_name) {
            if (m_nested_seen) {
                return refuse(trf("duplicate field '{}' at column {}", m_key, m_key_column));
            }
            m_nested_seen = true;
            m_depth = 2;
            return true;
        }
        return refuse(trf("field '{}' at column {} is an object; only scalars are allowed",
                          qualified_key(), column()));
    }
    bool end_object() override {
        --m_depth;
        return true;
    }
    bool start_array(std::size_t /*elements*/) override {
        if (m_depth == 0) {
            return refuse(tr("the line is a JSON array, not an object"));
        }
        return refuse(trf("field '{}' at column {} is an array; only scalars are allowed",
                          qualified_key(), column()));
    }
    bool end_array() override { return true; }

    bool key(string_t& name) override {
        m_key = std::move(name);
        m_key_column = key_column();
        return true;
    }

    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& error) override {
        // The message reads "[json.exception.parse_error.101] parse error at line 1, column 17:
        // syntax error ... - invalid literal; last read: 'TOKEN'; expected ...". Keep what comes
        // after the position, which we state ourselves, without the token: it repeats the line
        // and may hold bytes that are not UTF-8.
        std::string_view detail = error.what();
        const std::size_t colon = detail.find(": ");
        if (colon != std::string_view::npos) {
            detail.remove_prefix(colon + 2);
        }
        std::string reason(detail);
        const std::size_t token = reason.find("; last read: '");
        if (token != std::string::npos) {
            const std::size_t expected = reason.rfind("'; expected ");
            if (expected != std::string::npos && expected > token) {
                reason.erase(token, expected + 1 - token);
            } else {
                reason.erase(token);
            }
        }
        m_error = trf("invalid JSON at column {}: {}", position, reason);
        return false;
    }

private:
    bool scalar(JsonScalar::Type type, std::string text) {
        if (m_depth == 0) {
            return refuse(tr("the line is not a JSON object"));
        }
        if (m_depth == 1 && m_key == m_nested_name) {
            if (type == JsonScalar::Type::null && !m_nested_seen) {
                m_nested_seen = true;  // "attrs": null is no attributes
                return true;
            }
            return refuse(
                trf("field '{}' at column {} must be an object of scalars", m_key, m_key_column));
        }
        // A set, not a scan of the fields so far: a line of 100,000 names took 30 s.
        if (!m_names.insert(m_key).second) {
            return refuse(trf("duplicate field '{}' at column {}", m_key, m_key_column));
        }
        m_fields.push_back(JsonField{m_key, JsonScalar{type, std::move(text)}, m_depth == 2});
        return true;
    }

    bool refuse(std::string reason) {
        m_error = std::move(reason);
        return false;
    }

    /// 1-based column of the byte the lexer read last.
    [[nodiscard]] std::size_t column() const {
        return static_cast<std::size_t>(m_last_read - m_line.data()) + 1;
    }

    /// 1-based column of the opening quote of the key just read (the lexer stopped on its
    /// closing quote; the first quote before that which no backslash escapes opened it).
    [[nodiscard]] std::size_t key_column() const {
        std::size_t at = static_cast<std::size_t>(m_last_read - m_line.data());
        while (at > 0) {
            --at;
            if (m_line[at] != '"') {
                continue;
            }
            std::size_t backslashes = 0;
            while (backslashes < at && m_line[at - backslashes - 1] == '\\') {
                ++backslashes;
            }
            if (backslashes % 2 == 0) {
                return at + 1;
            }
        }
        return column();
    }

    [[nodiscard]] std::string qualified_key() const {
        return m_depth == 2 ? fmt::format("{}.{}", m_nested_name, m_key) : m_key;
    }

    std::string_view m_line;
    std::string_view m_nested_name;
    const char* m_last_read;
    int m_depth = 0;
    bool m_nested_seen = false;
    std::string m_key;
    std::size_t m_key_column = 0;
    std::vector<JsonField> m_fields;
    std::unordered_set<std::string> m_names;  ///< of m_fields, top level and nested alike
    std::string m_error;
};

}  // namespace

Result<std::vector<JsonField>> parse_json_line(std::string_view line,
                                                std::string_view nested_name) {
    FlatObjectHandler handler(line, nested_name);
    const TrackingIterator first(line.data(), handler.last_read());
    const TrackingIterator last(line.data() + line.size(), handler.last_read());
    if (!Json::sax_parse(first, last, &handler)) {
        return fail(handler.error().empty() ? std::string("invalid JSON") : handler.error());
    }
    return std::move(handler.fields());
}

}  // namespace rbl::util
