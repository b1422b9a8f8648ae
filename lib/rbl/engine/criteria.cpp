#include "rbl/engine/criteria.hpp"

#include "rbl/util/json_line.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>

#include "rbl/ids/ids.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::engine {

SubjectFacts subject_facts(std::string subject_id, model::SubjectType type, std::string region) {
    SubjectFacts facts{std::move(subject_id), type, std::move(region), std::nullopt};
    if (type == model::SubjectType::natural_person) {
        facts.birth_date = ids::birth_date(facts.subject_id);
    }
    return facts;
}

namespace {

using rules::AttributeType;
using rules::Criterion;

// A count's or sum's bounds for --explain, in the interface's language ("needs ≥ 3").
std::string bound_text(const std::optional<std::string>& at_least,
                       const std::optional<std::string>& at_most) {
    return model::bounds(at_least, at_most, i18n::language());
}

template <typename T>
bool in_bounds(const T& value, const std::optional<T>& at_least, const std::optional<T>& at_most) {
    return (!at_least || !(value < *at_least)) && (!at_most || !(*at_most < value));
}

struct DecimalOrder {
    util::Decimal value;
    bool operator<(const DecimalOrder& other) const {
        return util::compare(value, other.value) < 0;
    }
};

// Exact sum; when the exact result does not fit, decimals are dropped (rounding half away from
// zero) until it does: totals compared with thresholds lose nothing that matters. A total whose
// whole part does not fit stays at the largest whole number of its sign.
util::Decimal add_to_total(const util::Decimal& a, const util::Decimal& b) {
    constexpr std::int64_t k_max = INT64_MAX;
    // Only two operands of one sign can overflow, so a's sign is the total's.
    return util::add(a, b).value_or(util::Decimal{a.mantissa < 0 ? -k_max : k_max, 0});
}

}  // namespace

void SubjectRecord::set_attributes(std::string_view attrs_json,
                                   const rules::DomainRules* domain_rules) {
    attributes.clear();
    // A flat object written by the importer; numbers keep their exact text (no double).
    auto fields = util::parse_json_line(attrs_json, {});
    if (!fields) {
        return;
    }
    for (util::JsonField& field : *fields) {
        AttributeValue attribute;
        const rules::Attribute* declared =
            domain_rules != nullptr ? domain_rules->attribute(field.name) : nullptr;
        attribute.type = declared != nullptr ? declared->type : AttributeType::text;
        switch (attribute.type) {
            case AttributeType::number:
                if (auto number = util::parse_decimal(field.value.text)) {
                    attribute.number = *number;
                } else {
                    continue;
                }
                break;
            case AttributeType::date:
                if (auto date = util::parse_iso_date(field.value.text)) {
                    attribute.date = *date;
                } else {
                    continue;
                }
                break;
            case AttributeType::boolean:
                if (field.value.type != util::JsonScalar::Type::boolean) {
                    continue;
                }
                attribute.flag = field.value.text == "true";
                break;
            case AttributeType::text:
                break;
        }
        attribute.name = std::move(field.name);
        attribute.text = std::move(field.value.text);
        attributes.push_back(std::move(attribute));
    }
}

Verdict CriteriaEvaluator::evaluate(const rules::ListRule& list, const Criterion& criterion,
                                    const SubjectFacts& subject,
                                    std::span<const SubjectRecord> records,
                                    std::span<const std::string> entries, util::Date as_of,
                                    std::span<const std::size_t> findings) {
    m_list = &list;
    m_findings = findings;
    m_schema = &m_rules.domain(list.domain)->record_schema;
    m_subject = &subject;
    m_records = records;
    m_entries = entries;
    m_as_of = as_of;
    Verdict verdict;
    std::vector<std::size_t> evidence;
    verdict.holds = eval(criterion, 0, verdict, evidence);
    if (m_tracing) {
        verdict.distance = verdict.trace.front().distance;
    }
    if (verdict.holds) {
        std::sort(evidence.begin(), evidence.end());
        evidence.erase(std::unique(evidence.begin(), evidence.end()), evidence.end());
        std::sort(evidence.begin(), evidence.end(), [&](std::size_t a, std::size_t b) {
            return records[a].record_id < records[b].record_id;
        });
        verdict.evidence = std::move(evidence);
    }
    return verdict;
}

