// libFuzzer target: the rule loader (lib/rbl/rules: YAML reading, lists, criteria, expressions,
// checks across files). The input is written as the one domain file fuzz.yaml of a private
// rules folder and loaded; invalid rules must end in InvalidConfig (a UsageError), nothing else.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "rbl/rules/rule_set.hpp"
#include "rbl/util/error.hpp"

namespace {

const std::filesystem::path& rules_dir() {
    static const std::filesystem::path dir = [] {
        auto path = std::filesystem::temp_directory_path() /
                    ("rbl-fuzz-rules-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = rules_dir() / "fuzz.yaml";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const auto rules = rbl::rules::RuleSet::load(rules_dir());
        (void)rules.lists().size();
    } catch (const rbl::UsageError&) {
        // Invalid rules: the expected outcome for most inputs.
    }
    return 0;
}
