#pragma once
// The rule set: every domain's rule file in the rules folder (SPEC.md §3). Loading is strict and
// reports every problem in every file at once.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rbl::rules {

/// The type of a declared attribute.
enum class AttributeType { text, number, date, boolean };

/// "text", "number", "date" or "bool".
std::string_view to_string(AttributeType type);

/// An attribute a domain's records may carry beyond the standard columns.
struct Attribute {
    std::string name;
    AttributeType type = AttributeType::text;
};

/// One domain's rule file.
struct DomainRules {
    std::string domain;
    std::string title;
    std::string title_zh;
    std::string version;
    std::vector<Attribute> attributes;
    std::filesystem::path file;
    std::string text_sha256;  ///< hash of the file's text, recorded with every decision

    /// The declared attribute called `name`, or nullptr.
    [[nodiscard]] const Attribute* attribute(std::string_view name) const;
};

/// Every domain of a rules folder, by domain name.
class RuleSet {
public:
    /// Loads every `*.yaml` of `dir` except calendar.yaml. Throws InvalidConfig (exit 2) with
    /// every problem when any file is invalid, UsageError when the folder does not exist or holds
    /// no rule file.
    static RuleSet load(const std::filesystem::path& dir);

    /// The domain called `name`, or nullptr when no rule file defines it.
    [[nodiscard]] const DomainRules* domain(std::string_view name) const;
    [[nodiscard]] const std::map<std::string, DomainRules, std::less<>>& domains() const {
        return m_domains;
    }
    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
    std::map<std::string, DomainRules, std::less<>> m_domains;
};

}  // namespace rbl::rules
