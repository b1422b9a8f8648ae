#pragma once
// Byte sources for the importers: a file read in large blocks, optionally converted from
// GB18030 to UTF-8 on the fly (with the C library's iconv, so no extra dependency).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace rbl::util {

/// A stream of UTF-8 bytes read in chunks.
class TextInput {
public:
    virtual ~TextInput() = default;
    /// Copies up to `capacity` bytes into `buffer`; returns 0 at the end of input.
    /// Throws FailedError on a read error, UsageError on bytes that are not valid in the source
    /// encoding (naming the byte offset).
    virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
    /// Bytes of the underlying file consumed so far (for progress).
    [[nodiscard]] virtual std::uint64_t bytes_consumed() const = 0;
    /// Size of the underlying file in bytes (0 when unknown, e.g. a pipe).
    [[nodiscard]] virtual std::uint64_t total_bytes() const = 0;
};

/// Source encodings rbl-import understands.
enum class Encoding { utf8, gb18030 };

/// The encoding a name given by people means, in any case: "utf-8" and "utf8" are UTF-8;
/// "gb18030", and its subsets "gbk", "gb2312" and "cp936", are read as GB18030. nullopt for any
/// other name.
std::optional<Encoding> encoding_named(std::string_view name);

/// Opens `path` for reading as `encoding`, delivering UTF-8. Throws UsageError when the file
/// does not exist or is a directory, FailedError when it cannot be read.
std::unique_ptr<TextInput> open_text_input(const std::filesystem::path& path, Encoding encoding);

/// A TextInput over bytes in memory (for tests and fuzzing).
std::unique_ptr<TextInput> memory_text_input(std::string_view bytes);

}  // namespace rbl::util
