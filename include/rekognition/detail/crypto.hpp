// rekognition-cpp: SHA-256, HMAC-SHA256 and hex encoding over OpenSSL's libcrypto.
#ifndef REKOGNITION_DETAIL_CRYPTO_HPP
#define REKOGNITION_DETAIL_CRYPTO_HPP

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// A SHA-256 digest (also the size of an HMAC-SHA256 tag).
using Sha256Digest = std::array<unsigned char, 32>;

/// The SHA-256 algorithm object. OpenSSL 3 looks an algorithm up on every
/// call when given EVP_sha256(); fetching it once here saves that lookup
/// (about 40% of the time of hashing a short string). The function-local
/// static is initialised thread-safely on first use, so no global init is
/// needed. Thread-safe, no throw.
REKOGNITION_INLINE const EVP_MD* Sha256Algorithm() noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
#else
  return EVP_sha256();
#endif
}

[[noreturn]] REKOGNITION_INLINE void ThrowCryptoError(const char* what) {
  throw Error(
      ErrorInfo{"CryptoError", std::string(what) + " failed in libcrypto", 0, "", 0, false});
}

/// Overwrites `size` bytes at `data` in a way the compiler cannot elide,
/// so key material does not linger in freed memory. Thread-safe, no throw.
REKOGNITION_INLINE void SecureWipe(void* data, std::size_t size) noexcept {
  if (data == nullptr || size == 0) return;
#if defined(__GNUC__) || defined(__clang__)
  // An inline memset the barrier keeps: the compiler must assume the asm
  // reads the memory, so the stores cannot be dropped as dead.
  std::memset(data, 0, size);
  __asm__ __volatile__("" : : "r"(data) : "memory");
#else
  OPENSSL_cleanse(data, size);
#endif
}

// libcrypto's SHA256_* functions hash with the CPU's SHA extensions like the
// EVP interface, but on a context that lives on the stack: no allocation, no
// algorithm lookup and no provider dispatch per digest, which is most of the
// cost of hashing a short string through EVP. OpenSSL 3 marks them
// deprecated; builds without the deprecated API use EVP instead.
#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define REKOGNITION_SHA256_LOW_LEVEL 1
#else
#define REKOGNITION_SHA256_LOW_LEVEL 0
#endif

/// Incremental SHA-256: Update with any number of pieces, then Finish; Reset
/// starts over. Hashes in place (never copies the input) and, on the usual
/// libcrypto builds, never allocates. The state is wiped on destruction (it
/// may hold key material when used for HMAC). Throws Error (code
/// "CryptoError") only if libcrypto fails. Not thread-safe: one per thread.
class Sha256Stream {
 public:
  /// Ready for the first Update.
  Sha256Stream() { Reset(); }
  /// A stream in the same state (for hashing a common prefix once).
  Sha256Stream(const Sha256Stream& other) { CopyFrom(other); }
  Sha256Stream& operator=(const Sha256Stream& other) {
    if (this != &other) CopyFrom(other);
    return *this;
  }
  ~Sha256Stream();

  /// Starts a new digest.
  void Reset();
  /// Adds `size` bytes at `data` to the digest.
  void Update(const void* data, std::size_t size);
  /// Adds `data` to the digest.
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  /// The digest of everything added since the last Reset; call Reset before
  /// adding more.
  Sha256Digest Finish();

 private:
  void CopyFrom(const Sha256Stream& other);

#if REKOGNITION_SHA256_LOW_LEVEL
  SHA256_CTX ctx_{};
#else
  EVP_MD_CTX* ctx_ = nullptr;
#endif
};

#if REKOGNITION_SHA256_LOW_LEVEL
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
REKOGNITION_INLINE Sha256Stream::~Sha256Stream() { SecureWipe(&ctx_, sizeof ctx_); }
REKOGNITION_INLINE void Sha256Stream::Reset() {
  if (SHA256_Init(&ctx_) != 1) ThrowCryptoError("SHA-256");
}
REKOGNITION_INLINE void Sha256Stream::Update(const void* data, std::size_t size) {
  if (size != 0 && SHA256_Update(&ctx_, data, size) != 1) ThrowCryptoError("SHA-256");
}
REKOGNITION_INLINE Sha256Digest Sha256Stream::Finish() {
  Sha256Digest digest{};
  if (SHA256_Final(digest.data(), &ctx_) != 1) ThrowCryptoError("SHA-256");
  return digest;
}
REKOGNITION_INLINE void Sha256Stream::CopyFrom(const Sha256Stream& other) { ctx_ = other.ctx_; }
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
#else
REKOGNITION_INLINE Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }
REKOGNITION_INLINE void Sha256Stream::Reset() {
  if (ctx_ == nullptr && (ctx_ = EVP_MD_CTX_new()) == nullptr) ThrowCryptoError("SHA-256");
  if (EVP_DigestInit_ex(ctx_, Sha256Algorithm(), nullptr) != 1) ThrowCryptoError("SHA-256");
}
REKOGNITION_INLINE void Sha256Stream::Update(const void* data, std::size_t size) {
  if (size != 0 && EVP_DigestUpdate(ctx_, data, size) != 1) ThrowCryptoError("SHA-256");
}
REKOGNITION_INLINE void Sha256Stream::CopyFrom(const Sha256Stream& other) {
  if (ctx_ == nullptr && (ctx_ = EVP_MD_CTX_new()) == nullptr) ThrowCryptoError("SHA-256");
  if (EVP_MD_CTX_copy_ex(ctx_, other.ctx_) != 1) ThrowCryptoError("SHA-256");
}
REKOGNITION_INLINE Sha256Digest Sha256Stream::Finish() {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_, digest.data(), &size) != 1 || size != digest.size())
    ThrowCryptoError("SHA-256");
  return digest;
}
#endif

