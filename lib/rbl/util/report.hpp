#pragma once
// How the library talks to the person running a tool. The library never prints; the apps pass
// an implementation (terminal, quiet, or a recording one in tests).

#include <cstdint>
#include <string_view>

namespace rbl {

/// Receives progress, information and warnings from long-running library work.
class Reporter {
public:
    virtual ~Reporter() = default;
    /// A line of information (suppressed by --quiet).
    virtual void info(std::string_view message) = 0;
    /// A warning about the input that did not stop the work.
    virtual void warning(std::string_view message) = 0;
    /// Progress of a long step: `done` out of `total` units (bytes, subjects); total 0 = unknown.
    virtual void progress(std::string_view step, std::uint64_t done, std::uint64_t total) = 0;
    /// The long step is over: clear any progress display.
    virtual void progress_done() = 0;
};

/// A reporter that drops everything (for tests and library callers that do not care).
class SilentReporter final : public Reporter {
public:
    void info(std::string_view) override {}
    void warning(std::string_view) override {}
    void progress(std::string_view, std::uint64_t, std::uint64_t) override {}
    void progress_done() override {}
};

}  // namespace rbl
