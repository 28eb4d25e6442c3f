// rekognition-cpp: base64 (RFC 4648, standard alphabet, padded).
#ifndef REKOGNITION_DETAIL_BASE64_HPP
#define REKOGNITION_DETAIL_BASE64_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "rekognition/version.hpp"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define REKOGNITION_BASE64_AVX2 1
#else
#define REKOGNITION_BASE64_AVX2 0
#endif

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Length of the padded base64 encoding of `n` bytes. Thread-safe, no throw.
constexpr std::size_t Base64EncodedLength(std::size_t n) noexcept {
  return (n / 3 + (n % 3 != 0 ? 1 : 0)) * 4;
}

/// Every pair of base64 characters for a 12-bit value: two lookups encode
/// three bytes, which is faster than OpenSSL's one-character-per-lookup loop.
struct Base64PairTable {
  char pairs[4096 * 2];
};

constexpr Base64PairTable MakeBase64PairTable() noexcept {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  Base64PairTable table{};
  for (int i = 0; i < 4096; ++i) {
    table.pairs[2 * i] = kAlphabet[i >> 6];
    table.pairs[2 * i + 1] = kAlphabet[i & 63];
  }
  return table;
}

REKOGNITION_INLINE const char* Base64Pairs() noexcept {
  static constexpr Base64PairTable kTable = MakeBase64PairTable();
  return kTable.pairs;
}

#if REKOGNITION_BASE64_AVX2
/// Encodes whole 24-byte blocks of `in` with AVX2, 32 characters per block,
/// while at least 28 bytes are left (each block reads 4 bytes past itself);
/// returns how many input bytes it consumed. The caller checks for AVX2.
/// Thread-safe, no throw.
__attribute__((target("avx2"))) REKOGNITION_INLINE std::size_t Base64EncodeAvx2(
    const unsigned char* in, std::size_t n, char* out) noexcept {
  // Per 128-bit lane, 12 input bytes a,b,c... are spread to 32-bit words
  // holding [b, a, c, b] of each 3-byte group.
  const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10, 1, 0,
                                          2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  // The four 6-bit values of each word are moved to the low bits of its
  // four bytes with two masked multiplications (mulhi shifts right, mullo
  // left, per 16-bit half).
  const __m256i first_third_mask = _mm256_set1_epi32(0x0fc0fc00);
  const __m256i first_third_shift = _mm256_set1_epi32(0x04000040);
  const __m256i second_fourth_mask = _mm256_set1_epi32(0x003f03f0);
  const __m256i second_fourth_shift = _mm256_set1_epi32(0x01000010);
  // What to add to a 6-bit value to get its character, by class: 13 for
  // 0-25 ('A'), 0 for 26-51 ('a'), 1-10 for 52-61 ('0'), 11 for 62 ('+'),
  // 12 for 63 ('/').
  const __m256i offsets =
      _mm256_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0, 71, -4, -4,
                       -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
  const __m256i upper_limit = _mm256_set1_epi8(26);
  const __m256i upper_class = _mm256_set1_epi8(13);
  const __m256i lower_limit = _mm256_set1_epi8(51);
  std::size_t i = 0;
  for (; i + 28 <= n; i += 24, out += 32) {
    const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12));
    const __m256i bytes =
        _mm256_shuffle_epi8(_mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1), spread);
    const __m256i first_third =
        _mm256_mulhi_epu16(_mm256_and_si256(bytes, first_third_mask), first_third_shift);
    const __m256i second_fourth =
        _mm256_mullo_epi16(_mm256_and_si256(bytes, second_fourth_mask), second_fourth_shift);
    const __m256i values = _mm256_or_si256(first_third, second_fourth);
    __m256i classes = _mm256_subs_epu8(values, lower_limit);
    classes = _mm256_or_si256(
        classes, _mm256_and_si256(_mm256_cmpgt_epi8(upper_limit, values), upper_class));
    const __m256i chars = _mm256_add_epi8(values, _mm256_shuffle_epi8(offsets, classes));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), chars);
  }
  return i;
}

/// Whether this CPU runs AVX2, asked once. Thread-safe, no throw.
REKOGNITION_INLINE bool Base64HasAvx2() noexcept {
  static const bool has_avx2 = __builtin_cpu_supports("avx2") != 0;
  return has_avx2;
}
#endif

