#include "rbl/engine/adjudicator.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "rbl/engine/criteria.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/model/entry_history.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/store/appeal_store.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/store/subject_reader.hpp"

namespace rbl::engine {

namespace {

using model::Entry;
using model::EntryStatus;

constexpr int k_progress_every = 1024;

// What an entry keeps of its list's rule.
std::string terms_json(const rules::ListRule& list) {
    model::EntryTerms terms{.validity = list.validity,
                            .notice_days = list.procedure.notice_days,
                            .publicity_days = list.procedure.publicity_days,
                            .appeal_days = list.procedure.appeal_days,
                            .repair_allowed = list.repair.allowed,
                            .repair_after = list.repair.after,
                            .measures = {}};
    for (const rules::Measure& measure : list.measures) {
        terms.measures.push_back({measure.id, measure.text_zh, measure.departments});
    }
    return terms.to_json();
}

SubjectFacts facts_of(const store::SubjectRows& rows) {
    return SubjectFacts{rows.subject_id,
                        model::parse_subject_type(rows.subject_type)
                            .value_or(model::SubjectType::legal_person),
                        rows.region};
}

std::vector<SubjectRecord> records_of(const store::SubjectRows& rows,
                                      const rules::RuleSet& rules) {
    std::vector<SubjectRecord> records;
    records.reserve(rows.records.size());
    for (const store::StoredRecord& stored : rows.records) {
        SubjectRecord record;
        record.rec = stored.rec;
        record.record_id = stored.record_id;
        record.domain = stored.domain;
        record.kind = stored.kind;
        record.date = util::parse_iso_date(stored.date).value_or(util::Date());
        record.amount = stored.amount_fen;
        record.authority = stored.authority;
        record.region = stored.region;
        if (stored.attrs.size() > 2) {
            record.set_attributes(stored.attrs, rules.domain(stored.domain));
        }
        records.push_back(std::move(record));
    }
    return records;
}

// The work on one subject: steps 1-5 of SPEC §4, which only ever look at this subject.
class SubjectAdjudication {
public:
    SubjectAdjudication(const rules::RuleSet& rules, const rules::Calendar& calendar,
                        const AdjudicateOptions& options, store::EntryStore& entries,
                        CriteriaEvaluator& evaluator, AdjudicationSummary& summary,
                        Reporter& reporter)
        : m_rules(rules),
          m_calendar(calendar),
          m_options(options),
          m_entries(entries),
          m_evaluator(evaluator),
          m_summary(summary),
          m_reporter(reporter) {}

    void run(const store::SubjectRows& rows, std::vector<Entry> open) {
        m_rows = &rows;
        m_subject = facts_of(rows);
        m_records = records_of(rows, m_rules);
        m_open = std::move(open);
        m_status_read.clear();
        for (const Entry& entry : m_open) {
            m_status_read.emplace_back(entry.entry_id, entry.status);
        }
        m_advanced.clear();
        advance();
        adjust();
        for (const rules::ListRule* list : m_rules.lists()) {
            if (list->kind == rules::ListKind::black) {
                consider(*list);
            }
        }
        exclude_red();
        for (const rules::ListRule* list : m_rules.lists()) {
            if (list->kind == rules::ListKind::red) {
                consider(*list);
            }
        }
        stage_advances();
    }

private:
    bool in_scope(std::string_view domain) const {
        return m_options.domains.empty() ||
               std::find(m_options.domains.begin(), m_options.domains.end(), domain) !=
                   m_options.domains.end();
    }

    std::vector<std::string> open_list_ids() const {
        std::vector<std::string> ids;
        for (const Entry& entry : m_open) {
            if (model::is_open(entry.status)) {
                ids.push_back(entry.list_id);
            }
        }
        return ids;
    }

    void record(const Entry& entry, std::string change, std::string reason) {
        ListCounts& counts = m_summary.lists[entry.list_id];
        if (change == "advanced") {
            ++counts.advanced;
        } else if (change == "expired") {
            ++counts.expired;
        } else if (change == "withdrawn") {
            ++counts.withdrawn;
        } else if (change == "revoked") {
            ++counts.revoked;
        } else if (change == "lifted") {
            ++counts.lifted;
        }
        store::StagedChange staged;
        staged.entry = entry;
        staged.subject_name = m_rows->name;
        staged.change = std::move(change);
        staged.detail = std::move(reason);
        staged.status_read = status_read(entry.entry_id);
        m_entries.stage(staged);
    }

