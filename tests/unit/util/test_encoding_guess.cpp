#include <doctest/doctest.h>

#include <string>

#include "rbl/util/encoding_guess.hpp"

using rbl::util::looks_like_gb18030;

TEST_CASE("encoding guess: GB18030 text is told from UTF-8 and from junk") {
    // "统一社会信用代码" in GB18030.
    const std::string gb = "\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,x\n";
    CHECK(looks_like_gb18030(gb));
    CHECK(looks_like_gb18030(gb + "\xcd"));  // a sequence cut at the end of the head
    CHECK_FALSE(looks_like_gb18030("统一社会信用代码,x\n"));  // valid UTF-8
    CHECK_FALSE(looks_like_gb18030("plain ascii\n"));
    CHECK_FALSE(looks_like_gb18030("abc\xff\xfe,def\n"));  // 0xFF is no GB18030 lead byte
}

// Bad-input catalogue: the first 64 KiB of a large UTF-8 file, cut inside a Chinese character,
// was taken for GB18030 (its 3-byte characters read two bytes at a time decode cleanly), and the
// import refused a good file with "is not UTF-8 but reads as GB18030".
TEST_CASE("encoding guess: UTF-8 cut inside a character is not GB18030") {
    const std::string utf8 = "统一社会信用代码";  // 24 bytes
    CHECK_FALSE(looks_like_gb18030(utf8.substr(0, 23)));
    CHECK_FALSE(looks_like_gb18030(utf8.substr(0, 22)));
    CHECK(rbl::util::is_utf8_head(utf8.substr(0, 22)));
    CHECK_FALSE(rbl::util::is_utf8_head("abc\xff"));
    CHECK_FALSE(rbl::util::is_utf8_head("abc\xe7\x41"));  // not a continuation byte
}

TEST_CASE("encoding guess: UTF-8 text given as GB18030 is told") {
    using rbl::util::looks_like_utf8_text;
    CHECK(looks_like_utf8_text("统一社会信用代码,x\n"));
    CHECK(looks_like_utf8_text(std::string("统一社会信用代码").substr(0, 23)));
    CHECK_FALSE(looks_like_utf8_text("plain ascii\n"));  // ASCII reads the same either way
    const std::string gb = "\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,x\n";
    CHECK_FALSE(looks_like_utf8_text(gb));
}
