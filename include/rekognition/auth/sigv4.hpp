// rekognition-cpp: AWS Signature Version 4 (header and presigned-URL modes).
#ifndef REKOGNITION_AUTH_SIGV4_HPP
#define REKOGNITION_AUTH_SIGV4_HPP

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/detail/civil_date.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// How to sign one request.
struct SigV4Params {
  /// Signing region, e.g. "us-east-1". Required.
  std::string region;
  /// Signing name of the service, e.g. "rekognition". Required.
  std::string service;
  /// The signing time (X-Amz-Date). Defaults to when the params were made.
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  /// Remove "." and ".." segments and empty segments from the path before
  /// signing. Turn off for S3-style services, which sign the path as sent.
  bool normalize_path = true;
  /// URI-encode the path as it appears in the URL (so "%" becomes "%25"), as
  /// every service except S3 expects. Turn off for S3, whose URL path is
  /// already encoded once and is signed as is.
  bool double_encode_path = true;
  /// Header mode: also add and sign x-amz-content-sha256 (S3 and some others).
  bool sign_body = false;
  /// Sign without the session token, then add it (header X-Amz-Security-Token
  /// or query parameter) unsigned. For the few services that expect this.
  bool omit_session_token = false;
  /// Query mode only: how long the presigned URL stays valid (1 s to 7 days).
  std::chrono::seconds expires_in{3600};
  /// Precomputed lower-case hex SHA-256 of the body, or a literal such as
  /// "UNSIGNED-PAYLOAD". Unset or empty: the body is hashed in place.
  std::optional<std::string> payload_hash;
};

/// The credential scope of a signature: "DATE/REGION/SERVICE/aws4_request".
struct SigV4Scope {
  std::string date;     ///< YYYYMMDD (UTC)
  std::string region;   ///< e.g. "us-east-1"
  std::string service;  ///< e.g. "rekognition"

  /// "DATE/REGION/SERVICE/aws4_request". Thread-safe.
  std::string ToString() const {
    std::string scope;
    scope.reserve(date.size() + region.size() + service.size() + 15);
    scope.append(date).append(1, '/').append(region).append(1, '/').append(service);
    scope.append("/aws4_request");
    return scope;
  }
};

/// The parts of an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=..." Authorization header.
struct SigV4Authorization {
  std::string access_key_id;
  SigV4Scope scope;
  std::string signed_headers;  ///< e.g. "content-type;host;x-amz-date"
  std::string signature;       ///< 64 lower-case hex digits
};

namespace detail {

/// An absolute URL cut into views of its parts (no decoding, no copies).
struct SigV4UrlParts {
  std::string_view scheme;     ///< as written, e.g. "https"
  std::string_view authority;  ///< [user@]host[:port]
  std::string_view path;       ///< may be empty
  std::string_view query;      ///< after '?', without it; may be empty
  std::size_t query_end = 0;   ///< offset where the query (or path) ends: a '#' or the end
};

/// Splits "scheme://authority/path?query#fragment". Lenient about the bytes
/// in the path and query (the test suite signs paths with spaces and raw
/// UTF-8); nullopt only when there is no scheme or no host. No throw.
REKOGNITION_INLINE std::optional<SigV4UrlParts> SigV4SplitUrl(std::string_view url) noexcept {
  SigV4UrlParts parts;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  parts.scheme = url.substr(0, scheme_end);
  for (const char c : parts.scheme)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '-' || c == '.'))
      return std::nullopt;  // e.g. "/path?next=http://..." is not absolute
  const std::size_t authority_start = scheme_end + 3;
  // One pass (find_first_of would search for each of the three per byte).
  std::size_t authority_end = authority_start;
  while (authority_end < url.size() && url[authority_end] != '/' && url[authority_end] != '?' &&
         url[authority_end] != '#')
    ++authority_end;
  parts.authority = url.substr(authority_start, authority_end - authority_start);
  std::size_t end = url.find('#', authority_end);
  if (end == std::string_view::npos) end = url.size();
  parts.query_end = end;
  const std::size_t question = url.find('?', authority_end);
  if (question != std::string_view::npos && question < end) {
    parts.path = url.substr(authority_end, question - authority_end);
    parts.query = url.substr(question + 1, end - question - 1);
  } else {
    parts.path = url.substr(authority_end, end - authority_end);
  }
  const std::size_t at = parts.authority.rfind('@');
  const std::string_view host =
      at == std::string_view::npos ? parts.authority : parts.authority.substr(at + 1);
  if (host.empty() || host.front() == ':') return std::nullopt;
  return parts;
}

/// The Host header value for a URL's authority: user info dropped, the port
/// kept unless it is the scheme's default (80 for http, 443 for https).
REKOGNITION_INLINE std::string SigV4HostHeader(std::string_view scheme,
                                               std::string_view authority) {
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || (EqualsIgnoreCase(scheme, "http") && port == "80") ||
        (EqualsIgnoreCase(scheme, "https") && port == "443"))
      authority = authority.substr(0, colon);
  }
  return std::string(authority);
}

