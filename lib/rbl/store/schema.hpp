#pragma once
// The versioned schema: migration N takes a database from user_version N-1 to N.

#include <span>
#include <string_view>

namespace rbl::store {

enum class Dialect;

/// The migrations in order, in a dialect's SQL; migrations(d)[i] brings version i to i + 1. Both
/// dialects have the same number of versions; on PostgreSQL the first eight are empty (its
/// databases begin at version 9, which creates everything).
std::span<const std::string_view> migrations(Dialect dialect);

/// The PostgreSQL migrations (pg_schema.cpp).
std::span<const std::string_view> pg_migrations();

/// The oldest schema version a read-only connection reads as it is, without migrating: the
/// migrations after it only add tables or columns, and the readers of those find none in it.
int oldest_readable_version();

/// The version whose entries keep their explanation as data (the table `entry_explanations`).
inline constexpr int k_explanation_data_version = 11;

/// The version that keeps the departments the last run's rules name (`rule_departments`).
inline constexpr int k_rule_departments_version = 12;

}  // namespace rbl::store
