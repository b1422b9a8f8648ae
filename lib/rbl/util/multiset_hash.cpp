#include "rbl/util/multiset_hash.hpp"

#include <openssl/evp.h>

#include <memory>

#include "rbl/util/error.hpp"
#include "rbl/util/hex.hpp"
#include "rbl/util/i18n.hpp"
#include "rbl/util/openssl_digests.hpp"

namespace rbl::util {

namespace {

using Limbs = std::array<std::uint64_t, MultisetHash::k_limbs>;

// A domain label, so that the expansion is not SHAKE256 of a bare hash used elsewhere.
constexpr std::string_view k_label = "rbl multiset v1\n";

struct ContextFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

Limbs expand(std::span<const std::uint8_t, 32> element) {
    // One context per thread, reused: creating one per element would cost more than hashing.
    thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
    std::array<std::uint8_t, MultisetHash::k_limbs * 8> bytes{};
    if (!ctx || EVP_DigestInit_ex(ctx.get(), shake256_digest(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), k_label.data(), k_label.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), element.data(), element.size()) != 1 ||
        EVP_DigestFinalXOF(ctx.get(), bytes.data(), bytes.size()) != 1) {
        throw FailedError(tr("cannot compute SHAKE256 (OpenSSL)"));
    }
    Limbs limbs{};
    for (std::size_t i = 0; i < limbs.size(); ++i) {
        std::uint64_t limb = 0;
        for (std::size_t b = 0; b < 8; ++b) {
            limb |= static_cast<std::uint64_t>(bytes[i * 8 + b]) << (8 * b);
        }
        limbs[i] = limb;
    }
    return limbs;
}

void add_limbs(Limbs& to, const Limbs& value) {
    unsigned carry = 0;
    for (std::size_t i = 0; i < to.size(); ++i) {
        const std::uint64_t sum = to[i] + value[i];
        const unsigned c1 = sum < to[i] ? 1U : 0U;
        const std::uint64_t with_carry = sum + carry;
        const unsigned c2 = with_carry < sum ? 1U : 0U;
        to[i] = with_carry;
        carry = c1 | c2;
    }
}

void subtract_limbs(Limbs& from, const Limbs& value) {
    unsigned borrow = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        const std::uint64_t difference = from[i] - value[i];
        const unsigned b1 = from[i] < value[i] ? 1U : 0U;
        const std::uint64_t with_borrow = difference - borrow;
        const unsigned b2 = difference < borrow ? 1U : 0U;
        from[i] = with_borrow;
        borrow = b1 | b2;
    }
}

}  // namespace

void MultisetHash::add(std::span<const std::uint8_t, 32> element) {
    add_limbs(m_limbs, expand(element));
}

void MultisetHash::remove(std::span<const std::uint8_t, 32> element) {
    subtract_limbs(m_limbs, expand(element));
}

void MultisetHash::add(const MultisetHash& other) { add_limbs(m_limbs, other.m_limbs); }

void MultisetHash::remove(const MultisetHash& other) { subtract_limbs(m_limbs, other.m_limbs); }

std::string MultisetHash::hex() const {
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(k_limbs * 16);
    for (std::size_t i = k_limbs; i-- > 0;) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            text.push_back(k_hex[(m_limbs[i] >> shift) & 0x0f]);
        }
    }
    return text;
}

std::optional<MultisetHash> MultisetHash::from_hex(std::string_view text) {
    if (text.size() != k_limbs * 16) {
        return std::nullopt;
    }
    MultisetHash hash;
    for (std::size_t i = 0; i < k_limbs; ++i) {
        std::uint64_t limb = 0;
        for (std::size_t d = 0; d < 16; ++d) {
            const int value = hex_value(text[i * 16 + d]);
            if (value < 0) {
                return std::nullopt;
            }
            limb = (limb << 4) | static_cast<std::uint64_t>(value);
        }
        hash.m_limbs[k_limbs - 1 - i] = limb;
    }
    return hash;
}

}  // namespace rbl::util
