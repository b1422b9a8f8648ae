#include "rbl/check/answer_format.hpp"

#include <array>
#include <string_view>

#include "rbl/util/csv.hpp"

namespace rbl::check {

namespace {

constexpr std::array<std::string_view, 11> k_columns = {
    "line",        "subject_id", "result",  "reason",   "subject_name", "subject_type",
    "listed_black", "listed_red", "entries", "measures", "lookup_id"};

nlohmann::json measures_json(const std::vector<MeasureDue>& measures, bool with_departments) {
    nlohmann::json out = nlohmann::json::array();
    for (const MeasureDue& measure : measures) {
        nlohmann::json item{{"id", measure.id}, {"text_zh", measure.text_zh}};
        if (with_departments) {
            item["departments"] = measure.departments;
        }
        out.push_back(std::move(item));
    }
    return out;
}

nlohmann::json listing_json(const Listing& listing, bool with_departments) {
    return {{"entry_id", listing.entry_id},
            {"list_id", listing.list_id},
            {"list_title", listing.list_title},
            {"list_title_zh", listing.list_title_zh},
            {"kind", listing.kind},
            {"domain", listing.domain},
            {"status", std::string(model::to_string(listing.status))},
            {"effective_from", listing.effective_from.iso()},
            {"expires_on", listing.expires_on ? nlohmann::json(listing.expires_on->iso())
                                               : nlohmann::json(nullptr)},
            {"disputed", listing.disputed},
            {"measures", measures_json(listing.measures, with_departments)}};
}

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

// Appends a text cell with the formula guard, then the separator.
void cell(std::string& line, std::string_view text) {
    util::append_csv_field(line, util::guard_formula(text));
    line += ',';
}

// Appends `item` to a ';'-joined list.
void join(std::string& list, std::string_view item) {
    if (!list.empty()) {
        list += ';';
    }
    list += item;
}

}  // namespace

nlohmann::json to_json(const Answer& answer, bool with_departments) {
    nlohmann::json entries = nlohmann::json::array();
    for (const Listing& listing : answer.entries) {
        entries.push_back(listing_json(listing, with_departments));
    }
    nlohmann::json out{{"subject_id", answer.subject_id},
                       {"asked", answer.asked},
                       {"result", std::string(to_string(answer.outcome))},
                       {"reason", text_or_null(answer.reason)},
                       {"subject_name", text_or_null(answer.subject_name)},
                       {"subject_type", text_or_null(answer.subject_type)},
                       {"listed_black", answer.listed_black},
                       {"listed_red", answer.listed_red},
                       {"entries", std::move(entries)},
                       {"lookup_id", answer.lookup_id ? nlohmann::json(*answer.lookup_id)
                                                      : nlohmann::json(nullptr)}};
    if (answer.line > 0) {
        out["line"] = answer.line;
    }
    return out;
}

std::string csv_header() {
    std::string line;
    for (std::string_view column : k_columns) {
        line += column;
        line += ',';
    }
    line.back() = '\r';
    line += '\n';
    return line;
}

std::string csv_row(const Answer& answer) {
    std::string entries;
    std::string measures;
    for (const Listing& listing : answer.entries) {
        join(entries, listing.list_id);
        entries += ':';
        entries += model::to_string(listing.status);
        for (const MeasureDue& measure : listing.measures) {
            join(measures, measure.id);
        }
    }
    std::string line;
    if (answer.line > 0) {
        line += std::to_string(answer.line);
    }
    line += ',';
    cell(line, answer.outcome == Outcome::invalid ? answer.asked : answer.subject_id);
    cell(line, to_string(answer.outcome));
    cell(line, answer.reason);
    cell(line, answer.subject_name);
    cell(line, answer.subject_type);
    line += answer.listed_black ? "true," : "false,";
    line += answer.listed_red ? "true," : "false,";
    cell(line, entries);
    cell(line, measures);
    line += answer.lookup_id ? std::to_string(*answer.lookup_id) : std::string();
    line += "\r\n";
    return line;
}

}  // namespace rbl::check
