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
