#include "rbl/publish/exporter.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

#include "rbl/model/entry.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/publish/export_files.hpp"
#include "rbl/publish/row_writer.hpp"
#include "rbl/store/feedback_store.hpp"
#include "rbl/store/incremental_store.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::publish {

namespace {

constexpr std::uint64_t k_progress_every = 16384;

// Measures per department, read once per distinct terms text.
class MeasureIndex {
public:
    const std::map<std::string, std::vector<Measure>>& of(const std::string& terms_json,
                                                         std::int64_t entry_id) {
        auto found = m_cache.find(terms_json);
        if (found != m_cache.end()) {
            return found->second;
        }
        std::map<std::string, std::vector<Measure>> by_department;
        for (const model::EntryMeasure& measure :
             model::EntryTerms::parse(terms_json, entry_id).measures) {
            for (const std::string& department : measure.departments) {
                by_department[department].push_back({measure.id, measure.text_zh});
            }
        }
        return m_cache.emplace(terms_json, std::move(by_department)).first->second;
    }

private:
    std::map<std::string, std::map<std::string, std::vector<Measure>>> m_cache;
};

std::optional<util::Date> date_or_none(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    auto parsed = util::parse_iso_date(text);
    return parsed ? std::optional(*parsed) : std::nullopt;
}

// One export under way: the options, the transaction it reads (and for a channel or --unmask
// writes) in, what it has read so far.
struct ExportRun {
    store::Database& db;
    store::Transaction& transaction;
    audit::AuditLog& audit;
    Reporter& reporter;
    const ExportOptions& options;
    store::PublicationStore store;
    util::Date as_of;
    util::Date last_run;
    MeasureIndex measures;
    std::map<std::pair<std::int64_t, std::string>, std::string> reported;

    std::string_view reported_by(std::int64_t entry_id, const std::string& department) const {
        const auto found = reported.find({entry_id, department});
        return found != reported.end() ? std::string_view(found->second) : std::string_view();
    }

    bool passes_status(const PublishedRow& state) const {
        return options.status == "all" || state.status == options.status;
    }

    store::EntryFilter filter() const {
        store::EntryFilter filter;
        filter.kind = options.kind;
        if (!options.domains.empty()) {
            filter.domains_json = nlohmann::json(options.domains).dump();
        }
        filter.subject_id = options.subject_id;
        filter.as_of = as_of;
        return filter;
    }

    // The log's head inside this transaction: after the publication's own rows, and for a
    // plain export the head of the very snapshot that was exported.
    std::optional<std::string> audit_head() {
        const auto head = audit.head();
        return head ? std::optional(head->text()) : std::nullopt;
    }

    void audit_unmask(const ExportSummary& summary) {
        if (options.unmask) {
            audit.append("publish.unmasked", fmt::format("export:{}", summary.out),
                         nlohmann::json{{"rows", summary.rows},
                                        {"as_of", summary.as_of},
                                        {"sha256", summary.sha256},
                                        {"filter", nlohmann::json::parse(filter_json(options))}}
                             .dump());
        }
    }

    // The channel's last publication, refused when it used another filter; then starts
    // recording the rows of this one. Nothing without --channel.
    std::optional<store::LastPublication> start_channel() {
        std::optional<store::LastPublication> previous;
        if (!options.channel) {
            return previous;
        }
        previous = store.last_publication(*options.channel);
        if (previous && previous->filter_json != filter_json(options)) {
            throw UsageError(trf(
                "channel '{}' publishes with the filter {}; this publication's is {} (use "
                "another channel for another filter)",
                *options.channel, previous->filter_json, filter_json(options)));
        }
        store.start_rows();
        return previous;
    }

    // The measures of --department in the row's kept terms, or nullptr when none names it.
    const std::vector<Measure>* department_measures(const store::EntryRow& row) {
        const auto& by_department = measures.of(row.terms_json, row.entry_id);
        const auto found = by_department.find(*options.department);
        return found == by_department.end() ? nullptr : &found->second;
    }

    // The measures the department reported applied to the row's entry ("" without --department).
    std::string_view reported_here(const store::EntryRow& row) const {
        return options.department ? reported_by(row.entry_id, *options.department)
                                  : std::string_view();
    }

    // Streams the filter's entries as they stood on the day: each one recorded in the channel,
    // and written unless this is a delta.
    void write_entries(RowWriter& writer, ExportFile& file, ExportSummary& summary) {
        const bool with_measures = options.department.has_value();
        const std::vector<Measure> no_measures;
        std::uint64_t read = 0;
        store.for_each_entry(filter(), [&](const store::EntryRow& row) {
            if (++read % k_progress_every == 0) {
                reporter.progress(tr("entries read"), read, 0);
            }
            const PublishedRow state = state_on(row, as_of, last_run);
            if (!passes_status(state)) {
                return;
            }
            const std::vector<Measure>* mine = &no_measures;
            if (with_measures) {
                mine = department_measures(row);
                if (mine == nullptr) {
                    return;
                }
            }
            if (options.channel) {
                const std::string& json = json_writer(with_measures).line(row, state, "", mine);
                store.add_row(row.entry_id, util::sha256_hex(json));
            }
            if (!options.delta) {
                writer.write(file, row, state, "", mine, reported_here(row));
                ++summary.rows;
            }
        });
    }

