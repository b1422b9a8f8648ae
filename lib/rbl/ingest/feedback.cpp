#include "rbl/ingest/feedback.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "rbl/model/entry_terms.hpp"
#include "rbl/store/feedback_store.hpp"
#include "rbl/store/record_store.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/input.hpp"
#include "rbl/util/sha256.hpp"
#include "rbl/util/text.hpp"

namespace rbl::ingest {

namespace {

constexpr std::array<std::string_view, 4> k_required = {"entry_id", "department", "measure_id",
                                                        "applied_on"};

struct Columns {
    std::size_t entry_id = 0;
    std::size_t department = 0;
    std::size_t measure_id = 0;
    std::size_t applied_on = 0;
    std::optional<std::size_t> note;
    std::optional<std::size_t> lookup_id;  ///< the rbl-check answer the report follows from
};

// What a valid row records beside its department, measure and note.
struct CheckedRow {
    std::int64_t entry_id = 0;
    std::string applied_on;
    std::optional<std::int64_t> lookup_id;
};

Columns read_header(const util::CsvRow& header, const std::filesystem::path& file) {
    auto find = [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            std::string_view field = util::trim(header.fields[i]);
            if (i == 0 && field.starts_with("\xEF\xBB\xBF")) {
                field.remove_prefix(3);
            }
            if (field == name) {
                return i;
            }
        }
        return std::nullopt;
    };
    std::vector<std::size_t> found;
    for (const std::string_view name : k_required) {
        const auto index = find(name);
        if (!index) {
            throw UsageError(
                trf("{}:1: the header has no column '{}' (a feedback file has "
                    "entry_id, department, measure_id, applied_on, note, "
                    "lookup_id)",
                    file.string(), name));
        }
        found.push_back(*index);
    }
    return {found[0], found[1], found[2], found[3], find("note"), find("lookup_id")};
}

// A positive row number (an entry's or a lookup's), or nullopt.
std::optional<std::int64_t> row_number(std::string_view text) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size() || number <= 0) {
        return std::nullopt;
    }
    return number;
}

// Why a row's lookup_id can't be recorded with it, or "" when it can (or the cell is empty): the
// lookup must exist and have been made for the row's department about the entry's subject.
std::string check_lookup(const std::vector<std::string>& fields, const Columns& columns,
                         std::string_view department, store::FeedbackStore& store,
                         CheckedRow& checked) {
    checked.lookup_id.reset();
    if (!columns.lookup_id || *columns.lookup_id >= fields.size()) {
        return {};
    }
    const std::string_view text = util::trim(fields[*columns.lookup_id]);
    if (text.empty()) {
        return {};
    }
    const auto lookup_id = row_number(text);
    if (!lookup_id) {
        return trf("lookup_id '{}' is not a lookup number", text);
    }
    const auto named = store.named_lookup(*lookup_id, checked.entry_id);
    if (!named) {
        return trf("there is no lookup {}", *lookup_id);
    }
    if (named->subject_id != named->entry_subject_id) {
        return trf("lookup {} was about {}, not about {}, the subject of entry {}", *lookup_id,
                   named->subject_id, named->entry_subject_id, checked.entry_id);
    }
    if (named->department != department) {
        return trf("lookup {} was made for {}, not for {}", *lookup_id,
                   named->department ? *named->department : std::string(tr("no department")),
                   department);
    }
    checked.lookup_id = lookup_id;
    return {};
}

// Why a row can't be recorded, or "" when it can.
std::string check_row(const std::vector<std::string>& fields, const Columns& columns,
                      store::FeedbackStore& store, CheckedRow& checked) {
    const std::size_t needed = std::max({columns.entry_id, columns.department,
                                         columns.measure_id, columns.applied_on}) + 1;
    if (fields.size() < needed) {
        return trf("{} fields, the header has at least {}", fields.size(), needed);
    }
    const std::string_view id_text = util::trim(fields[columns.entry_id]);
    const auto entry_number = row_number(id_text);
    if (!entry_number) {
        return trf("entry_id '{}' is not an entry number", id_text);
    }
    const std::int64_t entry_id = *entry_number;
    checked.entry_id = entry_id;
    std::string decided_on;
    std::string terms_json;
    if (!store.entry_terms(entry_id, decided_on, terms_json)) {
        return trf("there is no entry {}", entry_id);
    }
    const std::string_view department = util::trim(fields[columns.department]);
    const std::string_view measure_id = util::trim(fields[columns.measure_id]);
    const model::EntryTerms terms = model::EntryTerms::parse(terms_json, entry_id);
    const model::EntryMeasure* measure = terms.measure(measure_id);
    if (measure == nullptr) {
        return trf("entry {} has no measure '{}'", entry_id, measure_id);
    }
    if (!measure->applies_to(department)) {
        return trf("measure '{}' of entry {} is not one for {} (it is for: {})", measure_id,
                   entry_id, department, nlohmann::json(measure->departments).dump());
    }
    const auto date = util::parse_date(fields[columns.applied_on]);
    if (!date) {
        return trf("applied_on: {}", date.error());
    }
    checked.applied_on = date->iso();
    if (checked.applied_on < decided_on) {
        return trf("applied_on {} precedes entry {}'s decision on {}", checked.applied_on, entry_id,
                   decided_on);
    }
    if (*date > util::today()) {
        return trf("applied_on {} lies after today", checked.applied_on);
    }
    return check_lookup(fields, columns, department, store, checked);
}

}  // namespace

