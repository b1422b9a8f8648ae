// libFuzzer target: the JSON Lines object parser (lib/rbl/util/json_line) over arbitrary bytes.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "rbl/util/json_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    if (const auto fields = rbl::util::parse_json_line(line)) {
        for (const auto& field : *fields) {
            if (field.value.type == rbl::util::JsonScalar::Type::null && !field.value.text.empty()) {
                throw std::logic_error("a null value with text");
            }
        }
    }
    return 0;
}
