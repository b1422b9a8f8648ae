#include "rbl/model/explanation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace rbl::model {

namespace {

using Kind = Clause::Kind;
using i18n::Language;

// The text of each kind in the stored JSON.
constexpr std::array<std::pair<Kind, std::string_view>, 10> k_kinds = {{
    {Kind::all, "all"},
    {Kind::any, "any"},
    {Kind::negation, "not"},
    {Kind::count, "count"},
    {Kind::sum, "sum"},
    {Kind::subject, "subject"},
    {Kind::listed, "listed"},
    {Kind::linked, "linked"},
    {Kind::term, "term"},
    {Kind::text, "text"},
}};

constexpr std::array<std::pair<Clause::Term, std::string_view>, 3> k_terms = {{
    {Clause::Term::open, "open"},
    {Clause::Term::open_when, "open_when"},
    {Clause::Term::counted, "counted"},
}};

constexpr std::string_view k_until_ended = " (in force until lifted, repaired or revoked)";
constexpr std::string_view k_until_ended_zh = "（在移出、信用修复或撤销之前一直有效）";

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
    return fmt::format("{}", fmt::join(parts, separator));
}

bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// Full-width punctuation, which takes no space beside it.
constexpr std::array<std::string_view, 9> k_full_width = {"，", "：", "；", "（", "）", "、",
                                                         "“", "”", "。"};

bool ends_in_punctuation(std::string_view text) {
    return std::any_of(k_full_width.begin(), k_full_width.end(),
                       [text](std::string_view mark) { return text.ends_with(mark); });
}

bool starts_with_punctuation(std::string_view text) {
    return std::any_of(k_full_width.begin(), k_full_width.end(),
                       [text](std::string_view mark) { return text.starts_with(mark); });
}

// Chinese text with names and figures in it: a space between a Chinese character and ASCII
// text, and between two ASCII pieces; none between two Chinese characters, nor beside
// full-width punctuation.
std::string mixed(const std::vector<std::string>& pieces) {
    std::string out;
    for (const std::string& piece : pieces) {
        if (piece.empty()) {
            continue;
        }
        if (!out.empty() && (is_ascii(out.back()) || is_ascii(piece.front())) &&
            !ends_in_punctuation(out) && !starts_with_punctuation(piece)) {
            out += ' ';
        }
        out += piece;
    }
    return out;
}

std::string evidence_words(const std::vector<std::string>& records, Language language) {
    if (records.empty()) {
        return {};
    }
    return language == Language::zh ? "：" + joined(records, "、") : ": " + joined(records, ", ");
}

std::string selection_words(const SelectionWords& selection, Language language) {
    if (language == Language::en) {
        std::string text =
            fmt::format("{} {} record{}", selection.count,
                        selection.kinds.empty() ? std::string("any") : joined(selection.kinds, "/"),
                        selection.count == 1 ? "" : "s");
        if (selection.any_domain) {
            text += " in any domain";
        } else if (!selection.domains.empty()) {
            text += " in " + joined(selection.domains, "/");
        }
        if (!selection.within.empty()) {
            text += " within " + selection.within;
        }
        if (!selection.where.empty()) {
            text += " where " + selection.where;
        }
        return text;
    }
    std::vector<std::string> pieces;
    if (!selection.within.empty()) {
        pieces.push_back(window_words(selection.within, language) + "内");
    }
    if (selection.any_domain) {
        pieces.emplace_back("任何领域中");
    } else if (!selection.domains.empty()) {
        pieces.push_back(joined(selection.domains, "、"));
        pieces.emplace_back("领域中");
    }
    if (!selection.where.empty()) {
        pieces.emplace_back("符合");
        pieces.push_back(selection.where);
        pieces.emplace_back("的");
    }
    if (!selection.kinds.empty()) {
        pieces.push_back(joined(selection.kinds, "/"));
    }
    pieces.emplace_back("记录");
    pieces.push_back(std::to_string(selection.count));
    pieces.emplace_back("条");
    return mixed(pieces);
}