bool CriteriaEvaluator::record_holds(const rules::ListRule& list,
                                     const rules::CompiledExpression& expression,
                                     const SubjectRecord& record, util::Date as_of) {
    m_list = &list;
    m_schema = &m_rules.domain(list.domain)->record_schema;
    m_as_of = as_of;
    return where_holds(expression, record);
}

bool CriteriaEvaluator::where_holds(const rules::CompiledExpression& where,
                                    const SubjectRecord& record) {
    load(record);
    return where.evaluate(m_values);
}

void CriteriaEvaluator::load(const SubjectRecord& record) {
    const auto fields = m_schema->fields();
    m_values.assign(fields.size(), rules::Value());
    m_values[rules::k_field_record_id] = rules::Value::text(record.record_id);
    m_values[rules::k_field_kind] = rules::Value::text(record.kind);
    m_values[rules::k_field_date] = rules::Value::date(record.date);
    if (record.amount) {
        m_values[rules::k_field_amount] = rules::Value::number(util::Decimal{*record.amount, 2});
    }
    if (record.authority) {
        m_values[rules::k_field_authority] = rules::Value::text(*record.authority);
    }
    if (record.region) {
        m_values[rules::k_field_region] = rules::Value::text(*record.region);
    }
    m_values[rules::k_field_domain] = rules::Value::text(record.domain);
    m_values[rules::k_field_as_of] = rules::Value::date(m_as_of);
    for (std::size_t slot = rules::k_standard_record_fields; slot < fields.size(); ++slot) {
        for (const AttributeValue& attribute : record.attributes) {
            if (attribute.name != fields[slot].name) {
                continue;
            }
            // A record of another domain exposes its attribute only when the types agree.
            if (attribute.type == fields[slot].type) {
                switch (attribute.type) {
                    case AttributeType::text:
                        m_values[slot] = rules::Value::text(attribute.text);
                        break;
                    case AttributeType::number:
                        m_values[slot] = rules::Value::number(attribute.number);
                        break;
                    case AttributeType::date:
                        m_values[slot] = rules::Value::date(attribute.date);
                        break;
                    case AttributeType::boolean:
                        m_values[slot] = rules::Value::boolean(attribute.flag);
                        break;
                }
            }
            break;
        }
    }
}

std::vector<std::size_t> CriteriaEvaluator::select(const rules::Selection& selection) {
    std::vector<std::size_t> selected;
    // Without `within`, every record up to as-of counts.
    const util::Date from = selection.within ? selection.within->before(m_as_of)
                                             : util::Date::from_serial(INT32_MIN);
    for (std::size_t i = 0; i < m_records.size(); ++i) {
        const SubjectRecord& record = m_records[i];
        if (record.date > m_as_of || record.date < from) {
            continue;
        }
        if (!selection.any_domain &&
            std::find(selection.domains.begin(), selection.domains.end(), record.domain) ==
                selection.domains.end()) {
            continue;
        }
        if (!selection.kinds.empty() &&
            std::find(selection.kinds.begin(), selection.kinds.end(), record.kind) ==
                selection.kinds.end()) {
            continue;
        }
        if (selection.where && !where_holds(*selection.where, record)) {
            continue;
        }
        selected.push_back(i);
    }
    return selected;
}

bool CriteriaEvaluator::listed(const Criterion& criterion) const {
    for (const std::string& id : m_entries) {
        if (!criterion.listed_list.empty()) {
            if (id == criterion.listed_list) {
                return true;
            }
            continue;
        }
        const rules::ListRule* other = m_rules.list(id);
        if (other != nullptr && other->kind == criterion.listed_kind &&
            (criterion.listed_domain == "any" || criterion.listed_domain == other->domain)) {
            return true;
        }
    }
    return false;
}

