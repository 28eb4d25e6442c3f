// rekognition-cpp: locale-independent ASCII case handling.
#ifndef REKOGNITION_DETAIL_ASCII_HPP
#define REKOGNITION_DETAIL_ASCII_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// `c` with A-Z mapped to a-z; every other byte unchanged (no locale).
/// Thread-safe.
constexpr char AsciiToLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Appends `text` to `out` with A-Z lowered. Throws std::bad_alloc. Thread-safe.
/// Lower-cases the ASCII letters among 8 bytes at once (bytes >= 0x80 are
/// left alone). No throw.
constexpr std::uint64_t AsciiToLower8(std::uint64_t bytes) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
  const std::uint64_t low7 = bytes & ~kHighBits;
  // Per byte, bit 7 of `at_least_a` is set when low7 >= 'A', of `above_z`
  // when low7 > 'Z' (no carry crosses bytes: low7 + 0x3f or 0x25 < 0x100).
  const std::uint64_t at_least_a = low7 + (0x80 - 'A') * kOnes;
  const std::uint64_t above_z = low7 + (0x7f - 'Z') * kOnes;
  const std::uint64_t upper = (at_least_a & ~above_z) & ~bytes & kHighBits;
  return bytes | (upper >> 2);
}

REKOGNITION_INLINE void AppendAsciiLower(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + text.size());
  char* to = &out[start];
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    word = AsciiToLower8(word);
    std::memcpy(to + i, &word, 8);
  }
  for (; i < text.size(); ++i) to[i] = AsciiToLower(text[i]);
}

/// `text` with A-Z lowered. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string AsciiLower(std::string_view text) {
  std::string out;
  AppendAsciiLower(out, text);
  return out;
}

/// True when `a` and `b` are equal ignoring ASCII case. Thread-safe.
REKOGNITION_INLINE bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) return false;
  return true;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_ASCII_HPP