std::string listed_words(const Clause& clause, Language language) {
    if (language == Language::en) {
        const std::string target =
            !clause.listed_list.empty()
                ? "list " + clause.listed_list
                : fmt::format("a {} list of {}", clause.listed_kind,
                              clause.listed_domain == "any" ? std::string("any domain")
                                                            : clause.listed_domain);
        return "has a pending or effective entry on " + target;
    }
    if (!clause.listed_list.empty()) {
        return mixed({"在名单", clause.listed_list, "上有待生效或有效的条目"});
    }
    const std::string kind = clause.listed_kind == "black" ? "黑名单"
                             : clause.listed_kind == "red" ? "红名单"
                                                           : clause.listed_kind + " 名单";
    const std::string domain =
        clause.listed_domain == "any" ? "任何领域" : mixed({clause.listed_domain, "领域"});
    return "在" + domain + "的" + kind + "上有待生效或有效的条目";
}

std::string linked_summary(const Clause& clause, Language language) {
    const std::size_t answered = clause.findings - clause.unanswered.size();
    if (language == Language::en) {
        return fmt::format("{} of {} finding{} answered by {} with the same {}", answered,
                           clause.findings, clause.findings == 1 ? "" : "s",
                           selection_words(clause.selection, language), clause.link_attribute);
    }
    return mixed({std::to_string(clause.findings), "项认定事实中有", std::to_string(answered),
                  "项由具有相同", clause.link_attribute, "的",
                  selection_words(clause.selection, language), "回应"});
}

std::string sum_summary(const Clause& clause, Language language) {
    if (language == Language::en) {
        return fmt::format("sum of {} is {} over {}", clause.field, clause.total,
                           selection_words(clause.selection, language));
    }
    return selection_words(clause.selection, language) + "，" +
           mixed({clause.field, "合计", clause.total});
}

std::string subject_words(const Clause& clause, Language language) {
    if (language == Language::en) {
        return "subject: " + clause.expression +
               (!clause.shows_age ? std::string()
                : !clause.age     ? std::string(" (age unknown)")
                                  : fmt::format(" (age {})", *clause.age));
    }
    return "主体：" + clause.expression +
           (!clause.shows_age ? std::string()
            : !clause.age     ? std::string("（年龄不详）")
                              : fmt::format("（年龄 {}）", *clause.age));
}

std::string term_words(const Clause& clause, Language language) {
    const bool en = language == Language::en;
    switch (clause.term) {
        case Clause::Term::open:
            return en ? "term: none fixed" + std::string(k_until_ended)
                      : "期限：不设固定期限" + std::string(k_until_ended_zh);
        case Clause::Term::open_when:
            return en ? fmt::format("term: none fixed, {} meets \"{}\"{}", clause.record,
                                    clause.expression, k_until_ended)
                      : fmt::format("期限：不设固定期限，{} 符合“{}”{}", clause.record,
                                    clause.expression, k_until_ended_zh);
        case Clause::Term::counted:
            break;
    }
    const bool extended = !clause.extension.empty();
    if (en) {
        const std::string from =
            clause.from_evidence
                ? fmt::format("{} dated {}{}", clause.record, clause.record_date,
                              extended ? fmt::format(", + {} {}", clause.add_attribute,
                                                     clause.extension)
                                       : std::string())
                : fmt::format("the effective date{}",
                              extended ? fmt::format(", + {} {} of {}", clause.add_attribute,
                                                     clause.extension, clause.record)
                                       : std::string());
        return fmt::format("term: {} from {}: expires {}", clause.length, from, clause.expires);
    }
    const std::string extension = window_words(clause.extension, language);
    const std::string from =
        clause.from_evidence
            ? fmt::format("{}（{}）{}", clause.record, clause.record_date,
                          extended ? mixed({"，另加", clause.add_attribute, extension})
                                   : std::string())
            : "生效日期" + (extended ? mixed({"，另加", clause.record, "的",
                                             clause.add_attribute, extension})
                                    : std::string());
    return mixed({"期限：自", from, "起", window_words(clause.length, language), "，",
                  clause.expires, "期满"});
}