namespace {

// A record's value of a declared attribute as text, or nullopt when it has none.
std::optional<std::string_view> attribute_text(const SubjectRecord& record,
                                               std::string_view name) {
    for (const AttributeValue& attribute : record.attributes) {
        if (attribute.name == name) {
            return attribute.text.empty() ? std::nullopt
                                          : std::optional<std::string_view>(attribute.text);
        }
    }
    return std::nullopt;
}

}  // namespace

void CriteriaEvaluator::link(const Criterion& criterion, const std::vector<std::size_t>& answering,
                             std::vector<std::size_t>& answers,
                             std::vector<std::size_t>& unanswered) const {
    for (std::size_t finding : m_findings) {
        const auto value = attribute_text(m_records[finding], criterion.link_attribute);
        bool answered = false;
        // A finding without the attribute cannot be matched: it stays unanswered.
        for (std::size_t index : answering) {
            if (value && index != finding &&
                attribute_text(m_records[index], criterion.link_attribute) == value) {
                answers.push_back(index);
                answered = true;
            }
        }
        if (!answered) {
            unanswered.push_back(finding);
        }
    }
}

model::SelectionWords CriteriaEvaluator::selection_words(const rules::Selection& selection,
                                                        std::size_t count) const {
    model::SelectionWords words;
    words.count = count;
    words.kinds = selection.kinds;
    words.any_domain = selection.any_domain;
    if (!selection.any_domain &&
        (selection.domains.size() != 1 || selection.domains[0] != m_list->domain)) {
        words.domains = selection.domains.empty() ? std::vector<std::string>{"any"}
                                                  : selection.domains;
    }
    if (selection.within) {
        words.within = selection.within->text();
    }
    if (selection.where) {
        words.where = selection.where->text();
    }
    return words;
}

