#include "rbl/model/entry_history.hpp"

#include <fmt/format.h>

namespace rbl::model {

namespace {

std::string entry_line(const Entry& entry) {
    std::string line = fmt::format("entry {}: {}{} — decided {}", entry.entry_id,
                                   to_string(entry.status),
                                   entry.disputed ? " (disputed)" : "", entry.decided_on.iso());
    if (entry.notice_until) {
        line += fmt::format(", notice to {}", entry.notice_until->iso());
    }
    if (entry.publicity_until) {
        line += fmt::format(", publicity to {}", entry.publicity_until->iso());
    }
    line += fmt::format(", in force from {}, {}", entry.effective_from.iso(),
                        entry.expires_on ? fmt::format("expires {}", entry.expires_on->iso())
                                         : std::string("no fixed term"));
    if (entry.ended_on) {
        line += fmt::format(", ended {}", entry.ended_on->iso());
        if (entry.end_reason) {
            line += fmt::format(" ({})", words_en(*entry.end_reason));
        }
    }
    return line;
}

std::string appeal_line(const Appeal& appeal, util::Date as_of) {
    std::string line = fmt::format("appeal {} ({}) received {}, due {}", appeal.appeal_id,
                                   to_string(appeal.type), appeal.received_on.iso(),
                                   appeal.due_on.iso());
    if (!appeal.filed_by.empty()) {
        line += fmt::format(", by {}", appeal.filed_by);
    }
    line += fmt::format(": \"{}\" — ", appeal.reason);
    if (appeal.outcome && appeal.decided_on) {
        line += fmt::format("{} on {}", to_string(*appeal.outcome), appeal.decided_on->iso());
        if (appeal.withdraw_records) {
            line += ", evidence records withdrawn";
        }
        if (!appeal.note.empty()) {
            line += fmt::format(": \"{}\"", appeal.note);
        }
    } else {
        line += appeal.is_overdue(as_of) ? "open, OVERDUE" : "open";
    }
    return line;
}

}  // namespace

std::vector<std::string> describe_history(const Entry& entry, const std::vector<Appeal>& appeals,
                                          util::Date as_of) {
    std::vector<std::string> lines{entry_line(entry)};
    for (const Appeal& appeal : appeals) {
        lines.push_back("  " + appeal_line(appeal, as_of));
    }
    return lines;
}

}  // namespace rbl::model
