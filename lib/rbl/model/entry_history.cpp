#include "rbl/model/entry_history.hpp"

#include <fmt/format.h>

#include "rbl/util/i18n.hpp"

namespace rbl::model {

namespace {

std::string entry_line(const Entry& entry) {
    // Clause by clause, each a message of its own: the dates an entry has depend on its list.
    std::string line = entry.disputed ? trf("entry {}: {} (disputed) — decided {}", entry.entry_id,
                                            status_words(entry.status), entry.decided_on.iso())
                                      : trf("entry {}: {} — decided {}", entry.entry_id,
                                            status_words(entry.status), entry.decided_on.iso());
    if (entry.notice_until) {
        line += trf(", notice to {}", entry.notice_until->iso());
    }
    if (entry.publicity_until) {
        line += trf(", publicity to {}", entry.publicity_until->iso());
    }
    line += entry.expires_on ? trf(", in force from {}, expires {}", entry.effective_from.iso(),
                                   entry.expires_on->iso())
                             : trf(", in force from {}, no fixed term", entry.effective_from.iso());
    if (entry.ended_on) {
        line += entry.end_reason ? trf(", ended {} ({})", entry.ended_on->iso(),
                                       tr(words_en(*entry.end_reason).data()))
                                 : trf(", ended {}", entry.ended_on->iso());
    }
    return line;
}

std::string appeal_line(const Appeal& appeal, util::Date as_of) {
    std::string line = trf("appeal {} ({}) received {}, due {}", appeal.appeal_id,
                           type_words(appeal.type), appeal.received_on.iso(), appeal.due_on.iso());
    if (!appeal.filed_by.empty()) {
        line += trf(", by {}", appeal.filed_by);
    }
    if (appeal.outcome && appeal.decided_on) {
        line += appeal.withdraw_records
                    ? trf(": \"{}\" — {} on {}, evidence records withdrawn", appeal.reason,
                          outcome_words(*appeal.outcome), appeal.decided_on->iso())
                    : trf(": \"{}\" — {} on {}", appeal.reason, outcome_words(*appeal.outcome),
                          appeal.decided_on->iso());
        if (!appeal.note.empty()) {
            line += trf(": \"{}\"", appeal.note);
        }
    } else {
        line += appeal.is_overdue(as_of) ? trf(": \"{}\" — open, OVERDUE", appeal.reason)
                                         : trf(": \"{}\" — open", appeal.reason);
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