// The clause without its mark: what follows "[yes] ".
std::string body(const Clause& clause, Language language) {
    const bool en = language == Language::en;
    switch (clause.kind) {
        case Kind::all:
            return en ? "all of:" : "以下全部成立：";
        case Kind::any:
            return en ? "any of:" : "以下任一成立：";
        case Kind::negation:
            return en ? "not:" : "以下不成立：";
        case Kind::count:
            return selection_words(clause.selection, language) +
                   (en ? " (" : "（") + bounds(clause.at_least, clause.at_most, language) +
                   (en ? ")" : "）") + evidence_words(clause.records, language);
        case Kind::sum:
            return sum_summary(clause, language) + (en ? " (" : "（") +
                   bounds(clause.at_least, clause.at_most, language) + (en ? ")" : "）") +
                   evidence_words(clause.records, language);
        case Kind::subject:
            return subject_words(clause, language);
        case Kind::listed:
            return listed_words(clause, language);
        case Kind::linked: {
            std::string text = linked_summary(clause, language) +
                               (en ? " (needs every finding)" : "（须全部回应）") +
                               evidence_words(clause.records, language);
            if (!clause.unanswered.empty()) {
                text += en ? "; unanswered: " + joined(clause.unanswered, ", ")
                           : "；未回应：" + joined(clause.unanswered, "、");
            }
            return text;
        }
        case Kind::term:
            return term_words(clause, language);
        case Kind::text:
            return clause.text;
    }
    return clause.text;
}

// ---- reading the English back (clauses_from_text) ------------------------------------------

std::optional<std::size_t> whole_number(std::string_view text) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string> split(std::string_view text, std::string_view separator) {
    std::vector<std::string> parts;
    while (true) {
        const auto at = text.find(separator);
        parts.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(at + separator.size());
    }
}

// "2 penalty records in courts within 1y where x > 1" (the selection words).
std::optional<SelectionWords> read_selection(std::string_view text) {
    SelectionWords selection;
    const auto space = text.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const auto count = whole_number(text.substr(0, space));
    if (!count) {
        return std::nullopt;
    }
    selection.count = *count;
    text.remove_prefix(space + 1);
    const auto kinds_end = text.find(' ');
    if (kinds_end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view kinds = text.substr(0, kinds_end);
    if (kinds != "any") {
        selection.kinds = split(kinds, "/");
    }
    text.remove_prefix(kinds_end);
    const std::string_view noun = *count == 1 ? " record" : " records";
    if (!text.starts_with(noun)) {
        return std::nullopt;
    }
    text.remove_prefix(noun.size());
    const auto next_word = [&text]() {
        const auto end = text.find(' ');
        const std::string_view word = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end);
        return word;
    };
    if (text.starts_with(" in any domain")) {
        selection.any_domain = true;
        text.remove_prefix(14);
    } else if (text.starts_with(" in ")) {
        text.remove_prefix(4);
        selection.domains = split(next_word(), "/");
    }
    if (text.starts_with(" within ")) {
        text.remove_prefix(8);
        selection.within = std::string(next_word());
    }
    if (text.starts_with(" where ")) {
        selection.where = std::string(text.substr(7));
        text = {};
    }
    if (!text.empty()) {
        return std::nullopt;
    }
    return selection;
}

// "needs ≥ 3", "needs ≤ 2", "needs 1 to 2".
bool read_bounds(std::string_view text, Clause& clause) {
    if (text.starts_with("needs ≥ ")) {
        clause.at_least = std::string(text.substr(std::string_view("needs ≥ ").size()));
        return true;
    }
    if (text.starts_with("needs ≤ ")) {
        clause.at_most = std::string(text.substr(std::string_view("needs ≤ ").size()));
        return true;
    }
    if (!text.starts_with("needs ")) {
        return false;
    }
    text.remove_prefix(6);
    const auto to = text.find(" to ");
    if (to == std::string_view::npos) {
        return false;
    }
    clause.at_least = std::string(text.substr(0, to));
    clause.at_most = std::string(text.substr(to + 4));
    return true;
}

std::vector<std::string> read_records(std::string_view tail) {
    if (!tail.starts_with(": ")) {
        return {};
    }
    return split(tail.substr(2), ", ");
}

