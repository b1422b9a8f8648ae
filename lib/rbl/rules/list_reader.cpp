#include "rbl/rules/list_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "rbl/model/end_reason.hpp"
#include "rbl/model/entry_state.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::rules {

namespace {

constexpr int k_max_criteria_depth = 64;
// Characters of an expression quoted in an error message; a longer one is cut with "…".
constexpr std::size_t k_expression_quoted = 80;

SourceSpot spot_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    return SourceSpot{mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
}

// True when `criterion` can give evidence: it selects records (exists, count, sum) other than
// under `not`, whose records never are evidence.
bool gives_evidence(const Criterion& criterion) {
    switch (criterion.type) {
        case Criterion::Type::exists:
        case Criterion::Type::count:
        case Criterion::Type::sum:
            return true;
        case Criterion::Type::all:
        case Criterion::Type::any:
            return std::any_of(criterion.children.begin(), criterion.children.end(),
                               [](const Criterion& child) { return gives_evidence(child); });
        case Criterion::Type::negation:
        case Criterion::Type::subject:
        case Criterion::Type::listed:
        case Criterion::Type::linked:
            break;
    }
    return false;
}

// Reads one list's or one domain's fields with the file's diagnostics at hand.
class ListReader {
public:
    ListReader(const YamlFile& file, DomainRules& domain) : m_file(file), m_domain(domain) {}

    std::optional<ListRule> list(const YAML::Node& node);

private:
    std::optional<Criterion> criterion(const YAML::Node& node, int depth);
    std::optional<std::string_view> criterion_kind(const YAML::Node& node, Criterion& out);
    bool children(std::string_view kind, const YAML::Node& body, int depth, Criterion& out);
    bool count(const YAML::Node& node, const YAML::Node& body, Criterion& out);
    bool sum(const YAML::Node& node, const YAML::Node& body, Criterion& out);
    bool selection(const YAML::Node& node, Selection& out, bool field_allowed = false);
    std::optional<YAML::Node> sum_field(const YAML::Node& node, const YAML::Node& body);
    std::optional<CompiledExpression> expression(const YAML::Node& node, const Schema& schema);
    std::optional<util::Duration> duration(const YAML::Node& node, std::string_view what);
    std::optional<std::int64_t> whole_number(const YAML::Node& node, std::string_view what);
    std::optional<util::Decimal> decimal(const YAML::Node& node, std::string_view what);
    std::vector<std::string> names(const YAML::Node& node, std::string_view what);
    bool listed(const YAML::Node& node, Criterion& out);
    bool linked(const YAML::Node& node, Criterion& out);
    void term(const YAML::Node& node, TermRule& out);
    std::optional<util::Duration> term_length(const YAML::Node& node, std::string_view what);
    void procedure(const YAML::Node& node, Procedure& out);
    void repair(const YAML::Node& node, RepairTerms& out);
    void repair_conditions(const YAML::Node& node, RepairTerms& out);
    void measures(const YAML::Node& node, std::vector<Measure>& out);
    void tests(const YAML::Node& node, std::vector<RuleTest>& out);
    std::optional<RuleTest> test(const YAML::Node& node);
    void test_records(const YAML::Node& node, std::vector<TestRecord>& out);
    void test_steps(const YAML::Node& node, std::vector<TestStep>& out);
    std::optional<TestStep> test_step(const YAML::Node& node);
    std::optional<util::Date> test_date(const YAML::Node& map, std::string_view key,
                                        bool required);
    std::optional<std::optional<util::Date>> test_expiry(const YAML::Node& map);

    const YamlFile& m_file;
    DomainRules& m_domain;
    /// Where a `linked` criterion may stand: inside `lift:`, of a list whose criteria give
    /// evidence (set by list() while it reads the lift).
    bool m_in_lift = false;
    bool m_has_evidence = false;
};


std::optional<util::Duration> ListReader::duration(const YAML::Node& node, std::string_view what) {
    return m_file.duration(node, what);
}

std::optional<std::int64_t> ListReader::whole_number(const YAML::Node& node,
                                                     std::string_view what) {
    auto parsed = node.IsScalar() ? util::parse_decimal(node.Scalar())
                                  : Result<util::Decimal>(fail(tr("not a number")));
    if (!parsed || parsed->scale != 0 || parsed->mantissa < 0) {
        m_file.error(node, trf("{} must be a whole number of 0 or more", what));
        return std::nullopt;
    }
    return parsed->mantissa;
}

std::optional<util::Decimal> ListReader::decimal(const YAML::Node& node, std::string_view what) {
    auto parsed = node.IsScalar() ? util::parse_decimal(node.Scalar())
                                  : Result<util::Decimal>(fail(tr("not a number")));
    if (!parsed) {
        m_file.error(node, trf("{} must be a number, e.g. 1000000 or 12.5", what));
        return std::nullopt;
    }
    return *parsed;
}

std::vector<std::string> ListReader::names(const YAML::Node& node, std::string_view what) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
        out.push_back(node.Scalar());
    } else if (node.IsSequence()) {
        for (const auto& item : node) {
            if (!item.IsScalar()) {
                m_file.error(item, trf("{} must be a name or a list of names", what));
                continue;
            }
            out.push_back(item.Scalar());
        }
        if (out.empty()) {
            m_file.error(node, trf("{} is an empty list", what));
        }
    } else {
        m_file.error(node, trf("{} must be a name or a list of names", what));
    }
    return out;
}

