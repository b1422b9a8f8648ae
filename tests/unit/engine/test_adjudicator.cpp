#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../market_rules.hpp"
#include "../db_query.hpp"
#include "../temp_dir.hpp"
#include "rbl/engine/adjudicator.hpp"
#include "rbl/util/error.hpp"

using namespace rbl;
using engine::AdjudicateOptions;
using engine::AdjudicationSummary;
using util::Date;

namespace {

// Three subjects in one batch: a company with two penalties (the black list's two within 3y), a
// company with an award (the red list), a person with one penalty (not enough for either).
constexpr std::string_view k_records = R"sql(
INSERT INTO import_batches VALUES (1, 'default', 'f.csv', 'x', 'csv', 'utf-8', NULL, 't',
    '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 4, 4, 0, 0, 0, NULL);
INSERT INTO subjects VALUES
    ('91320106MA109Y0356', '南京华泰建设工程有限公司', 'legal_person', '320106', 1, 1, 1),
    ('91321002MAP0LUM417', '扬州味香园餐饮管理有限公司', 'legal_person', '321002', 1, 1, 1),
    ('320102196804120359', '王建国', 'natural_person', '320102', 1, 1, 1);
INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, content_hash,
                     inserted_batch, updated_batch, seen_batch)
VALUES (1, 'default', 'P1', '91320106MA109Y0356', 'market', 'penalty', '2026-01-05', 'active',
        x'01', 1, 1, 1),
       (2, 'default', 'P2', '91320106MA109Y0356', 'market', 'penalty', '2026-02-10', 'active',
        x'02', 1, 1, 1),
       (3, 'default', 'A1', '91321002MAP0LUM417', 'market', 'award', '2026-02-01', 'active',
        x'03', 1, 1, 1),
       (4, 'default', 'P9', '320102196804120359', 'market', 'penalty', '2026-02-03', 'active',
        x'04', 1, 1, 1);
)sql";

constexpr std::string_view k_company = "91320106MA109Y0356";

struct Fixture {
    test::TempDir dir;
    rules::RuleSet rules = test::market_rules(dir);
    rules::Calendar calendar = test::weekends_only();
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    audit::AuditLog audit{db, {"tester", "login", "rbl-adjudicate"}};
    SilentReporter reporter;

    Fixture() { db.exec(k_records); }

    AdjudicationSummary run(const Date& as_of, bool dry_run = false,
                            const engine::ChangeSink& on_change = {}) {
        AdjudicateOptions options;
        options.as_of = as_of;
        options.dry_run = dry_run;
        return run_with(options, on_change);
    }

    AdjudicationSummary run_with(AdjudicateOptions options,
                                 const engine::ChangeSink& on_change = {}) {
        options.operator_name = "tester";
        return engine::adjudicate(db, audit, rules, calendar, options, reporter, on_change);
    }

    // Every entry with its dates, end and evidence, one line each.
    std::string all_entries() {
        return text("SELECT group_concat(line, char(10)) FROM (SELECT e.entry_id || ' ' || "
                    "e.list_id || ' ' || e.subject_id || ' ' || e.status || ' ' || "
                    "e.decided_on || ' ' || e.effective_from || ' ' || e.expires_on || ' ' || "
                    "coalesce(e.ended_on, '-') || ' ' || coalesce(e.end_reason, '-') || ' ' || "
                    "e.explanation || ' ' || (SELECT group_concat(rec) FROM entry_evidence v "
                    "WHERE v.entry_id = e.entry_id) AS line FROM entries e ORDER BY e.entry_id)");
    }

    // Inserts one record (the SQL) and marks its subject, as rbl-import's RecordStore does.
    void insert_record(std::string_view sql) {
        db.exec(sql);
        db.exec("INSERT INTO subject_marks (subject_id) "
                "SELECT subject_id FROM records WHERE rec = (SELECT max(rec) FROM records)");
    }

    std::string text(std::string_view sql) { return test::query_text(db, sql); }

    std::int64_t number(std::string_view sql) { return test::query_number(db, sql); }