/// True for the characters SigV4 never encodes: A-Z a-z 0-9 - _ . ~
constexpr bool SigV4Unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

/// Appends `in` percent-encoded (upper-case hex) to `out`; '/' is kept when
/// `keep_slash`. Thread-safe.
REKOGNITION_INLINE void SigV4AppendEncoded(std::string& out, std::string_view in, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (SigV4Unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      const char encoded[3] = {'%', kHex[c >> 4], kHex[c & 0x0f]};
      out.append(encoded, 3);
    }
  }
}

constexpr int SigV4HexValue(char c) noexcept {
  return (c >= '0' && c <= '9')   ? c - '0'
         : (c >= 'A' && c <= 'F') ? c - 'A' + 10
         : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                  : -1;
}

/// Decodes %XX escapes (a '%' not followed by two hex digits stays as is;
/// '+' stays '+', as the AWS signers treat it). Thread-safe.
REKOGNITION_INLINE std::string SigV4PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int high = SigV4HexValue(in[i + 1]);
      const int low = SigV4HexValue(in[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

/// The canonical URI of a URL path: "/" when empty; with `normalize`, dot
/// segments resolved and empty segments dropped (a trailing slash is kept);
/// with `encode`, every byte outside the unreserved set and '/' is
/// percent-encoded. Thread-safe.
REKOGNITION_INLINE std::string SigV4CanonicalUri(std::string_view path, bool normalize,
                                                 bool encode) {
  std::string out;
  if (!normalize) {
    if (path.empty() || path.front() != '/') out.push_back('/');
    if (encode)
      SigV4AppendEncoded(out, path, true);
    else
      out.append(path);
    return out;
  }
  // Resolve the segments on a small stack of views into `path`.
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(start, slash - start);
    const bool last = slash == path.size();
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else if (segment == "." || segment.empty()) {
      // A final empty segment means the path ended with '/'.
      trailing_slash = last;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
    start = slash + 1;
  }
  for (const std::string_view segment : segments) {
    out.push_back('/');
    if (encode)
      SigV4AppendEncoded(out, segment, false);
    else
      out.append(segment);
  }
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

/// The canonical query string of a raw query: parameters decoded, encoded
/// again strictly, sorted by name then value, "name=" for a name without a
/// value. X-Amz-Signature is left out (it is never part of what is signed),
/// and so is X-Amz-Security-Token when `omit_session_token`. Thread-safe.
REKOGNITION_INLINE std::string SigV4CanonicalQuery(std::string_view query,
                                                   bool omit_session_token) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    std::string name;
    std::string value;
    SigV4AppendEncoded(name, SigV4PercentDecode(item.substr(0, eq)), false);
    if (eq != std::string_view::npos)
      SigV4AppendEncoded(value, SigV4PercentDecode(item.substr(eq + 1)), false);
    if (name == "X-Amz-Signature") continue;
    if (omit_session_token && name == "X-Amz-Security-Token") continue;
    pairs.emplace_back(std::move(name), std::move(value));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& pair : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(pair.first).append(1, '=').append(pair.second);
  }
  return out;
}

/// True when `name` is one of the headers SigV4Signer never signs: they are
/// changed by proxies and HTTP stacks on the way (or carry the signature).
REKOGNITION_INLINE bool SigV4UnsignedHeader(std::string_view name) noexcept {
  static constexpr std::string_view kUnsigned[] = {"authorization", "user-agent",
                                                   "expect",        "x-amzn-trace-id",
                                                   "connection",    "transfer-encoding"};
  for (const std::string_view excluded : kUnsigned)
    if (EqualsIgnoreCase(name, excluded)) return true;
  return false;
}

REKOGNITION_INLINE bool SigV4LessIgnoreCase(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(AsciiToLower(a[i]));
    const auto y = static_cast<unsigned char>(AsciiToLower(b[i]));
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

/// True when the ';'-separated lower-case `list` holds `name` (any case).
REKOGNITION_INLINE bool SigV4ListContains(std::string_view list, std::string_view name) noexcept {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t semi = list.find(';', start);
    if (semi == std::string_view::npos) semi = list.size();
    if (EqualsIgnoreCase(list.substr(start, semi - start), name)) return true;
    start = semi + 1;
  }
  return false;
}

/// Appends a header value trimmed, with every run of whitespace (including
/// the line breaks of a folded value) collapsed to one space.
REKOGNITION_INLINE void SigV4AppendTrimmed(std::string& out, std::string_view value) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  // Most values have no whitespace to trim or collapse: copied in one go.
  bool plain = !value.empty() && value.front() != ' ' && value.back() != ' ';
  std::size_t k = 0;
  // Whole words without a byte <= ' ' are plain; a word with one is looked
  // at byte by byte below.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  for (std::uint64_t word; plain && k + 8 <= value.size(); k += 8) {
    std::memcpy(&word, value.data() + k, 8);
    if (((word - 0x21 * kOnes) & ~word & 0x8080808080808080ull) != 0) break;
  }
  for (; plain && k < value.size(); ++k) {
    const char c = value[k];
    // A space is never last here, so value[k + 1] exists.
    if (static_cast<unsigned char>(c) <= ' ' && (c != ' ' || value[k + 1] == ' ')) plain = false;
  }
  if (plain) {
    out.append(value.data(), value.size());
    return;
  }
  std::size_t i = 0;
  bool first = true;
  while (true) {
    while (i < value.size() && is_space(value[i])) ++i;
    if (i == value.size()) return;
    std::size_t word_end = i;
    while (word_end < value.size() && !is_space(value[word_end])) ++word_end;
    if (!first) out.push_back(' ');
    out.append(value.data() + i, word_end - i);
    first = false;
    i = word_end;
  }
}

