#include "rbl/rules/describe.hpp"

#include <fmt/format.h>

#include <fstream>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::rules {

namespace {

std::string pick(Language language, std::string_view en, std::string_view zh) {
    return std::string(language == Language::en ? en : zh);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    return fmt::format("{}", fmt::join(items, separator));
}

// The list's deciding department; with `authority_from: evidence`, the evidence's first.
std::string deciding_department(const ListRule& list, Language language) {
    if (!list.authority_from_evidence) {
        return list.authority;
    }
    return language == Language::en
               ? fmt::format("the department that made the decision of the evidence, else {}",
                             list.authority)
               : fmt::format("作出认定依据决定的部门；无记载的，{}", list.authority);
}

std::string selection_words(const Selection& selection, Language language) {
    std::string kinds = selection.kinds.empty() ? pick(language, "any", "任何类型")
                                                : join(selection.kinds, "/");
    std::string text = language == Language::en ? fmt::format("{} records", kinds)
                                                 : fmt::format("{}记录", kinds);
    if (selection.any_domain) {
        text += pick(language, " of any domain", "（所有领域）");
    } else if (selection.domains.size() > 1) {
        text += language == Language::en ? fmt::format(" of {}", join(selection.domains, ", "))
                                         : fmt::format("（领域：{}）", join(selection.domains, "、"));
    }
    if (selection.within) {
        text += language == Language::en
                    ? fmt::format(" within the last {}", describe_duration(*selection.within, language))
                    : fmt::format("，近{}内", describe_duration(*selection.within, language));
    }
    if (selection.where) {
        text += language == Language::en ? fmt::format(" where {}", selection.where->text())
                                         : fmt::format("，且满足 {}", selection.where->text());
    }
    return text;
}

template <typename T>
std::string bounds(const std::optional<T>& at_least, const std::optional<T>& at_most,
                   Language language, auto&& show) {
    if (at_least && at_most) {
        return language == Language::en ? fmt::format("between {} and {}", show(*at_least), show(*at_most))
                                        : fmt::format("{}至{}", show(*at_least), show(*at_most));
    }
    if (at_least) {
        return language == Language::en ? fmt::format("at least {}", show(*at_least))
                                        : fmt::format("不少于{}", show(*at_least));
    }
    return language == Language::en ? fmt::format("at most {}", show(*at_most))
                                    : fmt::format("不超过{}", show(*at_most));
}

void describe_into(const Criterion& criterion, Language language, int depth,
                   std::vector<std::string>& lines) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    auto add = [&](const std::string& text) { lines.push_back(indent + "- " + text); };
    switch (criterion.type) {
        case Criterion::Type::all:
            add(pick(language, "all of:", "同时满足："));
            break;
        case Criterion::Type::any:
            add(pick(language, "any of:", "满足其一："));
            break;
        case Criterion::Type::negation:
            add(pick(language, "not:", "不满足："));
            break;
        case Criterion::Type::exists:
            add(language == Language::en
                    ? fmt::format("at least one {}", selection_words(criterion.selection, language))
                    : fmt::format("有{}", selection_words(criterion.selection, language)));
            break;
        case Criterion::Type::count: {
            auto show = [](std::int64_t n) { return std::to_string(n); };
            add(language == Language::en
                    ? fmt::format("{} {}", bounds(criterion.count_at_least, criterion.count_at_most,
                                                  language, show),
                                  selection_words(criterion.selection, language))
                    : fmt::format("{}，条数{}", selection_words(criterion.selection, language),
                                  bounds(criterion.count_at_least, criterion.count_at_most,
                                         language, show)));
            break;
        }
        case Criterion::Type::sum: {
            auto show = [](const util::Decimal& d) { return d.text(); };
            add(language == Language::en
                    ? fmt::format("the {} of {} totals {}", criterion.sum_field,
                                  selection_words(criterion.selection, language),
                                  bounds(criterion.sum_at_least, criterion.sum_at_most, language,
                                         show))
                    : fmt::format("{}的{}合计{}", selection_words(criterion.selection, language),
                                  criterion.sum_field,
                                  bounds(criterion.sum_at_least, criterion.sum_at_most, language,
                                         show)));
            break;
        }
        case Criterion::Type::subject:
            add(language == Language::en
                    ? fmt::format("the subject: {}", criterion.subject_expression->text())
                    : fmt::format("主体满足 {}", criterion.subject_expression->text()));
            break;
        case Criterion::Type::listed: {
            const std::string target =
                !criterion.listed_list.empty()
                    ? criterion.listed_list
                    : fmt::format("{} {}", model::to_string(*criterion.listed_kind),
                                  criterion.listed_domain);
            add(language == Language::en
                    ? fmt::format("the subject is pending or in force on {}", target)
                    : fmt::format("主体已被列入或拟列入 {}", target));
            break;
        }
        case Criterion::Type::linked:
            add(language == Language::en
                    ? fmt::format("every finding is answered by {} with the same {}",
                                  selection_words(criterion.selection, language),
                                  criterion.link_attribute)
                    : fmt::format("每项认定均有{}相同的{}", criterion.link_attribute,
                                  selection_words(criterion.selection, language)));
            break;
    }
    for (const Criterion& child : criterion.children) {
        describe_into(child, language, depth + 1, lines);
    }
}

}  // namespace