    // With --delta: the entries added, removed or updated since the channel's previous
    // publication, each with its change.
    void write_delta(const std::optional<store::LastPublication>& previous, RowWriter& writer,
                     ExportFile& file, ExportSummary& summary) {
        const std::vector<Measure> no_measures;
        store.for_each_changed_entry(
            previous ? previous->publication_id : 0, as_of,
            [&](const store::EntryRow& row, std::string_view change) {
                const PublishedRow state = state_on(row, as_of, last_run);
                const std::vector<Measure>* mine = &no_measures;
                if (options.department) {
                    if (const auto* found = department_measures(row)) {
                        mine = found;
                    }
                }
                writer.write(file, row, state, change, mine, reported_here(row));
                ++summary.rows;
            });
    }

    // Records the channel publication and its audit row.
    void record_publication(ExportSummary& summary) {
        summary.publication_id = store.record(store::PublicationRecord{
            *options.channel, util::utc_now_iso(), summary.as_of, filter_json(options),
            std::string(to_string(options.format)), options.delta, summary.rows,
            summary.sha256, options.out, options.operator_name});
        audit.append("publish.channel", fmt::format("publication:{}", *summary.publication_id),
                     nlohmann::json{{"channel", *options.channel},
                                    {"as_of", summary.as_of},
                                    {"delta", options.delta},
                                    {"rows", summary.rows},
                                    {"sha256", summary.sha256},
                                    {"out", options.out}}
                         .dump());
    }

    ExportSummary single_file() {
        RowWriter writer(options, options.delta, options.department.has_value());
        ExportFile file = writer.open(options.out);
        ExportSummary summary;
        summary.out = options.out;
        summary.as_of = as_of.iso();
        const std::optional<store::LastPublication> previous = start_channel();
        write_entries(writer, file, summary);
        if (options.delta) {
            write_delta(previous, writer, file, summary);
        }
        reporter.progress_done();
        summary.sha256 = file.finish();
        summary.written = !skips_empty_delta(options, summary.rows);
        if (!summary.written) {
            summary.sha256.clear();  // no file: the publication stands for the rows alone
        }
        if (options.channel) {
            record_publication(summary);
        }
        audit_unmask(summary);
        summary.audit_head = audit_head();
        // Recorded and audited first, then put in place: an unmasked file never exists unaudited.
        transaction.commit();
        if (!summary.written) {
            return summary;  // the temporary file goes with `file`
        }
        file.commit();
        if (options.manifest) {
            write_manifest(options.out, summary.sha256, summary.audit_head, options.mode);
        }
        return summary;
    }

    ExportSummary by_department() {
        const std::filesystem::path dir(*options.by_department_dir);
        const std::string extension(extension_of(options.format));
        struct DepartmentFile {
            std::unique_ptr<ExportFile> file;
            std::int64_t rows = 0;
        };
        std::map<std::string, DepartmentFile> files;
        RowWriter writer(options, false, true);
        ExportSummary summary;
        summary.out = dir.string();
        summary.as_of = as_of.iso();
        store.for_each_entry(filter(), [&](const store::EntryRow& row) {
            const PublishedRow state = state_on(row, as_of, last_run);
            if (!passes_status(state)) {
                return;
            }
            for (const auto& [department, mine] : measures.of(row.terms_json, row.entry_id)) {
                DepartmentFile& out = files[department];
                if (!out.file) {
                    out.file = std::make_unique<ExportFile>(
                        writer.open((dir / (file_name_of(department) + extension)).string()));
                }
                writer.write(*out.file, row, state, "", &mine,
                             reported_by(row.entry_id, department));
                ++out.rows;
                ++summary.rows;
            }
        });
        std::vector<std::pair<std::filesystem::path, std::string>> written;
        for (auto& [department, out] : files) {
            const auto path = dir / (file_name_of(department) + extension);
            written.emplace_back(path, out.file->finish());
        }
        audit_unmask(summary);
        summary.audit_head = audit_head();
        transaction.commit();
        for (auto& [department, out] : files) {
            out.file->commit();
        }
        for (const auto& [path, sha256] : written) {
            summary.files.push_back(path.string());
            if (options.manifest) {
                write_manifest(path, sha256, summary.audit_head, options.mode);
            }
        }
        return summary;
    }

    RowWriter& json_writer(bool with_measures) {
        if (!m_json_writer) {
            m_json_options = options;
            m_json_options.format = Format::jsonl;
            m_json_writer = std::make_unique<RowWriter>(m_json_options, false, with_measures);
        }
        return *m_json_writer;
    }

