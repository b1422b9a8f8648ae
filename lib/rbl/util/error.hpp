#pragma once
// The one family of user-facing failures. Each carries the exit code of SPEC.md §1; only the
// apps' main functions catch them and print "rbl-TOOL: error: MESSAGE".

#include <stdexcept>
#include <string>

#include "rbl/util/expected.hpp"

namespace rbl {

/// Exit codes shared by every tool (SPEC.md §1).
enum class ExitCode : int {
    ok = 0,        ///< done
    failed = 1,    ///< I/O, database or internal error; nothing half-written
    usage = 2,     ///< bad flags, invalid rules, unknown ids, bad input file, future dates
    rejected = 3,  ///< done, but some input rows were rejected
    busy = 4,      ///< another writer held the database longer than --wait
};

/// Base of every user-facing failure: a plain message and the exit code it maps to.
class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    /// The exit code this failure maps to.
    [[nodiscard]] ExitCode code() const noexcept { return m_code; }

private:
    ExitCode m_code;
};

/// A usage or configuration error (exit 2).
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(ExitCode::usage, message) {}
};

/// An I/O, database or internal failure (exit 1).
class FailedError : public Error {
public:
    explicit FailedError(const std::string& message) : Error(ExitCode::failed, message) {}
};

/// The database stayed locked by another writer for longer than --wait (exit 4).
class BusyError : public Error {
public:
    explicit BusyError(const std::string& message) : Error(ExitCode::busy, message) {}
};

/// The result of a parser or validator: a value, or a plain reason why the input is bad.
/// The caller adds file, line and column, which it knows and the parser does not.
template <typename T>
using Result = expected<T, std::string>;

/// Shorthand to return a failed Result.
inline unexpected<std::string> fail(std::string reason) {
    return unexpected<std::string>(std::move(reason));
}

}  // namespace rbl