std::optional<CompiledExpression> ListReader::expression(const YAML::Node& node,
                                                         const Schema& schema) {
    if (!node.IsScalar()) {
        m_file.error(node, tr("an expression must be text, e.g. \"severity == 'serious'\""));
        return std::nullopt;
    }
    auto compiled = compile(node.Scalar(), schema);
    if (!compiled) {
        // The rest of the expression's line from the error on is found in the file's text, so
        // the position is right for scalars that span lines and after Chinese text.
        const std::string& text = node.Scalar();
        const std::size_t offset = std::min(compiled.error().offset, text.size());
        const std::size_t line_end = text.find('\n', offset);
        const std::string_view rest =
            std::string_view(text).substr(offset, line_end == std::string::npos
                                                      ? std::string::npos
                                                      : line_end - offset);
        const auto [line, column] = m_file.locate(node, rest);
        m_file.error_at(line, column,
                        trf("in expression \"{}\": {}", util::abbreviate(text, k_expression_quoted),
                            compiled.error().message));
        return std::nullopt;
    }
    return *compiled;
}

bool ListReader::selection(const YAML::Node& node, Selection& out, bool field_allowed) {
    if (!m_file.expect_map(node, tr("a record selection"))) {
        return false;
    }
    // `field` is read by sum_field(); here it is only let through for a sum.
    m_file.check_keys(node, {"kind", "within", "where", "domain", "field"});
    if (node["field"] && !field_allowed) {
        m_file.error(node["field"], tr("field belongs with sum"));
    }
    if (const YAML::Node kind = node["kind"]; kind) {
        out.kinds = names(kind, "kind");
    }
    if (const YAML::Node within = node["within"]; within) {
        out.within = duration(within, "within");
    }
    if (const YAML::Node domain = node["domain"]; domain) {
        const auto domains = names(domain, "domain");
        if (domains.size() == 1 && domains[0] == "any") {
            out.any_domain = true;
        } else {
            out.domains = domains;
        }
    } else {
        out.domains = {m_domain.domain};
    }
    if (const YAML::Node where = node["where"]; where) {
        out.where = expression(where, m_domain.record_schema);
    }
    return true;
}

bool ListReader::listed(const YAML::Node& node, Criterion& out) {
    if (!m_file.expect_map(node, "listed")) {
        return false;
    }
    m_file.check_keys(node, {"kind", "domain", "list"});
    if (const YAML::Node list = node["list"]; list) {
        out.listed_list = list.Scalar();
        if (node["kind"] || node["domain"]) {
            m_file.error(node, tr("listed: give either list, or kind and domain"));
        }
        return true;
    }
    const YAML::Node kind = node["kind"];
    if (!kind) {
        m_file.error(node, tr("listed needs kind (black or red), or list: LIST_ID"));
        return false;
    }
    out.listed_kind = model::parse_list_kind(kind.Scalar());
    if (!out.listed_kind) {
        m_file.error(kind, trf("kind '{}' is not black or red", kind.Scalar()));
    }
    out.listed_domain = node["domain"] ? node["domain"].Scalar() : "any";
    return true;
}

