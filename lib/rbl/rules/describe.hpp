#pragma once
// Rules in plain words, in English or Chinese: for `rbl-rules show` and the criteria document
// that an office publishes for public comment (`rbl-rules doc`).

#include <filesystem>
#include <string>
#include <vector>

#include "rbl/rules/list_rule.hpp"
#include "rbl/rules/rule_set.hpp"

namespace rbl::rules {

/// The language of a description.
enum class Language { en, zh };

/// The criteria tree as indented lines ("- any of:", "  - at least 3 penalty records within 1
/// year where severity == 'serious'").
std::vector<std::string> describe_criterion(const Criterion& criterion, Language language);

/// A duration in words: "3 years", "3年".
std::string describe_duration(const util::Duration& duration, Language language);

/// How a subject leaves the list: expiry, lift, repair.
std::vector<std::string> describe_exit(const ListRule& list, Language language);

/// The whole list as Markdown: basis, department, subjects, criteria, terms, exit, measures.
std::string list_markdown(const ListRule& list, Language language);

/// Every list of the rule set as one Markdown document, in both languages.
std::string rules_markdown(const RuleSet& rules);

/// Writes rules_markdown(rules) to the file `out`. Throws UsageError when its folder does not
/// exist, FailedError when it cannot be written.
void write_rules_markdown(const RuleSet& rules, const std::filesystem::path& out);

}  // namespace rbl::rules
