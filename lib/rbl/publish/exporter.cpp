#include "rbl/publish/exporter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "rbl/ids/ids.hpp"
#include "rbl/model/entry.hpp"
#include "rbl/model/entry_terms.hpp"
#include "rbl/store/entry_store.hpp"
#include "rbl/store/feedback_store.hpp"
#include "rbl/store/publication_store.hpp"
#include "rbl/util/csv.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/json_text.hpp"
#include "rbl/util/sha256.hpp"

namespace rbl::publish {

namespace {

constexpr std::array<std::string_view, 19> k_columns_en = {
    "entry_id",   "list_id",        "list_title", "kind",     "domain",   "subject_id",
    "subject_name", "subject_type", "status",     "decided_on", "effective_from", "expires_on",
    "ended_on",   "end_reason",     "authority",  "basis",    "reason",   "evidence",
    "disputed"};
constexpr std::array<std::string_view, 19> k_columns_zh = {
    "条目编号", "名单编号", "名单名称", "名单类别", "领域",     "主体标识", "主体名称",
    "主体类型", "状态",     "认定日期", "生效日期", "到期日期", "终止日期", "终止原因",
    "认定部门", "认定依据", "认定理由", "证据记录", "异议中"};

constexpr std::size_t k_flush_bytes = 1 << 20;
constexpr std::uint64_t k_progress_every = 16384;

// ---- output -------------------------------------------------------------------------------

// An export file: written to a temporary file beside it (created with the export's mode, never
// following a link) and renamed over the path only when complete, so that a failed export leaves
// nothing half-written; or standard output. Hashes what it writes.
class ExportFile {
public:
    ExportFile(std::string path, unsigned mode) : m_path(std::move(path)) {
        if (m_path == "-") {
            return;
        }
        struct stat existing {};
        if (::lstat(m_path.c_str(), &existing) == 0) {
            if (S_ISDIR(existing.st_mode)) {
                throw UsageError(fmt::format("--out {} is a folder", m_path));
            }
            if (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode) ||
                S_ISSOCK(existing.st_mode)) {
                // A device or a pipe (/dev/null, a named pipe to another program) is written in
                // place: renaming a file over it would replace it.
                m_fd = ::open(m_path.c_str(), O_WRONLY | O_CLOEXEC);
                if (m_fd < 0) {
                    fail("cannot open");
                }
                return;
            }
        }
        m_temp = fmt::format("{}.tmp-{}", m_path, ::getpid());
        m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (m_fd < 0) {
            throw FailedError(fmt::format("cannot create {}: {}", m_temp, std::strerror(errno)));
        }
        ::fchmod(m_fd, mode);  // whatever the umask
    }
    ~ExportFile() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        if (!m_temp.empty() && !m_committed) {
            ::unlink(m_temp.c_str());
        }
    }
    ExportFile(const ExportFile&) = delete;
    ExportFile& operator=(const ExportFile&) = delete;

    void write(std::string_view bytes) {
        m_buffer += bytes;
        if (m_buffer.size() >= k_flush_bytes) {
            flush();
        }
    }
    // Writes what is buffered and makes the file complete (not yet in place).
    std::string finish() {
        flush();
        if (!m_temp.empty() && ::fsync(m_fd) != 0) {  // a regular file, not a pipe
            fail("cannot write");
        }
        if (m_fd < 0) {
            std::fflush(stdout);
        }
        return m_hash.hex();
    }
    // Puts the complete file in place.
    void commit() {
        if (m_temp.empty()) {
            return;
        }
        if (::close(m_fd) != 0) {
            m_fd = -1;
            fail("cannot write");
        }
        m_fd = -1;
        if (::rename(m_temp.c_str(), m_path.c_str()) != 0) {
            fail("cannot put in place");
        }
        m_committed = true;
    }

private:
    void flush() {
        m_hash.update(m_buffer);
        std::string_view rest = m_buffer;
        while (!rest.empty()) {
            const ssize_t written = m_fd >= 0 ? ::write(m_fd, rest.data(), rest.size())
                                              : static_cast<ssize_t>(std::fwrite(
                                                    rest.data(), 1, rest.size(), stdout));
            if (written <= 0) {
                if (m_fd >= 0 && errno == EINTR) {
                    continue;
                }
                fail("cannot write");
            }
            rest.remove_prefix(static_cast<std::size_t>(written));
        }
        m_buffer.clear();
    }
    [[noreturn]] void fail(std::string_view what) const {
        const int error = errno;
        throw FailedError(fmt::format("{} {}: {}", what, m_path == "-" ? "stdout" : m_path,
                                      error == ENOSPC ? "the disk is full"
                                                      : std::strerror(error)));
    }