// `linked: { kind: performed, on: case_no, within: …, where: … }` (docs/RULES.md): holds when
// every finding (evidence record of the entry) is answered by a selected record with the same
// value of `on`.
bool ListReader::linked(const YAML::Node& node, Criterion& out) {
    if (!m_file.expect_map(node, "linked")) {
        return false;
    }
    m_file.check_keys(node, {"kind", "within", "where", "on"});
    bool ok = true;
    if (!m_in_lift) {
        m_file.error(node, tr("linked belongs in lift: it matches records to the findings of an "
                              "entry, and criteria have no entry yet"));
        ok = false;
    } else if (!m_has_evidence) {
        m_file.error(node, tr("linked has no findings to link to: the list's criteria select no "
                              "records (only subject or listed tests)"));
        ok = false;
    }
    if (const YAML::Node kind = node["kind"]; kind) {
        out.selection.kinds = names(kind, "kind");
    }
    if (const YAML::Node within = node["within"]; within) {
        out.selection.within = duration(within, "within");
    }
    out.selection.domains = {m_domain.domain};
    if (const YAML::Node where = node["where"]; where) {
        out.selection.where = expression(where, m_domain.record_schema);
    }
    const YAML::Node on = node["on"];
    if (!on) {
        m_file.error(node, tr("linked needs on: the attribute a record shares with the finding it "
                              "answers, e.g. case_no"));
        return false;
    }
    if (!on.IsScalar()) {
        m_file.error(on, tr("on must be the name of a declared attribute"));
        return false;
    }
    out.link_attribute = on.Scalar();
    if (m_domain.attribute(out.link_attribute) == nullptr) {
        m_file.error(on, trf("on: '{}' is not an attribute declared in domain {}",
                             out.link_attribute, m_domain.domain));
        ok = false;
    }
    return ok;
}

// SPEC.md §3's table writes a sum's `field:` beside `at_least:`, its example inside the
// selection (`sum: { kind: penalty, within: 3y, field: amount }`): either is accepted, not both.
// Returns the field's node, or nullopt after reporting why there is none.
std::optional<YAML::Node> ListReader::sum_field(const YAML::Node& node, const YAML::Node& body) {
    const YAML::Node beside = node["field"];
    const YAML::Node inside = body.IsMap() ? body["field"] : YAML::Node();
    if (beside && inside) {
        const SourceSpot first = spot_of(inside);
        m_file.error(beside, trf("sum has field twice: inside the selection (line {}, "
                                 "column {}) and beside it; give it once",
                                 first.line, first.column));
        return std::nullopt;
    }
    if (!beside && !inside) {
        m_file.error(node,
                     tr("sum needs field: (amount or a number attribute), inside the selection "
                        "or beside at_least"));
        return std::nullopt;
    }
    const YAML::Node field = beside ? beside : inside;
    if (!field.IsScalar()) {
        m_file.error(field, tr("field must be a name: amount or a number attribute"));
        return std::nullopt;
    }
    return field;
}

// The one kind of criterion `node` gives (all, any, ... listed), with its body; reports a node
// that gives none or several, and bounds or a field given to a kind that takes none.
std::optional<std::string_view> ListReader::criterion_kind(const YAML::Node& node,
                                                           Criterion& out) {
    m_file.check_keys(node, {"all", "any", "not", "exists", "count", "sum", "subject", "listed",
                             "linked", "at_least", "at_most", "field"});
    static constexpr std::pair<std::string_view, Criterion::Type> k_types[] = {
        {"all", Criterion::Type::all},       {"any", Criterion::Type::any},
        {"not", Criterion::Type::negation},  {"exists", Criterion::Type::exists},
        {"count", Criterion::Type::count},   {"sum", Criterion::Type::sum},
        {"subject", Criterion::Type::subject}, {"listed", Criterion::Type::listed},
        {"linked", Criterion::Type::linked},
    };
    std::vector<std::string_view> given;
    for (const auto& [name, type] : k_types) {
        if (node[std::string(name)]) {
            given.push_back(name);
            out.type = type;
        }
    }
    if (given.size() != 1) {
        m_file.error(node, given.empty()
                               ? std::string(tr("a criterion needs one of all, any, not, exists, "
                                                "count, sum, subject, listed, linked"))
                               : trf("a criterion has one kind, this one has {}: {}", given.size(),
                                     fmt::join(given, ", ")));
        return std::nullopt;
    }
    const bool bounded = out.type == Criterion::Type::count || out.type == Criterion::Type::sum;
    for (std::string_view bound : {"at_least", "at_most"}) {
        if (node[std::string(bound)] && !bounded) {
            m_file.error(node[std::string(bound)],
                         trf("{} belongs with count or sum, not {}", bound, given[0]));
        }
    }
    if (node["field"] && out.type != Criterion::Type::sum) {
        m_file.error(node["field"], tr("field belongs with sum"));
    }
    return given[0];
}

