#pragma once
// rbl-adjudicate's output: with --json the one JSON object on stdout (a dry run's changes and an
// explanation in it), the tables for people on stderr unless --quiet; else the data on stdout —
// the preview or explanation, the per-list table of entries, the expiring entries — and, unless
// --quiet, the captions and the summary line on stderr.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/tool.hpp"
#include "rbl/engine/adjudicator.hpp"
#include "rbl/engine/explain.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

inline constexpr std::string_view k_adjudicate_tool = "rbl-adjudicate";

/// A dry run's changes, the impact preview: a table for people and an array for --json,
/// filled from the run's ChangeSink.
class ChangePreview {
public:
    void add(const engine::EntryChange& change);
    [[nodiscard]] const util::TextTable& table() const { return m_table; }
    /// Every change as {list_id, change, subject_id, subject_name, status, reason}.
    [[nodiscard]] const nlohmann::json& changes() const { return m_changes; }

private:
    util::TextTable m_table{{tr("list"), tr("change"), tr("subject"), tr("name"), tr("status")}};
    nlohmann::json m_changes = nlohmann::json::array();
};

/// The preview table: on stdout, its output; with --json on stderr (unless --quiet), the
/// changes going into the JSON object instead.
void print_preview(const CommonOptions& options, const ChangePreview& preview);

/// With --json the run's JSON object on stdout, with `changes` when `preview` is given (a dry
/// run), and unless --quiet the tables on stderr; else the per-list table of entries and the
/// expiring entries on stdout. Unless --quiet, the summary line (in entries) on stderr.
void print_run_summary(const CommonOptions& options, const engine::AdjudicateOptions& run,
                       const engine::AdjudicationSummary& summary, const ChangePreview* preview);

/// --explain SUBJECT_ID: its lines on stdout, or with --json the explanation's JSON object
/// (engine::to_json).
void print_explanation(const CommonOptions& options,
                       const engine::SubjectExplanation& explanation);

}  // namespace rbl::app
