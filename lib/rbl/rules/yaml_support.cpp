#include "rbl/rules/yaml_support.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::rules {

namespace {

int line_of(const YAML::Mark& mark) { return mark.line < 0 ? 0 : mark.line + 1; }
int column_of(const YAML::Mark& mark) { return mark.column < 0 ? 0 : mark.column + 1; }

std::string join(std::initializer_list<std::string_view> names) {
    std::string text;
    for (std::string_view name : names) {
        if (!text.empty()) {
            text += ", ";
        }
        text += name;
    }
    return text;
}

// Tabs may not indent YAML; yaml-cpp's own message for them is obscure, so say it plainly.
void report_tab_indentation(const std::string& name, const std::string& text,
                            Diagnostics& diagnostics) {
    int line = 1;
    bool at_line_start = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            at_line_start = true;
        } else if (at_line_start && c == '\t') {
            diagnostics.add(name, line, 1, tr("a tab indents this line; YAML indents with spaces"));
            return;
        } else if (c != ' ') {
            at_line_start = false;
        }
    }
}

// Walks a document as the loaders will (an alias is walked again each time it is used) and
// stops at the first node beyond k_max_yaml_depth or k_max_yaml_nodes. The walk itself visits at
// most k_max_yaml_nodes nodes and recurses at most k_max_yaml_depth + 1 deep.
class SizeCheck {
public:
    /// The reason and node when the document is too deep or too large.
    struct Problem {
        std::string message;
        YAML::Mark mark;
    };

    std::optional<Problem> check(const YAML::Node& root) {
        walk(root, 1);
        return std::move(m_problem);
    }

private:
    void walk(const YAML::Node& node, int depth) {
        if (m_problem) {
            return;
        }
        if (++m_nodes > k_max_yaml_nodes) {
            m_problem = Problem{trf("the file expands to more than {} YAML nodes "
                                    "(aliases such as *name repeat what they name)",
                                    k_max_yaml_nodes),
                                node.Mark()};
            return;
        }
        if (depth > k_max_yaml_depth) {
            m_problem = Problem{trf("the YAML nests more than {} levels deep", k_max_yaml_depth),
                                node.Mark()};
            return;
        }
        if (node.IsSequence()) {
            for (const auto& child : node) {
                walk(child, depth + 1);
            }
        } else if (node.IsMap()) {
            for (const auto& item : node) {
                walk(item.first, depth + 1);
                walk(item.second, depth + 1);
            }
        }
    }

    std::size_t m_nodes = 0;
    std::optional<Problem> m_problem;
};

}  // namespace

YamlFile::YamlFile(const std::filesystem::path& path, Diagnostics& diagnostics)
    : m_name(path.string()), m_diagnostics(diagnostics) {
    std::error_code ec;
    if (const auto size = std::filesystem::file_size(path, ec);
        !ec && size > k_max_yaml_bytes) {
        error(
            trf("the file holds {} bytes, more than the {} MiB a configuration file may "
                "hold",
                size, k_max_yaml_bytes >> 20));
        return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error(tr("cannot read the file"));
        return;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    m_text = buffer.str();
    if (auto bad = util::find_invalid_utf8(m_text)) {
        error(trf("byte {} is not valid UTF-8 (rule and mapping files are UTF-8)", *bad + 1));
        return;
    }
    const std::size_t errors_before = diagnostics.items().size();
    report_tab_indentation(m_name, m_text, diagnostics);
    if (diagnostics.items().size() != errors_before) {
        return;
    }
    try {
        m_root = YAML::Load(m_text);
    } catch (const YAML::DeepRecursion& e) {
        diagnostics.add(m_name, line_of(e.mark), column_of(e.mark),
                        trf("the YAML nests more than {} levels deep", k_max_yaml_depth));
        m_root = YAML::Node();
        return;
    } catch (const YAML::Exception& e) {
        diagnostics.add(m_name, line_of(e.mark), column_of(e.mark),
                        trf("malformed YAML: {}", e.msg));
        m_root = YAML::Node();
        return;
    }
    if (!m_root.IsDefined() || m_root.IsNull()) {
        error(tr("the file is empty"));
        m_root = YAML::Node();
        return;
    }
    if (auto problem = SizeCheck().check(m_root)) {
        diagnostics.add(m_name, line_of(problem->mark), column_of(problem->mark),
                        std::move(problem->message));
        m_root = YAML::Node();
        return;
    }
    m_ok = true;
}

void YamlFile::error(const YAML::Node& node, std::string message) const {
    const YAML::Mark mark = node.Mark();
    m_diagnostics.add(m_name, line_of(mark), column_of(mark), std::move(message));
}

std::pair<int, int> YamlFile::locate(const YAML::Node& node, std::string_view needle) const {
    const YAML::Mark mark = node.Mark();
    std::size_t at = mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
    if (const std::size_t found = needle.empty() ? std::string::npos : m_text.find(needle, at);
        found != std::string::npos) {
        at = found;
    }
    at = std::min(at, m_text.size());
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        const auto byte = static_cast<unsigned char>(m_text[i]);
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xC0) != 0x80) {  // count characters, not continuation bytes
            ++column;
        }
    }
    return {line, column};
}

void YamlFile::error_at(int line, int column, std::string message) const {
    m_diagnostics.add(m_name, line, column, std::move(message));
}

void YamlFile::error(std::string message) const {
    m_diagnostics.add(m_name, 0, 0, std::move(message));
}

bool YamlFile::expect_map(const YAML::Node& node, std::string_view what) const {
    if (node.IsMap()) {
        return true;
    }
    error(node, trf("{} must be a mapping of key: value", what));
    return false;
}

void YamlFile::check_duplicate_keys(const YAML::Node& map) const {
    std::map<std::string, int> seen;
    for (const auto& item : map) {
        const std::string key = item.first.Scalar();
        const int line = line_of(item.first.Mark());
        if (auto [it, inserted] = seen.emplace(key, line); !inserted) {
            error(item.first, trf("duplicate key '{}' (first on line {})", key, it->second));
        }
    }
}

void YamlFile::check_keys(const YAML::Node& map,
                          std::initializer_list<std::string_view> allowed) const {
    check_duplicate_keys(map);
    for (const auto& item : map) {
        const std::string key = item.first.Scalar();
        bool known = false;
        for (std::string_view name : allowed) {
            known = known || key == name;
        }
        if (!known) {
            error(item.first, trf("unknown key '{}' (expected one of: {})", key, join(allowed)));
        }
    }
}

std::optional<std::string> YamlFile::scalar(const YAML::Node& map, std::string_view key,
                                            bool required) const {
    const YAML::Node node = map[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) {
        if (required) {
            error(map, trf("missing required key '{}'", key));
        }
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        error(node, trf("'{}' must be a single value, not a list or mapping", key));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<util::Duration> YamlFile::duration(const YAML::Node& node,
                                                std::string_view what) const {
    if (!node.IsScalar()) {
        error(node, trf("{} must be a duration such as 30d, 6m or 3y", what));
        return std::nullopt;
    }
    auto parsed = util::parse_duration(node.Scalar());
    if (!parsed) {
        error(node, trf("{}: {}", what, parsed.error()));
        return std::nullopt;
    }
    return *parsed;
}

bool longer_than_max_term(const util::Duration& duration) {
    switch (duration.unit) {
        case util::Duration::Unit::days:
            return duration.count > k_max_term_years * 366;
        case util::Duration::Unit::months:
            return duration.count > k_max_term_years * 12;
        case util::Duration::Unit::years:
            return duration.count > k_max_term_years;
    }
    return false;
}

}  // namespace rbl::rules