// A count or a sum: "SELECTION (needs …)EVIDENCE", where the selection is read by `head`.
// Every " (needs " is tried, the last first: a condition may hold the words too.
template <class Head>
std::optional<Clause> read_bounded(const Clause& start, std::string_view body, Head&& head) {
    for (auto at = body.rfind(" (needs "); at != std::string_view::npos;
         at = at == 0 ? std::string_view::npos : body.rfind(" (needs ", at - 1)) {
        Clause clause = start;
        const std::string_view rest = body.substr(at + 2);
        const auto close = rest.find(')');
        if (close == std::string_view::npos || !read_bounds(rest.substr(0, close), clause)) {
            continue;
        }
        const std::string_view tail = rest.substr(close + 1);
        if (!tail.empty() && !tail.starts_with(": ")) {
            continue;
        }
        clause.records = read_records(tail);
        if (head(body.substr(0, at), clause) &&
            words(clause, Language::en) == std::string(start.depth * 2, ' ') +
                                               (start.holds ? "[yes] " : "[no]  ") +
                                               std::string(body)) {
            return clause;
        }
    }
    return std::nullopt;
}

std::optional<Clause> read_linked(Clause clause, std::string_view body) {
    const auto of = body.find(" of ");
    const auto answered_by = body.find(" answered by ");
    const auto needs = body.rfind(" (needs every finding)");
    const auto same = body.rfind(" with the same ", needs);
    if (of == std::string_view::npos || answered_by == std::string_view::npos ||
        needs == std::string_view::npos || same == std::string_view::npos || same < answered_by) {
        return std::nullopt;
    }
    const auto answered = whole_number(body.substr(0, of));
    const std::string_view findings_words = body.substr(of + 4, answered_by - of - 4);
    const auto findings = whole_number(findings_words.substr(0, findings_words.find(' ')));
    const auto selection = read_selection(body.substr(answered_by + 13, same - answered_by - 13));
    if (!answered || !findings || !selection || *answered > *findings) {
        return std::nullopt;
    }
    clause.findings = *findings;
    clause.selection = *selection;
    clause.link_attribute = std::string(body.substr(same + 15, needs - same - 15));
    std::string_view tail = body.substr(needs + std::string_view(" (needs every finding)").size());
    if (const auto open = tail.rfind("; unanswered: "); open != std::string_view::npos) {
        clause.unanswered = split(tail.substr(open + 14), ", ");
        tail = tail.substr(0, open);
    }
    clause.records = read_records(tail);
    if (clause.unanswered.size() != *findings - *answered) {
        return std::nullopt;
    }
    return clause;
}

std::optional<Clause> read_term(std::string_view line) {
    Clause clause;
    clause.kind = Kind::term;
    const std::string_view open = "term: none fixed";
    if (line == std::string(open) + std::string(k_until_ended)) {
        clause.term = Clause::Term::open;
        return clause;
    }
    if (line.starts_with("term: none fixed, ") && line.ends_with(k_until_ended)) {
        const std::string_view middle = line.substr(18, line.size() - 18 - k_until_ended.size());
        const auto meets = middle.find(" meets \"");
        if (meets == std::string_view::npos || !middle.ends_with('"')) {
            return std::nullopt;
        }
        clause.term = Clause::Term::open_when;
        clause.record = std::string(middle.substr(0, meets));
        clause.expression = std::string(middle.substr(meets + 8, middle.size() - meets - 9));
        return clause;
    }
    if (!line.starts_with("term: ")) {
        return std::nullopt;
    }
    std::string_view rest = line.substr(6);
    const auto from = rest.find(" from ");
    const auto expires = rest.rfind(": expires ");
    if (from == std::string_view::npos || expires == std::string_view::npos || expires < from) {
        return std::nullopt;
    }
    clause.term = Clause::Term::counted;
    clause.length = std::string(rest.substr(0, from));
    clause.expires = std::string(rest.substr(expires + 10));
    std::string_view anchor = rest.substr(from + 6, expires - from - 6);
    const std::string_view effective = "the effective date";
    if (anchor.starts_with(effective)) {
        anchor.remove_prefix(effective.size());
        if (anchor.starts_with(", + ")) {
            const auto of = anchor.rfind(" of ");
            const std::vector<std::string> added = split(anchor.substr(4, of - 4), " ");
            if (of == std::string_view::npos || added.size() != 2) {
                return std::nullopt;
            }
            clause.add_attribute = added[0];
            clause.extension = added[1];
            clause.record = std::string(anchor.substr(of + 4));
        } else if (!anchor.empty()) {
            return std::nullopt;
        }
        return clause;
    }
    clause.from_evidence = true;
    const auto plus = anchor.rfind(", + ");
    if (plus != std::string_view::npos) {
        const std::vector<std::string> added = split(anchor.substr(plus + 4), " ");
        if (added.size() != 2) {
            return std::nullopt;
        }
        clause.add_attribute = added[0];
        clause.extension = added[1];
        anchor = anchor.substr(0, plus);
    }
    const auto dated = anchor.rfind(" dated ");
    if (dated == std::string_view::npos) {
        return std::nullopt;
    }
    clause.record = std::string(anchor.substr(0, dated));
    clause.record_date = std::string(anchor.substr(dated + 7));
    return clause;
}

