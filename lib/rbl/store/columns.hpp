#pragma once
// Reading typed values from statement columns, shared by the stores (internal to lib/rbl/store).

#include <fmt/format.h>

#include <optional>
#include <string>

#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::store {

/// The column's ISO date, or nullopt when NULL (or not a date).
inline std::optional<util::Date> optional_date(const Statement& statement, int column) {
    if (statement.is_null(column)) {
        return std::nullopt;
    }
    auto parsed = util::parse_iso_date(statement.column_text(column));
    return parsed ? std::optional(*parsed) : std::nullopt;
}

/// The column's ISO date (the zero date when NULL).
inline util::Date date_of(const Statement& statement, int column) {
    return optional_date(statement, column).value_or(util::Date());
}

/// A date as the ISO text to bind, or nullopt to bind NULL.
inline std::optional<std::string> iso(const std::optional<util::Date>& date) {
    return date ? std::optional(date->iso()) : std::nullopt;
}

/// An entry's expires_on as stored: its ISO date, or '' for an open-ended term (the column is
/// NOT NULL; '' lies outside every range of dates a query asks for).
inline std::string expiry_text(const std::optional<util::Date>& expires_on) {
    return expires_on ? expires_on->iso() : std::string();
}

/// The column's entry status (notice when unknown).
inline model::EntryStatus status_of(const Statement& statement, int column) {
    return model::parse_entry_status(statement.column_text(column))
        .value_or(model::EntryStatus::notice);
}

/// The column's list kind (black when unknown: the schema admits only black and red).
inline model::ListKind list_kind_of(const Statement& statement, int column) {
    return model::parse_list_kind(statement.column_text(column)).value_or(model::ListKind::black);
}

/// The column's end reason, or nullopt when NULL: a code, or the prose of an earlier version.
/// Throws FailedError for other text (rbl never stored it: the database was changed outside).
inline std::optional<model::EndReason> end_reason_of(const Statement& statement, int column) {
    if (statement.is_null(column)) {
        return std::nullopt;
    }
    const std::string_view text = statement.column_text(column);
    if (const auto reason = model::parse_end_reason(text)) {
        return reason;
    }
    throw FailedError(
        trf("an entry's end reason '{}' is none rbl writes (was the database changed outside rbl?)",
            text));
}

/// An end reason as the code to bind, or nullopt to bind NULL.
inline std::optional<std::string_view> code(const std::optional<model::EndReason>& reason) {
    return reason ? std::optional(model::to_string(*reason)) : std::nullopt;
}

/// An entry from 14 columns of a row from `first` on (the first 14 by default), in the order
/// every entry query selects them: entry_id, list_id, subject_id, kind, domain, status,
/// decided_on, notice_until, publicity_until, effective_from, expires_on, ended_on, end_reason,
/// disputed.
inline model::Entry entry_of(const Statement& statement, int first = 0) {
    model::Entry entry;
    entry.entry_id = statement.column_int64(first);
    entry.list_id = statement.column_text(first + 1);
    entry.subject_id = statement.column_text(first + 2);
    entry.kind = list_kind_of(statement, first + 3);
    entry.domain = statement.column_text(first + 4);
    entry.status = status_of(statement, first + 5);
    entry.decided_on = date_of(statement, first + 6);
    entry.notice_until = optional_date(statement, first + 7);
    entry.publicity_until = optional_date(statement, first + 8);
    entry.effective_from = date_of(statement, first + 9);
    entry.expires_on = optional_date(statement, first + 10);
    entry.ended_on = optional_date(statement, first + 11);
    entry.end_reason = end_reason_of(statement, first + 12);
    entry.disputed = statement.column_int64(first + 13) != 0;
    return entry;
}

}  // namespace rbl::store
