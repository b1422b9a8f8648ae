#include "rbl/rules/list_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "rbl/model/list_kind.hpp"
#include "rbl/util/i18n.hpp"

// The checks across rule files and the evaluation order of the lists (SPEC.md §3 "Order").

namespace rbl::rules {

namespace {

// The lists a `listed` criterion can see, by the given lists' ids.
bool sees(const Criterion& criterion, const ListRule& other) {
    if (criterion.type == Criterion::Type::listed) {
        if (!criterion.listed_list.empty()) {
            return criterion.listed_list == other.id;
        }
        return criterion.listed_kind == other.kind &&
               (criterion.listed_domain == "any" || criterion.listed_domain == other.domain);
    }
    return std::any_of(criterion.children.begin(), criterion.children.end(),
                       [&](const Criterion& child) { return sees(child, other); });
}

void for_each_criterion(const Criterion& criterion,
                        const std::function<void(const Criterion&)>& visit) {
    visit(criterion);
    for (const Criterion& child : criterion.children) {
        for_each_criterion(child, visit);
    }
}

using ListsById = std::map<std::string, const ListRule*, std::less<>>;
using Domains = std::map<std::string, DomainRules, std::less<>>;

// References: `listed: {list: ...}` and selection domains must exist; black looks not at red;
// a test's entries name known lists.
void check_references(const Domains& domains, const ListsById& by_id, Diagnostics& diagnostics) {
    for (const auto& [name, domain] : domains) {
        const std::string file = domain.file.string();
        for (const ListRule& list : domain.lists) {
            auto check = [&](const Criterion& criterion) {
                if (criterion.type == Criterion::Type::listed) {
                    const ListRule* target = nullptr;
                    if (!criterion.listed_list.empty()) {
                        auto it = by_id.find(criterion.listed_list);
                        if (it == by_id.end()) {
                            diagnostics.add(
                                file, criterion.spot.line, criterion.spot.column,
                                trf("listed names unknown list '{}'", criterion.listed_list));
                            return;
                        }
                        target = it->second;
                    } else if (criterion.listed_domain != "any" &&
                               !domains.contains(criterion.listed_domain)) {
                        diagnostics.add(
                            file, criterion.spot.line, criterion.spot.column,
                            trf("listed names unknown domain '{}'", criterion.listed_domain));
                    }
                    const bool looks_at_red = target != nullptr
                                                  ? target->kind == model::ListKind::red
                                                  : criterion.listed_kind == model::ListKind::red;
                    if (list.kind == model::ListKind::black && looks_at_red) {
                        diagnostics.add(file, criterion.spot.line, criterion.spot.column,
                                        tr("a black list's listed may not look at red lists"));
                    }
                }
                for (const std::string& selected : criterion.selection.domains) {
                    if (!domains.contains(selected)) {
                        diagnostics.add(file, criterion.spot.line, criterion.spot.column,
                                        trf("selection names unknown domain '{}'", selected));
                    }
                }
            };
            for_each_criterion(list.criteria, check);
            if (list.lift) {
                for_each_criterion(*list.lift, check);
            }
            for (const RuleTest& test : list.tests) {
                for (const std::string& entry : test.entries) {
                    if (!by_id.contains(entry)) {
                        diagnostics.add(
                            file, test.spot.line, test.spot.column,
                            trf("test '{}' names unknown list '{}' in entries", test.name, entry));
                    }
                }
            }
        }
    }
}

// Depth-first over "sees", black lists first, then red (SPEC §4 step order), each kind in id
// order; a list seen while on the path is a cycle.
std::vector<const ListRule*> evaluation_order(std::vector<const ListRule*> all,
                                              const Domains& domains, Diagnostics& diagnostics) {
    std::vector<const ListRule*> order;
    std::map<const ListRule*, int> state;  // 1 visiting, 2 done
    std::function<void(const ListRule*)> visit = [&](const ListRule* list) {
        state[list] = 1;
        for (const ListRule* other : all) {
            if (other == list || !(sees(list->criteria, *other) ||
                                   (list->lift && sees(*list->lift, *other)))) {
                continue;
            }
            if (state[other] == 1) {
                const auto domain = domains.find(list->domain);
                diagnostics.add(
                    domain != domains.end() ? domain->second.file.string() : std::string("rules"),
                    list->spot.line, list->spot.column,
                    trf("lists '{}' and '{}' see each other through listed: "
                        "a cycle",
                        list->id, other->id));
                continue;
            }
            if (state[other] == 0) {
                visit(other);
            }
        }
        state[list] = 2;
        order.push_back(list);
    };
    // Black lists first, then red (SPEC §4 step order), each kind in id order.
    std::stable_sort(all.begin(), all.end(), [](const ListRule* a, const ListRule* b) {
        if (a->kind != b->kind) {
            return a->kind == model::ListKind::black;
        }
        return a->id < b->id;
    });
    for (const ListRule* list : all) {
        if (state[list] == 0) {
            visit(list);
        }
    }
    return order;
}

}  // namespace

namespace {

// `replaces:` names lists no longer in the rules, each replaced by one list of the same kind.
void check_replaced(const Domains& domains, const ListsById& by_id, Diagnostics& diagnostics) {
    std::map<std::string, std::string, std::less<>> replaced_by;
    for (const auto& [name, domain] : domains) {
        const std::string file = domain.file.string();
        for (const ListRule& list : domain.lists) {
            for (const std::string& old_id : list.replaces) {
                const SourceSpot& spot = list.replaces_spot;
                if (by_id.contains(old_id)) {
                    diagnostics.add(file, spot.line, spot.column,
                                    trf("list {} replaces '{}', which is still in the rules",
                                        list.id, old_id));
                } else if (const auto [it, added] = replaced_by.emplace(old_id, list.id);
                           !added) {
                    diagnostics.add(file, spot.line, spot.column,
                                    trf("'{}' is replaced by two lists, {} and {}", old_id,
                                        it->second, list.id));
                } else if (old_id.find(fmt::format(".{}.", model::to_string(list.kind))) ==
                           std::string::npos) {
                    diagnostics.add(file, spot.line, spot.column,
                                    trf("list {} replaces '{}', which is no {} list id "
                                        "(DOMAIN.{}.NAME)",
                                        list.id, old_id, model::to_string(list.kind),
                                        model::to_string(list.kind)));
                }
            }
        }
    }
}

}  // namespace

std::vector<const ListRule*> order_lists(const Domains& domains, Diagnostics& diagnostics) {
    std::vector<const ListRule*> all;
    std::map<std::string, const ListRule*, std::less<>> by_id;
    for (const auto& [name, domain] : domains) {
        for (const ListRule& list : domain.lists) {
            all.push_back(&list);
            const std::string file = domain.file.string();
            if (!list.id.empty() && !by_id.emplace(list.id, &list).second) {
                diagnostics.add(file, list.spot.line, list.spot.column,
                                trf("list id '{}' is defined twice", list.id));
            }
        }
    }
    check_references(domains, by_id, diagnostics);
    check_replaced(domains, by_id, diagnostics);
    return evaluation_order(std::move(all), domains, diagnostics);
}

}  // namespace rbl::rules
