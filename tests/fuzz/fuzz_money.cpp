// libFuzzer target: the exact decimal and money parsers (lib/rbl/util/money) over arbitrary
// text. Checks round trips through the canonical text and the yuan format.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "rbl/util/decimal.hpp"
#include "rbl/util/money.hpp"

namespace {

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto decimal = rbl::util::parse_decimal(text)) {
        if (decimal->scale < 0 || decimal->scale > 18) {
            fuzz_fail("decimal scale out of range");
        }
        const auto again = rbl::util::parse_decimal(decimal->text());
        if (!again || !(*again == *decimal)) {
            fuzz_fail("a decimal does not read back from its canonical text");
        }
    }
    // Scales the mappings use: yuan, 万元 (10,000), and a fraction.
    for (const auto scale : {rbl::util::Decimal{1, 0}, rbl::util::Decimal{10000, 0},
                             rbl::util::Decimal{1, 2}}) {
        if (const auto fen = rbl::util::parse_yuan(text, scale)) {
            if (*fen < 0) {
                fuzz_fail("a negative amount was accepted");
            }
            const auto again = rbl::util::parse_yuan(rbl::util::format_yuan(*fen));
            if (!again || *again != *fen) {
                fuzz_fail("an amount does not read back from its yuan text");
            }
        }
    }
    return 0;
}
