#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "rbl/util/text_table.hpp"

namespace rbl::app {

void print_filed(const CommonOptions& options, const model::Appeal& appeal) {
    if (options.json) {
        fmt::print("{}\n", model::to_json(appeal).dump());
    } else {
        fmt::print("{}\n", appeal.appeal_id);
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: {} {} filed against entry {}, received {}, to be decided by {}\n",
                   k_appeal_tool, model::to_string(appeal.type), appeal.appeal_id,
                   appeal.entry_id, appeal.received_on.iso(), appeal.due_on.iso());
    }
}

void print_decision(const CommonOptions& options, const appeal::Decision& decision,
                    util::Date date) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(decision).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: appeal {} {} on {}: {}{}\n", k_appeal_tool,
                   decision.appeal.appeal_id, model::to_string(*decision.appeal.outcome),
                   date.iso(), decision.effect,
                   decision.withdrawn_records.empty()
                       ? std::string()
                       : fmt::format("; {} evidence records withdrawn",
                                     decision.withdrawn_records.size()));
    }
}

namespace {

// The state column: the outcome and its day, else open, flagged when past its due date.
std::string state_of(const model::Appeal& appeal, util::Date as_of) {
    if (appeal.outcome) {
        return fmt::format("{} on {}", model::to_string(*appeal.outcome), appeal.decided_on->iso());
    }
    return appeal.is_overdue(as_of) ? "open, OVERDUE" : "open";
}

void print_table(const appeal::AppealListing& listing, util::Date as_of) {
    if (listing.appeals.empty()) {
        return;
    }
    util::TextTable table(
        {"appeal", "type", "entry", "list", "subject", "name", "received", "due", "state"});
    table.align_right(0).align_right(2);
    for (const auto& row : listing.appeals) {
        const auto& appeal = row.appeal;
        table.add_row({std::to_string(appeal.appeal_id), std::string(model::to_string(appeal.type)),
                       std::to_string(appeal.entry_id), row.list_id, row.subject_id,
                       row.subject_name, appeal.received_on.iso(), appeal.due_on.iso(),
                       state_of(appeal, as_of)});
    }
    fmt::print("{}", table.render());
}

}  // namespace

void print_listing(const CommonOptions& options, const appeal::AppealListing& listing,
                   util::Date as_of) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(listing, as_of).dump());
    } else {
        print_table(listing, as_of);
    }
    std::fflush(stdout);  // the listing before its summary line, also through a pipe
    if (!options.quiet) {
        fmt::print(stderr, "{}: {} appeals shown; {} open appeals overdue as of {}\n",
                   k_appeal_tool, listing.appeals.size(), listing.overdue, as_of.iso());
    }
}

void print_story(const CommonOptions& options, std::int64_t appeal_id,
                 const std::vector<std::string>& story) {
    if (options.json) {
        fmt::print("{}\n", appeal::story_to_json(appeal_id, story).dump());
        return;
    }
    for (const std::string& line : story) {
        fmt::print("{}\n", line);
    }
}

}  // namespace rbl::app
