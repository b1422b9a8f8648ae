#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../entry_fixture.hpp"
#include "../temp_dir.hpp"
#include "rbl/store/database.hpp"
#include "rbl/store/publication_store.hpp"

using namespace rbl;

namespace {

struct Fixture {
    test::TempDir dir;
    store::Database db{{.path = dir.path() / "rbl.db", .create = true}};
    store::PublicationStore publications{db};

    Fixture() { db.exec(test::k_one_entry); }

    std::vector<std::int64_t> entry_ids(const store::EntryFilter& filter) {
        std::vector<std::int64_t> ids;
        publications.for_each_entry(
            filter, [&ids](const store::EntryRow& row) { ids.push_back(row.entry_id); });
        return ids;
    }

    std::vector<std::pair<std::int64_t, std::string>> changes(std::int64_t previous) {
        std::vector<std::pair<std::int64_t, std::string>> found;
        publications.for_each_change(previous, [&found](std::int64_t id, std::string_view change) {
            found.emplace_back(id, std::string(change));
        });
        return found;
    }

    std::int64_t record(std::string channel) {
        return publications.record({.channel = std::move(channel),
                                    .published_at = "2026-03-03T00:00:00Z",
                                    .as_of = "2026-03-02",
                                    .filter_json = R"({"kind":"black"})",
                                    .format = "csv",
                                    .delta = false,
                                    .rows = 1,
                                    .sha256 = "x",
                                    .out = "out.csv",
                                    .operator_name = "wang"});
    }
};

store::EntryFilter as_of(util::Date day) {
    store::EntryFilter filter;
    filter.as_of = day;
    return filter;
}

using Ids = std::vector<std::int64_t>;
using Changes = std::vector<std::pair<std::int64_t, std::string>>;

const util::Date k_decided = util::Date::from_ymd(2026, 3, 2);

}  // namespace

TEST_CASE_FIXTURE(Fixture, "publication store: the last run and an entry as an exported row") {
    CHECK(publications.last_run_as_of() == "2026-03-02");
    store::EntryRow row;
    publications.for_each_entry(as_of(k_decided), [&row](const store::EntryRow& read) { row = read; });
    REQUIRE(row.entry_id == 1);
    CHECK(row.list_id == "market.black.serious");
    CHECK(row.subject_name == "甲公司");
    CHECK(row.subject_type == "legal_person");
    CHECK(row.status == "notice");
    CHECK(row.notice_until == "2026-03-09");
    CHECK(row.ended_on.empty());
    CHECK(row.explanation == "because");
    CHECK(row.evidence == "P1;P2");
    CHECK_FALSE(row.disputed);
}

TEST_CASE_FIXTURE(Fixture, "publication store: entries pass the filter, disputed on its day") {
    CHECK(entry_ids(as_of(k_decided)) == Ids{1});
    CHECK(entry_ids(as_of(util::Date::from_ymd(2026, 3, 1))).empty());  // not decided yet
    store::EntryFilter filter = as_of(k_decided);
    filter.kind = "red";
    CHECK(entry_ids(filter).empty());
    filter.kind = "black";
    filter.domains_json = R"(["courts"])";
    CHECK(entry_ids(filter).empty());
    filter.domains_json = R"(["courts","market"])";
    filter.subject_id = "91320102MA1000001X";
    CHECK(entry_ids(filter) == Ids{1});
    filter.subject_id = "' OR 1=1 --";
    CHECK(entry_ids(filter).empty());

    db.exec(R"sql(
INSERT INTO appeals (entry_id, type, reason, received_on, due_on, entry_status, operator,
                     filed_at, outcome, decided_on)
VALUES (1, 'objection', 'r', '2026-03-04', '2026-03-10', 'notice', 't', 't', 'rejected',
        '2026-03-06'))sql");
    const auto disputed_on = [&](int day) {
        bool disputed = false;
        publications.for_each_entry(
            as_of(util::Date::from_ymd(2026, 3, day)),
            [&disputed](const store::EntryRow& row) { disputed = row.disputed; });
        return disputed;
    };
    CHECK_FALSE(disputed_on(3));
    CHECK(disputed_on(4));
    CHECK(disputed_on(5));
    CHECK_FALSE(disputed_on(6));  // decided that day

    // A delta's rows, whatever the filter, disputed on the delta's day.
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    publications.start_rows();
    publications.add_row(1, "h1");
    std::vector<std::tuple<std::int64_t, std::string, bool>> changed;
    const auto changed_on = [&](int day) {
        changed.clear();
        publications.for_each_changed_entry(
            0, util::Date::from_ymd(2026, 3, day),
            [&changed](const store::EntryRow& row, std::string_view change) {
                changed.emplace_back(row.entry_id, std::string(change), row.disputed);
            });
        return changed;
    };
    using Changed = std::vector<std::tuple<std::int64_t, std::string, bool>>;
    CHECK(changed_on(5) == Changed{{1, "added", true}});
    CHECK(changed_on(6) == Changed{{1, "added", false}});
}

TEST_CASE_FIXTURE(Fixture, "publication store: a delta's rows read in one pass, removed ones too") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    publications.start_rows();
    publications.add_row(1, "h1");
    const std::int64_t first = record("web");
    const auto rows_since = [&](std::int64_t previous) {
        std::vector<std::pair<std::string, std::string>> rows;  // evidence and change
        publications.for_each_changed_entry(
            previous, k_decided, [&rows](const store::EntryRow& row, std::string_view change) {
                CHECK(row.subject_name == "甲公司");
                CHECK(row.list_id == "market.black.serious");
                rows.emplace_back(row.evidence, std::string(change));
            });
        return rows;
    };
    using Rows = std::vector<std::pair<std::string, std::string>>;
    publications.start_rows();
    publications.add_row(1, "h1");
    CHECK(rows_since(first).empty());
    publications.add_row(2, "h2");  // no such entry: not reported
    CHECK(rows_since(first).empty());
    publications.start_rows();
    publications.add_row(1, "h3");
    CHECK(rows_since(first) == Rows{{"P1;P2", "updated"}});
    publications.start_rows();
    CHECK(rows_since(first) == Rows{{"P1;P2", "removed"}});
}

TEST_CASE_FIXTURE(Fixture, "publication store: a channel's publications and their deltas") {
    store::Transaction transaction(db, store::Transaction::Mode::immediate);
    CHECK_FALSE(publications.last_publication("web").has_value());
    publications.start_rows();
    publications.add_row(1, "h1");
    CHECK(changes(0) == Changes{{1, "added"}});
    const std::int64_t first = record("web");
    const auto last = publications.last_publication("web");
    REQUIRE(last.has_value());
    CHECK(last->publication_id == first);
    CHECK(last->filter_json == R"({"kind":"black"})");
    CHECK(last->as_of == "2026-03-02");
    CHECK_FALSE(publications.last_publication("bank").has_value());

    // Against the first publication: the same row is no change, another hash an update, no
    // row a removal.
    publications.start_rows();
    publications.add_row(1, "h1");
    CHECK(changes(first).empty());
    publications.start_rows();
    publications.add_row(1, "h2");
    CHECK(changes(first) == Changes{{1, "updated"}});
    const std::int64_t second = record("web");
    CHECK(second > first);
    CHECK(publications.last_publication("web")->publication_id == second);
    publications.start_rows();
    CHECK(changes(second) == Changes{{1, "removed"}});
    CHECK(changes(first) == Changes{{1, "removed"}});
}
