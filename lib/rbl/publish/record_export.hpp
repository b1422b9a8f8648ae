#pragma once
// rbl-publish records (SPEC.md §11): the credit records public on a day — administrative
// penalties and licences (双公示) — in the 双公示 layout, each for the period its class allows
// (model/record_publicity.hpp); masked personal data, the formula guard, manifests, channel
// publications with deltas, as for lists (§6).
//
// What is public: one fact per decision (store/subject_reader.hpp: a record withdrawn at source,
// by the office or by reverting its import never appears; of the copies of one decision from
// several sources the one imported last counts), of a kind its domain's `publicity:` publishes,
// whose class is published, on a day from its decision date to its 公示截止期. A record whose
// publication a granted credit repair ended (rbl-appeal repair --record) is left out from the
// decision day on (model::RecordPublicity::ended_on), and the next delta lists it as `removed`.
//
// A channel of records keeps, per publication, each record's row id with a hash of its row
// (publication_rows, whose entry_id column then holds records' ids): the next delta lists the
// records that became public as `added`, those that stopped being public — their maximum passed,
// or withdrawn — as `removed`, and changed rows as `updated`. Its filter says "records", so one
// channel never mixes records and list entries.

#include <map>
#include <string>
#include <vector>

#include "rbl/audit/audit_log.hpp"
#include "rbl/model/record_publicity.hpp"
#include "rbl/publish/export_options.hpp"
#include "rbl/publish/exporter.hpp"
#include "rbl/store/database.hpp"
#include "rbl/util/date.hpp"
#include "rbl/util/report.hpp"

namespace rbl::publish {

/// What to publish of the records, and where.
struct RecordExportOptions {
    /// format, domains, out, lang, bom, unmask, channel, delta, manifest, mode, operator_name
    /// (kind, status, subject and the department options are those of lists and must be unset)
    ExportOptions output;
    std::vector<std::string> kinds;  ///< only these record kinds (all published kinds when empty)
    util::Date as_of;                ///< the day whose public records are published
    /// The publicity terms of the domains whose rule files declare `publicity:`, by domain.
    std::map<std::string, model::PublicityTerms, std::less<>> publicity;
};

/// The filter of a records publication as canonical JSON: what a channel's publications share.
std::string record_filter_json(const RecordExportOptions& options);

/// Publishes the records public on options.as_of. Throws UsageError (exit 2, nothing written)
/// for a domain whose rule file publishes no records, a kind no selected domain publishes, the
/// checks of list exports (check_options: output folder, channel name, --delta without
/// --channel, --manifest to stdout), a channel whose earlier publications used another filter;
/// BusyError when a channel publication or --unmask cannot take the write lock within --wait.
ExportSummary export_records(store::Database& db, audit::AuditLog& audit,
                             const RecordExportOptions& options, Reporter& reporter);

}  // namespace rbl::publish
