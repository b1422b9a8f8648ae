#include "rbl/util/sha256.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "rbl/util/error.hpp"
#include "rbl/util/hex.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/openssl_digests.hpp"

namespace rbl::util {

namespace {

// The digest, or failing that the legacy object (which fetches at each use), never null.
const EVP_MD* fetch_once(const char* name, const EVP_MD* legacy) {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, name, nullptr);
    if (fetched == nullptr) {
        ERR_clear_error();  // the failed fetch's error is not this caller's
        return legacy;
    }
    return fetched;
}

}  // namespace

const EVP_MD* sha256_digest() {
    static const EVP_MD* const digest = fetch_once("SHA256", EVP_sha256());
    return digest;
}

const EVP_MD* shake256_digest() {
    static const EVP_MD* const digest = fetch_once("SHAKE256", EVP_shake256());
    return digest;
}

struct Sha256::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
    m_impl->ctx = EVP_MD_CTX_new();
    if (m_impl->ctx == nullptr || EVP_DigestInit_ex(m_impl->ctx, sha256_digest(), nullptr) != 1) {
        throw FailedError(tr("cannot initialise SHA-256 (OpenSSL)"));
    }
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
    EVP_DigestUpdate(m_impl->ctx, bytes.data(), bytes.size());
}

std::array<std::uint8_t, 32> Sha256::digest() {
    std::array<std::uint8_t, 32> out{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_impl->ctx, out.data(), &length);
    return out;
}

std::string Sha256::hex() {
    const auto bytes = digest();
    return to_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 hash;
    hash.update(bytes);
    return hash.hex();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        throw FailedError(trf("cannot read {}: {}", path.string(), std::strerror(errno)));
    }
    Sha256 hash;
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        hash.update(std::string_view(buffer, n));
    }
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
        throw FailedError(trf("cannot read {}", path.string()));
    }
    return hash.hex();
}

}  // namespace rbl::util