    std::string m_path;
    std::string m_temp;
    int m_fd = -1;
    bool m_committed = false;
    std::string m_buffer;
    util::Sha256 m_hash;
};

// ---- rows ---------------------------------------------------------------------------------

// The measures of a department in an entry's kept terms.
struct Measure {
    std::string id;
    std::string text_zh;
};

// Measures per department, read once per distinct terms text.
class MeasureIndex {
public:
    const std::map<std::string, std::vector<Measure>>& of(const std::string& terms_json,
                                                         std::int64_t entry_id) {
        auto found = m_cache.find(terms_json);
        if (found != m_cache.end()) {
            return found->second;
        }
        std::map<std::string, std::vector<Measure>> by_department;
        for (const model::EntryMeasure& measure :
             model::EntryTerms::parse(terms_json, entry_id).measures) {
            for (const std::string& department : measure.departments) {
                by_department[department].push_back({measure.id, measure.text_zh});
            }
        }
        return m_cache.emplace(terms_json, std::move(by_department)).first->second;
    }

private:
    std::map<std::string, std::map<std::string, std::vector<Measure>>> m_cache;
};

// An entry as published on the as-of day.
struct PublishedRow {
    std::string status;
    std::string ended_on;
    std::string end_reason;
};

std::optional<util::Date> date_or_none(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    auto parsed = util::parse_iso_date(text);
    return parsed ? std::optional(*parsed) : std::nullopt;
}

// Where the entry stood on `as_of`: its stored state when that is the state of the day (an end
// on or before it, or the last run's state for a day not before the last run), else by its dates.
PublishedRow state_on(const store::EntryRow& row, util::Date as_of, util::Date last_run) {
    if (!row.ended_on.empty() && row.ended_on <= as_of.iso()) {
        return {row.status, row.ended_on, row.end_reason};
    }
    const auto stored = model::parse_entry_status(row.status);
    if (stored && model::is_open(*stored) && as_of >= last_run) {
        return {row.status, "", ""};
    }
    model::Entry entry;
    entry.notice_until = date_or_none(row.notice_until);
    entry.publicity_until = date_or_none(row.publicity_until);
    entry.effective_from = date_or_none(row.effective_from).value_or(util::Date());
    entry.expires_on = date_or_none(row.expires_on).value_or(util::Date());
    const model::EntryStatus status = model::scheduled_status(entry, as_of);
    if (status == model::EntryStatus::expired) {
        return {"expired", row.expires_on, "validity ran out"};
    }
    return {std::string(model::to_string(status)), "", ""};
}

