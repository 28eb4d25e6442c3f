// rekognition-cpp: exact, locale-independent conversions between doubles and
// decimal text, with or without floating-point <charconv>.
#ifndef REKOGNITION_DETAIL_DOUBLE_CONVERSION_HPP
#define REKOGNITION_DETAIL_DOUBLE_CONVERSION_HPP

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/strtod.h>

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <system_error>
#if defined(__has_include)
#if __has_include(<version>)
#include <version>
#endif
#endif

#include "rekognition/version.hpp"

/// 1 when the standard library has floating-point std::from_chars and
/// std::to_chars (libstdc++ 11+, libc++ 20+, MSVC), else 0. The feature macro
/// __cpp_lib_to_chars is not set reliably, so the library version decides.
#if defined(_MSC_VER)
#define REKOGNITION_STD_FLOAT_CHARCONV 1
#elif defined(_LIBCPP_VERSION)
#if _LIBCPP_VERSION >= 200000
#define REKOGNITION_STD_FLOAT_CHARCONV 1
#else
#define REKOGNITION_STD_FLOAT_CHARCONV 0
#endif
#elif defined(_GLIBCXX_RELEASE)
#if _GLIBCXX_RELEASE >= 11
#define REKOGNITION_STD_FLOAT_CHARCONV 1
#else
#define REKOGNITION_STD_FLOAT_CHARCONV 0
#endif
#else
#define REKOGNITION_STD_FLOAT_CHARCONV 0
#endif

/// 1 when the conversions below use floating-point <charconv>. Defining
/// REKOGNITION_NO_FLOAT_CHARCONV selects the portable implementation
/// (RapidJSON's Grisu2 and full-precision conversion, the C library's exactly
/// rounded "%.*e") even where <charconv> has them; both give identical
/// results. All translation units of a program should agree on it.
#if defined(REKOGNITION_NO_FLOAT_CHARCONV)
#define REKOGNITION_FLOAT_CHARCONV 0
#else
#define REKOGNITION_FLOAT_CHARCONV REKOGNITION_STD_FLOAT_CHARCONV
#endif

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// The shortest decimal digits that read back as a double: value =
/// digits[0].digits[1..count) x 10^exponent, no trailing zeros (zero is "0").
struct ShortestDecimal {
  char digits[24];
  int count = 0;
  int exponent = 0;
};

/// The outcome of ParseDecimalDouble.
enum class DecimalParse { kOk, kOverflow, kInvalid };

/// Significant digits the portable parser keeps; any further non-zero digit
/// becomes one sticky digit. A double's rounding boundaries have at most 767
/// significant digits, so the result is still exact.
inline constexpr std::size_t kMaxParsedDigits = 779;

/// (2^1024 - 2^970): the smallest value that rounds to infinity.
inline constexpr char kDoubleOverflowDigits[] =
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977"
    "587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845"
    "817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559"
    "699508093042880177904174497792";

/// True when digits x 10^(309 - count) (count digits, no trailing zeros)
/// is below kDoubleOverflowDigits.
REKOGNITION_INLINE bool BelowDoubleOverflow(const char* digits, std::size_t count) noexcept {
  constexpr std::size_t kLength = sizeof kDoubleOverflowDigits - 1;
  for (std::size_t i = 0; i < kLength; ++i) {
    const char digit = i < count ? digits[i] : '0';
    if (digit != kDoubleOverflowDigits[i]) return digit < kDoubleOverflowDigits[i];
  }
  return false;  // equal or above; a tie rounds to even, which is infinity
}

/// A non-negative integer of up to 5120 bits, just enough arithmetic to
/// compare a decimal with a binary value exactly. RapidJSON 1.1's own
/// BigInteger is not used: its shift by a multiple of 64 bits moves the wrong
/// words (wrong results, and writes past its end for long inputs).
class ExactInteger {
 public:
  explicit ExactInteger(std::uint64_t value) noexcept {
    limbs_[0] = static_cast<std::uint32_t>(value);
    limbs_[1] = static_cast<std::uint32_t>(value >> 32);
    size_ = limbs_[1] != 0 ? 2 : (limbs_[0] != 0 ? 1 : 0);
  }

  /// this = this * factor + addend; false if it would not fit.
  bool MultiplyAdd(std::uint32_t factor, std::uint32_t addend) noexcept {
    std::uint64_t carry = addend;
    for (int i = 0; i < size_; ++i) {
      const std::uint64_t t = static_cast<std::uint64_t>(limbs_[i]) * factor + carry;
      limbs_[i] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) {
      if (size_ == kLimbs) return false;
      limbs_[size_++] = static_cast<std::uint32_t>(carry);
    }
    return true;
  }

