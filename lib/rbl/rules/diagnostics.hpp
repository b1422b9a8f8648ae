#pragma once
// Errors found in configuration files (rule files, calendar, mappings), each with its file, line
// and column. Loading collects every error before giving up, so users fix them all in one go.

#include <string>
#include <vector>

#include "rbl/util/error.hpp"

namespace rbl::rules {

/// One problem in a file, at a 1-based line and column (0 when unknown).
struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;

    /// "FILE:LINE:COLUMN: MESSAGE" (line and column left out when unknown).
    [[nodiscard]] std::string text() const;
};

/// Thrown when configuration files are invalid: a UsageError (exit 2) carrying every problem.
class InvalidConfig : public UsageError {
public:
    InvalidConfig(const std::string& what, std::vector<Diagnostic> diagnostics);
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

private:
    std::vector<Diagnostic> m_diagnostics;
};

/// Collects problems while loading; throw_if_any() ends the load when there were some.
class Diagnostics {
public:
    void add(Diagnostic diagnostic) { m_items.push_back(std::move(diagnostic)); }
    void add(const std::string& file, int line, int column, std::string message) {
        m_items.push_back(Diagnostic{file, line, column, std::move(message)});
    }
    [[nodiscard]] bool empty() const { return m_items.empty(); }
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return m_items; }
    /// Throws InvalidConfig("WHAT: N problems" and every problem) when any was added.
    void throw_if_any(const std::string& what) const;

private:
    std::vector<Diagnostic> m_items;
};

}  // namespace rbl::rules
