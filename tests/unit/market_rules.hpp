#pragma once
// A small rule set for the tests of whole runs (adjudication, import): one domain, market, with
// a black list and a red list, and a calendar of weekends only.
//
// market.black.repeat: two penalties within 3 years list a legal or natural person; 5 working
// days of notice, 3 of publicity, in force for 1 year; one measure, for 江苏省财政厅.
// market.red.honest: an award within 1 year, and no black entry; no notice or publicity, in force
// for 1 year from the decision.

#include <string>

#include "rbl/rules/calendar.hpp"
#include "rbl/rules/rule_set.hpp"
#include "temp_dir.hpp"

namespace rbl::test {

inline constexpr const char* k_market_yaml = R"yaml(domain: market
title: Market regulation
title_zh: 市场监管
version: "2026.1"
attributes:
  category: text
  fine_level: number
lists:
  - id: market.black.repeat
    kind: black
    title: Repeated penalties
    title_zh: 多次行政处罚
    basis: Order 44, Art. 5
    authority: 江苏省市场监督管理局
    subjects: [legal_person, natural_person]
    criteria:
      count: { kind: penalty, within: 3y }
      at_least: 2
    validity: 1y
    procedure:
      notice_days: 5
      publicity_days: 3
      appeal_days: 5
    measures:
      - id: restrict_procurement
        text_zh: 限制参与政府采购活动
        departments: [江苏省财政厅]
  - id: market.red.honest
    kind: red
    title: Honest traders
    title_zh: 诚信经营者
    basis: Order 12
    authority: 江苏省市场监督管理局
    subjects: [legal_person]
    criteria:
      all:
        - exists: { kind: award, within: 1y }
        - not: { listed: { kind: black } }
    validity: 1y
)yaml";

/// Writes the market rules into `dir`/rules and loads them.
inline rules::RuleSet market_rules(const TempDir& dir) {
    dir.write("rules/market.yaml", k_market_yaml);
    return rules::RuleSet::load(dir.path() / "rules");
}

/// Saturdays and Sundays off, no holidays.
inline rules::Calendar weekends_only() {
    return rules::Calendar::from_lists({rules::Weekday::sat, rules::Weekday::sun}, {}, {});
}

}  // namespace rbl::test
