// rbl: the front command. `rbl TOOL ARGS...` runs `rbl-TOOL ARGS...` from the same folder (like
// git), so `rbl import FILE` is `rbl-import FILE`.

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::array<std::string_view, 7> k_tools = {"import",  "rules", "adjudicate", "appeal",
                                                     "publish", "audit", "check"};

void usage() {
    fmt::print(stderr, "usage: rbl TOOL [ARGS...]   (TOOL: {})\n", fmt::join(k_tools, ", "));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
        usage();
        return argc < 2 ? 2 : 0;
    }
    const std::string tool = fmt::format("rbl-{}", argv[1]);
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto path = ec ? std::filesystem::path(tool) : self.parent_path() / tool;
    std::vector<char*> args;
    args.push_back(const_cast<char*>(tool.c_str()));
    for (int i = 2; i < argc; ++i) {
        args.push_back(argv[i]);
    }
    args.push_back(nullptr);
    ::execv(path.c_str(), args.data());
    fmt::print(stderr, "rbl: error: no tool '{}' ({}: {})\n", argv[1], path.string(),
               std::strerror(errno));
    usage();
    return 2;
}
