#pragma once
// Strict reading of YAML documents with yaml-cpp: every problem becomes a Diagnostic with a
// 1-based line and column. Internal to lib/ (yaml-cpp types do not leave the library).

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <utility>
#include <string>
#include <string_view>

#include "rbl/rules/diagnostics.hpp"
#include "rbl/util/date.hpp"

namespace rbl::rules {

/// A configuration file may hold this many bytes (the shipped rule files hold a few KiB; a
/// records file given as --mapping by mistake is refused before it is read into memory).
inline constexpr std::uintmax_t k_max_yaml_bytes = std::uintmax_t{4} << 20;
/// A configuration file may nest this deep (criteria trees are a few levels; yaml-cpp itself
/// stops at 2000, with an obscure message).
inline constexpr int k_max_yaml_depth = 100;
/// A configuration file may hold this many YAML nodes, counting an alias each time it is used:
/// a "billion laughs" file of nested aliases would otherwise make the loader walk billions.
inline constexpr std::size_t k_max_yaml_nodes = 200000;

/// The longest term a rule file may give (validity, repair, publicity): dates beyond 9999-12-31
/// cannot be kept, and a term of 9999y made every entry expire at once (its end read back as no
/// date).
inline constexpr int k_max_term_years = 100;

/// True when moving a date forward by `duration` may go more than k_max_term_years ahead.
bool longer_than_max_term(const util::Duration& duration);

/// Reads one YAML file for strict checks, with the file's display name for messages.
class YamlFile {
public:
    YamlFile(const std::filesystem::path& path, Diagnostics& diagnostics);

    /// True when the file was read and parsed (its problems, if any, are in the diagnostics).
    [[nodiscard]] bool ok() const { return m_ok; }
    /// The document's root node; a null node when the file could not be read or parsed.
    [[nodiscard]] const YAML::Node& root() const { return m_root; }
    [[nodiscard]] const std::string& name() const { return m_name; }
    /// The file's bytes as read (for hashing the rule text).
    [[nodiscard]] const std::string& text() const { return m_text; }

    /// Adds a problem at the node's position.
    void error(const YAML::Node& node, std::string message) const;
    /// The 1-based line and column (in characters) where `needle` first occurs at or after the
    /// start of `node` in the file; the node's own position when it does not occur. Places an
    /// error inside a scalar that may span lines (block or quoted) or follow Chinese text.
    [[nodiscard]] std::pair<int, int> locate(const YAML::Node& node, std::string_view needle) const;
    /// Adds a problem at a 1-based line and column.
    void error_at(int line, int column, std::string message) const;
    /// Adds a problem at the file level.
    void error(std::string message) const;

    /// True when `node` is a map; otherwise reports "WHAT must be a mapping".
    bool expect_map(const YAML::Node& node, std::string_view what) const;
    /// Reports keys of the map not among `allowed`, and keys given twice.
    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed) const;
    /// Reports keys given twice in a map (yaml-cpp keeps only one of them).
    void check_duplicate_keys(const YAML::Node& map) const;
    /// The scalar `map[key]`; reports a missing required key or a non-scalar value.
    std::optional<std::string> scalar(const YAML::Node& map, std::string_view key,
                                      bool required) const;

    /// The duration `node` holds ("30d", "6m", "3y"); reports "WHAT must be a duration ..." or
    /// the reason it is not one.
    std::optional<util::Duration> duration(const YAML::Node& node, std::string_view what) const;

private:
    std::string m_name;
    std::string m_text;
    YAML::Node m_root;
    bool m_ok = false;
    Diagnostics& m_diagnostics;
};

}  // namespace rbl::rules
