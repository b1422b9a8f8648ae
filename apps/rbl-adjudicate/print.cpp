#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>

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
        fmt::print("{}", preview.table().render());
    } else if (!options.quiet) {
        fmt::print(stderr, "{}", preview.table().render());
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
    if (options.quiet) {
        return;
    }
    util::TextTable lists(
        {"list", "created", "advanced", "expired", "withdrawn", "revoked", "lifted"});
    for (std::size_t column = 1; column <= 6; ++column) {
        lists.align_right(column);
    }
    for (const auto& [list_id, c] : summary.lists) {
        lists.add_row({list_id, std::to_string(c.created), std::to_string(c.advanced),
                       std::to_string(c.expired), std::to_string(c.withdrawn),
                       std::to_string(c.revoked), std::to_string(c.lifted)});
    }
    fmt::print(stderr, "{}", lists.render());
    constexpr std::size_t k_expiring_shown = 20;
    if (!summary.expiring.empty()) {
        fmt::print(stderr, "{} effective entries expire within {} days:\n",
                   summary.expiring.size(), run.notify_days);
        util::TextTable expiring({"entry", "list", "subject", "no longer in force from"});
        for (std::size_t i = 0; i < summary.expiring.size() && i < k_expiring_shown; ++i) {
            const auto& entry = summary.expiring[i];
            expiring.add_row({std::to_string(entry.entry_id), entry.list_id, entry.subject_id,
                              entry.expires_on});
        }
        fmt::print(stderr, "{}", expiring.render());
        if (summary.expiring.size() > k_expiring_shown) {
            fmt::print(stderr, "... and {} more (--json lists them all)\n",
                       summary.expiring.size() - k_expiring_shown);
        }
    }
    const auto& t = summary.total;
    const std::string evaluated =
        summary.full ? fmt::format("all {} subjects evaluated ({})", summary.subjects,
                                   summary.full_reason)
                     : fmt::format("{} of {} subjects evaluated (incremental)", summary.subjects,
                                   summary.subjects_total);
    fmt::print(stderr,
               "{}: as of {}, {}: {} created, {} advanced, {} expired, {} withdrawn, {} "
               "revoked, {} lifted; {}\n",
               k_adjudicate_tool, summary.as_of, evaluated, t.created, t.advanced, t.expired,
               t.withdrawn, t.revoked, t.lifted,
               summary.run_id ? fmt::format("run {}", *summary.run_id)
                              : std::string("dry run: nothing written"));
}

void print_explanation(const CommonOptions& options, std::string_view subject_id,
                       util::Date as_of, const std::vector<std::string>& lines) {
    if (!options.json) {
        for (const std::string& line : lines) {
            fmt::print("{}\n", line);
        }
        return;
    }
    fmt::print("{}\n", nlohmann::json{{"subject_id", subject_id},
                                      {"as_of", as_of.iso()},
                                      {"explanation", lines}}
                           .dump());
}

}  // namespace rbl::app
