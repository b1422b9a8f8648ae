#include "rbl/engine/run_writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <optional>

#include "rbl/engine/entry_term.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/store/state_hash.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::engine {

namespace {

// What an entry keeps of its list's rule, as stored.
std::string terms_json(const rules::ListRule& list) {
    return entry_terms_of(list).to_json();
}

// Each entry's audit row carries the hash of its content as written, read back from the tables
// (SPEC.md §7): what `rbl-audit verify` recomputes, whatever the write statement set.
std::string state_of(const store::WrittenChange& written) {
    return written.state ? store::to_hex(*written.state) : std::string();
}

}  // namespace

EntryChange change_of(const store::StagedChange& staged) {
    return EntryChange{staged.entry.list_id, staged.entry.subject_id, staged.subject_name,
                       staged.change, std::string(model::to_string(staged.entry.status)),
                       staged.detail};
}

bool RunWriter::write(AdjudicationSummary& summary, const std::string& started_at,
                      std::int64_t last_run_read, const ChangeSink& on_change,
                      const std::function<void(std::int64_t run_id)>& also_write) {
    store::Transaction transaction(m_db, store::Transaction::Mode::immediate);
    if (m_entries.last_run_id() != last_run_read) {
        return false;
    }
    const std::int64_t run_id = begin_run(summary, started_at);
    {
        const audit::AuditLog::HeldHead head(m_audit);
        m_entries.write_staged(
            run_id,
            [this](const std::string& list_id) -> const store::ListTerms& {
                return list_terms(list_id);
            },
            [&](const store::WrittenChange& written) {
                if (audit_change(written, run_id, summary) && on_change) {
                    on_change(change_of(written.staged));
                }
            });
        if (also_write) {
            also_write(run_id);
        }
        finish_run(summary, run_id);
    }
    transaction.commit();
    summary.run_id = run_id;
    return true;
}

std::int64_t RunWriter::begin_run(const AdjudicationSummary& summary,
                                  const std::string& started_at) {
    nlohmann::json domains = nullptr;
    if (!m_options.domains.empty()) {
        domains = m_options.domains;
    }
    return m_entries.begin_run(store::RunStart{
        summary.as_of, m_options.operator_name, RBL_VERSION, m_rules.sha256(),
        domains.is_null() ? std::nullopt : std::optional(domains.dump()), m_options.force,
        started_at});
}

// Appends the audit row of one written change; false when it was skipped (an appeal changed
// the entry since the snapshot), with a warning, and uncounted.
bool RunWriter::audit_change(const store::WrittenChange& written, std::int64_t run_id,
                             AdjudicationSummary& summary) {
    const store::StagedChange& staged = written.staged;
    if (staged.create) {
        audit_created(written, run_id);
        return true;
    }
    if (!written.written) {
        m_reporter.warning(
            trf("entry {} was changed by another tool (an appeal) while this run evaluated; it "
                "keeps that change, and the next run takes it up ({} not written)",
                staged.entry.entry_id, model::to_string(staged.change)));
        --summary.lists[staged.entry.list_id].of(staged.change);
        --summary.total.of(staged.change);
        return false;
    }
    m_audit.append(fmt::format("entry.{}", model::to_string(staged.change)),
                   fmt::format("entry:{}", written.entry_id),
                   nlohmann::json{{"run_id", run_id},
                                  {"list_id", staged.entry.list_id},
                                  {"subject_id", staged.entry.subject_id},
                                  {"status", model::to_string(staged.entry.status)},
                                  {"reason", staged.detail},
                                  {"state", state_of(written)}}
                       .dump());
    return true;
}

void RunWriter::audit_created(const store::WrittenChange& written, std::int64_t run_id) {
    const store::StagedChange& staged = written.staged;
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& [rec, record_id] : staged.evidence) {
        evidence.push_back(record_id);
    }
    m_audit.append("entry.created", fmt::format("entry:{}", written.entry_id),
                   nlohmann::json{{"run_id", run_id},
                                  {"list_id", staged.entry.list_id},
                                  {"subject_id", staged.entry.subject_id},
                                  {"status", model::to_string(staged.entry.status)},
                                  {"decided_on", staged.entry.decided_on.iso()},
                                  {"evidence", evidence},
                                  {"state", state_of(written)}}
                       .dump());
}

void RunWriter::finish_run(const AdjudicationSummary& summary, std::int64_t run_id) {
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [list_id, list_counts] : summary.lists) {
        counts[list_id] = to_json(list_counts);
    }
    m_entries.finish_run(run_id, counts.dump(), util::utc_now_iso());
    m_entries.name_rule_departments(m_rules.departments());
    m_audit.append("adjudicate.run", fmt::format("run:{}", run_id),
                   nlohmann::json{{"as_of", summary.as_of},
                                  {"rules_sha256", m_rules.sha256()},
                                  {"forced", m_options.force},
                                  {"mode", summary.full ? "full" : "incremental"},
                                  {"subjects", summary.subjects},
                                  {"counts", counts}}
                       .dump());
}

// What the entries of a list keep of its rule, as the rules stand in this run; built once per
// list and run.
const store::ListTerms& RunWriter::list_terms(const std::string& list_id) {
    if (const auto found = m_terms.find(list_id); found != m_terms.end()) {
        return found->second;
    }
    const rules::ListRule* list = m_rules.list(list_id);
    const rules::DomainRules* domain = m_rules.domain(list->domain);
    return m_terms
        .emplace(list_id, store::ListTerms{list->title, list->title_zh, list->basis,
                                           list->authority, terms_json(*list), domain->version,
                                           domain->text_sha256})
        .first->second;
}

}  // namespace rbl::engine