std::string_view trim_newlines(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// Formats rows as CSV or JSON Lines.
class RowWriter {
public:
    RowWriter(const ExportOptions& options, bool with_change, bool with_measures)
        : m_options(options), m_with_change(with_change), m_with_measures(with_measures) {}

    std::string header() const {
        if (m_options.format == Format::jsonl) {
            return {};
        }
        std::string line = m_options.bom ? "\xEF\xBB\xBF" : "";
        const bool zh = m_options.lang == Language::zh;
        std::vector<std::string_view> names;
        if (m_with_change) {
            names.push_back(zh ? "变更" : "change");
        }
        const auto& columns = zh ? k_columns_zh : k_columns_en;
        names.insert(names.end(), columns.begin(), columns.end());
        if (m_with_measures) {
            names.push_back(zh ? "联合奖惩措施" : "measures");
            names.push_back(zh ? "已反馈措施" : "measures_reported");
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0) {
                line += ',';
            }
            util::append_csv_field(line, names[i]);
        }
        line += "\r\n";
        return line;
    }

    // The row's line; `change` empty unless a delta; `measures` those of the department.
    const std::string& line(const store::EntryRow& row, const PublishedRow& state,
                            std::string_view change, const std::vector<Measure>* measures,
                            std::string_view reported = {}) {
        m_subject_id = row.subject_id;
        if (!m_options.unmask && row.subject_type == "natural_person") {
            m_subject_id = ids::mask(row.subject_id, ids::IdKind::resident);
        }
        const std::string& title =
            m_options.lang == Language::zh ? row.list_title_zh : row.list_title;
        m_line.clear();
        if (m_options.format == Format::csv) {
            csv_line(row, state, change, measures, title, reported);
        } else {
            json_line(row, state, change, measures, title, reported);
        }
        return m_line;
    }

private:
    void cell(std::string_view text) {
        if (!m_first) {
            m_line += ',';
        }
        m_first = false;
        if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) !=
                                 std::string_view::npos) {
            util::append_csv_field(m_line, guard_formula(text));
        } else {
            util::append_csv_field(m_line, text);
        }
    }

    void csv_line(const store::EntryRow& row, const PublishedRow& state, std::string_view change,
                  const std::vector<Measure>* measures, const std::string& title,
                  std::string_view reported) {
        m_first = true;
        if (m_with_change) {
            cell(change);
        }
        cell(fmt::format_int(row.entry_id).str());
        cell(row.list_id);
        cell(title);
        cell(row.kind);
        cell(row.domain);
        cell(m_subject_id);
        cell(row.subject_name);
        cell(row.subject_type);
        cell(state.status);
        cell(row.decided_on);
        cell(row.effective_from);
        cell(row.expires_on);
        cell(state.ended_on);
        cell(state.end_reason);
        cell(row.authority);
        cell(row.basis);
        cell(trim_newlines(row.explanation));
        cell(row.evidence);
        cell(row.disputed ? "true" : "false");
        if (m_with_measures) {
            std::string texts;
            for (const Measure& measure : *measures) {
                if (!texts.empty()) {
                    texts += "; ";
                }
                texts += measure.text_zh;
            }
            cell(texts);
            cell(reported);
        }
        m_line += "\r\n";
    }

    void key(std::string_view name) {
        m_line += m_first ? "{" : ",";
        m_first = false;
        util::append_json_string(m_line, name);
        m_line += ':';
    }
    void text(std::string_view name, std::string_view value) {
        key(name);
        util::append_json_string(m_line, value);
    }
    void text_or_null(std::string_view name, std::string_view value) {
        key(name);
        if (value.empty()) {
            m_line += "null";
        } else {
            util::append_json_string(m_line, value);
        }
    }

    // A ';'-joined list as a JSON array of strings.
    void append_list(std::string_view joined) {
        m_line += '[';
        bool first = true;
        while (!joined.empty()) {
            const auto end = joined.find(';');
            if (!first) {
                m_line += ',';
            }
            first = false;
            util::append_json_string(m_line, joined.substr(0, end));
            joined = end == std::string_view::npos ? std::string_view() : joined.substr(end + 1);
        }
        m_line += ']';
    }

    void json_line(const store::EntryRow& row, const PublishedRow& state, std::string_view change,
                   const std::vector<Measure>* measures, const std::string& title,
                  std::string_view reported) {
        m_first = true;
        if (m_with_change) {
            text("change", change);
        }
        key("entry_id");
        m_line += fmt::format_int(row.entry_id).str();
        text("list_id", row.list_id);
        text("list_title", title);
        text("kind", row.kind);
        text("domain", row.domain);
        text("subject_id", m_subject_id);
        text("subject_name", row.subject_name);
        text("subject_type", row.subject_type);
        text("status", state.status);
        text("decided_on", row.decided_on);
        text("effective_from", row.effective_from);
        text("expires_on", row.expires_on);
        text_or_null("ended_on", state.ended_on);
        text_or_null("end_reason", state.end_reason);
        text("authority", row.authority);
        text("basis", row.basis);
        text("reason", trim_newlines(row.explanation));
        key("evidence");
        append_list(row.evidence);
        key("disputed");
        m_line += row.disputed ? "true" : "false";
        if (m_with_measures) {
            key("measures");
            m_line += '[';
            for (std::size_t i = 0; i < measures->size(); ++i) {
                m_line += i > 0 ? ",{" : "{";
                m_line += "\"id\":";
                util::append_json_string(m_line, (*measures)[i].id);
                m_line += ",\"text_zh\":";
                util::append_json_string(m_line, (*measures)[i].text_zh);
                m_line += '}';
            }
            m_line += ']';
            key("measures_reported");
            append_list(reported);
        }
        m_line += "}\n";
    }

    const ExportOptions& m_options;
    bool m_with_change;
    bool m_with_measures;
    bool m_first = true;
    std::string m_subject_id;
    std::string m_line;
};

// ---- checks -------------------------------------------------------------------------------