// The children of all / any (a non-empty list) or not (one criterion).
bool ListReader::children(std::string_view kind, const YAML::Node& body, int depth,
                          Criterion& out) {
    if (out.type == Criterion::Type::negation) {
        auto parsed = criterion(body, depth + 1);
        if (parsed) {
            out.children.push_back(std::move(*parsed));
        }
        return parsed.has_value();
    }
    if (!body.IsSequence() || body.size() == 0) {
        m_file.error(body, trf("{} needs a non-empty list of criteria", kind));
        return false;
    }
    bool ok = true;
    for (const auto& child : body) {
        if (auto parsed = criterion(child, depth + 1)) {
            out.children.push_back(std::move(*parsed));
        } else {
            ok = false;
        }
    }
    return ok;
}

bool ListReader::count(const YAML::Node& node, const YAML::Node& body, Criterion& out) {
    bool ok = selection(body, out.selection);
    if (node["at_least"]) {
        out.count_at_least = whole_number(node["at_least"], "at_least");
    }
    if (node["at_most"]) {
        out.count_at_most = whole_number(node["at_most"], "at_most");
    }
    if (!node["at_least"] && !node["at_most"]) {
        m_file.error(node, tr("count needs at_least and/or at_most"));
        ok = false;
    }
    return ok;
}

bool ListReader::sum(const YAML::Node& node, const YAML::Node& body, Criterion& out) {
    bool ok = selection(body, out.selection, true);
    const auto field = sum_field(node, body);
    if (!field) {
        return false;
    }
    out.sum_field = field->Scalar();
    out.sum_slot = m_domain.record_schema.find(out.sum_field);
    if (out.sum_slot < 0 ||
        m_domain.record_schema.fields()[static_cast<std::size_t>(out.sum_slot)].type !=
            AttributeType::number) {
        m_file.error(*field, trf("sum field '{}' is not amount or a number attribute of {}",
                                 out.sum_field, m_domain.domain));
        ok = false;
    }
    if (node["at_least"]) {
        out.sum_at_least = decimal(node["at_least"], "at_least");
    }
    if (node["at_most"]) {
        out.sum_at_most = decimal(node["at_most"], "at_most");
    }
    if (!node["at_least"] && !node["at_most"]) {
        m_file.error(node, tr("sum needs at_least and/or at_most"));
        ok = false;
    }
    return ok;
}