    ExportOptions m_json_options;
    std::unique_ptr<RowWriter> m_json_writer;
};

}  // namespace

// Where the entry stood on `as_of` (model::state_as_published), from its stored row.
PublishedRow state_on(const store::EntryRow& row, util::Date as_of, util::Date last_run) {
    model::Entry entry;
    entry.status = model::parse_entry_status(row.status).value_or(model::EntryStatus::notice);
    entry.notice_until = date_or_none(row.notice_until);
    entry.publicity_until = date_or_none(row.publicity_until);
    entry.effective_from = date_or_none(row.effective_from).value_or(util::Date());
    entry.expires_on = date_or_none(row.expires_on);  // none: an open-ended term
    entry.ended_on = date_or_none(row.ended_on);
    entry.end_reason = row.end_reason;
    const model::DayState state = model::state_as_published(entry, as_of, last_run);
    return {std::string(model::to_string(state.status)),
            state.ended_on ? state.ended_on->iso() : std::string(),
            state.end_reason ? std::string(model::to_string(*state.end_reason)) : std::string()};
}

nlohmann::json to_json(const ExportSummary& summary) {
    nlohmann::json json = {
        {"rows", summary.rows},
        {"out", summary.out},
        {"sha256", summary.written ? nlohmann::json(summary.sha256) : nlohmann::json(nullptr)},
        {"written", summary.written},
        {"as_of", summary.as_of},
        {"files", summary.files},
        {"publication_id", summary.publication_id ? nlohmann::json(*summary.publication_id)
                                                  : nlohmann::json(nullptr)},
        {"audit_head",
         summary.audit_head ? nlohmann::json(*summary.audit_head) : nlohmann::json(nullptr)}};
    if (!summary.written) {
        json["why"] = tr("empty delta: nothing changed since the channel's last publication "
                         "(--write-empty writes the file all the same)");
    }
    return json;
}

util::Date publication_as_of(store::PublicationStore& store,
                             const std::optional<std::string>& as_of, util::Date& last_run) {
    const auto last = store.last_run_as_of();
    if (!last) {
        throw UsageError(tr("no adjudication has run yet: there is nothing to publish"));
    }
    last_run = util::parse_iso_date(*last).value_or(util::Date());
    if (!as_of) {
        return last_run;
    }
    auto parsed = util::parse_iso_date(*as_of);
    if (!parsed) {
        throw UsageError(trf("--as-of: {}", parsed.error()));
    }
    return *parsed;
}

std::optional<std::string> after_last_run_warning(store::Database& db, util::Date as_of) {
    const auto last = store::PublicationStore(db).last_run_as_of();
    if (!last || as_of.iso() <= *last) {
        return std::nullopt;
    }
    store::IncrementalStore incremental(db);
    if (!incremental.available()) {
        return trf("{} lies after the last run's as-of {}: the entries are as that run and the "
                   "appeals decided since left them",
                   as_of.iso(), *last);
    }
    const std::int64_t subjects =
        incremental.count_to_evaluate(incremental.highest_mark(), as_of.iso());
    if (subjects == 0) {
        return trf("{} lies after the last run's as-of {}: the entries are as that run and the "
                   "appeals decided since left them; no subject changed or came due since",
                   as_of.iso(), *last);
    }
    return trf("{} lies after the last run's as-of {}: the entries are as that run and the "
               "appeals decided since left them; {} subjects changed or came due since (imports, "
               "withdrawals, appeals, windows, periods): run rbl-adjudicate for them to count",
               as_of.iso(), *last, subjects);
}

ExportSummary export_entries(store::Database& db, audit::AuditLog& audit,
                             const ExportOptions& options, Reporter& reporter) {
    check_options(db, options);
    // A channel publication records what it published: it reads and records under the write
    // lock, so that the rows recorded are the rows written; so does an --unmask export, which is
    // audited. Other exports read one snapshot and never wait for a writer.
    const bool writes = options.channel.has_value() || options.unmask;
    store::Transaction transaction(
        db, writes ? store::Transaction::Mode::immediate : store::Transaction::Mode::deferred);
    ExportRun run{db, transaction, audit, reporter, options, store::PublicationStore(db),
                  {}, {},          {},    {},       {},      {}};
    run.as_of = publication_as_of(run.store, options.as_of, run.last_run);
    if (const auto warning = after_last_run_warning(db, run.as_of)) {
        reporter.warning(*warning);
    }
    if (options.department || options.by_department_dir) {
        run.reported = store::FeedbackStore(db).reported_measures();
    }
    ExportSummary summary;
    if (options.by_department_dir) {
        summary = run.by_department();
    } else {
        summary = run.single_file();
    }
    return summary;  // both committed the transaction before putting their files in place
}

}  // namespace rbl::publish