    // The black entry of the first company: "status decided notice publicity from expires".
    std::string black_entry() {
        return text("SELECT status || ' ' || decided_on || ' ' || notice_until || ' ' || "
                    "publicity_until || ' ' || effective_from || ' ' || expires_on FROM entries "
                    "WHERE list_id = 'market.black.repeat' AND subject_id = '91320106MA109Y0356' "
                    "ORDER BY entry_id DESC LIMIT 1");
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "adjudicator: subjects meeting the criteria get entries with dates") {
    // Mon 2026-03-02: notice covers 5 working days (03-03..03-09), publicity 3 (03-10..03-12).
    const auto summary = run(Date::from_ymd(2026, 3, 2));
    REQUIRE(summary.run_id.has_value());
    CHECK(*summary.run_id == 1);
    CHECK(summary.as_of == "2026-03-02");
    CHECK(summary.subjects == 3);
    CHECK(summary.total.created == 2);
    CHECK(summary.lists.size() == 2);
    CHECK(summary.lists.at("market.black.repeat").created == 1);
    CHECK(summary.lists.at("market.red.honest").created == 1);
    CHECK(black_entry() == "notice 2026-03-02 2026-03-09 2026-03-12 2026-03-13 2027-03-13");
    // No notice and no publicity: the red entry is in force from its decision date.
    CHECK(text("SELECT status || ' ' || subject_id || ' ' || effective_from || ' ' || expires_on "
               "FROM entries WHERE list_id = 'market.red.honest'") ==
          "effective 91321002MAP0LUM417 2026-03-02 2027-03-02");
    // The person's one penalty lists nowhere.
    CHECK(number("SELECT count(*) FROM entries WHERE subject_id = '320102196804120359'") == 0);
    CHECK(text("SELECT group_concat(record_id, ';') FROM (SELECT record_id FROM entry_evidence "
               "WHERE entry_id = 1 ORDER BY rec)") == "P1;P2");
    // What the entry keeps of its rule, and the run's record.
    CHECK(text("SELECT list_title || '|' || authority || '|' || rule_version FROM entries "
               "WHERE entry_id = 1") == "Repeated penalties|江苏省市场监督管理局|2026.1");
    CHECK(text("SELECT terms FROM entries WHERE entry_id = 1").find("江苏省财政厅") !=
          std::string::npos);
    CHECK(text("SELECT as_of || ' ' || operator FROM runs") == "2026-03-02 tester");
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'entry.created'") == 2);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'adjudicate.run'") == 1);
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: later runs move the entry notice -> publicity -> effective") {
    run(Date::from_ymd(2026, 3, 2));
    const auto still_notice = run(Date::from_ymd(2026, 3, 9));
    CHECK(still_notice.total.advanced == 0);
    CHECK(black_entry().starts_with("notice "));

    const auto publicity = run(Date::from_ymd(2026, 3, 10));
    CHECK(publicity.lists.at("market.black.repeat").advanced == 1);
    CHECK(publicity.lists.at("market.red.honest").advanced == 0);
    CHECK(publicity.total.created == 0);
    CHECK(black_entry().starts_with("publicity "));

    const auto effective = run(Date::from_ymd(2026, 3, 13));
    CHECK(effective.total.advanced == 1);
    CHECK(black_entry().starts_with("effective "));

    const auto nothing = run(Date::from_ymd(2026, 3, 20));
    CHECK(nothing.total.advanced == 0);
    CHECK(nothing.total.created == 0);
    CHECK(number("SELECT count(*) FROM runs") == 5);
    CHECK(number("SELECT count(*) FROM audit_log WHERE action = 'entry.advanced'") == 2);
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: one run carries an entry through several states, counted once") {
    run(Date::from_ymd(2026, 3, 2));
    const auto summary = run(Date::from_ymd(2026, 3, 13));
    CHECK(summary.lists.at("market.black.repeat").advanced == 1);
    CHECK(black_entry().starts_with("effective "));
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: entries expire at expires_on, and the same facts do not list again") {
    run(Date::from_ymd(2026, 3, 2));
    run(Date::from_ymd(2026, 3, 13));
    // The day before expiry the entry is still in force.
    const auto before = run(Date::from_ymd(2027, 3, 1));
    CHECK(before.total.expired == 0);
    CHECK(black_entry().starts_with("effective "));

    CHECK(number("SELECT count(*) FROM entries WHERE status = 'expired'") == 0);
    // By 2027-03-13 both have run out: the red entry on 03-02, the black one that day.
    const auto expiry = run(Date::from_ymd(2027, 3, 13));
    CHECK(expiry.lists.at("market.black.repeat").expired == 1);
    CHECK(expiry.lists.at("market.red.honest").expired == 1);
    CHECK(text("SELECT status || ' ' || ended_on FROM entries WHERE entry_id = 1") ==
          "expired 2027-03-13");
    CHECK(text("SELECT ended_on FROM entries WHERE list_id = 'market.red.honest'") ==
          "2027-03-02");
    // P1 and P2 are still within 3 years, but they are the evidence of the entry that expired.
    CHECK(expiry.total.created == 0);
    CHECK(number("SELECT count(*) FROM entries WHERE list_id = 'market.black.repeat'") == 1);

    // A new penalty is a new fact: the subject is listed again.
    insert_record("INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, "
            "content_hash, inserted_batch, updated_batch, seen_batch) VALUES (5, 'default', "
            "'P3', '91320106MA109Y0356', 'market', 'penalty', '2027-03-01', 'active', x'05', 1, "
            "1, 1)");
    const auto again = run(Date::from_ymd(2027, 3, 15));
    CHECK(again.lists.at("market.black.repeat").created == 1);
    CHECK(black_entry().starts_with("notice 2027-03-15 "));
    CHECK(text("SELECT group_concat(record_id, ';') FROM (SELECT record_id FROM entry_evidence "
               "WHERE entry_id = (SELECT max(entry_id) FROM entries) ORDER BY rec)") ==
          "P1;P2;P3");
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: the same run twice gives the same entries") {
    run(Date::from_ymd(2026, 3, 2));
    const auto second = run(Date::from_ymd(2026, 3, 2));
    CHECK(second.total.created == 0);
    CHECK(second.total.advanced == 0);
    CHECK(*second.run_id == 2);
    CHECK(number("SELECT count(*) FROM entries") == 2);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: a dry run reports the changes and writes nothing") {
    std::vector<engine::EntryChange> changes;
    const auto summary = run(Date::from_ymd(2026, 3, 2), true,
                             [&](const engine::EntryChange& change) { changes.push_back(change); });
    CHECK_FALSE(summary.run_id.has_value());
    CHECK(summary.total.created == 2);
    REQUIRE(changes.size() == 2);
    std::vector<std::string> seen;
    for (const auto& change : changes) {
        CHECK(change.change == model::ChangeKind::created);
        seen.push_back(change.list_id + " " + change.subject_id + " " + change.status);
    }
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<std::string>{"market.black.repeat 91320106MA109Y0356 notice",
                                           "market.red.honest 91321002MAP0LUM417 effective"});
    CHECK(number("SELECT count(*) FROM entries") == 0);
    CHECK(number("SELECT count(*) FROM entry_evidence") == 0);
    CHECK(number("SELECT count(*) FROM runs") == 0);
    CHECK(number("SELECT count(*) FROM audit_log") == 0);
    // The real run afterwards finds the same.
    CHECK(run(Date::from_ymd(2026, 3, 2)).total.created == 2);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: a withdrawn record withdraws the pending entry it supported") {
    run(Date::from_ymd(2026, 3, 2));
    db.exec("UPDATE records SET status = 'withdrawn', withdrawn_by = 'source' "
            "WHERE record_id = 'P2'");
    const auto summary = run(Date::from_ymd(2026, 3, 3));
    CHECK(summary.lists.at("market.black.repeat").withdrawn == 1);
    CHECK(summary.total.revoked == 0);
    CHECK(text("SELECT status || ' ' || ended_on FROM entries WHERE entry_id = 1") ==
          "withdrawn 2026-03-03");
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: an effective black entry revokes the subject's red one") {
    run(Date::from_ymd(2026, 3, 2));
    // The honest trader is penalised twice: a black entry, decided Tue 03-03, in force from
    // Mon 03-16 (notice 03-04..03-10, publicity 03-11..03-13).
    insert_record("INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, "
            "content_hash, inserted_batch, updated_batch, seen_batch) VALUES "
            "(5, 'default', 'P4', '91321002MAP0LUM417', 'market', 'penalty', '2026-02-20', "
            "'active', x'05', 1, 1, 1), "
            "(6, 'default', 'P5', '91321002MAP0LUM417', 'market', 'penalty', '2026-02-27', "
            "'active', x'06', 1, 1, 1)");
    const auto pending = run(Date::from_ymd(2026, 3, 3));
    CHECK(pending.lists.at("market.black.repeat").created == 1);
    CHECK(pending.lists.at("market.red.honest").revoked == 0);  // the black entry is only pending
    const auto effective = run(Date::from_ymd(2026, 3, 16));
    CHECK(effective.lists.at("market.red.honest").revoked == 1);
    CHECK(text("SELECT status || ' ' || ended_on FROM entries WHERE list_id = "
               "'market.red.honest'") == "revoked 2026-03-16");
    CHECK(audit.verify().first_bad == std::nullopt);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: entries expiring within notify_days are named, by expiry") {
    run(Date::from_ymd(2026, 3, 2));
    run(Date::from_ymd(2026, 3, 13));
    CHECK(run(Date::from_ymd(2027, 1, 1)).expiring.empty());  // both expire after 2027-01-31
    const auto summary = run(Date::from_ymd(2027, 2, 20));
    REQUIRE(summary.expiring.size() == 2);
    CHECK(summary.expiring[0].list_id == "market.red.honest");
    CHECK(summary.expiring[0].expires_on == "2027-03-02");
    CHECK(summary.expiring[1].list_id == "market.black.repeat");
    CHECK(summary.expiring[1].subject_id == k_company);
    CHECK(summary.expiring[1].expires_on == "2027-03-13");
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: going back in time needs force; unknown domains are refused") {
    run(Date::from_ymd(2026, 3, 10));
    CHECK_THROWS_WITH_AS(run(Date::from_ymd(2026, 3, 9)),
                         doctest::Contains("the last run was as of 2026-03-10"), UsageError);
    AdjudicateOptions options;
    options.as_of = Date::from_ymd(2026, 3, 9);
    options.force = true;
    const auto forced = engine::adjudicate(db, audit, rules, calendar, options, reporter);
    CHECK(*forced.run_id == 2);
    CHECK(number("SELECT forced FROM runs WHERE run_id = 2") == 1);

    options.as_of = Date::from_ymd(2026, 3, 10);
    options.domains = {"fishing"};
    CHECK_THROWS_WITH_AS(engine::adjudicate(db, audit, rules, calendar, options, reporter),
                         doctest::Contains("unknown domain 'fishing'"), UsageError);
    CHECK(number("SELECT count(*) FROM runs") == 2);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: explain_subject gives the figures per list") {
    run(Date::from_ymd(2026, 3, 2));
    const auto lines =
        engine::explain_subject(db, rules, k_company, Date::from_ymd(2026, 3, 2)).lines();
    REQUIRE_FALSE(lines.empty());
    CHECK(lines[0] ==
          "91320106MA109Y0356 南京华泰建设工程有限公司 (legal_person), as of 2026-03-02: 2 active "
          "records");
    const auto has = [&](const std::vector<std::string>& all, std::string_view line) {
        return std::find(all.begin(), all.end(), line) != all.end();
    };
    CHECK(has(lines, "market.black.repeat 多次行政处罚 — meets the criteria"));
    const auto person_explained =
        engine::explain_subject(db, rules, "320102196804120359", Date::from_ymd(2026, 3, 2));
    const auto person = person_explained.lines();
    const auto has_start = [&](const std::vector<std::string>& all, std::string_view start) {
        return std::any_of(all.begin(), all.end(),
                           [&](const std::string& line) { return line.starts_with(start); });
    };
    CHECK(has_start(person, "market.black.repeat 多次行政处罚 — does not meet the criteria ("));
    // On no list: the nearest miss is named, and comes first; lists it may not be on come last.
    REQUIRE(person_explained.nearest_miss.has_value());
    CHECK(person_explained.lists.front().list->id == *person_explained.nearest_miss);
    CHECK_FALSE(person_explained.lists.back().admitted);
    CHECK(person[1].starts_with("on no list; nearest miss: " + *person_explained.nearest_miss));
    // --list: one list; an unknown one is refused, naming the lists there are.
    const auto one = engine::explain_subject(db, rules, k_company, Date::from_ymd(2026, 3, 2),
                                             std::string("market.black.repeat"));
    REQUIRE(one.lists.size() == 1);
    CHECK(one.lists[0].verdict.holds);
    CHECK_THROWS_WITH_AS(engine::explain_subject(db, rules, k_company,
                                                 Date::from_ymd(2026, 3, 2),
                                                 std::string("market.black.nope")),
                         doctest::Contains("the lists are: "), UsageError);
    CHECK(has(person, "market.red.honest 诚信经营者 — not admitted (natural_person may not be "
                      "listed)"));
    CHECK_THROWS_AS(engine::explain_subject(db, rules, "91320505MAWYY1CN96",
                                            Date::from_ymd(2026, 3, 2)),
                    UsageError);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: later runs evaluate only the subjects changed or due") {
    const auto first = run(Date::from_ymd(2026, 3, 2));
    CHECK(first.full);
    CHECK(first.full_reason == "the first run on this database");
    CHECK(first.subjects == 3);
    CHECK(first.subjects_total == 3);
    // Nothing changed and nobody's next change day came: nobody is evaluated.
    const auto quiet = run(Date::from_ymd(2026, 3, 3));
    CHECK_FALSE(quiet.full);
    CHECK(quiet.subjects == 0);
    CHECK(quiet.subjects_total == 3);
    CHECK(number("SELECT count(*) FROM subject_marks") == 0);
    // A second penalty for the person, marked as rbl-import marks it: evaluated, and listed.
    insert_record("INSERT INTO records (rec, source, record_id, subject_id, domain, kind, date, status, "
            "content_hash, inserted_batch, updated_batch, seen_batch) VALUES (5, 'default', "
            "'P10', '320102196804120359', 'market', 'penalty', '2026-03-03', 'active', x'05', 1, "
            "1, 1)");
    const auto marked = run(Date::from_ymd(2026, 3, 4));
    CHECK(marked.subjects == 1);
    CHECK(marked.total.created == 1);
    // The company's notice ends on 03-09: due on 03-10, when it moves to publicity.
    CHECK(text("SELECT due_on FROM subject_due WHERE subject_id = '91320106MA109Y0356'") ==
          "2026-03-10");
    const auto due = run(Date::from_ymd(2026, 3, 10));
    CHECK(due.subjects == 1);  // the person's notice, from 03-04, runs to 03-11
    CHECK(due.lists.at("market.black.repeat").advanced == 1);
    CHECK(test::query_text(db, "SELECT group_concat(mode || ' ' || subjects_evaluated, ', ') "
                               "FROM run_scope") ==
          "full 3, incremental 0, incremental 1, incremental 1");
}