std::optional<Criterion> ListReader::criterion(const YAML::Node& node, int depth) {
    if (depth > k_max_criteria_depth) {
        m_file.error(node, trf("criteria nest deeper than {} levels", k_max_criteria_depth));
        return std::nullopt;
    }
    if (!m_file.expect_map(node, tr("a criterion"))) {
        return std::nullopt;
    }
    Criterion out;
    out.spot = spot_of(node);
    const auto kind = criterion_kind(node, out);
    if (!kind) {
        return std::nullopt;
    }
    const YAML::Node body = node[std::string(*kind)];
    bool ok = true;
    switch (out.type) {
        case Criterion::Type::all:
        case Criterion::Type::any:
        case Criterion::Type::negation:
            ok = children(*kind, body, depth, out);
            break;
        case Criterion::Type::exists:
            ok = selection(body, out.selection);
            break;
        case Criterion::Type::count:
            ok = count(node, body, out);
            break;
        case Criterion::Type::sum:
            ok = sum(node, body, out);
            break;
        case Criterion::Type::subject:
            out.subject_expression = expression(body, subject_schema());
            ok = out.subject_expression.has_value();
            break;
        case Criterion::Type::listed:
            ok = listed(body, out);
            break;
        case Criterion::Type::linked:
            ok = linked(body, out);
            break;
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<util::Duration> ListReader::term_length(const YAML::Node& node,
                                                      std::string_view what) {
    auto parsed = duration(node, what);
    if (parsed && longer_than_max_term(*parsed)) {
        m_file.error(
            node, trf("{} of {} is longer than {} years", what, parsed->text(), k_max_term_years));
    }
    return parsed;
}

// `term:` (docs/RULES.md): from, length, add, open_when.
void ListReader::term(const YAML::Node& node, TermRule& out) {
    out.written = true;
    if (!m_file.expect_map(node, "term")) {
        return;
    }
    m_file.check_keys(node, {"from", "length", "add", "open_when"});
    if (auto from = m_file.scalar(node, "from", false)) {
        if (*from == "evidence") {
            out.from = TermRule::From::evidence;
        } else if (*from != "effective") {
            m_file.error(node["from"], trf("term from '{}' is not evidence or effective", *from));
        }
    }
    const YAML::Node length = node["length"];
    if (!length) {
        m_file.error(node, tr("term needs length: a duration (e.g. 2y), or open"));
    } else if (length.IsScalar() && length.Scalar() == "open") {
        out.length = std::nullopt;
    } else {
        out.length = term_length(length, "term length");
    }
    const bool open = length && length.IsScalar() && length.Scalar() == "open";
    if (const YAML::Node add = node["add"]; add) {
        if (open) {
            m_file.error(add, tr("add is given but the term is open"));
        }
        if (m_file.expect_map(add, "add")) {
            m_file.check_keys(add, {"attribute", "default"});
            out.add_attribute = m_file.scalar(add, "attribute", true).value_or("");
            const Attribute* declared = m_domain.attribute(out.add_attribute);
            if (!out.add_attribute.empty() &&
                (declared == nullptr || declared->type != AttributeType::text)) {
                m_file.error(add["attribute"],
                             trf("add attribute '{}' is not a text attribute of {} (it "
                                 "holds a duration, e.g. '1y')",
                                 out.add_attribute, m_domain.domain));
            }
            if (const YAML::Node fallback = add["default"]; fallback) {
                out.add_default = term_length(fallback, "add default").value_or(util::Duration{});
            } else {
                m_file.error(add, tr("add needs default: the duration added when a record has none "
                                     "(e.g. 0d)"));
            }
        }
    }
    if (const YAML::Node open_when = node["open_when"]; open_when) {
        if (open) {
            m_file.error(open_when, tr("open_when is given but the term is open anyway"));
        }
        out.open_when = expression(open_when, m_domain.record_schema);
    }
}

void ListReader::procedure(const YAML::Node& node, Procedure& out) {
    if (!m_file.expect_map(node, "procedure")) {
        return;
    }
    m_file.check_keys(node, {"notice_days", "publicity_days", "appeal_days"});
    const auto days = [&](const char* key) -> int {
        const YAML::Node value = node[key];
        if (!value) {
            return 0;
        }
        const auto number = whole_number(value, key);
        if (number && *number > 365) {
            m_file.error(value, trf("{} of {} working days is more than a year", key, *number));
        }
        return number ? static_cast<int>(std::min<std::int64_t>(*number, 365)) : 0;
    };
    out.notice_days = days("notice_days");
    out.publicity_days = days("publicity_days");
    out.appeal_days = days("appeal_days");
}

void ListReader::repair(const YAML::Node& node, RepairTerms& out) {
    if (!m_file.expect_map(node, "repair")) {
        return;
    }
    m_file.check_keys(node, {"allowed", "after", "from", "commitment", "barred_when"});
    const YAML::Node allowed = node["allowed"];
    if (!allowed || !allowed.IsScalar() ||
        (allowed.Scalar() != "true" && allowed.Scalar() != "false")) {
        m_file.error(allowed ? allowed : node, tr("repair needs allowed: true or false"));
        return;
    }
    out.allowed = allowed.Scalar() == "true";
    if (const YAML::Node after = node["after"]; after) {
        out.after = duration(after, "repair after");
        if (out.after && longer_than_max_term(*out.after)) {
            m_file.error(after, trf("repair after {} is longer than {} years", out.after->text(),
                                    k_max_term_years));
        }
        if (!out.allowed) {
            m_file.error(after, tr("repair after is given but repair is not allowed"));
        }
    }
    repair_conditions(node, out);
}

// `from:`, `commitment:` and `barred_when:` of `repair:`, each only where repair is allowed.
void ListReader::repair_conditions(const YAML::Node& node, RepairTerms& out) {
    for (const char* key : {"from", "commitment", "barred_when"}) {
        if (node[key] && !out.allowed) {
            m_file.error(node[key], trf("repair {} is given but repair is not allowed", key));
            return;
        }
    }
    if (auto from = m_file.scalar(node, "from", false)) {
        const Attribute* attribute = m_domain.attribute(*from);
        if (attribute == nullptr || attribute->type != AttributeType::date) {
            m_file.error(node["from"],
                         trf("repair from '{}' is no date attribute of domain {}", *from,
                             m_domain.domain));
        } else {
            out.from_attribute = *from;
        }
    }
    if (auto commitment = m_file.scalar(node, "commitment", false)) {
        if (*commitment != "true" && *commitment != "false") {
            m_file.error(node["commitment"], tr("repair commitment must be true or false"));
        }
        out.commitment = *commitment == "true";
    }
    if (const YAML::Node barred = node["barred_when"]; barred) {
        if (!m_file.expect_map(barred, "barred_when")) {
            return;
        }
        m_file.check_keys(barred, {"entries", "within"});
        if (!barred["entries"] || !barred["within"]) {
            m_file.error(barred, tr("barred_when needs entries: N and within: DURATION"));
            return;
        }
        const auto entries = whole_number(barred["entries"], "barred_when entries");
        if (entries && (*entries < 1 || *entries > 100)) {
            m_file.error(barred["entries"], tr("barred_when entries must be from 1 to 100"));
        } else if (entries) {
            out.barred_entries = static_cast<int>(*entries);
        }
        out.barred_within = duration(barred["within"], "barred_when within");
        if (out.barred_within && longer_than_max_term(*out.barred_within)) {
            m_file.error(barred["within"],
                         trf("barred_when within {} is longer than {} years",
                             out.barred_within->text(), k_max_term_years));
        }
    }
}

void ListReader::measures(const YAML::Node& node, std::vector<Measure>& out) {
    if (!node.IsSequence()) {
        m_file.error(node, tr("measures must be a list"));
        return;
    }
    std::set<std::string> ids;
    for (const auto& item : node) {
        if (!m_file.expect_map(item, tr("a measure"))) {
            continue;
        }
        m_file.check_keys(item, {"id", "text_zh", "text", "departments"});
        Measure measure;
        measure.id = m_file.scalar(item, "id", true).value_or("");
        measure.text_zh = m_file.scalar(item, "text_zh", true).value_or("");
        if (item["departments"]) {
            measure.departments = names(item["departments"], "departments");
        } else {
            m_file.error(item, tr("missing required key 'departments'"));
        }
        if (!measure.id.empty() && !ids.insert(measure.id).second) {
            m_file.error(item["id"], trf("measure '{}' is given twice", measure.id));
        }
        out.push_back(std::move(measure));
    }
}

std::optional<util::Date> ListReader::test_date(const YAML::Node& map, std::string_view key,
                                                bool required) {
    auto text = m_file.scalar(map, key, required);
    if (!text) {
        return std::nullopt;
    }
    auto date = util::parse_iso_date(*text);
    if (!date) {
        m_file.error(map[std::string(key)], fmt::format("{}: {}", key, date.error()));
        return std::nullopt;
    }
    return *date;
}

// `expires_on:` of a test: a date, or `open` for an open-ended term.
std::optional<std::optional<util::Date>> ListReader::test_expiry(const YAML::Node& map) {
    auto expires = m_file.scalar(map, "expires_on", false);
    if (!expires) {
        return std::nullopt;
    }
    if (*expires == "open") {
        return std::optional<util::Date>();
    }
    auto date = util::parse_iso_date(*expires);
    if (!date) {
        m_file.error(map["expires_on"],
                     trf("expires_on: {} (or open, for an open-ended term)", date.error()));
        return std::nullopt;
    }
    return std::optional<util::Date>(*date);
}

std::optional<RuleTest> ListReader::test(const YAML::Node& node) {
    if (!m_file.expect_map(node, tr("a test"))) {
        return std::nullopt;
    }
    m_file.check_keys(node, {"name", "as_of", "subject_type", "subject_id", "records", "entries",
                             "expect", "expires_on", "authority", "runs"});
    RuleTest out;
    out.spot = spot_of(node);
    out.name = m_file.scalar(node, "name", true).value_or("");
    if (auto type = m_file.scalar(node, "subject_type", false)) {
        if (auto parsed = model::parse_subject_type(*type)) {
            out.subject_type = *parsed;
        } else {
            m_file.error(node["subject_type"],
                         trf("subject_type '{}' is not legal_person, natural_person or "
                             "government",
                             *type));
        }
    }
    out.subject_id = m_file.scalar(node, "subject_id", false).value_or("");
    if (const YAML::Node runs = node["runs"]; runs) {
        for (const char* key : {"as_of", "records", "entries", "expect", "expires_on", "authority"}) {
            if (node[key]) {
                m_file.error(node[key],
                             trf("a test with runs gives {} in each of its runs, not beside them",
                                 key));
            }
        }
        test_steps(runs, out.runs);
        return out;
    }
    if (auto as_of = test_date(node, "as_of", true)) {
        out.as_of = *as_of;
    }
    if (auto expect = m_file.scalar(node, "expect", true)) {
        if (*expect != "listed" && *expect != "not_listed") {
            m_file.error(node["expect"], tr("expect must be listed or not_listed"));
        }
        out.expect_listed = *expect == "listed";
    }
    out.expect_expires_on = test_expiry(node);
    if (out.expect_expires_on && !out.expect_listed) {
        m_file.error(node["expires_on"], tr("expires_on is checked only with expect: listed"));
    }
    if (auto authority = m_file.scalar(node, "authority", false)) {
        out.expect_authority = *authority;
        if (!out.expect_listed) {
            m_file.error(node["authority"], tr("authority is checked only with expect: listed"));
        }
    }
    if (const YAML::Node records = node["records"]; records) {
        test_records(records, out.records);
    }
    if (const YAML::Node entries = node["entries"]; entries) {
        out.entries = names(entries, "entries");
    }
    return out;
}

void ListReader::test_records(const YAML::Node& node, std::vector<TestRecord>& out) {
    if (!node.IsSequence()) {
        m_file.error(node, tr("records must be a list of records"));
        return;
    }
    for (const auto& item : node) {
        if (!m_file.expect_map(item, tr("a test record"))) {
            continue;
        }
        m_file.check_duplicate_keys(item);
        TestRecord record;
        record.spot = spot_of(item);
        for (const auto& field : item) {
            if (!field.second.IsScalar()) {
                m_file.error(field.second, tr("a test record's values must be single values"));
                continue;
            }
            record.fields.emplace_back(field.first.Scalar(), field.second.Scalar());
        }
        out.push_back(std::move(record));
    }
}

void ListReader::test_steps(const YAML::Node& node, std::vector<TestStep>& out) {
    if (!node.IsSequence() || node.size() == 0) {
        m_file.error(node, tr("runs must be a list of runs (as_of:) and repair applications "
                              "(repair:)"));
        return;
    }
    for (const auto& item : node) {
        if (auto step = test_step(item)) {
            if (!out.empty() && step->on < out.back().on) {
                m_file.error(item, trf("the runs of a test go forward in time: {} comes after {}",
                                       step->on.iso(), out.back().on.iso()));
            }
            out.push_back(std::move(*step));
        }
    }
}

std::optional<TestStep> ListReader::test_step(const YAML::Node& node) {
    if (!m_file.expect_map(node, tr("a run of a test"))) {
        return std::nullopt;
    }
    m_file.check_keys(node, {"as_of", "repair", "records", "status", "notice_until",
                             "publicity_until", "effective_from", "expires_on", "ended_on",
                             "end_reason", "authority", "refused", "commitment"});
    TestStep out;
    out.spot = spot_of(node);
    if (node["as_of"] && node["repair"]) {
        m_file.error(node, tr("a run of a test is a run (as_of:) or a repair application "
                              "(repair:), not both"));
        return std::nullopt;
    }
    if (node["repair"]) {
        out.kind = TestStep::Kind::repair;
        if (auto day = test_date(node, "repair", true)) {
            out.on = *day;
        }
        if (node["records"]) {
            m_file.error(node["records"], tr("records arrive before a run (as_of:), not with a "
                                             "repair application"));
        }
        out.commitment = m_file.scalar(node, "commitment", false).value_or("");
        if (auto refused = m_file.scalar(node, "refused", false)) {
            if (*refused != "true" && *refused != "false") {
                m_file.error(node["refused"], tr("refused must be true or false"));
            }
            out.expect_refused = *refused == "true";
        }
    } else {
        if (auto day = test_date(node, "as_of", true)) {
            out.on = *day;
        }
        for (const char* key : {"refused", "commitment"}) {
            if (node[key]) {
                m_file.error(node[key],
                             trf("{} goes with a repair application (repair:), not a run", key));
            }
        }
    }
    if (const YAML::Node records = node["records"]; records && out.kind == TestStep::Kind::run) {
        test_records(records, out.records);
    }
    if (auto status = m_file.scalar(node, "status", false)) {
        if (*status != "none" && !model::parse_entry_status(*status)) {
            m_file.error(node["status"],
                         trf("status '{}' is none or an entry's status (notice, publicity, "
                             "effective, expired, lifted, repaired, revoked, withdrawn)",
                             *status));
        }
        out.status = *status;
    }
    out.notice_until = test_date(node, "notice_until", false);
    out.publicity_until = test_date(node, "publicity_until", false);
    out.effective_from = test_date(node, "effective_from", false);
    out.expires_on = test_expiry(node);
    out.ended_on = test_date(node, "ended_on", false);
    if (auto reason = m_file.scalar(node, "end_reason", false)) {
        if (!model::parse_end_reason(*reason)) {
            m_file.error(node["end_reason"],
                         trf("end_reason '{}' is not one of the end reasons (docs/RULES.md)",
                             *reason));
        }
        out.end_reason = *reason;
    }
    out.authority = m_file.scalar(node, "authority", false);
    return out;
}

void ListReader::tests(const YAML::Node& node, std::vector<RuleTest>& out) {
    if (!node.IsSequence()) {
        m_file.error(node, tr("tests must be a list"));
        return;
    }
    for (const auto& item : node) {
        if (auto parsed = test(item)) {
            out.push_back(std::move(*parsed));
        }
    }
}

std::optional<ListRule> ListReader::list(const YAML::Node& node) {
    if (!m_file.expect_map(node, tr("a list"))) {
        return std::nullopt;
    }
    m_file.check_keys(node, {"id", "kind", "title", "title_zh", "basis", "authority",
                             "authority_from", "replaces", "subjects", "criteria", "lift",
                             "validity", "term", "procedure", "repair", "measures", "tests"});
    ListRule out;
    out.spot = spot_of(node);
    out.domain = m_domain.domain;
    out.id = m_file.scalar(node, "id", true).value_or("");
    if (!out.id.empty() && !out.id.starts_with(m_domain.domain + ".")) {
        m_file.error(node["id"],
                     trf("list id '{}' must start with '{}.'", out.id, m_domain.domain));
    }
    if (auto kind = m_file.scalar(node, "kind", true)) {
        if (auto parsed = model::parse_list_kind(*kind)) {
            out.kind = *parsed;
        } else {
            m_file.error(node["kind"], trf("kind '{}' is not black or red", *kind));
        }
    }
    out.title = m_file.scalar(node, "title", true).value_or("");
    out.title_zh = m_file.scalar(node, "title_zh", true).value_or("");
    out.basis = m_file.scalar(node, "basis", true).value_or("");
    out.authority = m_file.scalar(node, "authority", true).value_or("");
    if (auto from = m_file.scalar(node, "authority_from", false)) {
        if (*from == "evidence") {
            out.authority_from_evidence = true;
        } else {
            m_file.error(node["authority_from"],
                         trf("authority_from '{}' is not evidence (the only source an entry's "
                             "deciding department can be taken from)",
                             *from));
        }
    }
    if (const YAML::Node replaces = node["replaces"]; replaces) {
        out.replaces = names(replaces, "replaces");
        out.replaces_spot = spot_of(replaces);
    }
    if (const YAML::Node subjects = node["subjects"]; subjects) {
        for (const auto& name : names(subjects, "subjects")) {
            if (auto type = model::parse_subject_type(name)) {
                out.subjects.push_back(*type);
            } else {
                m_file.error(subjects, trf("subject type '{}' is not legal_person, "
                                           "natural_person or government",
                                           name));
            }
        }
    }
    bool criteria_loaded = false;
    if (const YAML::Node criteria = node["criteria"]; criteria) {
        if (auto parsed = criterion(criteria, 0)) {
            out.criteria = std::move(*parsed);
            criteria_loaded = true;
        }
    } else {
        m_file.error(node, tr("missing required key 'criteria'"));
    }
    if (const YAML::Node lift = node["lift"]; lift) {
        m_in_lift = true;
        // Criteria that did not load are reported already; do not add a second error for them.
        m_has_evidence = !criteria_loaded || gives_evidence(out.criteria);
        out.lift = criterion(lift, 0);
        m_in_lift = false;
    }
    if (node["validity"] && node["term"]) {
        m_file.error(node["term"], tr("give either validity or term, not both"));
    } else if (const YAML::Node validity = node["validity"]; validity) {
        if (auto parsed = term_length(validity, "validity")) {
            out.validity = *parsed;
            out.term.length = *parsed;
        }
    } else if (const YAML::Node term_node = node["term"]; term_node) {
        term(term_node, out.term);
        if (out.term.fixed()) {
            out.validity = *out.term.length;
        }
        if ((!out.term.length || out.term.open_when) && !out.lift) {
            m_file.error(term_node, tr("an open-ended term needs lift criteria: the way off the "
                                       "list besides repair and revocation"));
        }
    } else {
        m_file.error(node, tr("missing required key 'validity' (or 'term')"));
    }
    if (const YAML::Node procedure_node = node["procedure"]; procedure_node) {
        procedure(procedure_node, out.procedure);
    }
    if (const YAML::Node repair_node = node["repair"]; repair_node) {
        repair(repair_node, out.repair);
    }
    if (const YAML::Node measures_node = node["measures"]; measures_node) {
        measures(measures_node, out.measures);
    }
    if (const YAML::Node tests_node = node["tests"]; tests_node) {
        tests(tests_node, out.tests);
    }
    return out;
}

}  // namespace

void read_lists(const YamlFile& file, const YAML::Node& node, DomainRules& domain) {
    if (!node || node.IsNull()) {
        return;
    }
    if (!node.IsSequence()) {
        file.error(node, tr("'lists' must be a list"));
        return;
    }
    ListReader reader(file, domain);
    for (const auto& item : node) {
        if (auto list = reader.list(item)) {
            domain.lists.push_back(std::move(*list));
        }
    }
}

}  // namespace rbl::rules