std::optional<Clause> read_line(std::string_view line) {
    if (line.starts_with("term: ")) {
        return read_term(line);
    }
    Clause clause;
    std::size_t spaces = 0;
    while (spaces < line.size() && line[spaces] == ' ') {
        ++spaces;
    }
    if (spaces % 2 != 0) {
        return std::nullopt;
    }
    clause.depth = static_cast<int>(spaces / 2);
    std::string_view rest = line.substr(spaces);
    if (rest.starts_with("[yes] ")) {
        clause.holds = true;
    } else if (!rest.starts_with("[no]  ")) {
        return std::nullopt;
    }
    const std::string_view body = rest.substr(6);
    if (body == "all of:" || body == "any of:" || body == "not:") {
        clause.kind = body == "all of:" ? Kind::all : body == "any of:" ? Kind::any
                                                                        : Kind::negation;
        return clause;
    }
    if (body.starts_with("subject: ")) {
        clause.kind = Kind::subject;
        std::string_view expression = body.substr(9);
        if (expression.ends_with(" (age unknown)")) {
            clause.shows_age = true;
            expression.remove_suffix(14);
        } else if (expression.ends_with(')')) {
            if (const auto age = expression.rfind(" (age "); age != std::string_view::npos) {
                if (const auto years = whole_number(
                        expression.substr(age + 6, expression.size() - age - 7))) {
                    clause.shows_age = true;
                    clause.age = static_cast<std::int64_t>(*years);
                    expression = expression.substr(0, age);
                }
            }
        }
        clause.expression = std::string(expression);
        return clause;
    }
    const std::string_view on = "has a pending or effective entry on ";
    if (body.starts_with(on)) {
        clause.kind = Kind::listed;
        const std::string_view target = body.substr(on.size());
        if (target.starts_with("list ")) {
            clause.listed_list = std::string(target.substr(5));
            return clause;
        }
        const auto list_of = target.find(" list of ");
        if (!target.starts_with("a ") || list_of == std::string_view::npos) {
            return std::nullopt;
        }
        clause.listed_kind = std::string(target.substr(2, list_of - 2));
        const std::string_view domain = target.substr(list_of + 9);
        clause.listed_domain = domain == "any domain" ? std::string("any") : std::string(domain);
        return clause;
    }
    if (body.starts_with("sum of ")) {
        clause.kind = Kind::sum;
        return read_bounded(clause, body, [](std::string_view head, Clause& sum) {
            head.remove_prefix(7);
            const auto is = head.find(" is ");
            const auto over = head.find(" over ", is == std::string_view::npos ? 0 : is);
            if (is == std::string_view::npos || over == std::string_view::npos) {
                return false;
            }
            sum.field = std::string(head.substr(0, is));
            sum.total = std::string(head.substr(is + 4, over - is - 4));
            const auto selection = read_selection(head.substr(over + 6));
            if (selection) {
                sum.selection = *selection;
            }
            return selection.has_value();
        });
    }
    if (body.find(" answered by ") != std::string_view::npos &&
        body.find(" (needs every finding)") != std::string_view::npos) {
        clause.kind = Kind::linked;
        return read_linked(clause, body);
    }
    clause.kind = Kind::count;
    return read_bounded(clause, body, [](std::string_view head, Clause& count) {
        const auto selection = read_selection(head);
        if (selection) {
            count.selection = *selection;
        }
        return selection.has_value();
    });
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
    for (const auto& [each, name] : names) {
        if (each == value) {
            return name;
        }
    }
    return names.front().second;
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::pair<Enum, std::string_view>, N>& names,
                               std::string_view text) {
    for (const auto& [each, name] : names) {
        if (name == text) {
            return each;
        }
    }
    return std::nullopt;
}

