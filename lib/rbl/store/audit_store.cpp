#include "rbl/store/audit_store.hpp"

namespace rbl::store {

namespace {

#define RBL_AUDIT_COLUMNS "seq, at, operator, login, tool, action, object, details, prev_hash, hash"

constexpr std::string_view k_last = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

constexpr std::string_view k_insert = "INSERT INTO audit_log (" RBL_AUDIT_COLUMNS
                                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

// One constant statement for every filter: a NULL parameter means "no filter". An action
// filter matches the action itself or, as a family, every action under it ("entry" matches
// "entry.created" and "entry.lifted").
constexpr std::string_view k_read =
    "SELECT " RBL_AUDIT_COLUMNS " FROM audit_log "
    "WHERE (CAST(?1 AS BIGINT) IS NULL OR seq > ?1) "
    "AND (CAST(?2 AS TEXT) IS NULL OR object = ?2) "
    "AND (CAST(?3 AS TEXT) IS NULL OR action = ?3 OR substr(action, 1, length(?3) + 1) = ?3 || '.') "
    "AND (CAST(?4 AS TEXT) IS NULL OR operator = ?4) "
    "ORDER BY seq";

constexpr std::string_view k_all = "SELECT " RBL_AUDIT_COLUMNS " FROM audit_log ORDER BY seq";

#undef RBL_AUDIT_COLUMNS

void assign(std::string& out, const Statement& statement, int column) {
    const std::string_view text = statement.column_text(column);
    out.assign(text.data(), text.size());
}

void read_row(const Statement& statement, AuditRow& row) {
    row.seq = statement.column_int64(0);
    assign(row.at, statement, 1);
    assign(row.operator_name, statement, 2);
    assign(row.login, statement, 3);
    assign(row.tool, statement, 4);
    assign(row.action, statement, 5);
    assign(row.object, statement, 6);
    assign(row.details, statement, 7);
    assign(row.prev_hash, statement, 8);
    assign(row.hash, statement, 9);
}

// Steps `statement` to the end, calling `visit` with each row; resets it, also when `visit`
// throws.
void visit_rows(Statement& statement, const std::function<void(const AuditRow&)>& visit) {
    AuditRow row;
    try {
        while (statement.step()) {
            read_row(statement, row);
            visit(row);
        }
    } catch (...) {
        statement.reset();
        throw;
    }
    statement.reset();
}

}  // namespace

AuditStore::AuditStore(Database& db)
    : m_last(db, k_last), m_insert(db, k_insert), m_read(db, k_read), m_all(db, k_all, detail::Fetch::stream) {}

std::optional<AuditTail> AuditStore::last() {
    std::optional<AuditTail> tail;
    if (m_last.step()) {
        tail = AuditTail{m_last.column_int64(0), std::string(m_last.column_text(1))};
    }
    m_last.reset();
    return tail;
}

void AuditStore::insert(const AuditRow& row) {
    m_insert.bind(1, row.seq)
        .bind(2, row.at)
        .bind(3, row.operator_name)
        .bind(4, row.login)
        .bind(5, row.tool)
        .bind(6, row.action)
        .bind(7, row.object)
        .bind(8, row.details)
        .bind(9, row.prev_hash)
        .bind(10, row.hash);
    m_insert.run();
}

void AuditStore::for_each(const AuditFilter& filter,
                          const std::function<void(const AuditRow&)>& visit) {
    m_read.bind(1, filter.since_seq)
        .bind(2, filter.object)
        .bind(3, filter.action)
        .bind(4, filter.operator_name);
    visit_rows(m_read, visit);
}

void AuditStore::for_each_row(const std::function<void(const AuditRow&)>& visit) {
    visit_rows(m_all, visit);
}

}  // namespace rbl::store
