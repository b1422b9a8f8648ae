#include "rbl/publish/export_options.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <set>

#include "rbl/model/entry.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::publish {

namespace {

bool is_known_status(std::string_view status) {
    return status == "all" || model::parse_entry_status(status).has_value();
}

}  // namespace

std::string_view to_string(Format format) {
    switch (format) {
        case Format::csv: return "csv";
        case Format::jsonl: return "jsonl";
        case Format::xlsx: return "xlsx";
    }
    return "csv";
}

std::string_view extension_of(Format format) {
    switch (format) {
        case Format::csv: return ".csv";
        case Format::jsonl: return ".jsonl";
        case Format::xlsx: return ".xlsx";
    }
    return ".csv";
}

std::set<std::string> known_domains(store::Database& db, const std::filesystem::path& rules) {
    std::set<std::string> domains;
    std::error_code ec;
    for (const auto& file : std::filesystem::directory_iterator(rules, ec)) {
        if (file.path().extension() == ".yaml" && file.path().stem() != "calendar") {
            domains.insert(file.path().stem().string());
        }
    }
    for (std::string& domain : store::EntryStore(db).domains()) {
        domains.insert(std::move(domain));
    }
    return domains;
}

namespace {

// A channel name: 1 to 64 letters, digits, '.', '_' or '-', beginning with a letter or digit.
bool is_plain_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace

void check_output_folder(const std::filesystem::path& path, std::string_view option) {
    std::error_code ec;
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(folder, ec)) {
        throw UsageError(trf("{}: folder {} does not exist", option, folder.string()));
    }
}

unsigned parse_mode(const std::string& text) {
    std::size_t used = 0;
    unsigned long mode = 0;
    try {
        mode = std::stoul(text, &used, 8);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || mode > 0777) {
        throw UsageError(
            trf("--mode '{}': expected octal permission bits such as 0600 or 0640", text));
    }
    return static_cast<unsigned>(mode);
}

void check_options(store::Database& db, const ExportOptions& options) {
    if (!is_known_status(options.status)) {
        throw UsageError(trf("unknown status '{}' (one of: notice, publicity, effective, "
                             "expired, lifted, repaired, revoked, withdrawn, all)",
                             options.status));
    }
    if (options.kind && !model::parse_list_kind(*options.kind)) {
        throw UsageError(trf("unknown kind '{}' (black or red)", *options.kind));
    }
    if (!options.domains.empty()) {
        const auto domains = known_domains(db, options.rules_dir);
        for (const std::string& domain : options.domains) {
            if (!domains.contains(domain)) {
                throw UsageError(trf("unknown domain '{}'", domain));
            }
        }
    }
    if (options.delta && !options.channel) {
        throw UsageError(tr("--delta needs --channel NAME: a delta is against that channel's last "
                            "publication"));
    }
    if (options.channel && !is_plain_name(*options.channel)) {
        throw UsageError(trf("channel name '{}': use letters, digits, '.', '_' and '-' "
                             "only (no path separators), at most 64",
                             *options.channel));
    }
    if (options.manifest && options.out == "-" && !options.by_department_dir) {
        throw UsageError(tr("--manifest needs --out FILE (a manifest names a file)"));
    }
    if (options.by_department_dir) {
        std::error_code ec;
        if (!std::filesystem::is_directory(*options.by_department_dir, ec)) {
            throw UsageError(
                trf("--by-department: folder {} does not exist", *options.by_department_dir));
        }
        if (options.channel || options.department) {
            throw UsageError(tr("--by-department goes without --channel and --department"));
        }
    } else if (options.out != "-") {
        check_output_folder(options.out, "--out");
    }
}

bool skips_empty_delta(const ExportOptions& options, std::int64_t rows) {
    return options.delta && rows == 0 && !options.write_empty && options.out != "-";
}

std::string filter_json(const ExportOptions& options) {
    std::vector<std::string> domains = options.domains;
    std::sort(domains.begin(), domains.end());
    return nlohmann::json{{"format", to_string(options.format)},
                          {"kind", options.kind ? nlohmann::json(*options.kind) : nullptr},
                          {"domains", domains},
                          {"status", options.status},
                          {"subject", options.subject_id ? nlohmann::json(*options.subject_id)
                                                         : nullptr},
                          {"department", options.department
                                             ? nlohmann::json(*options.department)
                                             : nullptr},
                          {"lang", options.lang == Language::zh ? "zh" : "en"},
                          {"unmask", options.unmask}}
        .dump();
}

}  // namespace rbl::publish
