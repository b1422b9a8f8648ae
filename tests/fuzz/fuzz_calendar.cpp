// libFuzzer target: the working-day calendar loader (lib/rbl/rules/calendar). The input is
// written as calendar.yaml and loaded; a loaded calendar then counts a period.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "rbl/rules/calendar.hpp"
#include "rbl/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path file = [] {
        auto dir = std::filesystem::temp_directory_path() /
                   ("rbl-fuzz-calendar-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        return dir / "calendar.yaml";
    }();
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const auto calendar = rbl::rules::Calendar::load(file);
        const auto end = calendar.period_end(rbl::util::Date::from_ymd(2026, 2, 13), 20);
        (void)calendar.coverage_warning(end);
    } catch (const rbl::UsageError&) {
        // Invalid calendar: the expected outcome for most inputs.
    }
    return 0;
}
