#pragma once
// A database state for tests of entries and appeals: one subject, two records, one run and one
// entry on market.black.serious with the terms it keeps (1y, 5 days' notice, 3 of publicity,
// 5 to decide an appeal, repair after 6m).

#include <string_view>

namespace rbl::test {

// One subject with one entry (its dates as stored, not derived here): decided Mon 2026-03-02,
// notice to Mon 03-09, publicity to Thu 03-12, in force from 03-13. Wed 03-04 is a holiday of the
// test calendar.
inline constexpr std::string_view k_one_entry = R"sql(
INSERT INTO import_batches VALUES (1, 'default', 'f.csv', 'x', 'csv', 'utf-8', NULL, 't',
    '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 2, 2, 0, 0, 0, NULL);
INSERT INTO subjects VALUES ('91320102MA1000001X', '甲公司', 'legal_person', '320102', 1, 1, 1);
INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, content_hash,
                     inserted_batch, updated_batch, seen_batch)
VALUES (1, 'default', 'P1', '91320102MA1000001X', 'market', 'penalty', '2026-02-01', 'active',
        x'00', 1, 1, 1),
       (2, 'default', 'P2', '91320102MA1000001X', 'market', 'penalty', '2026-02-02', 'active',
        x'00', 1, 1, 1);
INSERT INTO runs VALUES (1, '2026-03-02', 't', '0.1', 'x', NULL, 0, '', '', '{}');
INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, notice_until,
    publicity_until, effective_from, expires_on, kind, domain, list_title, list_title_zh, basis,
    authority, terms, rule_version, rule_sha256, explanation, created_run, updated_run)
VALUES (1, 'market.black.serious', '91320102MA1000001X', 'notice', '2026-03-02', '2026-03-09',
    '2026-03-12', '2026-03-13', '2027-03-13', 'black', 'market', 'T', 'T', 'B', 'A',
    '{"validity":"1y","notice_days":5,"publicity_days":3,"appeal_days":5,"repair_allowed":true,"repair_after":"6m","measures":[]}',
    't1', 'x', 'because', 1, 1);
INSERT INTO entry_evidence VALUES (1, 1, 'P1'), (1, 2, 'P2');
)sql";

}  // namespace rbl::test
