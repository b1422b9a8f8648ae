#pragma once
// Output files that hold personal data and must show what was written even when the run fails
// (the rejects file): created with mode 0600, never written through a symbolic link. A thin name
// for util::AtomicFile written in place (rbl/util/atomic_file.hpp holds the one implementation).

#include <filesystem>
#include <string_view>

#include "rbl/util/atomic_file.hpp"

namespace rbl::util {

/// A file opened for writing, truncated, with mode 0600 when this creates it. Refuses a path
/// whose last component is a symbolic link, so that a link planted where a cron job writes cannot
/// redirect personal data or clobber another file. Closed (errors ignored) by the destructor.
class PrivateOutputFile {
  public:
    /// Opens `path`. Throws UsageError when it is a symbolic link, a folder, or its folder does
    /// not exist; FailedError when it cannot be opened otherwise (permissions, disk). `what`
    /// names the file in messages ("the rejects file").
    PrivateOutputFile(const std::filesystem::path& path, std::string_view what);

    /// Appends `bytes`; throws FailedError when the write fails (disk full, I/O error).
    void write(std::string_view bytes) { m_file.write(bytes); }
    /// Flushes and closes; throws FailedError when that fails. Later writes are errors.
    void close() { m_file.commit(); }

  private:
    AtomicFile m_file;
};

}  // namespace rbl::util