/// Builds the canonical headers block ("name:value\n" per name, sorted, the
/// values of repeated names joined by ',' in order) and the signed headers
/// list ("a;b;c") from the headers `keep` accepts. An extra Host value is
/// used when the headers have none.
template <class Keep>
void SigV4CanonicalHeaders(const HttpHeaders& headers, std::string_view extra_host, Keep keep,
                           std::string* block, std::string* names) {
  using Header = std::pair<std::string, std::string>;
  // Each kept header with the first 8 bytes of its lower-case name as a
  // big-endian number, so most comparisons are one integer compare.
  struct Kept {
    const Header* header;
    std::uint64_t prefix;
  };
  const auto prefix_of = [](std::string_view name) {
    unsigned char bytes[8] = {};
    std::memcpy(bytes, name.data(), std::min<std::size_t>(name.size(), 8));
    std::uint64_t word;
    std::memcpy(&word, bytes, 8);
    word = AsciiToLower8(word);
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(word);  // the first byte most significant
#else
    std::memcpy(bytes, &word, 8);
    std::uint64_t prefix = 0;
    for (const unsigned char byte : bytes) prefix = prefix << 8 | byte;
    return prefix;
#endif
  };
  // A request's handful of headers are sorted in place on the stack; only an
  // unusually long list takes the heap.
  constexpr std::size_t kOnStack = 24;
  Kept on_stack[kOnStack];
  std::vector<Kept> on_heap;
  Kept* kept = on_stack;
  if (headers.size() + 1 > kOnStack) {
    on_heap.resize(headers.size() + 1);
    kept = on_heap.data();
  }
  std::size_t count = 0;
  std::size_t total = 0;
  for (const auto& header : headers)
    if (!header.first.empty() && keep(std::string_view(header.first))) {
      kept[count++] = Kept{&header, prefix_of(header.first)};
      total += header.first.size() + header.second.size() + 2;
    }
  const Header host{"host", std::string(extra_host)};
  if (!extra_host.empty()) {
    kept[count++] = Kept{&host, prefix_of(host.first)};
    total += extra_host.size() + 6;
  }
  const auto less = [](const Kept& a, const Kept& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return SigV4LessIgnoreCase(a.header->first, b.header->first);
  };
  // A stable insertion sort: requests carry a handful of headers, and equal
  // names must keep their order (their values are joined in sending order).
  for (std::size_t i = 1; i < count; ++i) {
    const Kept moving = kept[i];
    std::size_t j = i;
    for (; j > 0 && less(moving, kept[j - 1]); --j) kept[j] = kept[j - 1];
    kept[j] = moving;
  }
  if (block) block->reserve(block->size() + total);
  if (names) names->reserve(names->size() + total / 4);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& name = kept[i].header->first;
    const bool same_name = i > 0 && kept[i - 1].prefix == kept[i].prefix &&
                           EqualsIgnoreCase(kept[i - 1].header->first, name);
    if (same_name) {
      if (block) block->push_back(',');
    } else {
      // Lower-cased once; the names list copies it from the block.
      std::size_t lowered = std::string::npos;
      if (block) {
        if (i > 0) block->push_back('\n');
        lowered = block->size();
        AppendAsciiLower(*block, name);
        block->push_back(':');
      }
      if (names) {
        if (i > 0) names->push_back(';');
        if (block)
          names->append(*block, lowered, name.size());
        else
          AppendAsciiLower(*names, name);
      }
    }
    if (block) SigV4AppendTrimmed(*block, kept[i].header->second);
  }
  if (block && count != 0) block->push_back('\n');
}

