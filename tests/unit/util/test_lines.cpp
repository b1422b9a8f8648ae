#include <doctest/doctest.h>

#include <string>

#include "rbl/util/input.hpp"
#include "rbl/util/lines.hpp"

using rbl::util::LineReader;

TEST_CASE("lines: LF and CRLF endings, numbers, a last line without an ending") {
    auto input = rbl::util::memory_text_input("one\r\ntwo\n\nthree");
    LineReader reader(*input);
    std::string line;
    REQUIRE(reader.next(line));
    CHECK(line == "one");
    REQUIRE(reader.next(line));
    CHECK(line == "two");
    REQUIRE(reader.next(line));
    CHECK(line.empty());
    REQUIRE(reader.next(line));
    CHECK(line == "three");
    CHECK(reader.number() == 4);
    CHECK_FALSE(reader.next(line));
}

// Bad-input catalogue: a JSON Lines file of one endless line grew one string without bound
// (a multi-gigabyte line ended in "out of memory" or the OOM killer).
TEST_CASE("lines: a line longer than the limit is skipped and flagged, the next one read") {
    const std::string text = "short\n" + std::string(1000, 'x') + "\nafter\n";
    auto input = rbl::util::memory_text_input(text);
    LineReader reader(*input, 100);
    std::string line;
    REQUIRE(reader.next(line));
    CHECK_FALSE(reader.too_long());
    REQUIRE(reader.next(line));
    CHECK(reader.too_long());
    CHECK(line.empty());
    CHECK(reader.number() == 2);
    REQUIRE(reader.next(line));
    CHECK_FALSE(reader.too_long());
    CHECK(line == "after");
    CHECK(reader.number() == 3);
}

TEST_CASE("lines: the default limit is 64 MiB") {
    const std::string text = std::string(LineReader::k_max_line + 1, 'y') + "\n{}\n";
    auto input = rbl::util::memory_text_input(text);
    LineReader reader(*input);
    std::string line;
    REQUIRE(reader.next(line));
    CHECK(reader.too_long());
    REQUIRE(reader.next(line));
    CHECK(line == "{}");
}