    EntryStatus status_read(std::int64_t entry_id) const {
        for (const auto& [id, status] : m_status_read) {
            if (id == entry_id) {
                return status;
            }
        }
        return EntryStatus::notice;
    }

    void end(Entry& entry, EntryStatus status, util::Date on, std::string reason) {
        model::end_entry(entry, status, on, std::move(reason));
    }

    // Steps 1 and 2: move entries along their dates, then re-check them.
    // Step 1: every entry moves along its dates before any is re-checked. Entries only move
    // forward, even when a forced run goes back in time.
    void advance() {
        for (Entry& entry : m_open) {
            if (!in_scope(entry.domain) || model::is_held(entry)) {
                continue;  // a pending entry held by an open objection does not move
            }
            const EntryStatus before = entry.status;
            const EntryStatus scheduled = model::status_on(entry, m_options.as_of);
            if (scheduled == EntryStatus::expired) {
                end(entry, EntryStatus::expired, entry.expires_on, "validity ran out");
                record(entry, "expired", entry.end_reason);
            } else if (scheduled != before) {
                model::advance_entry(entry, scheduled);
                m_advanced.push_back(entry.entry_id);  // staged once the run's later steps are done
            }
        }
    }

    // Step 2: re-check open entries as of their decision date with the current records
    // (withdrawn or corrected records can end an entry, the passing of time cannot); lift
    // effective ones whose list's `lift` holds; withdraw pending entries of removed lists.
    void adjust() {
        for (Entry& entry : m_open) {
            if (!in_scope(entry.domain) || !model::is_open(entry.status)) {
                continue;
            }
            const rules::ListRule* list = m_rules.list(entry.list_id);
            if (list == nullptr) {
                if (model::is_pending(entry.status)) {
                    end(entry, EntryStatus::withdrawn, m_options.as_of, "rule_removed");
                    record(entry, "withdrawn", entry.end_reason);
                }
                continue;
            }
            const Verdict recheck = m_evaluator.evaluate(*list, list->criteria, m_subject,
                                                         m_records, other_lists(entry),
                                                         entry.decided_on);
            if (!recheck.holds) {
                if (model::is_pending(entry.status)) {
                    end(entry, EntryStatus::withdrawn, m_options.as_of,
                        "criteria_no_longer_hold");
                    record(entry, "withdrawn", entry.end_reason);
                } else {
                    end(entry, EntryStatus::revoked, m_options.as_of, "evidence_withdrawn");
                    record(entry, "revoked", entry.end_reason);
                }
                continue;
            }
            if (entry.status == EntryStatus::effective && lift_holds(*list, other_lists(entry))) {
                end(entry, EntryStatus::lifted, m_options.as_of, "lift criteria hold");
                record(entry, "lifted", entry.end_reason);
            }
        }
    }

    // `lists`: the lists the subject is on, apart from the entry whose lift is in question.
    bool lift_holds(const rules::ListRule& list, const std::vector<std::string>& lists) {
        return list.lift &&
               m_evaluator.evaluate(list, *list.lift, m_subject, m_records, lists, m_options.as_of)
                   .holds;
    }

    // Entries that moved to a later pending or in-force state and did not end in this run are
    // counted as advanced, once (SPEC §4: ends count only under their own name).
    void stage_advances() {
        for (const Entry& entry : m_open) {
            if (model::is_open(entry.status) && entry.entry_id != 0 &&
                std::find(m_advanced.begin(), m_advanced.end(), entry.entry_id) !=
                    m_advanced.end()) {
                record(entry, "advanced", "");
            }
        }
    }

    // The lists of the subject's open entries other than `except` (an element of m_open).
    std::vector<std::string> other_lists(const Entry& except) const {
        std::vector<std::string> ids;
        for (const Entry& entry : m_open) {
            if (model::is_open(entry.status) && &entry != &except) {
                ids.push_back(entry.list_id);
            }
        }
        return ids;
    }

    bool has_open(const std::string& list_id) const {
        return std::any_of(m_open.begin(), m_open.end(), [&](const Entry& entry) {
            return entry.list_id == list_id && model::is_open(entry.status);
        });
    }

    bool has_open_black() const {
        return std::any_of(m_open.begin(), m_open.end(), [](const Entry& entry) {
            return entry.kind == "black" && model::is_open(entry.status);
        });
    }