/// Feeds the canonical request, assembled from its parts (both modes), to
/// `sink(std::string_view)` piece by piece; returns its length.
template <typename Sink>
std::size_t SigV4WriteCanonicalRequest(std::string_view method, const SigV4UrlParts& url,
                                       std::string_view headers_block,
                                       std::string_view signed_headers,
                                       std::string_view payload_hash, const SigV4Params& params,
                                       Sink&& sink) {
  const std::string uri =
      SigV4CanonicalUri(url.path, params.normalize_path, params.double_encode_path);
  const std::string query = SigV4CanonicalQuery(url.query, params.omit_session_token);
  const std::string_view pieces[] = {method,         "\n", uri,           "\n",
                                     query,          "\n", headers_block, "\n",
                                     signed_headers, "\n", payload_hash};
  std::size_t size = 0;
  for (const std::string_view piece : pieces) size += piece.size();
  for (const std::string_view piece : pieces) sink(piece);
  return size;
}

/// Assembles the canonical request from its parts (both modes).
REKOGNITION_INLINE std::string SigV4BuildCanonicalRequest(
    std::string_view method, const SigV4UrlParts& url, std::string_view headers_block,
    std::string_view signed_headers, std::string_view payload_hash, const SigV4Params& params) {
  std::string out;
  out.reserve(method.size() + headers_block.size() + signed_headers.size() + payload_hash.size() +
              url.path.size() + url.query.size() + 16);
  SigV4WriteCanonicalRequest(method, url, headers_block, signed_headers, payload_hash, params,
                             [&out](std::string_view piece) { out.append(piece); });
  return out;
}

}  // namespace detail

/// Signs HTTP requests with AWS Signature Version 4, in header mode (Sign)
/// or query mode (Presign). Works for any AWS service.
///
/// Thread-safe: one signer may be used from many threads at once. It caches
/// the derived signing keys of the last few (secret, date, region, service)
/// combinations behind a mutex, so repeated signing costs one SHA-256 of the
/// body, one of the canonical request and one HMAC. The cache is wiped when
/// the signer is destroyed; copies start with an empty cache.
class SigV4Signer {
 public:
  /// "AWS4-HMAC-SHA256".
  static constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

  /// An empty key cache. No throw.
  SigV4Signer() = default;
  /// Copies sign alike; the copy starts with an empty key cache. No throw.
  SigV4Signer(const SigV4Signer&) noexcept : SigV4Signer() {}
  /// Keeps this signer's cache (the caches hold nothing but derived keys).
  SigV4Signer& operator=(const SigV4Signer&) noexcept { return *this; }
  /// Wipes the cached secrets and keys from memory.
  ~SigV4Signer();

  /// Header mode. Adds to `request.headers` (replacing any earlier value):
  /// Host (from the URL, only when absent), X-Amz-Security-Token (when the
  /// credentials have a token; removed otherwise), X-Amz-Date,
  /// x-amz-content-sha256 (when params.sign_body) and Authorization. Every
  /// header is signed except Authorization, User-Agent, Expect,
  /// X-Amzn-Trace-Id, Connection and Transfer-Encoding. The body is hashed
  /// in place. Throws CredentialsError when the access key id or secret is
  /// empty, ConfigurationError when the URL is not absolute or the region or
  /// service is empty; never mentions the secret. Thread-safe.
  void Sign(HttpRequest& request, const Credentials& credentials, const SigV4Params& params) const;

  /// Query mode. Returns request.url with X-Amz-Algorithm, X-Amz-Credential,
  /// X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires, X-Amz-Security-Token
  /// (when there is a token) and X-Amz-Signature appended to its query. The
  /// request itself is not changed; the headers it has (and Host) are signed
  /// and must be sent with the URL. Throws as Sign, and ConfigurationError
  /// when params.expires_in is outside 1 s to 7 days. Thread-safe.
  std::string Presign(const HttpRequest& request, const Credentials& credentials,
                      const SigV4Params& params) const;

  /// Step 1: the canonical request of `method` and `url`, signing the
  /// `headers` named in `signed_headers` ("a;b;c", as in the Authorization
  /// header or X-Amz-SignedHeaders). `url`'s X-Amz-Signature parameter is
  /// ignored, so a server can pass a presigned URL as received. Uses
  /// params.normalize_path, double_encode_path and omit_session_token.
  /// Throws ConfigurationError when the URL is not absolute. Thread-safe.
  static std::string CanonicalRequest(std::string_view method, std::string_view url,
                                      const HttpHeaders& headers, std::string_view signed_headers,
                                      std::string_view payload_hash, const SigV4Params& params);

  /// The signed headers list Sign uses for `headers`: every header name but
  /// the unsigned ones (and x-amz-security-token when
  /// params.omit_session_token), lower-case, sorted, ';'-separated.
  /// Thread-safe.
  static std::string SignedHeaders(const HttpHeaders& headers, const SigV4Params& params);

  /// Step 2: "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex SHA-256 of the
  /// canonical request>". Thread-safe.
  static std::string StringToSign(std::string_view amz_date, const SigV4Scope& scope,
                                  std::string_view canonical_request);