/// Writes the base64 of `in` (exactly Base64EncodedLength(in.size()) chars)
/// to `out`, 24 bytes per step with AVX2 where the CPU has it. Thread-safe,
/// no throw.
REKOGNITION_INLINE void Base64EncodeTo(std::string_view in, char* out) noexcept {
  const char* pairs = Base64Pairs();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
#if REKOGNITION_BASE64_AVX2
  if (n >= 28 && Base64HasAvx2()) {
    i = Base64EncodeAvx2(p, n, out);
    out += i / 3 * 4;
  }
#endif
  // Two groups per iteration: enough independent work to keep the loads busy.
  for (; i + 6 <= n; i += 6, out += 8) {
    const std::uint32_t a = std::uint32_t{p[i]} << 16 | std::uint32_t{p[i + 1]} << 8 | p[i + 2];
    const std::uint32_t b = std::uint32_t{p[i + 3]} << 16 | std::uint32_t{p[i + 4]} << 8 | p[i + 5];
    std::memcpy(out, pairs + 2 * (a >> 12), 2);
    std::memcpy(out + 2, pairs + 2 * (a & 0xfff), 2);
    std::memcpy(out + 4, pairs + 2 * (b >> 12), 2);
    std::memcpy(out + 6, pairs + 2 * (b & 0xfff), 2);
  }
  for (; i + 3 <= n; i += 3, out += 4) {
    const std::uint32_t a = std::uint32_t{p[i]} << 16 | std::uint32_t{p[i + 1]} << 8 | p[i + 2];
    std::memcpy(out, pairs + 2 * (a >> 12), 2);
    std::memcpy(out + 2, pairs + 2 * (a & 0xfff), 2);
  }
  const std::size_t rest = n - i;
  if (rest == 0) return;
  // Index 64 * c of the pair table is the single character for c.
  const std::uint32_t a =
      std::uint32_t{p[i]} << 16 | (rest == 2 ? std::uint32_t{p[i + 1]} << 8 : 0);
  std::memcpy(out, pairs + 2 * (a >> 12), 2);
  out[2] = rest == 2 ? pairs[2 * ((a >> 6) & 63) + 1] : '=';
  out[3] = '=';
}

/// Appends the base64 of `in` to `out`, writing straight into out's buffer
/// (reserve first to avoid any reallocation). Throws std::bad_alloc or
/// std::length_error only if growing `out` fails. Thread-safe for distinct `out`.
REKOGNITION_INLINE void Base64EncodeAppend(std::string& out, std::string_view in) {
  const std::size_t old_size = out.size();
  out.resize(old_size + Base64EncodedLength(in.size()));
  Base64EncodeTo(in, &out[old_size]);
}

/// Returns the base64 of `in`. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string Base64Encode(std::string_view in) {
  std::string out;
  Base64EncodeAppend(out, in);
  return out;
}

/// Value of each base64 character, or 0xff for anything else.
struct Base64DecodeTable {
  unsigned char values[256];
};

constexpr Base64DecodeTable MakeBase64DecodeTable() noexcept {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  Base64DecodeTable table{};
  for (int i = 0; i < 256; ++i) table.values[i] = 0xff;
  for (int i = 0; i < 64; ++i)
    table.values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<unsigned char>(i);
  return table;
}

REKOGNITION_INLINE const unsigned char* Base64DecodeValues() noexcept {
  static constexpr Base64DecodeTable kTable = MakeBase64DecodeTable();
  return kTable.values;
}

/// Strictly decodes padded standard base64 into `out` (replacing its
/// contents). Returns false, leaving `out` unspecified, on anything but
/// canonical RFC 4648 text: a length that is not a multiple of 4, characters
/// outside the alphabet (whitespace included), misplaced '=' or non-zero
/// padding bits. Throws std::bad_alloc only. Thread-safe for distinct `out`.
REKOGNITION_INLINE bool Base64Decode(std::string_view in, std::string& out) {
  out.clear();
  const std::size_t n = in.size();
  if (n % 4 != 0) return false;
  if (n == 0) return true;
  const unsigned char* values = Base64DecodeValues();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t padding = 0;
  if (p[n - 1] == '=') padding = p[n - 2] == '=' ? 2 : 1;
  out.resize(n / 4 * 3 - padding);
  char* dst = &out[0];
  const std::size_t full = padding != 0 ? n - 4 : n;
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < full; i += 4, dst += 3) {
    const std::uint32_t a = values[p[i]], b = values[p[i + 1]], c = values[p[i + 2]],
                        d = values[p[i + 3]];
    bad |= a | b | c | d;  // 0xff has bits above the low six set
    const std::uint32_t v = a << 18 | b << 12 | c << 6 | d;
    dst[0] = static_cast<char>(v >> 16);
    dst[1] = static_cast<char>(v >> 8);
    dst[2] = static_cast<char>(v);
  }
  if ((bad & 0xc0) != 0) return false;
  if (padding == 0) return true;
  const unsigned char* q = p + n - 4;
  const std::uint32_t a = values[q[0]], b = values[q[1]];
  if ((a | b) & 0xc0) return false;
  if (padding == 2) {
    if ((b & 0x0f) != 0) return false;  // non-canonical: stray low bits
    dst[0] = static_cast<char>(a << 2 | b >> 4);
    return true;
  }
  const std::uint32_t c = values[q[2]];
  if ((c & 0xc0) != 0 || (c & 0x03) != 0) return false;
  const std::uint32_t v = a << 18 | b << 12 | c << 6;
  dst[0] = static_cast<char>(v >> 16);
  dst[1] = static_cast<char>(v >> 8);
  return true;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_BASE64_HPP