    // Step 4: a subject effective on a black list loses its red entries.
    void exclude_red() {
        const bool effective_black =
            std::any_of(m_open.begin(), m_open.end(), [](const Entry& entry) {
                return entry.kind == "black" && entry.status == EntryStatus::effective;
            });
        if (!effective_black) {
            return;
        }
        for (Entry& entry : m_open) {
            if (entry.kind != "red" || !model::is_open(entry.status) || !in_scope(entry.domain)) {
                continue;
            }
            if (model::is_pending(entry.status)) {
                end(entry, EntryStatus::withdrawn, m_options.as_of, "black_listed");
                record(entry, "withdrawn", entry.end_reason);
            } else {
                end(entry, EntryStatus::revoked, m_options.as_of, "black_listed");
                record(entry, "revoked", entry.end_reason);
            }
        }
    }

    // Steps 3 and 5: a subject that meets a list's criteria gets an entry.
    void consider(const rules::ListRule& list) {
        if (!in_scope(list.domain) || !list.admits(m_subject.subject_type) ||
            has_open(list.id) || (list.kind == rules::ListKind::red && has_open_black())) {
            return;
        }
        const Verdict verdict = m_evaluator.evaluate(list, list.criteria, m_subject, m_records,
                                                     open_list_ids(), m_options.as_of);
        if (!verdict.holds) {
            return;
        }
        // Every open entry counts here, those created earlier in this run too (they have no id
        // yet, so other_lists() would leave them out).
        if (lift_holds(list, open_list_ids())) {
            return;  // the subject already meets the list's way out: an entry would end at once
        }
        if (!verdict.evidence.empty()) {
            // No listing twice for the same facts: those of entries that ended before this run,
            // or in it (a lift or an expiry a moment ago), other than by withdrawal.
            auto used = m_entries.used_evidence(m_subject.subject_id, list.id);
            for (const Entry& entry : m_open) {
                if (entry.list_id == list.id && entry.entry_id != 0 &&
                    !model::is_open(entry.status) && entry.status != EntryStatus::withdrawn) {
                    const auto decisions = m_entries.evidence_of(entry.entry_id);
                    used.insert(used.end(), decisions.begin(), decisions.end());
                }
            }
            // By decision, not by stored row: another source's copy of a used fact is used too.
            const bool all_used = std::all_of(
                verdict.evidence.begin(), verdict.evidence.end(), [&](std::size_t index) {
                    const SubjectRecord& record = m_records[index];
                    return std::find(used.begin(), used.end(),
                                     store::Decision{record.domain, record.kind,
                                                     record.record_id}) != used.end();
                });
            if (all_used) {
                return;
            }
        }
        create(list, verdict);
    }

    void create(const rules::ListRule& list, const Verdict& verdict) {
        Entry entry;
        entry.list_id = list.id;
        entry.subject_id = m_subject.subject_id;
        entry.kind = std::string(rules::to_string(list.kind));
        entry.domain = list.domain;
        entry.decided_on = m_options.as_of;
        util::Date last = entry.decided_on;
        bool pending_period = false;
        if (list.procedure.notice_days > 0) {
            const auto period = m_calendar.period_end(last, list.procedure.notice_days);
            warn_coverage(period);
            entry.notice_until = period.end;
            last = period.end;
            pending_period = true;
        }
        if (list.procedure.publicity_days > 0) {
            const auto period = m_calendar.period_end(last, list.procedure.publicity_days);
            warn_coverage(period);
            entry.publicity_until = period.end;
            last = period.end;
            pending_period = true;
        }
        entry.effective_from = pending_period ? last.plus_days(1) : entry.decided_on;
        entry.expires_on = list.validity.after(entry.effective_from);
        entry.status = model::scheduled_status(entry, m_options.as_of);

        std::string explanation;
        for (const std::string& line : verdict.explanation) {
            explanation += line;
            explanation += '\n';
        }
        store::StagedChange staged;
        staged.create = true;
        staged.entry = entry;
        staged.subject_name = m_rows->name;
        staged.change = "created";
        staged.detail = std::move(explanation);
        for (std::size_t index : verdict.evidence) {
            staged.evidence.emplace_back(m_records[index].rec, m_records[index].record_id);
        }
        m_entries.stage(staged);
        ++m_summary.lists[list.id].created;
        m_open.push_back(entry);  // later lists of this run see it
    }

    void warn_coverage(const rules::PeriodEnd& period) {
        if (period.beyond_coverage && !m_warned_coverage) {
            m_warned_coverage = true;
            m_reporter.warning(m_calendar.coverage_warning(period));
        }
    }

