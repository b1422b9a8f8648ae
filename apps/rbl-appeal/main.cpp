// rbl-appeal: objections (异议) and credit-repair applications (信用修复) — file, decide, list,
// show (SPEC.md §5). Only wires options to rbl::appeal.

#include <fmt/format.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/audit/audit_log.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/text_table.hpp"

namespace {

constexpr std::string_view k_tool = "rbl-appeal";

struct Options {
    rbl::app::CommonOptions common;
    std::int64_t id = 0;  ///< ENTRY_ID for file and repair, APPEAL_ID for decide and show
    std::string reason;
    std::string received;
    std::string by;
    std::string outcome;
    bool withdraw_records = false;
    std::string note;
    std::string date;
    bool open_only = false;
    bool overdue_only = false;
    std::string as_of;
};

nlohmann::json appeal_json(const rbl::model::Appeal& appeal) {
    return {{"appeal_id", appeal.appeal_id},
            {"entry_id", appeal.entry_id},
            {"type", rbl::model::to_string(appeal.type)},
            {"reason", appeal.reason},
            {"by", appeal.filed_by},
            {"received_on", appeal.received_on.iso()},
            {"due_on", appeal.due_on.iso()},
            {"outcome", appeal.outcome ? nlohmann::json(rbl::model::to_string(*appeal.outcome))
                                       : nlohmann::json(nullptr)},
            {"decided_on", appeal.decided_on ? nlohmann::json(appeal.decided_on->iso())
                                             : nlohmann::json(nullptr)}};
}

// The database, audit log and calendar every subcommand works with.
struct Desk {
    explicit Desk(const Options& options)
        : folder(rbl::rules::RuleFolder::load(options.common.rules)),  // invalid: exit 2
          db(rbl::app::open_database(options.common, rbl::app::Access::write)),
          audit(rbl::app::open_audit_log(db, options.common, k_tool)),
          desk(db, audit, folder.calendar, options.common.operator_name) {}
    rbl::rules::RuleFolder folder;
    rbl::store::Database db;
    rbl::audit::AuditLog audit;
    rbl::appeal::AppealDesk desk;
};

rbl::ExitCode run_file(const Options& options, rbl::model::AppealType type) {
    const rbl::util::Date received = rbl::app::date_option("--received", options.received);
    Desk desk(options);
    const rbl::model::Appeal appeal = desk.desk.file(
        {options.id, type, options.reason, options.by, received});
    if (options.common.json) {
        fmt::print("{}\n", appeal_json(appeal).dump());
    } else {
        fmt::print("{}\n", appeal.appeal_id);
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} {} filed against entry {}, received {}, to be decided by {}\n",
                   k_tool, rbl::model::to_string(type), appeal.appeal_id, appeal.entry_id,
                   appeal.received_on.iso(), appeal.due_on.iso());
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_decide(const Options& options) {
    const rbl::util::Date date = rbl::app::date_option("--date", options.date);
    const auto outcome = rbl::model::parse_appeal_outcome(options.outcome);
    Desk desk(options);
    const rbl::appeal::Decision decision = desk.desk.decide(
        {options.id, *outcome, options.withdraw_records, options.note, date});
    if (options.common.json) {
        nlohmann::json out = appeal_json(decision.appeal);
        out["entry_status"] = rbl::model::to_string(decision.entry.status);
        out["disputed"] = decision.entry.disputed;
        out["effect"] = decision.effect;
        out["withdrawn_records"] = decision.withdrawn_records;
        fmt::print("{}\n", out.dump());
    }
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: appeal {} {} on {}: {}{}\n", k_tool, decision.appeal.appeal_id,
                   options.outcome, date.iso(), decision.effect,
                   decision.withdrawn_records.empty()
                       ? std::string()
                       : fmt::format("; {} evidence records withdrawn",
                                     decision.withdrawn_records.size()));
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_list(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    Desk desk(options);
    const auto listing = desk.desk.list(options.open_only, options.overdue_only, as_of);
    if (options.common.json) {
        nlohmann::json appeals = nlohmann::json::array();
        for (const auto& row : listing.appeals) {
            nlohmann::json item = appeal_json(row.appeal);
            item["list_id"] = row.list_id;
            item["subject_id"] = row.subject_id;
            item["subject_name"] = row.subject_name;
            item["entry_status"] = rbl::model::to_string(row.entry_status_now);
            item["overdue"] = row.appeal.is_overdue(as_of);
            appeals.push_back(std::move(item));
        }
        fmt::print("{}\n", nlohmann::json{{"as_of", as_of.iso()},
                                          {"appeals", appeals},
                                          {"overdue", listing.overdue}}
                               .dump());
    } else if (!listing.appeals.empty()) {
        rbl::util::TextTable table({"appeal", "type", "entry", "list", "subject", "name",
                                    "received", "due", "state"});
        table.align_right(0).align_right(2);
        for (const auto& row : listing.appeals) {
            const auto& appeal = row.appeal;
            table.add_row({std::to_string(appeal.appeal_id),
                           std::string(rbl::model::to_string(appeal.type)),
                           std::to_string(appeal.entry_id), row.list_id, row.subject_id,
                           row.subject_name, appeal.received_on.iso(), appeal.due_on.iso(),
                           appeal.outcome
                               ? fmt::format("{} on {}", rbl::model::to_string(*appeal.outcome),
                                             appeal.decided_on->iso())
                           : appeal.is_overdue(as_of) ? std::string("open, OVERDUE")
                                                      : std::string("open")});
        }
        fmt::print("{}", table.render());
    }
    std::fflush(stdout);  // the listing before its summary line, also through a pipe
    if (!options.common.quiet) {
        fmt::print(stderr, "{}: {} appeals shown; {} open appeals overdue as of {}\n", k_tool,
                   listing.appeals.size(), listing.overdue, as_of.iso());
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_show(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    Desk desk(options);
    const auto lines = desk.desk.show(options.id, as_of);
    if (options.common.json) {
        fmt::print("{}\n", nlohmann::json{{"appeal_id", options.id}, {"story", lines}}.dump());
        return rbl::ExitCode::ok;
    }
    for (const std::string& line : lines) {
        fmt::print("{}\n", line);
    }
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Objections (异议) and credit-repair applications (信用修复): file, decide, "
                 "list, show.",
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string(RBL_VERSION));

    auto* file = app.add_subcommand("file", "file an objection against a pending or effective "
                                            "entry; prints the appeal id");
    file->add_option("ENTRY_ID", options.id, "the entry objected to")->required();
    file->add_option("--reason", options.reason, "why")->required();
    file->add_option("--received", options.received, "the day it was received (default today)");
    file->add_option("--by", options.by, "who objects: the subject, a member of the public, "
                                         "the office");

    auto* repair = app.add_subcommand("repair", "file a credit-repair application against an "
                                                "effective entry; prints the appeal id");
    repair->add_option("ENTRY_ID", options.id, "the entry to repair")->required();
    repair->add_option("--reason", options.reason, "what the subject put right")->required();
    repair->add_option("--received", options.received, "the day it was received (default today)");
    repair->add_option("--by", options.by, "who applies");

    auto* decide = app.add_subcommand("decide", "decide an appeal: upheld grants it, rejected "
                                                "leaves the entry as it was");
    decide->add_option("APPEAL_ID", options.id, "the appeal")->required();
    decide->add_option("--outcome", options.outcome, "upheld or rejected")
        ->required()
        ->check(CLI::IsMember({"upheld", "rejected"}));
    decide->add_flag("--withdraw-records", options.withdraw_records,
                     "with an upheld objection: withdraw the entry's evidence records by office "
                     "decision, so the same facts never list the subject again");
    decide->add_option("--note", options.note, "the reasons of the decision")->required();
    decide->add_option("--date", options.date, "the day of the decision (default today)");

    auto* list = app.add_subcommand("list", "list appeals with their deadlines");
    list->add_flag("--open", options.open_only, "only undecided appeals");
    list->add_flag("--overdue", options.overdue_only,
                   "only undecided appeals past their deadline");
    list->add_option("--as-of", options.as_of, "the day deadlines are judged on (default today)");

    auto* show = app.add_subcommand("show", "an appeal and the whole story of its entry");
    show->add_option("APPEAL_ID", options.id, "the appeal")->required();
    show->add_option("--as-of", options.as_of, "the day deadlines are judged on (default today)");

    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (file->parsed()) {
            return run_file(options, rbl::model::AppealType::objection);
        }
        if (repair->parsed()) {
            return run_file(options, rbl::model::AppealType::repair);
        }
        if (decide->parsed()) {
            return run_decide(options);
        }
        if (list->parsed()) {
            return run_list(options);
        }
        return run_show(options);
    });
}
