#pragma once
// The rule set: every domain's rule file in the rules folder (SPEC.md §3). Loading is strict and
// reports every problem in every file at once.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/rules/attribute_type.hpp"
#include "rbl/rules/expression.hpp"
#include "rbl/rules/list_rule.hpp"
#include "rbl/rules/publicity.hpp"

namespace rbl::rules {

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
    std::vector<ListRule> lists;
    /// `publicity:`: which of its records are published and for how long (none: no record of
    /// this domain is published).
    std::optional<model::PublicityTerms> publicity;
    std::vector<PublicityTest> publicity_tests;
    /// The fields `where:` expressions of this domain may name: the standard record fields in
    /// the slots of RecordField, then the declared attributes in their order.
    Schema record_schema;
    std::filesystem::path file;
    std::string text_sha256;  ///< hash of the file's text, recorded with every decision

    /// The declared attribute called `name`, or nullptr.
    [[nodiscard]] const Attribute* attribute(std::string_view name) const;
};

/// The slots of the standard record fields in every domain's record schema.
enum RecordField : int {
    k_field_record_id,
    k_field_kind,
    k_field_date,
    k_field_amount,
    k_field_authority,
    k_field_region,
    k_field_domain,
    k_field_as_of,  ///< the run's as-of date (the decision date when an entry is re-checked)
    k_standard_record_fields,
};

/// The slots of the fields `subject:` expressions may name.
enum SubjectField : int {
    k_field_subject_type,
    k_field_subject_id,
    k_field_subject_region,
    k_field_subject_as_of,       ///< the day the criteria are evaluated for
    k_field_subject_birth_date,  ///< a natural person's, from the resident ID; else null
    k_field_subject_age,         ///< completed years (周岁) on as_of; null without a birth date
    k_subject_fields,
};

/// The schema of `subject:` expressions: subject_type, subject_id, region, as_of, birth_date,
/// age.
const Schema& subject_schema();

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
    /// Every list of every domain, in evaluation order: a list comes after every list its
    /// `listed` criteria can see.
    [[nodiscard]] const std::vector<const ListRule*>& lists() const { return m_order; }
    /// The list with this id, or nullptr.
    [[nodiscard]] const ListRule* list(std::string_view id) const;
    /// The list with this id, named on the command line. Throws UsageError ("there is no list
    /// 'ID'") when there is none (so that a call can also serve as the check alone).
    const ListRule& known_list(std::string_view id) const;
    /// Every department a measure of a list names, in name order: those a --department may
    /// name (SPEC.md §3, `measures: ... departments:`).
    [[nodiscard]] std::set<std::string, std::less<>> departments() const;
    /// SHA-256 over every rule file's hash, in name order: names the whole rule set in a run.
    [[nodiscard]] const std::string& sha256() const { return m_sha256; }

private:
    std::filesystem::path m_dir;
    std::map<std::string, DomainRules, std::less<>> m_domains;
    std::vector<const ListRule*> m_order;
    std::string m_sha256;
};

}  // namespace rbl::rules