  /// this *= 5^exponent; false if it would not fit.
  bool MultiplyPow5(int exponent) noexcept {
    constexpr std::uint32_t kPow5[14] = {1,       5,        25,        125,       625,
                                         3125,    15625,    78125,     390625,    1953125,
                                         9765625, 48828125, 244140625, 1220703125};
    for (; exponent >= 13; exponent -= 13)
      if (!MultiplyAdd(kPow5[13], 0)) return false;
    return MultiplyAdd(kPow5[exponent], 0);
  }

  /// this <<= bits; false if it would not fit.
  bool ShiftLeft(int bits) noexcept {
    if (size_ == 0 || bits == 0) return true;
    const int words = bits / 32;
    const int rest = bits % 32;
    const int top = size_ + words + 1;
    if (top > kLimbs) return false;
    limbs_[top - 1] = 0;
    for (int i = size_ - 1; i >= 0; --i) {
      const std::uint64_t wide = static_cast<std::uint64_t>(limbs_[i]) << rest;
      limbs_[i + words + 1] |= static_cast<std::uint32_t>(wide >> 32);
      limbs_[i + words] = static_cast<std::uint32_t>(wide);
    }
    for (int i = 0; i < words; ++i) limbs_[i] = 0;
    size_ = top;
    while (size_ > 0 && limbs_[size_ - 1] == 0) --size_;
    return true;
  }

  /// -1, 0 or 1 as this is below, equal to or above `other`.
  int Compare(const ExactInteger& other) const noexcept {
    if (size_ != other.size_) return size_ < other.size_ ? -1 : 1;
    for (int i = size_ - 1; i >= 0; --i)
      if (limbs_[i] != other.limbs_[i]) return limbs_[i] < other.limbs_[i] ? -1 : 1;
    return 0;
  }

 private:
  static constexpr int kLimbs = 160;
  std::uint32_t limbs_[kLimbs] = {};
  int size_ = 0;
};

/// Compares digits x 10^scale (count <= 780 digits) with mantissa x 2^exponent
/// exactly: -1, 0 or 1. No throw.
REKOGNITION_INLINE int CompareDecimalWithBinary(const char* digits, std::size_t count, int scale,
                                                std::uint64_t mantissa, int exponent) noexcept {
  ExactInteger decimal(0);
  for (std::size_t i = 0; i < count;) {
    std::uint32_t chunk = 0;
    std::uint32_t factor = 1;
    for (int n = 0; n < 9 && i < count; ++n, ++i) {
      chunk = chunk * 10 + static_cast<std::uint32_t>(digits[i] - '0');
      factor *= 10;
    }
    decimal.MultiplyAdd(factor, chunk);
  }
  ExactInteger binary(mantissa);
  int decimal_twos = 0;
  int binary_twos = exponent;
  if (scale >= 0) {
    decimal.MultiplyPow5(scale);
    decimal_twos += scale;
  } else {
    binary.MultiplyPow5(-scale);
    binary_twos -= scale;
  }
  const int common = decimal_twos < binary_twos ? decimal_twos : binary_twos;
  decimal.ShiftLeft(decimal_twos - common);
  binary.ShiftLeft(binary_twos - common);
  return decimal.Compare(binary);
}

