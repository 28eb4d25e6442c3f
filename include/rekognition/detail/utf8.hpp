// rekognition-cpp: UTF-8 validation and code point counting.
#ifndef REKOGNITION_DETAIL_UTF8_HPP
#define REKOGNITION_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Length (1-4) of the well-formed UTF-8 sequence starting at s[i], or 0 when
/// the bytes there are not one (truncated, overlong, surrogate, above
/// U+10FFFF, stray continuation byte). Requires i < s.size(). Thread-safe, no throw.
REKOGNITION_INLINE std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned c = byte(0);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  // The first continuation byte's range excludes overlong forms, surrogates
  // and code points above U+10FFFF (RFC 3629 table).
  unsigned low = 0x80, high = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    length = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    length = 3;
    if (c == 0xe0) low = 0xa0;
    if (c == 0xed) high = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    length = 4;
    if (c == 0xf0) low = 0x90;
    if (c == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (s.size() - i < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((byte(k) & 0xc0) != 0x80) return 0;
  return length;
}

/// Number of Unicode code points in `s` (the unit the Smithy length trait
/// counts), or nullopt when `s` is not valid UTF-8. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<std::size_t> Utf8CodePoints(std::string_view s) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const std::size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return std::nullopt;
    i += length;
  }
  return count;
}

/// True when `s` is valid UTF-8. ASCII text (an image's base64, an ARN) is
/// checked 8 bytes at a time. Thread-safe, no throw.
REKOGNITION_INLINE bool IsValidUtf8(std::string_view s) noexcept {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
  std::size_t i = 0;
  for (std::uint64_t word; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if ((word & kHighBits) != 0) break;
  }
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_UTF8_HPP
