#pragma once
// One-value queries, for tests that check what a run left in the database.

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/store/database.hpp"

namespace rbl::test {

/// The first column of the query's first row as text ("" for NULL); the query must give a row.
inline std::string query_text(store::Database& db, std::string_view sql) {
    store::Statement statement(db, sql);
    REQUIRE(statement.step());
    return std::string(statement.column_text(0));
}

/// The first column of the query's first row as a number; the query must give a row.
inline std::int64_t query_number(store::Database& db, std::string_view sql) {
    store::Statement statement(db, sql);
    REQUIRE(statement.step());
    return statement.column_int64(0);
}

}  // namespace rbl::test
