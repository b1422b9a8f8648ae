#include "rbl/publish/record_export.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "rbl/publish/export_files.hpp"
#include "rbl/publish/record_row_writer.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/store/record_publicity_store.hpp"
#include "rbl/store/subject_reader.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::publish {

namespace {

constexpr std::uint64_t k_progress_every = 16384;

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Refuses what a records publication cannot do, before anything is read.
void check_record_options(store::Database& db, const RecordExportOptions& options) {
    check_options(db, options.output);
    for (const std::string& domain : options.output.domains) {
        if (!options.publicity.contains(domain)) {
            throw UsageError(
                trf("domain '{}' publishes no records (its rule file has no publicity:)", domain));
        }
    }
    for (const std::string& kind : options.kinds) {
        const bool published = std::any_of(
            options.publicity.begin(), options.publicity.end(), [&](const auto& domain) {
                return (options.output.domains.empty() ||
                        contains(options.output.domains, domain.first)) &&
                       domain.second.publishes(kind);
            });
        if (!published) {
            throw UsageError(trf("no domain publishes records of kind '{}'", kind));
        }
    }
}

// One records publication under way.
class RecordExport {
public:
    RecordExport(store::Database& db, audit::AuditLog& audit, const RecordExportOptions& options,
                 Reporter& reporter)
        : m_db(db),
          m_audit(audit),
          m_options(options),
          m_out(options.output),
          m_reporter(reporter),
          m_transaction(db, m_out.channel || m_out.unmask ? store::Transaction::Mode::immediate
                                                         : store::Transaction::Mode::deferred),
          m_publications(db),
          m_records(db) {
        m_json_options = m_out;
        m_json_options.format = Format::jsonl;
    }

    ExportSummary run();

private:
    std::optional<model::RecordPublicity> publicity(const store::StoredRecord& record) const;
    std::optional<store::LastPublication> start_channel();
    void write_public(RecordRowWriter& writer, ExportFile& file, ExportSummary& summary);
    void write_delta(const std::optional<store::LastPublication>& previous,
                     RecordRowWriter& writer, ExportFile& file, ExportSummary& summary);
    void record_publication(ExportSummary& summary);
    void audit_unmask(const ExportSummary& summary);

