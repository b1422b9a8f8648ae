#pragma once
// The one way the library writes an output file (exports, manifests, per-department files, the
// report, the rejects file): private by default, never through a symbolic link, whole or nothing.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/util/sha256.hpp"

namespace rbl::util {

/// A file being written. With Placement::replace (the default) the bytes go to a temporary file
/// beside the path (created exclusively, never following a link, with the options' mode whatever
/// the umask) that commit() renames over the path, so that a failed or abandoned write leaves
/// neither a half-written file nor the temporary one; a symbolic link at the path is replaced,
/// never followed. A device or a pipe (/dev/null, a named pipe to another program) is written in
/// place, since renaming over it would replace it. Standard output is written as it comes.
/// Optionally hashes what it writes (SHA-256). The destructor closes, and removes the temporary
/// file unless committed; it never throws.
class AtomicFile {
  public:
    /// Where the bytes go.
    enum class Placement {
        /// A temporary file renamed into place by commit(): whole or nothing.
        replace,
        /// The path itself, truncated: for a file that must show what was written even when the
        /// run fails (the rejects file). A file this creates gets the mode; an existing one keeps
        /// its own; a symbolic link is refused (writing in place would follow it).
        in_place,
    };

    /// How to write.
    struct Options {
        unsigned mode = 0600;  ///< permission bits of a file this creates
        Placement placement = Placement::replace;
        bool hash = false;  ///< keep a running SHA-256 of the bytes written
        /// Names the file in messages, before its path ("the rejects file"); empty: the path alone.
        std::string what;
    };

    /// Opens `path` for writing. Throws UsageError when the path is a folder, its folder does not
    /// exist, or (in place) it is a symbolic link; FailedError when it cannot be opened or created
    /// otherwise (permissions, a leftover temporary file).
    AtomicFile(const std::filesystem::path& path, Options options);
    /// Standard output, written as it comes (commit() has nothing to put in place).
    static AtomicFile standard_output(bool hash);
    ~AtomicFile();
    AtomicFile(AtomicFile&&) noexcept;
    AtomicFile& operator=(AtomicFile&&) = delete;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends `bytes` (buffered); throws FailedError when a write fails (disk full, I/O error).
    void write(std::string_view bytes);
    /// Writes what is buffered and makes the file durable (fsync), not yet in place; returns the
    /// SHA-256 of all bytes written as hex ("" without Options::hash). Throws FailedError.
    std::string finish();
    /// Finishes when not yet finished, closes, and puts the file in place. Throws FailedError;
    /// the path then holds what it held before (replace). Later writes are errors.
    void commit();

    /// The temporary file while writing with Placement::replace, else empty (for tests).
    [[nodiscard]] const std::filesystem::path& temporary_path() const { return m_temp; }

  private:
    AtomicFile() = default;
    void open_in_place(unsigned mode);
    void open_replacing(unsigned mode);
    void check_folder() const;
    void flush();
    [[nodiscard]] std::string label() const;
    /// What failed, for the message.
    enum class Doing { open, write, put_in_place };
    [[noreturn]] void fail(Doing doing, int error) const;

    std::filesystem::path m_path;
    std::filesystem::path m_temp;  ///< set while a replacing write is under way
    std::string m_what;
    int m_fd = -1;
    bool m_stdout = false;
    bool m_finished = false;
    bool m_committed = false;
    std::string m_buffer;
    std::optional<Sha256> m_hash;
    std::string m_hex;
};

}  // namespace rbl::util