    const rules::RuleSet& m_rules;
    const rules::Calendar& m_calendar;
    const AdjudicateOptions& m_options;
    store::EntryStore& m_entries;
    CriteriaEvaluator& m_evaluator;
    AdjudicationSummary& m_summary;
    Reporter& m_reporter;
    const store::SubjectRows* m_rows = nullptr;
    SubjectFacts m_subject;
    std::vector<SubjectRecord> m_records;
    std::vector<Entry> m_open;
    std::vector<std::pair<std::int64_t, EntryStatus>> m_status_read;  ///< as in the snapshot
    std::vector<std::int64_t> m_advanced;
    bool m_warned_coverage = false;
};

void check_options(const rules::RuleSet& rules, const AdjudicateOptions& options,
                   store::EntryStore& entries) {
    for (const std::string& domain : options.domains) {
        if (rules.domain(domain) == nullptr) {
            throw UsageError(fmt::format("unknown domain '{}' (no rule file {}.yaml)", domain,
                                         domain));
        }
    }
    if (const auto last = entries.last_as_of(); last && options.as_of.iso() < *last &&
                                                 !options.force) {
        throw UsageError(fmt::format("the last run was as of {}; a run as of {} would go back "
                                     "in time (use --force to allow it)",
                                     *last, options.as_of.iso()));
    }
}

EntryChange change_of(const store::StagedChange& staged) {
    return EntryChange{staged.entry.list_id, staged.entry.subject_id, staged.subject_name,
                       staged.change, std::string(model::to_string(staged.entry.status)),
                       staged.detail};
}

// What the entries of a list keep of its rule, as the rules stand in this run; built once per
// list and run.
const store::ListTerms& list_terms(const rules::RuleSet& rules, const std::string& list_id,
                                   std::map<std::string, store::ListTerms>& cache) {
    if (const auto found = cache.find(list_id); found != cache.end()) {
        return found->second;
    }
    const rules::ListRule* list = rules.list(list_id);
    const rules::DomainRules* domain = rules.domain(list->domain);
    return cache
        .emplace(list_id, store::ListTerms{list->title, list->title_zh, list->basis,
                                           list->authority, terms_json(*list), domain->version,
                                           domain->text_sha256})
        .first->second;
}

// Undoes the count of a staged change that was not written.
void uncount(ListCounts& counts, std::string_view change) {
    if (change == "advanced") {
        --counts.advanced;
    } else if (change == "expired") {
        --counts.expired;
    } else if (change == "withdrawn") {
        --counts.withdrawn;
    } else if (change == "revoked") {
        --counts.revoked;
    } else if (change == "lifted") {
        --counts.lifted;
    }
}

// Writes the staged changes in one transaction. Returns false, writing nothing, when another run
// was recorded after the snapshot this one evaluated (its changes would be stale: evaluate again).
// An entry that an appeal changed since the snapshot keeps what the appeal made of it: its staged
// change is skipped with a warning, and the next run takes the entry up again.
bool write_changes(store::Database& db, audit::AuditLog& audit, store::EntryStore& entries,
                   const rules::RuleSet& rules, const AdjudicateOptions& options,
                   const ChangeSink& on_change, AdjudicationSummary& summary,
                   const std::string& started_at, std::int64_t last_run_read,
                   Reporter& reporter) {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    if (entries.last_run_id() != last_run_read) {
        return false;
    }
    nlohmann::json domains = nullptr;
    if (!options.domains.empty()) {
        domains = options.domains;
    }
    const std::int64_t run_id = entries.begin_run(store::RunStart{
        summary.as_of, options.operator_name, RBL_VERSION, rules.sha256(),
        domains.is_null() ? std::nullopt : std::optional(domains.dump()), options.force,
        started_at});
    std::map<std::string, store::ListTerms> terms_cache;
    // Each entry's audit row carries the hash of its content as written, read back from the
    // table (SPEC.md §7): what `rbl-audit verify` recomputes, whatever the write statement set.
    store::StateReader states(db);
    const auto state_of = [&states](std::int64_t entry_id) {
        const auto state = states.entry_state(entry_id);
        return state ? store::to_hex(*state) : std::string();
    };
    entries.for_each_staged([&](const store::StagedChange& staged) {
        if (staged.create) {
            const std::int64_t entry_id =
                entries.create(staged.entry, list_terms(rules, staged.entry.list_id, terms_cache),
                               staged.detail, staged.evidence, run_id);
            nlohmann::json evidence = nlohmann::json::array();
            for (const auto& [rec, record_id] : staged.evidence) {
                evidence.push_back(record_id);
            }
            audit.append("entry.created", fmt::format("entry:{}", entry_id),
                         nlohmann::json{{"run_id", run_id},
                                        {"list_id", staged.entry.list_id},
                                        {"subject_id", staged.entry.subject_id},
                                        {"status", model::to_string(staged.entry.status)},
                                        {"decided_on", staged.entry.decided_on.iso()},
                                        {"evidence", evidence},
                                        {"state", state_of(entry_id)}}
                             .dump());
        } else if (entries.update(staged.entry, staged.status_read, run_id)) {
            audit.append(fmt::format("entry.{}", staged.change),
                         fmt::format("entry:{}", staged.entry.entry_id),
                         nlohmann::json{{"run_id", run_id},
                                        {"list_id", staged.entry.list_id},
                                        {"subject_id", staged.entry.subject_id},
                                        {"status", model::to_string(staged.entry.status)},
                                        {"reason", staged.detail},
                                        {"state", state_of(staged.entry.entry_id)}}
                             .dump());
        } else {
            reporter.warning(fmt::format(
                "entry {} was changed by another tool (an appeal) while this run evaluated; it "
                "keeps that change, and the next run takes it up ({} not written)",
                staged.entry.entry_id, staged.change));
            uncount(summary.lists[staged.entry.list_id], staged.change);
            uncount(summary.total, staged.change);
            return;
        }
        if (on_change) {
            on_change(change_of(staged));
        }
    });
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [list_id, list_counts] : summary.lists) {
        counts[list_id] = to_json(list_counts);
    }
    entries.finish_run(run_id, counts.dump(), util::utc_now_iso());
    audit.append("adjudicate.run", fmt::format("run:{}", run_id),
                 nlohmann::json{{"as_of", summary.as_of},
                                {"rules_sha256", rules.sha256()},
                                {"forced", options.force},
                                {"counts", counts}}
                     .dump());
    transaction.commit();
    summary.run_id = run_id;
    return true;
}

}  // namespace

