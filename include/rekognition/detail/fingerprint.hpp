// rekognition-cpp: SHA-256 fingerprints of byte strings, for the test
// utilities (stub diffs, recordings) that must name an image without
// printing or storing it.
#ifndef REKOGNITION_DETAIL_FINGERPRINT_HPP
#define REKOGNITION_DETAIL_FINGERPRINT_HPP

#include <openssl/evp.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Lower-case hex SHA-256 of `bytes` (64 characters). Throws
/// std::runtime_error only if OpenSSL itself fails. Thread-safe.
REKOGNITION_INLINE std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  constexpr char kHex[] = "0123456789abcdef";
  std::string hex(static_cast<std::size_t>(length) * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

/// How many hex digits of the hash DescribeBytes shows: enough to tell two
/// images apart at a glance, short enough to read.
inline constexpr std::size_t kFingerprintPrefix = 12;

/// "N bytes, sha256 0123456789ab..." : names a blob (an image) by size and
/// hash prefix, never by content. Thread-safe.
REKOGNITION_INLINE std::string DescribeBytes(std::string_view bytes) {
  return std::to_string(bytes.size()) + " bytes, sha256 " +
         Sha256Hex(bytes).substr(0, kFingerprintPrefix) + "...";
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_FINGERPRINT_HPP
