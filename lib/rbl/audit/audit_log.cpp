#include "rbl/audit/audit_log.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <utility>

#include "rbl/audit/state_check.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::audit {

namespace {

// The prev_hash of the first row.
const std::string k_genesis_hash(64, '0');

void add_field(util::Sha256& hash, std::string_view field) {
    hash.update(fmt::format("{}:", field.size()));
    hash.update(field);
    hash.update("\n");
}

std::string missing_rows(std::int64_t first, std::int64_t last) {
    if (first == last) {
        return trf("row {} is missing", first);
    }
    return trf("rows {} to {} are missing", first, last);
}

bool is_hex_hash(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string Head::text() const { return fmt::format("{}:{}", seq, hash); }

std::optional<Head> parse_head(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return std::nullopt;
    }
    Head head;
    const std::string_view digits = text.substr(0, colon);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), head.seq);
    if (error != std::errc() || end != digits.data() + digits.size() || head.seq < 1) {
        return std::nullopt;
    }
    head.hash = text.substr(colon + 1);
    if (!is_hex_hash(head.hash)) {
        return std::nullopt;
    }
    return head;
}

std::string login_name() {
    if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr &&
                                                        entry->pw_name[0] != '\0') {
        return entry->pw_name;
    }
    if (const char* user = std::getenv("USER"); user != nullptr && user[0] != '\0') {
        return user;
    }
    return "unknown";
}

std::string row_hash(const AuditRow& row) {
    util::Sha256 hash;
    add_field(hash, std::to_string(row.seq));
    add_field(hash, row.at);
    add_field(hash, row.operator_name);
    add_field(hash, row.login);
    add_field(hash, row.tool);
    add_field(hash, row.action);
    add_field(hash, row.object);
    add_field(hash, row.details);
    add_field(hash, row.prev_hash);
    return hash.hex();
}

AuditLog::AuditLog(store::Database& db, Actor actor)
    : m_db(db), m_actor(std::move(actor)), m_rows(db) {}

std::int64_t AuditLog::append(std::string_view action, std::string_view object,
                              std::string_view details_json) {
    // Reading the last row and inserting the next must be one atomic step, or two processes
    // could both append "seq 8": the caller's write transaction provides it.
    if (!m_db.in_transaction()) {
        throw FailedError(tr("internal error: audit rows must be appended inside a transaction"));
    }
    AuditRow row;
    row.prev_hash = k_genesis_hash;
    row.seq = 1;
    // Read every time unless held: another process may have appended since our last call.
    const std::optional<store::AuditTail> last = m_held ? *m_held : m_rows.last();
    if (last) {
        row.seq = last->seq + 1;
        row.prev_hash = last->hash;
    }

    row.at = util::utc_now_iso();
    row.operator_name = m_actor.operator_name;
    row.login = m_actor.login;
    row.tool = m_actor.tool;
    row.action = action;
    row.object = object;
    row.details = details_json;
    row.hash = row_hash(row);
    m_rows.insert(row);
    if (m_held) {
        *m_held = store::AuditTail{row.seq, std::move(row.hash)};
    }
    return row.seq;
}

AuditLog::HeldHead::HeldHead(AuditLog& log) : m_log(log) {
    if (!m_log.m_db.in_transaction()) {
        throw FailedError(
            tr("internal error: the audit chain's head is held only inside a transaction"));
    }
    m_log.m_held.emplace(m_log.m_rows.last());
}

AuditLog::HeldHead::~HeldHead() { m_log.m_held.reset(); }

void AuditLog::for_each(const LogFilter& filter,
                        const std::function<void(const AuditRow&)>& visit) {
    m_rows.for_each(filter, visit);
}

std::vector<AuditRow> AuditLog::read(const LogFilter& filter) {
    std::vector<AuditRow> rows;
    for_each(filter, [&rows](const AuditRow& row) { rows.push_back(row); });
    return rows;
}

std::optional<Head> AuditLog::head() {
    std::optional<Head> head;
    if (auto last = m_rows.last()) {
        head = Head{last->seq, std::move(last->hash)};
    }
    return head;
}

VerifyResult AuditLog::verify(const VerifyOptions& options) {
    VerifyResult result;
    StateCheck state;
    std::int64_t previous_seq = 0;
    std::string previous_hash = k_genesis_hash;
    bool head_found = false;
    m_rows.for_each_row([&](const AuditRow& row) {
        ++result.rows;
        result.head = Head{row.seq, row.hash};
        if (result.first_bad) {
            return;  // keep counting rows; the first bad one is what matters
        }
        if (options.check_state) {
            state.observe(row);
        }
        if (options.head && row.seq == options.head->seq) {
            head_found = true;
            if (row.hash != options.head->hash) {
                result.first_bad = row.seq;
                result.problem = trf(
                    "row {} is not the row of the head {}: the log was rewritten up to there",
                    row.seq, options.head->text());
                return;
            }
        }
        // A gap explains the prev_hash mismatch that follows it, so it is checked first.
        if (row.seq != previous_seq + 1) {
            result.first_bad = row.seq;
            result.problem =
                previous_seq == 0
                    ? trf("row {} is the first: {}", row.seq, missing_rows(1, row.seq - 1))
                    : trf("row {} follows row {}: {}", row.seq, previous_seq,
                          missing_rows(previous_seq + 1, row.seq - 1));
        } else if (row.prev_hash != previous_hash) {
            result.first_bad = row.seq;
            result.problem =
                previous_seq == 0
                    ? trf("row {}: previous hash is not the start of a chain", row.seq)
                    : trf("row {}: previous hash does not match row {}", row.seq, previous_seq);
        } else if (row.hash != row_hash(row)) {
            result.first_bad = row.seq;
            result.problem = trf("row {}: hash does not match its contents", row.seq);
        }
        previous_seq = row.seq;
        previous_hash = row.hash;
    });
    if (result.first_bad) {
        result.problems.push_back(result.problem);
        return result;  // a broken chain cannot vouch for any state
    }
    if (options.head && !head_found) {
        result.first_bad = result.head ? result.head->seq + 1 : 1;  // the first row missing
        result.problem =
            result.head
                ? trf("the head {} is gone: the log ends at row {}, so rows {} to {} "
                      "(at least) were removed",
                      options.head->text(), result.head->seq, result.head->seq + 1,
                      options.head->seq)
                : trf("the head {} is gone: the log is empty", options.head->text());
        result.problems.push_back(result.problem);
    }
    if (options.check_state) {
        state.check(m_db, result);
    }
    return result;
}

}  // namespace rbl::audit
