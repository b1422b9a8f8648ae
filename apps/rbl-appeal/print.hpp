#pragma once
// rbl-appeal's output of each subcommand: with --json the one JSON object on stdout, else the
// text on stdout; and, unless --quiet, a note on stderr saying what was done.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/tool.hpp"
#include "rbl/appeal/appeal_desk.hpp"
#include "rbl/model/appeal.hpp"
#include "rbl/util/date.hpp"

namespace rbl::app {

inline constexpr std::string_view k_appeal_tool = "rbl-appeal";

/// The appeal filed: its id (or JSON), and "objection 3 filed against entry 7, received DAY, to
/// be decided by DAY".
void print_filed(const CommonOptions& options, const model::Appeal& appeal);

/// A record's repair application filed: its id (or JSON), and "record repair 3 filed for record
/// SOURCE:ID, received DAY, to be decided by DAY".
void print_filed(const CommonOptions& options, const model::RecordRepair& repair);

/// A record repair's decision (JSON only), and "appeal 3 upheld on DAY: EFFECT".
void print_decision(const CommonOptions& options, const appeal::RecordRepairDecision& decision);

/// The decision of `date` (JSON only), and "appeal 3 upheld on DAY: EFFECT" with how many
/// evidence records were withdrawn.
void print_decision(const CommonOptions& options, const appeal::Decision& decision,
                    util::Date date);

/// The appeals as a table (nothing when there are none) or JSON, their state judged on `as_of`,
/// and "N appeals shown; M open appeals overdue as of DAY".
void print_listing(const CommonOptions& options, const appeal::AppealListing& listing,
                   util::Date as_of);

/// The story of an appeal, one line each, or JSON.
void print_story(const CommonOptions& options, std::int64_t appeal_id,
                 const std::vector<std::string>& story);

}  // namespace rbl::app