std::vector<std::string> CriteriaEvaluator::record_ids(
    const std::vector<std::size_t>& selected) const {
    std::vector<std::string> ids;
    for (std::size_t index : selected) {
        ids.push_back(m_records[index].record_id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool CriteriaEvaluator::eval(const Criterion& criterion, int depth, Verdict& verdict,
                             std::vector<std::size_t>& evidence) {
    // Tracing: this node's slot in verdict.trace, taken before its children's (pre-order).
    const std::size_t slot = verdict.trace.size();
    if (m_tracing) {
        CriterionTrace& trace = verdict.trace.emplace_back();
        trace.depth = depth;
        trace.type = criterion.type;
    }
    const auto traced = [&](bool holds, std::string text, double distance) {
        if (m_tracing) {
            CriterionTrace& trace = verdict.trace[slot];
            trace.holds = holds;
            trace.text = std::move(text);
            trace.distance = holds ? 0.0 : std::clamp(distance, 0.0, 1.0);
            m_last_distance = trace.distance;
        }
        return holds;
    };
    // The node's line: its clause, and the clause in English (the stored explanation).
    auto line = [&](model::Clause clause) {
        clause.depth = depth;
        const bool holds = clause.holds;
        verdict.explanation.push_back(model::words(clause, i18n::Language::en));
        verdict.held.push_back(holds);
        verdict.clauses.push_back(std::move(clause));
        return holds;
    };
    // What --explain shows of the node, in the interface's language.
    const auto summary = [](const model::Clause& clause) {
        return model::summary(clause, i18n::language());
    };
    switch (criterion.type) {
        case Criterion::Type::all:
        case Criterion::Type::any: {
            const bool all = criterion.type == Criterion::Type::all;
            const std::size_t at = verdict.explanation.size();
            verdict.explanation.emplace_back();
            verdict.held.push_back(false);
            verdict.clauses.emplace_back();
            std::vector<std::size_t> gathered;
            bool holds = all;
            double distance = all ? 0.0 : 1.0;
            for (const Criterion& child : criterion.children) {
                std::vector<std::size_t> child_evidence;
                const bool child_holds = eval(child, depth + 1, verdict, child_evidence);
                if (child_holds) {
                    gathered.insert(gathered.end(), child_evidence.begin(), child_evidence.end());
                }
                holds = all ? (holds && child_holds) : (holds || child_holds);
                // all: the hardest child decides (a `not` that holds for want of records
                // gives no credit); any: the easiest.
                distance = all ? std::max(distance, m_last_distance)
                               : std::min(distance, m_last_distance);
            }
            if (holds) {
                evidence.insert(evidence.end(), gathered.begin(), gathered.end());
            }
            model::Clause& group = verdict.clauses[at];
            group.kind = all ? model::Clause::Kind::all : model::Clause::Kind::any;
            group.depth = depth;
            group.holds = holds;
            verdict.explanation[at] = model::words(group, i18n::Language::en);
            verdict.held[at] = holds;
            return m_tracing ? traced(holds, summary(group), distance) : holds;
        }
        case Criterion::Type::negation: {
            const std::size_t at = verdict.explanation.size();
            verdict.explanation.emplace_back();
            verdict.held.push_back(false);
            verdict.clauses.emplace_back();
            std::vector<std::size_t> ignored;
            const bool holds = !eval(criterion.children.front(), depth + 1, verdict, ignored);
            model::Clause& negation = verdict.clauses[at];
            negation.kind = model::Clause::Kind::negation;
            negation.depth = depth;
            negation.holds = holds;
            verdict.explanation[at] = model::words(negation, i18n::Language::en);
            verdict.held[at] = holds;
            return m_tracing ? traced(holds, summary(negation), 1.0) : holds;
        }
        case Criterion::Type::exists: {
            const auto selected = select(criterion.selection);
            const bool holds = !selected.empty();
            if (holds) {
                evidence.insert(evidence.end(), selected.begin(), selected.end());
            }
            model::Clause clause;
            clause.kind = model::Clause::Kind::count;
            clause.holds = holds;
            clause.selection = selection_words(criterion.selection, selected.size());
            clause.at_least.emplace("1");
            clause.records = record_ids(selected);
            if (m_tracing) {
                CriterionTrace& trace = verdict.trace[slot];
                trace.figure = std::to_string(selected.size());
                trace.threshold = bound_text(clause.at_least, std::nullopt);
                trace.margin = holds ? trf("margin {}", selected.size() - 1) : trf("short by {}", 1);
                trace_records(criterion, trace);
                traced(holds, summary(clause), nearest_record(verdict, slot));
            }
            return line(std::move(clause));
        }
        case Criterion::Type::count: {
            const auto selected = select(criterion.selection);
            const auto count = static_cast<std::int64_t>(selected.size());
            const bool holds = in_bounds(count, criterion.count_at_least, criterion.count_at_most);
            if (holds) {
                evidence.insert(evidence.end(), selected.begin(), selected.end());
            }
            const auto text = [](const std::optional<std::int64_t>& bound) {
                return bound ? std::optional(std::to_string(*bound)) : std::nullopt;
            };
            model::Clause clause;
            clause.kind = model::Clause::Kind::count;
            clause.holds = holds;
            clause.selection = selection_words(criterion.selection, selected.size());
            clause.at_least = text(criterion.count_at_least);
            clause.at_most = text(criterion.count_at_most);
            clause.records = record_ids(selected);
            double distance = 1.0;
            if (m_tracing) {
                CriterionTrace& trace = verdict.trace[slot];
                trace.figure = std::to_string(count);
                trace.threshold = bound_text(clause.at_least, clause.at_most);
                const auto& low = criterion.count_at_least;
                const auto& high = criterion.count_at_most;
                trace_records(criterion, trace);
                if (low && count < *low) {
                    trace.margin = trf("short by {}", *low - count);
                    // Each missing record counts 1, less what the nearest one lacks.
                    distance = (static_cast<double>(*low - count) - 1.0 +
                                nearest_record(verdict, slot)) /
                               static_cast<double>(*low);
                } else if (high && count > *high) {
                    trace.margin = trf("over by {}", count - *high);
                    distance = static_cast<double>(count - *high) / static_cast<double>(count);
                } else if (low) {
                    trace.margin = trf("margin {}", count - *low);
                } else if (high) {
                    trace.margin = trf("margin {}", *high - count);
                }
                traced(holds, summary(clause), distance);
            }
            return line(std::move(clause));
        }
        case Criterion::Type::sum: {
            const auto selected = select(criterion.selection);
            util::Decimal total{0, 0};
            std::vector<std::size_t> counted;
            for (std::size_t index : selected) {
                const SubjectRecord& record = m_records[index];
                std::optional<util::Decimal> value;
                if (criterion.sum_slot == rules::k_field_amount) {
                    if (record.amount) {
                        value = util::Decimal{*record.amount, 2};
                    }
                } else {
                    for (const AttributeValue& attribute : record.attributes) {
                        if (attribute.name == criterion.sum_field &&
                            attribute.type == AttributeType::number) {
                            value = attribute.number;
                        }
                    }
                }
                if (value) {  // nulls are skipped
                    total = add_to_total(total, *value);
                    counted.push_back(index);
                }
            }
            const auto as_order = [](const std::optional<util::Decimal>& bound) {
                return bound ? std::optional(DecimalOrder{*bound}) : std::nullopt;
            };
            const bool holds = in_bounds(DecimalOrder{total}, as_order(criterion.sum_at_least),
                                         as_order(criterion.sum_at_most));
            if (holds) {
                evidence.insert(evidence.end(), selected.begin(), selected.end());
            }
            const auto text = [](const std::optional<util::Decimal>& bound) {
                return bound ? std::optional(bound->text()) : std::nullopt;
            };
            model::Clause clause;
            clause.kind = model::Clause::Kind::sum;
            clause.holds = holds;
            clause.selection = selection_words(criterion.selection, selected.size());
            clause.field = criterion.sum_field;
            clause.total = total.text();
            clause.at_least = text(criterion.sum_at_least);
            clause.at_most = text(criterion.sum_at_most);
            clause.records = record_ids(selected);
            if (m_tracing) {
                double distance = 1.0;
                CriterionTrace& trace = verdict.trace[slot];
                trace.figure = total.text();
                trace.threshold = bound_text(clause.at_least, clause.at_most);
                const auto& low = criterion.sum_at_least;
                const auto& high = criterion.sum_at_most;
                const auto difference = [](const util::Decimal& a, const util::Decimal& b) {
                    return util::subtract(a, b).value_or(util::Decimal{0, 0});
                };
                // The relative shortfall, as a double: only for ordering near misses.
                const auto ratio = [](const util::Decimal& part, const util::Decimal& whole) {
                    const double denominator = std::stod(whole.text());
                    return denominator > 0 ? std::stod(part.text()) / denominator : 1.0;
                };
                if (low && util::compare(total, *low) < 0) {
                    trace.margin = trf("short by {}", difference(*low, total).text());
                    distance = ratio(difference(*low, total), *low);
                } else if (high && util::compare(total, *high) > 0) {
                    trace.margin = trf("over by {}", difference(total, *high).text());
                    distance = ratio(difference(total, *high), total);
                } else if (low) {
                    trace.margin = trf("margin {}", difference(total, *low).text());
                } else if (high) {
                    trace.margin = trf("margin {}", difference(*high, total).text());
                }
                trace_records(criterion, trace);
                traced(holds, summary(clause), distance);
            }
            return line(std::move(clause));
        }
        case Criterion::Type::subject: {
            std::array<rules::Value, rules::k_subject_fields> values = {
                rules::Value::text(model::to_string(m_subject->subject_type)),
                rules::Value::text(m_subject->subject_id),
                rules::Value::text(m_subject->region), rules::Value::date(m_as_of)};
            if (m_subject->birth_date) {
                values[rules::k_field_subject_birth_date] =
                    rules::Value::date(*m_subject->birth_date);
                if (const auto age = ids::age_on(*m_subject->birth_date, m_as_of)) {
                    values[rules::k_field_subject_age] =
                        rules::Value::number(util::Decimal{*age, 0});
                }
            }
            const bool holds = criterion.subject_expression->evaluate(values);
            const auto& used = criterion.subject_expression->fields_used();
            // The age is shown where it is a person's; for others the expression's own words
            // (subject_type) tell why it held.
            const bool shows_age =
                std::find(used.begin(), used.end(), rules::k_field_subject_age) != used.end() &&
                m_subject->subject_type == model::SubjectType::natural_person;
            const auto& age = values[rules::k_field_subject_age];
            model::Clause clause;
            clause.kind = model::Clause::Kind::subject;
            clause.holds = holds;
            clause.expression = criterion.subject_expression->text();
            clause.shows_age = shows_age;
            if (shows_age && !age.is_null()) {
                clause.age = age.mantissa();
            }
            if (m_tracing) {
                traced(holds, summary(clause), 1.0);
            }
            return line(std::move(clause));
        }
        case Criterion::Type::listed: {
            const bool holds = listed(criterion);
            model::Clause clause;
            clause.kind = model::Clause::Kind::listed;
            clause.holds = holds;
            clause.listed_list = criterion.listed_list;
            if (criterion.listed_list.empty()) {
                clause.listed_kind = std::string(model::to_string(*criterion.listed_kind));
                clause.listed_domain = criterion.listed_domain;
            }
            if (m_tracing) {
                traced(holds, summary(clause), 1.0);
            }
            return line(std::move(clause));
        }
        case Criterion::Type::linked: {
            const auto answering = select(criterion.selection);
            std::vector<std::size_t> answers;
            std::vector<std::size_t> unanswered;
            link(criterion, answering, answers, unanswered);
            // No finding, nothing to answer: a lift by performance needs something performed.
            const bool holds = !m_findings.empty() && unanswered.empty();
            if (holds) {
                evidence.insert(evidence.end(), answers.begin(), answers.end());
            }
            const std::size_t findings = m_findings.size();
            const std::size_t answered = findings - unanswered.size();
            model::Clause clause;
            clause.kind = model::Clause::Kind::linked;
            clause.holds = holds;
            clause.selection = selection_words(criterion.selection, answering.size());
            clause.findings = findings;
            clause.link_attribute = criterion.link_attribute;
            clause.records = record_ids(answers);
            clause.unanswered = record_ids(unanswered);
            if (m_tracing) {
                CriterionTrace& trace = verdict.trace[slot];
                trace.figure = std::to_string(answered);
                trace.threshold = trf("needs {} (every finding)", findings);
                trace.margin =
                    holds ? trf("margin {}", 0)
                          : trf("short by {}", findings == 0 ? std::size_t{1} : unanswered.size());
                trace_records(criterion, trace);
                traced(holds, summary(clause),
                       findings == 0 ? 1.0
                                     : static_cast<double>(unanswered.size()) /
                                           static_cast<double>(findings));
            }
            return line(std::move(clause));
        }
    }
    return false;
}

double CriteriaEvaluator::nearest_record(const Verdict& verdict, std::size_t slot) const {
    if (!m_tracing) {
        return 1.0;
    }
    // Of the records not taken, the one that came closest: the smallest share of `where`'s
    // parts it fails (1 when none is in the window).
    double nearest = 1.0;
    for (const ConsideredRecord& record : verdict.trace[slot].records) {
        if (record.taken || record.checks.empty()) {
            continue;  // taken, or outside the window
        }
        const auto failed = std::count_if(record.checks.begin(), record.checks.end(),
                                          [](const RecordCheck& c) { return !c.holds; });
        nearest = std::min(nearest, static_cast<double>(std::max<std::ptrdiff_t>(failed, 1)) /
                                        static_cast<double>(record.checks.size()));
    }
    return nearest;
}

const std::vector<rules::CompiledExpression>& CriteriaEvaluator::where_parts(
    const rules::Selection& selection) {
    for (const auto& [of, parts] : m_where_parts) {
        if (of == &selection) {
            return parts;
        }
    }
    std::vector<rules::CompiledExpression> parts;
    const auto texts = rules::top_level_conjuncts(selection.where->text());
    for (const std::string& text : texts) {
        auto part = rules::compile(text, *m_schema);
        if (!part || texts.size() == 1) {
            parts.assign(1, *selection.where);
            break;
        }
        parts.push_back(std::move(*part));
    }
    m_where_parts.emplace_back(&selection, std::move(parts));
    return m_where_parts.back().second;
}

std::string CriteriaEvaluator::value_text(int slot) const {
    const rules::Value& value = m_values[static_cast<std::size_t>(slot)];
    switch (value.type()) {
        case rules::ValueType::text:
            return std::string(value.as_text());
        case rules::ValueType::number:
            return value.as_number().text();
        case rules::ValueType::date:
            return value.as_date().iso();
        case rules::ValueType::boolean:
            return value.as_bool() ? "true" : "false";
        case rules::ValueType::null:
            break;
    }
    return "(none)";
}

namespace {

std::string_view op_sign(std::string_view op) {
    if (op == ">=") {
        return "≥";
    }
    if (op == "<=") {
        return "≤";
    }
    if (op == "==") {
        return "=";
    }
    if (op == "!=") {
        return "≠";
    }
    return op;
}

// "short by 1", "margin 2": how far `value` is from meeting `op constant`, for numbers and
// dates (in days); empty for other types.
std::string comparison_margin(const rules::Value& value, std::string_view op,
                              const rules::Value& constant, bool holds) {
    if (value.is_null() || value.type() != constant.type() || op == "==" || op == "!=") {
        return "";
    }
    std::string distance;  // |value - constant|
    bool zero = false;
    if (value.type() == rules::ValueType::number) {
        const auto difference = util::subtract(value.as_number(), constant.as_number());
        if (!difference) {
            return "";
        }
        const util::Decimal absolute =
            difference->mantissa < 0 ? util::negate(*difference).value_or(*difference)
                                     : *difference;
        zero = absolute.mantissa == 0;
        distance = absolute.text();
    } else if (value.type() == rules::ValueType::date) {
        const auto days = value.as_date().serial() - constant.as_date().serial();
        zero = days == 0;
        const auto magnitude = static_cast<std::uint64_t>(days < 0 ? -days : days);
        distance = trnf("{} day", "{} days", magnitude, magnitude);
    } else {
        return "";
    }
    if (holds) {
        return trf("margin {}", distance);
    }
    const bool needs_more = op == ">=" || op == ">";
    const bool strict = op == ">" || op == "<";
    if (zero) {
        return needs_more ? tr("at the bound, needs more") : tr("at the bound, needs less");
    }
    if (needs_more) {
        return strict ? trf("short by more than {}", distance) : trf("short by {}", distance);
    }
    return strict ? trf("over by more than {}", distance) : trf("over by {}", distance);
}

}  // namespace

RecordCheck CriteriaEvaluator::check(const rules::CompiledExpression& part) {
    RecordCheck result;
    result.test = part.text();
    result.holds = part.evaluate(m_values);
    const auto fields = m_schema->fields();
    std::vector<std::string> figures;
    for (int slot : part.fields_used()) {
        figures.push_back(
            fmt::format("{} = {}", fields[static_cast<std::size_t>(slot)].name, value_text(slot)));
    }
    result.figure = fmt::format("{}", fmt::join(figures, ", "));
    if (const auto comparison = part.comparison()) {
        const rules::Value constant = comparison->constant;
        std::string wanted;
        switch (constant.type()) {
            case rules::ValueType::text:
                wanted = fmt::format("'{}'", constant.as_text());
                break;
            case rules::ValueType::number:
                wanted = constant.as_number().text();
                break;
            case rules::ValueType::date:
                wanted = constant.as_date().iso();
                break;
            case rules::ValueType::boolean:
                wanted = constant.as_bool() ? "true" : "false";
                break;
            case rules::ValueType::null:
                wanted = "null";
                break;
        }
        result.margin = trf("needs {} {}", op_sign(comparison->op), wanted);
        const std::string margin =
            comparison_margin(m_values[static_cast<std::size_t>(comparison->slot)],
                              comparison->op, constant, result.holds);
        if (!margin.empty()) {
            result.margin = trf("{}, {}", result.margin, margin);
        }
    }
    return result;
}

void CriteriaEvaluator::trace_records(const Criterion& criterion, CriterionTrace& trace) {
    const rules::Selection& selection = criterion.selection;
    const util::Date from = selection.within ? selection.within->before(m_as_of)
                                             : util::Date::from_serial(INT32_MIN);
    const auto fields = m_schema->fields();
    std::vector<int> used;
    if (selection.where) {
        used = selection.where->fields_used();
    }
    if (criterion.type == Criterion::Type::sum && criterion.sum_slot >= 0 &&
        std::find(used.begin(), used.end(), criterion.sum_slot) == used.end()) {
        used.push_back(criterion.sum_slot);
    }
    for (std::size_t i = 0; i < m_records.size(); ++i) {
        const SubjectRecord& record = m_records[i];
        if (record.date > m_as_of ||
            (!selection.any_domain &&
             std::find(selection.domains.begin(), selection.domains.end(), record.domain) ==
                 selection.domains.end()) ||
            (!selection.kinds.empty() &&
             std::find(selection.kinds.begin(), selection.kinds.end(), record.kind) ==
                 selection.kinds.end())) {
            continue;
        }
        ConsideredRecord considered;
        considered.index = i;
        load(record);
        for (int slot : used) {
            considered.attributes.emplace_back(fields[static_cast<std::size_t>(slot)].name,
                                               value_text(slot));
        }
        if (record.date < from) {
            considered.why_not =
                trf("outside the window of {} (from {})",
                    model::window_words(selection.within->text(), i18n::language()), from.iso());
        } else {
            considered.taken = true;
            if (selection.where) {
                for (const rules::CompiledExpression& part : where_parts(selection)) {
                    considered.checks.push_back(check(part));
                }
                considered.taken = selection.where->evaluate(m_values);
                if (!considered.taken) {
                    considered.why_not = tr("where fails");
                }
            }
        }
        trace.records.push_back(std::move(considered));
    }
}

std::optional<RecordNeed> RecordNeed::of(const Criterion& criterion) {
    switch (criterion.type) {
        case Criterion::Type::exists:
            return RecordNeed{{&criterion.selection}};
        case Criterion::Type::count:
            if (criterion.count_at_least && *criterion.count_at_least >= 1) {
                return RecordNeed{{&criterion.selection}};
            }
            return std::nullopt;
        case Criterion::Type::sum:
            // The sum of no records is 0.
            if (criterion.sum_at_least &&
                util::compare(*criterion.sum_at_least, util::Decimal{0, 0}) > 0) {
                return RecordNeed{{&criterion.selection}};
            }
            return std::nullopt;
        case Criterion::Type::all:
            // Every child must hold: the need of any one child will do.
            for (const Criterion& child : criterion.children) {
                if (auto need = of(child)) {
                    return need;
                }
            }
            return std::nullopt;
        case Criterion::Type::any: {
            // One child must hold: a need only when every child has one, and then any of them.
            RecordNeed need;
            for (const Criterion& child : criterion.children) {
                const auto child_need = of(child);
                if (!child_need) {
                    return std::nullopt;
                }
                need.selections.insert(need.selections.end(), child_need->selections.begin(),
                                       child_need->selections.end());
            }
            if (need.selections.empty()) {
                return std::nullopt;
            }
            return need;
        }
        case Criterion::Type::negation:
        case Criterion::Type::subject:
        case Criterion::Type::listed:
        case Criterion::Type::linked:
            break;
    }
    return std::nullopt;
}

bool RecordNeed::met_by(std::span<const SubjectRecord> records) const {
    const auto takes = [](const rules::Selection& selection, const SubjectRecord& record) {
        return (selection.any_domain ||
                std::find(selection.domains.begin(), selection.domains.end(), record.domain) !=
                    selection.domains.end()) &&
               (selection.kinds.empty() ||
                std::find(selection.kinds.begin(), selection.kinds.end(), record.kind) !=
                    selection.kinds.end());
    };
    return std::any_of(records.begin(), records.end(), [&](const SubjectRecord& record) {
        return std::any_of(selections.begin(), selections.end(),
                           [&](const rules::Selection* selection) {
                               return takes(*selection, record);
                           });
    });
}

}  // namespace rbl::engine