/// The double nearest to digits x 10^scale, where digits (1..780 of them) has
/// no leading or trailing zero. Returns kOverflow above the largest double;
/// values below half the smallest subnormal are 0. RapidJSON's fast path and
/// DiyFp approximation give a first guess; exact comparisons with the
/// midpoints to its neighbours settle it (ties to even). No throw.
REKOGNITION_INLINE DecimalParse DecimalToDouble(const char* digits, std::size_t count,
                                                std::int64_t scale, double& out) noexcept {
  const std::int64_t magnitude = static_cast<std::int64_t>(count) + scale;
  if (magnitude > 309 || (magnitude == 309 && !BelowDoubleOverflow(digits, count)))
    return DecimalParse::kOverflow;
  if (magnitude <= -324) {  // below 1e-324: under half the smallest subnormal
    out = 0.0;
    return DecimalParse::kOk;
  }
  const int exponent = static_cast<int>(scale);
  if (count <= 15) {  // an exact significand: the fast path is exact when it applies
    double significand = 0;
    for (std::size_t i = 0; i < count; ++i) significand = significand * 10 + (digits[i] - '0');
    if (rapidjson::internal::StrtodFast(significand, exponent, &out)) return DecimalParse::kOk;
  }
  // DiyFp cannot represent results below the smallest subnormals (under
  // 1e-322, twenty steps above zero): start those from zero.
  double guess = 0;
  if (magnitude > -322) rapidjson::internal::StrtodDiyFp(digits, count, count, exponent, &guess);
  if (std::signbit(guess) || !(guess <= DBL_MAX)) guess = DBL_MAX;  // (never expected)
  constexpr std::uint64_t kHidden = std::uint64_t{1} << 52;
  for (int step = 0; step < 32; ++step) {
    std::uint64_t bits;
    std::memcpy(&bits, &guess, sizeof bits);
    const int biased = static_cast<int>(bits >> 52);
    const std::uint64_t mantissa =
        biased == 0 ? (bits & (kHidden - 1)) : ((bits & (kHidden - 1)) | kHidden);
    const int binary_exponent = biased == 0 ? -1074 : biased - 1075;
    const bool odd = (mantissa & 1) != 0;
    if (guess < DBL_MAX) {  // (above DBL_MAX was ruled out against the overflow threshold)
      const int up =
          CompareDecimalWithBinary(digits, count, exponent, 2 * mantissa + 1, binary_exponent - 1);
      if (up > 0 || (up == 0 && odd)) {
        guess = std::nextafter(guess, DBL_MAX);
        continue;
      }
    }
    if (guess > 0) {
      const bool narrow = mantissa == kHidden && biased > 1;  // below a power of two
      const int down = narrow ? CompareDecimalWithBinary(digits, count, exponent, 4 * mantissa - 1,
                                                         binary_exponent - 2)
                              : CompareDecimalWithBinary(digits, count, exponent, 2 * mantissa - 1,
                                                         binary_exponent - 1);
      if (down < 0 || (down == 0 && odd)) {
        guess = std::nextafter(guess, 0.0);
        continue;
      }
    }
    break;
  }
  out = guess;
  return DecimalParse::kOk;
}

/// Parses a JSON number into the nearest double (round half to even) without
/// <charconv> and without RapidJSON's own number scanner. The significant
/// digits are first copied into a bounded buffer, so no length or exponent in
/// the text can make the conversion read or write out of bounds. No throw.
REKOGNITION_INLINE DecimalParse ParseDecimalDoublePortable(std::string_view text,
                                                           double& out) noexcept {
  const char* p = text.data();
  const char* const end = p + text.size();
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  if (p == end || !is_digit(*p)) return DecimalParse::kInvalid;
  char digits[kMaxParsedDigits + 1];
  std::size_t count = 0;
  bool sticky = false;
  std::int64_t scale = 0;
  const auto take = [&](char c, bool fraction) {
    if (count == 0 && c == '0') {  // a leading zero
      if (fraction) --scale;
    } else if (count < kMaxParsedDigits) {
      digits[count++] = c;
      if (fraction) --scale;
    } else {
      if (c != '0') sticky = true;
      if (!fraction) ++scale;
    }
  };
  for (; p < end && is_digit(*p); ++p) take(*p, false);
  if (p < end && *p == '.') {
    ++p;
    if (p == end || !is_digit(*p)) return DecimalParse::kInvalid;
    for (; p < end && is_digit(*p); ++p) take(*p, true);
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative_exponent = false;
    if (p < end && (*p == '+' || *p == '-')) negative_exponent = *p++ == '-';
    if (p == end || !is_digit(*p)) return DecimalParse::kInvalid;
    std::int64_t exponent = 0;
    for (; p < end && is_digit(*p); ++p)
      if (exponent < 1000000000) exponent = exponent * 10 + (*p - '0');
    scale += negative_exponent ? -exponent : exponent;
  }
  if (p != end) return DecimalParse::kInvalid;
  if (sticky) {
    digits[count++] = '1';
    --scale;
  }
  while (count > 0 && digits[count - 1] == '0') {
    --count;
    ++scale;
  }
  double value = 0.0;
  if (count > 0) {
    const DecimalParse result = DecimalToDouble(digits, count, scale, value);
    if (result != DecimalParse::kOk) return result;
  }
  out = negative ? -value : value;
  return DecimalParse::kOk;
}

/// Parses the digits of "%.*e" output (locale decimal separator skipped).
REKOGNITION_INLINE void ReadScientific(const char* text, ShortestDecimal& out) noexcept {
  out.count = 0;
  const char* p = text;
  for (; *p != '\0' && *p != 'e'; ++p)
    if (*p >= '0' && *p <= '9' && out.count < 20) out.digits[out.count++] = *p;
  int exponent = 0;
  bool negative = false;
  if (*p == 'e') ++p;
  if (*p == '-' || *p == '+') negative = *p++ == '-';
  for (; *p >= '0' && *p <= '9'; ++p) exponent = exponent * 10 + (*p - '0');
  out.exponent = negative ? -exponent : exponent;
}

