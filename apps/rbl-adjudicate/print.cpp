#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "rbl/util/i18n.hpp"

namespace rbl::app {

void ChangePreview::add(const engine::EntryChange& change) {
    const std::string kind(model::to_string(change.change));
    m_table.add_row({change.list_id, kind, change.subject_id, change.subject_name, change.status});
    m_changes.push_back({{"list_id", change.list_id},
                         {"change", kind},
                         {"subject_id", change.subject_id},
                         {"subject_name", change.subject_name},
                         {"status", change.status},
                         {"reason", change.reason}});
}

void print_preview(const CommonOptions& options, const ChangePreview& preview) {
    if (preview.table().rows() == 0) {
        return;
    }
    // The preview is the output, unless --json makes the JSON object the output (SPEC §1):
    // then people still see it on stderr.
    if (!options.json) {
        print_table(preview.table());
        fmt::print("\n");  // apart from the per-list table that follows
    } else if (!options.quiet) {
        print_table(preview.table(), stderr);
    }
}

void print_run_summary(const CommonOptions& options, const engine::AdjudicateOptions& run,
                       const engine::AdjudicationSummary& summary, const ChangePreview* preview) {
    if (options.json) {
        nlohmann::json json = engine::to_json(summary, run);
        if (preview != nullptr) {
            json["changes"] = preview->changes();
        }
        fmt::print("{}\n", json.dump());
    }
    // The tables are data: on stdout, or with --json (whose object has them) for people on
    // stderr unless --quiet. The captions and the summary line are for people: stderr.
    std::FILE* tables = options.json ? (options.quiet ? nullptr : stderr) : stdout;
    const auto say = [&](const std::string& text) {
        if (!options.quiet) {
            std::fflush(stdout);  // in order with the tables, also through a terminal
            fmt::print(stderr, "{}", text);
        }
    };
    util::TextTable lists({tr("list"), tr("entries created"), tr("advanced"), tr("expired"),
                           tr("withdrawn"), tr("revoked"), tr("lifted")});
    for (std::size_t column = 1; column <= 6; ++column) {
        lists.align_right(column);
    }
    for (const auto& [list_id, c] : summary.lists) {
        lists.add_row({list_id, std::to_string(c.created), std::to_string(c.advanced),
                       std::to_string(c.expired), std::to_string(c.withdrawn),
                       std::to_string(c.revoked), std::to_string(c.lifted)});
    }
    if (tables != nullptr) {
        print_table(lists, tables);
    }
    constexpr std::size_t k_expiring_shown = 20;
    if (!summary.expiring.empty()) {
        say(trf("{} effective entries expire within {} days:", summary.expiring.size(),
                run.notify_days) +
            "\n");
        util::TextTable expiring(
            {tr("entry"), tr("list"), tr("subject"), tr("no longer in force from")});
        expiring.align_right(0);
        for (std::size_t i = 0; i < summary.expiring.size() && i < k_expiring_shown; ++i) {
            const auto& entry = summary.expiring[i];
            expiring.add_row({std::to_string(entry.entry_id), entry.list_id, entry.subject_id,
                              entry.expires_on});
        }
        if (tables != nullptr) {
            fmt::print(tables, "\n");  // apart from the per-list table
            print_table(expiring, tables);
        }
        if (summary.expiring.size() > k_expiring_shown) {
            say(trf("... and {} more (--json lists them all)",
                    summary.expiring.size() - k_expiring_shown) +
                "\n");
        }
    }
    const auto& t = summary.total;
    // The summary line is a run of clauses (how many subjects, the entries' counts, the run):
    // each clause is one message.
    const std::string evaluated =
        summary.full ? trf("all {} subjects evaluated ({})", summary.subjects, summary.full_reason)
                     : trf("{} of {} subjects evaluated (incremental)", summary.subjects,
                           summary.subjects_total);
    const std::string run_done = summary.run_id ? trf("run {}", *summary.run_id)
                                                : std::string(tr("dry run: nothing written"));
    say(trf("{}: as of {}, {}; entries: {} created, {} advanced, {} expired, {} withdrawn, {} "
            "revoked, {} lifted; {}",
            k_adjudicate_tool, summary.as_of, evaluated, t.created, t.advanced, t.expired,
            t.withdrawn, t.revoked, t.lifted, run_done) +
        "\n");
}

void print_explanation(const CommonOptions& options,
                       const engine::SubjectExplanation& explanation) {
    if (!options.json) {
        for (const std::string& line : explanation.lines()) {
            fmt::print("{}\n", line);
        }
        return;
    }
    fmt::print("{}\n", engine::to_json(explanation).dump());
}

}  // namespace rbl::app