    store::Database& m_db;
    audit::AuditLog& m_audit;
    const RecordExportOptions& m_options;
    const ExportOptions& m_out;
    Reporter& m_reporter;
    store::Transaction m_transaction;
    store::PublicationStore m_publications;
    store::RecordPublicityStore m_records;
    ExportOptions m_json_options;  // the channel's row hashes are of the JSON Lines rows
};

// The record's publication when the filter selects it and its domain publishes its kind.
std::optional<model::RecordPublicity> RecordExport::publicity(
    const store::StoredRecord& record) const {
    const auto terms = m_options.publicity.find(record.domain);
    if (terms == m_options.publicity.end() ||
        (!m_out.domains.empty() && !contains(m_out.domains, record.domain)) ||
        (!m_options.kinds.empty() && !contains(m_options.kinds, record.kind))) {
        return std::nullopt;
    }
    return store::publicity_of(terms->second, record);
}

std::optional<store::LastPublication> RecordExport::start_channel() {
    std::optional<store::LastPublication> previous;
    if (!m_out.channel) {
        return previous;
    }
    const std::string filter = record_filter_json(m_options);
    previous = m_publications.last_publication(*m_out.channel);
    if (previous && previous->filter_json != filter) {
        throw UsageError(trf(
            "channel '{}' publishes with the filter {}; this publication's is {} (use another "
            "channel for another filter)",
            *m_out.channel, previous->filter_json, filter));
    }
    m_publications.start_rows();
    return previous;
}

// Streams the facts public on the day: each one recorded in the channel, and written unless
// this is a delta.
void RecordExport::write_public(RecordRowWriter& writer, ExportFile& file,
                                ExportSummary& summary) {
    RecordRowWriter json_writer(m_json_options, false);
    store::SubjectReader reader(m_db, m_options.as_of.iso(), std::nullopt);
    store::SubjectRows subject;
    store::PublishedRecord row;
    std::uint64_t read = 0;
    while (reader.next(subject)) {
        if (++read % k_progress_every == 0) {
            m_reporter.progress(tr("subjects read"), read, 0);
        }
        row.subject_id = subject.subject_id;
        row.subject_name = subject.name;
        row.subject_type = subject.subject_type;
        for (store::StoredRecord& record : subject.records) {
            const auto published = publicity(record);
            if (!published || !published->is_public_on(m_options.as_of)) {
                continue;
            }
            row.record = std::move(record);
            if (m_out.channel) {
                m_publications.add_row(row.record.rec,
                                       util::sha256_hex(json_writer.line(row, *published, "")));
            }
            if (!m_out.delta) {
                writer.write(file, row, *published, "");
                ++summary.rows;
            }
        }
    }
}

// With --delta: the records added, removed or updated since the channel's previous
// publication, each with its change, as the record stands now.
void RecordExport::write_delta(const std::optional<store::LastPublication>& previous,
                               RecordRowWriter& writer, ExportFile& file,
                               ExportSummary& summary) {
    store::PublishedRecord row;
    m_publications.for_each_change(
        previous ? previous->publication_id : 0, [&](std::int64_t rec, std::string_view change) {
            if (!m_records.record(rec, row)) {
                return;
            }
            const auto terms = m_options.publicity.find(row.record.domain);
            if (terms == m_options.publicity.end()) {
                return;  // published under rules that no longer publish its domain
            }
            if (const auto published = store::publicity_of(terms->second, row.record)) {
                writer.write(file, row, *published, change);
                ++summary.rows;
            }
        });
}

void RecordExport::record_publication(ExportSummary& summary) {
    summary.publication_id = m_publications.record(store::PublicationRecord{
        *m_out.channel, util::utc_now_iso(), summary.as_of, record_filter_json(m_options),
        std::string(to_string(m_out.format)), m_out.delta, summary.rows, summary.sha256,
        m_out.out, m_out.operator_name});
    m_audit.append("publish.channel", fmt::format("publication:{}", *summary.publication_id),
                   nlohmann::json{{"channel", *m_out.channel},
                                  {"records", true},
                                  {"as_of", summary.as_of},
                                  {"delta", m_out.delta},
                                  {"rows", summary.rows},
                                  {"sha256", summary.sha256},
                                  {"out", m_out.out}}
                       .dump());
}

void RecordExport::audit_unmask(const ExportSummary& summary) {
    if (m_out.unmask) {
        m_audit.append("publish.unmasked", fmt::format("export:{}", summary.out),
                       nlohmann::json{{"rows", summary.rows},
                                      {"as_of", summary.as_of},
                                      {"sha256", summary.sha256},
                                      {"filter", nlohmann::json::parse(
                                                     record_filter_json(m_options))}}
                           .dump());
    }
}

ExportSummary RecordExport::run() {
    RecordRowWriter writer(m_out, m_out.delta);
    ExportFile file = writer.open(m_out.out);
    ExportSummary summary;
    summary.out = m_out.out;
    summary.as_of = m_options.as_of.iso();
    const std::optional<store::LastPublication> previous = start_channel();
    write_public(writer, file, summary);
    if (m_out.delta) {
        write_delta(previous, writer, file, summary);
    }
    m_reporter.progress_done();
    summary.sha256 = file.finish();
    summary.written = !skips_empty_delta(m_out, summary.rows);
    if (!summary.written) {
        summary.sha256.clear();
    }
    if (m_out.channel) {
        record_publication(summary);
    }
    audit_unmask(summary);
    const auto head = m_audit.head();
    summary.audit_head = head ? std::optional(head->text()) : std::nullopt;
    // Recorded and audited first, then put in place: an unmasked file never exists unaudited.
    m_transaction.commit();
    if (!summary.written) {
        return summary;  // the temporary file goes with `file`
    }
    file.commit();
    if (m_out.manifest) {
        write_manifest(m_out.out, summary.sha256, summary.audit_head, m_out.mode);
    }
    return summary;
}

}  // namespace

std::string record_filter_json(const RecordExportOptions& options) {
    std::vector<std::string> domains = options.output.domains;
    std::sort(domains.begin(), domains.end());
    std::vector<std::string> kinds = options.kinds;
    std::sort(kinds.begin(), kinds.end());
    return nlohmann::json{{"records", true},
                          {"format", to_string(options.output.format)},
                          {"kinds", kinds},
                          {"domains", domains},
                          {"lang", options.output.lang == Language::zh ? "zh" : "en"},
                          {"unmask", options.output.unmask}}
        .dump();
}

ExportSummary export_records(store::Database& db, audit::AuditLog& audit,
                             const RecordExportOptions& options, Reporter& reporter) {
    check_record_options(db, options);
    return RecordExport(db, audit, options, reporter).run();
}

}  // namespace rbl::publish