/// The value of `decimal` as a double.
REKOGNITION_INLINE double DecimalValue(const ShortestDecimal& decimal) noexcept {
  double value = 0.0;
  std::size_t count = static_cast<std::size_t>(decimal.count);
  while (count > 1 && decimal.digits[count - 1] == '0') --count;
  if (decimal.digits[0] == '0') return 0.0;
  const std::int64_t scale =
      static_cast<std::int64_t>(decimal.exponent) - static_cast<std::int64_t>(count) + 1;
  if (DecimalToDouble(decimal.digits, count, scale, value) != DecimalParse::kOk) return HUGE_VAL;
  return value;
}

/// Moves `decimal` one unit in its last digit up or down, staying at the same
/// number of significant digits (999 -> 1.00e+1, 1.00 -> 9.99e-1).
REKOGNITION_INLINE void StepDecimal(ShortestDecimal& decimal, bool up) noexcept {
  char* const digits = decimal.digits;
  const int count = decimal.count;
  if (up) {
    int i = count - 1;
    while (i >= 0 && digits[i] == '9') digits[i--] = '0';
    if (i >= 0) {
      ++digits[i];
    } else {
      digits[0] = '1';
      ++decimal.exponent;
    }
  } else {
    int i = count - 1;
    while (i >= 0 && digits[i] == '0') digits[i--] = '9';
    --digits[i];  // the first digit is never 0, so i >= 0
    if (digits[0] == '0') {
      for (int j = 0; j < count; ++j) digits[j] = '9';
      --decimal.exponent;
    }
  }
}

/// The p-digit decimal nearest `value` that reads back as `value`, if any.
REKOGNITION_INLINE bool NearestRoundTrip(double value, int precision,
                                         ShortestDecimal& out) noexcept {
  char text[48];
  std::snprintf(text, sizeof text, "%.*e", precision - 1, value);  // exactly rounded
  ReadScientific(text, out);
  const double read = DecimalValue(out);
  if (read == value) return true;
  // The other p-digit neighbour of value: the rounding interval can be
  // asymmetric (at powers of two), so it may read back when the nearest does not.
  StepDecimal(out, read < value);
  return DecimalValue(out) == value;
}

/// ShortestDigits without <charconv>: Grisu2 bounds the length (its digits
/// always read back, though now and then one digit too many), then the
/// nearest decimals of each shorter length are tried. Value finite, > 0.
REKOGNITION_INLINE void ShortestDigitsPortable(double value, ShortestDecimal& out) noexcept {
  char grisu[32];
  int length = 0;
  int k = 0;
  rapidjson::internal::Grisu2(value, grisu, &length, &k);
  while (length > 1 && grisu[length - 1] == '0') {
    --length;
    ++k;
  }
  int precision = length;
  while (precision > 1 && NearestRoundTrip(value, precision - 1, out)) --precision;
  if (!NearestRoundTrip(value, precision, out)) {  // never expected: keep Grisu2's digits
    std::memcpy(out.digits, grisu, static_cast<std::size_t>(length));
    out.count = length;
    out.exponent = k + length - 1;
  }
  while (out.count > 1 && out.digits[out.count - 1] == '0') --out.count;
}

/// Parses JSON number text (RFC 8259 grammar) into the nearest double, as
/// Python's float() does: underflow gives (signed) zero; overflow gives
/// kOverflow. Locale-independent. No throw. Thread-safe.
REKOGNITION_INLINE DecimalParse ParseDecimalDouble(std::string_view text, double& out) noexcept {
#if REKOGNITION_FLOAT_CHARCONV
  const char* const s = text.data();
  const char* const end = s + text.size();
  double value = 0;
  const auto parsed = std::from_chars(s, end, value);
  if (parsed.ptr != end || text.empty()) return DecimalParse::kInvalid;
  if (parsed.ec == std::errc::result_out_of_range) {
    // Underflow reads as (signed) zero, like Python; overflow is refused.
    const auto e = text.find_first_of("eE");
    const std::string_view digits = text.substr(text[0] == '-' ? 1 : 0);
    const bool tiny = e != std::string_view::npos ? (e + 1 < text.size() && text[e + 1] == '-')
                                                  : (!digits.empty() && digits[0] == '0');
    if (!tiny) return DecimalParse::kOverflow;
    value = s[0] == '-' ? -0.0 : 0.0;
  } else if (parsed.ec != std::errc()) {
    return DecimalParse::kInvalid;
  }
  out = value;
  return DecimalParse::kOk;
#else
  return ParseDecimalDoublePortable(text, out);
#endif
}

