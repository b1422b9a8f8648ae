#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "../market_rules.hpp"
#include "../temp_dir.hpp"
#include "rbl/ingest/parsed_rows.hpp"
#include "rbl/util/date.hpp"

using namespace rbl;

namespace {

// `count` rows, each refused by its shape ("row N"), so that the builder is not asked; throws
// at row `throw_at` (0: never).
class CountingSource final : public ingest::RowSource {
public:
    CountingSource(std::uint64_t count, std::uint64_t throw_at)
        : m_count(count), m_throw_at(throw_at) {}

    bool next(ingest::SourceRow& row) override {
        if (m_line == m_count) {
            return false;
        }
        ++m_line;
        if (m_line == m_throw_at) {
            throw std::runtime_error("malformed at " + std::to_string(m_line));
        }
        row.line = m_line;
        row.fields.clear();
        row.problem = ingest::Rejection{"", "row " + std::to_string(m_line)};
        return true;
    }
    std::vector<std::string> original_header() const override { return {"a"}; }
    std::vector<std::string> original_fields() const override { return {std::to_string(m_line)}; }
    std::uint64_t bytes_consumed() const override { return m_line * 10; }
    std::uint64_t blank_rows() const override { return 0; }

private:
    std::uint64_t m_count;
    std::uint64_t m_throw_at;
    std::uint64_t m_line = 0;
};

struct Fixture {
    test::TempDir dir;
    rules::RuleSet rules = test::market_rules(dir);
    ingest::Mapping mapping;
    ingest::RecordBuilder builder{rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)}};
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "parsed rows: every row once, in the file's order, across chunks") {
    const std::uint64_t count = ingest::ParsedRows::k_chunk_rows * 5 + 17;
    CountingSource source(count, 0);
    ingest::ParsedRows parsed(source, builder, false);
    std::uint64_t expected = 1;
    std::uint64_t last_bytes = 0;
    while (ingest::ParsedChunk* chunk = parsed.next()) {
        for (std::size_t i = 0; i < chunk->size; ++i) {
            const ingest::ParsedRow& row = chunk->rows[i];
            REQUIRE(row.line == expected);
            REQUIRE(row.rejection.has_value());
            CHECK(row.rejection->reason == "row " + std::to_string(expected));
            CHECK(row.fields == std::vector<std::string>{std::to_string(expected)});  // rejected
            ++expected;
        }
        CHECK(chunk->bytes_consumed >= last_bytes);
        last_bytes = chunk->bytes_consumed;
    }
    CHECK(expected == count + 1);
    CHECK(last_bytes == count * 10);
    CHECK(parsed.next() == nullptr);
}

TEST_CASE_FIXTURE(Fixture, "parsed rows: a reading error after the rows before it") {
    CountingSource source(100000, 5000);
    ingest::ParsedRows parsed(source, builder, false);
    std::uint64_t seen = 0;
    try {
        while (ingest::ParsedChunk* chunk = parsed.next()) {
            seen += chunk->size;
        }
        FAIL("no error");
    } catch (const std::runtime_error& error) {
        CHECK(std::string(error.what()) == "malformed at 5000");
    }
    CHECK(seen == 4999);
}

TEST_CASE_FIXTURE(Fixture, "parsed rows: a writer giving up half-way stops the reading thread") {
    CountingSource source(1000000, 0);
    {
        ingest::ParsedRows parsed(source, builder, false);
        REQUIRE(parsed.next() != nullptr);
    }  // joins: the thread waits for a free chunk, sees the stop and ends
    CHECK(source.bytes_consumed() < 1000000 * 10);  // it did not read the whole file
}

TEST_CASE_FIXTURE(Fixture, "parsed rows: an empty file") {
    CountingSource source(0, 0);
    ingest::ParsedRows parsed(source, builder, true);
    ingest::ParsedChunk* chunk = parsed.next();
    REQUIRE(chunk != nullptr);
    CHECK(chunk->size == 0);
    CHECK(parsed.next() == nullptr);
}
