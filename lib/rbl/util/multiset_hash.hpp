#pragma once
// An order-independent hash of a multiset of 32-byte hashes (an additive "AdHash"): each element
// is expanded with SHAKE256 to 2048 bits and the expansions are added modulo 2^2048. Adding and
// removing commute, so a digest can be kept while writing in any order and brought up to date
// by changes ("minus the old version, plus the new") without reading anything again.
//
// Why 2048 bits and not the sum of SHA-256 digests modulo 2^256: an additive hash over n bits
// can be forged by balancing k chosen elements with Wagner's generalised birthday attack in
// about 2^(n / (1 + log2 k)) work per list; with k in the thousands (records of one batch) that
// is easy for n = 256 and out of reach for n = 2048. The expansion costs about one more short
// hash per element.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rbl::util {

/// A multiset digest: add() and remove() elements in any order; equal multisets give equal
/// digests. The empty multiset's digest is all zeros.
class MultisetHash {
public:
    static constexpr std::size_t k_limbs = 32;  ///< 32 x 64 bits = 2048 bits

    /// Adds one element (a 32-byte hash).
    void add(std::span<const std::uint8_t, 32> element);
    /// Removes one element (the inverse of add()).
    void remove(std::span<const std::uint8_t, 32> element);
    /// Adds every element of another digest.
    void add(const MultisetHash& other);
    /// Removes every element of another digest.
    void remove(const MultisetHash& other);

    /// The digest as 512 lowercase hex characters (most significant first).
    [[nodiscard]] std::string hex() const;
    /// A digest from hex(); nullopt when the text is not 512 hex characters.
    static std::optional<MultisetHash> from_hex(std::string_view text);

    bool operator==(const MultisetHash&) const = default;

private:
    std::array<std::uint64_t, k_limbs> m_limbs{};  ///< little-endian limbs
};

}  // namespace rbl::util