std::vector<std::string> describe_criterion(const Criterion& criterion, Language language) {
    std::vector<std::string> lines;
    describe_into(criterion, language, 0, lines);
    return lines;
}

std::string describe_duration(const util::Duration& duration, Language language) {
    const int n = duration.count;
    switch (duration.unit) {
        case util::Duration::Unit::days:
            return language == Language::en ? fmt::format("{} day{}", n, n == 1 ? "" : "s")
                                            : fmt::format("{}日", n);
        case util::Duration::Unit::months:
            return language == Language::en ? fmt::format("{} month{}", n, n == 1 ? "" : "s")
                                            : fmt::format("{}个月", n);
        case util::Duration::Unit::years:
            return language == Language::en ? fmt::format("{} year{}", n, n == 1 ? "" : "s")
                                            : fmt::format("{}年", n);
    }
    return duration.text();
}


namespace {

// When credit repair may be applied for, and on what conditions (docs/RULES.md `repair:`).
std::string repair_words(const RepairTerms& repair, Language language) {
    const bool en = language == Language::en;
    std::string from = en ? std::string("the entry takes effect") : std::string("生效");
    if (!repair.from_attribute.empty()) {
        from = en ? fmt::format("the {} its evidence records (never before the entry takes "
                                "effect; not while none is recorded)",
                                repair.from_attribute)
                  : fmt::format("认定依据记载的 {}（不早于生效；未记载的不予修复）",
                                repair.from_attribute);
    }
    std::string text;
    if (repair.after && repair.after->count > 0) {
        text = en ? fmt::format("Credit repair may be applied for {} after {}.",
                                describe_duration(*repair.after, language), from)
                  : fmt::format("自{}起满{}后可申请信用修复。", from,
                                describe_duration(*repair.after, language));
    } else {
        text = en ? fmt::format("Credit repair may be applied for from the day {}.", from)
                  : fmt::format("自{}之日起可申请信用修复。", from);
    }
    if (repair.commitment) {
        text += en ? " The application carries the subject's public credit commitment (信用承诺)."
                   : "申请时应提交信用承诺。";
    }
    if (repair.barred_entries > 0 && repair.barred_within) {
        text += en ? fmt::format(" Not for a subject with {} or more entries on this list decided "
                                 "within {}.",
                                 repair.barred_entries,
                                 describe_duration(*repair.barred_within, language))
                   : fmt::format("{}内被列入本名单{}次及以上的，不予信用修复。",
                                 describe_duration(*repair.barred_within, language),
                                 repair.barred_entries);
    }
    return text;
}

}  // namespace

std::vector<std::string> describe_exit(const ListRule& list, Language language) {
    std::vector<std::string> lines;
    const TermRule& term = list.term;
    const bool en = language == Language::en;
    if (!term.length) {
        lines.push_back(pick(language,
                             "The entry has no fixed term: it stays in force until it is lifted, "
                             "repaired or revoked.",
                             "不设固定期限，至移出条件满足、信用修复或撤销时止。"));
    } else if (term.from == TermRule::From::evidence) {
        lines.push_back(en ? fmt::format("The entry expires {} after the date of its evidence (the "
                                         "decision document; the latest end among several).",
                                         describe_duration(*term.length, language))
                           : fmt::format("自认定文书作出之日起{}届满移出（多份文书的，以最晚届满者为准）。",
                                         describe_duration(*term.length, language)));
    } else {
        lines.push_back(en ? fmt::format("The entry expires {} after it takes effect.",
                                         describe_duration(*term.length, language))
                           : fmt::format("自生效之日起{}届满自动移出。",
                                         describe_duration(*term.length, language)));
    }
    if (!term.add_attribute.empty()) {
        lines.push_back(en ? fmt::format("The term is extended by the evidence's {} (default {}).",
                                         term.add_attribute,
                                         describe_duration(term.add_default, language))
                           : fmt::format("期限按认定文书的{}延长（未载明的，延长{}）。",
                                         term.add_attribute,
                                         describe_duration(term.add_default, language)));
    }
    if (term.open_when) {
        lines.push_back(en ? fmt::format("No fixed term when an evidence record meets: {}",
                                         term.open_when->text())
                           : fmt::format("认定文书符合下列条件的，不设固定期限：{}",
                                         term.open_when->text()));
    }
    if (list.lift) {
        lines.push_back(pick(language, "It ends early when the following holds:",
                             "满足下列条件的，提前移出："));
        for (const std::string& line : describe_criterion(*list.lift, language)) {
            lines.push_back(line);
        }
    }
    if (list.repair.allowed) {
        lines.push_back(repair_words(list.repair, language));
    } else {
        lines.push_back(pick(language, "Credit repair before expiry is not allowed.",
                             "有效期内不予信用修复。"));
    }
    return lines;
}

