#include "rbl/util/unicode.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

namespace rbl::util {

namespace {

// utf8proc_map with `options`; the text itself when utf8proc refuses it (invalid UTF-8).
std::string map_text(std::string_view text, int options) {
    if (text.empty()) {
        return {};
    }
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                     static_cast<utf8proc_option_t>(options));
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    if (length < 0 || mapped == nullptr) {
        return std::string(text);
    }
    return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

// The code points of UTF-8 text; an invalid byte stands for itself (as U+FFFD would merge
// different bytes into one character).
std::vector<char32_t> code_points(std::string_view text) {
    std::vector<char32_t> points;
    points.reserve(text.size());
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        utf8proc_int32_t point = 0;
        utf8proc_ssize_t used = utf8proc_iterate(bytes, remaining, &point);
        if (used <= 0) {
            point = static_cast<utf8proc_int32_t>(0x110000 + *bytes);  // outside Unicode
            used = 1;
        }
        points.push_back(static_cast<char32_t>(point));
        bytes += used;
        remaining -= used;
    }
    return points;
}

}  // namespace

std::string nfkc(std::string_view text) {
    return map_text(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
}

std::string comparison_form(std::string_view text) {
    return map_text(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                              UTF8PROC_IGNORE);
}

std::size_t count_characters(std::string_view text) { return code_points(text).size(); }

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    const std::vector<char32_t> s = code_points(a);
    const std::vector<char32_t> t = code_points(b);
    const std::size_t too_far = limit + 1;
    if ((s.size() > t.size() ? s.size() - t.size() : t.size() - s.size()) > limit) {
        return too_far;
    }
    // Three rows of the optimal-string-alignment table: two back (for transpositions), the
    // previous one and the current one.
    std::vector<std::size_t> before(t.size() + 1);
    std::vector<std::size_t> previous(t.size() + 1);
    std::vector<std::size_t> current(t.size() + 1);
    for (std::size_t j = 0; j <= t.size(); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= s.size(); ++i) {
        current[0] = i;
        std::size_t row_best = current[0];
        for (std::size_t j = 1; j <= t.size(); ++j) {
            const std::size_t cost = s[i - 1] == t[j - 1] ? 0 : 1;
            std::size_t best =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1]) {
                best = std::min(best, before[j - 2] + 1);
            }
            current[j] = best;
            row_best = std::min(row_best, best);
        }
        if (row_best > limit) {
            return too_far;  // every later row is at least as far
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[t.size()], too_far);
}

}  // namespace rbl::util
