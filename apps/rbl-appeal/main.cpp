// rbl-appeal: objections (异议) and credit-repair applications (信用修复) of entries and of
// records — file, decide, list, show (SPEC.md §5, §11). Only wires options to rbl::appeal.

#include "common/tool.hpp"
#include "print.hpp"
#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/rules/rule_folder.hpp"
#include "rbl/util/i18n.hpp"

namespace {

constexpr std::string_view k_tool = rbl::app::k_appeal_tool;

struct Options {
    rbl::app::CommonOptions common;
    std::int64_t id = 0;  ///< ENTRY_ID for file and repair, APPEAL_ID for decide and show
    std::string reason;
    std::string record;      ///< repair --record SOURCE:RECORD_ID
    std::string commitment;  ///< repair --commitment
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

// The publicity terms of the domains that publish records (a record's repair needs them).
rbl::appeal::PublicityByDomain publicity_of(const rbl::rules::RuleFolder& folder) {
    rbl::appeal::PublicityByDomain publicity;
    for (const auto& [name, domain] : folder.rules.domains()) {
        if (domain.publicity) {
            publicity.emplace(domain.domain, *domain.publicity);
        }
    }
    return publicity;
}

// The rules folder, database, audit log and appeal desk every subcommand works with.
struct Desk {
    explicit Desk(const Options& options)
        : folder(rbl::rules::RuleFolder::load(options.common.rules)),  // invalid: exit 2
          session(options.common, k_tool, rbl::app::Access::write),
          desk(session.db, session.audit, folder.calendar, options.common.operator_name,
               publicity_of(folder)) {}
    rbl::rules::RuleFolder folder;
    rbl::app::Session session;
    rbl::appeal::AppealDesk desk;
};

rbl::ExitCode run_file(const Options& options, rbl::model::AppealType type) {
    const rbl::util::Date received = rbl::app::date_option("--received", options.received);
    Desk desk(options);
    rbl::app::print_filed(options.common,
                          desk.desk.file({options.id, type, options.reason, options.by, received,
                                          type == rbl::model::AppealType::repair
                                              ? options.commitment
                                              : std::string()}));
    return rbl::ExitCode::ok;
}

// repair: of an entry (ENTRY_ID) or of a record (--record), one of the two.
rbl::ExitCode run_repair(const Options& options, bool entry_given) {
    if (entry_given == !options.record.empty()) {
        throw rbl::UsageError(
            rbl::tr("repair takes an ENTRY_ID or --record SOURCE:RECORD_ID (one "
                    "of the two)"));
    }
    if (entry_given) {
        return run_file(options, rbl::model::AppealType::repair);
    }
    const rbl::util::Date received = rbl::app::date_option("--received", options.received);
    Desk desk(options);
    rbl::app::print_filed(options.common,
                          desk.desk.file_record_repair({options.record, options.reason,
                                                        options.commitment, options.by,
                                                        received}));
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_decide(const Options& options) {
    const rbl::util::Date date = rbl::app::date_option("--date", options.date);
    const auto outcome = rbl::model::parse_appeal_outcome(options.outcome);
    Desk desk(options);
    const rbl::appeal::DecideRequest request{options.id, *outcome, options.withdraw_records,
                                             options.note, date};
    if (desk.desk.is_record_repair(options.id)) {
        rbl::app::print_decision(options.common, desk.desk.decide_record_repair(request));
    } else {
        rbl::app::print_decision(options.common, desk.desk.decide(request), date);
    }
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_list(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    Desk desk(options);
    rbl::app::print_listing(options.common,
                            desk.desk.list(options.open_only, options.overdue_only, as_of), as_of);
    return rbl::ExitCode::ok;
}

rbl::ExitCode run_show(const Options& options) {
    const rbl::util::Date as_of = rbl::app::date_option("--as-of", options.as_of);
    Desk desk(options);
    rbl::app::print_story(options.common, options.id, desk.desk.show(options.id, as_of));
    return rbl::ExitCode::ok;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{rbl::tr("Objections (异议) and credit-repair applications (信用修复): file, "
                         "decide, list, show."),
                 std::string(k_tool)};
    rbl::app::add_common_options(app, options.common);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string(RBL_VERSION),
                         rbl::tr("print the version and exit"));
    rbl::app::add_help_footer(
        app, {"rbl-appeal file ENTRY_ID --reason \"paid in full\" --received 2026年11月28日",
              "rbl-appeal repair ENTRY_ID --reason \"fine paid, training done\"",
              "rbl-appeal repair --record market:宁市监罚〔2026〕1号 --reason \"fine paid\" "
              "--commitment \"守法经营承诺书\"",
              "rbl-appeal decide APPEAL_ID --outcome upheld --note \"receipt checked\"",
              "rbl-appeal list --overdue",
              "rbl-appeal show APPEAL_ID"});

    auto* file = app.add_subcommand("file", rbl::tr("file an objection against a pending or "
                                                    "effective entry; prints the appeal id"));
    file->add_option("ENTRY_ID", options.id, rbl::tr("the entry objected to"))->required();
    file->add_option("--reason", options.reason, rbl::tr("why"))->required();
    file->add_option("--received", options.received,
                     rbl::tr("the day it was received (default today)"));
    file->add_option("--by", options.by,
                     rbl::tr("who objects: the subject, a member of the "
                             "public, the office"));

    auto* repair = app.add_subcommand(
        "repair", rbl::tr("file a credit-repair application against an effective entry, or for "
                          "a published record (--record); prints the appeal id"));
    auto* repair_entry = repair->add_option("ENTRY_ID", options.id, rbl::tr("the entry to repair"));
    repair->add_option(
        "--record", options.record,
        rbl::tr("SOURCE:RECORD_ID: the record whose publication is to end (SPEC §11)"));
    repair->add_option("--commitment", options.commitment,
                       rbl::tr("the subject's public credit commitment (信用承诺), for a record or "
                               "an entry whose list asks for one"));
    repair->add_option("--reason", options.reason, rbl::tr("what the subject put right"))
        ->required();
    repair->add_option("--received", options.received,
                       rbl::tr("the day it was received (default today)"));
    repair->add_option("--by", options.by, rbl::tr("who applies"));

    auto* decide = app.add_subcommand("decide", rbl::tr("decide an appeal: upheld grants it, "
                                                        "rejected leaves the entry as it was"));
    decide->add_option("APPEAL_ID", options.id, rbl::tr("the appeal"))->required();
    decide->add_option("--outcome", options.outcome, rbl::tr("upheld or rejected"))
        ->required()
        ->check(CLI::IsMember({"upheld", "rejected"}));
    decide->add_flag("--withdraw-records", options.withdraw_records,
                     rbl::tr("with an upheld objection: withdraw the entry's evidence records by "
                             "office decision, so the same facts never list the subject again"));
    decide->add_option("--note", options.note, rbl::tr("the reasons of the decision"))->required();
    decide->add_option("--date", options.date, rbl::tr("the day of the decision (default today)"));

    auto* list = app.add_subcommand("list", rbl::tr("list appeals with their deadlines"));
    list->add_flag("--open", options.open_only, rbl::tr("only undecided appeals"));
    list->add_flag("--overdue", options.overdue_only,
                   rbl::tr("only undecided appeals past their deadline"));
    list->add_option("--as-of", options.as_of,
                     rbl::tr("the day deadlines are judged on (default today)"));

    auto* show = app.add_subcommand("show", rbl::tr("an appeal and the whole story of its entry"));
    show->add_option("APPEAL_ID", options.id, rbl::tr("the appeal"))->required();
    show->add_option("--as-of", options.as_of,
                     rbl::tr("the day deadlines are judged on (default today)"));

    return rbl::app::run_tool(k_tool, app, argc, argv, [&] {
        if (file->parsed()) {
            return run_file(options, rbl::model::AppealType::objection);
        }
        if (repair->parsed()) {
            return run_repair(options, repair_entry->count() > 0);
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
