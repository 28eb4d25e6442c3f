// rekognition-cpp: random version-4 UUIDs for amz-sdk-invocation-id.
#ifndef REKOGNITION_DETAIL_UUID_HPP
#define REKOGNITION_DETAIL_UUID_HPP

#include <cstdint>
#include <random>
#include <string>

#include "rekognition/detail/random.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// A random RFC 4122 version-4 UUID in lower-case 8-4-4-4-12 form, from
/// RandomEngine (OS-seeded, reseeded after fork). Thread-safe.
REKOGNITION_INLINE std::string RandomUuid() {
  std::mt19937_64& engine = RandomEngine();
  std::uint64_t high = engine();
  std::uint64_t low = engine();
  high = (high & ~std::uint64_t{0xF000}) | 0x4000;                         // version 4
  low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  char* p = text;
  for (int i = 60; i >= 0; i -= 4) {
    *p++ = kHex[(high >> i) & 0xF];
    if (i == 32 || i == 16) *p++ = '-';
  }
  *p++ = '-';
  for (int i = 60; i >= 0; i -= 4) {
    *p++ = kHex[(low >> i) & 0xF];
    if (i == 48) *p++ = '-';
  }
  std::string out(text, sizeof text);
  return out;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_UUID_HPP
