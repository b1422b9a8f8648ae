// libFuzzer target: the identifier validators (lib/rbl/ids): USCC and resident ID numbers.
// Checks that what validates has a right check character, a 6-digit region, and a mask of the
// same length.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rbl/ids/ids.hpp"

namespace {

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const std::string id = rbl::ids::normalise(raw);
    const auto today = rbl::util::Date::from_ymd(2026, 11, 28);
    (void)rbl::ids::uscc_check_char(raw.substr(0, 17));
    (void)rbl::ids::resident_check_char(raw.substr(0, 17));
    for (const std::optional<rbl::ids::IdKind> expected :
         {std::optional<rbl::ids::IdKind>(), std::optional(rbl::ids::IdKind::uscc),
          std::optional(rbl::ids::IdKind::resident)}) {
        const auto shape = rbl::ids::classify(id, today, expected);
        const auto kind = rbl::ids::validate(id, today, expected);
        if (kind.has_value() != (shape.has_value() && shape->check_ok)) {
            fuzz_fail("validate and classify disagree");
        }
        if (!kind) {
            continue;
        }
        if (id.size() != 18) {
            fuzz_fail("a valid identifier is not 18 characters");
        }
        const std::string region = rbl::ids::region_of(id, *kind);
        if (region.size() != 6) {
            fuzz_fail("a region is not 6 characters");
        }
        if (rbl::ids::mask(id, *kind).size() != id.size()) {
            fuzz_fail("a mask changed the identifier's length");
        }
        (void)rbl::ids::is_government_organ(id);
    }
    return 0;
}
