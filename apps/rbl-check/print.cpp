#include "print.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/tool.hpp"
#include "rbl/check/answer_format.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text_table.hpp"

namespace rbl::app {

namespace {

std::string measures_cell(const check::Listing& listing) {
    std::string cell;
    for (const auto& measure : listing.measures) {
        cell += fmt::format("{}{} {}", cell.empty() ? "" : "; ", measure.id, measure.text_zh);
        if (!measure.departments.empty()) {
            cell += fmt::format(" ({})", fmt::join(measure.departments, ", "));
        }
    }
    return cell.empty() ? "-" : cell;
}

}  // namespace

// The answers as a table for staff: one row per entry, one for a subject without any, in the
// interface's language (--json, the answer files and the lookup log keep the codes).
void print_answer_table(const std::vector<check::Answer>& answers) {
    util::TextTable table({tr("subject_id"), tr("name"), tr("result"), tr("black"), tr("red"),
                           tr("list"), tr("status"), tr("effective_from"), tr("expires_on"),
                           tr("disputed"), tr("measures")});
    const std::string yes = tr("yes");
    const std::string no = tr("no");
    for (const auto& answer : answers) {
        const std::string result = answer.outcome == check::Outcome::invalid
                                       ? trf("invalid: {}", answer.reason)
                                       : std::string(tr(check::to_string(answer.outcome).data()));
        const std::string black = answer.listed_black ? yes : no;
        const std::string red = answer.listed_red ? yes : no;
        if (answer.entries.empty()) {
            table.add_row({answer.asked, answer.subject_name, result, black, red, "-", "-", "-", "-",
                           "-", "-"});
        }
        for (const auto& listing : answer.entries) {
            table.add_row({answer.subject_id, answer.subject_name, result, black, red,
                           listing.list_id, std::string(model::status_words(listing.status)),
                           listing.effective_from.iso(),
                           listing.expires_on ? listing.expires_on->iso() : std::string("-"),
                           listing.disputed ? yes : no, measures_cell(listing)});
        }
    }
    print_table(table);
}

void write_answer_lines(const std::string& out_path, bool csv, bool all_measures,
                        const std::vector<check::Answer>& answers) {
    auto out = out_path == "-" ? util::AtomicFile::standard_output(false)
                               : util::AtomicFile(out_path, {});
    if (csv) {
        out.write(check::csv_header());
    }
    for (const auto& answer : answers) {
        out.write(csv ? check::csv_row(answer) : check::to_json(answer, all_measures).dump() + "\n");
    }
    out.commit();
}

}  // namespace rbl::app