nlohmann::json optional_text(const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

std::optional<std::string> text_or_null(const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_string()) {
        return std::nullopt;
    }
    return found->get<std::string>();
}

nlohmann::json clause_json(const Clause& clause) {
    nlohmann::json out = {{"kind", name_of(k_kinds, clause.kind)}};
    const auto selection = [&] {
        out["count"] = clause.selection.count;
        out["kinds"] = clause.selection.kinds;
        out["any_domain"] = clause.selection.any_domain;
        out["domains"] = clause.selection.domains;
        out["within"] = clause.selection.within;
        out["where"] = clause.selection.where;
        out["records"] = clause.records;
    };
    if (clause.kind != Kind::term && clause.kind != Kind::text) {
        out["depth"] = clause.depth;
        out["holds"] = clause.holds;
    }
    switch (clause.kind) {
        case Kind::all:
        case Kind::any:
        case Kind::negation:
            break;
        case Kind::sum:
            out["field"] = clause.field;
            out["total"] = clause.total;
            [[fallthrough]];
        case Kind::count:
            selection();
            out["at_least"] = optional_text(clause.at_least);
            out["at_most"] = optional_text(clause.at_most);
            break;
        case Kind::subject:
            out["expression"] = clause.expression;
            out["shows_age"] = clause.shows_age;
            out["age"] = clause.age ? nlohmann::json(*clause.age) : nlohmann::json(nullptr);
            break;
        case Kind::listed:
            out["list"] = clause.listed_list;
            out["list_kind"] = clause.listed_kind;
            out["list_domain"] = clause.listed_domain;
            break;
        case Kind::linked:
            selection();
            out["findings"] = clause.findings;
            out["link"] = clause.link_attribute;
            out["unanswered"] = clause.unanswered;
            break;
        case Kind::term:
            out["term"] = name_of(k_terms, clause.term);
            out["length"] = clause.length;
            out["from_evidence"] = clause.from_evidence;
            out["record"] = clause.record;
            out["record_date"] = clause.record_date;
            out["add"] = clause.add_attribute;
            out["extension"] = clause.extension;
            out["expires"] = clause.expires;
            out["expression"] = clause.expression;
            break;
        case Kind::text:
            out["text"] = clause.text;
            break;
    }
    return out;
}

std::optional<Clause> clause_of(const nlohmann::json& object) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto kind = parse_name(k_kinds, object.value("kind", std::string()));
    if (!kind) {
        return std::nullopt;
    }
    Clause clause;
    clause.kind = *kind;
    clause.depth = object.value("depth", 0);
    clause.holds = object.value("holds", false);
    clause.selection.count = object.value("count", std::size_t{0});
    clause.selection.kinds = object.value("kinds", std::vector<std::string>());
    clause.selection.any_domain = object.value("any_domain", false);
    clause.selection.domains = object.value("domains", std::vector<std::string>());
    clause.selection.within = object.value("within", std::string());
    clause.selection.where = object.value("where", std::string());
    clause.records = object.value("records", std::vector<std::string>());
    clause.at_least = text_or_null(object, "at_least");
    clause.at_most = text_or_null(object, "at_most");
    clause.field = object.value("field", std::string());
    clause.total = object.value("total", std::string());
    clause.expression = object.value("expression", std::string());
    clause.shows_age = object.value("shows_age", false);
    if (const auto age = object.find("age"); age != object.end() && age->is_number_integer()) {
        clause.age = age->get<std::int64_t>();
    }
    clause.listed_list = object.value("list", std::string());
    clause.listed_kind = object.value("list_kind", std::string());
    clause.listed_domain = object.value("list_domain", std::string());
    clause.findings = object.value("findings", std::size_t{0});
    clause.link_attribute = object.value("link", std::string());
    clause.unanswered = object.value("unanswered", std::vector<std::string>());
    clause.term = parse_name(k_terms, object.value("term", std::string())).value_or(
        Clause::Term::open);
    clause.length = object.value("length", std::string());
    clause.from_evidence = object.value("from_evidence", false);
    clause.record = object.value("record", std::string());
    clause.record_date = object.value("record_date", std::string());
    clause.add_attribute = object.value("add", std::string());
    clause.extension = object.value("extension", std::string());
    clause.expires = object.value("expires", std::string());
    clause.text = object.value("text", std::string());
    return clause;
}

}  // namespace

