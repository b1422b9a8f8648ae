#pragma once
// The terminal side of rbl::Reporter, which every tool hands to the library.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "rbl/util/report.hpp"

namespace rbl::app {

/// Reports to the terminal: info and warnings on stderr (none with --quiet), a progress bar only
/// when stderr is a terminal.
class TerminalReporter final : public Reporter {
public:
    TerminalReporter(std::string tool, bool quiet);
    void info(std::string_view message) override;
    void warning(std::string_view message) override;
    void progress(std::string_view step, std::uint64_t done, std::uint64_t total) override;
    void progress_done() override;

private:
    std::string m_tool;
    bool m_quiet;
    bool m_tty;
    bool m_bar_shown = false;
    std::chrono::steady_clock::time_point m_last_draw;
};

}  // namespace rbl::app
