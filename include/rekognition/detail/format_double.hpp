// rekognition-cpp: doubles formatted the way Python prints them.
#ifndef REKOGNITION_DETAIL_FORMAT_DOUBLE_HPP
#define REKOGNITION_DETAIL_FORMAT_DOUBLE_HPP

#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>

#include "rekognition/detail/double_conversion.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Writes `value` the way Python's repr() (and so json.dumps and the aws CLI)
/// does: the shortest digits that read back exactly, in positional notation
/// for decimal exponents -4..15 ("100.0", "0.0001") and scientific otherwise
/// ("1e-05", "1.5e+16"); "nan", "inf", "-inf" for non-finite values.
/// `out` needs 32 chars. Returns the length. Thread-safe, no throw.
REKOGNITION_INLINE std::size_t FormatPythonDouble(double value, char* out) noexcept {
  if (std::isnan(value)) {
    std::memcpy(out, "nan", 3);
    return 3;
  }
  if (std::isinf(value)) {
    std::memcpy(out, value < 0 ? "-inf" : "inf", value < 0 ? 4 : 3);
    return value < 0 ? 4 : 3;
  }
  // Shortest round-trip digits first, then lay them out Python-style.
  const ShortestDecimal decimal = ShortestDigits(value);
  const char* const digits = decimal.digits;
  const int count = decimal.count;
  const int exponent = decimal.exponent;
  char* o = out;
  if (std::signbit(value)) *o++ = '-';

  if (exponent >= 16 || exponent < -4) {
    *o++ = digits[0];
    if (count > 1) {
      *o++ = '.';
      for (int i = 1; i < count; ++i) *o++ = digits[i];
    }
    *o++ = 'e';
    *o++ = exponent < 0 ? '-' : '+';
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) *o++ = '0';
    o = WriteSmallInteger(o, magnitude);
  } else if (exponent >= 0) {
    for (int i = 0; i <= exponent; ++i) *o++ = i < count ? digits[i] : '0';
    *o++ = '.';
    if (count > exponent + 1) {
      for (int i = exponent + 1; i < count; ++i) *o++ = digits[i];
    } else {
      *o++ = '0';
    }
  } else {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -exponent - 1; ++i) *o++ = '0';
    for (int i = 0; i < count; ++i) *o++ = digits[i];
  }
  return static_cast<std::size_t>(o - out);
}

/// FormatPythonDouble as a string. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string PythonDoubleString(double value) {
  char buffer[32];
  return std::string(buffer, FormatPythonDouble(value, buffer));
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_FORMAT_DOUBLE_HPP