std::string bounds(const std::optional<std::string>& at_least,
                   const std::optional<std::string>& at_most, Language language) {
    if (language == Language::zh) {
        if (at_least && at_most) {
            return fmt::format("须为 {} 至 {}", *at_least, *at_most);
        }
        return at_least ? fmt::format("须 ≥ {}", *at_least)
                        : fmt::format("须 ≤ {}", at_most.value_or("?"));
    }
    if (at_least && at_most) {
        return fmt::format("needs {} to {}", *at_least, *at_most);
    }
    return at_least ? fmt::format("needs ≥ {}", *at_least)
                    : fmt::format("needs ≤ {}", at_most.value_or("?"));
}

std::string window_words(std::string_view within, Language language) {
    if (language == Language::en || within.size() < 2) {
        return std::string(within);
    }
    const std::string_view count = within.substr(0, within.size() - 1);
    switch (within.back()) {
        case 'd':
            return fmt::format("{} 天", count);
        case 'm':
            return fmt::format("{} 个月", count);
        case 'y':
            return fmt::format("{} 年", count);
        default:
            return std::string(within);
    }
}

std::string words(const Clause& clause, Language language) {
    if (clause.kind == Kind::term || clause.kind == Kind::text) {
        return body(clause, language);
    }
    const std::string mark = language == Language::zh ? (clause.holds ? "[是]" : "[否]")
                                                       : (clause.holds ? "[yes]" : "[no] ");
    return std::string(static_cast<std::size_t>(clause.depth) * 2, ' ') + mark + " " +
           body(clause, language);
}

std::string words(const std::vector<Clause>& clauses, Language language) {
    std::string text;
    for (const Clause& clause : clauses) {
        text += words(clause, language);
        text += '\n';
    }
    return text;
}

std::string summary(const Clause& clause, Language language) {
    switch (clause.kind) {
        case Kind::count:
            return selection_words(clause.selection, language);
        case Kind::sum:
            return sum_summary(clause, language);
        case Kind::linked:
            return linked_summary(clause, language);
        default:
            return body(clause, language);
    }
}

nlohmann::json to_json(const std::vector<Clause>& clauses) {
    nlohmann::json out = nlohmann::json::array();
    for (const Clause& clause : clauses) {
        out.push_back(clause_json(clause));
    }
    return out;
}

std::optional<std::vector<Clause>> clauses_from_json(std::string_view json) {
    const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
    if (!parsed.is_array()) {
        return std::nullopt;
    }
    std::vector<Clause> clauses;
    for (const nlohmann::json& object : parsed) {
        auto clause = clause_of(object);
        if (!clause) {
            return std::nullopt;
        }
        clauses.push_back(std::move(*clause));
    }
    return clauses;
}

std::vector<Clause> clauses_from_text(std::string_view explanation) {
    std::vector<Clause> clauses;
    while (!explanation.empty()) {
        const auto end = explanation.find('\n');
        const std::string_view line = explanation.substr(0, end);
        explanation = end == std::string_view::npos ? std::string_view()
                                                    : explanation.substr(end + 1);
        auto clause = read_line(line);
        if (!clause || words(*clause, Language::en) != line) {
            clause = Clause{};
            clause->kind = Kind::text;
            clause->text = std::string(line);
        }
        clauses.push_back(std::move(*clause));
    }
    return clauses;
}

std::string explanation_words(std::string_view text, std::string_view data, Language language) {
    if (language == Language::en) {
        return std::string(text);
    }
    auto clauses = data.empty() ? std::nullopt : clauses_from_json(data);
    if (!clauses) {
        clauses = clauses_from_text(text);
    }
    return words(*clauses, language);
}

}  // namespace rbl::model