nlohmann::json to_json(const ListCounts& counts) {
    return {{"created", counts.created},   {"advanced", counts.advanced},
            {"expired", counts.expired},   {"withdrawn", counts.withdrawn},
            {"revoked", counts.revoked},   {"lifted", counts.lifted}};
}

namespace {

// Steps 1-5 over every subject from one snapshot, staging the changes; fills the summary's
// counts and read/evaluate times. Returns the id of the last run the snapshot held.
std::int64_t evaluate_snapshot(store::Database& db, store::EntryStore& entries,
                               const rules::RuleSet& rules, const rules::Calendar& calendar,
                               const AdjudicateOptions& options, Reporter& reporter,
                               const ChangeSink& on_change, AdjudicationSummary& summary) {
    // Read everything from one snapshot; the write lock is taken only to write.
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    check_options(rules, options, entries);
    const std::int64_t last_run_read = entries.last_run_id();
    entries.start_staging();
    for (const rules::ListRule* list : rules.lists()) {
        if (options.domains.empty() ||
            std::find(options.domains.begin(), options.domains.end(), list->domain) !=
                options.domains.end()) {
            summary.lists[list->id];
        }
    }
    const std::int64_t total_subjects = store::count_subjects(db);
    std::vector<Entry> open = entries.open_entries();
    std::size_t open_at = 0;
    CriteriaEvaluator evaluator(rules);
    SubjectAdjudication work(rules, calendar, options, entries, evaluator, summary, reporter);
    using Clock = std::chrono::steady_clock;
    const auto loop_start = Clock::now();
    Clock::duration evaluating{};
    store::SubjectReader reader(db, summary.as_of, std::nullopt);
    store::SubjectRows rows;
    while (reader.next(rows)) {
        std::vector<Entry> mine;
        while (open_at < open.size() && open[open_at].subject_id < rows.subject_id) {
            ++open_at;
        }
        while (open_at < open.size() && open[open_at].subject_id == rows.subject_id) {
            mine.push_back(open[open_at++]);
        }
        const auto evaluate_start = Clock::now();
        work.run(rows, std::move(mine));
        evaluating += Clock::now() - evaluate_start;
        if (++summary.subjects % k_progress_every == 0) {
            reporter.progress("adjudicating", static_cast<std::uint64_t>(summary.subjects),
                              static_cast<std::uint64_t>(total_subjects));
        }
    }
    reporter.progress_done();
    summary.evaluate_seconds = std::chrono::duration<double>(evaluating).count();
    summary.read_seconds =
        std::chrono::duration<double>(Clock::now() - loop_start - evaluating).count();
    if (options.dry_run && on_change) {
        entries.for_each_staged(
            [&](const store::StagedChange& staged) { on_change(change_of(staged)); });
    }
    snapshot.commit();  // ends the read; the staged changes stay in the TEMP tables
    for (const auto& [list_id, counts] : summary.lists) {
        summary.total.created += counts.created;
        summary.total.advanced += counts.advanced;
        summary.total.expired += counts.expired;
        summary.total.withdrawn += counts.withdrawn;
        summary.total.revoked += counts.revoked;
        summary.total.lifted += counts.lifted;
    }
    return last_run_read;
}

// How many times a run evaluates again when other runs keep being recorded while it evaluates.
constexpr int k_max_attempts = 3;

}  // namespace

