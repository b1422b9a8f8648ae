#include "rbl/check/checker.hpp"

#include <nlohmann/json.hpp>

#include <utility>

#include "rbl/ids/ids.hpp"
#include "rbl/store/lookup_store.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::check {

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::found:
            return tr_later("found");
        case Outcome::unknown:
            return tr_later("unknown");
        case Outcome::invalid:
            return tr_later("invalid");
    }
    return "unknown";
}

Checker::Checker(store::Database& db, CheckOptions options)
    : m_options(std::move(options)), m_today(util::today()), m_reader(db) {
    // Without any run there is no entry; the as-of day then stands for the last run's.
    m_last_run = m_reader.last_run_as_of().value_or(m_options.as_of);
}

Answer Checker::check(std::string_view asked, std::uint64_t line) {
    Answer answer;
    answer.asked = asked;
    answer.line = line;
    answer.subject_id = ids::normalise(asked);
    const auto valid = ids::validate(answer.subject_id, m_today);
    if (!valid) {
        answer.outcome = Outcome::invalid;
        answer.reason = valid.error();
        return answer;
    }
    if (!m_reader.subject(answer.subject_id, m_options.as_of, m_standing)) {
        answer.outcome = Outcome::unknown;
        return answer;
    }
    answer.outcome = Outcome::found;
    answer.subject_name = m_standing.name;
    answer.subject_type = m_standing.subject_type;
    add_listings(answer);
    return answer;
}

void Checker::add_listings(Answer& answer) {
    for (const store::CheckedEntry& stored : m_standing.entries) {
        const model::DayState state =
            model::state_as_published(stored.entry, m_options.as_of, m_last_run);
        if (!model::is_open(state.status)) {
            continue;
        }
        const model::Entry& entry = stored.entry;
        Listing& listing = answer.entries.emplace_back();
        listing.entry_id = entry.entry_id;
        listing.list_id = entry.list_id;
        listing.list_title = stored.list_title;
        listing.list_title_zh = stored.list_title_zh;
        listing.kind = std::string(model::to_string(entry.kind));
        listing.domain = entry.domain;
        listing.status = state.status;
        listing.effective_from = entry.effective_from;
        listing.expires_on = entry.expires_on;
        listing.disputed = entry.disputed;
        listing.measures = measures_of(stored);
        if (state.status == model::EntryStatus::effective) {
            (entry.kind == model::ListKind::black ? answer.listed_black : answer.listed_red) = true;
        }
    }
}

const std::vector<MeasureDue>& Checker::measures_of(const store::CheckedEntry& entry) {
    // Entries of one list share their terms' text: each text is parsed once per process.
    const auto found = m_measures.find(entry.terms_json);
    if (found != m_measures.end()) {
        return found->second;
    }
    std::vector<MeasureDue> due;
    for (const model::EntryMeasure& measure :
         model::EntryTerms::parse(entry.terms_json, entry.entry.entry_id).measures) {
        if (!m_options.department) {
            due.push_back({measure.id, measure.text_zh, measure.departments});
        } else if (measure.applies_to(*m_options.department)) {
            due.push_back({measure.id, measure.text_zh, {}});
        }
    }
    return m_measures.emplace(entry.terms_json, std::move(due)).first->second;
}

void record_lookups(store::Database& db, const Caller& caller, const CheckOptions& options,
                    std::vector<Answer>& answers) {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    store::LookupStore log(db);
    store::Lookup lookup;
    lookup.at = util::utc_now_iso();
    lookup.operator_name = caller.operator_name;
    lookup.login = caller.login;
    lookup.department = options.department;
    lookup.as_of = options.as_of.iso();
    std::vector<std::int64_t> ids;
    ids.reserve(answers.size());
    for (const Answer& answer : answers) {
        nlohmann::json entries = nlohmann::json::array();
        for (const Listing& listing : answer.entries) {
            entries.push_back(listing.entry_id);
        }
        lookup.subject_id = answer.outcome == Outcome::invalid ? answer.asked : answer.subject_id;
        lookup.outcome = to_string(answer.outcome);
        lookup.entries_json = entries.dump();
        ids.push_back(log.record(lookup));
    }
    transaction.commit();
    // Only once committed do the answers name their rows of the log.
    for (std::size_t i = 0; i < answers.size(); ++i) {
        answers[i].lookup_id = ids[i];
    }
}

OutcomeCounts count_outcomes(const std::vector<Answer>& answers) {
    OutcomeCounts counts;
    for (const auto& answer : answers) {
        switch (answer.outcome) {
            case Outcome::found:
                ++counts.found;
                counts.listed += answer.entries.empty() ? 0 : 1;
                break;
            case Outcome::unknown:
                ++counts.unknown;
                break;
            case Outcome::invalid:
                ++counts.invalid;
                break;
        }
    }
    return counts;
}

}  // namespace rbl::check
