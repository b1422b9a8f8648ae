#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <limits>

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

void print_filed(const CommonOptions& options, const model::RecordRepair& repair) {
    if (options.json) {
        fmt::print("{}\n", model::to_json(repair).dump());
    } else {
        fmt::print("{}\n", repair.appeal_id);
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: record repair {} filed for record {}, received {}, to be decided "
                           "by {}\n",
                   k_appeal_tool, repair.appeal_id, repair.record_key(),
                   repair.received_on.iso(), repair.due_on.iso());
    }
}

void print_decision(const CommonOptions& options, const appeal::RecordRepairDecision& decision) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(decision).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}: appeal {} {} on {}: {}\n", k_appeal_tool,
                   decision.repair.appeal_id, model::to_string(*decision.repair.outcome),
                   decision.repair.decided_on->iso(), decision.effect);
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
template <typename AppealLike>
std::string state_of(const AppealLike& appeal, util::Date as_of) {
    if (appeal.outcome) {
        return fmt::format("{} on {}", model::to_string(*appeal.outcome), appeal.decided_on->iso());
    }
    return appeal.is_overdue(as_of) ? "open, OVERDUE" : "open";
}

void print_appeal_table(const appeal::AppealListing& listing, util::Date as_of) {
    if (listing.appeals.empty() && listing.record_repairs.empty()) {
        return;
    }
    // Entry appeals and records' repairs in one numbering: rows in id order. A record repair
    // names its record (SOURCE:RECORD_ID) in the entry column and its domain in the list column.
    util::TextTable table(
        {"appeal", "type", "entry", "list", "subject", "name", "received", "due", "state"});
    table.align_right(0).align_right(2);
    auto repair = listing.record_repairs.begin();
    const auto add_repairs_before = [&](std::int64_t appeal_id) {
        for (; repair != listing.record_repairs.end() && repair->repair.appeal_id < appeal_id;
             ++repair) {
            const auto& item = repair->repair;
            table.add_row({std::to_string(item.appeal_id), std::string(model::k_record_repair_type),
                           item.record_key(), item.domain, item.subject_id, repair->subject_name,
                           item.received_on.iso(), item.due_on.iso(), state_of(item, as_of)});
        }
    };
    for (const auto& row : listing.appeals) {
        const auto& appeal = row.appeal;
        add_repairs_before(appeal.appeal_id);
        table.add_row({std::to_string(appeal.appeal_id), std::string(model::to_string(appeal.type)),
                       std::to_string(appeal.entry_id), row.list_id, row.subject_id,
                       row.subject_name, appeal.received_on.iso(), appeal.due_on.iso(),
                       state_of(appeal, as_of)});
    }
    add_repairs_before(std::numeric_limits<std::int64_t>::max());
    print_table(table);
}

}  // namespace

void print_listing(const CommonOptions& options, const appeal::AppealListing& listing,
                   util::Date as_of) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(listing, as_of).dump());
    } else {
        print_appeal_table(listing, as_of);
    }
    std::fflush(stdout);  // the listing before its summary line, also through a pipe
    if (!options.quiet) {
        fmt::print(stderr, "{}: {} appeals shown; {} open appeals overdue as of {}\n",
                   k_appeal_tool, listing.appeals.size() + listing.record_repairs.size(),
                   listing.overdue, as_of.iso());
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