TEST_CASE("adjudicator: incremental runs, --full and --jobs give the same entries") {
    Fixture incremental;
    Fixture full;
    const std::vector<Date> days = {Date::from_ymd(2026, 3, 2),  Date::from_ymd(2026, 3, 9),
                                    Date::from_ymd(2026, 3, 10), Date::from_ymd(2026, 3, 16),
                                    Date::from_ymd(2027, 2, 2),  Date::from_ymd(2027, 3, 20),
                                    Date::from_ymd(2029, 2, 10)};
    for (const Date& day : days) {
        CAPTURE(day.iso());
        AdjudicateOptions options;
        options.as_of = day;
        const auto a = incremental.run_with(options);
        options.full = true;
        options.jobs = 3;
        const auto b = full.run_with(options);
        CHECK(b.full);
        CHECK(engine::to_json(a.total) == engine::to_json(b.total));
        REQUIRE(incremental.all_entries() == full.all_entries());
    }
    CHECK(incremental.number("SELECT count(*) FROM entries WHERE status = 'expired'") > 0);
    CHECK(incremental.number("SELECT sum(subjects_evaluated) FROM run_scope") <
          full.number("SELECT sum(subjects_evaluated) FROM run_scope"));
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: other rules, --full, --domain and going back evaluate all") {
    run(Date::from_ymd(2026, 3, 2));
    AdjudicateOptions options;
    options.as_of = Date::from_ymd(2026, 3, 3);
    options.full = true;
    CHECK(run_with(options).full_reason == "--full");
    options.full = false;
    options.domains = {"market"};
    const auto domain = run_with(options);
    CHECK(domain.full);
    CHECK(domain.full_reason.starts_with("--domain"));
    options.domains.clear();
    options.as_of = Date::from_ymd(2026, 3, 2);
    options.force = true;
    CHECK(run_with(options).full_reason.find("before run") != std::string::npos);
    dir.write("rules/market.yaml",
              std::string(test::k_market_yaml).replace(
                  std::string(test::k_market_yaml).find("validity: 1y"), 12, "validity: 2y"));
    rules = rules::RuleSet::load(dir.path() / "rules");
    options.force = false;
    options.as_of = Date::from_ymd(2026, 3, 4);
    CHECK(run_with(options).full_reason.find("the rules differ") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "adjudicator: a run over some domains marks what it changed for the next") {
    run(Date::from_ymd(2026, 3, 2));
    AdjudicateOptions options;
    options.as_of = Date::from_ymd(2026, 3, 10);
    options.domains = {"market"};
    CHECK(run_with(options).total.advanced == 1);
    CHECK(text("SELECT group_concat(subject_id) FROM subject_marks") == std::string(k_company));
    // Its next change days are not stored: the last full run's stay, and the mark brings the
    // company back to the next run over every domain.
    CHECK(text("SELECT due_on FROM subject_due WHERE subject_id = '91320106MA109Y0356'") ==
          "2026-03-10");
    const auto next = run(Date::from_ymd(2026, 3, 10));
    CHECK_FALSE(next.full);
    CHECK(next.subjects == 1);
    CHECK(next.total.advanced == 0);
    CHECK(number("SELECT count(*) FROM subject_marks") == 0);
    CHECK(text("SELECT due_on FROM subject_due WHERE subject_id = '91320106MA109Y0356'") ==
          "2026-03-13");
}