  /// Step 3: the hex HMAC-SHA256 of `string_to_sign` under the signing key of
  /// `secret_access_key` and `scope` (taken from the cache when possible).
  /// Thread-safe.
  std::string Signature(std::string_view secret_access_key, const SigV4Scope& scope,
                        std::string_view string_to_sign) const;

  /// The signing key: HMAC chain of "AWS4" + secret over date, region,
  /// service and "aws4_request". Not cached. Thread-safe.
  static detail::Sha256Digest DeriveSigningKey(std::string_view secret_access_key,
                                               const SigV4Scope& scope);

  /// Formats a time as the X-Amz-Date "YYYYMMDDTHHMMSSZ" (UTC). Thread-safe.
  static std::string FormatAmzDate(std::chrono::system_clock::time_point time);

  /// Parses "YYYYMMDDTHHMMSSZ"; nullopt when malformed. Thread-safe.
  static std::optional<std::chrono::system_clock::time_point> ParseAmzDate(std::string_view text);

  /// Splits an Authorization header made by Sign (or any SigV4 signer);
  /// nullopt when it is not an AWS4-HMAC-SHA256 authorization. Thread-safe.
  static std::optional<SigV4Authorization> ParseAuthorization(std::string_view header);

 private:
  // The secret itself is never kept: an entry is found by the SHA-256 of
  // the secret, which cannot be turned back into it.
  // The key is kept ready to sign (its padded blocks hashed).
  struct CachedKey {
    detail::Sha256Digest secret_sha256{};
    SigV4Scope scope;
    std::optional<detail::HmacSha256Key> key;  // set with the entry
  };
  static constexpr std::size_t kCacheSize = 4;

  detail::HmacSha256Key SigningKey(std::string_view secret_access_key,
                                   const SigV4Scope& scope) const;
  detail::Sha256Digest SignatureTag(std::string_view secret_access_key, const SigV4Scope& scope,
                                    std::string_view string_to_sign) const;
  static std::string StringToSign(std::string_view amz_date, const SigV4Scope& scope,
                                  const detail::Sha256Digest& canonical_request_sha256);
  // Replaces `out` with the string to sign.
  static void WriteStringToSign(std::string& out, std::string_view amz_date,
                                const SigV4Scope& scope,
                                const detail::Sha256Digest& canonical_request_sha256);
  static void CheckInputs(const Credentials& credentials, const SigV4Params& params);
  // The precomputed hash of params, or the body's hashed into `storage`.
  static std::string_view PayloadHash(const HttpRequest& request, const SigV4Params& params,
                                      std::string& storage);
  static detail::SigV4UrlParts SplitUrl(std::string_view url);

  mutable std::mutex mutex_;
  mutable std::array<CachedKey, kCacheSize> cache_;
  mutable std::size_t cache_used_ = 0;
  mutable std::size_t cache_next_ = 0;
};

REKOGNITION_INLINE SigV4Signer::~SigV4Signer() {
  for (CachedKey& entry : cache_) {
    detail::SecureWipe(entry.secret_sha256.data(), entry.secret_sha256.size());
  }
}

REKOGNITION_INLINE void SigV4Signer::CheckInputs(const Credentials& credentials,
                                                 const SigV4Params& params) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
    throw CredentialsError(
        "cannot sign the request: the credentials need both an access key id and a secret "
        "access key");
  if (params.region.empty()) throw ConfigurationError("cannot sign the request: no signing region");
  if (params.service.empty())
    throw ConfigurationError("cannot sign the request: no signing service name");
}

REKOGNITION_INLINE std::string_view SigV4Signer::PayloadHash(const HttpRequest& request,
                                                             const SigV4Params& params,
                                                             std::string& storage) {
  if (params.payload_hash && !params.payload_hash->empty()) return *params.payload_hash;
  storage = detail::Sha256Hex(request.body);  // hashed in place, never copied
  return storage;
}

REKOGNITION_INLINE detail::SigV4UrlParts SigV4Signer::SplitUrl(std::string_view url) {
  auto parts = detail::SigV4SplitUrl(url);
  if (!parts) {
    // Only the part before the query (a presigned URL's query may hold a
    // token), and nothing at all when it may hold user info.
    const std::string_view shown = url.substr(0, url.find_first_of("?#"));
    if (shown.find('@') != std::string_view::npos)
      throw ConfigurationError(
          "cannot sign the request: its URL is not an absolute URL with a host");
    throw ConfigurationError("cannot sign the request: '" + std::string(shown) +
                             "' is not an absolute URL with a host");
  }
  return *parts;
}

REKOGNITION_INLINE std::string SigV4Signer::CanonicalRequest(
    std::string_view method, std::string_view url, const HttpHeaders& headers,
    std::string_view signed_headers, std::string_view payload_hash, const SigV4Params& params) {
  const detail::SigV4UrlParts parts = SplitUrl(url);
  std::string block;
  detail::SigV4CanonicalHeaders(
      headers, {},
      [&](std::string_view name) { return detail::SigV4ListContains(signed_headers, name); },
      &block, nullptr);
  return detail::SigV4BuildCanonicalRequest(method, parts, block, signed_headers, payload_hash,
                                            params);
}

