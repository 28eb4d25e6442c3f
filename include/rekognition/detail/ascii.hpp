// rekognition-cpp: locale-independent ASCII case handling.
#ifndef REKOGNITION_DETAIL_ASCII_HPP
#define REKOGNITION_DETAIL_ASCII_HPP

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
REKOGNITION_INLINE void AppendAsciiLower(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.resize(start + text.size());
  char* to = &out[start];
  for (std::size_t i = 0; i < text.size(); ++i) to[i] = AsciiToLower(text[i]);
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
