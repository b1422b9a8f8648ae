#pragma once
// The OpenSSL digests rbl uses, fetched once per process. Passing EVP_sha256() or EVP_shake256()
// to EVP_DigestInit_ex makes OpenSSL 3 fetch the implementation from its provider store, under a
// lock, at every call ("implicit fetch", openssl-core(7)); a record's state hash and its
// multiset element are initialised once per record.

#include <openssl/evp.h>

namespace rbl::util {

/// SHA-256, fetched once (kept for the process's lifetime).
const EVP_MD* sha256_digest();
/// SHAKE256, fetched once (kept for the process's lifetime).
const EVP_MD* shake256_digest();

}  // namespace rbl::util
