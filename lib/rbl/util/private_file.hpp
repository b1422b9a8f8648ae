#pragma once
// Output files that hold personal data (rejected rows, exports): created with mode 0600, never
// written through a symbolic link.

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

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
    ~PrivateOutputFile();
    PrivateOutputFile(const PrivateOutputFile&) = delete;
    PrivateOutputFile& operator=(const PrivateOutputFile&) = delete;

    /// Appends `bytes`; throws FailedError when the write fails (disk full, I/O error).
    void write(std::string_view bytes);
    /// Flushes and closes; throws FailedError when that fails. Later writes are errors.
    void close();

private:
    [[noreturn]] void fail_write(int error) const;

    std::FILE* m_file = nullptr;
    std::string m_name;
    std::string m_what;
};

}  // namespace rbl::util