std::string list_markdown(const ListRule& list, Language language) {
    const bool en = language == Language::en;
    std::string out = fmt::format("### {} (`{}`)\n\n", en ? list.title : list.title_zh, list.id);
    out += fmt::format("- {}: {}\n", pick(language, "Kind", "类别"),
                       list.kind == model::ListKind::black
                           ? pick(language, "black list", "黑名单")
                           : pick(language, "red list", "红名单"));
    out += fmt::format("- {}: {}\n", pick(language, "Legal basis", "认定依据"), list.basis);
    out += fmt::format("- {}: {}\n", pick(language, "Deciding department", "认定部门"),
                       deciding_department(list, language));
    if (!list.replaces.empty()) {
        out += fmt::format(
            "- {}: {}\n", pick(language, "Replaces", "替代"),
            en ? fmt::format("{} (an earlier revision's id of this list: its entries count as "
                             "this list's)",
                             join(list.replaces, ", "))
               : fmt::format("{}（本名单在此前规则版本中的标识，其条目视同本名单条目）",
                             join(list.replaces, "、")));
    }
    if (!list.subjects.empty()) {
        std::vector<std::string> subjects;
        for (model::SubjectType type : list.subjects) {
            subjects.emplace_back(model::to_string(type));
        }
        out += fmt::format("- {}: {}\n", pick(language, "Who may be listed", "认定对象"),
                           join(subjects, ", "));
    }
    out += fmt::format("- {}: {}\n", pick(language, "Procedure", "认定程序"),
                       en ? fmt::format("prior notice {} working days, public notice {} working "
                                        "days, objections answered within {} working days",
                                        list.procedure.notice_days, list.procedure.publicity_days,
                                        list.procedure.appeal_days)
                          : fmt::format("告知{}个工作日，公示{}个工作日，异议在{}个工作日内答复",
                                        list.procedure.notice_days, list.procedure.publicity_days,
                                        list.procedure.appeal_days));
    out += fmt::format("\n{}\n\n", pick(language, "**Criteria**", "**认定标准**"));
    for (const std::string& line : describe_criterion(list.criteria, language)) {
        out += line + "\n";
    }
    out += fmt::format("\n{}\n\n", pick(language, "**Leaving the list**", "**移出条件**"));
    for (const std::string& line : describe_exit(list, language)) {
        out += line + "\n";
    }
    if (!list.measures.empty()) {
        out += fmt::format("\n{}\n\n", pick(language, "**Measures**", "**联合奖惩措施**"));
        for (const Measure& measure : list.measures) {
            out += fmt::format("- {}（{}）\n", measure.text_zh, join(measure.departments, "、"));
        }
    }
    return out + "\n";
}

std::string rules_markdown(const RuleSet& rules) {
    std::string out = "# 信用红黑名单认定标准 / Criteria of the credit red and black lists\n\n";
    for (Language language : {Language::zh, Language::en}) {
        out += language == Language::zh ? "## 中文\n\n" : "## English\n\n";
        for (const auto& [name, domain] : rules.domains()) {
            if (domain.lists.empty()) {
                continue;
            }
            out += fmt::format("## {}（{} {}）\n\n",
                               language == Language::zh ? domain.title_zh : domain.title,
                               language == Language::zh ? "版本" : "version", domain.version);
            for (const ListRule& list : domain.lists) {
                out += list_markdown(list, language);
            }
        }
    }
    return out;
}

void write_rules_markdown(const RuleSet& rules, const std::filesystem::path& out) {
    std::error_code ec;
    if (out.has_parent_path() && !std::filesystem::is_directory(out.parent_path(), ec)) {
        throw UsageError(trf("folder {} does not exist", out.parent_path().string()));
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << rules_markdown(rules);
    if (!file.flush()) {
        throw FailedError(trf("cannot write {}", out.string()));
    }
}

}  // namespace rbl::rules
