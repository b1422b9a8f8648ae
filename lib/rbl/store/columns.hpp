#pragma once
// Reading typed values from statement columns, shared by the stores (internal to lib/rbl/store).

#include <optional>
#include <string>

#include "rbl/model/entry.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"

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

/// The column's entry status (notice when unknown).
inline model::EntryStatus status_of(const Statement& statement, int column) {
    return model::parse_entry_status(statement.column_text(column))
        .value_or(model::EntryStatus::notice);
}

}  // namespace rbl::store