REKOGNITION_INLINE std::string SigV4Signer::SignedHeaders(const HttpHeaders& headers,
                                                          const SigV4Params& params) {
  std::string names;
  detail::SigV4CanonicalHeaders(
      headers, {},
      [&](std::string_view name) {
        return !detail::SigV4UnsignedHeader(name) &&
               !(params.omit_session_token &&
                 detail::EqualsIgnoreCase(name, "x-amz-security-token"));
      },
      nullptr, &names);
  return names;
}

REKOGNITION_INLINE std::string SigV4Signer::StringToSign(std::string_view amz_date,
                                                         const SigV4Scope& scope,
                                                         std::string_view canonical_request) {
  return StringToSign(amz_date, scope, detail::Sha256(canonical_request));
}

REKOGNITION_INLINE std::string SigV4Signer::StringToSign(
    std::string_view amz_date, const SigV4Scope& scope,
    const detail::Sha256Digest& canonical_request_sha256) {
  std::string out;
  WriteStringToSign(out, amz_date, scope, canonical_request_sha256);
  return out;
}

REKOGNITION_INLINE void SigV4Signer::WriteStringToSign(
    std::string& out, std::string_view amz_date, const SigV4Scope& scope,
    const detail::Sha256Digest& canonical_request_sha256) {
  out.clear();
  out.reserve(std::char_traits<char>::length(kAlgorithm) + amz_date.size() + scope.date.size() +
              scope.region.size() + scope.service.size() + 2 * canonical_request_sha256.size() +
              20);
  out.append(kAlgorithm).append(1, '\n').append(amz_date).append(1, '\n');
  out.append(scope.date).append(1, '/').append(scope.region).append(1, '/');
  out.append(scope.service).append("/aws4_request\n");
  detail::AppendHex(out, canonical_request_sha256.data(), canonical_request_sha256.size());
}

REKOGNITION_INLINE detail::Sha256Digest SigV4Signer::DeriveSigningKey(
    std::string_view secret_access_key, const SigV4Scope& scope) {
  std::string seed;
  seed.reserve(4 + secret_access_key.size());
  seed.append("AWS4").append(secret_access_key);
  detail::Sha256Digest key = detail::HmacSha256(seed, scope.date);
  detail::SecureWipe(seed.data(), seed.size());
  key = detail::HmacSha256(key, scope.region);
  key = detail::HmacSha256(key, scope.service);
  return detail::HmacSha256(key, "aws4_request");
}

REKOGNITION_INLINE detail::HmacSha256Key SigV4Signer::SigningKey(std::string_view secret_access_key,
                                                                 const SigV4Scope& scope) const {
  detail::Sha256Digest secret_sha256 = detail::Sha256(secret_access_key);
  auto matches = [&](const CachedKey& entry) {
    return CRYPTO_memcmp(entry.secret_sha256.data(), secret_sha256.data(), secret_sha256.size()) ==
               0 &&
           entry.scope.date == scope.date && entry.scope.region == scope.region &&
           entry.scope.service == scope.service;
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < cache_used_; ++i)
      if (matches(cache_[i])) {
        detail::SecureWipe(secret_sha256.data(), secret_sha256.size());
        return *cache_[i].key;
      }
  }
  // Derived outside the lock: four HMACs should not serialise other signers.
  detail::Sha256Digest derived = DeriveSigningKey(secret_access_key, scope);
  const detail::HmacSha256Key key(derived);
  detail::SecureWipe(derived.data(), derived.size());
  std::lock_guard<std::mutex> lock(mutex_);
  bool cached = false;
  for (std::size_t i = 0; i < cache_used_ && !cached; ++i)
    cached = matches(cache_[i]);  // another thread got there first
  if (!cached) {
    CachedKey& slot = cache_[cache_next_];
    cache_next_ = (cache_next_ + 1) % kCacheSize;
    if (cache_used_ < kCacheSize) ++cache_used_;
    slot.secret_sha256 = secret_sha256;
    slot.scope = scope;
    slot.key = key;
  }
  detail::SecureWipe(secret_sha256.data(), secret_sha256.size());
  return key;
}

REKOGNITION_INLINE detail::Sha256Digest SigV4Signer::SignatureTag(
    std::string_view secret_access_key, const SigV4Scope& scope,
    std::string_view string_to_sign) const {
  return SigningKey(secret_access_key, scope).Sign(string_to_sign);
}

REKOGNITION_INLINE std::string SigV4Signer::Signature(std::string_view secret_access_key,
                                                      const SigV4Scope& scope,
                                                      std::string_view string_to_sign) const {
  return detail::HexEncode(SignatureTag(secret_access_key, scope, string_to_sign));
}

