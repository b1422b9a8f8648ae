// rbl: the front command. `rbl TOOL ARGS...` runs `rbl-TOOL ARGS...` from the same folder (like
// git), so `rbl import FILE` is `rbl-import FILE`; `rbl help [TOOL]` and `rbl --version` answer
// themselves.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rbl/util/i18n.hpp"

namespace {

// Every tool and its job (SPEC.md §1), in the order of the day's work.
constexpr std::array<std::pair<std::string_view, const char*>, 7> k_tools = {{
    {"import",
     rbl::tr_later("load credit-information records (CSV, JSON Lines), validating every row")},
    {"rules",
     rbl::tr_later("check rule files, run their tests, show a rule, write the criteria document")},
    {"adjudicate",
     rbl::tr_later("evaluate every list as of a date; create, advance and end list entries")},
    {"appeal",
     rbl::tr_later("objections and credit-repair applications: file, decide, list, show")},
    {"publish",
     rbl::tr_later("export lists (CSV, JSON Lines), deltas per channel, per department; reports")},
    {"audit",
     rbl::tr_later("show and verify the tamper-evident audit log; the lookup log")},
    {"check",
     rbl::tr_later("check subjects against the lists in real time, for business systems")},
}};

bool is_tool(std::string_view name) {
    return std::ranges::any_of(k_tools, [name](const auto& tool) { return tool.first == name; });
}

void usage(std::FILE* out) {
    fmt::print(out, "{}", rbl::tr("usage: rbl TOOL [ARGS...]   runs rbl-TOOL ARGS...\n"
                                  "       rbl help [TOOL]      this list, or the tool's --help\n"
                                  "       rbl --version\n\ntools:\n"));
    for (const auto& [name, job] : k_tools) {
        fmt::print(out, "  {:<11} {}\n", name, rbl::tr(job));
    }
}

// Runs rbl-TOOL with `args` from the folder of this executable (else through PATH); returns
// only when it could not be started.
int run(std::string_view name, std::vector<char*> args) {
    const std::string tool = fmt::format("rbl-{}", name);
    args.insert(args.begin(), const_cast<char*>(tool.c_str()));
    args.push_back(nullptr);
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        ::execv((self.parent_path() / tool).c_str(), args.data());
    }
    ::execvp(tool.c_str(), args.data());
    fmt::print(stderr, "{}\n",
               rbl::trf("rbl: error: cannot run {}: {} (it belongs in the folder of rbl, or on "
                        "PATH)",
                        tool, std::strerror(errno)));
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view first = argc < 2 ? std::string_view() : std::string_view(argv[1]);
    if (first.empty()) {
        usage(stderr);
        return 2;
    }
    if (first == "--version" || first == "-V") {
        fmt::print("rbl {}\n", RBL_VERSION);  // untranslated: the program's name and version
        return 0;
    }
    const bool help = first == "help" || first == "--help" || first == "-h";
    if (help && argc < 3) {
        usage(stdout);
        return 0;
    }
    const std::string_view name = help ? std::string_view(argv[2]) : first;
    if (!is_tool(name)) {
        fmt::print(stderr, "{}\n",
                   rbl::trf("rbl: error: there is no tool '{}' (see rbl help)", name));
        return 2;
    }
    if (help) {
        return run(name, {const_cast<char*>("--help")});
    }
    return run(name, std::vector<char*>(argv + 2, argv + argc));
}
