#include "rbl/util/input.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/text.hpp"

namespace rbl::util {

namespace {

constexpr std::size_t k_block_size = 256 * 1024;

std::string errno_text(int code) {
    return std::strerror(code);
}

/// A file descriptor closed on destruction.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd;
};

/// The file opened, with its size and name for messages; reads raw bytes.
class RawFile {
public:
    explicit RawFile(const std::filesystem::path& path)
        : m_name(path.string()), m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (m_fd.get() < 0) {
            const int code = errno;
            const std::string message = trf("cannot open {}: {}", m_name, errno_text(code));
            if (code == ENOENT || code == ENOTDIR || code == ENAMETOOLONG || code == ELOOP) {
                throw UsageError(message);
            }
            throw FailedError(message);
        }
        struct stat info {};
        if (::fstat(m_fd.get(), &info) != 0) {
            throw FailedError(trf("cannot open {}: {}", m_name, errno_text(errno)));
        }
        if (S_ISDIR(info.st_mode)) {
            throw UsageError(trf("cannot open {}: {}", m_name, errno_text(EISDIR)));
        }
        m_total = S_ISREG(info.st_mode) ? static_cast<std::uint64_t>(info.st_size) : 0;
    }

    /// Reads up to `capacity` bytes; 0 at the end of the file.
    std::size_t read(char* buffer, std::size_t capacity) {
        for (;;) {
            const ssize_t count = ::read(m_fd.get(), buffer, capacity);
            if (count >= 0) {
                return static_cast<std::size_t>(count);
            }
            if (errno != EINTR) {
                throw FailedError(trf("cannot read {}: {}", m_name, errno_text(errno)));
            }
        }
    }

    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] std::uint64_t total() const { return m_total; }

private:
    std::string m_name;
    FileDescriptor m_fd;
    std::uint64_t m_total = 0;
};

/// A UTF-8 file passed through as it is.
class Utf8FileInput final : public TextInput {
public:
    explicit Utf8FileInput(const std::filesystem::path& path) : m_file(path) {}

    std::size_t read(char* buffer, std::size_t capacity) override {
        const std::size_t count = m_file.read(buffer, std::min(capacity, k_block_size));
        m_consumed += count;
        return count;
    }
    [[nodiscard]] std::uint64_t bytes_consumed() const override { return m_consumed; }
    [[nodiscard]] std::uint64_t total_bytes() const override { return m_file.total(); }

private:
    RawFile m_file;
    std::uint64_t m_consumed = 0;
};

/// A GB18030 file converted to UTF-8 with iconv(3), block by block. A multibyte sequence split
/// between two blocks is kept back (iconv says EINVAL) and completed by the next block.
class Gb18030FileInput final : public TextInput {
public:
    explicit Gb18030FileInput(const std::filesystem::path& path)
        : m_file(path), m_raw(k_block_size) {
        m_converter = ::iconv_open("UTF-8", "GB18030");
        if (m_converter == reinterpret_cast<iconv_t>(-1)) {
            throw FailedError(
                trf("cannot read {}: the C library has no GB18030 converter", m_file.name()));
        }
    }
    ~Gb18030FileInput() override { ::iconv_close(m_converter); }
    Gb18030FileInput(const Gb18030FileInput&) = delete;
    Gb18030FileInput& operator=(const Gb18030FileInput&) = delete;

    std::size_t read(char* buffer, std::size_t capacity) override {
        if (capacity == 0) {
            return 0;
        }
        if (m_pending_begin < m_pending_end) {
            return take_pending(buffer, capacity);
        }
        for (;;) {
            if (m_raw_begin == m_raw_end || m_need_more) {
                if (!refill()) {
                    if (m_raw_begin < m_raw_end) {
                        throw invalid_at(m_consumed);  // a sequence cut short by the end of file
                    }
                    return 0;
                }
            }
            bool output_full = false;
            const std::size_t produced = convert(buffer, capacity, output_full);
            if (produced > 0) {
                return produced;
            }
            if (output_full) {
                // The caller's buffer is smaller than one converted character: convert into a
                // small buffer of our own and hand it out piece by piece.
                m_pending_begin = 0;
                m_pending_end = convert(m_pending.data(), m_pending.size(), output_full);
                return take_pending(buffer, capacity);
            }
        }
    }
    [[nodiscard]] std::uint64_t bytes_consumed() const override { return m_consumed; }
    [[nodiscard]] std::uint64_t total_bytes() const override { return m_file.total(); }

private:
    /// Moves the unconverted tail to the front and reads the next block after it; false at EOF.
    bool refill() {
        if (m_raw_begin > 0) {
            std::memmove(m_raw.data(), m_raw.data() + m_raw_begin, m_raw_end - m_raw_begin);
            m_raw_end -= m_raw_begin;
            m_raw_begin = 0;
        }
        const std::size_t count = m_file.read(m_raw.data() + m_raw_end, m_raw.size() - m_raw_end);
        m_raw_end += count;
        m_need_more = false;
        return count > 0;
    }