REKOGNITION_INLINE std::string SigV4Signer::FormatAmzDate(
    std::chrono::system_clock::time_point time) {
  const std::int64_t seconds =
      std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  std::int64_t days = seconds / 86400;
  std::int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  const detail::CivilDate date = detail::CivilFromDays(days);
  const std::int64_t year = date.year;
  const unsigned month = date.month;
  const unsigned day = date.day;
  if (year < 0 || year > 9999) {
    char text[64];
    std::snprintf(text, sizeof text, "%lld%02u%02uT%02d%02d%02dZ", static_cast<long long>(year),
                  month, day, static_cast<int>(second_of_day / 3600),
                  static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
    return text;
  }
  std::string text = "00000000T000000Z";
  auto put = [&text](std::size_t at, std::size_t width, std::int64_t value) {
    for (std::size_t i = at + width; i > at; --i, value /= 10)
      text[i - 1] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, year);
  put(4, 2, month);
  put(6, 2, day);
  put(9, 2, second_of_day / 3600);
  put(11, 2, second_of_day / 60 % 60);
  put(13, 2, second_of_day % 60);
  return text;
}

REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> SigV4Signer::ParseAmzDate(
    std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t seconds = 0;
  if (!detail::ReadDigits(text, 0, 4, year) || !detail::ReadDigits(text, 4, 2, month) ||
      !detail::ReadDigits(text, 6, 2, day) || !detail::ReadDigits(text, 9, 2, hour) ||
      !detail::ReadDigits(text, 11, 2, minute) || !detail::ReadDigits(text, 13, 2, second) ||
      !detail::CivilToEpochSeconds(year, month, day, hour, minute, second, seconds))
    return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(seconds)));
}