FeedbackSummary import_feedback(store::Database& db, audit::AuditLog& audit,
                                const std::filesystem::path& file, bool strict, bool dry_run,
                                Reporter& reporter, const std::string& operator_name) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        throw UsageError(trf("{}: no such file", file.string()));
    }
    const std::string file_sha256 = util::sha256_file_hex(file);
    auto input = util::open_text_input(file, util::Encoding::utf8);
    util::CsvReader reader(*input);
    util::CsvRow row;
    if (!reader.next(row) || !row.error.empty()) {
        throw UsageError(trf("{}: the file is empty or its header is malformed", file.string()));
    }
    const Columns columns = read_header(row, file);

    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    store::RecordStore records(db);
    store::FeedbackStore store(db);
    FeedbackSummary summary;
    const std::string started_at = util::utc_now_iso();
    const std::int64_t batch_id = records.begin_batch({"feedback", file.filename().string(),
                                                       file_sha256, "feedback", "utf-8",
                                                       std::nullopt, operator_name, started_at});
    CheckedRow checked;
    while (reader.next(row)) {
        ++summary.rows;
        std::string reason =
            row.error.empty() ? check_row(row.fields, columns, store, checked) : row.error;
        if (!reason.empty()) {
            ++summary.rejected;
            summary.rejections.push_back(trf("line {}: {}", row.line, reason));
            // untranslated: FILE:LINE: only; the reason is translated
            reporter.warning(fmt::format("{}:{}: {}", file.string(), row.line, reason));
            continue;
        }
        const std::string_view note =
            columns.note && *columns.note < row.fields.size()
                ? util::trim(row.fields[*columns.note]) : std::string_view();
        if (store.add_feedback(checked.entry_id, util::trim(row.fields[columns.department]),
                               util::trim(row.fields[columns.measure_id]), checked.applied_on,
                               note, batch_id, checked.lookup_id)) {
            ++summary.inserted;
        } else {
            ++summary.unchanged;
        }
    }
    records.finish_batch(batch_id, {summary.rows, summary.inserted, 0, summary.unchanged,
                                    summary.rejected},
                         util::utc_now_iso());
    audit.append("import.feedback", fmt::format("batch:{}", batch_id),
                 nlohmann::json{{"file", file.filename().string()},
                                {"sha256", file_sha256},
                                {"rows", summary.rows},
                                {"inserted", summary.inserted},
                                {"unchanged", summary.unchanged},
                                {"rejected", summary.rejected}}
                     .dump());
    if (dry_run || (strict && summary.rejected > 0)) {
        return summary;  // the transaction rolls back
    }
    transaction.commit();
    summary.batch_id = batch_id;
    summary.committed = true;
    return summary;
}

nlohmann::json to_json(const FeedbackSummary& summary) {
    const auto stored = [&](std::int64_t count) { return summary.committed ? count : 0; };
    return {{"rows", summary.rows},
            {"inserted", stored(summary.inserted)},
            {"updated", 0},
            {"unchanged", stored(summary.unchanged)},
            {"validated",
             {{"inserted", summary.inserted}, {"updated", 0}, {"unchanged", summary.unchanged}}},
            {"committed", summary.committed},
            {"rejected", summary.rejected},
            {"rejections", summary.rejections},
            {"batch_id", summary.batch_id ? nlohmann::json(*summary.batch_id)
                                          : nlohmann::json(nullptr)}};
}

}  // namespace rbl::ingest
