#include "rbl/util/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::util {

namespace {

// Writes go out in chunks of this size; a larger single write goes out at once. Small enough
// that a failing device reports a large write when it is made, large enough to keep system calls
// few on an export of millions of rows.
constexpr std::size_t k_flush_bytes = 1 << 16;

std::string reason(int error) {
    if (error == 0) {
        return tr("write error");
    }
    if (error == ENOSPC) {
        return trf("the disk is full ({})", std::strerror(error));
    }
    return std::strerror(error);
}

}  // namespace

AtomicFile::AtomicFile(const std::filesystem::path& path, Options options)
    : m_path(path), m_what(std::move(options.what)) {
    if (options.hash) {
        m_hash.emplace();
    }
    if (options.placement == Placement::in_place) {
        open_in_place(options.mode);
    } else {
        open_replacing(options.mode);
    }
}

AtomicFile AtomicFile::standard_output(bool hash) {
    AtomicFile file;
    file.m_path = "stdout";
    file.m_stdout = true;
    if (hash) {
        file.m_hash.emplace();
    }
    return file;
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_temp(std::exchange(other.m_temp, {})),
      m_what(std::move(other.m_what)),
      m_fd(std::exchange(other.m_fd, -1)),
      m_stdout(std::exchange(other.m_stdout, false)),
      m_finished(other.m_finished),
      m_committed(other.m_committed),
      m_buffer(std::move(other.m_buffer)),
      m_hash(std::move(other.m_hash)),
      m_hex(std::move(other.m_hex)) {}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_temp.empty() && !m_committed) {
        ::unlink(m_temp.c_str());
    }
}

std::string AtomicFile::label() const {
    return m_what.empty() ? m_path.string() : fmt::format("{} {}", m_what, m_path.string());
}

void AtomicFile::fail(Doing doing, int error) const {
    switch (doing) {
        case Doing::open:
            throw FailedError(trf("cannot open {}: {}", label(), reason(error)));
        case Doing::put_in_place:
            throw FailedError(trf("cannot put in place {}: {}", label(), reason(error)));
        case Doing::write:
            break;
    }
    throw FailedError(trf("cannot write {}: {}", label(), reason(error)));
}

void AtomicFile::check_folder() const {
    std::filesystem::path folder = m_path.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        throw UsageError(
            trf("cannot write {}: folder {} does not exist", label(), folder.string()));
    }
}

void AtomicFile::open_in_place(unsigned mode) {
    const std::string symlink_refused =
        trf("{} is a symbolic link: refusing to write through it (give the real path)", label());
    std::error_code ec;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(m_path, ec))) {
        throw UsageError(symlink_refused);
    }
    check_folder();
    // O_NOFOLLOW closes the window between the check above and the open: a link planted in
    // between still fails (ELOOP).
    bool created = true;
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (m_fd < 0 && errno == EEXIST) {
        created = false;
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
    }
    if (m_fd < 0) {
        const int error = errno;
        if (error == ELOOP) {
            throw UsageError(symlink_refused);
        }
        if (error == EISDIR) {
            throw UsageError(trf("{} is a folder", label()));
        }
        fail(Doing::write, error);
    }
    // The umask may have taken bits off the mode; an existing file keeps the mode its owner gave.
    if (created && ::fchmod(m_fd, mode) != 0) {
        fail(Doing::write, errno);
    }
}

void AtomicFile::open_replacing(unsigned mode) {
    struct stat existing {};
    if (::lstat(m_path.c_str(), &existing) == 0) {
        if (S_ISDIR(existing.st_mode)) {
            throw UsageError(trf("{} is a folder", label()));
        }
        if (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode) || S_ISSOCK(existing.st_mode)) {
            // Renaming a file over a device or a pipe would replace it: write it in place.
            m_fd = ::open(m_path.c_str(), O_WRONLY | O_CLOEXEC);
            if (m_fd < 0) {
                fail(Doing::open, errno);
            }
            return;
        }
    }
    check_folder();
    // O_EXCL|O_NOFOLLOW: never reuse or follow whatever is planted at the temporary name. The
    // rename later replaces a link at the path itself, never what it points to.
    const std::filesystem::path temp = fmt::format("{}.tmp-{}", m_path.string(), ::getpid());
    m_fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (m_fd < 0) {
        throw FailedError(trf("cannot create {}: {}", temp.string(), std::strerror(errno)));
    }
    m_temp = temp;
    if (::fchmod(m_fd, mode) != 0) {  // whatever the umask
        fail(Doing::write, errno);
    }
}

void AtomicFile::write(std::string_view bytes) {
    if (m_finished) {
        throw FailedError(trf("internal error: {} written after finishing", label()));
    }
    m_buffer += bytes;
    if (m_buffer.size() >= k_flush_bytes) {
        flush();
    }
}

void AtomicFile::flush() {
    if (m_hash) {
        m_hash->update(m_buffer);
    }
    std::string_view rest = m_buffer;
    while (!rest.empty()) {
        errno = 0;
        const ssize_t written =
            m_stdout ? static_cast<ssize_t>(std::fwrite(rest.data(), 1, rest.size(), stdout))
                     : ::write(m_fd, rest.data(), rest.size());
        if (written <= 0) {
            if (!m_stdout && errno == EINTR) {
                continue;
            }
            fail(Doing::write, errno);
        }
        rest.remove_prefix(static_cast<std::size_t>(written));
    }
    m_buffer.clear();
}

std::string AtomicFile::finish() {
    if (m_finished) {
        return m_hex;
    }
    flush();
    if (m_stdout) {
        errno = 0;
        if (std::fflush(stdout) != 0) {
            fail(Doing::write, errno);
        }
    } else if (!m_temp.empty() && ::fsync(m_fd) != 0) {  // a regular file, not a pipe
        fail(Doing::write, errno);
    }
    m_finished = true;
    if (m_hash) {
        m_hex = m_hash->hex();
    }
    return m_hex;
}

void AtomicFile::commit() {
    if (m_committed) {
        return;
    }
    try {
        finish();
        if (m_fd >= 0) {
            const int closed = ::close(m_fd);
            m_fd = -1;
            if (closed != 0) {
                fail(Doing::write, errno);
            }
        }
        if (!m_temp.empty() && ::rename(m_temp.c_str(), m_path.c_str()) != 0) {
            fail(Doing::put_in_place, errno);
        }
    } catch (...) {
        // A failed commit leaves no temporary file behind, even while the caller still holds
        // this object.
        if (!m_temp.empty()) {
            ::unlink(m_temp.c_str());
        }
        throw;
    }
    m_committed = true;
}

}  // namespace rbl::util