REKOGNITION_INLINE std::optional<SigV4Authorization> SigV4Signer::ParseAuthorization(
    std::string_view header) {
  const std::string_view prefix = kAlgorithm;
  if (header.substr(0, prefix.size()) != prefix) return std::nullopt;
  header.remove_prefix(prefix.size());
  if (header.empty() || header.front() != ' ') return std::nullopt;
  std::optional<std::string_view> credential, signed_headers, signature;
  while (!header.empty()) {
    while (!header.empty() && (header.front() == ' ' || header.front() == ','))
      header.remove_prefix(1);
    if (header.empty()) break;
    std::size_t end = header.find(',');
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(0, end);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    header.remove_prefix(end);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view name = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (name == "Credential")
      credential = value;
    else if (name == "SignedHeaders")
      signed_headers = value;
    else if (name == "Signature")
      signature = value;
  }
  if (!credential || !signed_headers || !signature) return std::nullopt;
  // Credential=AKID/DATE/REGION/SERVICE/aws4_request; the key id has no '/'.
  std::array<std::string_view, 5> parts;
  std::string_view rest = *credential;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t slash = rest.find('/');
    if ((slash == std::string_view::npos) != (i == parts.size() - 1)) return std::nullopt;
    parts[i] = rest.substr(0, slash);
    if (parts[i].empty()) return std::nullopt;
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  if (parts[4] != "aws4_request") return std::nullopt;
  SigV4Authorization parsed;
  parsed.access_key_id = std::string(parts[0]);
  parsed.scope = SigV4Scope{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  parsed.signed_headers = std::string(*signed_headers);
  parsed.signature = std::string(*signature);
  return parsed;
}

REKOGNITION_INLINE void SigV4Signer::Sign(HttpRequest& request, const Credentials& credentials,
                                          const SigV4Params& params) const {
  CheckInputs(credentials, params);
  const detail::SigV4UrlParts url = SplitUrl(request.url);
  if (FindHeader(request.headers, "host") == nullptr)
    request.headers.emplace_back("Host", detail::SigV4HostHeader(url.scheme, url.authority));

  // X-Amz-Date moves into its header; the signature reads a copy on the stack.
  std::string amz_date_header = FormatAmzDate(params.time);
  char amz_date_copy[64];
  const std::size_t amz_date_size = std::min(amz_date_header.size(), sizeof amz_date_copy);
  std::memcpy(amz_date_copy, amz_date_header.data(), amz_date_size);
  const std::string_view amz_date(amz_date_copy, amz_date_size);
  const SigV4Scope scope{std::string(amz_date.substr(0, 8)), params.region, params.service};
  if (!credentials.session_token.empty()) {
    SetHeader(request.headers, "X-Amz-Security-Token", credentials.session_token);
  } else {
    // A token left from earlier credentials would not match these keys.
    request.headers.erase(std::remove_if(request.headers.begin(), request.headers.end(),
                                         [](const auto& header) {
                                           return detail::EqualsIgnoreCase(header.first,
                                                                           "x-amz-security-token");
                                         }),
                          request.headers.end());
  }
  SetHeader(request.headers, "X-Amz-Date", std::move(amz_date_header));
  std::string payload_hash_storage;
  const std::string_view payload_hash = PayloadHash(request, params, payload_hash_storage);
  if (params.sign_body)
    SetHeader(request.headers, "x-amz-content-sha256", std::string(payload_hash));

  // The Authorization value is built in place: its signed headers list is
  // also what the canonical request signs. The headers block and the string
  // to sign go to buffers each thread reuses (the block, which holds the
  // session token, is wiped after use); the canonical request is hashed
  // piece by piece and never assembled.
  std::string authorization;
  authorization.reserve(std::char_traits<char>::length(kAlgorithm) + 12 +
                        credentials.access_key_id.size() + scope.date.size() + scope.region.size() +
                        scope.service.size() + 32 + 24 * (request.headers.size() + 1) + 12 + 64);
  authorization.append(kAlgorithm).append(" Credential=").append(credentials.access_key_id);
  authorization.append(1, '/').append(scope.date).append(1, '/').append(scope.region);
  authorization.append(1, '/').append(scope.service).append("/aws4_request, SignedHeaders=");
  const std::size_t names_start = authorization.size();
  thread_local std::string block;
  thread_local std::string string_to_sign;
  block.clear();
  const detail::WipeOnExit wipe_block{block};
  detail::SigV4CanonicalHeaders(
      request.headers, {},
      [&](std::string_view name) {
        return !detail::SigV4UnsignedHeader(name) &&
               !(params.omit_session_token &&
                 detail::EqualsIgnoreCase(name, "x-amz-security-token"));
      },
      &block, &authorization);
  detail::Sha256Stream canonical;
  detail::SigV4WriteCanonicalRequest(
      request.method, url, block, std::string_view(authorization).substr(names_start), payload_hash,
      params, [&canonical](std::string_view piece) { canonical.Update(piece); });
  WriteStringToSign(string_to_sign, amz_date, scope, canonical.Finish());
  const detail::Sha256Digest tag =
      SignatureTag(credentials.secret_access_key, scope, string_to_sign);
  authorization.append(", Signature=");
  detail::AppendHex(authorization, tag.data(), tag.size());
  SetHeader(request.headers, "Authorization", std::move(authorization));
}

REKOGNITION_INLINE std::string SigV4Signer::Presign(const HttpRequest& request,
                                                    const Credentials& credentials,
                                                    const SigV4Params& params) const {
  CheckInputs(credentials, params);
  if (params.expires_in < std::chrono::seconds(1) || params.expires_in > std::chrono::hours(24 * 7))
    throw ConfigurationError(
        "cannot presign the request: the expiry must be between 1 second and 7 days, not " +
        std::to_string(params.expires_in.count()) + " seconds");
  const detail::SigV4UrlParts url = SplitUrl(request.url);
  const std::string host = FindHeader(request.headers, "host") == nullptr
                               ? detail::SigV4HostHeader(url.scheme, url.authority)
                               : std::string();
  const std::string amz_date = FormatAmzDate(params.time);
  const SigV4Scope scope{amz_date.substr(0, 8), params.region, params.service};

  std::string block;
  std::string signed_headers;
  // In query mode the token travels in the query, never as a signed header.
  detail::SigV4CanonicalHeaders(
      request.headers, host,
      [&](std::string_view name) {
        return !detail::SigV4UnsignedHeader(name) &&
               !detail::EqualsIgnoreCase(name, "x-amz-security-token");
      },
      &block, &signed_headers);

  // The URL without its fragment, then the signing parameters in the order
  // the AWS SDKs write them.
  std::string presigned(request.url.substr(0, url.query_end));
  if (url.query.empty() && presigned.back() != '?')
    presigned.push_back('?');
  else if (!url.query.empty() && presigned.back() != '&')
    presigned.push_back('&');
  presigned.append("X-Amz-Algorithm=").append(kAlgorithm);
  presigned.append("&X-Amz-Credential=");
  detail::SigV4AppendEncoded(presigned, credentials.access_key_id + "/" + scope.ToString(), false);
  presigned.append("&X-Amz-Date=").append(amz_date);
  presigned.append("&X-Amz-SignedHeaders=");
  detail::SigV4AppendEncoded(presigned, signed_headers, false);
  presigned.append("&X-Amz-Expires=").append(std::to_string(params.expires_in.count()));
  if (!credentials.session_token.empty()) {
    presigned.append("&X-Amz-Security-Token=");
    detail::SigV4AppendEncoded(presigned, credentials.session_token, false);
  }

  const detail::SigV4UrlParts signed_url = SplitUrl(presigned);
  std::string payload_hash_storage;
  const std::string_view payload_hash = PayloadHash(request, params, payload_hash_storage);
  const std::string canonical = detail::SigV4BuildCanonicalRequest(
      request.method, signed_url, block, signed_headers, payload_hash, params);
  presigned.append("&X-Amz-Signature=");
  presigned.append(
      Signature(credentials.secret_access_key, scope, StringToSign(amz_date, scope, canonical)));
  return presigned;
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_SIGV4_HPP
