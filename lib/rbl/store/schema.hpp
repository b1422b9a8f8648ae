#pragma once
// The versioned schema: migration N takes a database from user_version N-1 to N.

#include <span>
#include <string_view>

namespace rbl::store {

/// The migrations in order; migrations()[i] brings user_version i to i + 1.
std::span<const std::string_view> migrations();

}  // namespace rbl::store
