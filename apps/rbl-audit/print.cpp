#include "print.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "rbl/util/date.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

void print_log_row(const CommonOptions& options, const audit::AuditRow& row, bool first) {
    if (options.json) {
        fmt::print("{}\n", audit::to_json(row).dump());
        return;
    }
    if (first) {
        print_streamed_line(
            fmt::format("{:>6}  {}  {}  {}  {}  {}  {}", tr("seq"),
                        util::pad_to_width(tr("at"), 25), util::pad_to_width(tr("operator"), 12),
                        util::pad_to_width(tr("tool"), 14), util::pad_to_width(tr("action"), 18),
                        util::pad_to_width(tr("object"), 24), tr("details")));
    }
    // Streamed: fixed widths that fit the usual values, padded by display width so that Chinese
    // operator names line up. The time as people read it, in China Standard Time; --json keeps
    // the stored UTC. Cut to a terminal's width, as other tables are.
    print_streamed_line(fmt::format("{:>6}  {}  {}  {}  {}  {}  {}", row.seq,
                                    util::pad_to_width(util::china_time(row.at), 25),
                                    util::pad_to_width(row.operator_name, 12),
                                    util::pad_to_width(row.tool, 14),
                                    util::pad_to_width(row.action, 18),
                                    util::pad_to_width(row.object, 24), row.details));
}

namespace {

// The first problems on stderr, and that the log does not vouch for the database.
void print_problems(const audit::VerifyResult& result) {
    constexpr std::size_t k_shown = 10;
    for (std::size_t i = 0; i < result.problems.size() && i < k_shown; ++i) {
        fmt::print(stderr, "{}\n", trf("{}: error: {}", k_audit_tool, result.problems[i]));
    }
    if (result.problems.size() > k_shown) {
        fmt::print(
            stderr, "{}\n",
            trf("{}: ... and {} more problems", k_audit_tool, result.problems.size() - k_shown));
    }
    fmt::print(stderr, "{}\n",
               trf("{}: the audit log does not vouch for this database ({} rows)", k_audit_tool,
                   result.rows));
}

// That the chain is whole: one whole sentence for each of with or without a head kept outside,
// and with or without objects whose rows predate state hashes.
std::string all_clear(const audit::VerifyResult& result,
                      const audit::VerifyOptions& verify_options) {
    if (verify_options.head) {
        const std::string head = verify_options.head->text();
        return result.unchecked > 0
                   ? trf("{}: the audit chain is whole: {} rows, and holds the head {}; {} "
                         "entries and {} records are what it says they became ({} could not be "
                         "checked: their rows predate state hashes)",
                         k_audit_tool, result.rows, head, result.entries_checked,
                         result.records_checked, result.unchecked)
                   : trf("{}: the audit chain is whole: {} rows, and holds the head {}; {} "
                         "entries and {} records are what it says they became",
                         k_audit_tool, result.rows, head, result.entries_checked,
                         result.records_checked);
    }
    return result.unchecked > 0
               ? trf("{}: the audit chain is whole: {} rows; {} entries and {} records are what "
                     "it says they became ({} could not be checked: their rows predate state "
                     "hashes)",
                     k_audit_tool, result.rows, result.entries_checked, result.records_checked,
                     result.unchecked)
               : trf("{}: the audit chain is whole: {} rows; {} entries and {} records are what "
                     "it says they became",
                     k_audit_tool, result.rows, result.entries_checked, result.records_checked);
}

}  // namespace

void print_verify_result(const CommonOptions& options, const audit::VerifyResult& result,
                         const audit::VerifyOptions& verify_options) {
    if (options.json) {
        fmt::print("{}\n", audit::to_json(result, verify_options).dump());
    }
    if (!result.ok()) {
        print_problems(result);
        return;
    }
    if (options.quiet) {
        return;
    }
    fmt::print(stderr, "{}\n", all_clear(result, verify_options));
}

}  // namespace rbl::app
