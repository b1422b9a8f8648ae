#pragma once
// The versioned schema: migration N takes a database from user_version N-1 to N.

#include <span>
#include <string_view>

namespace rbl::store {

/// The migrations in order; migrations()[i] brings user_version i to i + 1.
std::span<const std::string_view> migrations();

/// The oldest schema version a read-only connection reads as it is, without migrating: the
/// migrations after it only add tables or columns, and the readers of those find none in it.
int oldest_readable_version();

}  // namespace rbl::store
