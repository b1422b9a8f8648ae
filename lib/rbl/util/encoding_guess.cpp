#include "rbl/util/encoding_guess.hpp"

#include <iconv.h>

#include <cerrno>
#include <string>

#include "rbl/util/text.hpp"

namespace rbl::util {

bool looks_like_gb18030(std::string_view head) {
    if (!find_invalid_utf8(head).has_value()) {
        return false;
    }
    iconv_t converter = iconv_open("UTF-8", "GB18030");
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        return false;
    }
    std::string input(head);
    char* in = input.data();
    std::size_t in_left = input.size();
    std::string output(input.size() * 2 + 16, '\0');
    char* out = output.data();
    std::size_t out_left = output.size();
    const std::size_t result = iconv(converter, &in, &in_left, &out, &out_left);
    const int error = errno;
    iconv_close(converter);
    // EINVAL: an incomplete sequence at the very end of the head, which is expected.
    return result != static_cast<std::size_t>(-1) || error == EINVAL;
}

}  // namespace rbl::util
