#include "rbl/engine/entry_term.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rbl/util/i18n.hpp"

namespace rbl::engine {

namespace {

// The longest extension read from a record (as a rule file's terms: at most 100 years).
constexpr int k_max_extension_years = 100;

bool reasonable(const util::Duration& duration) {
    switch (duration.unit) {
        case util::Duration::Unit::days:
            return duration.count <= k_max_extension_years * 366;
        case util::Duration::Unit::months:
            return duration.count <= k_max_extension_years * 12;
        case util::Duration::Unit::years:
            return duration.count <= k_max_extension_years;
    }
    return false;
}

// The record's `add:` extension, or the default when it has none; a value that is not a
// duration is reported and the default used.
util::Duration extension_of(const rules::TermRule& term, const SubjectRecord& record,
                            std::vector<std::string>& warnings) {
    for (const AttributeValue& attribute : record.attributes) {
        if (attribute.name != term.add_attribute || attribute.text.empty()) {
            continue;
        }
        auto parsed = util::parse_duration(attribute.text);
        if (parsed && reasonable(*parsed)) {
            return *parsed;
        }
        warnings.push_back(
            trf("record {}: {} '{}' is not a duration of at most {} years (e.g. 1y); {} is used",
                record.record_id, term.add_attribute, attribute.text, k_max_extension_years,
                term.add_default.text()));
        return term.add_default;
    }
    return term.add_default;
}

}  // namespace

EntryTerm entry_term(const rules::ListRule& list, std::span<const SubjectRecord> records,
                     std::span<const std::size_t> evidence, util::Date effective_from,
                     util::Date as_of, CriteriaEvaluator& evaluator) {
    const rules::TermRule& term = list.term;
    EntryTerm out;
    model::Clause clause;
    clause.kind = model::Clause::Kind::term;
    const auto explained = [&out, &clause] {
        out.explanation = model::words(clause, i18n::Language::en);
        out.clause = clause;
    };
    if (!term.length) {
        clause.term = model::Clause::Term::open;
        explained();
        return out;
    }
    if (term.fixed()) {
        out.expires_on = term.length->after(effective_from);
        return out;
    }
    std::optional<util::Date> latest;
    // The anchor of the latest end, as the clause names it: a record, its date, its extension.
    model::Clause from;
    const auto consider = [&](util::Date anchor, const util::Duration& extension,
                              const model::Clause& what) {
        const util::Date end = extension.after(term.length->after(anchor));
        if (!latest || end > *latest) {
            latest = end;
            from = what;
        }
    };
    if (evidence.empty()) {
        consider(effective_from, term.add_default, model::Clause{});
    }
    for (std::size_t index : evidence) {
        const SubjectRecord& record = records[index];
        if (term.open_when && evaluator.record_holds(list, *term.open_when, record, as_of)) {
            clause.term = model::Clause::Term::open_when;
            clause.record = record.record_id;
            clause.expression = term.open_when->text();
            explained();
            out.expires_on = std::nullopt;
            return out;
        }
        const util::Duration extension = term.add_attribute.empty()
                                             ? util::Duration{}
                                             : extension_of(term, record, out.warnings);
        const util::Date anchor =
            term.from == rules::TermRule::From::evidence ? record.date : effective_from;
        model::Clause what;
        what.from_evidence = term.from == rules::TermRule::From::evidence;
        if (what.from_evidence) {
            what.record = record.record_id;
            what.record_date = record.date.iso();
        }
        if (extension.count != 0) {
            what.record = record.record_id;
            what.add_attribute = term.add_attribute;
            what.extension = extension.text();
        }
        consider(anchor, extension, what);
    }
    out.expires_on = latest;
    clause.term = model::Clause::Term::counted;
    clause.length = term.length->text();
    clause.from_evidence = from.from_evidence;
    clause.record = from.record;
    clause.record_date = from.record_date;
    clause.add_attribute = from.add_attribute;
    clause.extension = from.extension;
    clause.expires = latest->iso();
    explained();
    return out;
}

std::string term_text(const rules::TermRule& term) {
    if (!term.written) {
        return {};
    }
    std::string text = fmt::format(
        "from {}, {}", term.from == rules::TermRule::From::evidence ? "evidence" : "effective",
        term.length ? term.length->text() : std::string("open"));
    if (!term.add_attribute.empty()) {
        text += fmt::format(", add {} (default {})", term.add_attribute, term.add_default.text());
    }
    if (term.open_when) {
        text += fmt::format(", open when {}", term.open_when->text());
    }
    return text;
}

std::string entry_authority(const rules::ListRule& list, std::span<const SubjectRecord> records,
                            std::span<const std::size_t> evidence) {
    const SubjectRecord* latest = nullptr;
    if (list.authority_from_evidence) {
        for (std::size_t index : evidence) {
            const SubjectRecord& record = records[index];
            if (record.authority && !record.authority->empty() &&
                (latest == nullptr || !(record.date < latest->date))) {
                latest = &record;
            }
        }
    }
    return latest != nullptr ? *latest->authority : list.authority;
}

model::EntryTerms entry_terms_of(const rules::ListRule& list) {
    model::EntryTerms terms{.validity = list.validity,
                            .expiry_fixed = !list.term.fixed(),
                            .term = term_text(list.term),
                            .notice_days = list.procedure.notice_days,
                            .publicity_days = list.procedure.publicity_days,
                            .appeal_days = list.procedure.appeal_days,
                            .repair_allowed = list.repair.allowed,
                            .repair_after = list.repair.after,
                            .repair_from = list.repair.from_attribute,
                            .repair_commitment = list.repair.commitment,
                            .repair_barred_entries = list.repair.barred_entries,
                            .repair_barred_within = list.repair.barred_within,
                            .measures = {}};
    for (const rules::Measure& measure : list.measures) {
        terms.measures.push_back({measure.id, measure.text_zh, measure.departments});
    }
    return terms;
}

}  // namespace rbl::engine