    /// Converts what it can of the raw block into `out`; returns the bytes written.
    std::size_t convert(char* out, std::size_t capacity, bool& output_full) {
        char* in = m_raw.data() + m_raw_begin;
        std::size_t in_left = m_raw_end - m_raw_begin;
        char* out_next = out;
        std::size_t out_left = capacity;
        const std::size_t result = ::iconv(m_converter, &in, &in_left, &out_next, &out_left);
        const int code = errno;
        const auto converted = static_cast<std::size_t>(in - (m_raw.data() + m_raw_begin));
        m_raw_begin += converted;
        m_consumed += converted;
        if (result == static_cast<std::size_t>(-1)) {
            if (code == EILSEQ) {
                throw invalid_at(m_consumed);
            }
            if (code == EINVAL) {
                m_need_more = true;  // an incomplete sequence at the end of the block
            } else if (code == E2BIG) {
                output_full = true;
            } else {
                throw FailedError(
                    trf("cannot convert {} from GB18030: {}", m_file.name(), errno_text(code)));
            }
        }
        return capacity - out_left;
    }

    std::size_t take_pending(char* buffer, std::size_t capacity) {
        const std::size_t count = std::min(capacity, m_pending_end - m_pending_begin);
        std::memcpy(buffer, m_pending.data() + m_pending_begin, count);
        m_pending_begin += count;
        return count;
    }

    [[nodiscard]] UsageError invalid_at(std::uint64_t offset) const {
        return UsageError(trf("{}: byte offset {} is not valid GB18030", m_file.name(), offset));
    }

    RawFile m_file;
    iconv_t m_converter{};
    std::vector<char> m_raw;
    std::size_t m_raw_begin = 0;
    std::size_t m_raw_end = 0;
    bool m_need_more = false;
    std::uint64_t m_consumed = 0;  ///< source bytes converted so far
    std::array<char, 16> m_pending{};
    std::size_t m_pending_begin = 0;
    std::size_t m_pending_end = 0;
};

/// Bytes held in memory.
class MemoryInput final : public TextInput {
public:
    explicit MemoryInput(std::string_view bytes) : m_bytes(bytes) {}

    std::size_t read(char* buffer, std::size_t capacity) override {
        const std::size_t count = std::min(capacity, m_bytes.size() - m_pos);
        std::memcpy(buffer, m_bytes.data() + m_pos, count);
        m_pos += count;
        return count;
    }
    [[nodiscard]] std::uint64_t bytes_consumed() const override { return m_pos; }
    [[nodiscard]] std::uint64_t total_bytes() const override { return m_bytes.size(); }

private:
    std::string m_bytes;
    std::size_t m_pos = 0;
};

}  // namespace

std::unique_ptr<TextInput> open_text_input(const std::filesystem::path& path, Encoding encoding) {
    switch (encoding) {
        case Encoding::gb18030:
            return std::make_unique<Gb18030FileInput>(path);
        case Encoding::utf8:
            break;
    }
    return std::make_unique<Utf8FileInput>(path);
}

std::unique_ptr<TextInput> memory_text_input(std::string_view bytes) {
    return std::make_unique<MemoryInput>(bytes);
}

std::optional<Encoding> encoding_named(std::string_view name) {
    const std::string upper = to_upper_ascii(trim(name));
    if (upper == "UTF-8" || upper == "UTF8") {
        return Encoding::utf8;
    }
    // GBK (and its Windows code page 936) and GB2312 are subsets of GB18030.
    if (upper == "GB18030" || upper == "GBK" || upper == "GB2312" || upper == "CP936") {
        return Encoding::gb18030;
    }
    return std::nullopt;
}

}  // namespace rbl::util
