#include "rbl/util/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "rbl/util/error.hpp"

namespace rbl::util {

PrivateOutputFile::PrivateOutputFile(const std::filesystem::path& path, std::string_view what)
    : m_name(path.string()), m_what(what) {
    std::error_code ec;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
        throw UsageError(fmt::format("{} {} is a symbolic link: refusing to write through it "
                                     "(give the real path)",
                                     m_what, m_name));
    }
    std::filesystem::path folder = path.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    if (!std::filesystem::is_directory(folder, ec)) {
        throw UsageError(fmt::format("cannot write {} {}: folder {} does not exist", m_what,
                                     m_name, folder.string()));
    }
    // O_NOFOLLOW closes the window between the check above and the open: a link planted in
    // between still fails (ELOOP).
    bool created = true;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        created = false;
        fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
        const int error = errno;
        if (error == ELOOP) {
            throw UsageError(fmt::format("{} {} is a symbolic link: refusing to write through "
                                         "it (give the real path)",
                                         m_what, m_name));
        }
        if (error == EISDIR) {
            throw UsageError(fmt::format("{} {} is a folder", m_what, m_name));
        }
        throw FailedError(fmt::format("cannot write {} {}: {}", m_what, m_name,
                                      std::strerror(error)));
    }
    // The umask may have taken bits off 0600; an existing file keeps the mode its owner gave it.
    if (created && ::fchmod(fd, 0600) != 0) {
        const int error = errno;
        ::close(fd);
        throw FailedError(fmt::format("cannot write {} {}: {}", m_what, m_name,
                                      std::strerror(error)));
    }
    m_file = ::fdopen(fd, "wb");
    if (m_file == nullptr) {
        const int error = errno;
        ::close(fd);
        throw FailedError(fmt::format("cannot write {} {}: {}", m_what, m_name,
                                      std::strerror(error)));
    }
}

PrivateOutputFile::~PrivateOutputFile() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

void PrivateOutputFile::write(std::string_view bytes) {
    if (m_file == nullptr) {
        throw FailedError(fmt::format("internal error: {} {} written after closing", m_what,
                                      m_name));
    }
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size()) {
        fail_write(errno);
    }
}

void PrivateOutputFile::close() {
    if (m_file == nullptr) {
        return;
    }
    std::FILE* file = m_file;
    m_file = nullptr;
    const bool failed = std::ferror(file) != 0;
    const int flushed = std::fflush(file);
    const int error = errno;
    const int closed = std::fclose(file);
    if (failed || flushed != 0 || closed != 0) {
        fail_write(error);
    }
}

void PrivateOutputFile::fail_write(int error) const {
    throw FailedError(fmt::format("cannot write {} {}: {}", m_what, m_name,
                                  error != 0 ? std::strerror(error) : "write error"));
}

}  // namespace rbl::util
