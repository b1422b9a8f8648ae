#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

namespace {

// "appeal 3 upheld on DAY: EFFECT", with how many evidence records were withdrawn when some
// were: one whole sentence for each outcome.
std::string decision_note(std::int64_t appeal_id, model::AppealOutcome outcome, util::Date day,
                          const std::string& effect, std::size_t withdrawn) {
    const bool upheld = outcome == model::AppealOutcome::upheld;
    if (withdrawn == 0) {
        return upheld ? trf("{}: appeal {} upheld on {}: {}", k_appeal_tool, appeal_id, day.iso(),
                            effect)
                      : trf("{}: appeal {} rejected on {}: {}", k_appeal_tool, appeal_id, day.iso(),
                            effect);
    }
    return upheld ? trf("{}: appeal {} upheld on {}: {}; {} evidence records withdrawn",
                        k_appeal_tool, appeal_id, day.iso(), effect, withdrawn)
                  : trf("{}: appeal {} rejected on {}: {}; {} evidence records withdrawn",
                        k_appeal_tool, appeal_id, day.iso(), effect, withdrawn);
}

}  // namespace

void print_filed(const CommonOptions& options, const model::Appeal& appeal) {
    if (options.json) {
        fmt::print("{}\n", model::to_json(appeal).dump());
    } else {
        fmt::print("{}\n", appeal.appeal_id);
    }
    if (!options.quiet) {
        const std::string note =
            appeal.type == model::AppealType::objection
                ? trf("{}: objection {} filed against entry {}, received {}, to be decided by {}",
                      k_appeal_tool, appeal.appeal_id, appeal.entry_id, appeal.received_on.iso(),
                      appeal.due_on.iso())
                : trf("{}: repair {} filed against entry {}, received {}, to be decided by {}",
                      k_appeal_tool, appeal.appeal_id, appeal.entry_id, appeal.received_on.iso(),
                      appeal.due_on.iso());
        fmt::print(stderr, "{}\n", note);
    }
}

void print_filed(const CommonOptions& options, const model::RecordRepair& repair) {
    if (options.json) {
        fmt::print("{}\n", model::to_json(repair).dump());
    } else {
        fmt::print("{}\n", repair.appeal_id);
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}\n",
                   trf("{}: record repair {} filed for record {}, received {}, to be decided by {}",
                       k_appeal_tool, repair.appeal_id, repair.record_key(),
                       repair.received_on.iso(), repair.due_on.iso()));
    }
}

void print_decision(const CommonOptions& options, const appeal::RecordRepairDecision& decision) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(decision).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}\n",
                   decision_note(decision.repair.appeal_id, *decision.repair.outcome,
                                 *decision.repair.decided_on, decision.effect, 0));
    }
}

void print_decision(const CommonOptions& options, const appeal::Decision& decision,
                    util::Date date) {
    if (options.json) {
        fmt::print("{}\n", appeal::to_json(decision).dump());
    }
    if (!options.quiet) {
        fmt::print(stderr, "{}\n",
                   decision_note(decision.appeal.appeal_id, *decision.appeal.outcome, date,
                                 decision.effect, decision.withdrawn_records.size()));
    }
}

namespace {

// The state column: the outcome and its day, else open, flagged when past its due date.
template <typename AppealLike>
std::string state_of(const AppealLike& appeal, util::Date as_of) {
    if (appeal.outcome) {
        return *appeal.outcome == model::AppealOutcome::upheld
                   ? trf("upheld on {}", appeal.decided_on->iso())
                   : trf("rejected on {}", appeal.decided_on->iso());
    }
    return appeal.is_overdue(as_of) ? tr("open, OVERDUE") : tr("open");
}

void print_appeal_table(const appeal::AppealListing& listing, util::Date as_of) {
    if (listing.appeals.empty() && listing.record_repairs.empty()) {
        return;
    }
    // Entry appeals and records' repairs in one numbering: rows in id order. A record repair
    // names its record (SOURCE:RECORD_ID) in the entry column and its domain in the list column.
    util::TextTable table({tr("appeal"), tr("type"), tr("entry"), tr("list"), tr("subject"),
                           tr("name"), tr("received"), tr("due"), tr("state")});
    table.align_right(0).align_right(2);
    auto repair = listing.record_repairs.begin();
    const auto add_repairs_before = [&](std::int64_t appeal_id) {
        for (; repair != listing.record_repairs.end() && repair->repair.appeal_id < appeal_id;
             ++repair) {
            const auto& item = repair->repair;
            table.add_row({std::to_string(item.appeal_id), tr(model::k_record_repair_type.data()),
                           item.record_key(), item.domain, item.subject_id, repair->subject_name,
                           item.received_on.iso(), item.due_on.iso(), state_of(item, as_of)});
        }
    };
    for (const auto& row : listing.appeals) {
        const auto& appeal = row.appeal;
        add_repairs_before(appeal.appeal_id);
        table.add_row({std::to_string(appeal.appeal_id), model::type_words(appeal.type),
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
        fmt::print(stderr, "{}\n",
                   trf("{}: {} appeals shown; {} open appeals overdue as of {}", k_appeal_tool,
                       listing.appeals.size() + listing.record_repairs.size(), listing.overdue,
                       as_of.iso()));
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