bool is_known_status(std::string_view status) {
    return status == "all" || model::parse_entry_status(status).has_value();
}

void check_folder(const std::filesystem::path& path, std::string_view what) {
    std::error_code ec;
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(folder, ec)) {
        throw UsageError(fmt::format("{}: folder {} does not exist", what, folder.string()));
    }
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

// A channel name: 1 to 64 letters, digits, '.', '_' or '-', beginning with a letter or digit.
bool is_plain_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

void check_options(store::Database& db, const ExportOptions& options) {
    if (!is_known_status(options.status)) {
        throw UsageError(fmt::format("unknown status '{}' (one of: notice, publicity, effective, "
                                     "expired, lifted, repaired, revoked, withdrawn, all)",
                                     options.status));
    }
    if (options.kind && *options.kind != "black" && *options.kind != "red") {
        throw UsageError(fmt::format("unknown kind '{}' (black or red)", *options.kind));
    }
    if (!options.domains.empty()) {
        const auto domains = known_domains(db, options.rules_dir);
        for (const std::string& domain : options.domains) {
            if (!domains.contains(domain)) {
                throw UsageError(fmt::format("unknown domain '{}'", domain));
            }
        }
    }
    if (options.delta && !options.channel) {
        throw UsageError("--delta needs --channel NAME: a delta is against that channel's last "
                         "publication");
    }
    if (options.channel && !is_plain_name(*options.channel)) {
        throw UsageError(fmt::format("channel name '{}': use letters, digits, '.', '_' and '-' "
                                     "only (no path separators), at most 64",
                                     *options.channel));
    }
    if (options.manifest && options.out == "-" && !options.by_department_dir) {
        throw UsageError("--manifest needs --out FILE (a manifest names a file)");
    }
    if (options.by_department_dir) {
        std::error_code ec;
        if (!std::filesystem::is_directory(*options.by_department_dir, ec)) {
            throw UsageError(
                fmt::format("--by-department: folder {} does not exist", *options.by_department_dir));
        }
        if (options.channel || options.department) {
            throw UsageError("--by-department goes without --channel and --department");
        }
    } else if (options.out != "-") {
        check_folder(options.out, "--out");
    }
}

std::string filter_json(const ExportOptions& options) {
    std::vector<std::string> domains = options.domains;
    std::sort(domains.begin(), domains.end());
    return nlohmann::json{{"format", options.format == Format::csv ? "csv" : "jsonl"},
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

}  // namespace

void write_private_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode);