/// The shortest digits that read back exactly as `value` (finite, sign
/// ignored) and, of those, the nearest to it, as std::to_chars and Python's
/// repr() choose them. No throw. Thread-safe.
REKOGNITION_INLINE ShortestDecimal ShortestDigits(double value) noexcept {
  ShortestDecimal out;
  value = std::fabs(value);
  if (value == 0.0) {
    out.digits[0] = '0';
    out.count = 1;
    return out;
  }
#if REKOGNITION_FLOAT_CHARCONV
  char sci[40];
  const auto result = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  const char* p = sci;
  const char* const end = result.ptr;
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.' && out.count < 20) out.digits[out.count++] = *p;
  bool negative_exponent = false;
  if (p < end) ++p;  // 'e'
  if (p < end && (*p == '-' || *p == '+')) negative_exponent = *p++ == '-';
  for (; p < end; ++p) out.exponent = out.exponent * 10 + (*p - '0');
  if (negative_exponent) out.exponent = -out.exponent;
#else
  ShortestDigitsPortable(value, out);
#endif
  return out;
}

/// Writes `magnitude` (0..999) in decimal; returns the end. No throw.
REKOGNITION_INLINE char* WriteSmallInteger(char* out, int magnitude) noexcept {
  if (magnitude >= 100) *out++ = static_cast<char>('0' + magnitude / 100);
  if (magnitude >= 10) *out++ = static_cast<char>('0' + magnitude / 10 % 10);
  *out++ = static_cast<char>('0' + magnitude % 10);
  return out;
}

/// Writes `value` as std::to_chars(first, last, value) does: the shortest
/// round-trip digits in fixed or scientific notation, whichever is shorter
/// (fixed on a tie); "inf", "-inf", "nan", "-nan". `out` needs 32 chars.
/// Returns the length. No throw. Thread-safe.
REKOGNITION_INLINE std::size_t FormatShortestDouble(double value, char* out) noexcept {
  char* o = out;
  if (std::signbit(value)) *o++ = '-';
  if (std::isnan(value) || std::isinf(value)) {
    std::memcpy(o, std::isnan(value) ? "nan" : "inf", 3);
    return static_cast<std::size_t>(o + 3 - out);
  }
  const ShortestDecimal decimal = ShortestDigits(value);
  const int count = decimal.count;
  const int exponent = decimal.exponent;
  const int magnitude = exponent < 0 ? -exponent : exponent;
  const int scientific_length =
      count + (count > 1 ? 1 : 0) + 2 + (magnitude >= 100 ? 3 : 2);  // d.ddde+XX
  const int fixed_length = exponent >= 0 ? (count > exponent + 1 ? count + 1 : exponent + 1)
                                         : 1 + 1 + (-exponent - 1) + count;  // 0.00ddd
  if (fixed_length <= scientific_length) {
    if (exponent >= 0 && count <= exponent + 1) {
#if REKOGNITION_FLOAT_CHARCONV
      return static_cast<std::size_t>(std::to_chars(out, out + 32, value).ptr - out);
#else
      // An integer in fixed notation shows its exact digits (36028797018963968,
      // not 36028797018963970), as std::to_chars does; it is below 1e23 here.
      char integer[32];
      std::snprintf(integer, sizeof integer, "%.0f", std::fabs(value));
      for (const char* p = integer; *p >= '0' && *p <= '9'; ++p) *o++ = *p;
#endif
    } else if (exponent >= 0) {
      for (int i = 0; i <= exponent; ++i) *o++ = i < count ? decimal.digits[i] : '0';
      if (count > exponent + 1) {
        *o++ = '.';
        for (int i = exponent + 1; i < count; ++i) *o++ = decimal.digits[i];
      }
    } else {
      *o++ = '0';
      *o++ = '.';
      for (int i = 0; i < -exponent - 1; ++i) *o++ = '0';
      for (int i = 0; i < count; ++i) *o++ = decimal.digits[i];
    }
  } else {
    *o++ = decimal.digits[0];
    if (count > 1) {
      *o++ = '.';
      for (int i = 1; i < count; ++i) *o++ = decimal.digits[i];
    }
    *o++ = 'e';
    *o++ = exponent < 0 ? '-' : '+';
    if (magnitude < 10) *o++ = '0';
    o = WriteSmallInteger(o, magnitude);
  }
  return static_cast<std::size_t>(o - out);
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_DOUBLE_CONVERSION_HPP