/// SHA-256 of `data`, hashed in place (never copied). Throws Error (code
/// "CryptoError") only if libcrypto fails, i.e. out of memory. Thread-safe.
REKOGNITION_INLINE Sha256Digest Sha256(std::string_view data) {
  Sha256Stream stream;
  stream.Update(data);
  return stream.Finish();
}

/// An HMAC-SHA256 (RFC 2104) key with its two padded key blocks already
/// hashed, so each Sign costs the message's blocks plus two, not four: for
/// a key that signs many messages (a SigV4 signing key). No allocation on
/// the usual libcrypto builds; the state is wiped on destruction. Throws
/// Error (code "CryptoError") only if libcrypto fails. Sign is thread-safe
/// (const); copies are independent.
class HmacSha256Key {
 public:
  /// Prepares `key` (any bytes; longer than 64 bytes: its SHA-256).
  explicit HmacSha256Key(std::string_view key) {
    constexpr std::size_t kBlock = 64;
    unsigned char block[kBlock] = {};
    if (key.size() > kBlock) {
      Sha256Digest hashed = Sha256(key);
      std::memcpy(block, hashed.data(), hashed.size());
      SecureWipe(hashed.data(), hashed.size());
    } else if (!key.empty()) {
      std::memcpy(block, key.data(), key.size());
    }
    unsigned char pad[kBlock];
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
    inner_.Update(pad, kBlock);
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
    outer_.Update(pad, kBlock);
    SecureWipe(block, kBlock);
    SecureWipe(pad, kBlock);
  }
  /// Prepares a key that is a previous digest (as in SigV4 key derivation).
  explicit HmacSha256Key(const Sha256Digest& key)
      : HmacSha256Key(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) {}

  /// The HMAC-SHA256 tag of `data`.
  Sha256Digest Sign(std::string_view data) const {
    Sha256Stream stream = inner_;
    stream.Update(data);
    Sha256Digest inner = stream.Finish();
    stream = outer_;
    stream.Update(inner.data(), inner.size());
    SecureWipe(inner.data(), inner.size());
    return stream.Finish();
  }

 private:
  Sha256Stream inner_;
  Sha256Stream outer_;
};

/// HMAC-SHA256 of `data` under `key` (any bytes). Throws Error (code
/// "CryptoError") only if libcrypto fails. Thread-safe.
REKOGNITION_INLINE Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  return HmacSha256Key(key).Sign(data);
}

/// HMAC-SHA256 keyed with a previous digest (as in SigV4 key derivation).
REKOGNITION_INLINE Sha256Digest HmacSha256(const Sha256Digest& key, std::string_view data) {
  return HmacSha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), data);
}

/// Appends the lower-case hex encoding of `size` bytes at `data` to `out`.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE void AppendHex(std::string& out, const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + 2 * size);
  char* p = &out[start];
  for (std::size_t i = 0; i < size; ++i) {
    *p++ = kDigits[data[i] >> 4];
    *p++ = kDigits[data[i] & 0x0f];
  }
}

/// Lower-case hex encoding of bytes. Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE std::string HexEncode(std::string_view bytes) {
  std::string out;
  AppendHex(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return out;
}

/// SHA-1 of `data` in lower-case hex: the name the AWS CLI gives an IAM
/// Identity Center token cache file (not used for security). Throws Error
/// (code "CryptoError") only if libcrypto fails. Thread-safe.
REKOGNITION_INLINE std::string Sha1Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha1(), nullptr) != 1 || size != 20)
    ThrowCryptoError("SHA-1");
  std::string out;
  AppendHex(out, digest, size);
  return out;
}

/// Lower-case hex encoding of a digest (64 characters).
REKOGNITION_INLINE std::string HexEncode(const Sha256Digest& digest) {
  std::string out;
  AppendHex(out, digest.data(), digest.size());
  return out;
}

/// Lower-case hex SHA-256 of `data` (the SigV4 payload hash). Thread-safe;
/// throws as Sha256.
REKOGNITION_INLINE std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

/// Compares two strings in time that depends only on their lengths, for
/// checking signatures without leaking where they differ. Thread-safe, no throw.
REKOGNITION_INLINE bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

/// Wipes a string's bytes (SecureWipe) when it goes out of scope, for
/// secrets held in locals (tokens, keys). Never throws.
struct WipeOnExit {
  std::string& value;
  ~WipeOnExit() { SecureWipe(value.data(), value.size()); }
};

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_CRYPTO_HPP
