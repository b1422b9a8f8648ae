#include "common/terminal_reporter.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "rbl/util/i18n.hpp"

namespace rbl::app {

TerminalReporter::TerminalReporter(std::string tool, bool quiet)
    : m_tool(std::move(tool)), m_quiet(quiet), m_tty(isatty(STDERR_FILENO) == 1) {}

void TerminalReporter::info(std::string_view message) {
    if (!m_quiet) {
        progress_done();
        fmt::print(stderr, "{}\n", trf("{}: {}", m_tool, message));
    }
}

void TerminalReporter::warning(std::string_view message) {
    if (!m_quiet) {
        progress_done();
        fmt::print(stderr, "{}\n", trf("{}: warning: {}", m_tool, message));
    }
}

void TerminalReporter::progress(std::string_view step, std::uint64_t done, std::uint64_t total) {
    if (m_quiet || !m_tty) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (m_bar_shown && now - m_last_draw < std::chrono::milliseconds(100)) {
        return;
    }
    m_last_draw = now;
    m_bar_shown = true;
    if (total == 0) {
        fmt::print(stderr, "\r{} ... {}", trf("{}: {}", m_tool, step), done);
    } else {
        constexpr int k_width = 30;
        const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
        const int filled = static_cast<int>(fraction * k_width);
        fmt::print(stderr, "\r{} [{}{}] {:3.0f}%", trf("{}: {}", m_tool, step),
                   std::string(filled, '#'), std::string(k_width - filled, ' '), fraction * 100);
    }
    std::fflush(stderr);
}

void TerminalReporter::progress_done() {
    if (m_bar_shown) {
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
        m_bar_shown = false;
    }
}

}  // namespace rbl::app
