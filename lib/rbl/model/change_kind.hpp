#pragma once
// What an adjudication run does to an entry (SPEC.md §4): the changes it counts, stages, audits
// (`entry.CHANGE`) and prints.

#include <array>
#include <optional>
#include <string_view>

namespace rbl::model {

/// A run's change to one entry: a new entry, a move to a later pending or in-force state, or
/// one of the ends a run decides.
enum class ChangeKind { created, advanced, expired, withdrawn, revoked, lifted };

/// Every change, in the order the run's counts are printed.
inline constexpr std::array<ChangeKind, 6> k_change_kinds = {
    ChangeKind::created, ChangeKind::advanced, ChangeKind::expired,
    ChangeKind::withdrawn, ChangeKind::revoked, ChangeKind::lifted};

/// The change's name as counted, staged, audited and printed ("created", "advanced", …).
std::string_view to_string(ChangeKind change);
/// Parses a change's name.
std::optional<ChangeKind> parse_change_kind(std::string_view text);

}  // namespace rbl::model