namespace {

std::string manifest_line(const std::string& sha256, const std::filesystem::path& file) {
    return fmt::format("{}  {}\n", sha256, file.filename().string());
}

// The manifest: the file's checksum line, then the audit log's head as it stood after the
// publication's own rows (SPEC.md §7), as a '#' comment line, which `sha256sum -c` skips (also
// with --strict): `rbl-audit verify --head SEQ:HASH` proves later that no row up to it went.
void write_manifest(const std::filesystem::path& file, const std::string& sha256,
                    const std::optional<std::string>& audit_head, unsigned mode) {
    std::string text = manifest_line(sha256, file);
    if (audit_head) {
        text += fmt::format("# rbl-audit head {}\n", *audit_head);
    }
    write_private_file(file.string() + ".sha256", text, mode);
}

// A department's name as a file name: path separators and control characters replaced.
std::string file_name_of(std::string_view department) {
    std::string name;
    for (const char c : department) {
        name += (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    }
    if (name.empty() || name == "." || name == "..") {
        name = "_";
    }
    return name;
}

// ---- the export ---------------------------------------------------------------------------

struct ExportRun {
    store::Database& db;
    store::Transaction& transaction;
    audit::AuditLog& audit;
    Reporter& reporter;
    const ExportOptions& options;
    store::PublicationStore store;
    util::Date as_of;
    util::Date last_run;
    MeasureIndex measures;
    std::map<std::pair<std::int64_t, std::string>, std::string> reported;

    std::string_view reported_by(std::int64_t entry_id, const std::string& department) const {
        const auto found = reported.find({entry_id, department});
        return found != reported.end() ? std::string_view(found->second) : std::string_view();
    }

    bool passes_status(const PublishedRow& state) const {
        return options.status == "all" || state.status == options.status;
    }

    store::EntryFilter filter() const {
        store::EntryFilter filter;
        filter.kind = options.kind;
        if (!options.domains.empty()) {
            filter.domains_json = nlohmann::json(options.domains).dump();
        }
        filter.subject_id = options.subject_id;
        filter.as_of = as_of;
        return filter;
    }

    // The log's head inside this transaction: after the publication's own rows, and for a
    // plain export the head of the very snapshot that was exported.
    std::optional<std::string> audit_head() {
        const auto head = audit.head();
        return head ? std::optional(head->text()) : std::nullopt;
    }

    void audit_unmask(const ExportSummary& summary) {
        if (options.unmask) {
            audit.append("publish.unmasked", fmt::format("export:{}", summary.out),
                         nlohmann::json{{"rows", summary.rows},
                                        {"as_of", summary.as_of},
                                        {"sha256", summary.sha256},
                                        {"filter", nlohmann::json::parse(filter_json(options))}}
                             .dump());
        }
    }

    ExportSummary single_file() {
        const bool with_measures = options.department.has_value();
        RowWriter writer(options, options.delta, with_measures);
        ExportFile file(options.out, options.mode);
        file.write(writer.header());
        ExportSummary summary;
        summary.out = options.out;
        summary.as_of = as_of.iso();
        std::optional<store::LastPublication> previous;
        if (options.channel) {
            previous = store.last_publication(*options.channel);
            if (previous && previous->filter_json != filter_json(options)) {
                throw UsageError(fmt::format(
                    "channel '{}' publishes with the filter {}; this publication's is {} (use "
                    "another channel for another filter)",
                    *options.channel, previous->filter_json, filter_json(options)));
            }
            store.start_rows();
        }
        const std::vector<Measure> no_measures;
        std::uint64_t read = 0;
        store.for_each_entry(filter(), [&](const store::EntryRow& row) {
            if (++read % k_progress_every == 0) {
                reporter.progress("entries read", read, 0);
            }
            const PublishedRow state = state_on(row, as_of, last_run);
            if (!passes_status(state)) {
                return;
            }
            const std::vector<Measure>* mine = &no_measures;
            if (with_measures) {
                const auto& by_department = measures.of(row.terms_json, row.entry_id);
                const auto found = by_department.find(*options.department);
                if (found == by_department.end()) {
                    return;
                }
                mine = &found->second;
            }
            if (options.channel) {
                const std::string& json = json_writer(with_measures).line(row, state, "", mine);
                store.add_row(row.entry_id, util::sha256_hex(json));
            }
            if (!options.delta) {
                file.write(writer.line(row, state, "", mine,
                                       with_measures ? reported_by(row.entry_id, *options.department)
                                                     : std::string_view()));
                ++summary.rows;
            }
        });
        if (options.delta) {
            store::EntryRow row;
            store.for_each_change(previous ? previous->publication_id : 0,
                                  [&](std::int64_t entry_id, std::string_view change) {
                                      if (!store.entry(entry_id, as_of, row)) {
                                          return;
                                      }
                                      const PublishedRow state = state_on(row, as_of, last_run);
                                      const std::vector<Measure>* mine = &no_measures;
                                      if (with_measures) {
                                          const auto& by_department = measures.of(row.terms_json, row.entry_id);
                                          const auto found = by_department.find(*options.department);
                                          if (found != by_department.end()) {
                                              mine = &found->second;
                                          }
                                      }
                                      file.write(writer.line(
                                          row, state, change, mine,
                                          with_measures
                                              ? reported_by(row.entry_id, *options.department)
                                              : std::string_view()));
                                      ++summary.rows;
                                  });
        }
        reporter.progress_done();
        summary.sha256 = file.finish();
        if (options.channel) {
            summary.publication_id = store.record(store::PublicationRecord{
                *options.channel, util::utc_now_iso(), summary.as_of, filter_json(options),
                options.format == Format::csv ? "csv" : "jsonl", options.delta, summary.rows,
                summary.sha256, options.out, options.operator_name});
            audit.append("publish.channel", fmt::format("publication:{}", *summary.publication_id),
                         nlohmann::json{{"channel", *options.channel},
                                        {"as_of", summary.as_of},
                                        {"delta", options.delta},
                                        {"rows", summary.rows},
                                        {"sha256", summary.sha256},
                                        {"out", options.out}}
                             .dump());
        }
        audit_unmask(summary);
        summary.audit_head = audit_head();
        // Recorded and audited first, then put in place: an unmasked file never exists unaudited.
        transaction.commit();
        file.commit();
        if (options.manifest) {
            write_manifest(options.out, summary.sha256, summary.audit_head, options.mode);
        }
        return summary;
    }

    ExportSummary by_department() {
        const std::filesystem::path dir(*options.by_department_dir);
        const std::string extension = options.format == Format::csv ? ".csv" : ".jsonl";
        struct DepartmentFile {
            std::unique_ptr<ExportFile> file;
            std::int64_t rows = 0;
        };
        std::map<std::string, DepartmentFile> files;
        RowWriter writer(options, false, true);
        ExportSummary summary;
        summary.out = dir.string();
        summary.as_of = as_of.iso();
        store.for_each_entry(filter(), [&](const store::EntryRow& row) {
            const PublishedRow state = state_on(row, as_of, last_run);
            if (!passes_status(state)) {
                return;
            }
            for (const auto& [department, mine] : measures.of(row.terms_json, row.entry_id)) {
                DepartmentFile& out = files[department];
                if (!out.file) {
                    out.file = std::make_unique<ExportFile>(
                        (dir / (file_name_of(department) + extension)).string(), options.mode);
                    out.file->write(writer.header());
                }
                out.file->write(
                    writer.line(row, state, "", &mine, reported_by(row.entry_id, department)));
                ++out.rows;
                ++summary.rows;
            }
        });
        std::vector<std::pair<std::filesystem::path, std::string>> written;
        for (auto& [department, out] : files) {
            const auto path = dir / (file_name_of(department) + extension);
            written.emplace_back(path, out.file->finish());
        }
        audit_unmask(summary);
        summary.audit_head = audit_head();
        transaction.commit();
        for (auto& [department, out] : files) {
            out.file->commit();
        }
        for (const auto& [path, sha256] : written) {
            summary.files.push_back(path.string());
            if (options.manifest) {
                write_manifest(path, sha256, summary.audit_head, options.mode);
            }
        }
        return summary;
    }

    RowWriter& json_writer(bool with_measures) {
        if (!m_json_writer) {
            m_json_options = options;
            m_json_options.format = Format::jsonl;
            m_json_writer = std::make_unique<RowWriter>(m_json_options, false, with_measures);
        }
        return *m_json_writer;
    }

    ExportOptions m_json_options;
    std::unique_ptr<RowWriter> m_json_writer;
};

}  // namespace

util::Date publication_as_of(store::PublicationStore& store,
                             const std::optional<std::string>& as_of, util::Date& last_run) {
    const auto last = store.last_run_as_of();
    if (!last) {
        throw UsageError("no adjudication has run yet: there is nothing to publish");
    }
    last_run = util::parse_iso_date(*last).value_or(util::Date());
    if (!as_of) {
        return last_run;
    }
    auto parsed = util::parse_iso_date(*as_of);
    if (!parsed) {
        throw UsageError(fmt::format("--as-of: {}", parsed.error()));
    }
    if (*parsed > last_run) {
        throw UsageError(fmt::format("--as-of {} lies after the last run's as-of {}: entries are "
                                     "not known beyond it",
                                     *as_of, *last));
    }
    return *parsed;
}

void write_private_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode) {
    ExportFile file(path.string(), mode);
    file.write(bytes);
    file.finish();
    file.commit();
}

std::string guard_formula(std::string_view cell) {
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
        return "'" + std::string(cell);
    }
    return std::string(cell);
}

ExportSummary export_entries(store::Database& db, audit::AuditLog& audit,
                             const ExportOptions& options, Reporter& reporter) {
    check_options(db, options);
    // A channel publication records what it published: it reads and records under the write
    // lock, so that the rows recorded are the rows written; so does an --unmask export, which is
    // audited. Other exports read one snapshot and never wait for a writer.
    const bool writes = options.channel.has_value() || options.unmask;
    store::Transaction transaction(
        db, writes ? store::Transaction::Mode::immediate : store::Transaction::Mode::deferred);
    ExportRun run{db, transaction, audit, reporter, options, store::PublicationStore(db),
                  {}, {},          {},    {},       {},      {}};
    run.as_of = publication_as_of(run.store, options.as_of, run.last_run);
    if (options.department || options.by_department_dir) {
        run.reported = store::FeedbackStore(db).reported_measures();
    }
    ExportSummary summary;
    if (options.by_department_dir) {
        summary = run.by_department();
    } else {
        summary = run.single_file();
    }
    return summary;  // both committed the transaction before putting their files in place
}

}  // namespace rbl::publish