AdjudicationSummary adjudicate(store::Database& db, audit::AuditLog& audit,
                               const rules::RuleSet& rules, const rules::Calendar& calendar,
                               const AdjudicateOptions& options, Reporter& reporter,
                               const ChangeSink& on_change) {
    store::EntryStore entries(db);
    AdjudicationSummary summary;
    for (int attempt = 1;; ++attempt) {
        summary = AdjudicationSummary{};
        summary.as_of = options.as_of.iso();
        const std::string started_at = util::utc_now_iso();
        const std::int64_t last_run_read = evaluate_snapshot(db, entries, rules, calendar,
                                                             options, reporter, on_change, summary);
        if (options.dry_run) {
            break;
        }
        const auto write_start = std::chrono::steady_clock::now();
        const bool written = write_changes(db, audit, entries, rules, options, on_change, summary,
                                           started_at, last_run_read, reporter);
        summary.write_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
        if (written) {
            break;
        }
        if (attempt == k_max_attempts) {
            throw BusyError(fmt::format("other runs were recorded while this one evaluated, {} "
                                        "times; try again when they are done",
                                        attempt));
        }
        reporter.info("another run was recorded while this one evaluated: evaluating again");
    }
    for (const Entry& entry : entries.expiring(options.as_of.plus_days(1),
                                               options.as_of.plus_days(options.notify_days))) {
        if (!options.domains.empty() &&
            std::find(options.domains.begin(), options.domains.end(), entry.domain) ==
                options.domains.end()) {
            continue;  // --domain: only that domain's entries
        }
        summary.expiring.push_back(
            {entry.entry_id, entry.list_id, entry.subject_id, entry.expires_on.iso()});
    }
    return summary;
}

std::vector<std::string> explain_subject(store::Database& db, const rules::RuleSet& rules,
                                         std::string_view subject_id, util::Date as_of) {
    store::Transaction snapshot(db, store::Transaction::Mode::deferred);
    store::EntryStore entries(db);
    store::AppealStore appeals(db);
    store::SubjectReader reader(db, as_of.iso(), std::string(subject_id));
    store::SubjectRows rows;
    if (!reader.next(rows)) {
        throw UsageError(fmt::format("there is no subject {}", subject_id));
    }
    const SubjectFacts subject = facts_of(rows);
    const auto records = records_of(rows, rules);
    const auto history = entries.subject_entries(subject_id);
    std::vector<std::string> open_ids;
    for (const Entry& entry : history) {
        if (model::is_open(entry.status)) {
            open_ids.push_back(entry.list_id);
        }
    }
    std::vector<std::string> lines;
    lines.push_back(fmt::format("{} {} ({}), as of {}: {} active records", rows.subject_id,
                                rows.name, rows.subject_type, as_of.iso(), records.size()));
    CriteriaEvaluator evaluator(rules);
    for (const rules::ListRule* list : rules.lists()) {
        const Verdict verdict =
            evaluator.evaluate(*list, list->criteria, subject, records, open_ids, as_of);
        std::string state = verdict.holds ? "meets the criteria" : "does not meet the criteria";
        if (!list->admits(subject.subject_type)) {
            state = fmt::format("not admitted ({} may not be listed)", rows.subject_type);
        }
        lines.push_back("");
        lines.push_back(fmt::format("{} {} — {}", list->id, list->title_zh, state));
        for (const std::string& line : verdict.explanation) {
            lines.push_back("  " + line);
        }
        for (const Entry& entry : history) {
            if (entry.list_id != list->id) {
                continue;
            }
            for (const std::string& line :
                 model::describe_history(entry, appeals.of_entry(entry.entry_id), as_of)) {
                lines.push_back("  " + line);
            }
        }
    }
    return lines;
}

}  // namespace rbl::engine
