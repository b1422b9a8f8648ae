#pragma once
// SHA-256 through OpenSSL's libcrypto (a well-kept implementation beats a hand-written one).

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace rbl::util {

/// Incremental SHA-256: update() any number of times, then hex() or digest() once.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    /// Feeds bytes into the hash.
    void update(std::string_view bytes);
    /// Finishes and returns the 32-byte digest; the object can't be updated afterwards.
    std::array<std::uint8_t, 32> digest();
    /// Finishes and returns the digest as 64 lowercase hex characters.
    std::string hex();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// SHA-256 of a byte string, as 64 lowercase hex characters.
std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a whole file, as 64 lowercase hex characters. Throws FailedError if unreadable.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace rbl::util
