// rekognition-cpp 0.2.0: a header-only C++17 client for Amazon
// Rekognition Custom Labels. See README.md.
// SPDX-License-Identifier: Apache-2.0
//
// GENERATED FILE: do not edit. It is the concatenation of include/rekognition/*.hpp,
// made by cmake/Amalgamate.cmake (`cmake --build build --target amalgamate`).
// Build with -lcurl -lcrypto -pthread and RapidJSON on the include path.
#ifndef REKOGNITION_SINGLE_HEADER_HPP
#define REKOGNITION_SINGLE_HEADER_HPP
// ---- begin rekognition/client_core.hpp
// rekognition-cpp: the shared state behind a Client (internal). Header-only
// builds get it through client.hpp; in compiled mode only the library's own
// translation unit (and code that needs the internals, such as benchmarks)
// includes it.
#ifndef REKOGNITION_CLIENT_CORE_HPP
#define REKOGNITION_CLIENT_CORE_HPP

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

// ---- begin rekognition/auth/credentials.hpp
// rekognition-cpp: AWS credentials and the provider interface.
#ifndef REKOGNITION_AUTH_CREDENTIALS_HPP
#define REKOGNITION_AUTH_CREDENTIALS_HPP

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// ---- begin rekognition/config/environment.hpp
// rekognition-cpp: environment variable lookup, injectable so configuration can be tested.
#ifndef REKOGNITION_CONFIG_ENVIRONMENT_HPP
#define REKOGNITION_CONFIG_ENVIRONMENT_HPP

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// ---- begin rekognition/detail/ascii.hpp
// rekognition-cpp: locale-independent ASCII case handling.
#ifndef REKOGNITION_DETAIL_ASCII_HPP
#define REKOGNITION_DETAIL_ASCII_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

// ---- begin rekognition/version.hpp
// rekognition-cpp: version and namespace macros.
#ifndef REKOGNITION_VERSION_HPP
#define REKOGNITION_VERSION_HPP

// CMake reads these three lines to set the project version.
#define REKOGNITION_VERSION_MAJOR 0
#define REKOGNITION_VERSION_MINOR 2
#define REKOGNITION_VERSION_PATCH 0

#define REKOGNITION_STRINGIFY_IMPL(x) #x
#define REKOGNITION_STRINGIFY(x) REKOGNITION_STRINGIFY_IMPL(x)
/// The library version as "MAJOR.MINOR.PATCH".
#define REKOGNITION_VERSION_STRING                                                \
  REKOGNITION_STRINGIFY(REKOGNITION_VERSION_MAJOR)                                \
  "." REKOGNITION_STRINGIFY(REKOGNITION_VERSION_MINOR) "." REKOGNITION_STRINGIFY( \
      REKOGNITION_VERSION_PATCH)

/// Marks every non-template function defined in a header, so that the header can
/// be included from many translation units without duplicate symbols.
#ifndef REKOGNITION_INLINE
#define REKOGNITION_INLINE inline
#endif

// Compiled mode: with REKOGNITION_COMPILED=1 (the CMake option of that name
// sets it for every user of the target) the client's definitions are compiled
// once, in the one translation unit that defines REKOGNITION_IMPLEMENTATION
// before including the headers (the CMake library's own source, or, when
// vendoring the single header, a .cpp file of the user's). Every other
// translation unit sees <rekognition/client.hpp> as declarations only, without
// libcurl's, OpenSSL's or RapidJSON's headers.
#if defined(REKOGNITION_IMPLEMENTATION) && !defined(REKOGNITION_COMPILED)
#define REKOGNITION_COMPILED 1
#endif
#if defined(REKOGNITION_COMPILED) && REKOGNITION_COMPILED
#define REKOGNITION_COMPILED_MODE 1
#else
#define REKOGNITION_COMPILED_MODE 0
#endif
/// True where the client's definitions are not visible (compiled mode, outside
/// the implementation translation unit).
#if REKOGNITION_COMPILED_MODE && !defined(REKOGNITION_IMPLEMENTATION)
#define REKOGNITION_DECLARATIONS_ONLY 1
#else
#define REKOGNITION_DECLARATIONS_ONLY 0
#endif
/// Marks the out-of-class definitions of what compiled mode declares only:
/// inline in header-only mode, ordinary (defined once) in compiled mode.
/// Virtual functions defined out of their class also carry it on their
/// declaration (or REKOGNITION_INLINE, when the definition is in the same
/// header and visible in both modes): a class whose first such function
/// is not declared inline has it as its "key function", and every translation
/// unit that sees an inline definition of a key function emits the class's
/// vtable and, through it, every virtual function, whether the class is used
/// there or not.
#if REKOGNITION_COMPILED_MODE
#define REKOGNITION_COMPILED_INLINE
#else
#define REKOGNITION_COMPILED_INLINE inline
#endif

// libcurl is the default transport. Builds without libcurl define
// REKOGNITION_WITH_CURL=0 (the CMake target sets it so every TU agrees) and
// must give the client a transport of their own.
#ifndef REKOGNITION_WITH_CURL
#define REKOGNITION_WITH_CURL 1
#endif

// The versioned inline namespace: two vendored copies of different versions
// cannot be linked into one program by accident (their symbols differ). Its
// name also encodes every setting that changes the layout of a public type
// (REKOGNITION_WITH_CURL: ClientConfig carries the libcurl options), so
// translation units built with different settings fail to link instead of
// sharing objects of different sizes.
#if REKOGNITION_WITH_CURL
#define REKOGNITION_ABI_NAMESPACE v0_2_curl
#else
#define REKOGNITION_ABI_NAMESPACE v0_2_nocurl
#endif
#define REKOGNITION_NAMESPACE_BEGIN \
  namespace rekognition {           \
  inline namespace REKOGNITION_ABI_NAMESPACE {
#define REKOGNITION_NAMESPACE_END \
  }                               \
  }

REKOGNITION_NAMESPACE_BEGIN
/// The library version string, e.g. "0.2.0". Thread-safe.
inline constexpr const char* kVersion = REKOGNITION_VERSION_STRING;
/// The User-Agent sent with every request.
inline constexpr const char* kUserAgent = "rekognition-cpp/" REKOGNITION_VERSION_STRING;
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_VERSION_HPP
// ---- end rekognition/version.hpp


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
// ---- end rekognition/detail/ascii.hpp



REKOGNITION_NAMESPACE_BEGIN

/// Looks up one environment variable by name: its value, or nullopt when it is
/// unset. Every piece of configuration (shared files, credentials providers,
/// region, endpoint) reads the environment through one of these, so a program
/// or a test can substitute its own. An empty std::function stands for the
/// process environment wherever one is accepted.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// A lookup over the process environment (std::getenv). Thread-safe as long as
/// nothing modifies the environment (setenv/putenv) concurrently. Never throws.
REKOGNITION_INLINE EnvironmentLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

/// A lookup over a fixed set of variables (nothing else is set), for tests and
/// for programs that want configuration independent of their environment.
/// Thread-safe (the map is copied and never modified).
REKOGNITION_INLINE EnvironmentLookup
FixedEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

namespace detail {

// The lookup to use: the given one, or the process environment when empty.
REKOGNITION_INLINE EnvironmentLookup EnvironmentOrProcess(EnvironmentLookup lookup) {
  return lookup ? std::move(lookup) : ProcessEnvironment();
}

// A variable's value, treating an empty value like an unset variable (as the
// AWS SDKs do: `export AWS_PROFILE=` means "no profile").
REKOGNITION_INLINE std::optional<std::string> NonEmptyEnv(const EnvironmentLookup& lookup,
                                                          const std::string& name) {
  std::optional<std::string> value = lookup ? lookup(name) : ProcessEnvironment()(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace detail

/// Reads a true/false setting (environment variable or profile key) the way
/// botocore's ensure_boolean does: "true" in any letter case is true, and
/// every other value, "yes" and "1" included, is false. Every boolean setting
/// of the library goes through this one function. Thread-safe; never throws.
REKOGNITION_INLINE bool ParseBooleanSetting(std::string_view value) noexcept {
  return detail::EqualsIgnoreCase(value, "true");
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_ENVIRONMENT_HPP
// ---- end rekognition/config/environment.hpp

// ---- begin rekognition/errors.hpp
// rekognition-cpp: the exception hierarchy thrown at the client boundary.
#ifndef REKOGNITION_ERRORS_HPP
#define REKOGNITION_ERRORS_HPP

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

// ---- begin rekognition/error_codes.hpp
// rekognition-cpp: which AWS error codes are throttling, transient or clock skew.
#ifndef REKOGNITION_ERROR_CODES_HPP
#define REKOGNITION_ERROR_CODES_HPP

#include <string_view>

// ---- begin rekognition/http/types.hpp
// rekognition-cpp: the HTTP request, response and failure types.
#ifndef REKOGNITION_HTTP_TYPES_HPP
#define REKOGNITION_HTTP_TYPES_HPP

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>




REKOGNITION_NAMESPACE_BEGIN

/// HTTP header list in send order. Names compare case-insensitively.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Returns the value of the first header called `name` (case-insensitive), or
/// nullptr. Thread-safe for concurrent readers.
REKOGNITION_INLINE const std::string* FindHeader(const HttpHeaders& headers,
                                                 std::string_view name) noexcept {
  for (const auto& header : headers)
    if (detail::EqualsIgnoreCase(header.first, name)) return &header.second;
  return nullptr;
}

/// Sets header `name` to `value`, replacing an existing one (case-insensitive).
REKOGNITION_INLINE void SetHeader(HttpHeaders& headers, std::string_view name, std::string value) {
  for (auto& header : headers)
    if (detail::EqualsIgnoreCase(header.first, name)) {
      header.second = std::move(value);
      return;
    }
  headers.emplace_back(std::string(name), std::move(value));
}

/// One HTTP request. `body` is a view: the caller keeps the bytes alive until
/// the transport returns, so a multi-megabyte image body is never copied.
struct HttpRequest {
  std::string method = "POST";
  std::string url;  ///< absolute, e.g. "https://rekognition.us-east-1.amazonaws.com/"
  HttpHeaders headers;
  std::string_view body;
  /// Longest the whole exchange may take (what is left of the call's
  /// deadline); 0: no bound beyond the transport's own timeouts. Transports
  /// that cannot bound a send may ignore it.
  std::chrono::milliseconds timeout{0};
};

/// One HTTP response, whatever its status.
struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  /// The header's value or nullptr (case-insensitive lookup).
  const std::string* Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
  }
};

/// Why a request got no HTTP response at all.
enum class TransportErrorKind {
  kDnsFailure,       ///< the host name did not resolve
  kConnectFailure,   ///< TCP connect refused or unreachable
  kTlsFailure,       ///< handshake or certificate verification failed
  kTimeout,          ///< connect or total timeout expired
  kConnectionReset,  ///< the peer closed or reset the connection mid-exchange
  kCancelled,        ///< the caller aborted the call
  kOther,            ///< anything else (bad URL, out of memory, ...)
};

/// A failure below HTTP: no status, no response. `native_code` is the
/// transport's own code (a CURLcode for the libcurl transport).
struct TransportFailure {
  TransportErrorKind kind = TransportErrorKind::kOther;
  int native_code = 0;
  std::string message;
};

/// The outcome of one send: a response (any status) or a transport failure.
using HttpResult = std::variant<HttpResponse, TransportFailure>;

/// Returns a short human-readable name for a transport error kind.
REKOGNITION_INLINE const char* ToString(TransportErrorKind kind) noexcept {
  switch (kind) {
    case TransportErrorKind::kDnsFailure:
      return "DnsFailure";
    case TransportErrorKind::kConnectFailure:
      return "ConnectFailure";
    case TransportErrorKind::kTlsFailure:
      return "TlsFailure";
    case TransportErrorKind::kTimeout:
      return "Timeout";
    case TransportErrorKind::kConnectionReset:
      return "ConnectionReset";
    case TransportErrorKind::kCancelled:
      return "Cancelled";
    case TransportErrorKind::kOther:
      break;
  }
  return "TransportError";
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_TYPES_HPP
// ---- end rekognition/http/types.hpp



REKOGNITION_NAMESPACE_BEGIN

/// True for the error codes every AWS SDK treats as throttling, or HTTP 429.
REKOGNITION_INLINE bool IsThrottlingError(std::string_view code, int http_status) noexcept {
  constexpr std::string_view kCodes[] = {"Throttling",
                                         "ThrottlingException",
                                         "ThrottledException",
                                         "RequestThrottledException",
                                         "TooManyRequestsException",
                                         "ProvisionedThroughputExceededException",
                                         "TransactionInProgressException",
                                         "RequestLimitExceeded",
                                         "BandwidthLimitExceeded",
                                         "LimitExceededException",
                                         "RequestThrottled",
                                         "SlowDown",
                                         "EC2ThrottledException"};
  if (http_status == 429) return true;
  for (auto known : kCodes)
    if (code == known) return true;
  return false;
}

/// True for transient service errors: the timeout codes and any HTTP 5xx,
/// whatever code the body carries (an unknown 5xx is still transient).
REKOGNITION_INLINE bool IsTransientServiceError(std::string_view code, int http_status) noexcept {
  constexpr std::string_view kCodes[] = {"RequestTimeout", "RequestTimeoutException",
                                         "PriorRequestNotComplete"};
  if (http_status >= 500 && http_status <= 599) return true;
  for (auto known : kCodes)
    if (code == known) return true;
  return false;
}

/// True for the codes that may mean our clock is off (checked against the
/// server's Date header before acting on it).
REKOGNITION_INLINE bool IsClockSkewError(std::string_view code) noexcept {
  return code == "RequestTimeTooSkewed" || code == "RequestExpired" ||
         code == "InvalidSignatureException" || code == "SignatureDoesNotMatch";
}

/// True for network faults worth another attempt: DNS, connect, timeout,
/// reset. A failed TLS verification, a cancellation or a malformed request
/// would fail the same way again.
REKOGNITION_INLINE bool IsRetryableTransportFailure(TransportErrorKind kind) noexcept {
  return kind == TransportErrorKind::kDnsFailure || kind == TransportErrorKind::kConnectFailure ||
         kind == TransportErrorKind::kTimeout || kind == TransportErrorKind::kConnectionReset;
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_ERROR_CODES_HPP
// ---- end rekognition/error_codes.hpp




REKOGNITION_NAMESPACE_BEGIN

/// Everything an error carries, gathered in one place so constructors stay short.
struct ErrorInfo {
  std::string code;        ///< AWS error code, e.g. "ThrottlingException"
  std::string message;     ///< human-readable message
  int http_status = 0;     ///< 0 when no HTTP response was received
  std::string request_id;  ///< x-amzn-RequestId, empty when unknown
  int attempts = 0;        ///< attempts made, including the first
  bool retryable = false;  ///< whether the error is of a retryable kind
};

namespace detail {
REKOGNITION_INLINE std::string FormatErrorWhat(const ErrorInfo& info) {
  std::string what = info.code;
  if (!info.message.empty()) what += ": " + info.message;
  if (info.http_status != 0 || !info.request_id.empty()) {
    what += " (";
    if (info.http_status != 0) what += "HTTP " + std::to_string(info.http_status);
    if (info.http_status != 0 && !info.request_id.empty()) what += ", ";
    if (!info.request_id.empty()) what += "request id " + info.request_id;
    what += ")";
  }
  return what;
}
}  // namespace detail

/// Root of every exception the library throws. what() reads
/// "CODE: message (HTTP status, request id ID)". Never contains secrets.
class Error : public std::runtime_error {
 public:
  explicit Error(ErrorInfo info)
      : std::runtime_error(detail::FormatErrorWhat(info)), info_(std::move(info)) {}

  /// The AWS error code, or a client-side code such as "ValidationError".
  const std::string& code() const noexcept { return info_.code; }
  /// The message without the code.
  const std::string& message() const noexcept { return info_.message; }
  /// The HTTP status, 0 when no response was received.
  int http_status() const noexcept { return info_.http_status; }
  /// The service's request id (x-amzn-RequestId), empty when unknown.
  const std::string& request_id() const noexcept { return info_.request_id; }
  /// How many attempts were made before giving up (0 when none was sent).
  int attempts() const noexcept { return info_.attempts; }
  /// True when the error is of a kind that is retried (throttling, 5xx,
  /// network); it was thrown because attempts or retry quota ran out.
  bool retryable() const noexcept { return info_.retryable; }
  /// All of the above at once.
  const ErrorInfo& info() const noexcept { return info_; }

 private:
  ErrorInfo info_;
};

/// A request failed client-side validation; nothing was sent. field() names
/// the parameter (e.g. "MinConfidence"), constraint() the rule it broke.
class ValidationError : public Error {
 public:
  ValidationError(std::string field, std::string constraint, std::string message)
      : Error(ErrorInfo{"ValidationError", std::move(message), 0, "", 0, false}),
        field_(std::move(field)),
        constraint_(std::move(constraint)) {}
  /// The request parameter that failed, e.g. "MinConfidence". Thread-safe.
  const std::string& field() const noexcept { return field_; }
  /// The rule it broke, e.g. "length 20-2048". Thread-safe.
  const std::string& constraint() const noexcept { return constraint_; }

 private:
  std::string field_;
  std::string constraint_;
};

/// No usable credentials could be found, or a provider failed. code() is
/// "CredentialsError", or the credentials service's own code (e.g. STS
/// "AccessDenied", "InvalidIdentityToken") with its request id when one
/// answered.
class CredentialsError : public Error {
 public:
  explicit CredentialsError(std::string message)
      : Error(ErrorInfo{"CredentialsError", std::move(message), 0, "", 0, false}) {}
  /// With everything a credentials service said (code, status, request id).
  explicit CredentialsError(ErrorInfo info) : Error(std::move(info)) {}
};

/// A credentials source is configured (a web identity token file, a role to
/// assume, an IAM Identity Center profile) but could not deliver. A chain
/// stops at this error instead of trying the next source, as the AWS SDKs
/// do: a pod configured for its own role must never fall back to the node's
/// instance role.
class CredentialsSourceError : public CredentialsError {
 public:
  using CredentialsError::CredentialsError;
};

/// The configuration is unusable: no region, bad profile, bad endpoint.
class ConfigurationError : public Error {
 public:
  explicit ConfigurationError(std::string message)
      : Error(ErrorInfo{"ConfigurationError", std::move(message), 0, "", 0, false}) {}
};

/// No HTTP response arrived: DNS, connect, TLS, timeout or reset.
class TransportError : public Error {
 public:
  TransportError(TransportFailure failure, int attempts)
      : Error(ErrorInfo{ToString(failure.kind), failure.message, 0, "", attempts,
                        IsRetryableTransportFailure(failure.kind)}),
        kind_(failure.kind),
        native_code_(failure.native_code) {}
  /// What went wrong on the network (timeout, reset, TLS, cancelled...). Thread-safe.
  TransportErrorKind kind() const noexcept { return kind_; }
  /// The transport's own code (a CURLcode for the libcurl transport).
  int native_code() const noexcept { return native_code_; }

 private:
  TransportErrorKind kind_;
  int native_code_;
};

/// The service answered with an error. Subclasses exist for every error the
/// operation models; unknown codes are thrown as a plain ServiceError.
class ServiceError : public Error {
 public:
  explicit ServiceError(ErrorInfo info) : Error(std::move(info)) {}
};

/// The request was not authenticated or not authorized (signature, key, token).
class AuthError : public ServiceError {
 public:
  using ServiceError::ServiceError;
};

#define REKOGNITION_DEFINE_ERROR(Name, Base) \
  class Name : public Base {                 \
   public:                                   \
    using Base::Base;                        \
  };

/// You are not authorized to perform the action.
REKOGNITION_DEFINE_ERROR(AccessDeniedException, ServiceError)
/// The image is larger than the service accepts.
REKOGNITION_DEFINE_ERROR(ImageTooLargeException, ServiceError)
/// The service had an internal error (retried as transient).
REKOGNITION_DEFINE_ERROR(InternalServerError, ServiceError)
/// The image is not a supported PNG or JPEG.
REKOGNITION_DEFINE_ERROR(InvalidImageFormatException, ServiceError)
/// An input parameter violated a constraint.
REKOGNITION_DEFINE_ERROR(InvalidParameterException, ServiceError)
/// The pagination token (NextToken) is not valid.
REKOGNITION_DEFINE_ERROR(InvalidPaginationTokenException, ServiceError)
/// The S3 object could not be read.
REKOGNITION_DEFINE_ERROR(InvalidS3ObjectException, ServiceError)
/// A service limit was exceeded (retried as throttling).
REKOGNITION_DEFINE_ERROR(LimitExceededException, ServiceError)
/// The account's throughput limit was exceeded (retried as throttling).
REKOGNITION_DEFINE_ERROR(ProvisionedThroughputExceededException, ServiceError)
/// The resource is in use: e.g. the model version is already starting or
/// stopping, or cannot change state now.
REKOGNITION_DEFINE_ERROR(ResourceInUseException, ServiceError)
/// The project version does not exist.
REKOGNITION_DEFINE_ERROR(ResourceNotFoundException, ServiceError)
/// The project version is not running; start it first.
REKOGNITION_DEFINE_ERROR(ResourceNotReadyException, ServiceError)
/// The request rate was too high (retried as throttling).
REKOGNITION_DEFINE_ERROR(ThrottlingException, ServiceError)
/// The request signature did not verify.
REKOGNITION_DEFINE_ERROR(InvalidSignatureException, AuthError)
/// The request signature did not match (IAM/STS-style services and peers).
REKOGNITION_DEFINE_ERROR(SignatureDoesNotMatch, AuthError)
/// The access key is not known to the service.
REKOGNITION_DEFINE_ERROR(UnrecognizedClientException, AuthError)
/// The access key id does not exist (IAM/STS-style code).
REKOGNITION_DEFINE_ERROR(InvalidClientTokenId, AuthError)
/// The session token has expired.
REKOGNITION_DEFINE_ERROR(ExpiredTokenException, AuthError)
/// The principal is not allowed to call the action (IAM-style code).
REKOGNITION_DEFINE_ERROR(AccessDenied, AuthError)

#undef REKOGNITION_DEFINE_ERROR

/// Throws the exception class that matches `info.code` (a plain ServiceError
/// for unknown codes). `info.retryable` is filled in from the code and status.
[[noreturn]] REKOGNITION_INLINE void ThrowServiceError(ErrorInfo info) {
  info.retryable = IsThrottlingError(info.code, info.http_status) ||
                   IsTransientServiceError(info.code, info.http_status);
  const std::string& c = info.code;
#define REKOGNITION_THROW_IF(Name) \
  if (c == #Name) throw Name(std::move(info));
  REKOGNITION_THROW_IF(AccessDeniedException)
  REKOGNITION_THROW_IF(ImageTooLargeException)
  REKOGNITION_THROW_IF(InternalServerError)
  REKOGNITION_THROW_IF(InvalidImageFormatException)
  REKOGNITION_THROW_IF(InvalidParameterException)
  REKOGNITION_THROW_IF(InvalidPaginationTokenException)
  REKOGNITION_THROW_IF(InvalidS3ObjectException)
  REKOGNITION_THROW_IF(LimitExceededException)
  REKOGNITION_THROW_IF(ProvisionedThroughputExceededException)
  REKOGNITION_THROW_IF(ResourceInUseException)
  REKOGNITION_THROW_IF(ResourceNotFoundException)
  REKOGNITION_THROW_IF(ResourceNotReadyException)
  REKOGNITION_THROW_IF(ThrottlingException)
  REKOGNITION_THROW_IF(InvalidSignatureException)
  REKOGNITION_THROW_IF(SignatureDoesNotMatch)
  REKOGNITION_THROW_IF(UnrecognizedClientException)
  REKOGNITION_THROW_IF(InvalidClientTokenId)
  REKOGNITION_THROW_IF(ExpiredTokenException)
  REKOGNITION_THROW_IF(AccessDenied)
#undef REKOGNITION_THROW_IF
  throw ServiceError(std::move(info));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_ERRORS_HPP
// ---- end rekognition/errors.hpp



REKOGNITION_NAMESPACE_BEGIN

/// An AWS access key pair with an optional session token and expiry.
/// The secret and token never appear in logs, exceptions or output.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty when there is none
  /// When temporary credentials stop working; empty for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;

  /// True when both key parts are present.
  bool IsValid() const noexcept { return !access_key_id.empty() && !secret_access_key.empty(); }
};

/// Supplies credentials. Implementations must be thread-safe: the client asks
/// on every call from any thread. Throws CredentialsError when it cannot
/// supply any.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Returns usable credentials or throws CredentialsError.
  virtual Credentials GetCredentials() = 0;
};

/// Always returns the credentials it was built with. Thread-safe.
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  StaticCredentialsProvider(std::string access_key_id, std::string secret_access_key,
                            std::string session_token = {})
      : credentials_{std::move(access_key_id), std::move(secret_access_key),
                     std::move(session_token), std::nullopt} {}
  /// Returns the stored credentials; throws CredentialsError if a part is empty.
  Credentials GetCredentials() override {
    if (!credentials_.IsValid())
      throw CredentialsError(
          "static credentials are incomplete: access key id and secret "
          "access key are both required");
    return credentials_;
  }

 private:
  Credentials credentials_;
};

/// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the
/// environment at each call (never in the constructor). Thread-safe as long as
/// nothing modifies the environment concurrently.
class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  /// Reads the process environment.
  EnvironmentCredentialsProvider() = default;
  /// Reads through `env` instead (empty: the process environment).
  explicit EnvironmentCredentialsProvider(EnvironmentLookup env) : env_(std::move(env)) {}

  /// Throws CredentialsError when either key variable is unset or empty.
  Credentials GetCredentials() override {
    Credentials credentials;
    credentials.access_key_id = Read("AWS_ACCESS_KEY_ID");
    credentials.secret_access_key = Read("AWS_SECRET_ACCESS_KEY");
    credentials.session_token = Read("AWS_SESSION_TOKEN");
    if (!credentials.IsValid())
      throw CredentialsError(
          "no credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
          "must both be set");
    return credentials;
  }

 private:
  std::string Read(const char* name) const {
    return detail::NonEmptyEnv(env_, name).value_or(std::string());
  }

  EnvironmentLookup env_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_HPP
// ---- end rekognition/auth/credentials.hpp

// ---- begin rekognition/auth/credentials_providers.hpp
// rekognition-cpp: every credentials provider, in one include.
#ifndef REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP
#define REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP

// ---- begin rekognition/auth/assume_role_credentials_provider.hpp
// rekognition-cpp: credentials of a role assumed through a profile (role_arn with source_profile or
// credential_source).
#ifndef REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP

#include <algorithm>
#include <charconv>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

// ---- begin rekognition/auth/container_credentials_provider.hpp
// rekognition-cpp: credentials from the container credentials endpoint (ECS, EKS Pod Identity).
#ifndef REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>


// ---- begin rekognition/auth/credentials_http.hpp
// rekognition-cpp: the HTTP plumbing shared by the container and instance metadata providers.
#ifndef REKOGNITION_AUTH_CREDENTIALS_HTTP_HPP
#define REKOGNITION_AUTH_CREDENTIALS_HTTP_HPP

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <variant>

// ---- begin rekognition/http/curl_transport.hpp
// rekognition-cpp: the default HttpTransport, over libcurl.
#ifndef REKOGNITION_HTTP_CURL_TRANSPORT_HPP
#define REKOGNITION_HTTP_CURL_TRANSPORT_HPP



#if REKOGNITION_WITH_CURL

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

// ---- begin rekognition/http/async_driver.hpp
// rekognition-cpp: the asynchronous side of a transport: a driver that one
// event-loop thread runs, and the default driver over a blocking send.
#ifndef REKOGNITION_HTTP_ASYNC_DRIVER_HPP
#define REKOGNITION_HTTP_ASYNC_DRIVER_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>




REKOGNITION_NAMESPACE_BEGIN

/// Receives the outcome of an asynchronous send, exactly once: the result
/// (a response or a TransportFailure), or, when sending threw (a transport's
/// bug, a test double's failed expectation), that exception, which the call
/// then fails with as the blocking call would have thrown it.
class HttpCompletion {
 public:
  HttpCompletion() = default;
  /// Calls `on_result` with the result, `on_exception` with an exception
  /// (null: the exception becomes a TransportFailure of kind kOther).
  HttpCompletion(std::function<void(HttpResult)> on_result,
                 std::function<void(std::exception_ptr)> on_exception = {})
      : on_result_(std::move(on_result)), on_exception_(std::move(on_exception)) {}

  /// Delivers the result.
  void operator()(HttpResult result) const { on_result_(std::move(result)); }
  /// Delivers the exception sending threw.
  void Fail(std::exception_ptr error) const {
    if (on_exception_) {
      on_exception_(std::move(error));
      return;
    }
    on_result_(TransportFailure{TransportErrorKind::kOther, 0, "the transport threw"});
  }
  /// True unless default-constructed.
  explicit operator bool() const noexcept { return static_cast<bool>(on_result_); }

 private:
  std::function<void(HttpResult)> on_result_;
  std::function<void(std::exception_ptr)> on_exception_;
};

/// Runs the asynchronous sends of one event loop. Start, Cancel and Run are
/// called from the loop's thread only; Wake from any thread. Completions run
/// inside Run (or Cancel), on the loop's thread, and may call Start and
/// Cancel themselves.
class AsyncHttpDriver {
 public:
  virtual ~AsyncHttpDriver() = default;
  /// Starts sending `request`, which the caller keeps alive (body included)
  /// until `done` has run. Returns an id for Cancel. Must not throw for
  /// network faults: they reach `done` as a TransportFailure.
  virtual std::uint64_t Start(const HttpRequest& request, HttpCompletion done) = 0;
  /// Stops transfer `id` if it has not completed: its completion runs with
  /// kCancelled before Cancel returns. Unknown or finished ids are ignored.
  virtual void Cancel(std::uint64_t id) = 0;
  /// Waits at most `max_wait` for transfers to progress and runs the
  /// completions of those that finished. Returns early after Wake.
  virtual void Run(std::chrono::milliseconds max_wait) = 0;
  /// Makes a Run in progress, or the next one, return soon. Thread-safe,
  /// never throws.
  virtual void Wake() noexcept = 0;
};

namespace detail {

// The driver of a transport that only knows how to send and wait: each
// started request is sent by the next Run, on the loop's thread. Right for
// stubs and recordings, which answer at once; a transport that blocks on the
// network should bring its own driver, or it holds up the loop.
class SendingDriver : public AsyncHttpDriver {
 public:
  explicit SendingDriver(std::function<HttpResult(const HttpRequest&)> send)
      : send_(std::move(send)) {}

  std::uint64_t Start(const HttpRequest& request, HttpCompletion done) override {
    pending_.push_back(Pending{++last_id_, &request, std::move(done)});
    return last_id_;
  }

  void Cancel(std::uint64_t id) override {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->id != id) continue;
      HttpCompletion done = std::move(it->done);
      pending_.erase(it);
      done(TransportFailure{TransportErrorKind::kCancelled, 0, "cancelled"});
      return;
    }
  }

  void Run(std::chrono::milliseconds max_wait) override {
    if (pending_.empty()) {
      std::unique_lock<std::mutex> lock(mutex_);
      woken_.wait_for(lock, max_wait, [this] { return wake_; });
      wake_ = false;
      return;
    }
    // Only what was started before this Run: completions may start more.
    for (std::size_t n = pending_.size(); n > 0 && !pending_.empty(); --n) {
      Pending next = std::move(pending_.front());
      pending_.pop_front();
      std::optional<HttpResult> result;
      std::exception_ptr error;
      try {
        result.emplace(send_(*next.request));
      } catch (...) {
        error = std::current_exception();
      }
      if (error)
        next.done.Fail(std::move(error));
      else
        next.done(std::move(*result));
    }
  }

  void Wake() noexcept override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      wake_ = true;
    }
    woken_.notify_one();
  }

 private:
  struct Pending {
    std::uint64_t id;
    const HttpRequest* request;
    HttpCompletion done;
  };

  std::function<HttpResult(const HttpRequest&)> send_;
  std::deque<Pending> pending_;
  std::uint64_t last_id_ = 0;
  std::mutex mutex_;
  std::condition_variable woken_;
  bool wake_ = false;
};

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_ASYNC_DRIVER_HPP
// ---- end rekognition/http/async_driver.hpp

// ---- begin rekognition/http/curl_exchange.hpp
// rekognition-cpp: one libcurl exchange: the transport's options, the
// response sink, the stall watch and the easy-handle setup shared by the
// blocking transport and the multi driver.
#ifndef REKOGNITION_HTTP_CURL_EXCHANGE_HPP
#define REKOGNITION_HTTP_CURL_EXCHANGE_HPP



#if REKOGNITION_WITH_CURL

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

// ---- begin rekognition/detail/posix.hpp
// rekognition-cpp: everything the library needs from the operating system
// beyond standard C++, in one place (POSIX: Linux, macOS, the BSDs): running
// a program without a shell and collecting its output, reading a regular
// file without blocking on FIFOs, parsing IP addresses, asking the kernel
// when a TCP connection last received data. A port to another
// system (Windows is not supported yet) replaces this file.
#ifndef REKOGNITION_DETAIL_POSIX_HPP
#define REKOGNITION_DETAIL_POSIX_HPP

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>



// The process environment, passed on to the child unchanged.
extern char** environ;

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// How a subprocess run ended.
enum class SubprocessOutcome {
  kExited,          ///< it exited by itself; see exit_code
  kSignaled,        ///< a signal ended it; see signal
  kTimedOut,        ///< it ran past the timeout and was killed
  kOutputTooLarge,  ///< it wrote more than the cap and was killed
  kSpawnFailed,     ///< it could not be started; see spawn_error (an errno)
};

/// What a run left behind.
struct SubprocessResult {
  SubprocessOutcome outcome = SubprocessOutcome::kSpawnFailed;
  int exit_code = -1;
  int signal = 0;
  int spawn_error = 0;
  std::string out;  ///< standard output (at most the cap)
  std::string err;  ///< the start of standard error (at most 4 KiB)
};

// Owns a file descriptor.
class SubprocessFd {
 public:
  SubprocessFd() = default;
  explicit SubprocessFd(int fd) : fd_(fd) {}
  SubprocessFd(const SubprocessFd&) = delete;
  SubprocessFd& operator=(const SubprocessFd&) = delete;
  SubprocessFd(SubprocessFd&& other) noexcept : fd_(other.Release()) {}
  SubprocessFd& operator=(SubprocessFd&& other) noexcept {
    Reset(other.Release());
    return *this;
  }
  ~SubprocessFd() { Reset(); }
  int get() const noexcept { return fd_; }
  void Reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  // Gives up ownership.
  int Release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// A close-on-exec pipe whose ends are above the standard descriptors, so the
// child's dup2 onto 1 and 2 always clears close-on-exec on the copy.
REKOGNITION_INLINE bool MakeSubprocessPipe(SubprocessFd& read_end, SubprocessFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int& fd : fds) {
    if (fd <= 2) {
      const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
      ::close(fd);
      fd = moved;
    }
  }
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return fds[0] >= 0 && fds[1] >= 0;
}

// Waits for a child that was just killed with SIGKILL.
REKOGNITION_INLINE void ReapKilledSubprocess(pid_t pid) noexcept {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

/// How SpawnProcess starts a program.
struct SpawnOptions {
  bool capture_stdout = true;        ///< stdout on a pipe (else inherited)
  bool capture_stderr = true;        ///< stderr on a pipe (else inherited)
  bool stdin_from_dev_null = false;  ///< stdin from /dev/null (else inherited)
  /// "NAME=value" entries of the child's environment; null: this process's.
  const std::vector<std::string>* environment = nullptr;
};

/// A started program: its pid and the read ends of what was captured.
struct SpawnedProcess {
  pid_t pid = -1;
  SubprocessFd out;  ///< its stdout, when captured
  SubprocessFd err;  ///< its stderr, when captured
  int error = 0;     ///< an errno value when it could not be started (pid -1)
};

/// Starts `argv` (argv[0] looked up in PATH, as execvp does) with no shell,
/// no blocked signals and default SIGPIPE. Every descriptor made here is
/// close-on-exec, so concurrent spawns do not leak pipes into each other's
/// children. The one way every part of the project starts a program.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE SpawnedProcess SpawnProcess(const std::vector<std::string>& argv,
                                               const SpawnOptions& options = {}) {
  SpawnedProcess process;
  if (argv.empty()) {
    process.error = EINVAL;
    return process;
  }
  SubprocessFd out_write, err_write;
  if ((options.capture_stdout && !MakeSubprocessPipe(process.out, out_write)) ||
      (options.capture_stderr && !MakeSubprocessPipe(process.err, err_write))) {
    process.error = errno != 0 ? errno : EMFILE;
    process.out.Reset();
    process.err.Reset();
    return process;
  }

  std::vector<std::string> arguments(argv);
  std::vector<char*> pointers;
  pointers.reserve(arguments.size() + 1);
  for (auto& argument : arguments) pointers.push_back(&argument[0]);
  pointers.push_back(nullptr);
  std::vector<std::string> variables;
  std::vector<char*> environment;
  if (options.environment) {
    variables = *options.environment;
    environment.reserve(variables.size() + 1);
    for (auto& variable : variables) environment.push_back(&variable[0]);
    environment.push_back(nullptr);
  }

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  if (options.capture_stdout) posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  if (options.stdin_from_dev_null)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  // The child starts with no blocked signals and default SIGPIPE, whatever
  // this process does with them.
  sigset_t empty_set, default_set;
  sigemptyset(&empty_set);
  sigemptyset(&default_set);
  sigaddset(&default_set, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &empty_set);
  posix_spawnattr_setsigdefault(&attributes, &default_set);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int spawned =
      ::posix_spawnp(&process.pid, pointers[0], &actions, &attributes, pointers.data(),
                     options.environment ? environment.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    process.pid = -1;
    process.error = spawned;
    process.out.Reset();
    process.err.Reset();
  }
  return process;
}

/// Runs `argv` (argv[0] is looked up in PATH, as execvp does) with no shell,
/// the process environment, stdin inherited and stdout/stderr captured.
/// Kills it (SIGKILL) when it runs longer than `timeout` or writes more than
/// `max_output` bytes to stdout. Thread-safe: descriptors are close-on-exec,
/// so concurrent runs do not leak pipes into each other's children. Throws
/// only std::bad_alloc.
REKOGNITION_INLINE SubprocessResult RunSubprocess(const std::vector<std::string>& argv,
                                                  std::chrono::milliseconds timeout,
                                                  std::size_t max_output) {
  constexpr std::size_t kMaxStderr = 4096;
  SubprocessResult result;
  SpawnedProcess process = SpawnProcess(argv);
  if (process.pid < 0) {
    result.spawn_error = process.error;
    return result;
  }
  const pid_t pid = process.pid;
  SubprocessFd out_read = std::move(process.out);
  SubprocessFd err_read = std::move(process.err);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  bool killed = false;
  char buffer[4096];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      result.outcome = SubprocessOutcome::kTimedOut;
      break;
    }
    pollfd fds[2];
    nfds_t count = 0;
    if (out_open) fds[count++] = pollfd{out_read.get(), POLLIN, 0};
    if (err_open) fds[count++] = pollfd{err_read.get(), POLLIN, 0};
    const int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      ::kill(pid, SIGKILL);
      killed = true;
      result.outcome = SubprocessOutcome::kTimedOut;
      break;
    }
    if (ready <= 0) continue;
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const bool is_out = fds[i].fd == out_read.get();
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        (is_out ? out_open : err_open) = false;
        continue;
      }
      if (is_out) {
        if (result.out.size() + static_cast<std::size_t>(n) > max_output) {
          ::kill(pid, SIGKILL);
          killed = true;
          result.outcome = SubprocessOutcome::kOutputTooLarge;
          break;
        }
        result.out.append(buffer, static_cast<std::size_t>(n));
      } else if (result.err.size() < kMaxStderr) {
        result.err.append(buffer,
                          std::min(static_cast<std::size_t>(n), kMaxStderr - result.err.size()));
      }
    }
    if (killed) break;
  }
  if (killed) {
    ReapKilledSubprocess(pid);
    return result;
  }

  // Both pipes are closed; the child normally exits right after. Wait for it
  // within what is left of the timeout.
  for (;;) {
    int status = 0;
    const pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited == pid) {
      if (WIFEXITED(status)) {
        result.outcome = SubprocessOutcome::kExited;
        result.exit_code = WEXITSTATUS(status);
      } else {
        result.outcome = SubprocessOutcome::kSignaled;
        result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      }
      return result;
    }
    if (waited < 0 && errno != EINTR) {
      result.outcome = SubprocessOutcome::kExited;
      result.exit_code = -1;
      return result;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ReapKilledSubprocess(pid);
      result.outcome = SubprocessOutcome::kTimedOut;
      return result;
    }
    ::poll(nullptr, 0, 5);
  }
}

/// What ReadRegularFile found.
enum class FileReadStatus {
  kRead,        ///< `out` holds the whole file
  kMissing,     ///< no such file (or a path through a non-directory, a loop, a FIFO without writer)
  kNotRegular,  ///< a directory, device or FIFO: treated as no file
  kOpenFailed,  ///< it exists but cannot be opened; see error_number
  kReadFailed,  ///< reading failed; see error_number
  kTooLarge,    ///< larger than the limit
};

/// What stat() says of a path: found (else error_number), a regular file,
/// its size.
struct PathStatus {
  bool found = false;
  int error_number = 0;
  bool regular = false;
  unsigned long long size = 0;
};

/// Looks at `path` without opening it (a FIFO never blocks). No throw.
/// Thread-safe.
REKOGNITION_INLINE PathStatus StatPath(const std::string& path) noexcept {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {false, errno, false, 0};
  return {true, 0, S_ISREG(info.st_mode), static_cast<unsigned long long>(info.st_size)};
}

/// The status of ReadRegularFile and the errno behind a failure.
struct FileReadResult {
  FileReadStatus status = FileReadStatus::kMissing;
  int error_number = 0;
};

/// Reads the regular file at `path`, at most `max_bytes`, into `out`.
/// Opening never waits (a FIFO without writer is "missing", any non-regular
/// file "not regular"). Throws std::bad_alloc only. Thread-safe.
REKOGNITION_INLINE FileReadResult ReadRegularFile(const std::string& path, std::size_t max_bytes,
                                                  std::string& out) {
  out.clear();
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR || error == ELOOP || error == ENXIO)
      return {FileReadStatus::kMissing, error};
    return {FileReadStatus::kOpenFailed, error};
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return {FileReadStatus::kNotRegular, 0};
  }
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return {FileReadStatus::kReadFailed, error};
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return {FileReadStatus::kTooLarge, 0};
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return {FileReadStatus::kRead, 0};
}

/// Parses a dotted-quad IPv4 address into its 4 bytes (network order).
/// Returns false for anything else. Never throws. Thread-safe.
REKOGNITION_INLINE bool ParseIpv4Address(const std::string& text,
                                         unsigned char (&out)[4]) noexcept {
  in_addr address{};
  if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  std::memcpy(out, &address, sizeof out);
  return true;
}

/// Parses an IPv6 address (RFC 4291 text forms) into its 16 bytes. Returns
/// false for anything else. Never throws. Thread-safe.
REKOGNITION_INLINE bool ParseIpv6Address(const std::string& text,
                                         unsigned char (&out)[16]) noexcept {
  in6_addr address{};
  if (::inet_pton(AF_INET6, text.c_str(), &address) != 1) return false;
  std::memcpy(out, &address, sizeof out);
  return true;
}

// True when `address` (from getsockname or getpeername) is `ip`:`port`.
REKOGNITION_INLINE bool SocketAddressIs(const sockaddr_storage& address, const char* ip,
                                        long port) noexcept {
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    in_addr expected{};
    return ntohs(v4.sin_port) == port && ::inet_pton(AF_INET, ip, &expected) == 1 &&
           std::memcmp(&expected, &v4.sin_addr, sizeof expected) == 0;
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &address, sizeof v6);
    in6_addr expected{};
    return ntohs(v6.sin6_port) == port && ::inet_pton(AF_INET6, ip, &expected) == 1 &&
           std::memcmp(&expected, &v6.sin6_addr, sizeof expected) == 0;
  }
  return false;
}

/// How long ago the kernel last received data on this process's TCP
/// connection from `local_ip`:`local_port` to `peer_ip`:`peer_port` (numeric
/// addresses, as libcurl reports them), bytes not yet read by the program
/// included: Linux's TCP_INFO tcpi_last_data_recv, in milliseconds. The
/// socket is found among the process's open descriptors (/proc/self/fd), so
/// this costs a few system calls per descriptor: call it rarely. Returns
/// false when there is no such connection or the system cannot tell (any
/// other than Linux). Never throws. Thread-safe.
REKOGNITION_INLINE bool TcpReceiveIdleTime(const char* local_ip, long local_port,
                                           const char* peer_ip, long peer_port,
                                           std::chrono::milliseconds& idle) noexcept {
#if defined(__linux__)
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return false;
  bool found = false;
  while (const dirent* entry = ::readdir(directory)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == ::dirfd(directory)) continue;
    const int socket = static_cast<int>(fd);
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        !SocketAddressIs(address, local_ip, local_port))
      continue;
    length = sizeof address;
    if (::getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        !SocketAddressIs(address, peer_ip, peer_port))
      continue;
    tcp_info info{};
    length = sizeof info;
    if (::getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
        length < offsetof(tcp_info, tcpi_last_data_recv) + sizeof info.tcpi_last_data_recv)
      break;
    idle = std::chrono::milliseconds(info.tcpi_last_data_recv);
    found = true;
    break;
  }
  ::closedir(directory);
  return found;
#else
  (void)local_ip;
  (void)local_port;
  (void)peer_ip;
  (void)peer_port;
  (void)idle;
  return false;
#endif
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_POSIX_HPP
// ---- end rekognition/detail/posix.hpp

// ---- begin rekognition/http/curl_options.hpp
// rekognition-cpp: the settings of the libcurl transport, apart from the
// transport itself so that ClientConfig carries them without libcurl's headers.
#ifndef REKOGNITION_HTTP_CURL_OPTIONS_HPP
#define REKOGNITION_HTTP_CURL_OPTIONS_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>



REKOGNITION_NAMESPACE_BEGIN

/// Settings of the libcurl transport.
struct CurlTransportOptions {
  /// Time allowed to establish the TCP and TLS connection (botocore default: 60 s).
  std::chrono::milliseconds connect_timeout{60000};
  /// Longest time without receiving a byte (status line, headers or body)
  /// once the request is sent, like botocore's read_timeout (default 60 s);
  /// sending counts as activity too. It bounds a stall, not a slow trickle:
  /// bound the whole call with ClientConfig::call_timeout. 0 disables it.
  std::chrono::milliseconds read_timeout{60000};
  /// Upper bound on the whole exchange; 0 means no bound beyond the above.
  std::chrono::milliseconds request_timeout{0};
  /// Verify the server certificate and host name (on by default).
  bool verify_tls = true;
  /// PEM file of trusted CAs (e.g. from AWS_CA_BUNDLE); empty uses the system store.
  std::string ca_bundle;
  /// Idle connections kept for reuse (keep-alive pool size).
  std::size_t max_idle_connections = 64;
  /// Largest response body accepted (default 4 MiB: DetectCustomLabels
  /// answers are far smaller). A larger body, announced by Content-Length or
  /// not, stops the transfer at once and is reported as kOther; memory for a
  /// response never grows beyond this.
  std::size_t max_response_bytes = std::size_t{4} << 20;
  /// When set and it becomes true, transfers in flight stop with kCancelled.
  std::shared_ptr<std::atomic<bool>> cancel;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_CURL_OPTIONS_HPP
// ---- end rekognition/http/curl_options.hpp



REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// curl_global_init is not thread-safe on older libcurl; run it exactly once,
// lazily, from a function-local static (no global object, no user call).
REKOGNITION_INLINE void EnsureCurlGlobalInit() {
  static const bool initialized = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialized;
}

REKOGNITION_INLINE TransportErrorKind ClassifyCurlError(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportErrorKind::kDnsFailure;
    case CURLE_COULDNT_CONNECT:
      return TransportErrorKind::kConnectFailure;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::kTimeout;
    // A handshake cut short is a network fault (botocore retries SSLError);
    // a certificate that does not verify is not.
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return TransportErrorKind::kConnectionReset;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TransportErrorKind::kTlsFailure;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
      return TransportErrorKind::kConnectionReset;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportErrorKind::kCancelled;
    default:
      return TransportErrorKind::kOther;
  }
}

// Collects one response. Headers of interim responses (100 Continue) are
// dropped when the next status line arrives. The callbacks run inside
// libcurl's C frames, so nothing may be thrown through them: an exception
// (std::bad_alloc) is caught, the transfer stopped, and the failure reported.
struct CurlResponseSink {
  HttpResponse response;
  std::size_t max_body = 0;
  bool too_large = false;
  bool out_of_memory = false;
  // When the last byte arrived (read timeout); every callback updates it.
  std::chrono::steady_clock::time_point last_byte = std::chrono::steady_clock::now();
  // The read timeout, checked at each body chunk too: a body trickling in
  // with gaps longer than it is a stall even when the gaps are shorter than
  // libcurl's once-a-second progress check.
  std::chrono::milliseconds read_timeout{0};
  bool stalled = false;

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* sink = static_cast<CurlResponseSink*>(user);
    const std::size_t n = size * count;
    const auto now = std::chrono::steady_clock::now();
    if (sink->read_timeout.count() > 0 && now - sink->last_byte >= sink->read_timeout) {
      sink->stalled = true;
      return 0;
    }
    sink->last_byte = now;
    if (sink->response.body.size() + n > sink->max_body) {
      sink->too_large = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    try {
      sink->response.body.append(data, n);
    } catch (...) {
      sink->out_of_memory = true;
      return 0;
    }
    return n;
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count,
                              void* user) noexcept {
    auto* sink = static_cast<CurlResponseSink*>(user);
    const std::size_t n = size * count;
    sink->last_byte = std::chrono::steady_clock::now();
    try {
      return sink->AddHeaderLine(std::string_view(data, n)) ? n : 0;
    } catch (...) {
      sink->out_of_memory = true;
      return 0;
    }
  }

  // False stops the transfer (a body announced larger than the cap).
  bool AddHeaderLine(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.substr(0, 5) == "HTTP/") {
      response.headers.clear();
      response.body.clear();
      return true;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return true;
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (EqualsIgnoreCase(name, "Content-Length")) {
      // Refuse an announced oversized body before any of it arrives, and size
      // the buffer once for the rest (no doubling growth).
      std::uint64_t length = 0;
      const auto parsed = std::from_chars(value.data(), value.data() + value.size(), length);
      if (parsed.ec == std::errc() && parsed.ptr == value.data() + value.size()) {
        if (length > max_body) {
          too_large = true;
          return false;
        }
        response.body.reserve(static_cast<std::size_t>(length));
      }
    }
    response.headers.emplace_back(std::string(name), std::string(value));
    return true;
  }
};

// True when the connection of the transfer on `handle` received data less
// than `window` ago, as the kernel counts it (see TcpReceiveIdleTime); false
// when that cannot be told. libcurl hands over the status line and headers a
// whole line at a time, so this is how a line trickling in counts as
// activity. Costs a scan of the process's descriptors: call it only when the
// transfer looks stalled. No throw.
REKOGNITION_INLINE bool ConnectionReceivedWithin(CURL* handle,
                                                 std::chrono::milliseconds window) noexcept {
  if (handle == nullptr) return false;
  char* local_ip = nullptr;
  char* peer_ip = nullptr;
  long local_port = 0;
  long peer_port = 0;
  if (curl_easy_getinfo(handle, CURLINFO_LOCAL_IP, &local_ip) != CURLE_OK ||
      curl_easy_getinfo(handle, CURLINFO_LOCAL_PORT, &local_port) != CURLE_OK ||
      curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &peer_ip) != CURLE_OK ||
      curl_easy_getinfo(handle, CURLINFO_PRIMARY_PORT, &peer_port) != CURLE_OK ||
      local_ip == nullptr || peer_ip == nullptr || local_port <= 0 || peer_port <= 0)
    return false;
  std::chrono::milliseconds idle{0};
  return TcpReceiveIdleTime(local_ip, local_port, peer_ip, peer_port, idle) && idle < window;
}

// Watches one transfer from libcurl's progress callback (called at least
// once a second): stops it when the caller cancels, or when no byte arrived
// and none was sent for read_timeout (botocore's read timeout: a stall, not
// a bound on the whole exchange). Bytes are those the sink records (whole
// header lines, body chunks) and, before a stall is declared, those the
// kernel saw arrive on the connection (a header line still trickling in).
struct CurlTransferWatch {
  const std::atomic<bool>* cancel = nullptr;
  const CurlResponseSink* sink = nullptr;
  CURL* handle = nullptr;  // the transfer's easy handle (its connection's addresses)
  std::chrono::milliseconds read_timeout{0};
  curl_off_t last_up = -1;
  std::chrono::steady_clock::time_point last_sent = std::chrono::steady_clock::now();
  bool cancelled = false;
  bool stalled = false;

  static int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t up) noexcept {
    auto* watch = static_cast<CurlTransferWatch*>(user);
    if (watch->cancel && watch->cancel->load(std::memory_order_relaxed)) {
      watch->cancelled = true;
      return 1;
    }
    const auto now = std::chrono::steady_clock::now();
    if (up != watch->last_up) {
      watch->last_up = up;
      watch->last_sent = now;
      return 0;
    }
    const auto last_activity = std::max(watch->last_sent, watch->sink->last_byte);
    if (watch->read_timeout.count() > 0 && now - last_activity >= watch->read_timeout) {
      if (ConnectionReceivedWithin(watch->handle, watch->read_timeout)) return 0;
      watch->stalled = true;
      return 1;
    }
    return 0;
  }
};

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

// One exchange's libcurl state: the response sink, the stall watch, the
// header list and the error buffer. Setup points an easy handle at it (so it
// must not move while the transfer runs); Result reads the outcome. Shared by
// the blocking transport and the multi driver, so both send the same bytes.
struct CurlExchange {
  CurlResponseSink sink;
  CurlTransferWatch watch;
  std::unique_ptr<curl_slist, CurlSlistDeleter> headers;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  CurlExchange() = default;
  CurlExchange(const CurlExchange&) = delete;
  CurlExchange& operator=(const CurlExchange&) = delete;

  // Sets every option of `request` on `handle`. A handle this exchange's
  // transport has set up before (`reused`, not curl_easy_reset since) keeps
  // the transport's options: only the request's own are set again. False:
  // out of memory.
  bool Setup(CURL* handle, const HttpRequest& request, const CurlTransportOptions& options,
             bool reused = false);
  // Clears what points into this exchange or the request, for a handle kept
  // set up (without curl_easy_reset) for the next Setup with `reused`.
  static void Detach(CURL* handle) noexcept;
  // The response or failure of a transfer that ended with `code`.
  HttpResult Result(CURL* handle, CURLcode code, const CurlTransportOptions& options);
};

REKOGNITION_INLINE bool CurlExchange::Setup(CURL* handle, const HttpRequest& request,
                                            const CurlTransportOptions& options, bool reused) {
  sink.max_body = options.max_response_bytes;
  if (!reused) {
    // The transport's own options: the same for every request it sends (set
    // first, so a handle pooled after a failed setup has them).
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &CurlResponseSink::OnBody);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &CurlResponseSink::OnHeader);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    if (!options.ca_bundle.empty())
      curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_bundle.c_str());
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    // Only HTTP(S), whatever the URL says (CURLOPT_PROTOCOLS_STR is 7.85+).
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                     static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  }
  // The list is owned from its first line, so a throw while it grows
  // (std::bad_alloc building a line) frees it too.
  headers.reset();
  const auto append = [this](const char* line) {
    curl_slist* grown = curl_slist_append(headers.get(), line);
    if (grown != nullptr && !headers) headers.reset(grown);  // else the same head
    return grown != nullptr;
  };
  std::string line;  // one buffer for every header line
  for (const auto& header : request.headers) {
    line.assign(header.first);
    if (header.second.empty())
      line += ';';  // curl's way to send an empty value
    else
      line.append(": ").append(header.second);
    if (!append(line.c_str())) return false;
  }
  // No "Expect: 100-continue" round trip for large bodies, and no default Accept.
  for (const char* suppressed : {"Expect:", "Accept:"}) {
    if (!FindHeader(request.headers, std::string_view(suppressed, std::strlen(suppressed) - 1)))
      append(suppressed);
  }

  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &sink);
  // The tighter of the transport's bound and what is left of the call; set
  // on every request (0: none), as a reused handle keeps the last one.
  std::chrono::milliseconds bound = options.request_timeout;
  if (request.timeout.count() > 0 && (bound.count() <= 0 || request.timeout < bound))
    bound = request.timeout;
  if (bound.count() > 0 || reused)
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<long long>(bound.count(), 0)));
  watch.cancel = options.cancel.get();
  watch.sink = &sink;
  watch.handle = handle;
  watch.read_timeout = options.read_timeout;
  sink.read_timeout = options.read_timeout;
  if (watch.cancel || watch.read_timeout.count() > 0) {
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &watch);
    if (!reused) {
      curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &CurlTransferWatch::OnProgress);
      curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    }
  }

  if (reused) {
    // Undo what the handle's last request set that this one may not.
    curl_easy_setopt(handle, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, static_cast<char*>(nullptr));
  }
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else {
    // POSTFIELDS points at the caller's buffer: the body is not copied.
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    if (request.method != "POST")
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  return true;
}

REKOGNITION_INLINE void CurlExchange::Detach(CURL* handle) noexcept {
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, static_cast<void*>(nullptr));
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, static_cast<char*>(nullptr));
}

REKOGNITION_INLINE HttpResult CurlExchange::Result(CURL* handle, CURLcode code,
                                                   const CurlTransportOptions& options) {
  if (code != CURLE_OK) {
    TransportFailure failure;
    failure.native_code = static_cast<int>(code);
    failure.kind =
        sink.too_large || sink.out_of_memory ? TransportErrorKind::kOther : ClassifyCurlError(code);
    failure.message =
        sink.too_large ? "response larger than the configured maximum of " +
                             std::to_string(options.max_response_bytes) + " bytes"
        : sink.out_of_memory
            ? std::string("out of memory while receiving the response")
            : std::string(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
    if (watch.stalled || sink.stalled) {
      failure.kind = TransportErrorKind::kTimeout;
      failure.message = "read timeout: nothing received for " +
                        std::to_string(options.read_timeout.count()) + " ms";
    }
    return failure;
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  sink.response.status = static_cast<int>(status);
  return std::move(sink.response);
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_WITH_CURL
#endif  // REKOGNITION_HTTP_CURL_EXCHANGE_HPP
// ---- end rekognition/http/curl_exchange.hpp

// ---- begin rekognition/http/curl_multi_driver.hpp
// rekognition-cpp: asynchronous sends over libcurl's multi interface, run by
// a client's I/O thread: any number of transfers in flight on one thread.
#ifndef REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP
#define REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP



#if REKOGNITION_WITH_CURL

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>


// ---- begin rekognition/detail/socket_set.hpp
// rekognition-cpp: the sockets an I/O thread waits on, and for what: epoll(7)
// on Linux, so a wait costs the sockets that are ready rather than every
// socket watched; poll(2) on other POSIX systems.
#ifndef REKOGNITION_DETAIL_SOCKET_SET_HPP
#define REKOGNITION_DETAIL_SOCKET_SET_HPP

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/epoll.h>
#endif




REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// What a socket is watched for, and what a wait found it ready for.
enum SocketEvent : unsigned {
  kSocketReadable = 1u,  // also reported when the peer hung up
  kSocketWritable = 2u,
  kSocketError = 4u,  // reported whatever was asked
};

// The interface both sets share. Descriptors stay the caller's, who must
// Forget one before closing it (libcurl's socket callback says REMOVE before
// it closes). Watch(fd, events) starts watching `fd` or changes what for;
// Forget(fd) stops. Wait waits at most `timeout` (0: just looks) and calls
// ready(fd, events) for each ready descriptor; the callback may Watch and
// Forget, and a descriptor forgotten meanwhile (even if its number is watched
// again for a new socket) is not reported from that wait. Wait returns how
// many were ready, or -1 when the wait failed (EINTR counts as 0).
// Level-triggered, as poll(2) is: a socket left ready is reported again.
// Neither set is thread-safe.

// Which socket a number stands for: every Watch of a number not watched
// already starts a new generation.
struct WatchedSocket {
  unsigned events;
  std::uint32_t generation;
};

// poll(2), for any POSIX system. A wait costs every descriptor watched.
class PollSocketSet {
 public:
  bool ok() const noexcept { return true; }

  bool Watch(int fd, unsigned events) {
    const auto [at, inserted] = watched_.try_emplace(fd, WatchedSocket{events, 0});
    at->second.events = events;
    if (inserted) at->second.generation = ++last_generation_;
    return true;
  }
  void Forget(int fd) { watched_.erase(fd); }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    pollfds_.clear();
    generations_.clear();
    for (const auto& [fd, watched] : watched_) {
      short wanted = 0;
      if (watched.events & kSocketReadable) wanted |= POLLIN;
      if (watched.events & kSocketWritable) wanted |= POLLOUT;
      pollfds_.push_back(pollfd{fd, wanted, 0});
      generations_.push_back(watched.generation);
    }
    const int count = ::poll(pollfds_.data(), static_cast<nfds_t>(pollfds_.size()),
                             static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    // The callback may change the watched set; this wait's list stays as it is.
    for (std::size_t i = 0; i < pollfds_.size(); ++i) {
      const pollfd& entry = pollfds_[i];
      if (entry.revents == 0) continue;
      const auto it = watched_.find(entry.fd);
      if (it == watched_.end() || it->second.generation != generations_[i]) continue;
      unsigned events = 0;
      if (entry.revents & (POLLIN | POLLHUP)) events |= kSocketReadable;
      if (entry.revents & POLLOUT) events |= kSocketWritable;
      if (entry.revents & (POLLERR | POLLNVAL)) events |= kSocketError;
      ready(entry.fd, events);
    }
    return count;
  }

 private:
  std::unordered_map<int, WatchedSocket> watched_;
  std::uint32_t last_generation_ = 0;
  // Rebuilt by each wait, kept for their capacity.
  std::vector<pollfd> pollfds_;
  std::vector<std::uint32_t> generations_;
};

#if defined(__linux__)
// epoll(7): the kernel keeps the watched set, so a wait costs the ready
// descriptors only. Each registration carries its descriptor and generation.
class EpollSocketSet {
 public:
  EpollSocketSet() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}

  // False when the kernel gave no epoll descriptor (then nothing is ready, ever).
  bool ok() const noexcept { return epoll_.get() >= 0; }

  bool Watch(int fd, unsigned events) {
    const auto [at, inserted] = watched_.try_emplace(fd, WatchedSocket{events, 0});
    at->second.events = events;
    if (inserted) at->second.generation = ++last_generation_;
    epoll_event change{};
    change.events =
        ((events & kSocketReadable) ? EPOLLIN : 0u) | ((events & kSocketWritable) ? EPOLLOUT : 0u);
    change.data.u64 = std::uint64_t{at->second.generation} << 32 | static_cast<std::uint32_t>(fd);
    int op = inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(epoll_.get(), op, fd, &change) == 0) return true;
    // A descriptor closed without Forget leaves the kernel's set by itself
    // (when nothing else holds it), and its number may come back for a new
    // socket: so an ADD may find it there still (EEXIST) and a MOD may not
    // (ENOENT). Either way, the other.
    if (errno != EEXIST && errno != ENOENT) return false;
    op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    return ::epoll_ctl(epoll_.get(), op, fd, &change) == 0;
  }

  void Forget(int fd) {
    if (watched_.erase(fd) == 0) return;
    epoll_event unused{};  // kernels before 2.6.9 want a non-null pointer
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, &unused);
  }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    if (!ok()) return -1;
    // At most this many per wait; level-triggering reports the rest next time.
    constexpr int kBatch = 64;
    epoll_event found[kBatch];
    const int count = ::epoll_wait(epoll_.get(), found, kBatch, static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < count; ++i) {
      const int fd = static_cast<int>(static_cast<std::uint32_t>(found[i].data.u64));
      const auto generation = static_cast<std::uint32_t>(found[i].data.u64 >> 32);
      const auto it = watched_.find(fd);
      if (it == watched_.end() || it->second.generation != generation) continue;
      const std::uint32_t got = found[i].events;
      unsigned events = 0;
      if (got & (EPOLLIN | EPOLLHUP)) events |= kSocketReadable;
      if (got & EPOLLOUT) events |= kSocketWritable;
      if (got & EPOLLERR) events |= kSocketError;
      ready(fd, events);
    }
    return count;
  }

 private:
  SubprocessFd epoll_;  // owns the epoll descriptor
  std::unordered_map<int, WatchedSocket> watched_;
  std::uint32_t last_generation_ = 0;
};

using SocketSet = EpollSocketSet;
#else
using SocketSet = PollSocketSet;
#endif

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_SOCKET_SET_HPP
// ---- end rekognition/detail/socket_set.hpp





REKOGNITION_NAMESPACE_BEGIN

/// An AsyncHttpDriver over one libcurl multi handle, with the options of a
/// CurlTransport (timeouts, TLS, response cap) applied to every transfer
/// exactly as the blocking transport applies them. Connections are kept
/// alive in the multi handle's own pool. Everything but Wake runs on the
/// loop's thread.
class CurlMultiDriver : public AsyncHttpDriver {
 public:
  /// A driver sending with `options`. Never throws for libcurl failures:
  /// they fail each transfer instead.
  explicit CurlMultiDriver(CurlTransportOptions options) : options_(std::move(options)) {
    detail::EnsureCurlGlobalInit();
    // libcurl is told which socket is ready (curl_multi_socket_action), and
    // the sockets wait in an epoll set on Linux, so a wake-up costs the
    // transfers it concerns, not every transfer in flight.
    if (!sockets_.ok() || !detail::MakeSubprocessPipe(wake_read_, wake_write_)) return;
    for (int fd : {wake_read_.get(), wake_write_.get()})
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (!sockets_.Watch(wake_read_.get(), detail::kSocketReadable)) return;
    multi_ = curl_multi_init();
    if (!multi_) return;
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiDriver::OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiDriver::OnTimer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }
  ~CurlMultiDriver() override {
    for (auto& entry : transfers_) {
      curl_multi_remove_handle(multi_, entry.second->easy);
      curl_easy_cleanup(entry.second->easy);
    }
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
    if (multi_) curl_multi_cleanup(multi_);
  }
  CurlMultiDriver(const CurlMultiDriver&) = delete;
  CurlMultiDriver& operator=(const CurlMultiDriver&) = delete;

  /// Starts a transfer. Throws only std::bad_alloc (nothing is then left
  /// started, and `done` is not called).
  std::uint64_t Start(const HttpRequest& request, HttpCompletion done) override {
    auto transfer = std::make_unique<Transfer>();
    transfer->id = ++last_id_;
    transfer->done = std::move(done);
    const std::uint64_t id = transfer->id;
    bool reused = false;
    CURL* easy = transfer->easy = Acquire(reused);
    bool added = false;
    try {
      const char* problem = nullptr;
      if (!multi_ || !easy)
        problem = "curl_multi_init or curl_easy_init failed (or no pipe or epoll descriptor)";
      else if (!transfer->exchange.Setup(easy, request, options_, reused))
        problem = "out of memory building headers";
      if (!problem) {
        curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
        if (curl_multi_add_handle(multi_, easy) == CURLM_OK)
          added = true;
        else
          problem = "curl_multi_add_handle failed";
      }
      if (problem) {
        if (easy) Release(easy);
        easy = nullptr;
        // Completions run from Run, never inside Start.
        failed_.push_back(Failed{std::move(transfer->done),
                                 TransportFailure{TransportErrorKind::kOther, 0, problem}});
        return id;
      }
      transfers_.emplace(id, std::move(transfer));
    } catch (...) {  // std::bad_alloc: the handle goes back, the caller sees the throw
      if (added) curl_multi_remove_handle(multi_, easy);
      if (easy) Release(easy);
      throw;
    }
    return id;
  }

  void Cancel(std::uint64_t id) override {
    auto it = transfers_.find(id);
    if (it == transfers_.end()) return;
    std::unique_ptr<Transfer> transfer = std::move(it->second);
    transfers_.erase(it);
    curl_multi_remove_handle(multi_, transfer->easy);  // closes its connection
    curl_easy_cleanup(transfer->easy);
    transfer->done(TransportFailure{TransportErrorKind::kCancelled, 0, "cancelled"});
  }

  void Run(std::chrono::milliseconds max_wait) override {
    if (!failed_.empty()) {
      std::vector<Failed> failed;
      failed.swap(failed_);
      for (Failed& f : failed) f.done(std::move(f.failure));
      return;
    }
    if (!multi_) return;
    if (RunDueTimer()) return;
    // Waits for a socket libcurl watches, libcurl's timer, Wake, or max_wait.
    std::chrono::milliseconds wait = max_wait;
    if (!transfers_.empty())
      wait = std::min(wait,
                      std::max(std::chrono::milliseconds(0),
                               std::chrono::ceil<std::chrono::milliseconds>(next_watch_ - Now())));
    if (timer_) {
      const auto until = std::chrono::ceil<std::chrono::milliseconds>(*timer_ - Now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
    }
    sockets_.Wait(wait, [this](int fd, unsigned events) {
      if (fd == wake_read_.get()) {
        char drained[64];
        while (::read(fd, drained, sizeof drained) > 0) {
        }
        return;
      }
      int flags = 0;
      if (events & detail::kSocketReadable) flags |= CURL_CSELECT_IN;
      if (events & detail::kSocketWritable) flags |= CURL_CSELECT_OUT;
      if (events & detail::kSocketError) flags |= CURL_CSELECT_ERR;
      int running = 0;
      curl_multi_socket_action(multi_, fd, flags, &running);
    });
    RunDueTimer();
    FinishDone();
    WatchTransfers();
  }

  void Wake() noexcept override {
    if (wake_write_.get() >= 0) {
      const char byte = 1;
      (void)!::write(wake_write_.get(), &byte, 1);  // full pipe: a wake-up is pending anyway
    }
  }

 private:
  struct Transfer {
    std::uint64_t id = 0;
    CURL* easy = nullptr;
    detail::CurlExchange exchange;
    HttpCompletion done;
  };
  struct Failed {
    HttpCompletion done;
    TransportFailure failure;
  };

  static std::chrono::steady_clock::time_point Now() { return std::chrono::steady_clock::now(); }

  // libcurl's socket callback: which sockets to watch, for what. It returns
  // -1 when a socket cannot be watched (out of memory, or the kernel's epoll
  // limit): libcurl then fails every transfer in flight, and refuses new ones
  // until those have ended.
  static int OnSocket(CURL*, curl_socket_t socket, int what, void* user, void*) noexcept {
    auto* driver = static_cast<CurlMultiDriver*>(user);
    try {
      if (what == CURL_POLL_REMOVE) {
        driver->sockets_.Forget(socket);
        return 0;
      }
      unsigned events = 0;
      if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= detail::kSocketReadable;
      if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= detail::kSocketWritable;
      if (!driver->sockets_.Watch(socket, events)) return -1;
    } catch (...) {
      return -1;
    }
    return 0;
  }

  // libcurl's timer callback: when to call it with CURL_SOCKET_TIMEOUT.
  static int OnTimer(CURLM*, long timeout_ms, void* user) noexcept {
    auto* driver = static_cast<CurlMultiDriver*>(user);
    if (timeout_ms < 0)
      driver->timer_.reset();
    else
      driver->timer_ = Now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  // Runs libcurl's timer when it is due (transfers just added start so).
  // True when a transfer completed.
  bool RunDueTimer() {
    if (!timer_ || *timer_ > Now()) return false;
    timer_.reset();
    int running = 0;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    return FinishDone();
  }

  // libcurl runs a transfer's progress callback (the read timeout, the
  // cancel flag) only when its socket or timer fires, and a silent peer fires
  // neither: so the driver runs every transfer's watch itself, every
  // kWatchInterval, and ends the ones it stops as libcurl would have.
  static constexpr std::chrono::milliseconds kWatchInterval{250};

  void WatchTransfers() {
    const auto now = Now();
    if (now < next_watch_) return;
    next_watch_ = now + kWatchInterval;
    std::vector<std::uint64_t> stopped;
    for (auto& entry : transfers_) {
      curl_off_t up = 0;
      curl_easy_getinfo(entry.second->easy, CURLINFO_SIZE_UPLOAD_T, &up);
      if (detail::CurlTransferWatch::OnProgress(&entry.second->exchange.watch, 0, 0, 0, up) != 0)
        stopped.push_back(entry.first);
    }
    for (const std::uint64_t id : stopped) {
      auto it = transfers_.find(id);
      if (it == transfers_.end()) continue;  // ended by an earlier completion
      std::unique_ptr<Transfer> transfer = std::move(it->second);
      transfers_.erase(it);
      curl_multi_remove_handle(multi_, transfer->easy);  // closes its connection
      const CURLcode code =
          transfer->exchange.watch.stalled ? CURLE_OPERATION_TIMEDOUT : CURLE_ABORTED_BY_CALLBACK;
      HttpResult result = transfer->exchange.Result(transfer->easy, code, options_);
      curl_easy_cleanup(transfer->easy);
      transfer->done(std::move(result));
    }
  }

  // Completes the transfers libcurl reports done. True when any was.
  bool FinishDone() {
    std::vector<std::pair<Transfer*, CURLcode>> done;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      char* owner = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &owner);
      done.emplace_back(reinterpret_cast<Transfer*>(owner), message->data.result);
    }
    // Completions may start and cancel transfers: finish each by id, after
    // the messages are read.
    std::vector<std::uint64_t> ids;
    ids.reserve(done.size());
    for (auto& entry : done) ids.push_back(entry.first->id);
    for (std::size_t i = 0; i < done.size(); ++i) {
      auto it = transfers_.find(ids[i]);
      if (it == transfers_.end()) continue;  // cancelled by an earlier completion
      std::unique_ptr<Transfer> transfer = std::move(it->second);
      transfers_.erase(it);
      HttpResult result = transfer->exchange.Result(transfer->easy, done[i].second, options_);
      curl_multi_remove_handle(multi_, transfer->easy);
      Release(transfer->easy);
      transfer->done(std::move(result));
    }
    return !done.empty();
  }

  // A pooled handle (`reused`: it keeps the transport's options) or a new one.
  CURL* Acquire(bool& reused) {
    reused = !idle_.empty();
    if (reused) {
      CURL* easy = idle_.back();
      idle_.pop_back();
      return easy;
    }
    return curl_easy_init();
  }

  void Release(CURL* easy) noexcept {
    // Keeps the transport's options, as the blocking transport does.
    detail::CurlExchange::Detach(easy);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(nullptr));
    if (idle_.size() < options_.max_idle_connections) {
      try {
        idle_.push_back(easy);
        return;
      } catch (...) {
      }
    }
    curl_easy_cleanup(easy);
  }

  CurlTransportOptions options_;
  detail::SubprocessFd wake_read_, wake_write_;  // Wake writes, Run's wait sees it
  CURLM* multi_ = nullptr;
  // The sockets libcurl asked to watch, and the wake pipe's read end.
  detail::SocketSet sockets_;
  std::optional<std::chrono::steady_clock::time_point> timer_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> transfers_;
  std::vector<Failed> failed_;
  std::vector<CURL*> idle_;
  std::uint64_t last_id_ = 0;
  std::chrono::steady_clock::time_point next_watch_ = Now();
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_WITH_CURL
#endif  // REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP
// ---- end rekognition/http/curl_multi_driver.hpp

// ---- begin rekognition/http/transport.hpp
// rekognition-cpp: the transport interface every HTTP sender implements.
#ifndef REKOGNITION_HTTP_TRANSPORT_HPP
#define REKOGNITION_HTTP_TRANSPORT_HPP

#include <memory>





REKOGNITION_NAMESPACE_BEGIN

/// Sends HTTP requests. The client calls Send from many threads at once, so
/// implementations must be thread-safe. Send must not throw for network
/// faults: it reports them as a TransportFailure value.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends `request` and waits for the whole response.
  virtual HttpResult Send(const HttpRequest& request) = 0;
  /// A driver for the asynchronous calls of one client's event loop. The
  /// default sends each request with Send on the loop's thread, which suits
  /// transports that answer at once (stubs, recordings); a transport that
  /// waits on the network overrides it (CurlTransport runs libcurl's multi
  /// interface). The transport outlives the driver. Thread-safe.
  virtual std::unique_ptr<AsyncHttpDriver> MakeAsyncDriver() {
    return std::make_unique<detail::SendingDriver>(
        [this](const HttpRequest& request) { return Send(request); });
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_TRANSPORT_HPP
// ---- end rekognition/http/transport.hpp



REKOGNITION_NAMESPACE_BEGIN

/// HttpTransport over libcurl. Keeps a pool of easy handles so connections are
/// reused (keep-alive) across calls and threads; verifies TLS by default;
/// honours HTTPS_PROXY / NO_PROXY (libcurl reads them); sends the request body
/// from the caller's buffer without copying it. Thread-safe.
class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {}) : options_(std::move(options)) {
    detail::EnsureCurlGlobalInit();
  }
  ~CurlTransport() override {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// Sends one request; network faults come back as TransportFailure values.
  /// Throws only std::bad_alloc (the easy handle goes back to the pool
  /// whatever happens).
  HttpResult Send(const HttpRequest& request) override {
    bool reused = false;
    const std::unique_ptr<CURL, HandleReturner> handle(Acquire(reused), HandleReturner{this});
    if (!handle) return TransportFailure{TransportErrorKind::kOther, 0, "curl_easy_init failed"};
    return Perform(handle.get(), request, reused);
  }

  /// A libcurl multi driver with this transport's options: the client's
  /// I/O thread runs every asynchronous call through one multi handle, with
  /// its own pool of connections.
  std::unique_ptr<AsyncHttpDriver> MakeAsyncDriver() override {
    return std::make_unique<CurlMultiDriver>(options_);
  }

  /// The options this transport was built with.
  const CurlTransportOptions& options() const noexcept { return options_; }

 private:
  // A pooled handle (`reused`: it keeps this transport's options) or a new one.
  CURL* Acquire(bool& reused) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        reused = true;
        return handle;
      }
    }
    reused = false;
    return curl_easy_init();
  }

  void Release(CURL* handle) noexcept {
    // Keeps the connection and the transport's options (setting them again
    // for every call costs more than the call's own), drops the pointers
    // into the finished exchange.
    detail::CurlExchange::Detach(handle);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (idle_.size() < options_.max_idle_connections) {
        try {
          idle_.push_back(handle);
          return;
        } catch (...) {  // no room to keep it: close it instead
        }
      }
    }
    curl_easy_cleanup(handle);
  }

  // Returns an easy handle to the pool when the call ends, normally or by
  // an exception.
  struct HandleReturner {
    CurlTransport* transport;
    void operator()(CURL* handle) const noexcept { transport->Release(handle); }
  };

  HttpResult Perform(CURL* handle, const HttpRequest& request, bool reused) {
    detail::CurlExchange exchange;
    if (!exchange.Setup(handle, request, options_, reused))
      return TransportFailure{TransportErrorKind::kOther, 0, "out of memory building headers"};
    return exchange.Result(handle, curl_easy_perform(handle), options_);
  }

  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_WITH_CURL
#endif  // REKOGNITION_HTTP_CURL_TRANSPORT_HPP
// ---- end rekognition/http/curl_transport.hpp





REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// The transport credential endpoints use when none is injected: libcurl with
/// `timeout` for the connection and for the whole exchange. nullptr in builds
/// without libcurl. Connects to nothing. Thread-safe.
REKOGNITION_INLINE std::shared_ptr<HttpTransport> MakeCredentialsTransport(
    std::chrono::milliseconds timeout) {
#if REKOGNITION_WITH_CURL
  CurlTransportOptions options;
  options.connect_timeout = timeout;
  options.read_timeout = timeout;
  options.request_timeout = timeout;
  options.max_idle_connections = 2;
  options.max_response_bytes = 1u << 20;  // credential documents are tiny
  return std::make_shared<CurlTransport>(std::move(options));
#else
  (void)timeout;
  return nullptr;
#endif
}

/// An injected transport, or the default one made on first use (so that
/// building a provider never creates or touches anything). Thread-safe.
class LazyCredentialsTransport {
 public:
  LazyCredentialsTransport(std::shared_ptr<HttpTransport> transport,
                           std::chrono::milliseconds timeout)
      : transport_(std::move(transport)), timeout_(timeout) {}

  /// The transport; nullptr when none is available (no libcurl).
  std::shared_ptr<HttpTransport> Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!transport_) transport_ = MakeCredentialsTransport(timeout_);
    return transport_;
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<HttpTransport> transport_;
  std::chrono::milliseconds timeout_;
};

/// Sends `request`, again while the answer is a transport failure or a 5xx,
/// at most `attempts` times in all, with no pause (these endpoints are local).
/// Never throws except std::bad_alloc.
REKOGNITION_INLINE HttpResult SendCredentialsRequest(HttpTransport& transport,
                                                     const HttpRequest& request, int attempts) {
  if (attempts < 1) attempts = 1;
  for (int attempt = 1;; ++attempt) {
    HttpResult result = transport.Send(request);
    const auto* response = std::get_if<HttpResponse>(&result);
    const bool transient = response == nullptr || response->status >= 500;
    if (!transient || attempt >= attempts) return result;
  }
}

/// "HTTP 404" or "Timeout (message)", for error messages. Bodies are left
/// out: they may hold credentials. Never throws except std::bad_alloc.
REKOGNITION_INLINE std::string DescribeCredentialsResult(const HttpResult& result) {
  if (const auto* response = std::get_if<HttpResponse>(&result))
    return "HTTP " + std::to_string(response->status);
  const auto& failure = std::get<TransportFailure>(result);
  std::string text = ToString(failure.kind);
  if (!failure.message.empty()) text += " (" + failure.message + ")";
  return text;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_HTTP_HPP
// ---- end rekognition/auth/credentials_http.hpp

// ---- begin rekognition/auth/credentials_json.hpp
// rekognition-cpp: reading credentials from the JSON that credential sources return.
#ifndef REKOGNITION_AUTH_CREDENTIALS_JSON_HPP
#define REKOGNITION_AUTH_CREDENTIALS_JSON_HPP

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>


// ---- begin rekognition/detail/iso8601.hpp
// rekognition-cpp: parsing ISO 8601 timestamps (credential expirations).
#ifndef REKOGNITION_DETAIL_ISO8601_HPP
#define REKOGNITION_DETAIL_ISO8601_HPP

#include <chrono>
#include <optional>
#include <string_view>

// ---- begin rekognition/detail/civil_date.hpp
// rekognition-cpp: proleptic Gregorian calendar arithmetic (no time zone, no libc).
#ifndef REKOGNITION_DETAIL_CIVIL_DATE_HPP
#define REKOGNITION_DETAIL_CIVIL_DATE_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// A calendar date: year, month 1-12, day 1-31.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// True for a leap year of the proleptic Gregorian calendar. Thread-safe.
constexpr bool IsLeapYear(std::int64_t year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Days in `month` (1-12) of `year`; 0 for a month out of range. Thread-safe.
constexpr unsigned DaysInMonth(std::int64_t year, unsigned month) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// True when year-month-day names a real day ("31 Feb" does not). Thread-safe.
constexpr bool IsValidCivilDate(std::int64_t year, unsigned month, unsigned day) noexcept {
  return day >= 1 && day <= DaysInMonth(year, month);
}

/// Days since 1970-01-01 of a proleptic Gregorian date (400-year eras, exact
/// for any year). The date is not checked: validate it first. Thread-safe.
constexpr std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The calendar date `days` days after 1970-01-01 (the inverse of
/// DaysFromCivil). Thread-safe.
constexpr CivilDate CivilFromDays(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<std::int64_t>(yoe) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

/// Reads `count` decimal digits of `text` at `at` into `out`; false when
/// they are not all there or not all digits. Thread-safe.
constexpr bool ReadDigits(std::string_view text, std::size_t at, std::size_t count,
                          int& out) noexcept {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

/// Seconds since the epoch of a UTC date and time whose fields have already
/// been read; false (nothing written) unless the date exists and the time is
/// within 00:00:00-23:59:60. Thread-safe.
constexpr bool CivilToEpochSeconds(int year, int month, int day, int hour, int minute, int second,
                                   std::int64_t& out) noexcept {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60)
    return false;
  if (!IsValidCivilDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day)))
    return false;
  out = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  return true;
}

/// The system_clock instant `seconds` plus `nanos` (0 to 999,999,999) after
/// the epoch, or nullopt when the clock cannot hold it: libstdc++ counts
/// nanoseconds in 64 bits (years 1678 to 2261), and converting a later date
/// would overflow. Thread-safe.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> EpochToSystemTime(
    std::int64_t seconds, std::int64_t nanos = 0) {
  using Duration = std::chrono::system_clock::duration;
  constexpr std::int64_t kMax =
      std::chrono::duration_cast<std::chrono::seconds>(Duration::max()).count() - 1;
  constexpr std::int64_t kMin =
      std::chrono::duration_cast<std::chrono::seconds>(Duration::min()).count() + 1;
  if (seconds > kMax || seconds < kMin) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<Duration>(std::chrono::seconds(seconds)) +
      std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(nanos)));
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_CIVIL_DATE_HPP
// ---- end rekognition/detail/civil_date.hpp



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses an RFC 3339 / ISO 8601 extended timestamp as credential sources
/// write it: "2026-11-25T12:35:35Z", with optional fractional seconds
/// ("...35.123Z") and a "Z" or "+HH:MM" / "-HH:MM" zone (also "+HHMM"); 't',
/// 'z' and a space instead of 'T' are accepted. nullopt for anything else.
/// Thread-safe; never throws.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> ParseIso8601(
    std::string_view text) noexcept {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ReadDigits(text, 11, 2, hour) ||
      text[13] != ':' || !ReadDigits(text, 14, 2, minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, second))
    return std::nullopt;
  std::size_t at = 19;
  long long nanos = 0;
  if (text[at] == '.' || text[at] == ',') {
    ++at;
    const std::size_t start = at;
    long long scale = 100000000;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      nanos += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
  }
  long long offset_seconds = 0;
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    // UTC
  } else if ((zone.size() == 6 || zone.size() == 5) && (zone[0] == '+' || zone[0] == '-')) {
    int zone_hours = 0, zone_minutes = 0;
    const std::size_t minutes_at = zone.size() == 6 ? 4 : 3;
    if (!ReadDigits(zone, 1, 2, zone_hours) || (zone.size() == 6 && zone[3] != ':') ||
        !ReadDigits(zone, minutes_at, 2, zone_minutes) || zone_hours > 23 || zone_minutes > 59)
      return std::nullopt;
    offset_seconds = (zone_hours * 3600LL + zone_minutes * 60LL) * (zone[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  std::int64_t local_seconds = 0;
  if (!CivilToEpochSeconds(year, month, day, hour, minute, second, local_seconds))
    return std::nullopt;
  return EpochToSystemTime(local_seconds - offset_seconds, nanos);
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_ISO8601_HPP
// ---- end rekognition/detail/iso8601.hpp

// ---- begin rekognition/detail/json.hpp
// rekognition-cpp: the hardened JSON reader every parser of untrusted JSON
// goes through (service responses, requests, credential documents).
#ifndef REKOGNITION_DETAIL_JSON_HPP
#define REKOGNITION_DETAIL_JSON_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

// ---- begin rekognition/detail/double_conversion.hpp
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
// ---- end rekognition/detail/double_conversion.hpp

// ---- begin rekognition/detail/utf8.hpp
// rekognition-cpp: UTF-8 validation and code point counting.
#ifndef REKOGNITION_DETAIL_UTF8_HPP
#define REKOGNITION_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>



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
// ---- end rekognition/detail/utf8.hpp



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Largest JSON body the parsers accept. A 5 MB image is about 7 MB of
/// base64 and label lists are far smaller, so this only stops runaway input.
inline constexpr std::size_t kMaxJsonBodySize = 64 * 1024 * 1024;
/// Deepest nesting the parsers accept; the DetectCustomLabels shapes need 6.
inline constexpr unsigned kMaxJsonDepth = 128;

/// Forwards SAX events to `Handler` but stops the parse once nesting exceeds
/// `max_depth`, so hostile input cannot make the DOM or the parser stack huge.
template <typename Handler>
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(Handler& handler, unsigned max_depth) noexcept
      : handler_(handler), max_depth_(max_depth) {}
  bool Null() { return handler_.Null(); }
  bool Bool(bool b) { return handler_.Bool(b); }
  bool Int(int i) { return handler_.Int(i); }
  bool Uint(unsigned i) { return handler_.Uint(i); }
  bool Int64(std::int64_t i) { return handler_.Int64(i); }
  bool Uint64(std::uint64_t i) { return handler_.Uint64(i); }
  bool Double(double d) { return handler_.Double(d); }
  // Numbers arrive as text (kParseNumbersAsStringsFlag) and are converted
  // here (integers with std::from_chars, others with ParseDecimalDouble):
  // correctly rounded like Python, and free of RapidJSON 1.1's number
  // scanner, which reads out of bounds on fractions with very many digits.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const char* end = s + n;
    if (std::string_view(s, n).find_first_of(".eE") == std::string_view::npos) {
      if (n > 0 && s[0] == '-') {
        std::int64_t value = 0;
        const auto parsed = std::from_chars(s, end, value);
        if (parsed.ec == std::errc() && parsed.ptr == end)
          return value >= INT32_MIN ? handler_.Int(static_cast<int>(value)) : handler_.Int64(value);
      } else {
        std::uint64_t value = 0;
        const auto parsed = std::from_chars(s, end, value);
        if (parsed.ec == std::errc() && parsed.ptr == end)
          return value <= UINT32_MAX ? handler_.Uint(static_cast<unsigned>(value))
                                     : handler_.Uint64(value);
      }
      // Integers beyond 64 bits become doubles, as RapidJSON does.
    }
    // Underflow reads as (signed) zero, like Python; overflow is refused.
    double value = 0;
    if (ParseDecimalDouble(std::string_view(s, n), value) != DecimalParse::kOk) return false;
    return handler_.Double(value);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return Utf8Ok(s, n) && handler_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return Utf8Ok(s, n) && handler_.Key(s, n, copy);
  }
  bool bad_string() const noexcept { return bad_string_; }
  bool StartObject() { return Enter() && handler_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return handler_.EndObject(members);
  }
  bool StartArray() { return Enter() && handler_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return handler_.EndArray(elements);
  }
  bool too_deep() const noexcept { return too_deep_; }

 private:
  bool Enter() noexcept {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }
  // RapidJSON copies a string's bytes unchecked (checking them byte by byte
  // as it parses took longer than the rest of the parse of a base64 image);
  // each string and key is checked here instead, once, 8 bytes at a time
  // while it is ASCII. Raw bytes above 0x7F can only occur inside strings, so
  // this refuses all that RapidJSON's check did, and also the ED A0..BF bytes
  // a \u escape of a lone surrogate (\uDFFF) decodes to: every string that
  // parses can be written out and read back.
  bool Utf8Ok(const char* s, rapidjson::SizeType n) noexcept {
    if (IsValidUtf8(std::string_view(s, n))) return true;
    bad_string_ = true;
    return false;
  }
  Handler& handler_;
  unsigned max_depth_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
  bool bad_string_ = false;
};

/// Parses `text` and hands its events to `handler` (a RapidJSON SAX handler:
/// numbers arrive as Int, Uint, Int64, Uint64 or Double, strings and keys
/// as pointers valid only during the call): strict UTF-8, correctly rounded
/// numbers, iterative (no recursion), size- and depth-limited, nothing but
/// whitespace after the value. On failure sets `error` and returns false
/// (the handler may have seen the events of a prefix). Memory: RapidJSON's
/// parse stack (about the longest string or number), whatever the handler
/// keeps. Throws what the handler throws.
template <typename Handler>
bool ParseJsonEvents(std::string_view text, Handler& handler, std::string& error) {
  if (text.size() > kMaxJsonBodySize) {
    error = "body too large: " + std::to_string(text.size()) + " bytes (limit " +
            std::to_string(kMaxJsonBodySize) + ")";
    return false;
  }
  // No kParseValidateEncodingFlag: DepthLimitedHandler checks every string.
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::MemoryStream stream(text.data(), text.size());
  DepthLimitedHandler<Handler> limited(handler, kMaxJsonDepth);
  rapidjson::Reader reader;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, limited);
  const std::size_t consumed = stream.Tell();
  if (limited.too_deep()) {
    error = "invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  if (limited.bad_string()) {
    error = "invalid JSON before offset " + std::to_string(result.Offset()) +
            ": a string is not UTF-8 (a byte that is not, or a \\u escape of a lone UTF-16 "
            "surrogate)";
    return false;
  }
  if (result.IsError()) {
    error = "invalid JSON at offset " + std::to_string(result.Offset()) + ": " +
            rapidjson::GetParseError_En(result.Code());
    return false;
  }
  if (consumed != text.size()) {
    // RapidJSON stops at a NUL byte as if it were the end of the input.
    error = "invalid JSON at offset " + std::to_string(consumed) + ": unexpected NUL byte";
    return false;
  }
  return true;
}

/// Parses `text` into `doc` with the checks of ParseJsonEvents. A document
/// takes several times the size of the text: parsers of large bodies read
/// the events instead. On failure sets `error` and returns false.
REKOGNITION_INLINE bool ParseJsonDocument(std::string_view text, rapidjson::Document& doc,
                                          std::string& error) {
  bool parsed = false;
  auto generator = [&](rapidjson::Document& handler) {
    parsed = ParseJsonEvents(text, handler, error);
    return parsed;
  };
  doc.Populate(generator);
  return parsed;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_JSON_HPP
// ---- end rekognition/detail/json.hpp



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses `text` into `document` with ParseJsonDocument (size, depth, UTF-8
/// and NUL checks); false unless it is a JSON object. Thread-safe; never
/// throws except std::bad_alloc.
REKOGNITION_INLINE bool ParseCredentialsJsonObject(std::string_view text,
                                                   rapidjson::Document& document) {
  std::string ignored;
  return ParseJsonDocument(text, document, ignored) && document.IsObject();
}

// The string member `name`: nullopt when absent or null; false in `ok` when
// present with another type.
REKOGNITION_INLINE std::optional<std::string> CredentialsJsonString(const rapidjson::Value& object,
                                                                    const char* name, bool& ok) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || member->value.IsNull()) return std::nullopt;
  if (!member->value.IsString()) {
    ok = false;
    return std::nullopt;
  }
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

/// Reads AccessKeyId, SecretAccessKey, the session token (member
/// `token_member`: "SessionToken" or "Token") and Expiration (ISO 8601, may be
/// absent) from a credentials document. On failure returns nullopt and sets
/// `error` to a message naming the member at fault, never a value.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE std::optional<Credentials> ReadCredentialsJson(const rapidjson::Value& object,
                                                                  const char* token_member,
                                                                  std::string& error) {
  bool ok = true;
  Credentials credentials;
  credentials.access_key_id = CredentialsJsonString(object, "AccessKeyId", ok).value_or("");
  if (!ok || credentials.access_key_id.empty()) {
    error = "AccessKeyId is missing or not a string";
    return std::nullopt;
  }
  credentials.secret_access_key = CredentialsJsonString(object, "SecretAccessKey", ok).value_or("");
  if (!ok || credentials.secret_access_key.empty()) {
    error = "SecretAccessKey is missing or not a string";
    return std::nullopt;
  }
  credentials.session_token = CredentialsJsonString(object, token_member, ok).value_or("");
  if (!ok) {
    error = std::string(token_member) + " is not a string";
    return std::nullopt;
  }
  const std::optional<std::string> expiration = CredentialsJsonString(object, "Expiration", ok);
  if (!ok) {
    error = "Expiration is not a string";
    return std::nullopt;
  }
  if (expiration) {
    credentials.expiration = ParseIso8601(*expiration);
    if (!credentials.expiration) {
      error = "Expiration is not an ISO 8601 timestamp";
      return std::nullopt;
    }
  }
  return credentials;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_JSON_HPP
// ---- end rekognition/auth/credentials_json.hpp


// ---- begin rekognition/config/shared_config.hpp
// rekognition-cpp: the AWS shared config and credentials files, and profile selection.
#ifndef REKOGNITION_CONFIG_SHARED_CONFIG_HPP
#define REKOGNITION_CONFIG_SHARED_CONFIG_HPP

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


// ---- begin rekognition/config/ini.hpp
// rekognition-cpp: the INI dialect of the AWS shared config and credentials files.
#ifndef REKOGNITION_CONFIG_INI_HPP
#define REKOGNITION_CONFIG_INI_HPP

#include <cstddef>
#include <map>
#include <string>
#include <string_view>




REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// One `[section]`: its settings (keys lower-cased, values trimmed) and its
/// nested sub-sections, e.g. `s3 =` followed by indented `key = value` lines
/// (sub-keys kept as written, as the aws CLI does).
struct IniSection {
  std::map<std::string, std::string> values;
  std::map<std::string, std::map<std::string, std::string>> subsections;
};

/// A parsed file: sections by their trimmed name, e.g. "default",
/// "profile dev", "services local". Repeated sections are merged, a later
/// setting replacing an earlier one.
struct IniDocument {
  std::map<std::string, IniSection> sections;
};

REKOGNITION_INLINE bool IniIsBlank(char c) noexcept { return c == ' ' || c == '\t'; }

REKOGNITION_INLINE std::string_view IniTrim(std::string_view text) noexcept {
  // \f and \v count as blank too: Python's str.strip() removes them.
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

/// Parses the text of a shared config or credentials file the way the aws CLI
/// reads it: `[section]` headers (a trailing comment is allowed), `key = value`
/// or `key: value` settings, full-line comments starting with '#' or ';'
/// (a '#' or ';' later in a value is part of it, as botocore reads it, so a
/// secret or command is never cut short), indented continuation lines, nested
/// sub-sections (a key with an empty value followed by more-indented
/// `sub = value` lines), LF, CRLF or CR line ends and a UTF-8 BOM. Lines that
/// are not understood (a setting before any section, a line without '=',
/// a broken header) are skipped; the settings under a broken header are
/// dropped rather than attached to the previous section. Runs in linear time
/// on any bytes. Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE IniDocument ParseIni(std::string_view text) {
  IniDocument document;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  IniSection* section = nullptr;  // null: before any header, or under a broken one
  std::string key;                // the setting that indented lines continue
  std::size_t key_indent = 0;
  bool key_is_nested = false;  // the key's own value was empty: expect sub-settings

  std::size_t position = 0;
  while (position <= text.size()) {
    // Next line, ending at LF, CRLF or a lone CR.
    std::size_t end = position;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    std::string_view line = text.substr(position, end - position);
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
      position = end + 2;
    else
      position = end + 1;

    std::size_t indent = 0;
    while (indent < line.size() && IniIsBlank(line[indent])) ++indent;
    const std::string_view content = IniTrim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;

    if (section != nullptr && !key.empty() && indent > key_indent) {
      // A continuation of the current setting.
      if (key_is_nested) {
        const auto equals = content.find('=');
        if (equals == std::string_view::npos) continue;  // not `sub = value`: skipped
        const std::string_view sub_key = IniTrim(content.substr(0, equals));
        if (sub_key.empty()) continue;
        section->values.erase(key);
        section->subsections[key][std::string(sub_key)] =
            std::string(IniTrim(content.substr(equals + 1)));
      } else {
        std::string& value = section->values[key];
        value += '\n';
        value += IniTrim(content);
      }
      continue;
    }

    key.clear();
    if (content.front() == '[') {
      section = nullptr;
      const auto close = content.find(']');
      if (close == std::string_view::npos) continue;
      const std::string_view after = IniTrim(content.substr(close + 1));
      if (!after.empty() && after.front() != '#' && after.front() != ';') continue;
      const std::string_view name = IniTrim(content.substr(1, close - 1));
      if (name.empty()) continue;
      section = &document.sections[std::string(name)];
      continue;
    }

    if (section == nullptr) continue;
    const auto delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos) continue;
    const std::string_view name = IniTrim(content.substr(0, delimiter));
    if (name.empty()) continue;
    key = AsciiLower(name);
    key_indent = indent;
    std::string value(IniTrim(content.substr(delimiter + 1)));
    key_is_nested = value.empty();
    section->subsections.erase(key);  // a repeated key replaces what it had
    section->values[key] = std::move(value);
  }
  return document;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_INI_HPP
// ---- end rekognition/config/ini.hpp





REKOGNITION_NAMESPACE_BEGIN

/// One profile's settings, merged from both shared files (the credentials
/// file wins for a key set in both). Keys are lower case, e.g. "region",
/// "aws_access_key_id", "credential_process".
struct Profile {
  std::string name;     ///< e.g. "default"
  bool exists = false;  ///< whether either file has a section for it
  std::map<std::string, std::string> values;
  /// Nested settings, e.g. subsections["s3"]["max_concurrent_requests"].
  std::map<std::string, std::map<std::string, std::string>> subsections;
  /// The `[services NAME]` section this profile names with `services = NAME`
  /// (per service id, e.g. (*services)["rekognition"]["endpoint_url"]);
  /// nullopt when it names none or names one that does not exist.
  std::optional<std::map<std::string, std::map<std::string, std::string>>> services;
  std::string config_file;       ///< the config file consulted ("" when none)
  std::string credentials_file;  ///< the credentials file consulted ("" when none)

  /// The value of `key` (lower case), or nullopt when it is unset or empty.
  /// Thread-safe for concurrent readers; never throws.
  std::optional<std::string> Get(const std::string& key) const {
    const auto found = values.find(key);
    if (found == values.end() || found->second.empty()) return std::nullopt;
    return found->second;
  }

  /// "profile 'NAME' (in FILES)", for messages. Thread-safe.
  std::string Describe() const {
    std::string files;
    if (!config_file.empty()) files = config_file;
    if (!credentials_file.empty()) files += (files.empty() ? "" : " and ") + credentials_file;
    return "profile '" + name + "'" + (files.empty() ? std::string() : " (in " + files + ")");
  }
};

/// Which profile to use and why.
struct ProfileChoice {
  std::string name;         ///< e.g. "default"
  bool explicitly = false;  ///< chosen in code or by AWS_PROFILE (then it must exist)
  std::string source;       ///< "code", "AWS_PROFILE" or "default"
};

/// Chooses the profile: `from_code` when set and non-empty, else AWS_PROFILE,
/// else "default". `env` empty means the process environment. Thread-safe;
/// never throws (except std::bad_alloc).
REKOGNITION_INLINE ProfileChoice ChooseProfile(const std::optional<std::string>& from_code,
                                               const EnvironmentLookup& env = {}) {
  if (from_code && !from_code->empty()) return ProfileChoice{*from_code, true, "code"};
  if (auto value = detail::NonEmptyEnv(env, "AWS_PROFILE"))
    return ProfileChoice{std::move(*value), true, "AWS_PROFILE"};
  return ProfileChoice{"default", false, "default"};
}

namespace detail {

// Largest shared file we read; real ones are a few KB, this only stops a
// runaway (a huge file or a device) from eating memory.
inline constexpr std::size_t kMaxSharedFileBytes = 4u << 20;

REKOGNITION_INLINE std::string ExpandHome(const std::string& path, const EnvironmentLookup& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const auto home = NonEmptyEnv(env, "HOME");
    if (!home) return std::string();
    return *home + path.substr(1);
  }
  return path;
}

// The file named by `variable`, else ~/.aws/<file_name>; "" when neither can
// be formed (no HOME).
REKOGNITION_INLINE std::string SharedFilePath(const EnvironmentLookup& env, const char* variable,
                                              const char* file_name) {
  if (auto value = NonEmptyEnv(env, variable)) return ExpandHome(*value, env);
  return ExpandHome(std::string("~/.aws/") + file_name, env);
}

// Reads a shared file. Returns false when it does not exist or is not a
// regular file (both mean "empty", as for the aws CLI); throws
// ConfigurationError when it exists but cannot be read or is too large.
REKOGNITION_INLINE bool ReadSharedFile(const std::string& path, std::string& out) {
  out.clear();
  if (path.empty()) return false;
  const FileReadResult result = ReadRegularFile(path, kMaxSharedFileBytes, out);
  switch (result.status) {
    case FileReadStatus::kRead:
      return true;
    case FileReadStatus::kMissing:
    case FileReadStatus::kNotRegular:
      out.clear();
      return false;
    case FileReadStatus::kOpenFailed:
      throw ConfigurationError("cannot open " + path + ": " + std::strerror(result.error_number));
    case FileReadStatus::kReadFailed:
      throw ConfigurationError("cannot read " + path + ": " + std::strerror(result.error_number));
    case FileReadStatus::kTooLarge:
      break;
  }
  throw ConfigurationError(path + " is larger than " + std::to_string(kMaxSharedFileBytes) +
                           " bytes");
}

// For a config-file section name "<prefix> NAME" (prefix "profile", "services"
// or "sso-session"), returns NAME; nullopt when the section is something else
// or the name is malformed. NAME may be double-quoted (then it may hold blanks).
REKOGNITION_INLINE std::optional<std::string> PrefixedSectionName(std::string_view section,
                                                                  std::string_view prefix) {
  if (section.size() <= prefix.size() || section.substr(0, prefix.size()) != prefix ||
      !IniIsBlank(section[prefix.size()]))
    return std::nullopt;
  std::string_view name = IniTrim(section.substr(prefix.size()));
  const bool quoted = name.size() >= 2 && name.front() == '"' && name.back() == '"';
  if (quoted) name = name.substr(1, name.size() - 2);
  if (name.empty()) return std::nullopt;
  for (char c : name)
    if (c == '"' || (!quoted && IniIsBlank(c))) return std::nullopt;
  return std::string(name);
}

REKOGNITION_INLINE void MergeIniSection(const IniSection& from, IniSection& into) {
  for (const auto& [key, value] : from.values) {
    into.subsections.erase(key);
    into.values[key] = value;
  }
  for (const auto& [key, values] : from.subsections) {
    into.values.erase(key);
    into.subsections[key] = values;
  }
}

}  // namespace detail

/// The two shared files, parsed. In the config file, profiles are
/// `[default]` and `[profile NAME]` (for "default", `[profile default]` wins
/// over `[default]` key by key), `[services NAME]` sections hold
/// per-service settings, `[sso-session NAME]` sections IAM Identity Center
/// sessions, and other sections are not profiles. In the credentials file every `[NAME]` is profile
/// NAME. Immutable once built: thread-safe for concurrent readers.
class SharedConfig {
 public:
  /// No files: every profile is absent.
  SharedConfig() = default;

  /// Reads AWS_CONFIG_FILE (default ~/.aws/config) and
  /// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), `~` being HOME.
  /// A missing file is empty. Throws ConfigurationError when a file exists but
  /// cannot be read or is unreasonably large. `env` empty means the process
  /// environment. Thread-safe.
  static SharedConfig Load(const EnvironmentLookup& env = {}) {
    SharedConfig config;
    config.config_file_ = detail::SharedFilePath(env, "AWS_CONFIG_FILE", "config");
    config.credentials_file_ =
        detail::SharedFilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    std::string text;
    if (detail::ReadSharedFile(config.config_file_, text)) config.AddConfigText(text);
    if (detail::ReadSharedFile(config.credentials_file_, text)) config.AddCredentialsText(text);
    return config;
  }

  /// Builds from the files' text (either may be empty). The file names only
  /// appear in messages. Thread-safe; throws only std::bad_alloc.
  static SharedConfig Parse(std::string_view config_text, std::string_view credentials_text,
                            std::string config_file = "config",
                            std::string credentials_file = "credentials") {
    SharedConfig config;
    config.config_file_ = std::move(config_file);
    config.credentials_file_ = std::move(credentials_file);
    config.AddConfigText(config_text);
    config.AddCredentialsText(credentials_text);
    return config;
  }

  /// Whether either file has profile `name`. Never throws.
  bool HasProfile(const std::string& name) const noexcept {
    return config_profiles_.count(name) != 0 || credentials_profiles_.count(name) != 0;
  }

  /// Every profile name found in either file, sorted, without duplicates.
  std::vector<std::string> ProfileNames() const {
    std::map<std::string, bool> names;
    for (const auto& entry : config_profiles_) names[entry.first] = true;
    for (const auto& entry : credentials_profiles_) names[entry.first] = true;
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const auto& entry : names) out.push_back(entry.first);
    return out;
  }

  /// Profile `name` with both files merged (credentials file wins); when
  /// neither has it, `exists` is false and it has no values. Never throws
  /// except std::bad_alloc.
  Profile GetProfile(const std::string& name) const {
    Profile profile;
    profile.name = name;
    profile.config_file = config_file_;
    profile.credentials_file = credentials_file_;
    detail::IniSection merged;
    if (auto found = config_profiles_.find(name); found != config_profiles_.end()) {
      profile.exists = true;
      detail::MergeIniSection(found->second, merged);
    }
    if (auto found = credentials_profiles_.find(name); found != credentials_profiles_.end()) {
      profile.exists = true;
      detail::MergeIniSection(found->second, merged);
    }
    profile.values = std::move(merged.values);
    profile.subsections = std::move(merged.subsections);
    if (auto services_name = profile.Get("services")) {
      if (auto found = services_.find(*services_name); found != services_.end())
        profile.services = found->second.subsections;
    }
    return profile;
  }

  /// The profile chosen by ChooseProfile(from_code, env). Throws
  /// ConfigurationError naming the profile when it was chosen explicitly (in
  /// code or by AWS_PROFILE) but neither file has it; an absent "default" is
  /// simply empty. Thread-safe.
  Profile SelectProfile(const std::optional<std::string>& from_code,
                        const EnvironmentLookup& env = {}) const {
    const ProfileChoice choice = ChooseProfile(from_code, env);
    Profile profile = GetProfile(choice.name);
    if (!profile.exists && choice.explicitly) {
      std::string files;
      for (const std::string* file : {&config_file_, &credentials_file_})
        if (!file->empty()) files += (files.empty() ? "" : " or ") + *file;
      throw ConfigurationError(
          "the config profile '" + choice.name + "' (chosen by " +
          (choice.source == "code" ? std::string("the program") : choice.source) +
          ") could not be found" + (files.empty() ? "" : " in " + files));
    }
    return profile;
  }

  /// The settings of the config file's `[sso-session NAME]` section, or
  /// nullopt when there is none. Never throws except std::bad_alloc.
  std::optional<std::map<std::string, std::string>> GetSsoSession(const std::string& name) const {
    const auto found = sso_sessions_.find(name);
    if (found == sso_sessions_.end()) return std::nullopt;
    return found->second.values;
  }

  /// Whether the config file has a `[services NAME]` section. Never throws.
  bool HasServicesSection(const std::string& name) const noexcept {
    return services_.count(name) != 0;
  }

  /// The config file this was read from ("" when none could be named).
  const std::string& config_file() const noexcept { return config_file_; }
  /// The credentials file this was read from ("" when none could be named).
  const std::string& credentials_file() const noexcept { return credentials_file_; }

 private:
  void AddConfigText(std::string_view text) {
    detail::IniDocument document = detail::ParseIni(text);
    // [default] first so that [profile default] overrides it.
    if (auto found = document.sections.find("default"); found != document.sections.end())
      detail::MergeIniSection(found->second, config_profiles_["default"]);
    for (auto& [section_name, section] : document.sections) {
      if (auto name = detail::PrefixedSectionName(section_name, "profile"))
        detail::MergeIniSection(section, config_profiles_[*name]);
      else if (auto services = detail::PrefixedSectionName(section_name, "services"))
        detail::MergeIniSection(section, services_[*services]);
      else if (auto session = detail::PrefixedSectionName(section_name, "sso-session"))
        detail::MergeIniSection(section, sso_sessions_[*session]);
      // Anything else: not a profile.
    }
  }

  void AddCredentialsText(std::string_view text) {
    detail::IniDocument document = detail::ParseIni(text);
    for (auto& [section_name, section] : document.sections)
      detail::MergeIniSection(section, credentials_profiles_[section_name]);
  }

  std::string config_file_;
  std::string credentials_file_;
  std::map<std::string, detail::IniSection> config_profiles_;
  std::map<std::string, detail::IniSection> credentials_profiles_;
  std::map<std::string, detail::IniSection> services_;
  std::map<std::string, detail::IniSection> sso_sessions_;
};

/// Reads both shared files and returns the chosen profile (see
/// SharedConfig::Load and SharedConfig::SelectProfile). Throws
/// ConfigurationError for an explicitly chosen profile that does not exist or
/// an unreadable file. Thread-safe.
REKOGNITION_INLINE Profile LoadProfile(const std::optional<std::string>& from_code = std::nullopt,
                                       const EnvironmentLookup& env = {}) {
  return SharedConfig::Load(env).SelectProfile(from_code, env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_SHARED_CONFIG_HPP
// ---- end rekognition/config/shared_config.hpp





// ---- begin rekognition/http/url.hpp
// rekognition-cpp: the small URL splitting the client needs (scheme, host, port, path).
#ifndef REKOGNITION_HTTP_URL_HPP
#define REKOGNITION_HTTP_URL_HPP

#include <optional>
#include <string>
#include <string_view>




REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// An absolute http(s) URL split into its parts.
struct ParsedUrl {
  std::string scheme;  ///< "http" or "https", lower case
  std::string host;    ///< without brackets for IPv6
  std::string port;    ///< empty when not given
  std::string path;    ///< "/" when empty
  bool ipv6 = false;

  /// The value of the Host header: host[:port], the port only when it is not
  /// the scheme's default.
  std::string HostHeader() const {
    std::string value = ipv6 ? "[" + host + "]" : host;
    const bool default_port =
        port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
    if (!default_port) value += ":" + port;
    return value;
  }
};

/// Splits `url`; nullopt unless it is an absolute http or https URL with a
/// host and a numeric port (if any). Query strings and fragments are refused:
/// an endpoint has neither.
REKOGNITION_INLINE std::optional<ParsedUrl> ParseUrl(std::string_view url) {
  ParsedUrl parsed;
  // No spaces or control characters anywhere: they are not URL characters,
  // and a transport would refuse them only at send time.
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') return std::nullopt;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  parsed.scheme = detail::AsciiLower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  parsed.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user info
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parsed.host = std::string(authority.substr(1, close - 1));
    parsed.ipv6 = true;
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return std::nullopt;
      parsed.port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) parsed.port = std::string(authority.substr(colon + 1));
  }
  if (parsed.host.empty()) return std::nullopt;
  for (char c : parsed.host)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\') return std::nullopt;
  if (parsed.port.size() > 5) return std::nullopt;
  unsigned port = 0;
  for (char c : parsed.port) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (!parsed.port.empty() && (port < 1 || port > 65535)) return std::nullopt;
  return parsed;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_URL_HPP
// ---- end rekognition/http/url.hpp



REKOGNITION_NAMESPACE_BEGIN

/// Settings of ContainerCredentialsProvider.
struct ContainerCredentialsOptions {
  /// The transport; empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of the default transport.
  std::chrono::milliseconds timeout{2000};
  /// Attempts per call when the endpoint is unreachable or answers 5xx.
  int max_attempts = 3;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
};

namespace detail {

/// The host ECS serves AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on.
inline constexpr const char* kContainerCredentialsHost = "http://169.254.170.2";

/// Whether an http (not https) full URI may point at `host`: a loopback
/// address (127.0.0.0/8, ::1, localhost) or one of the link-local addresses
/// the ECS and EKS Pod Identity agents listen on (169.254.170.2,
/// 169.254.170.23, fd00:ec2::23). Never throws.
REKOGNITION_INLINE bool IsAllowedContainerHost(const std::string& host) noexcept {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  unsigned char v4[4];
  if (ParseIpv4Address(host, v4)) {
    const bool ecs = v4[0] == 169 && v4[1] == 254 && v4[2] == 170 && (v4[3] == 2 || v4[3] == 23);
    return v4[0] == 127 || ecs;
  }
  unsigned char v6[16];
  if (ParseIpv6Address(host, v6)) {
    unsigned char loopback[16] = {};
    loopback[15] = 1;
    unsigned char eks[16];
    ParseIpv6Address("fd00:ec2::23", eks);
    return std::memcmp(v6, loopback, sizeof v6) == 0 || std::memcmp(v6, eks, sizeof v6) == 0;
  }
  return false;
}

REKOGNITION_INLINE bool HasLineBreak(const std::string& value) noexcept {
  return value.find_first_of("\r\n") != std::string::npos;
}

}  // namespace detail

/// Fetches credentials from the container credentials endpoint: the URL is
/// http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, else
/// AWS_CONTAINER_CREDENTIALS_FULL_URI, which must be https or point at a
/// loopback host (or the ECS / EKS agent address). The Authorization header
/// comes from the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read
/// at each call: it is rotated), else AWS_CONTAINER_AUTHORIZATION_TOKEN; a
/// value with CR or LF is refused. The answer is JSON with AccessKeyId,
/// SecretAccessKey, Token and Expiration. Nothing is sent before the first
/// GetCredentials call. Thread-safe.
class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  explicit ContainerCredentialsProvider(ContainerCredentialsOptions options = {})
      : env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        transport_(std::move(options.transport), options.timeout),
        max_attempts_(options.max_attempts) {}

  /// Fetches credentials. Throws CredentialsError when neither URI variable
  /// is set, and CredentialsSourceError (a chain stops there, as botocore's
  /// does) when the URI is refused, the token is unusable, the endpoint cannot
  /// be reached or answers anything but credentials. Messages never contain
  /// the token or the answer's body.
  Credentials GetCredentials() override {
    std::string url;
    if (auto relative = detail::NonEmptyEnv(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      url = std::string(detail::kContainerCredentialsHost) + *relative;
    } else if (auto full = detail::NonEmptyEnv(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      url = *full;
    } else {
      throw CredentialsError(
          "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
          "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }
    const std::string authority_part = url.substr(0, url.find_first_of("?#"));
    const auto parsed = detail::ParseUrl(authority_part);
    if (!parsed)
      throw CredentialsSourceError("container: the credentials URI is not an absolute http(s) URL");
    if (parsed->scheme != "https" && !detail::IsAllowedContainerHost(parsed->host))
      throw CredentialsSourceError(
          "container: the credentials URI uses http with host '" + parsed->host +
          "'; only https or a loopback host (127.0.0.0/8, ::1, localhost) is allowed");

    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (auto token = AuthorizationToken())
      request.headers.emplace_back("Authorization", std::move(*token));

    const auto transport = transport_.Get();
    if (!transport)
      throw CredentialsSourceError("container: no HTTP transport (built without libcurl)");
    const HttpResult result = detail::SendCredentialsRequest(*transport, request, max_attempts_);
    const auto* response = std::get_if<HttpResponse>(&result);
    if (response == nullptr || response->status != 200)
      throw CredentialsSourceError("container: the credentials endpoint on " + parsed->host +
                                   " answered " + detail::DescribeCredentialsResult(result));
    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(response->body, document))
      throw CredentialsSourceError(
          "container: the credentials endpoint did not answer a JSON object");
    std::string error;
    auto credentials = detail::ReadCredentialsJson(document, "Token", error);
    if (!credentials)
      throw CredentialsSourceError("container: invalid credentials document: " + error);
    return std::move(*credentials);
  }

 private:
  std::optional<std::string> AuthorizationToken() const {
    std::string token;
    if (auto file = detail::NonEmptyEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      try {
        if (!detail::ReadSharedFile(*file, token))
          throw CredentialsSourceError("container: the authorization token file " + *file +
                                       " does not exist");
      } catch (const ConfigurationError& e) {
        throw CredentialsSourceError("container: " + e.message());
      }
      if (detail::HasLineBreak(token))
        throw CredentialsSourceError(
            "container: the authorization token in " + *file +
            " contains a line break (CR or LF) and cannot be sent as a header");
    } else if (auto value = detail::NonEmptyEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      token = std::move(*value);
      if (detail::HasLineBreak(token))
        throw CredentialsSourceError(
            "container: AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break (CR or LF) "
            "and cannot be sent as a header");
    } else {
      return std::nullopt;
    }
    return token;
  }

  EnvironmentLookup env_;
  detail::LazyCredentialsTransport transport_;
  int max_attempts_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/container_credentials_provider.hpp


// ---- begin rekognition/auth/credentials_service.hpp
// rekognition-cpp: calling the AWS services that hand out credentials (STS, IAM Identity Center).
#ifndef REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP
#define REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>



// ---- begin rekognition/auth/sigv4.hpp
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



// ---- begin rekognition/detail/crypto.hpp
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
// ---- end rekognition/detail/crypto.hpp





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
// ---- end rekognition/auth/sigv4.hpp

// ---- begin rekognition/config/endpoint.hpp
// rekognition-cpp: choosing the service endpoint (configured URL or the Rekognition endpoint
// rules).
#ifndef REKOGNITION_CONFIG_ENDPOINT_HPP
#define REKOGNITION_CONFIG_ENDPOINT_HPP

#include <optional>
#include <string>
#include <utility>


// ---- begin rekognition/config/partitions.hpp
// rekognition-cpp: the AWS partition table the endpoint rules need (aws.partition).
#ifndef REKOGNITION_CONFIG_PARTITIONS_HPP
#define REKOGNITION_CONFIG_PARTITIONS_HPP

#include <cstddef>
#include <string_view>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// One partition's data, as in botocore's partitions.json (version 1.1,
/// tests/data/endpoints/partitions.json, which a unit test compares with
/// this table).
struct PartitionInfo {
  const char* id;
  const char* dns_suffix;
  const char* dual_stack_dns_suffix;
  const char* implicit_global_region;
  bool supports_fips;
  bool supports_dual_stack;
  /// The partition's regionRegex, verbatim.
  const char* region_regex;
  /// Its explicitly listed regions, separated by single spaces.
  const char* regions;
};

/// A view of the partition table, usable in a range-for.
struct PartitionList {
  const PartitionInfo* first;
  std::size_t count;
  const PartitionInfo* begin() const noexcept { return first; }
  const PartitionInfo* end() const noexcept { return first + count; }
};

/// The partitions in the order aws.partition searches them (constant data,
/// no initialization at run time). Thread-safe; never throws.
REKOGNITION_INLINE PartitionList Partitions() noexcept {
  static constexpr PartitionInfo kPartitions[] = {
      {"aws", "amazonaws.com", "api.aws", "us-east-1", true, true,
       "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
       "af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 "
       "ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 "
       "ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 aws-global "
       "ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 "
       "eu-south-2 eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1 "
       "mx-central-1 sa-east-1 us-east-1 us-east-2 us-west-1 us-west-2"},
      {"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "cn-northwest-1", true, true,
       "^cn\\-\\w+\\-\\d+$", "aws-cn-global cn-north-1 cn-northwest-1"},
      {"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", "eusc-de-east-1", true, true,
       "^eusc\\-(de)\\-\\w+\\-\\d+$", "eusc-de-east-1"},
      {"aws-iso", "c2s.ic.gov", "api.aws.ic.gov", "us-iso-east-1", true, true,
       "^us\\-iso\\-\\w+\\-\\d+$", "aws-iso-global us-iso-east-1 us-iso-west-1"},
      {"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", "us-isob-east-1", true, true,
       "^us\\-isob\\-\\w+\\-\\d+$", "aws-iso-b-global us-isob-east-1 us-isob-west-1"},
      {"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "eu-isoe-west-1", true, true,
       "^eu\\-isoe\\-\\w+\\-\\d+$", "aws-iso-e-global eu-isoe-west-1"},
      {"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "us-isof-south-1", true, true,
       "^us\\-isof\\-\\w+\\-\\d+$", "aws-iso-f-global us-isof-east-1 us-isof-south-1"},
      {"aws-us-gov", "amazonaws.com", "api.aws", "us-gov-west-1", true, true,
       "^us\\-gov\\-\\w+\\-\\d+$", "aws-us-gov-global us-gov-east-1 us-gov-west-1"},
  };
  return PartitionList{kPartitions, sizeof kPartitions / sizeof kPartitions[0]};
}

/// Whether `regions` (space-separated) lists `region`. Never throws.
REKOGNITION_INLINE bool PartitionListsRegion(std::string_view regions,
                                             std::string_view region) noexcept {
  while (!regions.empty()) {
    const auto space = regions.find(' ');
    if (regions.substr(0, space) == region) return true;
    if (space == std::string_view::npos) break;
    regions.remove_prefix(space + 1);
  }
  return false;
}

/// Matches `region` against a regionRegex of the one form partitions use:
/// "^" PART ("\\-" PART)* "$", each PART being "\\w+", "\\d+", a literal or
/// "(a|b|...)". As '-' is outside \\w, this is a '-'-separated token match.
/// Returns false for any other regex form. Never throws.
REKOGNITION_INLINE bool MatchRegionRegex(std::string_view regex, std::string_view region) noexcept {
  if (regex.size() < 2 || regex.front() != '^' || regex.back() != '$') return false;
  regex = regex.substr(1, regex.size() - 2);
  constexpr std::string_view kDash = "\\-";
  for (;;) {
    const auto regex_end = regex.find(kDash);
    std::string_view part = regex.substr(0, regex_end);
    const auto region_end = region.find('-');
    const std::string_view token = region.substr(0, region_end);
    if (token.empty()) return false;
    if (part == "\\w+") {
      for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
          return false;
    } else if (part == "\\d+") {
      for (char c : token)
        if (c < '0' || c > '9') return false;
    } else {
      if (part.size() >= 2 && part.front() == '(' && part.back() == ')')
        part = part.substr(1, part.size() - 2);
      bool matched = false;
      while (!matched) {
        const auto bar = part.find('|');
        const std::string_view alternative = part.substr(0, bar);
        for (char c : alternative)
          if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;  // unsupported syntax
        matched = alternative == token;
        if (bar == std::string_view::npos) break;
        part.remove_prefix(bar + 1);
      }
      if (!matched) return false;
    }
    if ((regex_end == std::string_view::npos) != (region_end == std::string_view::npos))
      return false;
    if (regex_end == std::string_view::npos) return true;
    regex.remove_prefix(regex_end + kDash.size());
    region.remove_prefix(region_end + 1);
  }
}

/// The partition of `region`, as the rules' aws.partition function finds it:
/// the one listing it explicitly, else the first whose regionRegex matches,
/// else "aws". Never throws.
REKOGNITION_INLINE const PartitionInfo& FindPartition(std::string_view region) noexcept {
  for (const PartitionInfo& partition : Partitions())
    if (PartitionListsRegion(partition.regions, region)) return partition;
  for (const PartitionInfo& partition : Partitions())
    if (MatchRegionRegex(partition.region_regex, region)) return partition;
  return *Partitions().begin();
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_PARTITIONS_HPP
// ---- end rekognition/config/partitions.hpp

// ---- begin rekognition/config/region.hpp
// rekognition-cpp: choosing the AWS region.
#ifndef REKOGNITION_CONFIG_REGION_HPP
#define REKOGNITION_CONFIG_REGION_HPP

#include <optional>
#include <string>
#include <string_view>






REKOGNITION_NAMESPACE_BEGIN

/// Whether `region` can be a region name (and so a DNS label): 1 to 63
/// letters, digits and '-', not starting or ending with '-'. Never throws.
REKOGNITION_INLINE bool IsValidRegionName(std::string_view region) noexcept {
  if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-')
    return false;
  for (char c : region) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// The region: `from_code` when set and non-empty, else AWS_REGION, else
/// AWS_DEFAULT_REGION, else the profile's `region`. Never a silent default.
/// Throws ConfigurationError when none is set (saying where it looked) or the
/// value found is not a valid region name (saying where it came from).
/// `env` empty means the process environment. Thread-safe.
REKOGNITION_INLINE std::string ResolveRegion(const std::optional<std::string>& from_code,
                                             const Profile& profile,
                                             const EnvironmentLookup& env = {}) {
  std::optional<std::string> region;
  std::string source;
  if (from_code && !from_code->empty()) {
    region = *from_code;
    source = "the program's setting";
  } else if ((region = detail::NonEmptyEnv(env, "AWS_REGION"))) {
    source = "AWS_REGION";
  } else if ((region = detail::NonEmptyEnv(env, "AWS_DEFAULT_REGION"))) {
    source = "AWS_DEFAULT_REGION";
  } else if ((region = profile.Get("region"))) {
    source = "'region' of " + profile.Describe();
  } else {
    throw ConfigurationError(
        "no AWS region is configured: looked at the program's setting, AWS_REGION, "
        "AWS_DEFAULT_REGION and 'region' of " +
        profile.Describe() + "; set one of them");
  }
  if (!IsValidRegionName(*region))
    throw ConfigurationError("invalid region '" + *region + "' from " + source +
                             ": a region name is letters, digits and '-', e.g. us-east-1");
  return *region;
}

/// As above, reading the shared files for the profile chosen by
/// ChooseProfile(profile, env); also throws ConfigurationError when an
/// explicitly chosen profile does not exist. Thread-safe.
REKOGNITION_INLINE std::string ResolveRegion(
    const std::optional<std::string>& from_code = std::nullopt,
    const std::optional<std::string>& profile = std::nullopt, const EnvironmentLookup& env = {}) {
  return ResolveRegion(from_code, LoadProfile(profile, env), env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_REGION_HPP
// ---- end rekognition/config/region.hpp







REKOGNITION_NAMESPACE_BEGIN

/// The inputs of the Rekognition endpoint rule set (endpoint-rule-set-1.json).
struct EndpointParameters {
  std::optional<std::string> region;    ///< AWS::Region
  bool use_fips = false;                ///< AWS::UseFIPS
  bool use_dual_stack = false;          ///< AWS::UseDualStack
  std::optional<std::string> endpoint;  ///< SDK::Endpoint, a custom URL
};

/// Evaluates the Rekognition endpoint rules natively: a custom endpoint is
/// returned as is (refused together with FIPS or dual-stack); otherwise
/// "https://rekognition[-fips].REGION.SUFFIX" with the region's partition
/// (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, ...) DNS suffix or dual-stack
/// suffix. Throws ConfigurationError with the rule set's own messages
/// ("Invalid Configuration: Missing Region", "Invalid Configuration: FIPS and
/// custom endpoint are not supported", ...), and for a region that is not a
/// valid DNS label. Empty strings count as unset. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpointFromRules(const EndpointParameters& params);

namespace detail {

/// The host names of a service whose endpoint rule set has the common AWS
/// shape (Rekognition, STS, SSO, SSO OIDC): "https://PREFIX.REGION.SUFFIX",
/// "https://FIPS_PREFIX.REGION.SUFFIX" with FIPS, the dual-stack suffix with
/// dual-stack.
struct StandardEndpointRules {
  const char* prefix;       ///< e.g. "sts", "portal.sso", "oidc"
  const char* fips_prefix;  ///< e.g. "sts-fips"
  /// The rule set's exception: FIPS in aws-us-gov is the plain host
  /// "PREFIX.REGION.amazonaws.com" (STS, SSO, SSO OIDC).
  bool us_gov_fips_is_plain = false;
  /// STS: region "aws-global" is https://sts.amazonaws.com.
  bool aws_global_host = false;
};

/// Evaluates a rule set of that shape for `params`; see
/// ResolveEndpointFromRules for the errors. Thread-safe.
REKOGNITION_INLINE std::string ResolveStandardEndpoint(const StandardEndpointRules& rules,
                                                       const EndpointParameters& params) {
  if (params.endpoint && !params.endpoint->empty()) {
    if (params.use_fips)
      throw ConfigurationError("Invalid Configuration: FIPS and custom endpoint are not supported");
    if (params.use_dual_stack)
      throw ConfigurationError(
          "Invalid Configuration: Dualstack and custom endpoint are not supported");
    return *params.endpoint;
  }
  if (!params.region || params.region->empty())
    throw ConfigurationError("Invalid Configuration: Missing Region");
  const std::string& region = *params.region;
  // The rules put the region into the host name as is; refuse anything that
  // would change the host (dots, slashes, '@', ...).
  if (!IsValidRegionName(region))
    throw ConfigurationError("invalid region '" + region +
                             "': a region name is letters, digits and '-'");
  const PartitionInfo& partition = FindPartition(region);
  const std::string prefix = rules.prefix;
  const std::string fips_prefix = rules.fips_prefix;
  if (params.use_fips && params.use_dual_stack) {
    if (partition.supports_fips && partition.supports_dual_stack)
      return "https://" + fips_prefix + "." + region + "." + partition.dual_stack_dns_suffix;
    throw ConfigurationError(
        "FIPS and DualStack are enabled, but this partition does not support one or both");
  }
  if (params.use_fips) {
    if (!partition.supports_fips)
      throw ConfigurationError("FIPS is enabled but this partition does not support FIPS");
    if (rules.us_gov_fips_is_plain && std::string_view(partition.id) == "aws-us-gov")
      return "https://" + prefix + "." + region + ".amazonaws.com";
    return "https://" + fips_prefix + "." + region + "." + partition.dns_suffix;
  }
  if (params.use_dual_stack) {
    if (partition.supports_dual_stack)
      return "https://" + prefix + "." + region + "." + partition.dual_stack_dns_suffix;
    throw ConfigurationError("DualStack is enabled but this partition does not support DualStack");
  }
  if (rules.aws_global_host && region == "aws-global")
    return "https://" + prefix + ".amazonaws.com";
  return "https://" + prefix + "." + region + "." + partition.dns_suffix;
}

}  // namespace detail

REKOGNITION_INLINE std::string ResolveEndpointFromRules(const EndpointParameters& params) {
  return detail::ResolveStandardEndpoint({"rekognition", "rekognition-fips", false, false}, params);
}

/// Endpoint settings made in code; each one left unset is looked up in the
/// environment and then in the profile.
struct EndpointSettings {
  /// A custom endpoint URL, e.g. "http://127.0.0.1:8080". Set but empty is
  /// a ConfigurationError, never "unset".
  std::optional<std::string> endpoint_url;
  /// Use the FIPS endpoint (else AWS_USE_FIPS_ENDPOINT, else the profile's
  /// use_fips_endpoint, else false).
  std::optional<bool> use_fips;
  /// Use the dual-stack endpoint (else AWS_USE_DUALSTACK_ENDPOINT, else the
  /// profile's use_dualstack_endpoint, else false).
  std::optional<bool> use_dual_stack;
};

namespace detail {

// code > environment variable > profile key > false (ParseBooleanSetting:
// "true" in any case is true, anything else false, as botocore reads it).
REKOGNITION_INLINE bool ResolveBooleanSetting(const std::optional<bool>& from_code,
                                              const char* variable, const char* key,
                                              const Profile& profile,
                                              const EnvironmentLookup& env) {
  if (from_code) return *from_code;
  if (auto value = NonEmptyEnv(env, variable)) return ParseBooleanSetting(*value);
  if (auto value = profile.Get(key)) return ParseBooleanSetting(*value);
  return false;
}

/// The endpoint URL configured for one service and where it came from, or
/// nullopt: code > AWS_ENDPOINT_URL_<ENV_NAME> > AWS_ENDPOINT_URL > the
/// profile's services section's <services_key> endpoint_url > the profile's
/// endpoint_url; all but code are skipped when
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
/// ignore_configured_endpoint_urls is true. `env_name` is the service id in
/// upper case with '_' (e.g. "STS", "SSO_OIDC"), `services_key` in lower case
/// (e.g. "sts", "sso_oidc"). Throws ConfigurationError for a malformed
/// boolean, a missing services section or an endpoint URL set in
/// code but empty. Thread-safe.
REKOGNITION_INLINE std::optional<std::pair<std::string, std::string>> ConfiguredServiceEndpointUrl(
    const std::optional<std::string>& from_code, const std::string& env_name,
    const std::string& services_key, const Profile& profile, const EnvironmentLookup& env) {
  if (from_code) {
    // Set but empty is a mistake (an unset variable expanded on a command
    // line), not a request for the real service.
    if (from_code->empty())
      throw ConfigurationError(
          "the endpoint URL is set but empty: give an absolute http or https URL such as "
          "https://host:port, or leave it unset to use the service's endpoint");
    return std::make_pair(*from_code, std::string("the program's setting"));
  }
  bool ignore = false;
  if (auto value = NonEmptyEnv(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
    ignore = ParseBooleanSetting(*value);
  else if (auto key = profile.Get("ignore_configured_endpoint_urls"))
    ignore = ParseBooleanSetting(*key);
  if (ignore) return std::nullopt;
  const std::string variable = "AWS_ENDPOINT_URL_" + env_name;
  if (auto value = NonEmptyEnv(env, variable)) return std::make_pair(std::move(*value), variable);
  if (auto value = NonEmptyEnv(env, "AWS_ENDPOINT_URL"))
    return std::make_pair(std::move(*value), std::string("AWS_ENDPOINT_URL"));
  if (auto services_name = profile.Get("services")) {
    if (!profile.services)
      throw ConfigurationError(profile.Describe() + " names the services section '" +
                               *services_name + "', which does not exist");
    const auto service = profile.services->find(services_key);
    if (service != profile.services->end()) {
      const auto url = service->second.find("endpoint_url");
      if (url != service->second.end() && !url->second.empty())
        return std::make_pair(url->second, "'endpoint_url' for " + services_key + " in [services " +
                                               *services_name + "]");
    }
  }
  if (auto value = profile.Get("endpoint_url"))
    return std::make_pair(std::move(*value), "'endpoint_url' of " + profile.Describe());
  return std::nullopt;
}

// The configured Rekognition endpoint URL and where it came from, or nullopt.
REKOGNITION_INLINE std::optional<std::pair<std::string, std::string>> ConfiguredEndpointUrl(
    const EndpointSettings& from_code, const Profile& profile, const EnvironmentLookup& env) {
  return ConfiguredServiceEndpointUrl(from_code.endpoint_url, "REKOGNITION", "rekognition", profile,
                                      env);
}

/// Checks a configured URL: throws ConfigurationError naming its source when
/// it is not an absolute http(s) URL (leaving out a URL with user info,
/// which may hold a password). Thread-safe.
REKOGNITION_INLINE void CheckConfiguredEndpointUrl(const std::pair<std::string, std::string>& url) {
  if (ParseUrl(url.first)) return;
  const bool printable = url.first.find('@') == std::string::npos;
  throw ConfigurationError(
      "invalid endpoint URL" + (printable ? " '" + url.first + "'" : std::string()) + " from " +
      url.second + ": expected an absolute http or https URL such as https://host:port");
}

}  // namespace detail

/// The endpoint URL for `region`: a configured URL (code >
/// AWS_ENDPOINT_URL_REKOGNITION > AWS_ENDPOINT_URL > the profile's services
/// section's rekognition endpoint_url > the profile's endpoint_url; all but
/// code are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
/// ignore_configured_endpoint_urls is true), else the endpoint rules with the
/// FIPS and dual-stack flags (see EndpointSettings). Throws
/// ConfigurationError for an endpoint URL set in code but empty, a
/// configured URL that is not an absolute http(s) URL (a port outside
/// 1-65535 and a space or control character included), a missing services
/// section, and the rule set's errors. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpoint(const std::optional<std::string>& region,
                                               const EndpointSettings& from_code,
                                               const Profile& profile,
                                               const EnvironmentLookup& env = {}) {
  EndpointParameters params;
  params.region = region;
  params.use_fips = detail::ResolveBooleanSetting(from_code.use_fips, "AWS_USE_FIPS_ENDPOINT",
                                                  "use_fips_endpoint", profile, env);
  params.use_dual_stack =
      detail::ResolveBooleanSetting(from_code.use_dual_stack, "AWS_USE_DUALSTACK_ENDPOINT",
                                    "use_dualstack_endpoint", profile, env);
  if (auto configured = detail::ConfiguredEndpointUrl(from_code, profile, env)) {
    detail::CheckConfiguredEndpointUrl(*configured);
    params.endpoint = std::move(configured->first);
  }
  return ResolveEndpointFromRules(params);
}

/// As above, reading the shared files for the profile chosen by
/// ChooseProfile(profile, env); also throws ConfigurationError when an
/// explicitly chosen profile does not exist. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpoint(
    const std::optional<std::string>& region, const EndpointSettings& from_code = {},
    const std::optional<std::string>& profile = std::nullopt, const EnvironmentLookup& env = {}) {
  return ResolveEndpoint(region, from_code, LoadProfile(profile, env), env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_ENDPOINT_HPP
// ---- end rekognition/config/endpoint.hpp





// ---- begin rekognition/detail/printable.hpp
// rekognition-cpp: making text that came from a peer safe for a one-line message.
#ifndef REKOGNITION_DETAIL_PRINTABLE_HPP
#define REKOGNITION_DETAIL_PRINTABLE_HPP

#include <cstddef>
#include <string>
#include <string_view>




REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Reduces a raw error code to its bare name: cut at the first ':' (Coral
/// appends a URL), keep what follows the last '#' (a Smithy namespace),
/// trim whitespace, cap the length and replace anything unprintable.
REKOGNITION_INLINE std::string SanitizeErrorCode(std::string_view raw) {
  raw = raw.substr(0, raw.find(':'));
  const std::size_t hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  std::string code(raw.substr(0, 256));
  for (char& c : code)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  return code;
}

/// Makes `text` safe for a one-line message: valid UTF-8 kept, runs of
/// whitespace and control characters become one space, invalid bytes become
/// '?', edges trimmed, cut at `max_bytes` (on a character boundary) with "...".
REKOGNITION_INLINE std::string PrintableExcerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c == ' ') {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    std::size_t length = c < 0x80 ? 1 : Utf8SequenceLength(text, i);
    const std::string_view piece = length == 0 ? std::string_view("?") : text.substr(i, length);
    if (out.size() + (pending_space ? 1 : 0) + piece.size() > max_bytes) {
      out += "...";
      return out;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(piece.data(), piece.size());
    i += length == 0 ? 1 : length;
  }
  return out;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_PRINTABLE_HPP
// ---- end rekognition/detail/printable.hpp

// ---- begin rekognition/detail/redact.hpp
// rekognition-cpp: removing secrets from text that came from a peer.
#ifndef REKOGNITION_DETAIL_REDACT_HPP
#define REKOGNITION_DETAIL_REDACT_HPP

#include <string>
#include <string_view>
#include <vector>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// What a secret is replaced with.
inline constexpr std::string_view kRedacted = "<redacted>";

/// `text` with every occurrence of each non-empty secret replaced by
/// "<redacted>". The search resumes after each replacement, so it ends even
/// when a secret occurs inside "<redacted>" itself. Run it on whole strings,
/// before any cut: a secret straddling a cut would survive in part.
/// Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string RedactAll(std::string text,
                                         const std::vector<std::string_view>& secrets) {
  for (const std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size()))
      text.replace(at, secret.size(), kRedacted);
  }
  return text;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_REDACT_HPP
// ---- end rekognition/detail/redact.hpp

// ---- begin rekognition/detail/xml.hpp
// rekognition-cpp: a small, size-capped XML reader for service responses (STS query protocol).
#ifndef REKOGNITION_DETAIL_XML_HPP
#define REKOGNITION_DETAIL_XML_HPP

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Replaces the five predefined XML entities and numeric character
/// references; anything else is left as written. Thread-safe; throws only
/// std::bad_alloc.
REKOGNITION_INLINE std::string UnescapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    const std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i++];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    std::uint32_t cp = 0;
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      const auto parsed =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      const bool numeric = !digits.empty() && parsed.ec == std::errc() &&
                           parsed.ptr == digits.data() + digits.size() && cp != 0 &&
                           cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
      if (!numeric) {
        out += text[i++];
        continue;
      }
      // Encode the code point as UTF-8.
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
    } else {
      out += text[i++];
      continue;
    }
    i = semicolon + 1;
  }
  return out;
}

/// One element of a parsed XML document: its local name (any "prefix:"
/// removed), its unescaped character data (text and CDATA directly inside
/// it, concatenated) and its child elements in document order. Attributes
/// are read past and dropped: the responses this reads carry none that
/// matter.
struct XmlElement {
  std::string name;
  std::string text;
  std::vector<XmlElement> children;

  /// The first child called `child_name`, or nullptr. Never throws.
  const XmlElement* Child(std::string_view child_name) const noexcept {
    for (const XmlElement& child : children)
      if (child.name == child_name) return &child;
    return nullptr;
  }

  /// The element at `path` below this one (each step the first child of that
  /// name), or nullptr. Never throws.
  const XmlElement* Find(std::initializer_list<std::string_view> path) const noexcept {
    const XmlElement* at = this;
    for (std::string_view step : path) {
      at = at->Child(step);
      if (at == nullptr) return nullptr;
    }
    return at;
  }
};

/// Limits of ParseXml.
struct XmlLimits {
  std::size_t max_bytes = 256 * 1024;  ///< larger documents are refused unread
  std::size_t max_depth = 32;          ///< deeper nesting is refused
  std::size_t max_elements = 4096;     ///< more elements are refused
};

namespace xml_internal {

REKOGNITION_INLINE bool IsNameChar(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || byte >= 0x80;
}

REKOGNITION_INLINE bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

REKOGNITION_INLINE std::string_view LocalName(std::string_view name) noexcept {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

REKOGNITION_INLINE bool Fail(std::string& error, std::string message, std::size_t at) {
  error = std::move(message) + " at byte " + std::to_string(at);
  return false;
}

}  // namespace xml_internal

/// Parses `text` as one XML document into `root` (the document element).
/// Accepts an XML declaration, processing instructions, comments, CDATA and
/// a DOCTYPE without an internal subset; refuses anything else that is not
/// well-formed (mismatched or unclosed tags, text outside the document
/// element, a second document element) and documents beyond `limits`.
/// Entities are the five predefined ones and character references; nothing
/// is ever fetched or expanded recursively. On failure returns false and sets
/// `error` to a message that names the problem and its byte offset, never
/// the document's content. Iterative: no recursion on the input's nesting.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE bool ParseXml(std::string_view text, XmlElement& root, std::string& error,
                                 const XmlLimits& limits = {}) {
  using namespace xml_internal;
  root = XmlElement();
  if (text.size() > limits.max_bytes)
    return Fail(error,
                "XML document too large: " + std::to_string(text.size()) + " bytes (limit " +
                    std::to_string(limits.max_bytes) + ")",
                limits.max_bytes);
  std::vector<XmlElement*> open;  // the path from the root to the current element
  std::size_t elements = 0;
  bool done = false;  // the document element has been closed
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < text.size()) {
    if (text[i] != '<') {
      const std::size_t end = std::min(text.find('<', i), text.size());
      const std::string_view chunk = text.substr(i, end - i);
      if (open.empty()) {
        for (char c : chunk)
          if (!IsSpace(c)) return Fail(error, "text outside the document element", i);
      } else {
        open.back()->text += UnescapeXml(chunk);
      }
      i = end;
      continue;
    }
    const std::string_view rest = text.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = text.find("-->", i + 4);
      if (end == std::string_view::npos) return Fail(error, "unterminated comment", i);
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = text.find("]]>", i + 9);
      if (end == std::string_view::npos) return Fail(error, "unterminated CDATA section", i);
      if (open.empty()) return Fail(error, "CDATA outside the document element", i);
      open.back()->text.append(text.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 2) == "<?") {
      const std::size_t end = text.find("?>", i + 2);
      if (end == std::string_view::npos)
        return Fail(error, "unterminated processing instruction", i);
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") {
      if (rest.substr(0, 9) != "<!DOCTYPE" || !open.empty() || elements != 0)
        return Fail(error, "unexpected markup declaration", i);
      const std::size_t end = text.find('>', i);
      if (end == std::string_view::npos) return Fail(error, "unterminated DOCTYPE", i);
      if (text.substr(i, end - i).find('[') != std::string_view::npos)
        return Fail(error, "DOCTYPE with an internal subset is refused", i);
      i = end + 1;
      continue;
    }
    const bool closing = rest.size() > 1 && rest[1] == '/';
    std::size_t at = i + (closing ? 2 : 1);
    const std::size_t name_start = at;
    while (at < text.size() && IsNameChar(text[at])) ++at;
    const std::string_view name = text.substr(name_start, at - name_start);
    if (LocalName(name).empty()) return Fail(error, "malformed tag", i);
    if (closing) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || text[at] != '>') return Fail(error, "malformed closing tag", i);
      if (open.empty() || open.back()->name != LocalName(name))
        return Fail(error, "closing tag does not match the open element", i);
      open.pop_back();
      if (open.empty()) done = true;
      i = at + 1;
      continue;
    }
    // Attributes: name="value" or name='value', skipped.
    bool self_closing = false;
    for (;;) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size()) return Fail(error, "unterminated tag", i);
      if (text[at] == '>') {
        ++at;
        break;
      }
      if (text[at] == '/') {
        if (at + 1 >= text.size() || text[at + 1] != '>') return Fail(error, "malformed tag", at);
        self_closing = true;
        at += 2;
        break;
      }
      const std::size_t attribute_start = at;
      while (at < text.size() && IsNameChar(text[at])) ++at;
      if (at == attribute_start) return Fail(error, "malformed attribute", at);
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || text[at] != '=') return Fail(error, "malformed attribute", at);
      ++at;
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || (text[at] != '"' && text[at] != '\''))
        return Fail(error, "unquoted attribute value", at);
      const std::size_t close = text.find(text[at], at + 1);
      if (close == std::string_view::npos) return Fail(error, "unterminated attribute value", at);
      at = close + 1;
    }
    if (done) return Fail(error, "a second document element", i);
    if (++elements > limits.max_elements)
      return Fail(error,
                  "XML document has more than " + std::to_string(limits.max_elements) + " elements",
                  i);
    if (open.size() + 1 > limits.max_depth)
      return Fail(error, "XML nesting deeper than " + std::to_string(limits.max_depth), i);
    XmlElement* element = &root;
    if (!open.empty()) {
      open.back()->children.emplace_back();
      element = &open.back()->children.back();
    }
    element->name = std::string(LocalName(name));
    if (self_closing) {
      if (open.empty()) done = true;
    } else {
      open.push_back(element);
    }
    i = at;
  }
  if (!open.empty()) return Fail(error, "unclosed element", i);
  if (!done) return Fail(error, "no document element", i);
  return true;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_XML_HPP
// ---- end rekognition/detail/xml.hpp




// ---- begin rekognition/retry/retry.hpp
// rekognition-cpp: retry policies (standard, legacy) and the retry quota.
#ifndef REKOGNITION_RETRY_RETRY_HPP
#define REKOGNITION_RETRY_RETRY_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

// ---- begin rekognition/detail/random.hpp
// rekognition-cpp: the random source behind invocation ids and retry jitter.
#ifndef REKOGNITION_DETAIL_RANDOM_HPP
#define REKOGNITION_DETAIL_RANDOM_HPP

#include <pthread.h>

#include <array>
#include <atomic>
#include <random>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

// Counts fork() calls of this process: a child sees a number its parent's
// per-thread engines were not seeded under, and reseeds them.
REKOGNITION_INLINE std::atomic<unsigned>& ForkGeneration() noexcept {
  static std::atomic<unsigned> generation{0};
  return generation;
}

REKOGNITION_INLINE void RegisterForkHandler() noexcept {
  static const bool registered = [] {
    return ::pthread_atfork(nullptr, nullptr,
                            [] { ForkGeneration().fetch_add(1, std::memory_order_relaxed); }) == 0;
  }();
  (void)registered;
}

/// This thread's random engine: a 64-bit Mersenne Twister seeded with 256
/// bits from the operating system (std::random_device), and reseeded in a
/// child process after fork(), so pre-forked workers never repeat their
/// parent's or each other's numbers. Thread-safe (one engine per thread);
/// throws std::system_error only when the OS has no random source.
REKOGNITION_INLINE std::mt19937_64& RandomEngine() {
  struct Seeded {
    std::mt19937_64 engine;
    unsigned generation = 0;
    bool seeded = false;
  };
  thread_local Seeded state;
  RegisterForkHandler();
  const unsigned generation = ForkGeneration().load(std::memory_order_relaxed);
  if (!state.seeded || state.generation != generation) {
    std::random_device device;
    std::array<std::random_device::result_type, 8> words;
    for (auto& word : words) word = device();
    std::seed_seq seed(words.begin(), words.end());
    state.engine.seed(seed);
    state.generation = generation;
    state.seeded = true;
  }
  return state.engine;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_RANDOM_HPP
// ---- end rekognition/detail/random.hpp





REKOGNITION_NAMESPACE_BEGIN

/// What went wrong in one attempt, as a retry policy sees it.
struct AttemptFailure {
  std::string code;     ///< service error code; empty for transport failures
  int http_status = 0;  ///< 0 for transport failures
  std::optional<TransportErrorKind> transport;  ///< set when no response arrived
  /// The service's x-amz-retry-after hint, when it sent one.
  std::optional<std::chrono::milliseconds> retry_after;
  /// Set by the caller for a service-specific code it knows to be transient
  /// (STS's IDPCommunicationError, as the AWS SDKs retry it).
  bool transient = false;
};

/// How a failure counts for retrying.
enum class FailureClass {
  kNotRetryable,  ///< validation, access, not-found, not-ready, image errors ...
  kThrottling,    ///< throttling codes and HTTP 429
  kTransient,     ///< 5xx, timeout codes, connection faults
  kTimeout,       ///< the transport timed out (costs more retry quota)
};

/// Classifies a failure by the table every AWS SDK shares. Thread-safe.
REKOGNITION_INLINE FailureClass ClassifyFailure(const AttemptFailure& failure) noexcept {
  if (failure.transport) {
    if (*failure.transport == TransportErrorKind::kTimeout) return FailureClass::kTimeout;
    return IsRetryableTransportFailure(*failure.transport) ? FailureClass::kTransient
                                                           : FailureClass::kNotRetryable;
  }
  if (IsThrottlingError(failure.code, failure.http_status)) return FailureClass::kThrottling;
  if (failure.transient || IsTransientServiceError(failure.code, failure.http_status))
    return FailureClass::kTransient;
  return FailureClass::kNotRetryable;
}

/// A source of uniformly distributed numbers in [0, 1). Injectable so tests
/// see exact backoff values.
using RandomSource = std::function<double()>;

/// The default RandomSource: a per-thread Mersenne Twister seeded with 256
/// bits from the operating system and reseeded after fork(). Thread-safe.
REKOGNITION_INLINE double DefaultRandom() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(detail::RandomEngine());
}

/// Per-call retry state the policy keeps between the attempts of one call.
struct RetryToken {
  int acquired_cost = 0;  ///< quota taken for the latest retry, 0 if none
};

/// Decides whether and when to retry. One policy object serves every call of a
/// client (its retry quota and rate limiter are client-wide), so
/// implementations must be thread-safe.
class RetryPolicy {
 public:
  virtual ~RetryPolicy() = default;
  /// Total attempts allowed for one call, including the first.
  virtual int max_attempts() const = 0;
  /// Called before each attempt is sent; returns how long to wait first (an
  /// adaptive policy's rate limiter). The default never waits.
  virtual std::chrono::milliseconds BeforeAttempt() { return std::chrono::milliseconds(0); }
  /// Called after attempt number `attempt` (1-based) failed. Returns the delay
  /// before the next attempt, or nothing to give up. May take retry quota and
  /// note it in `token`.
  virtual std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure,
                                                             int attempt, RetryToken& token) = 0;
  /// Called once when a call succeeds (refunds quota).
  virtual void OnSuccess(const RetryToken& token) = 0;
  /// Called after every attempt, successful or not, telling whether it was
  /// throttled (an adaptive policy adjusts its send rate). Default: nothing.
  virtual void OnAttemptResult(bool throttled) { (void)throttled; }
};

/// The client-wide retry quota of the standard mode: a bucket of tokens that
/// retries draw from and successes refill, so a failing service does not get a
/// retry storm. Thread-safe.
class RetryQuota {
 public:
  explicit RetryQuota(int capacity = 500) : capacity_(capacity), available_(capacity) {}
  /// Takes `amount` tokens if there are that many; false otherwise.
  bool Acquire(int amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (available_ < amount) return false;
    available_ -= amount;
    return true;
  }
  /// Returns `amount` tokens, never above the capacity.
  void Release(int amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    available_ = std::min(capacity_, available_ + amount);
  }
  /// Tokens left now.
  int available() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return available_;
  }
  /// The quota's full capacity (500 by default). Thread-safe.
  int capacity() const noexcept { return capacity_; }

 private:
  const int capacity_;
  mutable std::mutex mutex_;
  int available_;
};

/// Numbers of the standard retry mode. The defaults are the ones every AWS SDK
/// uses; Revision2026() gives the 2026 retry revision.
struct StandardRetryOptions {
  int max_attempts = 3;
  int quota_capacity = 500;
  int retry_cost = 5;             ///< quota a retry takes
  int timeout_retry_cost = 10;    ///< quota a retry after a timeout takes
  int throttling_retry_cost = 5;  ///< quota a retry after throttling takes
  int success_increment = 1;      ///< refund for a success that needed no retry
  std::chrono::milliseconds max_backoff{20000};
  std::chrono::milliseconds base_delay{1000};  ///< backoff base for non-throttling errors
  std::chrono::milliseconds throttling_base_delay{1000};  ///< backoff base for throttling
  bool honour_retry_after = false;  ///< clamp x-amz-retry-after into [t, t + 5 s]

  /// The 2026 revision: throttling base 1 s, other errors 50 ms, retry cost 14
  /// (throttling 5), x-amz-retry-after honoured within [t, t + 5 s].
  static StandardRetryOptions Revision2026() {
    StandardRetryOptions options;
    options.retry_cost = 14;
    options.timeout_retry_cost = 14;
    options.throttling_retry_cost = 5;
    options.base_delay = std::chrono::milliseconds(50);
    options.throttling_base_delay = std::chrono::milliseconds(1000);
    options.honour_retry_after = true;
    return options;
  }
};

/// The standard retry mode (the default): 3 attempts, full-jitter exponential
/// backoff `rand * min(base * 2^(n-1), 20 s)`, a 500-token client-wide quota
/// (retry costs 5, timeout retry 10; a success refunds what its retry took, or 1
/// when it needed none). Thread-safe.
class StandardRetryPolicy : public RetryPolicy {
 public:
  explicit StandardRetryPolicy(StandardRetryOptions options = {},
                               RandomSource random = DefaultRandom)
      : options_(options), random_(std::move(random)), quota_(options.quota_capacity) {}

  int max_attempts() const override { return options_.max_attempts; }

  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken& token) override {
    const FailureClass kind = ClassifyFailure(failure);
    if (kind == FailureClass::kNotRetryable || attempt >= options_.max_attempts)
      return std::nullopt;
    const int cost = kind == FailureClass::kTimeout      ? options_.timeout_retry_cost
                     : kind == FailureClass::kThrottling ? options_.throttling_retry_cost
                                                         : options_.retry_cost;
    if (!quota_.Acquire(cost)) return std::nullopt;
    token.acquired_cost = cost;
    return Backoff(kind, attempt, failure.retry_after);
  }

  void OnSuccess(const RetryToken& token) override {
    quota_.Release(token.acquired_cost > 0 ? token.acquired_cost : options_.success_increment);
  }

  /// The backoff before retrying after attempt `attempt` failed.
  std::chrono::milliseconds Backoff(
      FailureClass kind, int attempt,
      std::optional<std::chrono::milliseconds> retry_after = {}) const {
    const auto base =
        kind == FailureClass::kThrottling ? options_.throttling_base_delay : options_.base_delay;
    const double ceiling =
        std::min(static_cast<double>(base.count()) * std::ldexp(1.0, attempt - 1),
                 static_cast<double>(options_.max_backoff.count()));
    auto delay = std::chrono::milliseconds(static_cast<long long>(random_() * ceiling));
    if (options_.honour_retry_after && retry_after) {
      delay = std::clamp(*retry_after, delay, delay + std::chrono::milliseconds(5000));
    }
    return delay;
  }

  /// The client-wide quota (for inspection and tests).
  const RetryQuota& quota() const noexcept { return quota_; }
  /// The options this policy was built with. Thread-safe.
  const StandardRetryOptions& options() const noexcept { return options_; }

 private:
  StandardRetryOptions options_;
  RandomSource random_;
  RetryQuota quota_;
};

/// The legacy retry mode: 5 attempts, backoff `rand * 2^(n-1) s` (botocore's
/// legacy table), capped at 20 s like every other mode so that raising the
/// attempts (AWS_MAX_ATTEMPTS) never makes one wait hours or overflow; no
/// quota; retries the legacy table's throttling codes, connection faults and
/// HTTP 429/500/502/503/504/509. Thread-safe.
class LegacyRetryPolicy : public RetryPolicy {
 public:
  explicit LegacyRetryPolicy(int max_attempts = 5, RandomSource random = DefaultRandom)
      : max_attempts_(max_attempts), random_(std::move(random)) {}

  int max_attempts() const override { return max_attempts_; }

  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken&) override {
    if (attempt >= max_attempts_ || !IsRetryable(failure)) return std::nullopt;
    return Backoff(attempt);
  }

  /// The backoff before retrying after attempt `attempt` failed:
  /// rand * min(2^(attempt-1) s, 20 s).
  std::chrono::milliseconds Backoff(int attempt) const {
    const double ceiling = std::min(std::ldexp(1000.0, std::clamp(attempt, 1, 64) - 1),
                                    static_cast<double>(kMaxBackoff.count()));
    return std::chrono::milliseconds(static_cast<long long>(random_() * ceiling));
  }

  /// The longest legacy backoff.
  static constexpr std::chrono::milliseconds kMaxBackoff{20000};
  void OnSuccess(const RetryToken&) override {}

  /// The legacy mode's own table (botocore's _retry.json defaults): socket
  /// errors, HTTP 429/500/502/503/504/509, and only these codes: Throttling,
  /// ThrottlingException, ThrottledException, RequestThrottledException,
  /// ProvisionedThroughputExceededException.
  static bool IsRetryable(const AttemptFailure& failure) {
    if (failure.transport) return ClassifyFailure(failure) != FailureClass::kNotRetryable;
    switch (failure.http_status) {
      case 429:
      case 500:
      case 502:
      case 503:
      case 504:
      case 509:
        return true;
      default:
        break;
    }
    const std::string& c = failure.code;
    return c == "Throttling" || c == "ThrottlingException" || c == "ThrottledException" ||
           c == "RequestThrottledException" || c == "ProvisionedThroughputExceededException";
  }

 private:
  int max_attempts_;
  RandomSource random_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_HPP
// ---- end rekognition/retry/retry.hpp

// ---- begin rekognition/retry/retry_config.hpp
// rekognition-cpp: choosing the retry mode and attempts the way the AWS SDKs do
// (code > AWS_RETRY_MODE / AWS_MAX_ATTEMPTS > profile retry_mode / max_attempts).
#ifndef REKOGNITION_RETRY_RETRY_CONFIG_HPP
#define REKOGNITION_RETRY_RETRY_CONFIG_HPP

#include <memory>
#include <optional>
#include <string>




// ---- begin rekognition/retry/adaptive_retry.hpp
// rekognition-cpp: the adaptive retry mode (standard retries plus a client-side
// CUBIC rate limiter that slows sending down after throttling).
#ifndef REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP
#define REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <mutex>
#include <optional>




REKOGNITION_NAMESPACE_BEGIN

/// Constants of the adaptive mode's rate limiter (the AWS SDKs' values).
struct AdaptiveRetryOptions {
  StandardRetryOptions standard;  ///< attempts, backoff and quota as in standard mode
  double beta = 0.7;              ///< multiplicative decrease on throttling
  double scale_constant = 0.4;    ///< CUBIC's C
  double min_fill_rate = 0.5;     ///< requests per second, the floor
  double smoothing = 0.8;         ///< weight of the newest measured-rate bucket
  double bucket_seconds = 0.5;    ///< width of a measured-rate bucket
  /// Longest a call waits for send capacity: the caller's deadline. A call
  /// that would wait longer waits this long and is sent anyway.
  std::chrono::milliseconds max_send_delay{20000};
};

/// The CUBIC send-rate limiter of the adaptive mode. Inactive until the first
/// throttling response; then a token bucket whose fill rate follows the CUBIC
/// curve (decrease by beta on throttling, cubic growth back towards and beyond
/// the rate of the last throttle), never above twice the measured send rate.
/// Time comes from an injectable clock in seconds. Thread-safe.
class CubicRateLimiter {
 public:
  using Clock = std::function<double()>;

  explicit CubicRateLimiter(AdaptiveRetryOptions options = {}, Clock clock = SteadySeconds)
      : options_(options), clock_(std::move(clock)) {
    const double now = clock_();
    last_throttle_time_ = now;
    last_bucket_ = std::floor(now);
    w_max_ = options_.min_fill_rate;
    k_ = ZeroPoint();
    SetFillRate(1.0);
  }

  /// Reserves one send token; returns how long to wait before sending (zero
  /// while the limiter is inactive or capacity is there).
  std::chrono::milliseconds Acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!enabled_) return std::chrono::milliseconds(0);
    Refill(clock_());
    capacity_ -= 1.0;  // reserve ahead: concurrent callers queue up fairly
    if (capacity_ >= 0) return std::chrono::milliseconds(0);
    // A caller waits at most max_send_delay and then sends anyway, so the
    // bucket never owes more than that wait refills: a burst's debt is paid
    // off within max_send_delay of idle time, as botocore's bucket (which
    // never goes below zero) is full again after idling.
    const double max_wait_seconds = std::chrono::duration<double>(options_.max_send_delay).count();
    capacity_ = std::max(capacity_, -max_wait_seconds * fill_rate_);
    const double seconds = -capacity_ / fill_rate_;
    const auto wait =
        std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
    return std::min(wait, options_.max_send_delay);
  }

  /// Records one response; `throttled` says whether it was a throttling error.
  void OnResponse(bool throttled) {
    std::lock_guard<std::mutex> lock(mutex_);
    const double now = clock_();
    const double measured = RecordSend(now);
    double new_rate;
    if (!throttled) {
      new_rate = options_.scale_constant * std::pow(now - last_throttle_time_ - k_, 3.0) + w_max_;
    } else {
      const double rate = enabled_ ? std::min(measured, fill_rate_) : measured;
      w_max_ = rate;
      k_ = ZeroPoint();
      last_throttle_time_ = now;
      new_rate = rate * options_.beta;
      enabled_ = true;
    }
    Refill(now);
    SetFillRate(std::min(new_rate, 2.0 * measured));
  }

  /// Whether a throttle has switched the limiter on.
  bool enabled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return enabled_;
  }
  /// The current fill rate in requests per second.
  double fill_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fill_rate_;
  }
  /// The smoothed measured send rate in requests per second.
  double measured_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return measured_rate_;
  }

  /// Seconds on the steady clock (the default clock).
  static double SteadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

 private:
  double ZeroPoint() const {
    return std::cbrt(w_max_ * (1.0 - options_.beta) / options_.scale_constant);
  }

  // The measured send rate, smoothed over fixed-width time buckets.
  double RecordSend(double now) {
    const double scale = 1.0 / options_.bucket_seconds;
    const double bucket = std::floor(now * scale) / scale;
    ++count_in_bucket_;
    if (bucket > last_bucket_) {
      const double current = count_in_bucket_ / (bucket - last_bucket_);
      measured_rate_ = current * options_.smoothing + measured_rate_ * (1.0 - options_.smoothing);
      count_in_bucket_ = 0;
      last_bucket_ = bucket;
    }
    return measured_rate_;
  }

  void Refill(double now) {
    if (!last_refill_) {
      last_refill_ = now;
      return;
    }
    capacity_ = std::min(max_capacity_, capacity_ + (now - *last_refill_) * fill_rate_);
    last_refill_ = now;
  }

  void SetFillRate(double rate) {
    fill_rate_ = std::max(rate, options_.min_fill_rate);
    max_capacity_ = std::max(rate, 1.0);
    capacity_ = std::min(capacity_, max_capacity_);
  }

  AdaptiveRetryOptions options_;
  Clock clock_;
  mutable std::mutex mutex_;
  bool enabled_ = false;
  double fill_rate_ = 1.0;
  double max_capacity_ = 1.0;
  double capacity_ = 0.0;
  std::optional<double> last_refill_;
  double w_max_ = 0.0;
  double k_ = 0.0;
  double last_throttle_time_ = 0.0;
  double measured_rate_ = 0.0;
  double last_bucket_ = 0.0;
  double count_in_bucket_ = 0.0;
};

/// The adaptive retry mode: the standard mode's retries and quota, plus the
/// CubicRateLimiter before every send. Thread-safe.
class AdaptiveRetryPolicy : public RetryPolicy {
 public:
  explicit AdaptiveRetryPolicy(AdaptiveRetryOptions options = {},
                               RandomSource random = DefaultRandom,
                               CubicRateLimiter::Clock clock = CubicRateLimiter::SteadySeconds)
      : standard_(options.standard, std::move(random)), limiter_(options, std::move(clock)) {}

  int max_attempts() const override { return standard_.max_attempts(); }
  std::chrono::milliseconds BeforeAttempt() override { return limiter_.Acquire(); }
  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken& token) override {
    return standard_.OnFailure(failure, attempt, token);
  }
  void OnSuccess(const RetryToken& token) override { standard_.OnSuccess(token); }
  void OnAttemptResult(bool throttled) override { limiter_.OnResponse(throttled); }

  /// The client-side rate limiter (for inspection and tests; not thread-safe to read while
  /// calls run).
  const CubicRateLimiter& limiter() const noexcept { return limiter_; }
  /// The standard policy deciding retries and the retry quota underneath.
  const StandardRetryPolicy& standard() const noexcept { return standard_; }

 private:
  StandardRetryPolicy standard_;
  CubicRateLimiter limiter_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP
// ---- end rekognition/retry/adaptive_retry.hpp


// ---- begin rekognition/retry/retry_settings.hpp
// rekognition-cpp: the retry mode and attempts chosen in code, apart from the
// code that resolves them (retry_config.hpp), so that ClientConfig carries them
// without the shared-config reader.
#ifndef REKOGNITION_RETRY_RETRY_SETTINGS_HPP
#define REKOGNITION_RETRY_RETRY_SETTINGS_HPP

#include <optional>



REKOGNITION_NAMESPACE_BEGIN

/// The retry modes every AWS SDK offers.
enum class RetryMode {
  kStandard,  ///< 3 attempts, capped full-jitter backoff, retry quota (the default)
  kAdaptive,  ///< standard plus a client-side rate limiter after throttling
  kLegacy,    ///< 5 attempts, uncapped backoff, no quota
};

/// Retry settings made in code; each one left unset is looked up in the
/// environment, then in the profile, then defaulted.
struct RetrySettings {
  std::optional<RetryMode> mode;    ///< else AWS_RETRY_MODE, else retry_mode, else standard
  std::optional<int> max_attempts;  ///< else AWS_MAX_ATTEMPTS, else max_attempts, else the mode's
  bool revision_2026 = false;       ///< the 2026 retry revision's numbers (standard/adaptive)
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_SETTINGS_HPP
// ---- end rekognition/retry/retry_settings.hpp



REKOGNITION_NAMESPACE_BEGIN

/// Parses a retry mode name; nullopt for anything else.
REKOGNITION_INLINE std::optional<RetryMode> ParseRetryMode(const std::string& name) {
  if (name == "standard") return RetryMode::kStandard;
  if (name == "adaptive") return RetryMode::kAdaptive;
  if (name == "legacy") return RetryMode::kLegacy;
  return std::nullopt;
}

namespace detail {
REKOGNITION_INLINE int ParseMaxAttempts(const std::string& value, const std::string& source) {
  int attempts = 0;
  std::size_t used = 0;
  try {
    attempts = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || attempts < 1)
    throw ConfigurationError(source + " must be a whole number of at least 1, not '" + value + "'");
  return attempts;
}
}  // namespace detail

/// Builds the retry policy `settings`, the environment and `profile` call
/// for. Throws ConfigurationError naming the source of an invalid value.
/// Thread-safe.
REKOGNITION_INLINE std::shared_ptr<RetryPolicy> MakeRetryPolicy(
    const RetrySettings& settings, const Profile& profile, const EnvironmentLookup& env = {},
    RandomSource random = DefaultRandom) {
  RetryMode mode = RetryMode::kStandard;
  if (settings.mode) {
    mode = *settings.mode;
  } else if (auto value = detail::NonEmptyEnv(env, "AWS_RETRY_MODE")) {
    auto parsed = ParseRetryMode(*value);
    if (!parsed)
      throw ConfigurationError("AWS_RETRY_MODE must be standard, adaptive or legacy, not '" +
                               *value + "'");
    mode = *parsed;
  } else if (auto key = profile.Get("retry_mode")) {
    auto parsed = ParseRetryMode(*key);
    if (!parsed)
      throw ConfigurationError("'retry_mode' of " + profile.Describe() +
                               " must be standard, adaptive or legacy, not '" + *key + "'");
    mode = *parsed;
  }

  std::optional<int> attempts = settings.max_attempts;
  if (attempts && *attempts < 1)
    throw ConfigurationError("max_attempts must be at least 1, not " + std::to_string(*attempts));
  if (!attempts) {
    if (auto value = detail::NonEmptyEnv(env, "AWS_MAX_ATTEMPTS"))
      attempts = detail::ParseMaxAttempts(*value, "AWS_MAX_ATTEMPTS");
    else if (auto key = profile.Get("max_attempts"))
      attempts = detail::ParseMaxAttempts(*key, "'max_attempts' of " + profile.Describe());
  }

  StandardRetryOptions standard =
      settings.revision_2026 ? StandardRetryOptions::Revision2026() : StandardRetryOptions{};
  switch (mode) {
    case RetryMode::kLegacy:
      return std::make_shared<LegacyRetryPolicy>(attempts.value_or(5), std::move(random));
    case RetryMode::kAdaptive: {
      AdaptiveRetryOptions adaptive;
      adaptive.standard = standard;
      if (attempts) adaptive.standard.max_attempts = *attempts;
      return std::make_shared<AdaptiveRetryPolicy>(adaptive, std::move(random));
    }
    case RetryMode::kStandard:
      break;
  }
  if (attempts) standard.max_attempts = *attempts;
  return std::make_shared<StandardRetryPolicy>(standard, std::move(random));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_CONFIG_HPP
// ---- end rekognition/retry/retry_config.hpp



REKOGNITION_NAMESPACE_BEGIN

/// How the providers that call AWS credentials services (STS for web
/// identity and assumed roles, IAM Identity Center for SSO) reach them.
/// Every member is optional.
struct CredentialsServiceOptions {
  /// The transport. Empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of the default transport.
  std::chrono::milliseconds timeout{10000};
  /// The STS region. Empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's
  /// `region`, else the global endpoint (aws-global), as botocore does.
  std::optional<std::string> region;
  /// Retry policy of the calls. Empty: built like the client's (AWS_RETRY_MODE,
  /// AWS_MAX_ATTEMPTS, the profile's retry_mode and max_attempts).
  std::shared_ptr<RetryPolicy> retry_policy;
  /// Waits between attempts. Empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The current time, for signing and token expiry. Empty: the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Receives one line per attempt (never a secret). Empty: no logging.
  std::function<void(const std::string&)> debug_log;
};

namespace detail {

/// Form-encodes `value` as botocore's query serializer does
/// (application/x-www-form-urlencoded: letters, digits and "-_.~" as is,
/// space as '+', everything else %XX). Throws only std::bad_alloc.
REKOGNITION_INLINE void AppendFormEncoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
}

/// One service endpoint: the URL and the SigV4 signing region.
struct ServiceEndpoint {
  std::string url;
  std::string signing_region;
};

/// The resolved, shared parts of CredentialsServiceOptions: the transport
/// (made on first use), the retry policy, sleep and clock. Thread-safe.
class CredentialsServiceCaller {
 public:
  explicit CredentialsServiceCaller(CredentialsServiceOptions options)
      : options_(std::move(options)), transport_(options_.transport, options_.timeout) {
    if (!options_.sleep)
      options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  }

  const CredentialsServiceOptions& options() const noexcept { return options_; }
  std::chrono::system_clock::time_point Now() const { return options_.clock(); }

  /// The STS endpoint for `profile`: a configured URL (AWS_ENDPOINT_URL_STS,
  /// AWS_ENDPOINT_URL, the services section's sts, the profile's
  /// endpoint_url), else the STS rules for the region (see
  /// CredentialsServiceOptions::region), FIPS and dual-stack settings.
  /// Throws ConfigurationError as ResolveEndpoint does.
  ServiceEndpoint StsEndpoint(const Profile& profile, const EnvironmentLookup& env) const {
    std::string region = "aws-global";
    if (options_.region && !options_.region->empty()) {
      region = *options_.region;
    } else if (auto value = NonEmptyEnv(env, "AWS_REGION")) {
      region = *value;
    } else if (auto value = NonEmptyEnv(env, "AWS_DEFAULT_REGION")) {
      region = *value;
    } else if (auto key = profile.Get("region")) {
      region = *key;
    }
    return Resolve({"sts", "sts-fips", true, true}, "STS", "sts", region, profile, env);
  }

  /// The endpoint of the SSO portal ("SSO", "sso") or SSO OIDC ("SSO_OIDC",
  /// "sso_oidc") in `region` (the profile's sso_region). Throws
  /// ConfigurationError as ResolveEndpoint does.
  ServiceEndpoint SsoEndpoint(bool oidc, const std::string& region, const Profile& profile,
                              const EnvironmentLookup& env) const {
    if (oidc)
      return Resolve({"oidc", "oidc-fips", true, false}, "SSO_OIDC", "sso_oidc", region, profile,
                     env);
    return Resolve({"portal.sso", "portal.sso-fips", true, false}, "SSO", "sso", region, profile,
                   env);
  }

  /// Sends the request `build(attempt)` makes (built and signed again for
  /// every attempt), retrying transport failures and retryable answers with
  /// the retry policy; `classify` turns an error response into the policy's
  /// view of it. Returns the last result and the attempts made. Throws
  /// CredentialsError when there is no transport, ConfigurationError for an
  /// unusable retry setting.
  std::pair<HttpResult, int> Send(
      const std::function<HttpRequest(int attempt)>& build,
      const std::function<AttemptFailure(const HttpResponse&)>& classify, const Profile& profile,
      const EnvironmentLookup& env, const std::string& what) {
    const auto transport = transport_.Get();
    if (!transport) throw CredentialsError(what + ": no HTTP transport (built without libcurl)");
    const std::shared_ptr<RetryPolicy> policy = Policy(profile, env);
    RetryToken token;
    for (int attempt = 1;; ++attempt) {
      const auto wait = policy->BeforeAttempt();
      if (wait.count() > 0) options_.sleep(wait);
      const HttpRequest request = build(attempt);
      HttpResult result = transport->Send(request);
      AttemptFailure failure;
      if (const auto* response = std::get_if<HttpResponse>(&result)) {
        if (response->status >= 200 && response->status < 300) {
          policy->OnAttemptResult(false);
          policy->OnSuccess(token);
          Log(what + ": attempt " + std::to_string(attempt) + ": HTTP " +
              std::to_string(response->status));
          return {std::move(result), attempt};
        }
        failure = classify(*response);
      } else {
        failure.transport = std::get<TransportFailure>(result).kind;
      }
      policy->OnAttemptResult(ClassifyFailure(failure) == FailureClass::kThrottling);
      const auto delay = policy->OnFailure(failure, attempt, token);
      Log(what + ": attempt " + std::to_string(attempt) + ": " +
          (failure.transport ? std::string(ToString(*failure.transport))
                             : "HTTP " + std::to_string(failure.http_status) + " " + failure.code) +
          (delay ? "; retrying in " + std::to_string(delay->count()) + " ms" : "; giving up"));
      if (!delay) return {std::move(result), attempt};
      options_.sleep(*delay);
    }
  }

  void Log(const std::string& line) const {
    if (options_.debug_log) options_.debug_log(line);
  }

 private:
  ServiceEndpoint Resolve(const StandardEndpointRules& rules, const char* env_name,
                          const char* services_key, const std::string& region,
                          const Profile& profile, const EnvironmentLookup& env) const {
    EndpointParameters params;
    params.region = region;
    params.use_fips = ResolveBooleanSetting(std::nullopt, "AWS_USE_FIPS_ENDPOINT",
                                            "use_fips_endpoint", profile, env);
    params.use_dual_stack = ResolveBooleanSetting(std::nullopt, "AWS_USE_DUALSTACK_ENDPOINT",
                                                  "use_dualstack_endpoint", profile, env);
    if (auto configured =
            ConfiguredServiceEndpointUrl(std::nullopt, env_name, services_key, profile, env)) {
      CheckConfiguredEndpointUrl(*configured);
      params.endpoint = std::move(configured->first);
    }
    ServiceEndpoint endpoint;
    endpoint.url = ResolveStandardEndpoint(rules, params);
    endpoint.signing_region = region == "aws-global" ? "us-east-1" : region;
    return endpoint;
  }

  std::shared_ptr<RetryPolicy> Policy(const Profile& profile, const EnvironmentLookup& env) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (options_.retry_policy) return options_.retry_policy;
    if (!policy_) policy_ = MakeRetryPolicy(RetrySettings{}, profile, env);
    return policy_;
  }

  CredentialsServiceOptions options_;
  LazyCredentialsTransport transport_;
  std::mutex mutex_;
  std::shared_ptr<RetryPolicy> policy_;
};

/// The outcome of one STS action: the <ActionResult> element and the
/// request id.
struct StsResponse {
  XmlElement result;
  std::string request_id;
};

/// The <Error> element of an STS error document: ErrorResponse/Error, or
/// ErrorResponse/Errors/Error as some peers write it; nullptr when neither.
REKOGNITION_INLINE const XmlElement* StsErrorElement(const XmlElement& root) noexcept {
  if (const XmlElement* error = root.Child("Error")) return error;
  return root.Find({"Errors", "Error"});
}

/// Calls STS action `action` (query protocol, POST form body) with `params`
/// in order, at the STS endpoint for `profile`; signs with `signing` (service
/// "sts") when set, unsigned otherwise. Throws CredentialsSourceError that
/// carries STS's error code, HTTP status and request id when STS refuses
/// (IDPCommunicationError and 5xx are retried first), or names the
/// transport failure; `secrets` are redacted from every message (the peer's
/// message may echo anything). `what` prefixes messages (e.g. "web
/// identity"). Thread-safe.
REKOGNITION_INLINE StsResponse CallSts(
    CredentialsServiceCaller& caller, const std::string& action,
    const std::vector<std::pair<std::string, std::string>>& params,
    const std::optional<Credentials>& signing, const Profile& profile, const EnvironmentLookup& env,
    const std::vector<std::string_view>& secrets, const std::string& what) {
  const ServiceEndpoint endpoint = caller.StsEndpoint(profile, env);
  std::string body = "Action=";
  AppendFormEncoded(body, action);
  body += "&Version=2011-06-15";
  for (const auto& [name, value] : params) {
    body += '&';
    AppendFormEncoded(body, name);
    body += '=';
    AppendFormEncoded(body, value);
  }
  const auto parsed_url = ParseUrl(endpoint.url);
  if (!parsed_url)
    throw ConfigurationError("the STS endpoint '" + endpoint.url + "' is not an absolute URL");
  SigV4Signer signer;
  auto build = [&](int) {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint.url;
    request.body = body;
    request.headers.emplace_back("Host", parsed_url->HostHeader());
    request.headers.emplace_back("Content-Type",
                                 "application/x-www-form-urlencoded; charset=utf-8");
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (signing) {
      SigV4Params sign;
      sign.region = endpoint.signing_region;
      sign.service = "sts";
      sign.time = caller.Now();
      signer.Sign(request, *signing, sign);
    }
    return request;
  };
  auto classify = [&secrets](const HttpResponse& response) {
    AttemptFailure failure;
    failure.http_status = response.status;
    XmlElement root;
    std::string ignored;
    if (ParseXml(response.body, root, ignored))
      if (const XmlElement* error = StsErrorElement(root))
        if (const XmlElement* code = error->Child("Code"))
          failure.code = SanitizeErrorCode(RedactAll(code->text, secrets));
    failure.transient = failure.code == "IDPCommunicationError";
    return failure;
  };
  const std::string label = what + ": STS " + action;
  auto [result, attempts] = caller.Send(build, classify, profile, env, label);
  if (const auto* failure = std::get_if<TransportFailure>(&result))
    throw CredentialsSourceError(ErrorInfo{
        ToString(failure->kind),
        RedactAll(label + " at " + endpoint.url + " failed: " + failure->message, secrets), 0, "",
        attempts, IsRetryableTransportFailure(failure->kind)});
  const auto& response = std::get<HttpResponse>(result);
  std::string request_id;
  // Everything the peer sent may echo a secret: redacted whole, then cut.
  if (const std::string* id = response.Header("x-amzn-RequestId"))
    request_id = PrintableExcerpt(RedactAll(*id, secrets), 128);
  XmlElement root;
  std::string error;
  const bool parsed = ParseXml(response.body, root, error);
  if (parsed && request_id.empty()) {
    const XmlElement* id = root.Find({"ResponseMetadata", "RequestId"});
    if (id == nullptr) id = root.Child("RequestId");
    if (id != nullptr) request_id = PrintableExcerpt(RedactAll(id->text, secrets), 128);
  }
  if (response.status < 200 || response.status >= 300) {
    std::string code = "CredentialsError";
    std::string message;
    if (const XmlElement* error = parsed ? StsErrorElement(root) : nullptr) {
      if (const XmlElement* element = error->Child("Code"))
        code = SanitizeErrorCode(RedactAll(element->text, secrets));
      if (const XmlElement* element = error->Child("Message"))
        message = PrintableExcerpt(RedactAll(element->text, secrets), 300);
    }
    const bool retryable = code == "IDPCommunicationError" ||
                           IsTransientServiceError(code, response.status) ||
                           IsThrottlingError(code, response.status);
    throw CredentialsSourceError(ErrorInfo{
        code, RedactAll(label + " was refused: " + (message.empty() ? code : message), secrets),
        response.status, request_id, attempts, retryable});
  }
  if (!parsed)
    throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                           label + " answered an unreadable document: " + error,
                                           response.status, request_id, attempts, false});
  const XmlElement* result_element = root.Child(action + "Result");
  if (root.name != action + "Response" || result_element == nullptr)
    throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                           label + " answered without <" + action + "Result>",
                                           response.status, request_id, attempts, false});
  return StsResponse{*result_element, std::move(request_id)};
}

/// The <Credentials> of an STS AssumeRole* result (AccessKeyId,
/// SecretAccessKey, SessionToken, Expiration). Throws CredentialsSourceError
/// naming the missing member, never a value.
REKOGNITION_INLINE Credentials ReadStsCredentials(const StsResponse& response,
                                                  const std::string& what) {
  const XmlElement* element = response.result.Child("Credentials");
  auto fail = [&](const std::string& problem) {
    return CredentialsSourceError(
        ErrorInfo{"CredentialsError", what + ": " + problem, 200, response.request_id, 1, false});
  };
  if (element == nullptr) throw fail("the STS answer has no Credentials");
  Credentials credentials;
  const std::pair<const char*, std::string*> fields[] = {
      {"AccessKeyId", &credentials.access_key_id},
      {"SecretAccessKey", &credentials.secret_access_key},
      {"SessionToken", &credentials.session_token}};
  for (const auto& [name, field] : fields) {
    const XmlElement* value = element->Child(name);
    if (value == nullptr || value->text.empty())
      throw fail(std::string("the STS answer has no ") + name);
    *field = value->text;
  }
  const XmlElement* expiration = element->Child("Expiration");
  if (expiration == nullptr) throw fail("the STS answer has no Expiration");
  credentials.expiration = ParseIso8601(expiration->text);
  if (!credentials.expiration) throw fail("the STS answer's Expiration is not an ISO 8601 time");
  return credentials;
}

/// The RoleSessionName botocore makes up when none is configured:
/// "botocore-session-" and the Unix time in seconds. Never throws except
/// std::bad_alloc.
REKOGNITION_INLINE std::string DefaultRoleSessionName(std::chrono::system_clock::time_point now) {
  return "botocore-session-" +
         std::to_string(
             std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP
// ---- end rekognition/auth/credentials_service.hpp

// ---- begin rekognition/auth/instance_metadata_credentials_provider.hpp
// rekognition-cpp: credentials of the EC2 instance role, from the instance metadata service.
#ifndef REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>











REKOGNITION_NAMESPACE_BEGIN

/// Settings of InstanceMetadataCredentialsProvider.
struct InstanceMetadataCredentialsOptions {
  /// The transport; empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of each request of the default transport.
  std::chrono::milliseconds timeout{1000};
  /// Attempts per request when the service is unreachable or answers 5xx.
  int max_attempts = 1;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
};

namespace detail {

inline constexpr const char* kImdsDefaultEndpoint = "http://169.254.169.254";
inline constexpr const char* kImdsDefaultEndpointIpv6 = "http://[fd00:ec2::254]";
inline constexpr const char* kImdsTokenPath = "/latest/api/token";
inline constexpr const char* kImdsCredentialsPath = "/latest/meta-data/iam/security-credentials/";
inline constexpr const char* kImdsTokenTtlHeader = "x-aws-ec2-metadata-token-ttl-seconds";
inline constexpr const char* kImdsTokenHeader = "x-aws-ec2-metadata-token";
inline constexpr const char* kImdsTokenTtlSeconds = "21600";

REKOGNITION_INLINE bool IsTrueSetting(const std::optional<std::string>& value) noexcept {
  return value && ParseBooleanSetting(*value);
}

// IAM role names are [A-Za-z0-9+=,.@_-]{1,64}; anything else is refused
// before it is put into a URL.
REKOGNITION_INLINE bool IsValidRoleName(const std::string& name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '_' ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace detail

/// Fetches the instance role's credentials from the EC2 instance metadata
/// service with IMDSv2: PUT /latest/api/token (TTL 21600 s), then
/// GET /latest/meta-data/iam/security-credentials/ for the role name and
/// GET .../ROLE for the credentials, both with the token. If the token
/// request is refused (403, 404, 405) the GETs go without a token (IMDSv1),
/// unless AWS_EC2_METADATA_V1_DISABLED=true. Disabled by
/// AWS_EC2_METADATA_DISABLED=true. The endpoint is
/// AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://[fd00:ec2::254] when
/// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, else http://169.254.169.254.
/// Each request times out after 1 s by default. Nothing is sent before the
/// first GetCredentials call. Thread-safe.
class InstanceMetadataCredentialsProvider : public CredentialsProvider {
 public:
  explicit InstanceMetadataCredentialsProvider(InstanceMetadataCredentialsOptions options = {})
      : env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        transport_(std::move(options.transport), options.timeout),
        max_attempts_(options.max_attempts) {}

  /// Fetches credentials. Throws CredentialsError when disabled, unreachable,
  /// when the instance has no role, or on any unexpected answer. Messages
  /// never contain the token or the credentials.
  Credentials GetCredentials() override {
    if (detail::IsTrueSetting(detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_DISABLED")))
      throw CredentialsError("instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
    const std::string endpoint = Endpoint();
    if (!detail::ParseUrl(endpoint))
      throw CredentialsError("instance metadata: the endpoint '" + endpoint +
                             "' is not an absolute http(s) URL");
    const auto transport = transport_.Get();
    if (!transport)
      throw CredentialsError("instance metadata: no HTTP transport (built without libcurl)");

    // IMDSv2 session token.
    HttpRequest token_request;
    token_request.method = "PUT";
    token_request.url = endpoint + detail::kImdsTokenPath;
    token_request.headers.emplace_back(detail::kImdsTokenTtlHeader, detail::kImdsTokenTtlSeconds);
    token_request.headers.emplace_back("User-Agent", kUserAgent);
    const HttpResult token_result =
        detail::SendCredentialsRequest(*transport, token_request, max_attempts_);
    const auto* token_response = std::get_if<HttpResponse>(&token_result);
    std::optional<std::string> token;
    if (token_response != nullptr && token_response->status == 200) {
      token = token_response->body;
      if (token->empty() || token->find_first_of("\r\n") != std::string::npos)
        throw CredentialsError("instance metadata: the service returned an unusable session token");
    } else if (token_response != nullptr &&
               (token_response->status == 403 || token_response->status == 404 ||
                token_response->status == 405) &&
               !detail::IsTrueSetting(detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_V1_DISABLED"))) {
      // IMDSv2 unavailable: fall back to IMDSv1 below.
    } else {
      throw CredentialsError("instance metadata: the token request to " + endpoint +
                             " failed: " + detail::DescribeCredentialsResult(token_result));
    }

    HttpRequest role_request = MetadataGet(endpoint + detail::kImdsCredentialsPath, token);
    const HttpResult role_result =
        detail::SendCredentialsRequest(*transport, role_request, max_attempts_);
    const auto* role_response = std::get_if<HttpResponse>(&role_result);
    if (role_response == nullptr || role_response->status != 200) {
      if (role_response != nullptr && role_response->status == 404)
        throw CredentialsError(
            "instance metadata: the instance has no IAM role (instance profile)");
      throw CredentialsError("instance metadata: the role name request failed: " +
                             detail::DescribeCredentialsResult(role_result));
    }
    std::string role = role_response->body.substr(0, role_response->body.find_first_of("\r\n"));
    while (!role.empty() && (role.back() == ' ' || role.back() == '\t')) role.pop_back();
    if (!detail::IsValidRoleName(role))
      throw CredentialsError("instance metadata: the service returned no usable IAM role name");

    HttpRequest credentials_request =
        MetadataGet(endpoint + detail::kImdsCredentialsPath + role, token);
    const HttpResult credentials_result =
        detail::SendCredentialsRequest(*transport, credentials_request, max_attempts_);
    const auto* credentials_response = std::get_if<HttpResponse>(&credentials_result);
    if (credentials_response == nullptr || credentials_response->status != 200)
      throw CredentialsError("instance metadata: the credentials request for role '" + role +
                             "' failed: " + detail::DescribeCredentialsResult(credentials_result));
    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(credentials_response->body, document))
      throw CredentialsError("instance metadata: the credentials of role '" + role +
                             "' are not a JSON object");
    const auto code = document.FindMember("Code");
    if (code != document.MemberEnd() &&
        (!code->value.IsString() || std::string(code->value.GetString()) != "Success"))
      throw CredentialsError("instance metadata: the credentials of role '" + role +
                             "' are not available");
    std::string error;
    auto credentials = detail::ReadCredentialsJson(document, "Token", error);
    if (!credentials)
      throw CredentialsError("instance metadata: invalid credentials document: " + error);
    return std::move(*credentials);
  }

 private:
  std::string Endpoint() const {
    std::string endpoint;
    if (auto configured = detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT"))
      endpoint = std::move(*configured);
    else if (auto mode = detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
             mode && detail::EqualsIgnoreCase(*mode, "IPv6"))
      endpoint = detail::kImdsDefaultEndpointIpv6;
    else
      endpoint = detail::kImdsDefaultEndpoint;
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    return endpoint;
  }

  static HttpRequest MetadataGet(std::string url, const std::optional<std::string>& token) {
    HttpRequest request;
    request.method = "GET";
    request.url = std::move(url);
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (token) request.headers.emplace_back(detail::kImdsTokenHeader, *token);
    return request;
  }

  EnvironmentLookup env_;
  detail::LazyCredentialsTransport transport_;
  int max_attempts_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/instance_metadata_credentials_provider.hpp

// ---- begin rekognition/auth/process_credentials_provider.hpp
// rekognition-cpp: credentials from an external program (the credential_process setting).
#ifndef REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>



// ---- begin rekognition/auth/shell_split.hpp
// rekognition-cpp: splitting a credential_process command line into arguments.
#ifndef REKOGNITION_AUTH_SHELL_SPLIT_HPP
#define REKOGNITION_AUTH_SHELL_SPLIT_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Splits `command` into arguments with POSIX shell-like quoting, as the aws
/// CLI does for credential_process (Python's shlex.split): blanks separate
/// arguments; '...' is literal; in "..." a backslash escapes only '"' and
/// '\\'; outside quotes a backslash escapes any character; adjacent quoted
/// and unquoted parts join into one argument, and "" is an empty argument.
/// No variables, globs, pipes or comments: nothing is interpreted by a shell.
/// Returns nullopt and sets `error` for an unclosed quote or a trailing
/// backslash. Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE std::optional<std::vector<std::string>> SplitCommandLine(
    std::string_view command, std::string& error) {
  std::vector<std::string> arguments;
  std::string current;
  bool in_argument = false;  // true once a character or a quote pair started one
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < command.size()) {
    const char c = command[i];
    if (is_space(c)) {
      if (in_argument) arguments.push_back(std::move(current));
      current.clear();
      in_argument = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) {
        error = "the command line ends with a lone backslash";
        return std::nullopt;
      }
      current += command[i + 1];
      in_argument = true;
      i += 2;
    } else if (c == '\'') {
      const auto close = command.find('\'', i + 1);
      if (close == std::string_view::npos) {
        error = "the command line has an unclosed single quote";
        return std::nullopt;
      }
      current.append(command.substr(i + 1, close - i - 1));
      in_argument = true;
      i = close + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < command.size()) {
        const char q = command[i];
        if (q == '"') {
          closed = true;
          ++i;
          break;
        }
        if (q == '\\' && i + 1 < command.size() &&
            (command[i + 1] == '"' || command[i + 1] == '\\')) {
          current += command[i + 1];
          i += 2;
          continue;
        }
        current += q;
        ++i;
      }
      if (!closed) {
        error = "the command line has an unclosed double quote";
        return std::nullopt;
      }
      in_argument = true;
    } else {
      current += c;
      in_argument = true;
      ++i;
    }
  }
  if (in_argument) arguments.push_back(std::move(current));
  return arguments;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_SHELL_SPLIT_HPP
// ---- end rekognition/auth/shell_split.hpp







REKOGNITION_NAMESPACE_BEGIN

/// Settings of ProcessCredentialsProvider.
struct ProcessCredentialsOptions {
  /// The profile whose credential_process runs (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// A command line to run instead of the profile's credential_process.
  std::optional<std::string> command;
  /// The program is killed when it takes longer than this.
  std::chrono::milliseconds timeout{60000};
  /// The program is killed when it writes more than this to stdout.
  std::size_t max_output_bytes = std::size_t{64} * 1024;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// The current time, to refuse expired credentials (empty: the system clock).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Runs the profile's `credential_process` command (or a given command line)
/// and reads credentials from its stdout, as the aws CLI does: the command
/// line is split with shell-like quoting but never given to a shell; the
/// program runs with this process's environment, its stdin inherited and its
/// stderr captured; it must exit 0 and print
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
/// "SessionToken": ..., "Expiration": "ISO 8601"}` (the last two optional).
/// Credentials with an Expiration are refreshed by a caching provider.
/// Nothing runs before the first GetCredentials call. Thread-safe (each call
/// runs the program once; put a CachingCredentialsProvider in front).
class ProcessCredentialsProvider : public CredentialsProvider {
 public:
  explicit ProcessCredentialsProvider(ProcessCredentialsOptions options = {})
      : options_(std::move(options)) {
    options_.environment = detail::EnvironmentOrProcess(std::move(options_.environment));
    if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  }

  /// Runs the program. Throws CredentialsError when no command is
  /// configured, and CredentialsSourceError (a chain stops there, as
  /// botocore's does) when the command line is malformed, the program cannot start,
  /// fails, times out, prints too much or prints anything but valid, unexpired
  /// version 1 credentials; ConfigurationError when an explicitly chosen
  /// profile does not exist. Messages name the program, never its output
  /// (stdout or stderr) nor its arguments.
  Credentials GetCredentials() override {
    std::string command;
    std::string origin;
    if (options_.command) {
      command = *options_.command;
      origin = "the configured command";
    } else {
      const Profile profile = LoadProfile(options_.profile, options_.environment);
      auto configured = profile.Get("credential_process");
      if (!configured)
        throw CredentialsError("credential_process: " + profile.Describe() +
                               " has no credential_process");
      command = std::move(*configured);
      origin = "credential_process of profile '" + profile.name + "'";
    }

    std::string error;
    const auto arguments = detail::SplitCommandLine(command, error);
    if (!arguments)
      throw CredentialsSourceError("credential_process: cannot split " + origin + ": " + error);
    if (arguments->empty())
      throw CredentialsSourceError("credential_process: " + origin + " is empty");
    // Only the program name goes into messages: arguments may hold secrets.
    const std::string program = "credential_process '" + arguments->front() + "'";

    const detail::SubprocessResult run =
        detail::RunSubprocess(*arguments, options_.timeout, options_.max_output_bytes);
    switch (run.outcome) {
      case detail::SubprocessOutcome::kSpawnFailed:
        throw CredentialsSourceError(program +
                                     " could not be started: " + std::strerror(run.spawn_error));
      case detail::SubprocessOutcome::kTimedOut:
        throw CredentialsSourceError(program + " did not finish within " +
                                     std::to_string(options_.timeout.count()) +
                                     " ms and was killed");
      case detail::SubprocessOutcome::kOutputTooLarge:
        throw CredentialsSourceError(program + " wrote more than " +
                                     std::to_string(options_.max_output_bytes) +
                                     " bytes and was killed");
      case detail::SubprocessOutcome::kSignaled:
        throw CredentialsSourceError(program + " was killed by signal " +
                                     std::to_string(run.signal));
      case detail::SubprocessOutcome::kExited:
        break;
    }
    if (run.exit_code != 0) {
      // Its stderr stays out of the message: a failing credential program may
      // print the very secrets it was meant to hand over.
      throw CredentialsSourceError(program + " exited with status " +
                                   std::to_string(run.exit_code) +
                                   " (run it yourself to see its error output)");
    }

    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(run.out, document))
      throw CredentialsSourceError(program + " did not print a JSON object");
    const auto version = document.FindMember("Version");
    if (version == document.MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 1)
      throw CredentialsSourceError(program +
                                   " printed an unsupported Version (expected the number 1)");
    auto credentials = detail::ReadCredentialsJson(document, "SessionToken", error);
    if (!credentials)
      throw CredentialsSourceError(program + " printed invalid credentials: " + error);
    if (credentials->expiration && *credentials->expiration <= options_.clock())
      throw CredentialsSourceError(program + " returned credentials that have already expired");
    return std::move(*credentials);
  }

 private:
  ProcessCredentialsOptions options_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/process_credentials_provider.hpp

// ---- begin rekognition/auth/profile_credentials_provider.hpp
// rekognition-cpp: credentials from a profile of the shared config and credentials files.
#ifndef REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP

#include <optional>
#include <string>
#include <utility>







REKOGNITION_NAMESPACE_BEGIN

/// Reads aws_access_key_id, aws_secret_access_key and aws_session_token from
/// the chosen profile (see ChooseProfile) of the shared files, the
/// credentials file winning over the config file. The files are read at each
/// GetCredentials call, never in the constructor. Thread-safe.
class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  /// `profile`: the profile chosen in code (else AWS_PROFILE, else "default");
  /// `env`: where variables are read (empty: the process environment).
  explicit ProfileCredentialsProvider(std::optional<std::string> profile = std::nullopt,
                                      EnvironmentLookup env = {})
      : profile_(std::move(profile)), env_(detail::EnvironmentOrProcess(std::move(env))) {}

  /// Throws CredentialsError when the profile has no complete key pair, and
  /// ConfigurationError when an explicitly chosen profile does not exist or a
  /// file cannot be read.
  Credentials GetCredentials() override {
    const Profile profile = LoadProfile(profile_, env_);
    return FromProfile(profile);
  }

  /// The credentials a loaded profile holds; throws CredentialsError as above.
  static Credentials FromProfile(const Profile& profile) {
    Credentials credentials;
    credentials.access_key_id = profile.Get("aws_access_key_id").value_or("");
    credentials.secret_access_key = profile.Get("aws_secret_access_key").value_or("");
    credentials.session_token = profile.Get("aws_session_token").value_or("");
    if (credentials.IsValid()) return credentials;
    std::string reason;
    if (!profile.exists)
      reason = "does not exist";
    else if (!credentials.access_key_id.empty())
      reason = "has aws_access_key_id but no aws_secret_access_key";
    else if (!credentials.secret_access_key.empty())
      reason = "has aws_secret_access_key but no aws_access_key_id";
    else
      reason = "has no aws_access_key_id and aws_secret_access_key";
    throw CredentialsError("shared files: " + profile.Describe() + " " + reason);
  }

 private:
  std::optional<std::string> profile_;
  EnvironmentLookup env_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/profile_credentials_provider.hpp

// ---- begin rekognition/auth/sso_credentials_provider.hpp
// rekognition-cpp: credentials from IAM Identity Center (SSO) after `aws sso login`.
#ifndef REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>















REKOGNITION_NAMESPACE_BEGIN

/// Settings of SsoCredentialsProvider.
struct SsoCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// The token cache directory. Empty: ~/.aws/sso/cache, as the AWS CLI.
  std::string cache_directory;
  /// How IAM Identity Center is reached (transport, retries, clock).
  CredentialsServiceOptions service;
};

namespace detail {

/// A profile's IAM Identity Center settings, resolved as botocore does.
struct SsoProfileConfig {
  std::string start_url;
  std::string region;
  std::string account_id;
  std::string role_name;
  std::optional<std::string> session_name;  ///< set for sso_session profiles
};

/// Reads the sso_* settings of `profile`, merging its `[sso-session NAME]`
/// section when it names one. nullopt when the profile sets neither
/// sso_account_id nor sso_role_name (not an SSO profile). Throws
/// CredentialsSourceError naming the profile when the session section does
/// not exist, a key differs between profile and session, or a required key is
/// missing. Thread-safe.
REKOGNITION_INLINE std::optional<SsoProfileConfig> ReadSsoProfileConfig(
    const Profile& profile, const SharedConfig& config) {
  if (!profile.Get("sso_account_id") && !profile.Get("sso_role_name")) return std::nullopt;
  std::map<std::string, std::string> values = profile.values;
  std::vector<const char*> required = {"sso_role_name", "sso_account_id", "sso_start_url",
                                       "sso_region"};
  std::optional<std::string> session_name = profile.Get("sso_session");
  if (session_name) {
    const auto session = config.GetSsoSession(*session_name);
    if (!session)
      throw CredentialsSourceError("sso: " + profile.Describe() + " names the sso-session '" +
                                   *session_name + "', which does not exist");
    for (const auto& [key, value] : *session) {
      const auto found = values.find(key);
      if (found != values.end() && found->second != value)
        throw CredentialsSourceError("sso: the value for " + key + " differs between " +
                                     profile.Describe() + " and [sso-session " + *session_name +
                                     "]");
      values[key] = value;
    }
  }
  std::string missing;
  for (const char* key : required) {
    const auto found = values.find(key);
    if (found == values.end() || found->second.empty())
      missing += (missing.empty() ? "" : ", ") + std::string(key);
  }
  if (!missing.empty())
    throw CredentialsSourceError("sso: " + profile.Describe() +
                                 " is configured for IAM Identity Center but misses " + missing);
  return SsoProfileConfig{values["sso_start_url"], values["sso_region"], values["sso_account_id"],
                          values["sso_role_name"], session_name};
}

/// "2026-12-01T12:00:00Z" for `time` (whole seconds, UTC), as the AWS CLI
/// writes expiresAt. Never throws except std::bad_alloc.
REKOGNITION_INLINE std::string FormatIso8601Seconds(std::chrono::system_clock::time_point time) {
  const std::string compact = SigV4Signer::FormatAmzDate(time);  // 20261201T120000Z
  if (compact.size() != 16) return compact;
  return compact.substr(0, 4) + "-" + compact.substr(4, 2) + "-" + compact.substr(6, 2) + "T" +
         compact.substr(9, 2) + ":" + compact.substr(11, 2) + ":" + compact.substr(13, 2) + "Z";
}

/// Writes `text` to `path` atomically: a temporary file (mode 0600) in the
/// same directory, flushed to disk, then renamed over `path`, so a reader
/// sees the old file or the new one, never a part. Creates the directory
/// (0700) when missing. Throws CredentialsError naming the path on failure.
REKOGNITION_INLINE void WriteFileAtomically(const std::string& directory, const std::string& path,
                                            const std::string& text) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    throw CredentialsError("cannot create " + directory + ": " + std::strerror(errno));
  std::string temp = path + ".XXXXXX.tmp";
  const int fd = ::mkstemps(&temp[0], 4);
  if (fd < 0)
    throw CredentialsError("cannot create a file in " + directory + ": " + std::strerror(errno));
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  const int error = ok ? 0 : errno;
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int reason = error != 0 ? error : errno;
    ::unlink(temp.c_str());
    throw CredentialsError("cannot write " + path + ": " + std::strerror(reason));
  }
}

/// The number member `name` of a JSON object as a double, or nullopt.
REKOGNITION_INLINE std::optional<double> JsonNumberMember(const rapidjson::Value& object,
                                                          const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsNumber()) return std::nullopt;
  return member->value.GetDouble();
}

}  // namespace detail

/// Credentials of an IAM Identity Center permission set, as botocore gets
/// them: the profile names sso_account_id and sso_role_name, and either an
/// `sso_session` (whose `[sso-session NAME]` section has sso_start_url and
/// sso_region) or, the legacy form, sso_start_url and sso_region itself. The
/// access token is the one `aws sso login` cached in
/// ~/.aws/sso/cache/SHA1.json (SHA-1 hex of the session name, or of the start
/// URL for legacy profiles). For an sso_session profile a token within 15
/// minutes of expiry is refreshed through SSO OIDC CreateToken with the
/// cached refresh token and client registration, and the cache file is
/// rewritten atomically with the new token; a legacy token is never
/// refreshed. The role credentials come from the SSO portal's
/// GetRoleCredentials. Nothing is read or sent before the first
/// GetCredentials call. Thread-safe (put a CachingCredentialsProvider in
/// front, as the default chain does, so one refresh runs at a time).
class SsoCredentialsProvider : public CredentialsProvider {
 public:
  explicit SsoCredentialsProvider(SsoCredentialsOptions options = {})
      : profile_(std::move(options.profile)),
        env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        cache_directory_(std::move(options.cache_directory)),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(std::move(options.service))) {}

  /// Returns the role credentials. Throws CredentialsError when the profile
  /// is not an SSO profile (the chain moves on); CredentialsSourceError when
  /// it is but its settings are incomplete, there is no cached token, the
  /// token expired and cannot be refreshed (the message names the
  /// `aws sso login --profile NAME` to run), or the service refuses;
  /// ConfigurationError for an unusable endpoint or profile. Messages never
  /// contain a token or the returned keys.
  Credentials GetCredentials() override {
    const SharedConfig config = SharedConfig::Load(env_);
    const Profile profile = config.SelectProfile(profile_, env_);
    return FromProfile(profile, config, env_, cache_directory_, *caller_);
  }

  /// The same for an already loaded profile (also used for the source
  /// profile of an assumed role). Throws as GetCredentials.
  static Credentials FromProfile(const Profile& profile, const SharedConfig& config,
                                 const EnvironmentLookup& env, const std::string& cache_directory,
                                 detail::CredentialsServiceCaller& caller) {
    const auto sso = detail::ReadSsoProfileConfig(profile, config);
    if (!sso)
      throw CredentialsError("sso: " + profile.Describe() +
                             " has no sso_account_id or sso_role_name");
    const std::string login = "run 'aws sso login --profile " + profile.name + "'";
    std::string directory = cache_directory;
    if (directory.empty()) directory = detail::ExpandHome("~/.aws/sso/cache", env);
    if (directory.empty())
      throw CredentialsSourceError("sso: HOME is not set, so ~/.aws/sso/cache cannot be found");
    const std::string path =
        directory + "/" + detail::Sha1Hex(sso->session_name ? *sso->session_name : sso->start_url) +
        ".json";
    std::string text;
    try {
      if (!detail::ReadSharedFile(path, text))
        throw CredentialsSourceError("sso: no cached IAM Identity Center token in " + path + "; " +
                                     login);
    } catch (const ConfigurationError& e) {
      throw CredentialsSourceError("sso: " + e.message());
    }
    const detail::WipeOnExit wipe_text{text};
    rapidjson::Document token;
    bool ok = true;
    std::optional<std::string> access_token, expires_at;
    if (detail::ParseCredentialsJsonObject(text, token)) {
      access_token = detail::CredentialsJsonString(token, "accessToken", ok);
      expires_at = detail::CredentialsJsonString(token, "expiresAt", ok);
    }
    if (!ok || !access_token || !expires_at)
      throw CredentialsSourceError("sso: the cached token in " + path +
                                   " is invalid (no accessToken or expiresAt); " + login);
    const detail::WipeOnExit wipe_token{*access_token};
    auto expiration = detail::ParseIso8601(*expires_at);
    if (!expiration)
      throw CredentialsSourceError("sso: the cached token in " + path +
                                   " has an unreadable expiresAt; " + login);
    const auto now = caller.Now();
    if (sso->session_name && *expiration - now < std::chrono::minutes(15)) {
      if (auto refreshed = Refresh(*sso, token, path, directory, profile, env, caller)) {
        *access_token = refreshed->first;
        expiration = refreshed->second;
      }
    }
    if (*expiration <= now)
      throw CredentialsSourceError(
          "sso: the IAM Identity Center token for " +
          (sso->session_name ? "sso-session '" + *sso->session_name + "'"
                             : "start URL " + sso->start_url) +
          " has expired" + (sso->session_name ? " and could not be refreshed" : "") + "; " + login);
    return GetRoleCredentials(*sso, *access_token, profile, env, caller, login);
  }

 private:
  // CreateToken with the cached refresh token; the new access token and its
  // expiry, or nullopt when the cache has no usable registration or the
  // service refuses (botocore then goes on with the old token).
  static std::optional<std::pair<std::string, std::chrono::system_clock::time_point>> Refresh(
      const detail::SsoProfileConfig& sso, const rapidjson::Document& token,
      const std::string& path, const std::string& directory, const Profile& profile,
      const EnvironmentLookup& env, detail::CredentialsServiceCaller& caller) {
    bool ok = true;
    const auto refresh_token = detail::CredentialsJsonString(token, "refreshToken", ok);
    const auto client_id = detail::CredentialsJsonString(token, "clientId", ok);
    const auto client_secret = detail::CredentialsJsonString(token, "clientSecret", ok);
    const auto registration_expires =
        detail::CredentialsJsonString(token, "registrationExpiresAt", ok);
    if (!ok || !refresh_token || !client_id || !client_secret || !registration_expires) {
      caller.Log("sso: the cached token has no refresh token or client registration");
      return std::nullopt;
    }
    const auto registration_end = detail::ParseIso8601(*registration_expires);
    if (!registration_end || *registration_end <= caller.Now()) {
      caller.Log("sso: the cached client registration has expired");
      return std::nullopt;
    }
    const detail::ServiceEndpoint endpoint = caller.SsoEndpoint(true, sso.region, profile, env);
    rapidjson::StringBuffer request_body;
    {
      rapidjson::Writer<rapidjson::StringBuffer> writer(request_body);
      writer.StartObject();
      writer.Key("grantType");
      writer.String("refresh_token");
      writer.Key("clientId");
      writer.String(client_id->c_str(), static_cast<rapidjson::SizeType>(client_id->size()));
      writer.Key("clientSecret");
      writer.String(client_secret->c_str(),
                    static_cast<rapidjson::SizeType>(client_secret->size()));
      writer.Key("refreshToken");
      writer.String(refresh_token->c_str(),
                    static_cast<rapidjson::SizeType>(refresh_token->size()));
      writer.EndObject();
    }
    const std::string body(request_body.GetString(), request_body.GetSize());
    const auto parsed_url = detail::ParseUrl(endpoint.url);
    if (!parsed_url)
      throw ConfigurationError("the SSO OIDC endpoint '" + endpoint.url + "' is not a URL");
    auto build = [&](int) {
      HttpRequest request;
      request.method = "POST";
      request.url = JoinPath(endpoint.url, "/token");
      request.body = body;
      request.headers.emplace_back("Host", parsed_url->HostHeader());
      request.headers.emplace_back("Content-Type", "application/json");
      request.headers.emplace_back("User-Agent", kUserAgent);
      return request;
    };
    const std::vector<std::string_view> secrets = {*refresh_token, *client_secret};
    auto [result, attempts] =
        caller.Send(build, JsonErrorClassifier(secrets), profile, env, "sso: CreateToken");
    (void)attempts;
    const auto* response = std::get_if<HttpResponse>(&result);
    if (response == nullptr || response->status != 200) {
      caller.Log("sso: refreshing the token failed: " + detail::DescribeCredentialsResult(result));
      return std::nullopt;
    }
    rapidjson::Document answer;
    std::optional<std::string> access_token, new_refresh_token;
    std::optional<double> expires_in;
    ok = true;
    if (detail::ParseCredentialsJsonObject(response->body, answer)) {
      access_token = detail::CredentialsJsonString(answer, "accessToken", ok);
      new_refresh_token = detail::CredentialsJsonString(answer, "refreshToken", ok);
      expires_in = detail::JsonNumberMember(answer, "expiresIn");
    }
    if (!ok || !access_token || access_token->empty() || !expires_in || *expires_in <= 0 ||
        *expires_in > 1e9) {
      caller.Log("sso: CreateToken answered no usable token");
      return std::nullopt;
    }
    const auto expiration =
        caller.Now() + std::chrono::seconds(static_cast<std::int64_t>(*expires_in));
    // The cache entry the AWS CLI writes, registration kept alongside.
    rapidjson::StringBuffer cache_text;
    {
      rapidjson::Writer<rapidjson::StringBuffer> writer(cache_text);
      auto put = [&](const char* key, const std::string& value) {
        writer.Key(key);
        writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
      };
      writer.StartObject();
      put("startUrl", sso.start_url);
      put("region", sso.region);
      put("accessToken", *access_token);
      put("expiresAt", detail::FormatIso8601Seconds(expiration));
      put("clientId", *client_id);
      put("clientSecret", *client_secret);
      put("registrationExpiresAt", *registration_expires);
      put("refreshToken", new_refresh_token ? *new_refresh_token : *refresh_token);
      writer.EndObject();
    }
    std::string text(cache_text.GetString(), cache_text.GetSize());
    const detail::WipeOnExit wipe{text};
    try {
      detail::WriteFileAtomically(directory, path, text);
    } catch (const CredentialsError& e) {
      caller.Log("sso: the refreshed token could not be cached: " + e.message());
    }
    return std::make_pair(*access_token, expiration);
  }

  static Credentials GetRoleCredentials(const detail::SsoProfileConfig& sso,
                                        const std::string& access_token, const Profile& profile,
                                        const EnvironmentLookup& env,
                                        detail::CredentialsServiceCaller& caller,
                                        const std::string& login) {
    const detail::ServiceEndpoint endpoint = caller.SsoEndpoint(false, sso.region, profile, env);
    const auto parsed_url = detail::ParseUrl(endpoint.url);
    if (!parsed_url)
      throw ConfigurationError("the SSO endpoint '" + endpoint.url + "' is not a URL");
    std::string query = "?role_name=";
    detail::SigV4AppendEncoded(query, sso.role_name, false);
    query += "&account_id=";
    detail::SigV4AppendEncoded(query, sso.account_id, false);
    auto build = [&](int) {
      HttpRequest request;
      request.method = "GET";
      request.url = JoinPath(endpoint.url, "/federation/credentials") + query;
      request.headers.emplace_back("Host", parsed_url->HostHeader());
      request.headers.emplace_back("x-amz-sso_bearer_token", access_token);
      request.headers.emplace_back("User-Agent", kUserAgent);
      return request;
    };
    const std::vector<std::string_view> secrets = {access_token};
    auto [result, attempts] =
        caller.Send(build, JsonErrorClassifier(secrets), profile, env, "sso: GetRoleCredentials");
    if (const auto* failure = std::get_if<TransportFailure>(&result))
      throw CredentialsSourceError(ErrorInfo{
          ToString(failure->kind),
          detail::RedactAll(
              "sso: GetRoleCredentials at " + endpoint.url + " failed: " + failure->message,
              secrets),
          0, "", attempts, IsRetryableTransportFailure(failure->kind)});
    const auto& response = std::get<HttpResponse>(result);
    std::string request_id;
    if (const std::string* id = response.Header("x-amzn-RequestId"))
      request_id = detail::PrintableExcerpt(detail::RedactAll(*id, secrets), 128);
    if (response.status != 200) {
      const AttemptFailure failure = JsonErrorClassifier(secrets)(response);
      const bool unauthorized = failure.code == "UnauthorizedException" || response.status == 401 ||
                                response.status == 403;
      throw CredentialsSourceError(ErrorInfo{
          failure.code.empty() ? "CredentialsError" : failure.code,
          "sso: GetRoleCredentials for role " + sso.role_name + " in account " + sso.account_id +
              " was refused (HTTP " + std::to_string(response.status) + ")" +
              (unauthorized
                   ? "; the IAM Identity Center session has expired or is invalid; " + login
                   : ""),
          response.status, request_id, attempts, false});
    }
    rapidjson::Document document;
    std::string error = "not a JSON object";
    std::optional<Credentials> credentials;
    if (detail::ParseCredentialsJsonObject(response.body, document)) {
      const auto role = document.FindMember("roleCredentials");
      if (role == document.MemberEnd() || !role->value.IsObject()) {
        error = "roleCredentials is missing";
      } else {
        bool ok = true;
        Credentials found;
        found.access_key_id =
            detail::CredentialsJsonString(role->value, "accessKeyId", ok).value_or("");
        found.secret_access_key =
            detail::CredentialsJsonString(role->value, "secretAccessKey", ok).value_or("");
        found.session_token =
            detail::CredentialsJsonString(role->value, "sessionToken", ok).value_or("");
        const auto expiration_ms = detail::JsonNumberMember(role->value, "expiration");
        if (!ok || !found.IsValid() || found.session_token.empty()) {
          error = "accessKeyId, secretAccessKey or sessionToken is missing";
        } else if (!expiration_ms || *expiration_ms < 0 || *expiration_ms > kMaxExpirationMs) {
          error = "expiration is missing or out of range";
        } else {
          found.expiration = std::chrono::system_clock::time_point(
              std::chrono::duration_cast<std::chrono::system_clock::duration>(
                  std::chrono::milliseconds(static_cast<std::int64_t>(*expiration_ms))));
          credentials = std::move(found);
        }
      }
    }
    if (!credentials)
      throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                             "sso: GetRoleCredentials answered an unusable "
                                             "document: " +
                                                 error,
                                             response.status, request_id, attempts, false});
    return std::move(*credentials);
  }

  // The latest expiration the clock can hold (system_clock counts
  // nanoseconds in a 64-bit integer: up to the year 2262).
  static constexpr double kMaxExpirationMs = 9.0e12;

  // Classifies a JSON (REST) error by x-amzn-ErrorType up to ':'; the peer
  // may echo a secret there, so `secrets` are redacted before the code is cut.
  static std::function<AttemptFailure(const HttpResponse&)> JsonErrorClassifier(
      const std::vector<std::string_view>& secrets) {
    return [&secrets](const HttpResponse& response) {
      AttemptFailure failure;
      failure.http_status = response.status;
      if (const std::string* type = response.Header("x-amzn-ErrorType"))
        failure.code = detail::SanitizeErrorCode(detail::RedactAll(*type, secrets));
      return failure;
    };
  }

  static std::string JoinPath(const std::string& base, const char* path) {
    std::string url = base;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url + path;
  }

  std::optional<std::string> profile_;
  EnvironmentLookup env_;
  std::string cache_directory_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/sso_credentials_provider.hpp

// ---- begin rekognition/auth/web_identity_credentials_provider.hpp
// rekognition-cpp: credentials for a web identity token (IAM roles for EKS service accounts).
#ifndef REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>








REKOGNITION_NAMESPACE_BEGIN

/// Settings of WebIdentityCredentialsProvider.
struct WebIdentityCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Ignore AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
  /// AWS_ROLE_SESSION_NAME and read only the profile, as botocore does for a
  /// profile chosen in code (DefaultCredentialsChain sets it then).
  bool ignore_environment = false;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// How STS is reached (transport, region, retries, clock).
  CredentialsServiceOptions service;
};

/// Exchanges a web identity token for role credentials with STS
/// AssumeRoleWithWebIdentity (unsigned), as botocore does: the token file is
/// AWS_WEB_IDENTITY_TOKEN_FILE, else the profile's web_identity_token_file;
/// the role is AWS_ROLE_ARN, else the profile's role_arn; the session name
/// AWS_ROLE_SESSION_NAME, else the profile's role_session_name, else
/// "botocore-session-<unix time>". Each variable overrides its own profile
/// key only, and a variable that is set but empty counts as set (as in
/// botocore). The token file is read again at every call, since Kubernetes
/// rotates it. Put a CachingCredentialsProvider in front (the default chain
/// does). Nothing is read or sent before the first GetCredentials call.
/// Thread-safe.
class WebIdentityCredentialsProvider : public CredentialsProvider {
 public:
  explicit WebIdentityCredentialsProvider(WebIdentityCredentialsOptions options = {})
      : profile_(std::move(options.profile)),
        ignore_environment_(options.ignore_environment),
        env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(std::move(options.service))) {}

  /// Returns the role's credentials. Throws CredentialsError when no token
  /// file is configured (the chain moves on); CredentialsSourceError when
  /// one is configured but there is no role ARN, the file cannot be read, or
  /// STS refuses (carrying STS's code, e.g. InvalidIdentityToken, and
  /// request id); ConfigurationError for an unusable endpoint or profile.
  /// Messages never contain the token or the returned keys.
  Credentials GetCredentials() override {
    const Profile profile = LoadProfile(profile_, env_);
    return FromProfile(profile, ignore_environment_, env_, *caller_);
  }

  /// The same for an already loaded profile (also used for the source
  /// profile of an assumed role). Throws as GetCredentials.
  static Credentials FromProfile(const Profile& profile, bool ignore_environment,
                                 const EnvironmentLookup& env,
                                 detail::CredentialsServiceCaller& caller) {
    auto setting = [&](const char* variable, const char* key) -> std::optional<std::string> {
      if (!ignore_environment) {
        if (auto value = env ? env(variable) : ProcessEnvironment()(variable)) return value;
      }
      return profile.Get(key);
    };
    const std::optional<std::string> token_file =
        setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!token_file || token_file->empty())
      throw CredentialsError("web identity: AWS_WEB_IDENTITY_TOKEN_FILE and " + profile.Describe() +
                             "'s web_identity_token_file are not set");
    const std::optional<std::string> role_arn = setting("AWS_ROLE_ARN", "role_arn");
    if (!role_arn || role_arn->empty())
      throw CredentialsSourceError(
          "web identity: a token file is configured but no role ARN: set AWS_ROLE_ARN or "
          "role_arn in " +
          profile.Describe());
    // botocore's parameter order: a configured session name first, a made-up
    // one after the role.
    std::vector<std::pair<std::string, std::string>> params;
    const std::string session_name =
        setting("AWS_ROLE_SESSION_NAME", "role_session_name").value_or(std::string());
    if (!session_name.empty()) params.emplace_back("RoleSessionName", session_name);
    params.emplace_back("RoleArn", *role_arn);
    if (session_name.empty())
      params.emplace_back("RoleSessionName", detail::DefaultRoleSessionName(caller.Now()));

    std::string token;
    try {
      if (!detail::ReadSharedFile(detail::ExpandHome(*token_file, env), token))
        throw CredentialsSourceError("web identity: the token file " + *token_file +
                                     " does not exist");
    } catch (const ConfigurationError& e) {
      throw CredentialsSourceError("web identity: " + e.message());
    }
    if (token.empty())
      throw CredentialsSourceError("web identity: the token file " + *token_file + " is empty");
    params.emplace_back("WebIdentityToken", token);
    const detail::WipeOnExit wipe_token{token}, wipe_param{params.back().second};
    const detail::StsResponse response =
        detail::CallSts(caller, "AssumeRoleWithWebIdentity", params, std::nullopt, profile, env,
                        {token}, "web identity (role " + *role_arn + ")");
    return detail::ReadStsCredentials(response, "web identity");
  }

 private:
  std::optional<std::string> profile_;
  bool ignore_environment_;
  EnvironmentLookup env_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/web_identity_credentials_provider.hpp






REKOGNITION_NAMESPACE_BEGIN

/// Returns the current code of the MFA device `serial` (an ARN or serial
/// number), e.g. by asking the user. Called at every AssumeRole of a profile
/// with mfa_serial.
using MfaCodeCallback = std::function<std::string(const std::string& serial)>;

/// Settings of AssumeRoleCredentialsProvider.
struct AssumeRoleCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// Supplies MFA codes for profiles with mfa_serial. Empty: such a profile
  /// is an error (a library never prompts on its own).
  MfaCodeCallback mfa_code;
  /// How STS (and IAM Identity Center, for an SSO source profile) is reached.
  CredentialsServiceOptions service;
  /// Transport of the Ec2InstanceMetadata and EcsContainer credential
  /// sources (empty: libcurl with their short timeouts, made on first use).
  std::shared_ptr<HttpTransport> metadata_transport;
  /// The IAM Identity Center token cache (empty: ~/.aws/sso/cache).
  std::string sso_cache_directory;
};

/// Assumes the role of a profile that sets `role_arn` (and no
/// web_identity_token_file) with STS AssumeRole, signed with the source
/// credentials, exactly as botocore resolves them: `source_profile` names a
/// profile whose static keys are used when it has any (even if it also sets
/// role_arn), otherwise whose own role is assumed first (chains of any
/// length; a cycle is an error naming the profiles), or whose web identity,
/// IAM Identity Center or credential_process settings provide them;
/// `credential_source` is Environment, Ec2InstanceMetadata or EcsContainer.
/// Also read: external_id, role_session_name (default
/// "botocore-session-<unix time>"), duration_seconds, mfa_serial (needs
/// AssumeRoleCredentialsOptions::mfa_code). The files are read at every
/// call; put a CachingCredentialsProvider in front (the default chain does).
/// Nothing is read or sent before the first GetCredentials call.
/// Thread-safe.
class AssumeRoleCredentialsProvider : public CredentialsProvider {
 public:
  explicit AssumeRoleCredentialsProvider(AssumeRoleCredentialsOptions options = {})
      : options_(std::move(options)),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(options_.service)) {
    options_.environment = detail::EnvironmentOrProcess(std::move(options_.environment));
  }

  /// Returns the assumed role's credentials. Throws CredentialsError when
  /// the profile does not assume a role (the chain moves on);
  /// CredentialsSourceError when it does but the configuration is
  /// incomplete or circular, the source has no credentials, an MFA code is
  /// needed and there is no callback, or STS refuses (with STS's code and
  /// request id); ConfigurationError for an unusable profile or endpoint.
  /// Messages never contain keys or tokens.
  Credentials GetCredentials() override {
    const SharedConfig config = SharedConfig::Load(options_.environment);
    const Profile profile = config.SelectProfile(options_.profile, options_.environment);
    if (!AssumesRole(profile))
      throw CredentialsError("assume role: " + profile.Describe() + " has no role_arn");
    std::vector<std::string> visited = {profile.name};
    return Assume(config, profile, profile, visited);
  }

 private:
  static bool AssumesRole(const Profile& profile) {
    return profile.values.count("role_arn") != 0 &&
           profile.values.count("web_identity_token_file") == 0;
  }
  static bool HasStaticKeys(const Profile& profile) {
    return profile.values.count("aws_access_key_id") != 0 ||
           profile.values.count("aws_secret_access_key") != 0;
  }

  static std::string Path(const std::vector<std::string>& visited, const std::string& next) {
    std::string path;
    for (const std::string& name : visited) path += "'" + name + "' -> ";
    return path + "'" + next + "'";
  }

  // Assumes `profile`'s role; `top` is the chosen profile (its settings pick
  // the STS endpoint, as the session's do in botocore).
  Credentials Assume(const SharedConfig& config, const Profile& top, const Profile& profile,
                     std::vector<std::string>& visited) {
    const std::string role_arn = profile.Get("role_arn").value_or("");
    if (role_arn.empty())
      throw CredentialsSourceError("assume role: role_arn of " + profile.Describe() + " is empty");
    const auto source_profile = profile.Get("source_profile");
    const auto credential_source = profile.Get("credential_source");
    if (source_profile && credential_source)
      throw CredentialsSourceError("assume role: " + profile.Describe() +
                                   " sets both source_profile and credential_source");
    if (!source_profile && !credential_source)
      throw CredentialsSourceError("assume role: " + profile.Describe() +
                                   " sets role_arn but neither source_profile nor "
                                   "credential_source");
    std::optional<int> duration;
    if (auto text = profile.Get("duration_seconds")) {
      int value = 0;
      const auto parsed = std::from_chars(text->data(), text->data() + text->size(), value);
      if (parsed.ec != std::errc() || parsed.ptr != text->data() + text->size() || value < 1)
        throw CredentialsSourceError("assume role: duration_seconds of " + profile.Describe() +
                                     " must be a whole number of seconds, not '" + *text + "'");
      duration = value;
    }
    const auto mfa_serial = profile.Get("mfa_serial");
    if (mfa_serial && !options_.mfa_code)
      throw CredentialsSourceError(
          "assume role: " + profile.Describe() + " sets mfa_serial " + *mfa_serial +
          ", which needs an MFA code: set AssumeRoleCredentialsOptions::mfa_code "
          "(DefaultCredentialsChainOptions::mfa_code) to supply one");

    const Credentials source =
        credential_source ? FromCredentialSource(*credential_source, profile)
                          : FromSourceProfile(config, top, profile, *source_profile, visited);

    // botocore's parameter order: the configured extras, then the role, then
    // a made-up session name, then the MFA code.
    std::vector<std::pair<std::string, std::string>> params;
    const auto session_name = profile.Get("role_session_name");
    if (session_name) params.emplace_back("RoleSessionName", *session_name);
    if (auto external_id = profile.Get("external_id"))
      params.emplace_back("ExternalId", *external_id);
    if (mfa_serial) params.emplace_back("SerialNumber", *mfa_serial);
    if (duration) params.emplace_back("DurationSeconds", std::to_string(*duration));
    params.emplace_back("RoleArn", role_arn);
    if (!session_name)
      params.emplace_back("RoleSessionName", detail::DefaultRoleSessionName(caller_->Now()));
    if (mfa_serial) params.emplace_back("TokenCode", options_.mfa_code(*mfa_serial));
    const detail::StsResponse response = detail::CallSts(
        *caller_, "AssumeRole", params, source, top, options_.environment,
        {source.secret_access_key, source.session_token}, "assume role " + role_arn);
    return detail::ReadStsCredentials(response, "assume role " + role_arn);
  }

  Credentials FromCredentialSource(const std::string& name, const Profile& profile) {
    std::shared_ptr<CredentialsProvider> provider;
    if (detail::EqualsIgnoreCase(name, "Environment")) {
      provider = std::make_shared<EnvironmentCredentialsProvider>(options_.environment);
    } else if (detail::EqualsIgnoreCase(name, "Ec2InstanceMetadata")) {
      InstanceMetadataCredentialsOptions metadata;
      metadata.transport = options_.metadata_transport;
      metadata.environment = options_.environment;
      provider = std::make_shared<InstanceMetadataCredentialsProvider>(std::move(metadata));
    } else if (detail::EqualsIgnoreCase(name, "EcsContainer")) {
      ContainerCredentialsOptions container;
      container.transport = options_.metadata_transport;
      container.environment = options_.environment;
      provider = std::make_shared<ContainerCredentialsProvider>(std::move(container));
    } else {
      throw CredentialsSourceError("assume role: the credential_source '" + name + "' of " +
                                   profile.Describe() +
                                   " is not valid: use Environment, Ec2InstanceMetadata or "
                                   "EcsContainer");
    }
    try {
      return provider->GetCredentials();
    } catch (const CredentialsSourceError&) {
      throw;
    } catch (const CredentialsError& e) {
      throw CredentialsSourceError("assume role: no credentials from the credential_source " +
                                   name + " of " + profile.Describe() + ": " + e.message());
    }
  }

  Credentials FromSourceProfile(const SharedConfig& config, const Profile& top,
                                const Profile& parent, const std::string& name,
                                std::vector<std::string>& visited) {
    if (!config.HasProfile(name))
      throw CredentialsSourceError("assume role: the source_profile '" + name + "' of " +
                                   parent.Describe() + " does not exist");
    const Profile source = config.GetProfile(name);
    if (std::find(visited.begin(), visited.end(), name) != visited.end() &&
        (name != parent.name || !HasStaticKeys(source)))
      throw CredentialsSourceError("assume role: the source profiles form a cycle: " +
                                   Path(visited, name));
    visited.push_back(name);
    if (HasStaticKeys(source) || !AssumesRole(source)) return FromProfileProviders(config, source);
    return Assume(config, top, source, visited);
  }

  // The providers botocore tries for a source profile: web identity (no
  // environment), IAM Identity Center, the profile's keys, credential_process.
  Credentials FromProfileProviders(const SharedConfig& config, const Profile& source) {
    std::string reasons;
    auto attempt = [&](const std::function<Credentials()>& get) -> std::optional<Credentials> {
      try {
        return get();
      } catch (const CredentialsSourceError&) {
        throw;
      } catch (const CredentialsError& e) {
        reasons += "\n  - " + e.message();
        return std::nullopt;
      }
    };
    if (auto found = attempt([&] {
          return WebIdentityCredentialsProvider::FromProfile(source, true, options_.environment,
                                                             *caller_);
        }))
      return *found;
    if (auto found = attempt([&] {
          return SsoCredentialsProvider::FromProfile(source, config, options_.environment,
                                                     options_.sso_cache_directory, *caller_);
        }))
      return *found;
    if (auto found = attempt([&] { return ProfileCredentialsProvider::FromProfile(source); }))
      return *found;
    if (auto found = attempt([&] {
          ProcessCredentialsOptions process;
          process.profile = source.name;
          process.environment = options_.environment;
          process.clock = options_.service.clock;
          return ProcessCredentialsProvider(std::move(process)).GetCredentials();
        }))
      return *found;
    throw CredentialsSourceError("assume role: the source profile '" + source.name +
                                 "' has no credentials; looked in:" + reasons);
  }

  AssumeRoleCredentialsOptions options_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/assume_role_credentials_provider.hpp

// ---- begin rekognition/auth/caching_credentials_provider.hpp
// rekognition-cpp: caching credentials and refreshing them ahead of expiry.
#ifndef REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>





REKOGNITION_NAMESPACE_BEGIN

/// Settings of CachingCredentialsProvider.
struct CachingCredentialsOptions {
  /// Credentials are refreshed this long before they expire.
  std::chrono::seconds refresh_ahead{300};
  /// The current time (empty: the system clock). Tests inject their own.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Remembers what its inner provider returned and asks again only when the
/// credentials come within `refresh_ahead` of their expiration (credentials
/// without one are kept for good). Exactly one caller refreshes at a time:
/// while the cached credentials are still valid the other callers keep using
/// them, and when there is nothing valid the other callers wait for that one
/// refresh and share its outcome, credentials or exception. A failed refresh
/// before expiry is not an error: the cached credentials are returned and the
/// refresh is tried again 30 s later (or at expiry); after expiry the failure
/// propagates. Thread-safe.
class CachingCredentialsProvider : public CredentialsProvider {
 public:
  /// Throws std::invalid_argument when `inner` is null.
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                      CachingCredentialsOptions options = {})
      : inner_(std::move(inner)),
        refresh_ahead_(options.refresh_ahead),
        clock_(std::move(options.clock)) {
    if (!inner_) throw std::invalid_argument("CachingCredentialsProvider needs a provider");
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
  }

  /// Returns the cached credentials, refreshing them first when due.
  /// Throws what the inner provider throws when there is nothing valid to
  /// return, or CredentialsError when it returns already expired credentials.
  Credentials GetCredentials() override {
    std::optional<Credentials> usable;  // still valid, though due
    std::uint64_t attempts_seen = 0;
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      const auto now = clock_();
      if (cached_ && now < refresh_at_) return *cached_;
      if (cached_ && (!cached_->expiration || now < *cached_->expiration)) usable = cached_;
      attempts_seen = attempts_;
    }
    if (usable) {
      // Due but still valid: one caller refreshes, the others go on with
      // what they have.
      std::unique_lock<std::mutex> refresh(refresh_mutex_, std::try_to_lock);
      if (!refresh.owns_lock()) return *usable;
      try {
        return Refresh();
      } catch (const std::exception&) {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (cached_ && cached_->expiration)
          refresh_at_ = std::min(clock_() + kRetryAfterFailure, *cached_->expiration);
        return *usable;
      }
    }
    // Nothing valid: everyone waits for one refresh and shares its outcome.
    std::lock_guard<std::mutex> refresh(refresh_mutex_);
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (attempts_ != attempts_seen) {  // a refresh ran while this caller waited
        if (last_failure_) std::rethrow_exception(last_failure_);
        if (cached_) return *cached_;
      }
    }
    return Refresh();
  }

  /// Forgets the cached credentials, so the next call asks the inner
  /// provider (e.g. after the service rejected them). Thread-safe.
  void Invalidate() {
    std::lock_guard<std::mutex> lock(state_mutex_);
    cached_.reset();
  }

 private:
  static constexpr std::chrono::seconds kRetryAfterFailure{30};

  // Called with refresh_mutex_ held: asks the inner provider unless the
  // cache became fresh meanwhile, and records the outcome.
  Credentials Refresh() {
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (cached_ && clock_() < refresh_at_) return *cached_;
    }
    std::optional<Credentials> fresh;
    std::exception_ptr failure;
    try {
      fresh = inner_->GetCredentials();
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(state_mutex_);
    ++attempts_;
    const auto now = clock_();
    if (!failure && fresh->expiration && *fresh->expiration <= now)
      failure = std::make_exception_ptr(CredentialsError(
          "the credentials provider returned credentials that have already expired"));
    last_failure_ = failure;
    if (failure) std::rethrow_exception(failure);
    if (!fresh->expiration) {
      refresh_at_ = std::chrono::system_clock::time_point::max();
    } else {
      refresh_at_ = *fresh->expiration - refresh_ahead_;
      // Credentials that arrive already inside the refresh window are used
      // for half their remaining life instead of being fetched on every call.
      if (refresh_at_ <= now) refresh_at_ = now + (*fresh->expiration - now) / 2;
    }
    cached_ = fresh;
    return *fresh;
  }

  std::shared_ptr<CredentialsProvider> inner_;
  std::chrono::system_clock::duration refresh_ahead_;
  std::function<std::chrono::system_clock::time_point()> clock_;
  std::mutex refresh_mutex_;  // held by the one caller that refreshes
  std::mutex state_mutex_;    // guards everything below
  std::optional<Credentials> cached_;
  std::chrono::system_clock::time_point refresh_at_{};
  std::uint64_t attempts_ = 0;       // refreshes finished, successful or not
  std::exception_ptr last_failure_;  // the last refresh's exception, if it failed
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/caching_credentials_provider.hpp

// ---- begin rekognition/auth/chain_credentials_provider.hpp
// rekognition-cpp: trying several credentials providers in order.
#ifndef REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP

#include <memory>
#include <string>
#include <utility>
#include <vector>





REKOGNITION_NAMESPACE_BEGIN

/// Asks its providers in order; the first that returns credentials wins.
/// A provider that throws CredentialsError is passed over and its message
/// kept, except CredentialsSourceError (the source is configured but
/// failed); that one and any other exception (ConfigurationError for a
/// profile that does not exist, for instance) stop the chain and propagate.
/// Thread-safe when its providers are.
class ChainCredentialsProvider : public CredentialsProvider {
 public:
  /// Null entries are skipped.
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  /// Returns the first provider's credentials; throws CredentialsError saying
  /// what each provider looked for and why it had nothing (never a secret).
  Credentials GetCredentials() override {
    std::string reasons;
    for (const auto& provider : providers_) {
      if (!provider) continue;
      try {
        Credentials credentials = provider->GetCredentials();
        if (credentials.IsValid()) return credentials;
        reasons += "\n  - a provider returned incomplete credentials";
      } catch (const CredentialsSourceError&) {
        throw;  // configured but failing: never fall through to another source
      } catch (const CredentialsError& e) {
        reasons += "\n  - " + e.message();
      }
    }
    if (reasons.empty()) reasons = "\n  - no credentials providers are configured";
    throw CredentialsError("no AWS credentials found; looked in:" + reasons);
  }

  /// The providers, in order.
  const std::vector<std::shared_ptr<CredentialsProvider>>& providers() const noexcept {
    return providers_;
  }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP
// ---- end rekognition/auth/chain_credentials_provider.hpp



// ---- begin rekognition/auth/default_credentials_chain.hpp
// rekognition-cpp: the default credentials chain every AWS SDK uses.
#ifndef REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP
#define REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>
















REKOGNITION_NAMESPACE_BEGIN

/// Settings of DefaultCredentialsChain.
struct DefaultCredentialsChainOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// Transport of the container and instance metadata providers, and of
  /// STS and IAM Identity Center unless `service.transport` is set (empty:
  /// libcurl, made on first use, with short timeouts for the local
  /// endpoints).
  std::shared_ptr<HttpTransport> transport;
  /// The region STS is called in (empty: AWS_REGION, AWS_DEFAULT_REGION, the
  /// profile's region, else the global endpoint). The client passes its own.
  std::optional<std::string> region;
  /// Supplies MFA codes for assume-role profiles with mfa_serial (empty:
  /// such a profile is an error; a library never prompts).
  MfaCodeCallback mfa_code;
  /// How STS and IAM Identity Center are reached (transport, retries, sleep,
  /// log); its region and clock default to the ones above.
  CredentialsServiceOptions service;
  /// The IAM Identity Center token cache (empty: ~/.aws/sso/cache).
  std::string sso_cache_directory;
  /// Cached credentials are refreshed this long before they expire.
  std::chrono::seconds refresh_ahead{300};
  /// The current time (empty: the system clock).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Builds the standard chain in botocore's order, cached and refreshed ahead
/// of expiry: environment keys (AWS_ACCESS_KEY_ID, ...) > assume-role profile
/// (role_arn with source_profile or credential_source) > web identity
/// (AWS_WEB_IDENTITY_TOKEN_FILE or the profile's web_identity_token_file) >
/// IAM Identity Center (sso_session / sso_start_url profiles) > the profile's
/// keys in the shared files > the profile's credential_process > container
/// endpoint > instance metadata (IMDSv2). When `options.profile` is set the
/// environment keys and the web identity variables are ignored, as botocore
/// does for a profile chosen in code (AWS_PROFILE does not do that). A
/// source that is configured but fails (CredentialsSourceError) ends the
/// search: a pod with a web identity never falls back to the node's role.
/// Explicit keys are not part of it: put a StaticCredentialsProvider in
/// front, or use one instead. Building it reads no file, runs nothing and
/// sends nothing; the first GetCredentials call does. The result is
/// thread-safe. Throws only std::bad_alloc.
REKOGNITION_INLINE std::shared_ptr<CredentialsProvider> DefaultCredentialsChain(
    DefaultCredentialsChainOptions options = {}) {
  const EnvironmentLookup env = detail::EnvironmentOrProcess(std::move(options.environment));

  ProcessCredentialsOptions process;
  process.profile = options.profile;
  process.environment = env;
  process.clock = options.clock;

  ContainerCredentialsOptions container;
  container.transport = options.transport;
  container.environment = env;

  InstanceMetadataCredentialsOptions metadata;
  metadata.transport = options.transport;
  metadata.environment = env;

  CredentialsServiceOptions service = options.service;
  if (!service.transport) service.transport = options.transport;
  if (!service.region) service.region = options.region;
  if (!service.clock) service.clock = options.clock;
  // A profile chosen in code (the CLI's --profile) means that profile's
  // credentials, as in botocore: the environment's keys and web identity
  // variables would otherwise win. A profile from AWS_PROFILE leaves them.
  const bool profile_from_code = options.profile && !options.profile->empty();
  AssumeRoleCredentialsOptions assume_role;
  assume_role.profile = options.profile;
  assume_role.environment = env;
  assume_role.mfa_code = std::move(options.mfa_code);
  assume_role.service = service;
  assume_role.metadata_transport = options.transport;
  assume_role.sso_cache_directory = options.sso_cache_directory;
  WebIdentityCredentialsOptions web_identity;
  web_identity.profile = options.profile;
  web_identity.ignore_environment = profile_from_code;
  web_identity.environment = env;
  web_identity.service = service;
  SsoCredentialsOptions sso;
  sso.profile = options.profile;
  sso.environment = env;
  sso.cache_directory = options.sso_cache_directory;
  sso.service = service;
  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  if (!profile_from_code)
    providers.push_back(std::make_shared<EnvironmentCredentialsProvider>(env));
  providers.push_back(std::make_shared<AssumeRoleCredentialsProvider>(std::move(assume_role)));
  providers.push_back(std::make_shared<WebIdentityCredentialsProvider>(std::move(web_identity)));
  providers.push_back(std::make_shared<SsoCredentialsProvider>(std::move(sso)));
  providers.push_back(std::make_shared<ProfileCredentialsProvider>(options.profile, env));
  providers.push_back(std::make_shared<ProcessCredentialsProvider>(std::move(process)));
  providers.push_back(std::make_shared<ContainerCredentialsProvider>(std::move(container)));
  providers.push_back(std::make_shared<InstanceMetadataCredentialsProvider>(std::move(metadata)));

  CachingCredentialsOptions caching;
  caching.refresh_ahead = options.refresh_ahead;
  caching.clock = std::move(options.clock);
  return std::make_shared<CachingCredentialsProvider>(
      std::make_shared<ChainCredentialsProvider>(std::move(providers)), std::move(caching));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP
// ---- end rekognition/auth/default_credentials_chain.hpp







#endif  // REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP
// ---- end rekognition/auth/credentials_providers.hpp

// ---- begin rekognition/client_config.hpp
// rekognition-cpp: everything a Client can be told.
#ifndef REKOGNITION_CLIENT_CONFIG_HPP
#define REKOGNITION_CLIENT_CONFIG_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>





// ---- begin rekognition/operations/validation_options.hpp
// rekognition-cpp: which client-side checks run, apart from the checks
// themselves (validation.hpp), so that ClientConfig carries it lightly.
#ifndef REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP
#define REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP



REKOGNITION_NAMESPACE_BEGIN

/// Which checks CheckRequest and ValidateRequest apply.
struct ValidationOptions {
  /// Also check the documented Custom Labels limits (image bytes at most
  /// 4 MB, each side 64 to 4096 px, aspect ratio at most 20:1). The service
  /// model's rules always apply.
  bool check_documented_limits = true;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP
// ---- end rekognition/operations/validation_options.hpp





REKOGNITION_NAMESPACE_BEGIN

/// Everything a Client can be told. Every member is optional: what is left
/// empty is resolved the way the AWS SDKs do it, at the first call (the
/// constructor never touches the network, the files or the environment).
struct ClientConfig {
  /// Shared-config profile. Empty: AWS_PROFILE, else "default".
  std::string profile;
  /// AWS region, e.g. "us-east-1". Empty: AWS_REGION, AWS_DEFAULT_REGION,
  /// then the profile's `region`; none is a ConfigurationError.
  std::string region;
  /// Endpoint URL, e.g. "http://127.0.0.1:8080". Unset:
  /// AWS_ENDPOINT_URL_REKOGNITION, AWS_ENDPOINT_URL, the profile's
  /// endpoint_url, else derived from the region by the endpoint rules. Set
  /// but empty is a ConfigurationError at the first call.
  std::optional<std::string> endpoint_url;
  /// Use the FIPS / dual-stack endpoint. Unset: AWS_USE_FIPS_ENDPOINT /
  /// AWS_USE_DUALSTACK_ENDPOINT, then the profile, else false.
  std::optional<bool> use_fips;
  std::optional<bool> use_dual_stack;
  /// Explicit credentials; take precedence over everything else.
  std::optional<Credentials> credentials;
  /// Where credentials come from. Null: the default chain (environment,
  /// assume-role profile, web identity, IAM Identity Center, shared files,
  /// credential_process, container, instance metadata).
  std::shared_ptr<CredentialsProvider> credentials_provider;
  /// How requests are sent. Null: a CurlTransport built from `transport_options`.
  std::shared_ptr<HttpTransport> transport;
#if REKOGNITION_WITH_CURL
  /// Options of the default libcurl transport (timeouts, TLS, CA bundle;
  /// an empty ca_bundle is taken from AWS_CA_BUNDLE, then the profile).
  CurlTransportOptions transport_options;
#endif
  /// Retry policy shared by every call of the client. Null: built from
  /// `retry` (mode and attempts from code, environment or profile).
  std::shared_ptr<RetryPolicy> retry_policy;
  /// Retry mode and total attempts per call for the default policy.
  RetrySettings retry;
  /// Which client-side checks run before sending.
  ValidationOptions validation;
  /// Where environment variables are read. Null: the process environment.
  EnvironmentLookup environment;
  /// Longest a whole call may take: every attempt, backoff wait and rate
  /// limiter wait included, like a Go context deadline. An attempt in flight
  /// is cut off when it runs out, and a wait that would end past it is not
  /// started; the call then throws TransportError (kTimeout) with the
  /// attempts made. 0 (the default): unbounded.
  std::chrono::milliseconds call_timeout{0};
  /// Most asynchronous calls in flight at once; more wait in a queue, in
  /// order, and start as earlier ones complete. Must be at least 1 (0 is a
  /// ConfigurationError at the first asynchronous call).
  std::size_t max_in_flight = 64;
  /// Current time, for signing. Null: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Waits between attempts. Null: std::this_thread::sleep_for. Tests inject
  /// a recorder so they never sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The steady clock the I/O thread's timers (backoff and rate-limiter
  /// waits of asynchronous calls) run on. Null: std::chrono::steady_clock.
  /// Tests inject a manual clock and move it forward instead of waiting.
  std::function<std::chrono::steady_clock::time_point()> timer_clock;
  /// Receives one line per attempt (never secrets). Null: no logging.
  std::function<void(const std::string&)> debug_log;
  /// Receives warnings that cannot be thrown, e.g. a RunningModel that
  /// failed to stop its model in its destructor (the model may still be
  /// running, and billed). Must not throw. Null: one line on stderr.
  std::function<void(const std::string&)> log;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CLIENT_CONFIG_HPP
// ---- end rekognition/client_config.hpp









// ---- begin rekognition/operations/async_calls.hpp
// rekognition-cpp: asynchronous calls through the request pipeline. A call is
// prepared and signed on the calling thread; its attempts, backoff waits and
// completion then run on the client's event loop.
#ifndef REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP
#define REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>


// ---- begin rekognition/http/event_loop.hpp
// rekognition-cpp: the event loop behind a client's asynchronous calls: one
// thread that runs a transport's async driver, timers and posted tasks.
#ifndef REKOGNITION_HTTP_EVENT_LOOP_HPP
#define REKOGNITION_HTTP_EVENT_LOOP_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>




REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// One I/O thread, started by the first Post and joined by Stop. Tasks posted
// from any thread run on it in order; timers (set from the loop's thread)
// fire on it; between them it sits in the driver's Run, so a retry's backoff
// is a timer, never a sleeping thread. Not copyable.
class EventLoop {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Task = std::function<void()>;

  // `clock` null: std::chrono::steady_clock. With a clock of its own (a test's
  // manual clock) the loop looks at its timers every 5 ms, so that moving the
  // clock forward fires them promptly.
  EventLoop(std::unique_ptr<AsyncHttpDriver> driver, Clock clock)
      : state_(std::make_shared<State>(std::move(driver), std::move(clock))) {}
  ~EventLoop() { Stop(); }
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs `task` on the loop's thread (starting it if needed). Thread-safe.
  // Wakes the driver only when the loop waits in it, once per wait: a loop
  // running tasks looks at its tasks again before it waits, and one wake-up
  // makes the driver's Run return, after which the loop takes every task
  // posted meanwhile. So a burst of calls costs at most one wake-up.
  void Post(Task task) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->stopping) return;  // the owner is going away
      state_->posted.push_back(std::move(task));
      wake = std::exchange(state_->waiting, false);
      if (!state_->started) {
        state_->started = true;
        // The thread shares the state, so a loop stopped from its own thread
        // (its owner destroyed by a completion) can still end cleanly.
        thread_ = std::thread([state = state_] { state->Loop(); });
      }
    }
    if (wake) state_->driver->Wake();
  }

  // Runs `task` on the loop's thread once `delay` has passed on the loop's
  // clock. Loop thread only. Returns an id for CancelTimer.
  std::uint64_t After(std::chrono::milliseconds delay, Task task) {
    const std::uint64_t id = ++state_->last_timer;
    state_->timers.emplace(std::make_pair(state_->clock() + delay, id), std::move(task));
    return id;
  }

  // Forgets a timer that has not fired. Loop thread only.
  void CancelTimer(std::uint64_t id) {
    auto& timers = state_->timers;
    for (auto it = timers.begin(); it != timers.end(); ++it)
      if (it->first.second == id) {
        timers.erase(it);
        return;
      }
  }

  // The transport's driver. Loop thread only.
  AsyncHttpDriver& driver() noexcept { return *state_->driver; }

  // Whether the caller is the loop's own thread.
  bool OnLoopThread() const noexcept {
    return thread_.joinable() && std::this_thread::get_id() == thread_.get_id();
  }

  // Ends the loop and joins its thread; tasks and timers not yet run are
  // dropped, so the owner finishes what is in flight first. Called from the
  // loop's own thread, it detaches the thread instead, which ends as soon as
  // the task or completion running now returns.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->stopping) return;
      state_->stopping = true;
    }
    if (!thread_.joinable()) return;
    state_->driver->Wake();
    if (OnLoopThread())
      thread_.detach();
    else
      thread_.join();
  }

 private:
  struct State {
    State(std::unique_ptr<AsyncHttpDriver> d, Clock c)
        : driver(std::move(d)), clock(std::move(c)), manual_clock(clock != nullptr) {
      if (!clock) clock = [] { return std::chrono::steady_clock::now(); };
    }

    bool Stopping() {
      std::lock_guard<std::mutex> lock(mutex);
      return stopping;
    }

    void Loop() {
      while (!Stopping()) {
        std::vector<Task> tasks;
        {
          std::lock_guard<std::mutex> lock(mutex);
          tasks.swap(posted);
          waiting = false;
        }
        for (Task& task : tasks) {
          task();
          if (Stopping()) return;
        }
        if (!RunDueTimers()) return;
        driver->Run(WaitBudget());
      }
    }

    // False when a timer stopped the loop.
    bool RunDueTimers() {
      const auto now = clock();
      while (!timers.empty() && timers.begin()->first.first <= now) {
        Task task = std::move(timers.begin()->second);
        timers.erase(timers.begin());
        task();
        if (Stopping()) return false;
      }
      return true;
    }

    // How long the driver may wait: until the next timer, at most a second
    // (5 ms with a manual clock), 0 when tasks are waiting. Otherwise marks
    // the loop as waiting, so that Post wakes the driver from here on.
    std::chrono::milliseconds WaitBudget() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!posted.empty() || stopping) return std::chrono::milliseconds(0);
        waiting = true;
      }
      std::chrono::milliseconds budget(manual_clock ? 5 : 1000);
      if (!timers.empty()) {
        const auto until =
            std::chrono::ceil<std::chrono::milliseconds>(timers.begin()->first.first - clock());
        budget = std::clamp(until, std::chrono::milliseconds(0), budget);
      }
      return budget;
    }

    std::unique_ptr<AsyncHttpDriver> driver;
    Clock clock;
    const bool manual_clock;
    std::mutex mutex;
    std::vector<Task> posted;  // guarded by mutex
    bool started = false;      // guarded by mutex
    bool stopping = false;     // guarded by mutex
    // Guarded by mutex: from WaitBudget (nothing posted) until the loop next
    // takes its tasks or a Post wakes it, the loop is in, or on its way
    // into, the driver's Run.
    bool waiting = false;
    // Loop thread only: timers by (due time, id), so equal times keep order.
    std::map<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>, Task> timers;
    std::uint64_t last_timer = 0;
  };

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_EVENT_LOOP_HPP
// ---- end rekognition/http/event_loop.hpp


// ---- begin rekognition/operations/outcome.hpp
// rekognition-cpp: what an asynchronous call hands back: the outcome its
// completion receives, and the handle that cancels it.
#ifndef REKOGNITION_OPERATIONS_OUTCOME_HPP
#define REKOGNITION_OPERATIONS_OUTCOME_HPP

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <utility>



REKOGNITION_NAMESPACE_BEGIN

/// The result of an asynchronous call, or the exception the blocking call
/// would have thrown (ValidationError, ServiceError subclasses,
/// TransportError ...). Movable; not thread-safe.
template <typename T>
class Outcome {
 public:
  /// A successful outcome.
  static Outcome Success(T value) {
    Outcome outcome;
    outcome.value_.emplace(std::move(value));
    return outcome;
  }
  /// A failed outcome holding `error` (never null).
  static Outcome Failure(std::exception_ptr error) {
    Outcome outcome;
    outcome.error_ = std::move(error);
    return outcome;
  }

  /// True when the call succeeded.
  bool ok() const noexcept { return value_.has_value(); }
  /// The result; rethrows the call's exception when it failed.
  T& value() & {
    if (!value_) std::rethrow_exception(error_);
    return *value_;
  }
  /// The result, moved out; rethrows the call's exception when it failed.
  T value() && {
    if (!value_) std::rethrow_exception(error_);
    return std::move(*value_);
  }
  /// The exception of a failed call (catch it with std::rethrow_exception),
  /// null on success.
  std::exception_ptr error() const& noexcept { return error_; }
  /// The exception, moved out (null on success).
  std::exception_ptr error() && noexcept { return std::move(error_); }

 private:
  Outcome() = default;
  std::optional<T> value_;
  std::exception_ptr error_;
};

/// Receives the outcome of an asynchronous call, exactly once: on the
/// client's I/O thread, or on the calling thread, before the call returns,
/// for a request that fails before it is sent (validation, configuration,
/// credentials) and for a RekognitionApi that completes at once. It should
/// return quickly: the I/O of every other call waits meanwhile. What it
/// throws on the I/O thread is written to stderr (the client may be gone by
/// then) and otherwise ignored; on the calling thread it reaches the caller.
/// An empty completion is allowed: the call runs and its outcome goes
/// nowhere.
template <typename T>
using Completion = std::function<void(Outcome<T>)>;

namespace detail {
// What a CallHandle reaches: a call that can be asked to stop.
class CancellableCall {
 public:
  virtual ~CancellableCall() = default;
  virtual void RequestCancel() = 0;
  std::atomic<bool> finished{false};
};
}  // namespace detail

/// Cancels an asynchronous call. A copyable value; an empty or finished
/// handle does nothing. Thread-safe.
class CallHandle {
 public:
  CallHandle() = default;
  explicit CallHandle(std::weak_ptr<detail::CancellableCall> call) : call_(std::move(call)) {}

  /// Asks the call to stop. Its completion still runs exactly once: with the
  /// result if it finished first, else with TransportError (kCancelled).
  /// Returns at once; never throws.
  void Cancel() const noexcept {
    if (auto call = call_.lock()) {
      try {
        call->RequestCancel();
      } catch (...) {  // out of memory posting the request: nothing to undo
      }
    }
  }

  /// True once the completion has run (or began to run).
  bool done() const noexcept {
    auto call = call_.lock();
    return !call || call->finished.load(std::memory_order_acquire);
  }

 private:
  std::weak_ptr<detail::CancellableCall> call_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_OUTCOME_HPP
// ---- end rekognition/operations/outcome.hpp

// ---- begin rekognition/operations/pipeline.hpp
// rekognition-cpp: the request pipeline every operation runs through:
// prepare (validate, serialize), then per attempt sign, send, classify, retry
// and correct clock skew, then parse the answer or throw the modeled error.
#ifndef REKOGNITION_OPERATIONS_PIPELINE_HPP
#define REKOGNITION_OPERATIONS_PIPELINE_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>




// ---- begin rekognition/detail/http_date.hpp
// rekognition-cpp: parsing the server's Date header (for clock-skew correction).
#ifndef REKOGNITION_DETAIL_HTTP_DATE_HPP
#define REKOGNITION_DETAIL_HTTP_DATE_HPP

#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>




REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses an HTTP date ("Wed, 25 Nov 2026 12:35:35 GMT", RFC 7231's
/// IMF-fixdate) or an ISO 8601 basic timestamp ("20261125T123535Z").
/// nullopt for anything else, a day the month does not have ("31 Feb")
/// included. Thread-safe.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> ParseHttpDate(
    std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() == 16 && text[8] == 'T' && text[15] == 'Z') {
    if (!ReadDigits(text, 0, 4, year) || !ReadDigits(text, 4, 2, month) ||
        !ReadDigits(text, 6, 2, day) || !ReadDigits(text, 9, 2, hour) ||
        !ReadDigits(text, 11, 2, minute) || !ReadDigits(text, 13, 2, second))
      return std::nullopt;
  } else {
    // "Www, DD Mon YYYY HH:MM:SS GMT"
    if (text.size() != 29 || text[3] != ',' || text.substr(26) != "GMT") return std::nullopt;
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string_view name = text.substr(8, 3);
    for (int i = 0; i < 12; ++i)
      if (name == kMonths[i]) month = i + 1;
    if (month == 0 || !ReadDigits(text, 5, 2, day) || !ReadDigits(text, 12, 4, year) ||
        !ReadDigits(text, 17, 2, hour) || text[19] != ':' || !ReadDigits(text, 20, 2, minute) ||
        text[22] != ':' || !ReadDigits(text, 23, 2, second))
      return std::nullopt;
  }
  std::int64_t seconds = 0;
  if (!CivilToEpochSeconds(year, month, day, hour, minute, second, seconds)) return std::nullopt;
  return EpochToSystemTime(seconds);
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_HTTP_DATE_HPP
// ---- end rekognition/detail/http_date.hpp


// ---- begin rekognition/detail/uuid.hpp
// rekognition-cpp: random version-4 UUIDs for amz-sdk-invocation-id.
#ifndef REKOGNITION_DETAIL_UUID_HPP
#define REKOGNITION_DETAIL_UUID_HPP

#include <cstdint>
#include <random>
#include <string>




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
// ---- end rekognition/detail/uuid.hpp






// ---- begin rekognition/operations/json_codec.hpp
// rekognition-cpp: the awsJson1_1 bodies of DetectCustomLabels (request,
// result and error responses), on RapidJSON.
#ifndef REKOGNITION_OPERATIONS_JSON_CODEC_HPP
#define REKOGNITION_OPERATIONS_JSON_CODEC_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

// ---- begin rekognition/detail/base64.hpp
// rekognition-cpp: base64 (RFC 4648, standard alphabet, padded).
#ifndef REKOGNITION_DETAIL_BASE64_HPP
#define REKOGNITION_DETAIL_BASE64_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>



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
// ---- end rekognition/detail/base64.hpp


// ---- begin rekognition/detail/format_double.hpp
// rekognition-cpp: doubles formatted the way Python prints them.
#ifndef REKOGNITION_DETAIL_FORMAT_DOUBLE_HPP
#define REKOGNITION_DETAIL_FORMAT_DOUBLE_HPP

#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>




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
// ---- end rekognition/detail/format_double.hpp







// ---- begin rekognition/operations/detect_custom_labels.hpp
// rekognition-cpp: the DetectCustomLabels request and result types.
#ifndef REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP
#define REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>





REKOGNITION_NAMESPACE_BEGIN

/// Largest Image.Bytes the service model allows (5 MiB).
inline constexpr std::size_t kMaxImageBytes = 5242880;

/// An image stored in Amazon S3 (same region as the model).
struct S3Object {
  std::string bucket;                  ///< 3-255 chars of [0-9A-Za-z.-_]
  std::string name;                    ///< object key, 1-1024 chars, taken literally
  std::optional<std::string> version;  ///< object version id, 1-1024 chars if set

  bool operator==(const S3Object& o) const {
    return bucket == o.bucket && name == o.name && version == o.version;
  }
};

/// The image to analyse: exactly one of raw bytes (PNG or JPEG) or an S3 object.
///
/// The raw bytes are either owned by the request (`bytes`, set by FromBytes
/// or FromFile: the default) or borrowed from the caller (`bytes_view`, set
/// by Borrow), never both. Validation, serialization, comparison (==), the
/// Stubber's expectations and recordings treat the two alike: the same
/// bytes give the same body, the same signature and the same errors.
struct Image {
  std::optional<std::string> bytes;  ///< raw image bytes owned by the request (not base64)
  /// Raw image bytes borrowed from the caller (not base64), set by Borrow.
  /// Lifetime rule: the caller keeps the bytes alive and unchanged until the
  /// call that sends this request returns (or its future is ready or its
  /// callback has run); the request must not outlive them either. The bytes
  /// are read in place, never copied.
  std::optional<std::string_view> bytes_view;
  std::optional<S3Object> s3_object;

  /// An image from bytes in memory, owned by the image (moved in, or copied
  /// once here). No throw beyond std::bad_alloc.
  static Image FromBytes(std::string data) {
    Image image;
    image.bytes = std::move(data);
    return image;
  }
  /// An image that borrows the caller's bytes (e.g. a frame encoded into a
  /// reused buffer) instead of copying them: see bytes_view for the lifetime
  /// rule. No throw.
  static Image Borrow(std::string_view data) noexcept {
    Image image;
    image.bytes_view = data;
    return image;
  }
  /// An image in S3. `version` empty means the latest version.
  static Image FromS3(std::string bucket, std::string name,
                      std::optional<std::string> version = {}) {
    Image image;
    image.s3_object = S3Object{std::move(bucket), std::move(name), std::move(version)};
    return image;
  }
  /// Reads a local file into an image. Throws ValidationError naming the path
  /// when it is not a readable regular file (field "Image") or is larger
  /// than kMaxImageBytes (field "Image.Bytes", checked before reading).
  static Image FromFile(const std::string& path);

  /// The raw bytes, owned or borrowed (the owned ones when, wrongly, both are
  /// set); nullopt when there are none. No throw; thread-safe.
  std::optional<std::string_view> Bytes() const noexcept {
    if (bytes) return std::string_view(*bytes);
    return bytes_view;
  }
  /// A copy that owns its bytes: borrowed bytes are copied into `bytes`, so
  /// the copy may outlive the caller's buffer. Throws std::bad_alloc.
  Image ToOwned() const {
    Image copy = *this;
    if (!copy.bytes && copy.bytes_view) {
      copy.bytes = std::string(*copy.bytes_view);
      copy.bytes_view.reset();
    }
    return copy;
  }
  /// True when the image has both owned and borrowed bytes (which
  /// validation refuses). No throw.
  bool HasOwnedAndBorrowedBytes() const noexcept {
    return bytes.has_value() && bytes_view.has_value();
  }

  /// Equal when both have the same raw bytes (owned or borrowed alike) and
  /// the same S3 object.
  bool operator==(const Image& o) const {
    return Bytes() == o.Bytes() && HasOwnedAndBorrowedBytes() == o.HasOwnedAndBorrowedBytes() &&
           s3_object == o.s3_object;
  }
};

/// Input of DetectCustomLabels. Unset optional members are not sent.
struct DetectCustomLabelsRequest {
  /// ARN of the model version, e.g.
  /// "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000".
  std::string project_version_arn;
  Image image;
  /// Maximum labels to return (>= 0); service default is unlimited.
  std::optional<std::int64_t> max_results;
  /// Minimum confidence (0-100) of returned labels; service default is the
  /// model's calibrated threshold.
  std::optional<double> min_confidence;

  bool operator==(const DetectCustomLabelsRequest& o) const {
    return project_version_arn == o.project_version_arn && image == o.image &&
           max_results == o.max_results && min_confidence == o.min_confidence;
  }
};

/// Box as ratios of the image width and height (0-1), origin top-left.
struct BoundingBox {
  double width = 0;
  double height = 0;
  double left = 0;
  double top = 0;
  bool operator==(const BoundingBox& o) const {
    return width == o.width && height == o.height && left == o.left && top == o.top;
  }
};

/// A polygon vertex as ratios of the image width and height.
struct Point {
  double x = 0;
  double y = 0;
  bool operator==(const Point& o) const { return x == o.x && y == o.y; }
};

/// Where a label is in the image (object-detection models only).
struct Geometry {
  std::optional<BoundingBox> bounding_box;
  std::vector<Point> polygon;
  bool operator==(const Geometry& o) const {
    return bounding_box == o.bounding_box && polygon == o.polygon;
  }
};

/// One label the model found.
struct CustomLabel {
  std::string name;
  double confidence = 0;  ///< 0-100
  std::optional<Geometry> geometry;
  bool operator==(const CustomLabel& o) const {
    return name == o.name && confidence == o.confidence && geometry == o.geometry;
  }
};

/// Output of DetectCustomLabels.
struct DetectCustomLabelsResult {
  std::vector<CustomLabel> custom_labels;
  std::string request_id;  ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;        ///< attempts the call took, including the first
};

REKOGNITION_INLINE Image Image::FromFile(const std::string& path) {
  const auto fail = [&path](const std::string& reason) {
    return ValidationError("Image", "readable file",
                           "Image: cannot read file '" + path + "': " + reason);
  };
  const auto too_large = [&path](unsigned long long file_size) {
    return ValidationError("Image.Bytes", "at most " + std::to_string(kMaxImageBytes) + " bytes",
                           "Image.Bytes: file '" + path + "' has " + std::to_string(file_size) +
                               " bytes, more than the " + std::to_string(kMaxImageBytes) +
                               " bytes the service accepts");
  };
  // Look before reading: a 1 GB file would be read whole just to be refused.
  // (detail/posix.hpp rather than <filesystem> and <fstream>, which would cost
  // every translation unit including this header far more to compile.)
  const detail::PathStatus status = detail::StatPath(path);
  if (!status.found) throw fail(std::strerror(status.error_number));
  if (!status.regular) throw fail("not a regular file");
  if (status.size > kMaxImageBytes) throw too_large(status.size);
  // Opening never waits: a FIFO put in the file's place is refused.
  std::string data;
  data.reserve(static_cast<std::size_t>(status.size));
  const detail::FileReadResult read = detail::ReadRegularFile(path, kMaxImageBytes, data);
  switch (read.status) {
    case detail::FileReadStatus::kRead:
      break;
    case detail::FileReadStatus::kNotRegular:
      throw fail("not a regular file");
    case detail::FileReadStatus::kTooLarge:  // it grew since stat
      throw too_large(static_cast<unsigned long long>(kMaxImageBytes) + 1);
    case detail::FileReadStatus::kMissing:
    case detail::FileReadStatus::kOpenFailed:
    case detail::FileReadStatus::kReadFailed:
      throw fail(std::strerror(read.error_number));
  }
  return FromBytes(std::move(data));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP
// ---- end rekognition/operations/detect_custom_labels.hpp



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// How much of an error body ParseErrorResponse looks at.
inline constexpr std::size_t kMaxErrorBodyScan = 1024 * 1024;

// ---------------------------------------------------------------------------
// Writing

/// Writes `value` as Python's json.dumps would (see FormatPythonDouble),
/// except that non-finite values, which JSON cannot carry, become null.
/// `out` needs 32 chars. Returns the length. No throw.
REKOGNITION_INLINE std::size_t FormatJsonDouble(double value, char* out) noexcept {
  if (!std::isfinite(value)) {
    std::memcpy(out, "null", 4);
    return 4;
  }
  return FormatPythonDouble(value, out);
}

/// True when none of the 8 bytes of `word` needs escaping in a JSON string
/// (all are printable ASCII other than '"' and '\\'). No throw.
constexpr bool JsonPlainWord(std::uint64_t word) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
  const auto has_zero_byte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  const std::uint64_t control = (word - 0x20 * kOnes) & ~word & kHighBits;  // a byte < 0x20
  return ((word & kHighBits) | control | has_zero_byte(word ^ ('"' * kOnes)) |
          has_zero_byte(word ^ ('\\' * kOnes))) == 0;
}

/// Feeds the JSON string literal for `s` to `sink(const char*, size_t)` in
/// pieces: quotes, the short escapes, \u00XX for other control characters,
/// UTF-8 passed through, and \ufffd for each byte that is not valid UTF-8
/// (so the body is always valid JSON).
template <typename Sink>
void EscapeJsonString(std::string_view s, Sink&& sink) {
  constexpr char kHex[] = "0123456789abcdef";
  sink("\"", 1);
  std::size_t run_start = 0;
  std::size_t i = 0;
  // Whole words of plain characters (an ARN, a bucket name) are skipped 8
  // bytes at a time; the first word that needs a look ends the fast path.
  for (std::uint64_t word; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (!JsonPlainWord(word)) break;
  }
  const auto flush = [&] {
    if (i > run_start) sink(s.data() + run_start, i - run_start);
  };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(s, i);
      if (length != 0) {
        i += length;
        continue;
      }
      flush();
      sink("\\ufffd", 6);
    } else {
      flush();
      char escape[6] = {'\\', 0, 0, 0, 0, 0};
      std::size_t length = 2;
      switch (c) {
        case '"':
          escape[1] = '"';
          break;
        case '\\':
          escape[1] = '\\';
          break;
        case '\b':
          escape[1] = 'b';
          break;
        case '\f':
          escape[1] = 'f';
          break;
        case '\n':
          escape[1] = 'n';
          break;
        case '\r':
          escape[1] = 'r';
          break;
        case '\t':
          escape[1] = 't';
          break;
        default:
          escape[1] = 'u';
          escape[2] = '0';
          escape[3] = '0';
          escape[4] = kHex[c >> 4];
          escape[5] = kHex[c & 15];
          length = 6;
      }
      sink(escape, length);
    }
    ++i;
    run_start = i;
  }
  flush();
  sink("\"", 1);
}

/// A writer that only counts the bytes the real writer would produce.
class JsonSizeCounter {
 public:
  void Raw(std::string_view text) noexcept { size_ += text.size(); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char*, std::size_t n) { size_ += n; });
  }
  void Base64String(std::string_view bytes) noexcept {
    size_ += 2 + Base64EncodedLength(bytes.size());
  }
  std::size_t size() const noexcept { return size_; }

 private:
  std::size_t size_ = 0;
};

/// A writer that appends to a string (which the caller has reserved).
class JsonAppender {
 public:
  explicit JsonAppender(std::string& out) noexcept : out_(out) {}
  void Raw(std::string_view text) { out_.append(text.data(), text.size()); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char* p, std::size_t n) { out_.append(p, n); });
  }
  void Base64String(std::string_view bytes) {
    out_ += '"';
    Base64EncodeAppend(out_, bytes);
    out_ += '"';
  }

 private:
  std::string& out_;
};

/// A JsonAppender that also feeds every byte it writes to a SHA-256, once:
/// a base64 string is encoded into the body in chunks small enough to stay
/// in the CPU cache, each hashed right after it is written, so a large image
/// costs one pass over the body instead of a write and a later re-read.
class HashingJsonAppender {
 public:
  /// Appends to `out` (reserve it first) and hashes into `hash`.
  HashingJsonAppender(std::string& out, Sha256Stream& hash) noexcept
      : out_(out), hash_(hash), hashed_(out.size()) {}
  void Raw(std::string_view text) { out_.append(text.data(), text.size()); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char* p, std::size_t n) { out_.append(p, n); });
  }
  void Base64String(std::string_view bytes) {
    // A multiple of 3 input bytes, so the chunks' encodings join into the
    // encoding of the whole; 4 KiB of output stays in the L1 cache.
    constexpr std::size_t kChunk = 3 * 1024;
    out_ += '"';
    for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
      Base64EncodeAppend(out_, bytes.substr(at, kChunk));
      Flush();
    }
    out_ += '"';
  }
  /// Hashes what was written since the last Flush.
  void Flush() {
    hash_.Update(out_.data() + hashed_, out_.size() - hashed_);
    hashed_ = out_.size();
  }

 private:
  std::string& out_;
  Sha256Stream& hash_;
  std::size_t hashed_;
};

template <typename Writer>
void WriteJsonDouble(Writer& writer, double value) {
  char buffer[40];
  writer.Raw(std::string_view(buffer, FormatJsonDouble(value, buffer)));
}

/// Writes the request body; the same code sizes it and fills it, so the two
/// cannot disagree.
template <typename Writer>
void WriteRequestJson(const DetectCustomLabelsRequest& request, Writer& writer) {
  writer.Raw("{\"ProjectVersionArn\":");
  writer.String(request.project_version_arn);
  writer.Raw(",\"Image\":{");
  const Image& image = request.image;
  const std::optional<std::string_view> bytes = image.Bytes();
  if (bytes) {
    writer.Raw("\"Bytes\":");
    writer.Base64String(*bytes);
  }
  if (image.s3_object) {
    writer.Raw(bytes ? ",\"S3Object\":{\"Bucket\":" : "\"S3Object\":{\"Bucket\":");
    writer.String(image.s3_object->bucket);
    writer.Raw(",\"Name\":");
    writer.String(image.s3_object->name);
    if (image.s3_object->version) {
      writer.Raw(",\"Version\":");
      writer.String(*image.s3_object->version);
    }
    writer.Raw("}");
  }
  writer.Raw("}");
  if (request.max_results) {
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, *request.max_results).ptr;
    writer.Raw(",\"MaxResults\":");
    writer.Raw(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  }
  if (request.min_confidence) {
    writer.Raw(",\"MinConfidence\":");
    WriteJsonDouble(writer, *request.min_confidence);
  }
  writer.Raw("}");
}

template <typename Writer>
void WriteResultJson(const DetectCustomLabelsResult& result, Writer& writer) {
  writer.Raw("{\"CustomLabels\":[");
  bool first_label = true;
  for (const CustomLabel& label : result.custom_labels) {
    writer.Raw(first_label ? "{\"Name\":" : ",{\"Name\":");
    first_label = false;
    writer.String(label.name);
    writer.Raw(",\"Confidence\":");
    WriteJsonDouble(writer, label.confidence);
    if (label.geometry) {
      writer.Raw(",\"Geometry\":{");
      const Geometry& geometry = *label.geometry;
      if (geometry.bounding_box) {
        const BoundingBox& box = *geometry.bounding_box;
        writer.Raw("\"BoundingBox\":{\"Width\":");
        WriteJsonDouble(writer, box.width);
        writer.Raw(",\"Height\":");
        WriteJsonDouble(writer, box.height);
        writer.Raw(",\"Left\":");
        WriteJsonDouble(writer, box.left);
        writer.Raw(",\"Top\":");
        WriteJsonDouble(writer, box.top);
        writer.Raw("}");
      }
      if (!geometry.polygon.empty()) {
        writer.Raw(geometry.bounding_box ? ",\"Polygon\":[" : "\"Polygon\":[");
        bool first_point = true;
        for (const Point& point : geometry.polygon) {
          writer.Raw(first_point ? "{\"X\":" : ",{\"X\":");
          first_point = false;
          WriteJsonDouble(writer, point.x);
          writer.Raw(",\"Y\":");
          WriteJsonDouble(writer, point.y);
          writer.Raw("}");
        }
        writer.Raw("]");
      }
      writer.Raw("}");
    }
    writer.Raw("}");
  }
  writer.Raw("]}");
}

/// Exact size in bytes of SerializeRequest(request). Thread-safe.
REKOGNITION_INLINE std::size_t SerializedRequestSize(const DetectCustomLabelsRequest& request) {
  JsonSizeCounter counter;
  WriteRequestJson(request, counter);
  return counter.size();
}

/// The awsJson1_1 body of DetectCustomLabels:
/// {"ProjectVersionArn":..,"Image":{"Bytes":"<base64>"} or
/// {"S3Object":{"Bucket","Name","Version"?}},"MaxResults"?,"MinConfidence"?}.
/// Unset optional members are omitted; whatever is set is written (validate
/// first). The exact size is reserved up front and the image is base64-encoded
/// straight into the body, so the body is the only copy. Throws
/// std::bad_alloc. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::string SerializeRequest(const DetectCustomLabelsRequest& request) {
  std::string body;
  body.reserve(SerializedRequestSize(request));
  JsonAppender appender(body);
  WriteRequestJson(request, appender);
  return body;
}

/// SerializeRequest and the SHA-256 of the body (the SigV4 payload hash)
/// in one pass: the body is written once and each piece is hashed while it is
/// still in the cache. `body_sha256` receives the digest. The body is the
/// only copy of the image's bytes. Throws std::bad_alloc, or Error (code
/// "CryptoError") if libcrypto fails. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::string SerializeRequest(const DetectCustomLabelsRequest& request,
                                                Sha256Digest& body_sha256) {
  std::string body;
  body.reserve(SerializedRequestSize(request));
  Sha256Stream hash;
  HashingJsonAppender appender(body, hash);
  WriteRequestJson(request, appender);
  appender.Flush();
  body_sha256 = hash.Finish();
  return body;
}

/// The body of a successful response:
/// {"CustomLabels":[{"Name","Confidence","Geometry"?:{"BoundingBox"?:{..},"Polygon"?:[..]}}]}.
/// Numbers are printed as Python prints them (see FormatJsonDouble); absent
/// Geometry and BoundingBox and an empty Polygon are omitted. request_id and
/// attempts are not part of the body. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DetectCustomLabelsResult& result) {
  JsonSizeCounter counter;
  WriteResultJson(result, counter);
  std::string body;
  body.reserve(counter.size());
  JsonAppender appender(body);
  WriteResultJson(result, appender);
  return body;
}

// ---------------------------------------------------------------------------
// Parsing

REKOGNITION_INLINE const char* JsonTypeName(rapidjson::Type type) noexcept {
  switch (type) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "an unknown value";
}

REKOGNITION_INLINE const char* JsonTypeName(const rapidjson::Value& value) noexcept {
  return JsonTypeName(value.GetType());
}

REKOGNITION_INLINE bool JsonTypeError(std::string& error, const std::string& path,
                                      const char* expected, const rapidjson::Value& value) {
  error = path + ": expected " + expected + ", got " + JsonTypeName(value);
  return false;
}

REKOGNITION_INLINE std::string_view JsonName(const rapidjson::Value& name) noexcept {
  return std::string_view(name.GetString(), name.GetStringLength());
}

REKOGNITION_INLINE bool ReadJsonString(const rapidjson::Value& value, const std::string& path,
                                       std::string& out, std::string& error) {
  if (!value.IsString()) return JsonTypeError(error, path, "a string", value);
  out.assign(value.GetString(), value.GetStringLength());
  return true;
}

REKOGNITION_INLINE bool ReadJsonNumber(const rapidjson::Value& value, const std::string& path,
                                       double& out, std::string& error) {
  if (!value.IsNumber()) return JsonTypeError(error, path, "a number", value);
  out = value.GetDouble();
  return true;
}

REKOGNITION_INLINE bool ParseS3ObjectJson(const rapidjson::Value& value, S3Object& out,
                                          std::string& error) {
  const std::string path = "Image.S3Object";
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    if (m->value.IsNull()) continue;
    if (name == "Bucket") {
      if (!ReadJsonString(m->value, path + ".Bucket", out.bucket, error)) return false;
    } else if (name == "Name") {
      if (!ReadJsonString(m->value, path + ".Name", out.name, error)) return false;
    } else if (name == "Version") {
      std::string version;
      if (!ReadJsonString(m->value, path + ".Version", version, error)) return false;
      out.version = std::move(version);
    }
  }
  return true;
}

REKOGNITION_INLINE bool ParseImageJson(const rapidjson::Value& value, Image& out,
                                       std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, "Image", "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    if (m->value.IsNull()) continue;
    if (name == "Bytes") {
      if (!m->value.IsString()) return JsonTypeError(error, "Image.Bytes", "a string", m->value);
      std::string bytes;
      if (!Base64Decode(std::string_view(m->value.GetString(), m->value.GetStringLength()),
                        bytes)) {
        error = "Image.Bytes: not valid base64 (" + std::to_string(m->value.GetStringLength()) +
                " chars)";
        return false;
      }
      out.bytes = std::move(bytes);
    } else if (name == "S3Object") {
      S3Object object;
      if (!ParseS3ObjectJson(m->value, object, error)) return false;
      out.s3_object = std::move(object);
    }
  }
  return true;
}

/// Parses a DetectCustomLabels request body (the server side of
/// SerializeRequest; Image.Bytes is base64-decoded). Types are strict
/// (strings, an integer MaxResults, a number MinConfidence); null counts as
/// absent; unknown members are ignored. Constraints are not checked here:
/// run CheckRequest on the result. On failure returns false with `error`
/// naming the member path and leaves `out` unchanged. Throws std::bad_alloc.
/// Thread-safe for distinct outputs.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DetectCustomLabelsRequest& out,
                                     std::string& error) {
  rapidjson::Document doc;
  if (!ParseJsonDocument(body, doc, error)) return false;
  if (!doc.IsObject()) return JsonTypeError(error, "request body", "an object", doc);
  DetectCustomLabelsRequest request;
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& value = m->value;
    if (value.IsNull()) continue;
    if (name == "ProjectVersionArn") {
      if (!ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error))
        return false;
    } else if (name == "Image") {
      Image image;
      if (!ParseImageJson(value, image, error)) return false;
      request.image = std::move(image);
    } else if (name == "MaxResults") {
      if (value.IsInt64()) {
        request.max_results = value.GetInt64();
      } else if (value.IsUint64()) {
        error = "MaxResults: integer out of range";
        return false;
      } else {
        return JsonTypeError(error, "MaxResults", "an integer", value);
      }
    } else if (name == "MinConfidence") {
      double confidence = 0;
      if (!ReadJsonNumber(value, "MinConfidence", confidence, error)) return false;
      request.min_confidence = confidence;
    }
  }
  out = std::move(request);
  return true;
}

/// Reads DetectCustomLabels labels from JSON events (ParseJsonEvents, or a
/// document value's Accept) straight into CustomLabel structs, with no
/// document in between: a response body {"CustomLabels":[...]} or a single
/// label object. Types are strict, null counts as absent, unknown members
/// are skipped whatever they hold. The first value of a wrong type is
/// recorded with its path and the remaining events are only followed, so a
/// syntax error later in the text still wins, as it does with a document.
/// A response is read twice: a counting reader checks it and counts the
/// labels kept and the points of each polygon; a storing reader built from
/// it (the same events again) then sizes every vector once. Not thread-safe.
class LabelEventReader {
 public:
  /// A counting reader over a response body.
  LabelEventReader() = default;
  /// A storing reader over one label object, named `label_path` in errors.
  explicit LabelEventReader(std::string label_path)
      : single_label_(true), storing_(true), label_path_(std::move(label_path)) {}
  /// A storing reader over the response body `counted` has read.
  static LabelEventReader StoringAfter(LabelEventReader&& counted) noexcept {
    LabelEventReader reader;
    reader.second_pass_ = true;
    reader.final_array_ = counted.final_array_;
    reader.final_count_ = counted.final_count_;
    reader.polygon_sizes_ = std::move(counted.polygon_sizes_);
    return reader;
  }

  /// False once a value of a wrong type was seen; error() names it.
  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  /// The labels of the last non-null CustomLabels array (storing reader).
  std::vector<CustomLabel> TakeLabels() noexcept { return std::move(labels_); }
  /// The label read (single-label reader).
  CustomLabel TakeLabel() noexcept { return std::move(label_); }

  // RapidJSON handler events.
  bool Null() { return Scalar(rapidjson::kNullType); }
  bool Bool(bool value) { return Scalar(value ? rapidjson::kTrueType : rapidjson::kFalseType); }
  bool Int(int value) { return Number(static_cast<double>(value)); }
  bool Uint(unsigned value) { return Number(static_cast<double>(value)); }
  bool Int64(std::int64_t value) { return Number(static_cast<double>(value)); }
  bool Uint64(std::uint64_t value) { return Number(static_cast<double>(value)); }
  bool Double(double value) { return Number(value); }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return Scalar(rapidjson::kStringType, text, length);
  }
  bool StartObject() { return Open(rapidjson::kObjectType); }
  bool StartArray() { return Open(rapidjson::kArrayType); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (!ok() || skip_ > 0) return true;
    const std::string_view name(text, length);
    member_ = Member::kIgnored;
    switch (depth_ == 0 ? Context::kRoot : stack_[depth_ - 1]) {
      case Context::kBody:
        if (name == "CustomLabels") member_ = Member::kCustomLabels;
        break;
      case Context::kLabel:
        member_ = name == "Name"         ? Member::kName
                  : name == "Confidence" ? Member::kConfidence
                  : name == "Geometry"   ? Member::kGeometry
                                         : Member::kIgnored;
        break;
      case Context::kGeometry:
        member_ = name == "BoundingBox" ? Member::kBoundingBox
                  : name == "Polygon"   ? Member::kPolygon
                                        : Member::kIgnored;
        break;
      case Context::kBox:
        member_ = name == "Width"    ? Member::kWidth
                  : name == "Height" ? Member::kHeight
                  : name == "Left"   ? Member::kLeft
                  : name == "Top"    ? Member::kTop
                                     : Member::kIgnored;
        break;
      case Context::kPoint:
        member_ = name == "X" ? Member::kX : name == "Y" ? Member::kY : Member::kIgnored;
        break;
      default:
        break;
    }
    return true;
  }

 private:
  // The containers being read, outermost first.
  enum class Context : unsigned char {
    kRoot,
    kBody,
    kLabels,
    kLabel,
    kGeometry,
    kBox,
    kPolygon,
    kPoint
  };
  // What the next value is: a member of the current object, or an element.
  enum class Member : unsigned char {
    kIgnored,
    kRoot,
    kCustomLabels,
    kLabel,
    kName,
    kConfidence,
    kGeometry,
    kBoundingBox,
    kPolygon,
    kPoint,
    kWidth,
    kHeight,
    kLeft,
    kTop,
    kX,
    kY
  };

  Member Next() const noexcept {
    if (depth_ == 0) return Member::kRoot;
    switch (stack_[depth_ - 1]) {
      case Context::kLabels:
        return Member::kLabel;
      case Context::kPolygon:
        return Member::kPoint;
      default:
        return member_;
    }
  }

  std::string LabelPath() const {
    return single_label_ ? label_path_ : "CustomLabels[" + std::to_string(label_index_) + "]";
  }
  std::string PointPath() const {
    return LabelPath() + ".Geometry.Polygon[" + std::to_string(point_index_) + "]";
  }
  std::string PathOf(Member member) const {
    switch (member) {
      case Member::kRoot:
        return single_label_ ? label_path_ : "response body";
      case Member::kCustomLabels:
        return "CustomLabels";
      case Member::kLabel:
        return LabelPath();
      case Member::kName:
        return LabelPath() + ".Name";
      case Member::kConfidence:
        return LabelPath() + ".Confidence";
      case Member::kGeometry:
        return LabelPath() + ".Geometry";
      case Member::kBoundingBox:
        return LabelPath() + ".Geometry.BoundingBox";
      case Member::kPolygon:
        return LabelPath() + ".Geometry.Polygon";
      case Member::kPoint:
        return PointPath();
      case Member::kWidth:
        return LabelPath() + ".Geometry.BoundingBox.Width";
      case Member::kHeight:
        return LabelPath() + ".Geometry.BoundingBox.Height";
      case Member::kLeft:
        return LabelPath() + ".Geometry.BoundingBox.Left";
      case Member::kTop:
        return LabelPath() + ".Geometry.BoundingBox.Top";
      case Member::kX:
        return PointPath() + ".X";
      case Member::kY:
        return PointPath() + ".Y";
      case Member::kIgnored:
        break;
    }
    return std::string();
  }

  // What a member or element must be.
  static rapidjson::Type Expected(Member member) noexcept {
    switch (member) {
      case Member::kCustomLabels:
      case Member::kPolygon:
        return rapidjson::kArrayType;
      case Member::kName:
        return rapidjson::kStringType;
      case Member::kConfidence:
      case Member::kWidth:
      case Member::kHeight:
      case Member::kLeft:
      case Member::kTop:
      case Member::kX:
      case Member::kY:
        return rapidjson::kNumberType;
      default:  // the root, a label, its geometry, bounding box or a point
        return rapidjson::kObjectType;
    }
  }

  bool Fail(Member member, rapidjson::Type got) {
    error_ = PathOf(member) + ": expected " + JsonTypeName(Expected(member)) + ", got " +
             JsonTypeName(got);
    return true;  // the rest is still parsed, for its syntax
  }

  // Takes the next value's place; array elements are numbered whatever they
  // hold, null included.
  Member Consume() noexcept {
    const Member member = Next();
    member_ = Member::kIgnored;
    if (member == Member::kLabel) label_index_ = next_label_++;
    if (member == Member::kPoint) point_index_ = next_point_++;
    return member;
  }

  bool Scalar(rapidjson::Type type, const char* text = nullptr, std::size_t length = 0) {
    if (!ok() || skip_ > 0) return true;
    const Member member = Consume();
    if (member == Member::kIgnored) return true;
    if (type == rapidjson::kNullType && (member != Member::kRoot || !single_label_))
      return true;  // absent; a null response body has no labels
    if (member != Member::kName || type != rapidjson::kStringType) return Fail(member, type);
    found_ = true;
    if (storing_) label_.name.assign(text, length);
    return true;
  }

  bool Number(double value) {
    if (!ok() || skip_ > 0) return true;
    const Member member = Consume();
    if (member == Member::kIgnored) return true;
    if (Expected(member) != rapidjson::kNumberType) return Fail(member, rapidjson::kNumberType);
    if (member == Member::kConfidence) found_ = true;
    if (!storing_) return true;
    switch (member) {
      case Member::kConfidence:
        label_.confidence = value;
        break;
      case Member::kWidth:
        label_.geometry->bounding_box->width = value;
        break;
      case Member::kHeight:
        label_.geometry->bounding_box->height = value;
        break;
      case Member::kLeft:
        label_.geometry->bounding_box->left = value;
        break;
      case Member::kTop:
        label_.geometry->bounding_box->top = value;
        break;
      case Member::kX:
        label_.geometry->polygon.back().x = value;
        break;
      default:  // kY
        label_.geometry->polygon.back().y = value;
        break;
    }
    return true;
  }

  bool Open(rapidjson::Type type) {
    if (!ok() || skip_ > 0) {
      ++skip_;
      return true;
    }
    const Member member = Consume();
    if (member == Member::kIgnored) {
      ++skip_;
      return true;
    }
    if (Expected(member) != type) return Fail(member, type);
    Context context = Context::kLabel;
    switch (member) {
      case Member::kRoot:
        if (single_label_) {
          BeginLabel();
        } else {
          context = Context::kBody;
        }
        break;
      case Member::kCustomLabels:
        context = Context::kLabels;
        next_label_ = 0;
        array_count_ = 0;
        ++arrays_;
        storing_ = second_pass_ && arrays_ == final_array_;
        if (storing_) {
          labels_.clear();
          labels_.reserve(final_count_);
        }
        break;
      case Member::kLabel:
        BeginLabel();
        break;
      case Member::kGeometry:
        context = Context::kGeometry;
        found_ = true;
        if (storing_) label_.geometry.emplace();
        break;
      case Member::kBoundingBox:
        context = Context::kBox;
        if (storing_) label_.geometry->bounding_box.emplace();
        break;
      case Member::kPolygon:
        context = Context::kPolygon;
        next_point_ = 0;
        if (!second_pass_ && !single_label_) polygon_sizes_.push_back(0);
        if (storing_) {
          label_.geometry->polygon.clear();
          if (polygon_ < polygon_sizes_.size())
            label_.geometry->polygon.reserve(polygon_sizes_[polygon_]);
        }
        ++polygon_;
        break;
      default:  // kPoint
        context = Context::kPoint;
        if (!second_pass_ && !single_label_) ++polygon_sizes_.back();
        if (storing_) label_.geometry->polygon.emplace_back();
        break;
    }
    stack_[depth_++] = context;
    return true;
  }

  bool Close() {
    if (!ok()) return true;
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    member_ = Member::kIgnored;
    const Context context = stack_[--depth_];
    if (context == Context::kLabel && found_) {
      ++array_count_;
      if (storing_ && !single_label_) labels_.push_back(std::move(label_));
    } else if (context == Context::kLabels && !second_pass_) {
      final_array_ = arrays_;
      final_count_ = array_count_;
    }
    return true;
  }

  void BeginLabel() {
    found_ = false;
    if (storing_) label_ = CustomLabel();
  }

  bool single_label_ = false;
  bool second_pass_ = false;
  bool storing_ = false;  // this label's fields are kept
  std::string label_path_;
  std::string error_;
  Context stack_[8] = {};  // at most 6 deep: body, labels, label, geometry, polygon, point
  unsigned depth_ = 0;
  std::size_t skip_ = 0;  // depth inside a skipped value
  Member member_ = Member::kIgnored;
  std::size_t next_label_ = 0, label_index_ = 0;
  std::size_t next_point_ = 0, point_index_ = 0;
  bool found_ = false;  // the label has a non-null Name, Confidence or Geometry
  CustomLabel label_;
  std::vector<CustomLabel> labels_;
  std::size_t arrays_ = 0, array_count_ = 0;       // CustomLabels arrays so far, labels kept in it
  std::size_t final_array_ = 0, final_count_ = 0;  // the last array and its labels kept
  std::vector<std::size_t> polygon_sizes_;         // points of each polygon, in order
  std::size_t polygon_ = 0;                        // polygons seen
};

/// Reads one label object (a fixture's, a document's) into `out`, as
/// ParseResult reads each label. On failure returns false with `error`
/// naming the member under `path`. Throws std::bad_alloc.
REKOGNITION_INLINE bool ParseLabelJson(const rapidjson::Value& value, const std::string& path,
                                       CustomLabel& out, std::string& error) {
  LabelEventReader reader(path);
  value.Accept(reader);
  if (!reader.ok()) {
    error = reader.error();
    return false;
  }
  out = reader.TakeLabel();
  return true;
}

/// Parses a successful DetectCustomLabels response body into
/// out.custom_labels (request_id and attempts are left alone). Unknown members
/// are ignored, null counts as absent (a null array element is skipped, and
/// so is a label object with no Name, Confidence or Geometry: it carries
/// nothing, and dropping it keeps the result's memory proportional to the
/// body whatever a peer sends), and
/// an empty or all-whitespace body is an empty result, as botocore treats it.
/// A member of the wrong type fails with `error` naming its path, e.g.
/// "CustomLabels[2].Geometry.BoundingBox.Width: expected a number, got a
/// string"; invalid JSON anywhere in the body is reported before that. The
/// body is read twice as a stream of events, with no document: once to check
/// it and count, once to fill vectors sized exactly, so the memory taken is
/// the result's own (plus a few hundred bytes). The parse is iterative and
/// limited in size and depth, so no input can exhaust the stack. On failure
/// `out` is unchanged. Throws std::bad_alloc. Thread-safe for distinct
/// outputs.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DetectCustomLabelsResult& out,
                                    std::string& error) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.custom_labels.clear();
    return true;
  }
  LabelEventReader counter;
  if (!ParseJsonEvents(body, counter, error)) return false;
  if (!counter.ok()) {
    error = counter.error();
    return false;
  }
  LabelEventReader reader = LabelEventReader::StoringAfter(std::move(counter));
  if (!ParseJsonEvents(body, reader, error)) return false;
  out.custom_labels = reader.TakeLabels();
  return true;
}

// ---------------------------------------------------------------------------
// Error responses

/// The error code and message of a failed call.
struct ErrorBody {
  std::string code;
  std::string message;
};

/// The text inside the first <name>...</name> element of `xml` (attributes
/// allowed, "<name/>" is empty), or nullopt when there is none or it is
/// not closed. A plain text scan: it never fails on malformed XML.
REKOGNITION_INLINE std::optional<std::string_view> FindXmlElementText(std::string_view xml,
                                                                      std::string_view name) {
  const std::string closing = "</" + std::string(name);
  for (std::size_t pos = xml.find('<'); pos != std::string_view::npos; pos = xml.find('<', pos)) {
    ++pos;
    if (xml.substr(pos, name.size()) != name) continue;
    const std::size_t after = pos + name.size();
    if (after >= xml.size()) return std::nullopt;
    const char c = xml[after];
    if (c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n') continue;
    const std::size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) return std::nullopt;
    if (xml[gt - 1] == '/') return std::string_view();
    const std::size_t end = xml.find(closing, gt + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return xml.substr(gt + 1, end - gt - 1);
  }
  return std::nullopt;
}

/// The standard reason phrase for common statuses, else "".
REKOGNITION_INLINE const char* HttpReasonPhrase(int status) noexcept {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

/// Extracts the error code and message from a failed response, following
/// DESIGN section 4. A 5xx whose body is empty or starts with "<html>" is a
/// proxy's answer: its status is the code and the reason phrase the message,
/// as botocore reports it. Otherwise the code: JSON "__type", else the x-amzn-ErrorType header,
/// else JSON "code" or "Code", else the first XML <Code> element, each run
/// through SanitizeErrorCode and skipped when empty; else the HTTP status
/// as a string (e.g. "503"), as botocore reports it. Message:
/// JSON "message", else "Message", else XML <Message> (entities decoded),
/// else a printable excerpt of the body (at most about 200 bytes), else the
/// status's reason phrase. Content-Type is ignored. Never fails on any input
/// (only the first 1 MiB of the body is examined). Each of `secrets` is
/// replaced by "<redacted>" in every string taken from the peer (code,
/// header, message, XML text, excerpt) before it is decoded, cut or
/// sanitized. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE ErrorBody ParseErrorResponse(int http_status, const HttpHeaders& headers,
                                                std::string_view body,
                                                const std::vector<std::string_view>& secrets = {}) {
  constexpr std::size_t kMaxMessageBytes = 4096;
  constexpr std::size_t kExcerptBytes = 200;
  // Every string taken from the peer is redacted whole, before it is decoded
  // further, cut or sanitized, so no part of a secret survives.
  const auto redact = [&secrets](std::string_view text) {
    return RedactAll(std::string(text), secrets);
  };
  const std::string redacted_body =
      secrets.empty() ? std::string() : redact(body.substr(0, kMaxErrorBodyScan));
  const std::string_view scan =
      secrets.empty() ? body.substr(0, kMaxErrorBodyScan) : std::string_view(redacted_body);

  // A 5xx with an empty or HTML body comes from a proxy or load balancer, not
  // the service: botocore reports the status and its reason phrase.
  if (http_status >= 500) {
    const std::size_t start = scan.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || scan.substr(start, 6) == "<html>")
      return ErrorBody{std::to_string(http_status), HttpReasonPhrase(http_status)};
  }

  std::optional<std::string> json_type, json_code, json_message;
  const std::size_t first = scan.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && scan[first] == '{' && body.size() <= kMaxErrorBodyScan) {
    rapidjson::Document doc;
    std::string ignored;
    if (ParseJsonDocument(scan, doc, ignored) && doc.IsObject()) {
      const auto get = [&doc](const char* name) -> std::optional<std::string> {
        const auto m = doc.FindMember(name);
        if (m == doc.MemberEnd() || !m->value.IsString()) return std::nullopt;
        return std::string(m->value.GetString(), m->value.GetStringLength());
      };
      json_type = get("__type");
      json_code = get("code");
      if (!json_code) json_code = get("Code");
      json_message = get("message");
      if (!json_message || json_message->empty()) json_message = get("Message");
    }
  }

  ErrorBody out;
  const auto try_code = [&out, &redact](std::string_view raw) {
    if (out.code.empty()) out.code = SanitizeErrorCode(redact(raw));
  };
  if (json_type) try_code(*json_type);
  if (const std::string* header = FindHeader(headers, "x-amzn-ErrorType")) try_code(*header);
  if (json_code) try_code(*json_code);
  if (out.code.empty())
    if (const auto xml_code = FindXmlElementText(scan, "Code")) try_code(UnescapeXml(*xml_code));
  if (out.code.empty()) out.code = std::to_string(http_status);

  if (json_message && !json_message->empty()) {
    out.message = PrintableExcerpt(redact(*json_message), kMaxMessageBytes);
  } else if (const auto xml_message = FindXmlElementText(scan, "Message");
             xml_message && !xml_message->empty()) {
    out.message = PrintableExcerpt(redact(UnescapeXml(*xml_message)), kMaxMessageBytes);
  }
  if (out.message.empty()) out.message = PrintableExcerpt(scan, kExcerptBytes);
  if (out.message.empty()) out.message = HttpReasonPhrase(http_status);
  return out;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_JSON_CODEC_HPP
// ---- end rekognition/operations/json_codec.hpp

// ---- begin rekognition/operations/validation.hpp
// rekognition-cpp: client-side validation of DetectCustomLabels requests.
#ifndef REKOGNITION_OPERATIONS_VALIDATION_HPP
#define REKOGNITION_OPERATIONS_VALIDATION_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>





// ---- begin rekognition/operations/image_header.hpp
// rekognition-cpp: image format detection and PNG/JPEG dimension reading.
#ifndef REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP
#define REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>



REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// The image formats the service accepts, by magic bytes.
enum class ImageFormat { kUnknown, kPng, kJpeg };

/// What the header says about an image. width and height are 0 when the
/// format is recognised but the dimensions could not be read.
struct ImageInfo {
  ImageFormat format = ImageFormat::kUnknown;
  std::uint32_t width = 0;
  std::uint32_t height = 0;

  /// True when both dimensions were read (and are non-zero).
  bool HasDimensions() const noexcept { return width != 0 && height != 0; }
};

/// Returns "PNG", "JPEG" or "unknown". Thread-safe, no throw.
REKOGNITION_INLINE const char* ImageFormatName(ImageFormat format) noexcept {
  switch (format) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

/// Identifies PNG (the 8-byte signature) or JPEG (FF D8 FF) by magic bytes.
/// Thread-safe, no throw.
REKOGNITION_INLINE ImageFormat DetectImageFormat(std::string_view bytes) noexcept {
  constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
  constexpr std::string_view kJpegSignature("\xff\xd8\xff", 3);
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ImageFormat::kPng;
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature) return ImageFormat::kJpeg;
  return ImageFormat::kUnknown;
}

REKOGNITION_INLINE std::uint32_t ReadBigEndian16(std::string_view bytes, std::size_t at) noexcept {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 8 |
         static_cast<unsigned char>(bytes[at + 1]);
}

REKOGNITION_INLINE std::uint32_t ReadBigEndian32(std::string_view bytes, std::size_t at) noexcept {
  return ReadBigEndian16(bytes, at) << 16 | ReadBigEndian16(bytes, at + 2);
}

/// Dimensions from the IHDR chunk, which the PNG spec requires to come first.
REKOGNITION_INLINE ImageInfo ReadPngHeader(std::string_view bytes) noexcept {
  ImageInfo info{ImageFormat::kPng, 0, 0};
  // signature(8) length(4) "IHDR"(4) width(4) height(4)
  if (bytes.size() < 24) return info;
  if (ReadBigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") return info;
  const std::uint32_t width = ReadBigEndian32(bytes, 16);
  const std::uint32_t height = ReadBigEndian32(bytes, 20);
  // The spec caps both at 2^31 - 1; anything above is a corrupt header.
  constexpr std::uint32_t kMax = 0x7fffffffu;
  if (width == 0 || height == 0 || width > kMax || height > kMax) return info;
  info.width = width;
  info.height = height;
  return info;
}

/// Dimensions from the first SOFn segment. Walks the marker segments by
/// their lengths and never reads past the end. Like libjpeg, it tolerates
/// fill bytes (extra 0xFF) and stray bytes between segments.
REKOGNITION_INLINE ImageInfo ReadJpegHeader(std::string_view bytes) noexcept {
  ImageInfo info{ImageFormat::kJpeg, 0, 0};
  const std::size_t n = bytes.size();
  std::size_t pos = 2;  // after SOI
  while (pos < n) {
    // Find the next marker: 0xFF followed by a byte other than 0x00 / 0xFF.
    if (static_cast<unsigned char>(bytes[pos]) != 0xff) {
      ++pos;
      continue;
    }
    while (pos < n && static_cast<unsigned char>(bytes[pos]) == 0xff) ++pos;
    if (pos >= n) return info;
    const unsigned marker = static_cast<unsigned char>(bytes[pos]);
    ++pos;
    if (marker == 0x00) continue;  // stuffed byte: not a marker
    // Standalone markers carry no length: TEM and RST0-RST7.
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    // SOI again, EOI, or SOS (image data) before any frame header: no size.
    if (marker == 0xd8 || marker == 0xd9 || marker == 0xda) return info;
    if (pos + 2 > n) return info;
    const std::uint32_t length = ReadBigEndian16(bytes, pos);  // includes itself
    if (length < 2) return info;
    const bool is_sof =
        marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (is_sof) {
      // length(2) precision(1) height(2) width(2) components(1)
      if (length < 8 || pos + 8 > n) return info;
      const std::uint32_t height = ReadBigEndian16(bytes, pos + 3);
      const std::uint32_t width = ReadBigEndian16(bytes, pos + 5);
      // Height 0 means "defined later by a DNL marker", which we do not chase.
      if (width == 0 || height == 0) return info;
      info.width = width;
      info.height = height;
      return info;
    }
    pos += length;
  }
  return info;
}

/// Reads the format and dimensions from the first bytes of a PNG or JPEG.
/// Returns nullopt when the magic bytes match neither format; returns the
/// format with width == height == 0 when the format is known but the header
/// is truncated or malformed. Never reads outside `bytes`. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ImageInfo> ReadImageHeader(std::string_view bytes) noexcept {
  switch (DetectImageFormat(bytes)) {
    case ImageFormat::kPng:
      return ReadPngHeader(bytes);
    case ImageFormat::kJpeg:
      return ReadJpegHeader(bytes);
    case ImageFormat::kUnknown:
      break;
  }
  return std::nullopt;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP
// ---- end rekognition/operations/image_header.hpp




REKOGNITION_NAMESPACE_BEGIN

/// Largest Image.Bytes the Custom Labels documentation allows for
/// DetectCustomLabels: "4 MB", which AWS counts in binary units like the
/// model's 5 MB = 5,242,880 bytes, hence 4 * 1024 * 1024.
inline constexpr std::size_t kDocumentedMaxImageBytes = 4 * 1024 * 1024;
/// Smallest width and height, in pixels, the Custom Labels documentation allows.
inline constexpr std::uint32_t kMinImageDimension = 64;
/// Largest width and height, in pixels, the Custom Labels documentation allows.
inline constexpr std::uint32_t kMaxImageDimension = 4096;
/// Largest ratio of the longer side to the shorter one (20:1) the Custom
/// Labels documentation allows.
inline constexpr std::uint32_t kMaxImageAspectRatio = 20;

/// The service exception a validation failure corresponds to; the local
/// endpoint answers with it.
enum class ValidationFailureKind {
  kInvalidParameter,    ///< InvalidParameterException (400)
  kInvalidImageFormat,  ///< InvalidImageFormatException (400)
  kImageTooLarge,       ///< ImageTooLargeException (400)
};

/// One broken rule: `field` is the AWS member path (e.g. "Image.S3Object.Bucket"),
/// `constraint` the rule in a few words, `message` a full sentence naming
/// both and the offending value (never the image bytes themselves).
struct ValidationFailure {
  std::string field;
  std::string constraint;
  std::string message;
  ValidationFailureKind kind = ValidationFailureKind::kInvalidParameter;
};

/// Returns the exception code for `kind`, e.g. "InvalidParameterException".
/// Thread-safe, no throw.
REKOGNITION_INLINE const char* ToString(ValidationFailureKind kind) noexcept {
  switch (kind) {
    case ValidationFailureKind::kInvalidImageFormat:
      return "InvalidImageFormatException";
    case ValidationFailureKind::kImageTooLarge:
      return "ImageTooLargeException";
    case ValidationFailureKind::kInvalidParameter:
      break;
  }
  return "InvalidParameterException";
}

namespace detail {

/// Quotes `value` for a message: printable ASCII kept, everything else as
/// \xNN, cut after `max_chars` with the full length noted.
REKOGNITION_INLINE std::string QuoteForMessage(std::string_view value, std::size_t max_chars = 80) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t shown = value.size() < max_chars ? value.size() : max_chars;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
  if (shown < value.size()) out += "... (" + std::to_string(value.size()) + " chars)";
  return out;
}

/// Where a ProjectVersionArn stops matching its pattern.
struct ArnMismatch {
  std::size_t position;  ///< zero-based index of the first offending character
  const char* expected;  ///< what the pattern wanted there
};

/// Matches the model's ProjectVersionArn pattern
/// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/version\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$
/// (with `versioned`), or its ProjectArn pattern
/// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$
/// (without), by hand: the separators never occur inside the character
/// classes, so one left-to-right pass decides it (no backtracking, no
/// recursion). Returns nullopt on a match. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ArnMismatch> MatchRekognitionArn(std::string_view s,
                                                                  bool versioned) noexcept {
  std::size_t pos = 0;
  const auto literal = [&](std::string_view text) {
    for (char c : text) {
      if (pos >= s.size() || s[pos] != c) return false;
      ++pos;
    }
    return true;
  };
  // The three character classes as bits of one table: a run costs one load
  // per character instead of a chain of range tests (every call validates).
  enum : unsigned char { lower_digit_dash = 1, digit = 2, name_char = 4 };
  static constexpr auto kClasses = [] {
    std::array<unsigned char, 256> classes{};
    for (int c = 'a'; c <= 'z'; ++c) classes[c] = lower_digit_dash | name_char;
    for (int c = 'A'; c <= 'Z'; ++c) classes[c] = name_char;
    for (int c = '0'; c <= '9'; ++c) classes[c] = lower_digit_dash | digit | name_char;
    classes['-'] = lower_digit_dash | name_char;
    classes['_'] = name_char;
    classes['.'] = name_char;
    return classes;
  }();
  const auto run = [&](unsigned char in_class) {
    const std::size_t start = pos;
    while (pos < s.size() && (kClasses[static_cast<unsigned char>(s[pos])] & in_class) != 0) ++pos;
    return pos - start;
  };

  if (!literal("arn:")) return ArnMismatch{pos, "\"arn:\""};
  if (run(lower_digit_dash) == 0) return ArnMismatch{pos, "a partition of [a-z0-9-]"};
  if (!literal(":rekognition:")) return ArnMismatch{pos, "\":rekognition:\""};
  if (run(lower_digit_dash) == 0) return ArnMismatch{pos, "a region of [a-z0-9-]"};
  if (!literal(":")) return ArnMismatch{pos, "\":\" after the region"};
  const std::size_t account_start = pos;
  if (run(digit) != 12) return ArnMismatch{account_start, "a 12-digit account id"};
  if (!literal(":project/")) return ArnMismatch{pos, "\":project/\""};
  std::size_t start = pos;
  std::size_t length = run(name_char);
  if (length == 0 || length > 255)
    return ArnMismatch{length == 0 ? pos : start + 255, "a project name of 1-255 [a-zA-Z0-9_.-]"};
  if (versioned) {
    if (!literal("/version/")) return ArnMismatch{pos, "\"/version/\""};
    start = pos;
    length = run(name_char);
    if (length == 0 || length > 255)
      return ArnMismatch{length == 0 ? pos : start + 255, "a version name of 1-255 [a-zA-Z0-9_.-]"};
    if (!literal("/")) return ArnMismatch{pos, "\"/\" after the version name"};
  } else if (!literal("/")) {
    return ArnMismatch{pos, "\"/\" after the project name"};
  }
  if (run(digit) == 0)
    return ArnMismatch{pos,
                       versioned ? "the version number (digits)" : "the project number (digits)"};
  if (pos != s.size())
    return ArnMismatch{
        pos, versioned ? "the end after the version number" : "the end after the project number"};
  return std::nullopt;
}

/// MatchRekognitionArn for a ProjectVersionArn. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ArnMismatch> MatchProjectVersionArn(std::string_view s) noexcept {
  return MatchRekognitionArn(s, true);
}

REKOGNITION_INLINE ValidationFailure
MakeFailure(std::string field, std::string constraint, std::string message,
            ValidationFailureKind kind = ValidationFailureKind::kInvalidParameter) {
  return ValidationFailure{std::move(field), std::move(constraint), std::move(message), kind};
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckImageBytes(
    std::string_view bytes, const ValidationOptions& options) {
  using Kind = ValidationFailureKind;
  // The texts of the messages are built only for a failure: a valid image
  // costs no allocation here.
  const auto size = [&bytes] { return std::to_string(bytes.size()) + " bytes"; };
  if (bytes.empty())
    return MakeFailure("Image.Bytes", "size 1-5242880 bytes",
                       "Image.Bytes must be 1 to 5242880 bytes long, got 0 bytes");
  if (bytes.size() > kMaxImageBytes)
    return MakeFailure("Image.Bytes", "size 1-5242880 bytes",
                       "Image.Bytes must be 1 to 5242880 bytes long, got " + size(),
                       Kind::kImageTooLarge);
  const ImageFormat format = DetectImageFormat(bytes);
  if (format == ImageFormat::kUnknown)
    return MakeFailure("Image.Bytes", "PNG or JPEG",
                       "Image.Bytes must be a PNG or JPEG image, got " + size() +
                           " that are neither (checked by magic bytes)",
                       Kind::kInvalidImageFormat);
  if (!options.check_documented_limits) return std::nullopt;

  const auto what = [&] { return std::string(ImageFormatName(format)) + " of " + size(); };
  if (bytes.size() > kDocumentedMaxImageBytes)
    return MakeFailure(
        "Image.Bytes", "size <= 4194304 bytes",
        "Image.Bytes is a " + what() + "; DetectCustomLabels accepts at most 4194304 bytes (4 MB)",
        Kind::kImageTooLarge);
  const ImageInfo info = format == ImageFormat::kPng ? ReadPngHeader(bytes) : ReadJpegHeader(bytes);
  if (!info.HasDimensions())
    return MakeFailure("Image.Bytes", "readable dimensions",
                       "Image.Bytes: could not read the dimensions of the " + what() +
                           " (truncated or malformed header)",
                       Kind::kInvalidImageFormat);
  const auto dims = [&info] {
    return std::to_string(info.width) + "x" + std::to_string(info.height);
  };
  if (info.width > kMaxImageDimension || info.height > kMaxImageDimension)
    return MakeFailure(
        "Image.Bytes", "at most 4096x4096 px",
        "Image.Bytes is a " + dims() + " px " + what() + "; each side must be at most 4096 px",
        Kind::kImageTooLarge);
  if (info.width < kMinImageDimension || info.height < kMinImageDimension)
    return MakeFailure(
        "Image.Bytes", "at least 64x64 px",
        "Image.Bytes is a " + dims() + " px " + what() + "; each side must be at least 64 px");
  const std::uint64_t longer = std::max(info.width, info.height);
  const std::uint64_t shorter = std::min(info.width, info.height);
  if (longer > shorter * kMaxImageAspectRatio)
    return MakeFailure("Image.Bytes", "aspect ratio at most 20:1",
                       "Image.Bytes is a " + dims() + " px " + what() +
                           "; the longer side may be at most 20 times the shorter one");
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckS3Object(const S3Object& object) {
  const std::string& bucket = object.bucket;
  if (bucket.size() < 3 || bucket.size() > 255)
    return MakeFailure("Image.S3Object.Bucket", "length 3-255",
                       "Image.S3Object.Bucket must be 3 to 255 characters long, got " +
                           std::to_string(bucket.size()) + ": " + QuoteForMessage(bucket));
  for (std::size_t i = 0; i < bucket.size(); ++i) {
    const char c = bucket[i];
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok)
      return MakeFailure("Image.S3Object.Bucket", "pattern [0-9A-Za-z.-_]*",
                         "Image.S3Object.Bucket may contain only 0-9, A-Z, a-z, '.', '-' and "
                         "'_', got " +
                             QuoteForMessage(std::string_view(&bucket[i], 1)) + " at position " +
                             std::to_string(i) + ": " + QuoteForMessage(bucket));
  }
  const auto check_text = [](const char* field,
                             const std::string& value) -> std::optional<ValidationFailure> {
    const std::optional<std::size_t> length = Utf8CodePoints(value);
    if (!length)
      return MakeFailure(field, "valid UTF-8",
                         std::string(field) + " must be valid UTF-8: " + QuoteForMessage(value));
    if (*length < 1 || *length > 1024)
      return MakeFailure(field, "length 1-1024",
                         std::string(field) + " must be 1 to 1024 characters long, got " +
                             std::to_string(*length) +
                             (value.empty() ? std::string() : ": " + QuoteForMessage(value)));
    return std::nullopt;
  };
  if (auto failure = check_text("Image.S3Object.Name", object.name)) return failure;
  if (object.version)
    if (auto failure = check_text("Image.S3Object.Version", *object.version)) return failure;
  return std::nullopt;
}

/// Checks an ARN (required, 20-2048 chars, a Rekognition project ARN with or
/// without its version part). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckArn(const char* field,
                                                             const std::string& arn,
                                                             bool versioned) {
  if (arn.size() >= 20 && arn.size() <= 2048 && !MatchRekognitionArn(arn, versioned))
    return std::nullopt;  // the usual case, without building any message text
  const std::string name = field;
  if (arn.empty()) return MakeFailure(name, "required", name + " is required");
  if (arn.size() < 20 || arn.size() > 2048)
    return MakeFailure(name, "length 20-2048",
                       name + " must be 20 to 2048 characters long, got " +
                           std::to_string(arn.size()) + ": " + QuoteForMessage(arn));
  if (const auto mismatch = MatchRekognitionArn(arn, versioned))
    return MakeFailure(name, "pattern",
                       name +
                           " must look like arn:<partition>:rekognition:<region>:<12-digit "
                           "account>:project/<name>/" +
                           (versioned ? "version/<name>/" : "") + "<number>; at character " +
                           std::to_string(mismatch->position + 1) + " expected " +
                           mismatch->expected + ", got " + QuoteForMessage(arn));
  return std::nullopt;
}

/// CheckArn for a ProjectVersionArn. Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckProjectVersionArn(const char* field,
                                                                           const std::string& arn) {
  return CheckArn(field, arn, true);
}

}  // namespace detail

/// Checks `request` against the service model's constraints and, unless
/// turned off in `options`, the documented Custom Labels image limits.
/// Returns the first broken rule, or nullopt when the request may be sent.
/// Reads only the image header, never decodes the image.
///
/// Kinds: non-PNG/JPEG bytes and unreadable dimensions are
/// kInvalidImageFormat; more bytes than allowed or a side above 4096 px are
/// kImageTooLarge; everything else (empty bytes, a side below 64 px and an
/// aspect ratio above 20:1 included) is kInvalidParameter. MaxResults is a 32-bit integer in the
/// model, so values above 2147483647 fail too.
///
/// Throws std::bad_alloc only. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DetectCustomLabelsRequest& request, const ValidationOptions& options = {}) {
  using detail::MakeFailure;
  using detail::QuoteForMessage;
  if (auto failure =
          detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn))
    return failure;

  const Image& image = request.image;
  const std::optional<std::string_view> bytes = image.Bytes();
  if (bytes.has_value() == image.s3_object.has_value())
    return MakeFailure("Image", "exactly one of Bytes or S3Object",
                       std::string("Image must have exactly one of Bytes or S3Object, got ") +
                           (bytes ? "both" : "neither"));
  if (image.HasOwnedAndBorrowedBytes())
    return MakeFailure("Image.Bytes", "owned or borrowed, not both",
                       "Image.Bytes must be either owned (bytes) or borrowed (bytes_view), not "
                       "both");
  if (bytes) {
    if (auto failure = detail::CheckImageBytes(*bytes, options)) return failure;
  } else if (auto failure = detail::CheckS3Object(*image.s3_object)) {
    return failure;
  }

  if (request.max_results && (*request.max_results < 0 || *request.max_results > 2147483647))
    return MakeFailure("MaxResults", "integer 0-2147483647",
                       "MaxResults must be an integer from 0 to 2147483647, got " +
                           std::to_string(*request.max_results));
  if (request.min_confidence) {
    const double value = *request.min_confidence;
    if (!std::isfinite(value) || value < 0 || value > 100)
      return MakeFailure("MinConfidence", "finite number 0-100",
                         "MinConfidence must be a finite number from 0 to 100, got " +
                             detail::PythonDoubleString(value));
  }
  return std::nullopt;
}

/// Like CheckRequest, but throws ValidationError(field, constraint, message)
/// for the first broken rule. Thread-safe (reads `request` only).
REKOGNITION_INLINE void ValidateRequest(const DetectCustomLabelsRequest& request,
                                        const ValidationOptions& options = {}) {
  if (auto failure = CheckRequest(request, options))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_VALIDATION_HPP
// ---- end rekognition/operations/validation.hpp




REKOGNITION_NAMESPACE_BEGIN

// An operation is described to the pipeline by a traits struct:
//
//   struct StopProjectVersionOperation {
//     using Request = StopProjectVersionRequest;
//     using Result = StopProjectVersionResult;  // has request_id and attempts
//     static constexpr std::string_view kName = "StopProjectVersion";
//     static constexpr std::string_view kTarget = "RekognitionService.StopProjectVersion";
//     static constexpr std::string_view kErrors[] = {"ResourceNotFoundException", ...};
//     static void Validate(const Request&, const ValidationOptions&);  // throws ValidationError
//     static std::string Serialize(const Request&);                     // the awsJson1_1 body
//     static bool Parse(std::string_view body, Result&, std::string& error);
//   };
//
// Everything else (endpoint, signing, retries, clock skew, error mapping) is
// shared, in RequestPipeline below.

namespace detail {

/// Where and how calls are sent, resolved once per client.
struct PipelineTarget {
  std::string region;
  ParsedUrl endpoint;
  std::string url;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<RetryPolicy> retry_policy;
};

/// The machinery a pipeline borrows from its client.
struct PipelineSettings {
  std::shared_ptr<CredentialsProvider> credentials_provider;
  std::function<std::chrono::system_clock::time_point()> clock;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<void(const std::string&)> log;
  /// Bound on a whole call, attempts and waits included; 0: none.
  std::chrono::milliseconds call_timeout{0};
};

/// A validated, serialized request: what stays the same across attempts.
struct PreparedCall {
  std::string_view operation;  ///< e.g. "DetectCustomLabels"
  std::string_view target;     ///< the X-Amz-Target header
  std::string body;            ///< the awsJson1_1 body
  std::string payload_hash;    ///< SHA-256 hex of body, computed once per call
  std::string invocation_id;   ///< amz-sdk-invocation-id, one per call
};

/// The state of one call across its attempts.
struct CallState {
  int attempt = 0;              ///< the current attempt, from 1
  int max_attempts = 0;         ///< the policy's attempts
  bool skew_corrected = false;  ///< the one clock-skew retry was used
  RetryToken token;
  std::chrono::system_clock::time_point signed_at;
  Credentials credentials;  ///< of the current attempt (for redaction)
  /// When the call must be over (PipelineSettings::call_timeout), if bounded.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// A 2xx answer, not yet parsed.
struct CallOutcome {
  HttpResponse response;
  std::string request_id;
  std::chrono::milliseconds elapsed{0};
};

/// "503 ServiceUnavailable" or the transport failure's name, for the log.
REKOGNITION_INLINE std::string DescribeFailure(const AttemptFailure& failure) {
  if (failure.transport) return ToString(*failure.transport);
  return std::to_string(failure.http_status) + " " + failure.code;
}

/// The credentials' secrets: what must never leave in a message or a log.
REKOGNITION_INLINE std::vector<std::string_view> SecretsOf(const Credentials& credentials) {
  return {credentials.secret_access_key, credentials.session_token};
}

/// `text` with every occurrence of the credentials' secret key and session
/// token replaced by "<redacted>" (see RedactAll). Thread-safe.
REKOGNITION_INLINE std::string RedactSecrets(std::string text, const Credentials& credentials) {
  return RedactAll(std::move(text), SecretsOf(credentials));
}

/// True when Op has Serialize(request, Sha256Digest&), which writes the body
/// and hashes it in one pass.
template <typename Op, typename = void>
struct SerializesAndHashes : std::false_type {};
template <typename Op>
struct SerializesAndHashes<
    Op, std::void_t<decltype(Op::Serialize(std::declval<const typename Op::Request&>(),
                                           std::declval<Sha256Digest&>()))>> : std::true_type {};

/// The shared request machinery of a client. Its stages can be run one by
/// one (Prepare, then SignAttempt / HandleAttempt per attempt, then Finish),
/// or all at once with Call. Thread-safe: one pipeline serves every call of
/// a client; the clock-skew correction is shared by them.
class RequestPipeline {
 public:
  explicit RequestPipeline(PipelineSettings settings) : settings_(std::move(settings)) {}

  /// Validates and serializes `request` (throws ValidationError, nothing
  /// sent).
  template <typename Op>
  PreparedCall Prepare(const typename Op::Request& request, const ValidationOptions& options) {
    Op::Validate(request, options);
    PreparedCall call;
    call.operation = Op::kName;
    call.target = Op::kTarget;
    // The payload hash is computed once per call, not per attempt.
    if constexpr (SerializesAndHashes<Op>::value) {
      Sha256Digest digest;
      call.body = Op::Serialize(request, digest);
      call.payload_hash = HexEncode(digest);
    } else {
      call.body = Op::Serialize(request);
      call.payload_hash = Sha256Hex(call.body);
    }
    call.invocation_id = RandomUuid();
    return call;
  }

  /// Starts the attempts of `call` (and its deadline, when bounded).
  CallState Begin(const PipelineTarget& target) const {
    CallState state;
    state.max_attempts = target.retry_policy->max_attempts();
    if (settings_.call_timeout.count() > 0)
      state.deadline = std::chrono::steady_clock::now() + settings_.call_timeout;
    return state;
  }

  /// Throws TransportError (kTimeout) when the call's deadline leaves less
  /// than `wait` before the next attempt; does nothing for unbounded calls.
  void CheckDeadline(const CallState& state, std::chrono::milliseconds wait) const;

  /// The signed HTTP request of the next attempt (advances state.attempt).
  /// Throws CredentialsError when no credentials can be had.
  HttpRequest SignAttempt(const PreparedCall& call, const PipelineTarget& target, CallState& state);

  /// What to do after an attempt's result.
  struct Verdict {
    enum Kind { kSuccess, kRetry } kind = kSuccess;
    std::chrono::milliseconds delay{0};  ///< kRetry: wait this long first (may be 0)
    bool wait = false;                   ///< kRetry: whether to call sleep (skew retries do not)
  };

  /// Classifies the answer of an attempt: a 2xx is kSuccess (moved into
  /// `outcome`), a retryable failure kRetry, anything else throws the
  /// TransportError or the ServiceError subclass of its code.
  Verdict HandleAttempt(const PipelineTarget& target, CallState& state, HttpResult result,
                        std::chrono::milliseconds elapsed, CallOutcome& outcome);

  /// Parses a successful outcome into the operation's result, records the
  /// success with the retry policy, and fills request_id and attempts.
  /// Throws ServiceError "MalformedResponse" for an unreadable body.
  template <typename Op>
  typename Op::Result Finish(const PipelineTarget& target, CallState& state, CallOutcome outcome);

  /// Runs every stage of one call synchronously.
  template <typename Op>
  typename Op::Result Call(const typename Op::Request& request, const ValidationOptions& options,
                           const std::function<const PipelineTarget&()>& resolve) {
    const PreparedCall call = Prepare<Op>(request, options);  // throws before anything is sent
    const PipelineTarget& target = resolve();
    CallState state = Begin(target);
    CallOutcome outcome = Attempts(call, target, state);
    return Finish<Op>(target, state, std::move(outcome));
  }

  /// Sends the attempts of a prepared call, with their waits, until one gets
  /// a 2xx answer (returned); throws what the last attempt's failure maps to.
  CallOutcome Attempts(const PreparedCall& call, const PipelineTarget& target, CallState& state);

  /// What Finish does besides parsing (shared by every operation): logs,
  /// records the success with the retry policy, and throws ServiceError
  /// "MalformedResponse" when `parse_error` is set.
  void Finished(const PipelineTarget& target, const CallState& state, const CallOutcome& outcome,
                const std::string* parse_error);

 private:
  bool Logging() const noexcept { return static_cast<bool>(settings_.log); }
  void Log(const std::string& line) const {
    if (settings_.log) settings_.log(line);
  }
  std::chrono::system_clock::time_point SigningTime() const {
    return settings_.clock() + std::chrono::milliseconds(skew_ms_.load(std::memory_order_relaxed));
  }
  // Applies a clock-skew correction when the service says our clock is off and
  // its Date header agrees (4 minutes or more). True when the call should be
  // retried at once with the corrected time.
  bool CorrectClockSkew(const std::string& code, const HttpResponse& response,
                        std::chrono::system_clock::time_point signed_at);
  std::string AttemptPrefix(const CallState& state) const {
    return "attempt " + std::to_string(state.attempt) + "/" + std::to_string(state.max_attempts);
  }

  PipelineSettings settings_;
  SigV4Signer signer_;
  std::atomic<long long> skew_ms_{0};  // server time minus local time, shared by all calls
};

REKOGNITION_INLINE bool RequestPipeline::CorrectClockSkew(
    const std::string& code, const HttpResponse& response,
    std::chrono::system_clock::time_point signed_at) {
  if (!IsClockSkewError(code)) return false;
  const std::string* date = response.Header("Date");
  if (!date) return false;
  const auto server_time = ParseHttpDate(*date);
  if (!server_time) return false;
  // Judge the attempt by the time it was signed with: another call may have
  // corrected the shared offset since, and this one still deserves its retry.
  if (std::chrono::abs(*server_time - signed_at) < std::chrono::minutes(4)) return false;
  const auto skew =
      std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - settings_.clock());
  if (std::chrono::abs(skew - std::chrono::milliseconds(skew_ms_.load())) >=
      std::chrono::minutes(4)) {
    skew_ms_.store(skew.count());
    Log("clock skew: the service's clock is " + std::to_string(skew.count() / 1000) +
        " s ahead of ours; re-signing with the corrected time");
  }
  return true;
}

REKOGNITION_INLINE HttpRequest RequestPipeline::SignAttempt(const PreparedCall& call,
                                                            const PipelineTarget& target,
                                                            CallState& state) {
  ++state.attempt;
  state.credentials = settings_.credentials_provider->GetCredentials();
  HttpRequest http;
  http.method = "POST";
  http.url = target.url;
  http.body = call.body;
  http.headers.reserve(10);
  if (state.deadline) {
    // The attempt gets what is left of the call (at least 1 ms: 0 is "none").
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        *state.deadline - std::chrono::steady_clock::now());
    http.timeout = std::max(left, std::chrono::milliseconds(1));
  }
  http.headers.emplace_back("Host", target.endpoint.HostHeader());
  http.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  http.headers.emplace_back("X-Amz-Target", std::string(call.target));
  http.headers.emplace_back("User-Agent", kUserAgent);
  http.headers.emplace_back("amz-sdk-invocation-id", call.invocation_id);
  std::string attempt_header;
  attempt_header.reserve(32);
  attempt_header.append("attempt=").append(std::to_string(state.attempt)).append("; max=");
  attempt_header.append(std::to_string(state.max_attempts + (state.skew_corrected ? 1 : 0)));
  http.headers.emplace_back("amz-sdk-request", std::move(attempt_header));
  // Each thread reuses its parameters: assigning the payload hash and the
  // region then reuses their storage instead of allocating per attempt.
  thread_local SigV4Params params;
  params.region = target.region;
  params.service = "rekognition";
  params.time = SigningTime();
  if (call.payload_hash.empty())
    params.payload_hash.reset();
  else
    params.payload_hash = call.payload_hash;
  state.signed_at = params.time;
  signer_.Sign(http, state.credentials, params);
  return http;
}

REKOGNITION_INLINE RequestPipeline::Verdict RequestPipeline::HandleAttempt(
    const PipelineTarget& target, CallState& state, HttpResult result,
    std::chrono::milliseconds elapsed, CallOutcome& outcome) {
  RetryPolicy& policy = *target.retry_policy;
  const int attempt = state.attempt;
  AttemptFailure failure;
  std::string request_id;
  std::string message;
  if (auto* response = std::get_if<HttpResponse>(&result)) {
    // The request id is printed and logged: a peer may echo a secret in it.
    if (const std::string* id = response->Header("x-amzn-RequestId"))
      request_id = RedactSecrets(*id, state.credentials);
    if (response->status >= 200 && response->status < 300) {
      outcome.response = std::move(*response);
      outcome.request_id = std::move(request_id);
      outcome.elapsed = elapsed;
      return Verdict{Verdict::kSuccess, std::chrono::milliseconds(0), false};
    }
    // Some services and peers echo the canonical request, which carries the
    // session token, in signature errors, or anything else anywhere: every
    // string taken from the answer is redacted before it is cut or used.
    ErrorBody error = ParseErrorResponse(response->status, response->headers, response->body,
                                         SecretsOf(state.credentials));
    failure.code = std::move(error.code);
    failure.http_status = response->status;
    message = std::move(error.message);
    if (const std::string* after = response->Header("x-amz-retry-after")) {
      char* end = nullptr;
      const long long ms = std::strtoll(after->c_str(), &end, 10);
      if (end != after->c_str() && ms >= 0) failure.retry_after = std::chrono::milliseconds(ms);
    }
    if (!state.skew_corrected && CorrectClockSkew(failure.code, *response, state.signed_at)) {
      state.skew_corrected = true;  // once per call, at once, outside the retry budget
      policy.OnAttemptResult(false);
      return Verdict{Verdict::kRetry, std::chrono::milliseconds(0), false};
    }
  } else {
    const auto& transport_failure = std::get<TransportFailure>(result);
    failure.transport = transport_failure.kind;
    message = transport_failure.message;
  }
  policy.OnAttemptResult(ClassifyFailure(failure) == FailureClass::kThrottling);

  // The clock-skew retry does not count against the policy's attempts.
  const auto delay =
      policy.OnFailure(failure, state.skew_corrected ? attempt - 1 : attempt, state.token);
  if (Logging())
    Log(AttemptPrefix(state) + ": " + DescribeFailure(failure) + " in " +
        std::to_string(elapsed.count()) + " ms" +
        (request_id.empty() ? "" : ", request id " + request_id) +
        (delay ? "; retrying in " + std::to_string(delay->count()) + " ms" : "; giving up"));
  // Every retry has exactly one wait, also for 0 ms.
  if (delay) return Verdict{Verdict::kRetry, *delay, true};
  if (failure.transport) throw TransportError(std::get<TransportFailure>(result), attempt);
  ThrowServiceError(
      ErrorInfo{failure.code, message, failure.http_status, request_id, attempt, false});
}

template <typename Op>
typename Op::Result RequestPipeline::Finish(const PipelineTarget& target, CallState& state,
                                            CallOutcome outcome) {
  typename Op::Result parsed;
  std::string error;
  const bool readable = Op::Parse(outcome.response.body, parsed, error);
  Finished(target, state, outcome, readable ? nullptr : &error);
  parsed.request_id = std::move(outcome.request_id);
  parsed.attempts = state.attempt;
  return parsed;
}

REKOGNITION_INLINE void RequestPipeline::Finished(const PipelineTarget& target,
                                                  const CallState& state,
                                                  const CallOutcome& outcome,
                                                  const std::string* parse_error) {
  const int status = outcome.response.status;
  RetryPolicy& policy = *target.retry_policy;
  if (parse_error) {
    Log(AttemptPrefix(state) + ": HTTP " + std::to_string(status) +
        " with an unreadable body: " + *parse_error);
    // The service answered: what the retries took from the quota goes back,
    // or a run of such answers would leave the client without retries.
    policy.OnAttemptResult(false);
    policy.OnSuccess(state.token);
    throw ServiceError(ErrorInfo{"MalformedResponse",
                                 "the service's response could not be read: " + *parse_error,
                                 status, outcome.request_id, state.attempt, false});
  }
  // Built only when someone reads it: a call that succeeds should cost no
  // string work beyond its result.
  if (Logging())
    Log(AttemptPrefix(state) + ": HTTP " + std::to_string(status) + " in " +
        std::to_string(outcome.elapsed.count()) + " ms, request id " + outcome.request_id);
  policy.OnAttemptResult(false);
  policy.OnSuccess(state.token);
}

REKOGNITION_INLINE CallOutcome RequestPipeline::Attempts(const PreparedCall& call,
                                                         const PipelineTarget& target,
                                                         CallState& state) {
  RetryPolicy& policy = *target.retry_policy;
  for (;;) {
    const auto wait = policy.BeforeAttempt();
    CheckDeadline(state, wait);
    if (wait.count() > 0) settings_.sleep(wait);
    HttpRequest http = SignAttempt(call, target, state);
    const auto started = std::chrono::steady_clock::now();
    HttpResult result = target.transport->Send(http);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    CallOutcome outcome;
    const Verdict verdict = HandleAttempt(target, state, std::move(result), elapsed, outcome);
    if (verdict.kind == Verdict::kSuccess) return outcome;
    CheckDeadline(state, verdict.delay);
    if (verdict.wait) settings_.sleep(verdict.delay);
  }
}

REKOGNITION_INLINE void RequestPipeline::CheckDeadline(const CallState& state,
                                                       std::chrono::milliseconds wait) const {
  if (!state.deadline) return;
  const auto now = std::chrono::steady_clock::now();
  // Like a context deadline: a wait that would end past it is not started.
  if (now + wait < *state.deadline) return;
  const long long attempts = state.attempt;
  Log("call timeout: " + std::to_string(settings_.call_timeout.count()) + " ms over after " +
      std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts"));
  TransportFailure failure;
  failure.kind = TransportErrorKind::kTimeout;
  failure.message = "call timeout: the call did not finish within " +
                    std::to_string(settings_.call_timeout.count()) + " ms (" +
                    std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + ")";
  throw TransportError(std::move(failure), state.attempt);
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PIPELINE_HPP
// ---- end rekognition/operations/pipeline.hpp



REKOGNITION_NAMESPACE_BEGIN

namespace detail {

class AsyncCalls;

// Where an asynchronous call's outcome goes: the one part of a call that
// depends on its operation. Everything else (attempts, timers, cancelling)
// is shared by every operation in AsyncCall.
class CallReceiver {
 public:
  explicit CallReceiver(std::string_view operation) : operation(operation) {}
  virtual ~CallReceiver() = default;
  // Parses a 2xx answer into the result it keeps (throws what
  // RequestPipeline::Finish throws).
  virtual void Parse(RequestPipeline& pipeline, const PipelineTarget& target, CallState& state,
                     CallOutcome outcome) = 0;
  // Hands over the kept result, or `error` when it is set. Exactly once.
  virtual void Deliver(std::exception_ptr error) = 0;

  const std::string_view operation;  // e.g. "DetectCustomLabels", for warnings
};

// The receiver of an operation `Op`: parses its result and hands the
// outcome to a completion or a promise.
template <typename Op>
class OperationReceiver : public CallReceiver {
 public:
  using Result = typename Op::Result;

  OperationReceiver() : CallReceiver(Op::kName) {}
  void Parse(RequestPipeline& pipeline, const PipelineTarget& target, CallState& state,
             CallOutcome outcome) final {
    result_.emplace(pipeline.Finish<Op>(target, state, std::move(outcome)));
  }

 protected:
  std::optional<Result> result_;
};

template <typename Op>
class CompletionReceiver final : public OperationReceiver<Op> {
 public:
  using Result = typename Op::Result;
  explicit CompletionReceiver(Completion<Result> done) : done_(std::move(done)) {}
  void Deliver(std::exception_ptr error) override {
    if (!done_) return;  // nobody asked for the outcome
    if (error)
      done_(Outcome<Result>::Failure(std::move(error)));
    else
      done_(Outcome<Result>::Success(std::move(*this->result_)));
  }

 private:
  Completion<Result> done_;
};

template <typename Op>
class PromiseReceiver final : public OperationReceiver<Op> {
 public:
  using Result = typename Op::Result;
  std::future<Result> future() { return promise_.get_future(); }
  void Deliver(std::exception_ptr error) override {
    if (error)
      promise_.set_exception(std::move(error));
    else
      promise_.set_value(std::move(*this->result_));
  }

 private:
  std::promise<Result> promise_;
};

// One asynchronous call as its manager sees it. Every member but
// RequestCancel runs on the loop's thread.
class AsyncCallBase : public CancellableCall, public std::enable_shared_from_this<AsyncCallBase> {
 public:
  enum class Phase { kPosted, kQueued, kWaiting, kSending, kDone };

  // A slot is free: wait for the rate limiter, then send the first attempt.
  virtual void Start() = 0;
  // Stops the call wherever it is; it completes with kCancelled.
  virtual void Cancel() = 0;
  REKOGNITION_INLINE void RequestCancel() override;

  Phase phase = Phase::kPosted;
  bool holds_slot = false;  // counts against max_in_flight

 protected:
  explicit AsyncCallBase(AsyncCalls& calls) : calls_(calls) {}
  AsyncCalls& calls_;
};

// The asynchronous calls of one client: their event loop (made at the first
// call, over the transport's driver), the bound on calls in flight and the
// queue beyond it. Destroying it waits for the calls in flight to complete.
class AsyncCalls {
 public:
  AsyncCalls(RequestPipeline& pipeline, std::size_t max_in_flight, EventLoop::Clock clock,
             std::function<void(const std::string&)> warn)
      : pipeline_(pipeline),
        max_in_flight_(max_in_flight),
        clock_(std::move(clock)),
        warn_(std::move(warn)) {}
  ~AsyncCalls() {
    Shutdown();
    *destroyed_ = true;
  }
  AsyncCalls(const AsyncCalls&) = delete;
  AsyncCalls& operator=(const AsyncCalls&) = delete;

  // Starts call `Op` of `request`; `receiver` gets its outcome. Validation,
  // endpoint resolution and the first signature happen here, on the calling
  // thread; what fails here is delivered before Submit returns.
  template <typename Op>
  CallHandle Submit(const typename Op::Request& request, const ValidationOptions& options,
                    const std::function<const PipelineTarget&()>& resolve,
                    std::unique_ptr<OperationReceiver<Op>> receiver) {
    PreparedCall prepared;
    try {
      CheckCapacity();
      prepared = pipeline_.Prepare<Op>(request, options);
    } catch (...) {
      receiver->Deliver(std::current_exception());
      return CallHandle();
    }
    return Start(std::move(prepared), resolve, std::move(receiver));
  }

  // The part of Submit every operation shares: resolves, signs the first
  // attempt and posts the call to the loop.
  CallHandle Start(PreparedCall prepared, const std::function<const PipelineTarget&()>& resolve,
                   std::unique_ptr<CallReceiver> receiver);

  // Finishes or cancels every call, then ends the loop. From the loop's own
  // thread (a completion dropped the last client) it cancels what is left.
  void Shutdown();

  RequestPipeline& pipeline() noexcept { return pipeline_; }
  EventLoop& loop() noexcept { return *loop_; }
  void Warn(const std::string& line) noexcept {
    try {
      if (warn_) warn_(line);
    } catch (...) {
    }
  }

  // Loop thread: admits a posted call, or queues it past max_in_flight.
  void Admit(const std::shared_ptr<AsyncCallBase>& call);
  // Loop thread: takes a queued call out of the queue.
  void Unqueue(const AsyncCallBase* call);
  // Loop thread: a call is over; frees its slot and starts the next. Runs
  // before the call's completion, which may destroy this object.
  void Release(AsyncCallBase* call);

 private:
  EventLoop& EnsureLoop(HttpTransport& transport);
  void CheckCapacity() const {
    if (max_in_flight_ == 0)
      throw ConfigurationError("ClientConfig::max_in_flight is 0; it must be at least 1");
  }

  RequestPipeline& pipeline_;
  const std::size_t max_in_flight_;
  EventLoop::Clock clock_;
  std::function<void(const std::string&)> warn_;

  std::mutex mutex_;
  std::condition_variable idle_;
  std::unique_ptr<EventLoop> loop_;  // made once, under mutex_
  // Every call not yet complete, kept alive here; guarded by mutex_.
  std::unordered_map<const AsyncCallBase*, std::shared_ptr<AsyncCallBase>> live_;
  // Loop thread only.
  std::size_t in_flight_ = 0;
  bool shutting_down_ = false;
  std::deque<std::shared_ptr<AsyncCallBase>> queue_;
  // Set by the destructor; outlives this object for a Release that started a
  // call whose completion destroyed the client.
  std::shared_ptr<bool> destroyed_ = std::make_shared<bool>(false);
};

REKOGNITION_INLINE void AsyncCallBase::RequestCancel() {
  if (finished.load(std::memory_order_acquire)) return;
  calls_.loop().Post([self = shared_from_this()] { self->Cancel(); });
}

// The TransportError a cancelled call completes with.
REKOGNITION_INLINE std::exception_ptr CancelledError(int attempts) {
  return std::make_exception_ptr(TransportError(
      TransportFailure{TransportErrorKind::kCancelled, 0, "the call was cancelled"}, attempts));
}

// One asynchronous call of any operation.
class AsyncCall final : public AsyncCallBase {
 public:
  AsyncCall(AsyncCalls& calls, const PipelineTarget& target, PreparedCall call, CallState state,
            HttpRequest http, std::unique_ptr<CallReceiver> receiver)
      : AsyncCallBase(calls),
        target_(target),
        call_(std::move(call)),
        state_(std::move(state)),
        http_(std::move(http)),
        receiver_(std::move(receiver)) {
    // The request views the body: point it at the copy this call owns.
    http_.body = call_.body;
  }

  void Start() override { BeginAttempt(false); }

  void Cancel() override {
    switch (phase) {
      case Phase::kDone:
        return;
      case Phase::kPosted:
        break;
      case Phase::kQueued:
        calls_.Unqueue(this);
        break;
      case Phase::kWaiting:
        calls_.loop().CancelTimer(timer_);
        break;
      case Phase::kSending:
        cancelled_ = true;
        calls_.loop().driver().Cancel(transfer_);  // completes through OnResult
        return;
    }
    Complete(CancelledError(state_.attempt));
  }

 private:
  // Waits for the rate limiter (on a timer), then signs unless the first
  // attempt's signature made on the calling thread is still fresh, and sends.
  void BeginAttempt(bool sign) {
    std::exception_ptr error;
    try {
      const auto wait = target_.retry_policy->BeforeAttempt();
      calls_.pipeline().CheckDeadline(state_, wait);
      if (wait.count() > 0)
        Wait(wait, sign);
      else
        Send(sign);
    } catch (...) {
      error = std::current_exception();
    }
    if (error) Fail(std::move(error));
  }

  void Wait(std::chrono::milliseconds delay, bool sign) {
    phase = Phase::kWaiting;
    timer_ = calls_.loop().After(delay, [self = Self(), sign] { self->SendOrFail(sign); });
  }

  void SendOrFail(bool sign) {
    std::exception_ptr error;
    try {
      Send(sign);
    } catch (...) {
      error = std::current_exception();
    }
    if (error) Fail(std::move(error));
  }

  void Send(bool sign) {
    // A signature is good for 5 minutes; a call that queued long is re-signed.
    if (sign || std::chrono::steady_clock::now() - signed_ > std::chrono::minutes(1)) {
      if (!sign) --state_.attempt;  // the same attempt, signed again
      http_ = calls_.pipeline().SignAttempt(call_, target_, state_);
      signed_ = std::chrono::steady_clock::now();
    }
    phase = Phase::kSending;
    sent_ = std::chrono::steady_clock::now();
    transfer_ = calls_.loop().driver().Start(
        http_,
        HttpCompletion([self = Self()](HttpResult result) { self->OnResult(std::move(result)); },
                       [self = Self()](std::exception_ptr error) {
                         // What the blocking call would have thrown.
                         if (self->phase == Phase::kSending) self->Fail(std::move(error));
                       }));
  }

  void OnResult(HttpResult result) {
    if (phase != Phase::kSending) return;
    if (cancelled_) {
      Complete(CancelledError(state_.attempt));
      return;
    }
    std::exception_ptr error;
    bool parsed = false;
    try {
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - sent_);
      CallOutcome outcome;
      RequestPipeline& pipeline = calls_.pipeline();
      const auto verdict =
          pipeline.HandleAttempt(target_, state_, std::move(result), elapsed, outcome);
      if (verdict.kind == RequestPipeline::Verdict::kSuccess) {
        receiver_->Parse(pipeline, target_, state_, std::move(outcome));
        parsed = true;
      } else {
        pipeline.CheckDeadline(state_, verdict.delay);
        phase = Phase::kWaiting;
        timer_ = calls_.loop().After(verdict.wait ? verdict.delay : std::chrono::milliseconds(0),
                                     [self = Self()] { self->BeginAttempt(true); });
      }
    } catch (...) {
      error = std::current_exception();
    }
    if (error)
      Fail(std::move(error));
    else if (parsed)
      Complete(nullptr);
  }

  // Completes with `error`. Called after the handler that caught it has
  // ended, so this thread holds no reference but the one passed on: the
  // completion may end the exception's life on another thread.
  void Fail(std::exception_ptr error) {
    if (!error)  // a driver that failed without an exception: still a failure
      error = std::make_exception_ptr(TransportError(
          TransportFailure{TransportErrorKind::kOther, 0, "the transport failed without an error"},
          state_.attempt));
    Complete(std::move(error));
  }

  // Completes with the parsed result, or with `error` when it is set.
  void Complete(std::exception_ptr error) {
    if (!receiver_) return;  // completed already (a driver that completed twice)
    phase = Phase::kDone;
    // Keeps this call alive through its completion, whoever held it before.
    const std::shared_ptr<AsyncCallBase> keep = shared_from_this();
    calls_.Release(this);  // before the completion, which may destroy the client
    finished.store(true, std::memory_order_release);
    // The receiver (and what its completion holds) dies here, not with the call.
    const std::unique_ptr<CallReceiver> receiver = std::move(receiver_);
    try {
      receiver->Deliver(std::move(error));
    } catch (const std::exception& e) {
      WarnFromCompletion(receiver->operation, e.what());
    } catch (...) {
      WarnFromCompletion(receiver->operation, "unknown exception");
    }
  }

  void WarnFromCompletion(std::string_view operation, const char* what) noexcept {
    // The client may be gone by now (the completion dropped it): only a
    // client that is still alive can log, so the warning goes to stderr.
    std::fprintf(stderr, "rekognition: a completion of %s threw (ignored): %s\n",
                 std::string(operation).c_str(), what);
  }

  std::shared_ptr<AsyncCall> Self() {
    return std::static_pointer_cast<AsyncCall>(shared_from_this());
  }

  const PipelineTarget& target_;
  PreparedCall call_;
  CallState state_;
  HttpRequest http_;
  std::unique_ptr<CallReceiver> receiver_;
  std::chrono::steady_clock::time_point signed_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point sent_;
  std::uint64_t transfer_ = 0;
  std::uint64_t timer_ = 0;
  bool cancelled_ = false;
};

REKOGNITION_INLINE CallHandle
AsyncCalls::Start(PreparedCall prepared, const std::function<const PipelineTarget&()>& resolve,
                  std::unique_ptr<CallReceiver> receiver) {
  // Valid while `receiver` or `call` owns it, until this function returns.
  CallReceiver* const outcome_to = receiver.get();
  std::shared_ptr<AsyncCall> call;
  try {
    const PipelineTarget& target = resolve();
    CallState state = pipeline_.Begin(target);
    HttpRequest http = pipeline_.SignAttempt(prepared, target, state);
    EventLoop& loop = EnsureLoop(*target.transport);
    call = std::make_shared<AsyncCall>(*this, target, std::move(prepared), std::move(state),
                                       std::move(http), std::move(receiver));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      live_.emplace(call.get(), call);
    }
    loop.Post([this, call] { Admit(call); });
  } catch (...) {
    if (call) {
      std::lock_guard<std::mutex> lock(mutex_);
      live_.erase(call.get());
    }
    outcome_to->Deliver(std::current_exception());
    return CallHandle();
  }
  return CallHandle(call);
}

REKOGNITION_INLINE EventLoop& AsyncCalls::EnsureLoop(HttpTransport& transport) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!loop_) loop_ = std::make_unique<EventLoop>(transport.MakeAsyncDriver(), clock_);
  return *loop_;
}

REKOGNITION_INLINE void AsyncCalls::Admit(const std::shared_ptr<AsyncCallBase>& call) {
  if (call->phase != AsyncCallBase::Phase::kPosted) return;  // cancelled meanwhile
  if (in_flight_ >= max_in_flight_) {
    call->phase = AsyncCallBase::Phase::kQueued;
    queue_.push_back(call);
    return;
  }
  ++in_flight_;
  call->holds_slot = true;
  call->Start();
}

REKOGNITION_INLINE void AsyncCalls::Unqueue(const AsyncCallBase* call) {
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                              [call](const auto& queued) { return queued.get() == call; }),
               queue_.end());
}

REKOGNITION_INLINE void AsyncCalls::Release(AsyncCallBase* call) {
  if (call->holds_slot) {
    call->holds_slot = false;
    --in_flight_;
    while (!shutting_down_ && !queue_.empty() && in_flight_ < max_in_flight_) {
      std::shared_ptr<AsyncCallBase> next = std::move(queue_.front());
      queue_.pop_front();
      ++in_flight_;
      next->holds_slot = true;
      // It may complete at once (its deadline passed while it queued), and
      // its completion may destroy the client, and this object with it.
      const std::shared_ptr<bool> destroyed = destroyed_;
      next->Start();
      if (*destroyed) return;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  live_.erase(call);
  if (live_.empty()) idle_.notify_all();
}

REKOGNITION_INLINE void AsyncCalls::Shutdown() {
  EventLoop* loop = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loop = loop_.get();
  }
  if (!loop) return;
  if (loop->OnLoopThread()) {
    shutting_down_ = true;
    std::vector<std::shared_ptr<AsyncCallBase>> calls;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& entry : live_) calls.push_back(entry.second);
    }
    for (auto& call : calls) call->Cancel();
  } else {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return live_.empty(); });
  }
  loop->Stop();
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP
// ---- end rekognition/operations/async_calls.hpp

// ---- begin rekognition/operations/detect_custom_labels_operation.hpp
// rekognition-cpp: DetectCustomLabels as the request pipeline sees it.
#ifndef REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP
#define REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP

#include <string>
#include <string_view>






REKOGNITION_NAMESPACE_BEGIN

/// The DetectCustomLabels operation: its wire name, the errors the service
/// model lists for it, and the validator, serializer and result parser the
/// request pipeline runs. Stateless; thread-safe.
struct DetectCustomLabelsOperation {
  using Request = DetectCustomLabelsRequest;
  using Result = DetectCustomLabelsResult;
  /// The operation name.
  static constexpr std::string_view kName = "DetectCustomLabels";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DetectCustomLabels";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {
      "ResourceNotFoundException",  "ResourceNotReadyException",
      "InvalidS3ObjectException",   "InvalidParameterException",
      "ImageTooLargeException",     "LimitExceededException",
      "AccessDeniedException",      "InternalServerError",
      "ThrottlingException",        "ProvisionedThroughputExceededException",
      "InvalidImageFormatException"};
  /// Throws ValidationError for the first broken rule (see CheckRequest).
  static void Validate(const Request& request, const ValidationOptions& options) {
    ValidateRequest(request, options);
  }
  /// The request body (see SerializeRequest).
  static std::string Serialize(const Request& request) { return detail::SerializeRequest(request); }
  /// The request body and its SHA-256, computed in the same pass.
  static std::string Serialize(const Request& request, detail::Sha256Digest& body_sha256) {
    return detail::SerializeRequest(request, body_sha256);
  }
  /// Parses a 2xx body (see ParseResult).
  static bool Parse(std::string_view body, Result& out, std::string& error) {
    return detail::ParseResult(body, out, error);
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP
// ---- end rekognition/operations/detect_custom_labels_operation.hpp



// ---- begin rekognition/operations/projects_codec.hpp
// rekognition-cpp: validation, awsJson1_1 bodies and pipeline declarations of
// the model lifecycle operations (DescribeProjects, DescribeProjectVersions,
// StartProjectVersion, StopProjectVersion).
#ifndef REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP
#define REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>






// ---- begin rekognition/operations/projects.hpp
// rekognition-cpp: the request and result types of the model lifecycle
// operations: DescribeProjects, DescribeProjectVersions, StartProjectVersion
// and StopProjectVersion.
#ifndef REKOGNITION_OPERATIONS_PROJECTS_HPP
#define REKOGNITION_OPERATIONS_PROJECTS_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>



REKOGNITION_NAMESPACE_BEGIN

/// A point in time as the service sends it (epoch seconds, with fractions).
using Timestamp = std::chrono::system_clock::time_point;

/// The status of a model (project) version: the 14 values of the service
/// model, and kUnknown for anything else (the raw text is kept beside it).
enum class ProjectVersionStatus {
  kTrainingInProgress,  ///< TRAINING_IN_PROGRESS
  kTrainingCompleted,   ///< TRAINING_COMPLETED
  kTrainingFailed,      ///< TRAINING_FAILED
  kStarting,            ///< STARTING
  kRunning,             ///< RUNNING
  kFailed,              ///< FAILED
  kStopping,            ///< STOPPING
  kStopped,             ///< STOPPED
  kDeleting,            ///< DELETING
  kCopyingInProgress,   ///< COPYING_IN_PROGRESS
  kCopyingCompleted,    ///< COPYING_COMPLETED
  kCopyingFailed,       ///< COPYING_FAILED
  kDeprecated,          ///< DEPRECATED
  kExpired,             ///< EXPIRED
  kUnknown,             ///< absent, or a value this library does not know
};

namespace detail {
inline constexpr std::string_view kProjectVersionStatusNames[] = {"TRAINING_IN_PROGRESS",
                                                                  "TRAINING_COMPLETED",
                                                                  "TRAINING_FAILED",
                                                                  "STARTING",
                                                                  "RUNNING",
                                                                  "FAILED",
                                                                  "STOPPING",
                                                                  "STOPPED",
                                                                  "DELETING",
                                                                  "COPYING_IN_PROGRESS",
                                                                  "COPYING_COMPLETED",
                                                                  "COPYING_FAILED",
                                                                  "DEPRECATED",
                                                                  "EXPIRED"};
}  // namespace detail

/// The wire name of `status` ("RUNNING"), "UNKNOWN" for kUnknown.
/// Thread-safe, no throw.
REKOGNITION_INLINE std::string_view ToString(ProjectVersionStatus status) noexcept {
  const auto index = static_cast<std::size_t>(status);
  return index < std::size(detail::kProjectVersionStatusNames)
             ? detail::kProjectVersionStatusNames[index]
             : std::string_view("UNKNOWN");
}

/// The status named `text` (exact, case-sensitive, as the service sends it);
/// kUnknown for anything else. Thread-safe, no throw.
REKOGNITION_INLINE ProjectVersionStatus ParseProjectVersionStatus(std::string_view text) noexcept {
  for (std::size_t i = 0; i < std::size(detail::kProjectVersionStatusNames); ++i)
    if (detail::kProjectVersionStatusNames[i] == text) return static_cast<ProjectVersionStatus>(i);
  return ProjectVersionStatus::kUnknown;
}

/// Input of DescribeProjects. Empty lists and unset optionals are not sent.
struct DescribeProjectsRequest {
  /// Token of the next page, from a previous result (at most 1024 chars).
  std::optional<std::string> next_token;
  /// Projects per page, 1-100 (service default 100).
  std::optional<std::int64_t> max_results;
  /// Describe only these projects (1-10 names of 1-255 [a-zA-Z0-9_.-]).
  std::vector<std::string> project_names;
  /// Filter by customization feature: "CUSTOM_LABELS" (the service's
  /// default) or "CONTENT_MODERATION"; at most 2.
  std::vector<std::string> features;

  bool operator==(const DescribeProjectsRequest& o) const {
    return next_token == o.next_token && max_results == o.max_results &&
           project_names == o.project_names && features == o.features;
  }
};

/// One project, as DescribeProjects describes it.
struct ProjectDescription {
  std::string project_arn;                      ///< ProjectArn
  std::optional<Timestamp> creation_timestamp;  ///< CreationTimestamp
  std::optional<std::string> status;            ///< CREATING, CREATED or DELETING
  std::optional<std::string> feature;           ///< CUSTOM_LABELS or CONTENT_MODERATION
  std::optional<std::string> auto_update;       ///< ENABLED or DISABLED (adapters)
  /// The member exactly as received, re-encoded as compact JSON (every
  /// member, modeled here or not). Empty for descriptions built in code.
  std::string raw_json;

  /// Compares the modeled members (raw_json is ignored).
  bool operator==(const ProjectDescription& o) const {
    return project_arn == o.project_arn && creation_timestamp == o.creation_timestamp &&
           status == o.status && feature == o.feature && auto_update == o.auto_update;
  }
};

/// Output of DescribeProjects: one page.
struct DescribeProjectsResult {
  std::vector<ProjectDescription> project_descriptions;
  std::optional<std::string> next_token;  ///< set when more pages follow
  std::string request_id;                 ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;                       ///< attempts the call took, including the first
};

/// Input of DescribeProjectVersions.
struct DescribeProjectVersionsRequest {
  /// ARN of the project (required), e.g.
  /// "arn:aws:rekognition:us-east-1:111122223333:project/p/1714000000000".
  /// Not derivable from a version ARN: see FindProjectVersion.
  std::string project_arn;
  /// Describe only these versions (1-10 names of 1-255 [a-zA-Z0-9_.-]);
  /// empty: every version, not sent.
  std::vector<std::string> version_names;
  /// Token of the next page, from a previous result (at most 1024 chars).
  std::optional<std::string> next_token;
  /// Versions per page, 1-100 (service default 100).
  std::optional<std::int64_t> max_results;

  bool operator==(const DescribeProjectVersionsRequest& o) const {
    return project_arn == o.project_arn && version_names == o.version_names &&
           next_token == o.next_token && max_results == o.max_results;
  }
};

/// One model version, as DescribeProjectVersions describes it.
struct ProjectVersionDescription {
  std::string project_version_arn;              ///< ProjectVersionArn
  std::optional<Timestamp> creation_timestamp;  ///< CreationTimestamp
  std::optional<std::int64_t> min_inference_units;
  std::optional<std::int64_t> max_inference_units;
  /// Status; kUnknown when absent or not one of the 14 known values.
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  /// Status exactly as sent ("" when absent), also for unknown values.
  std::string status_text;
  std::optional<std::string> status_message;  ///< StatusMessage (why it FAILED)
  std::optional<std::int64_t> billable_training_time_in_seconds;
  std::optional<Timestamp> training_end_timestamp;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> source_project_version_arn;
  std::optional<std::string> version_description;
  std::optional<std::string> feature;
  std::optional<std::string> base_model_version;
  /// The member exactly as received, re-encoded as compact JSON (every
  /// member, modeled here or not: OutputConfig, EvaluationResult, ...).
  /// Empty for descriptions built in code.
  std::string raw_json;

  /// Compares the modeled members (raw_json is ignored).
  bool operator==(const ProjectVersionDescription& o) const {
    return project_version_arn == o.project_version_arn &&
           creation_timestamp == o.creation_timestamp &&
           min_inference_units == o.min_inference_units &&
           max_inference_units == o.max_inference_units && status == o.status &&
           status_text == o.status_text && status_message == o.status_message &&
           billable_training_time_in_seconds == o.billable_training_time_in_seconds &&
           training_end_timestamp == o.training_end_timestamp && kms_key_id == o.kms_key_id &&
           source_project_version_arn == o.source_project_version_arn &&
           version_description == o.version_description && feature == o.feature &&
           base_model_version == o.base_model_version;
  }
};

/// Output of DescribeProjectVersions: one page.
struct DescribeProjectVersionsResult {
  std::vector<ProjectVersionDescription> project_version_descriptions;
  std::optional<std::string> next_token;  ///< set when more pages follow
  std::string request_id;                 ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;                       ///< attempts the call took, including the first
};

/// Input of StartProjectVersion. Starting a model bills it by the hour until
/// it is stopped: see RunningModel for a guard that stops it.
struct StartProjectVersionRequest {
  std::string project_version_arn;       ///< the model version to start (required)
  std::int64_t min_inference_units = 1;  ///< >= 1 (required)
  /// Upper bound for auto-scaling, >= 1; unset: no auto-scaling, not sent.
  std::optional<std::int64_t> max_inference_units;

  bool operator==(const StartProjectVersionRequest& o) const {
    return project_version_arn == o.project_version_arn &&
           min_inference_units == o.min_inference_units &&
           max_inference_units == o.max_inference_units;
  }
};

/// Input of StopProjectVersion.
struct StopProjectVersionRequest {
  std::string project_version_arn;  ///< the model version to stop (required)

  bool operator==(const StopProjectVersionRequest& o) const {
    return project_version_arn == o.project_version_arn;
  }
};

/// Output of StartProjectVersion and StopProjectVersion.
struct ProjectVersionStatusResult {
  /// The status after the call (STARTING, STOPPING, ...); kUnknown when absent.
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  std::string status_text;  ///< the status exactly as sent ("" when absent)
  std::string request_id;   ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;         ///< attempts the call took, including the first
};

/// Output of StartProjectVersion.
using StartProjectVersionResult = ProjectVersionStatusResult;
/// Output of StopProjectVersion.
using StopProjectVersionResult = ProjectVersionStatusResult;

/// The parts of a model version ARN
/// arn:PARTITION:rekognition:REGION:ACCOUNT:project/PROJECT/version/VERSION/NUMBER.
/// The trailing number is the version's creation time, which differs from the
/// project's: the project ARN cannot be derived from it.
struct ProjectVersionArnParts {
  std::string partition;
  std::string region;
  std::string account;
  std::string project_name;
  std::string version_name;
  std::string version_number;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PROJECTS_HPP
// ---- end rekognition/operations/projects.hpp




REKOGNITION_NAMESPACE_BEGIN

// ---------------------------------------------------------------------------
// Validation

namespace detail {

inline constexpr std::size_t kMaxPaginationTokenChars = 1024;

/// A ProjectName / VersionName: 1-255 chars of [a-zA-Z0-9_.-].
REKOGNITION_INLINE std::optional<ValidationFailure> CheckResourceName(const std::string& field,
                                                                      const std::string& value) {
  if (value.empty() || value.size() > 255)
    return MakeFailure(field, "length 1-255",
                       field + " must be 1 to 255 characters long, got " +
                           std::to_string(value.size()) +
                           (value.empty() ? std::string() : ": " + QuoteForMessage(value)));
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok)
      return MakeFailure(field, "pattern [a-zA-Z0-9_.-]+",
                         field + " may contain only a-z, A-Z, 0-9, '_', '.' and '-', got " +
                             QuoteForMessage(std::string_view(&value[i], 1)) + " at position " +
                             std::to_string(i) + ": " + QuoteForMessage(value));
  }
  return std::nullopt;
}

/// A list of names (not sent when empty): at most `max` entries, each a
/// resource name.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckNameList(
    const char* field, const std::vector<std::string>& names, std::size_t max) {
  if (names.size() > max)
    return MakeFailure(field, "1-" + std::to_string(max) + " items",
                       std::string(field) + " may hold 1 to " + std::to_string(max) +
                           " names, got " + std::to_string(names.size()));
  for (std::size_t i = 0; i < names.size(); ++i)
    if (auto failure =
            CheckResourceName(std::string(field) + "[" + std::to_string(i) + "]", names[i]))
      return failure;
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckNextToken(
    const std::optional<std::string>& token) {
  if (token && token->size() > kMaxPaginationTokenChars)
    return MakeFailure(
        "NextToken", "length <= 1024",
        "NextToken must be at most 1024 characters long, got " + std::to_string(token->size()));
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckPageSize(
    const std::optional<std::int64_t>& value) {
  if (value && (*value < 1 || *value > 100))
    return MakeFailure(
        "MaxResults", "integer 1-100",
        "MaxResults must be an integer from 1 to 100, got " + std::to_string(*value));
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckInferenceUnits(const char* field,
                                                                        std::int64_t value) {
  if (value < 1 || value > 2147483647)
    return MakeFailure(field, "integer >= 1",
                       std::string(field) + " must be an integer from 1 to 2147483647, got " +
                           std::to_string(value));
  return std::nullopt;
}

}  // namespace detail

/// Checks a DescribeProjects request against the service model: NextToken
/// at most 1024 chars, MaxResults 1-100, ProjectNames 1-10 names of 1-255
/// [a-zA-Z0-9_.-], Features 1-2 of CUSTOM_LABELS / CONTENT_MODERATION.
/// Returns the first broken rule, or nullopt. `options` is unused (kept for
/// symmetry). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DescribeProjectsRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure = detail::CheckNextToken(request.next_token)) return failure;
  if (auto failure = detail::CheckPageSize(request.max_results)) return failure;
  if (auto failure = detail::CheckNameList("ProjectNames", request.project_names, 10))
    return failure;
  if (request.features.size() > 2)
    return detail::MakeFailure(
        "Features", "1-2 items",
        "Features may hold 1 to 2 values, got " + std::to_string(request.features.size()));
  for (std::size_t i = 0; i < request.features.size(); ++i) {
    const std::string& feature = request.features[i];
    if (feature != "CUSTOM_LABELS" && feature != "CONTENT_MODERATION")
      return detail::MakeFailure(
          "Features[" + std::to_string(i) + "]", "CUSTOM_LABELS or CONTENT_MODERATION",
          "Features[" + std::to_string(i) + "] must be CUSTOM_LABELS or CONTENT_MODERATION, got " +
              detail::QuoteForMessage(feature));
  }
  return std::nullopt;
}

/// Checks a DescribeProjectVersions request: ProjectArn required (20-2048
/// chars, arn:...:project/NAME/NUMBER), VersionNames 1-10 names of 1-255
/// [a-zA-Z0-9_.-], NextToken at most 1024 chars, MaxResults 1-100. Returns
/// the first broken rule, or nullopt. Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DescribeProjectVersionsRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure = detail::CheckArn("ProjectArn", request.project_arn, false)) return failure;
  if (auto failure = detail::CheckNameList("VersionNames", request.version_names, 10))
    return failure;
  if (auto failure = detail::CheckNextToken(request.next_token)) return failure;
  return detail::CheckPageSize(request.max_results);
}

/// Checks a StartProjectVersion request: ProjectVersionArn required (the
/// model's pattern), MinInferenceUnits >= 1, MaxInferenceUnits >= 1 when
/// set (both 32-bit integers in the model). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const StartProjectVersionRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure =
          detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn))
    return failure;
  if (auto failure = detail::CheckInferenceUnits("MinInferenceUnits", request.min_inference_units))
    return failure;
  if (request.max_inference_units)
    return detail::CheckInferenceUnits("MaxInferenceUnits", *request.max_inference_units);
  return std::nullopt;
}

/// Checks a StopProjectVersion request: ProjectVersionArn required (the
/// model's pattern). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const StopProjectVersionRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  return detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn);
}

/// Like the matching CheckRequest, but throws ValidationError(field,
/// constraint, message) for the first broken rule. Thread-safe.
template <typename Request,
          typename = decltype(CheckRequest(std::declval<const Request&>(), ValidationOptions{}))>
void ValidateRequest(const Request& request, const ValidationOptions& options = {}) {
  if (auto failure = CheckRequest(request, options))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
}

/// Splits a model version ARN into its parts, or nullopt when it does not
/// match the model's ProjectVersionArn pattern. Thread-safe, no throw
/// beyond std::bad_alloc.
REKOGNITION_INLINE std::optional<ProjectVersionArnParts> ParseProjectVersionArn(
    std::string_view arn) {
  if (detail::MatchProjectVersionArn(arn)) return std::nullopt;
  // The pattern matched, so the separators sit where the pattern puts them.
  ProjectVersionArnParts parts;
  std::size_t pos = 4;  // after "arn:"
  const auto until = [&](char separator) {
    const std::size_t end = arn.find(separator, pos);
    std::string piece(arn.substr(pos, end - pos));
    pos = end + 1;
    return piece;
  };
  parts.partition = until(':');
  until(':');  // "rekognition"
  parts.region = until(':');
  parts.account = until(':');
  until('/');  // "project"
  parts.project_name = until('/');
  until('/');  // "version"
  parts.version_name = until('/');
  parts.version_number = std::string(arn.substr(pos));
  return parts;
}

namespace detail {

// ---------------------------------------------------------------------------
// Writing

/// Appends `text` as a JSON string literal.
REKOGNITION_INLINE void AppendJsonString(std::string& out, std::string_view text) {
  EscapeJsonString(text, [&out](const char* data, std::size_t size) { out.append(data, size); });
}

/// Builds a JSON object member by member, in the order they are added.
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  void Key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    AppendJsonString(out_, name);
    out_ += ':';
  }
  void String(std::string_view name, std::string_view value) {
    Key(name);
    AppendJsonString(out_, value);
  }
  void OptionalString(std::string_view name, const std::optional<std::string>& value) {
    if (value) String(name, *value);
  }
  void Integer(std::string_view name, std::int64_t value) {
    Key(name);
    out_ += std::to_string(value);
  }
  void OptionalInteger(std::string_view name, const std::optional<std::int64_t>& value) {
    if (value) Integer(name, *value);
  }
  void StringList(std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    Key(name);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      AppendJsonString(out_, values[i]);
    }
    out_ += ']';
  }
  void OptionalTimestamp(std::string_view name, const std::optional<Timestamp>& value) {
    if (!value) return;
    Key(name);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(value->time_since_epoch()).count();
    char buffer[40];
    out_.append(buffer, FormatJsonDouble(static_cast<double>(micros) / 1e6, buffer));
  }
  void Raw(std::string_view name, std::string_view json) {
    Key(name);
    out_.append(json.data(), json.size());
  }
  void Close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

/// The DescribeProjects body, members in model order (as boto3 sends them
/// when given in that order); unset members omitted. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const DescribeProjectsRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.OptionalString("NextToken", request.next_token);
  json.OptionalInteger("MaxResults", request.max_results);
  json.StringList("ProjectNames", request.project_names);
  json.StringList("Features", request.features);
  json.Close();
  return body;
}

/// The DescribeProjectVersions body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const DescribeProjectVersionsRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectArn", request.project_arn);
  json.StringList("VersionNames", request.version_names);
  json.OptionalString("NextToken", request.next_token);
  json.OptionalInteger("MaxResults", request.max_results);
  json.Close();
  return body;
}

/// The StartProjectVersion body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const StartProjectVersionRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectVersionArn", request.project_version_arn);
  json.Integer("MinInferenceUnits", request.min_inference_units);
  json.OptionalInteger("MaxInferenceUnits", request.max_inference_units);
  json.Close();
  return body;
}

/// The StopProjectVersion body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const StopProjectVersionRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectVersionArn", request.project_version_arn);
  json.Close();
  return body;
}

/// A description's JSON: raw_json when it has one (so members this library
/// does not model survive a round trip), else the modeled members.
REKOGNITION_INLINE void WriteDescription(std::string& out, const ProjectDescription& project) {
  if (!project.raw_json.empty()) {
    out += project.raw_json;
    return;
  }
  JsonObjectWriter json(out);
  json.String("ProjectArn", project.project_arn);
  json.OptionalTimestamp("CreationTimestamp", project.creation_timestamp);
  json.OptionalString("Status", project.status);
  json.OptionalString("Feature", project.feature);
  json.OptionalString("AutoUpdate", project.auto_update);
  json.Close();
}

REKOGNITION_INLINE void WriteDescription(std::string& out,
                                         const ProjectVersionDescription& version) {
  if (!version.raw_json.empty()) {
    out += version.raw_json;
    return;
  }
  JsonObjectWriter json(out);
  json.String("ProjectVersionArn", version.project_version_arn);
  json.OptionalTimestamp("CreationTimestamp", version.creation_timestamp);
  json.OptionalInteger("MinInferenceUnits", version.min_inference_units);
  if (!version.status_text.empty())
    json.String("Status", version.status_text);
  else if (version.status != ProjectVersionStatus::kUnknown)
    json.String("Status", ToString(version.status));
  json.OptionalString("StatusMessage", version.status_message);
  json.OptionalInteger("BillableTrainingTimeInSeconds", version.billable_training_time_in_seconds);
  json.OptionalTimestamp("TrainingEndTimestamp", version.training_end_timestamp);
  json.OptionalString("KmsKeyId", version.kms_key_id);
  json.OptionalInteger("MaxInferenceUnits", version.max_inference_units);
  json.OptionalString("SourceProjectVersionArn", version.source_project_version_arn);
  json.OptionalString("VersionDescription", version.version_description);
  json.OptionalString("Feature", version.feature);
  json.OptionalString("BaseModelVersion", version.base_model_version);
  json.Close();
}

template <typename Description>
std::string SerializePage(std::string_view list_name, const std::vector<Description>& items,
                          const std::optional<std::string>& next_token) {
  std::string body;
  JsonObjectWriter json(body);
  json.Key(list_name);
  body += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) body += ',';
    WriteDescription(body, items[i]);
  }
  body += ']';
  json.OptionalString("NextToken", next_token);
  json.Close();
  return body;
}

/// The body of a successful DescribeProjects response (for stubs and the
/// local endpoint). Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DescribeProjectsResult& result) {
  return SerializePage("ProjectDescriptions", result.project_descriptions, result.next_token);
}

/// The body of a successful DescribeProjectVersions response. Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DescribeProjectVersionsResult& result) {
  return SerializePage("ProjectVersionDescriptions", result.project_version_descriptions,
                       result.next_token);
}

/// The body of a successful Start/StopProjectVersion response:
/// {"Status":"STARTING"} ({} when the status is unknown and has no text).
REKOGNITION_INLINE std::string SerializeResult(const ProjectVersionStatusResult& result) {
  std::string body;
  JsonObjectWriter json(body);
  if (!result.status_text.empty())
    json.String("Status", result.status_text);
  else if (result.status != ProjectVersionStatus::kUnknown)
    json.String("Status", ToString(result.status));
  json.Close();
  return body;
}

// ---------------------------------------------------------------------------
// Reading

/// Reads an integer member (a JSON number without fraction that fits 64 bits).
REKOGNITION_INLINE bool ReadJsonInt64(const rapidjson::Value& value, const std::string& path,
                                      std::int64_t& out, std::string& error) {
  if (value.IsInt64()) {
    out = value.GetInt64();
    return true;
  }
  if (value.IsNumber()) {
    error = path + ": expected an integer, got a number out of range or with a fraction";
    return false;
  }
  return JsonTypeError(error, path, "an integer", value);
}

/// Reads a timestamp as botocore does: epoch seconds as a JSON number (with
/// fractions), or a string holding epoch seconds or an ISO 8601 date-time.
/// Years beyond 1-9999 are refused.
REKOGNITION_INLINE bool ReadJsonTimestamp(const rapidjson::Value& value, const std::string& path,
                                          Timestamp& out, std::string& error) {
  double seconds = 0;
  if (value.IsNumber()) {
    seconds = value.GetDouble();
  } else if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (auto parsed = ParseIso8601(text)) {
      out = *parsed;
      return true;
    }
    if (ParseDecimalDouble(text, seconds) != DecimalParse::kOk) {
      error =
          path + ": expected epoch seconds or an ISO 8601 timestamp, got " + QuoteForMessage(text);
      return false;
    }
  } else {
    return JsonTypeError(error, path, "a timestamp (number or string)", value);
  }
  // 253402300800 is 10000-01-01T00:00:00Z; the clock may hold less.
  if (!std::isfinite(seconds) || seconds <= -62135596800.0 || seconds >= 253402300800.0 ||
      !EpochToSystemTime(static_cast<std::int64_t>(std::floor(seconds)))) {
    error = path + ": timestamp out of range: " + PythonDoubleString(seconds);
    return false;
  }
  const auto micros = static_cast<std::int64_t>(std::llround(seconds * 1e6));
  out =
      Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::microseconds(micros)));
  return true;
}

/// `value` re-encoded as compact JSON.
REKOGNITION_INLINE std::string CompactJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// Reads an optional string member into `out`.
REKOGNITION_INLINE bool ReadOptionalString(const rapidjson::Value& value, const std::string& path,
                                           std::optional<std::string>& out, std::string& error) {
  std::string text;
  if (!ReadJsonString(value, path, text, error)) return false;
  out = std::move(text);
  return true;
}

REKOGNITION_INLINE bool ReadOptionalInt64(const rapidjson::Value& value, const std::string& path,
                                          std::optional<std::int64_t>& out, std::string& error) {
  std::int64_t number = 0;
  if (!ReadJsonInt64(value, path, number, error)) return false;
  out = number;
  return true;
}

REKOGNITION_INLINE bool ReadOptionalTimestamp(const rapidjson::Value& value,
                                              const std::string& path,
                                              std::optional<Timestamp>& out, std::string& error) {
  Timestamp time;
  if (!ReadJsonTimestamp(value, path, time, error)) return false;
  out = time;
  return true;
}

REKOGNITION_INLINE bool ReadStatus(const rapidjson::Value& value, const std::string& path,
                                   ProjectVersionStatus& status, std::string& text,
                                   std::string& error) {
  if (!ReadJsonString(value, path, text, error)) return false;
  status = ParseProjectVersionStatus(text);
  return true;
}

REKOGNITION_INLINE bool ParseDescriptionJson(const rapidjson::Value& value, const std::string& path,
                                             ProjectDescription& out, std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& member = m->value;
    if (member.IsNull()) continue;
    const std::string at = path + "." + std::string(name);
    bool ok = true;
    if (name == "ProjectArn")
      ok = ReadJsonString(member, at, out.project_arn, error);
    else if (name == "CreationTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.creation_timestamp, error);
    else if (name == "Status")
      ok = ReadOptionalString(member, at, out.status, error);
    else if (name == "Feature")
      ok = ReadOptionalString(member, at, out.feature, error);
    else if (name == "AutoUpdate")
      ok = ReadOptionalString(member, at, out.auto_update, error);
    if (!ok) return false;
  }
  out.raw_json = CompactJson(value);
  return true;
}

REKOGNITION_INLINE bool ParseDescriptionJson(const rapidjson::Value& value, const std::string& path,
                                             ProjectVersionDescription& out, std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& member = m->value;
    if (member.IsNull()) continue;
    const std::string at = path + "." + std::string(name);
    bool ok = true;
    if (name == "ProjectVersionArn")
      ok = ReadJsonString(member, at, out.project_version_arn, error);
    else if (name == "CreationTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.creation_timestamp, error);
    else if (name == "MinInferenceUnits")
      ok = ReadOptionalInt64(member, at, out.min_inference_units, error);
    else if (name == "MaxInferenceUnits")
      ok = ReadOptionalInt64(member, at, out.max_inference_units, error);
    else if (name == "Status")
      ok = ReadStatus(member, at, out.status, out.status_text, error);
    else if (name == "StatusMessage")
      ok = ReadOptionalString(member, at, out.status_message, error);
    else if (name == "BillableTrainingTimeInSeconds")
      ok = ReadOptionalInt64(member, at, out.billable_training_time_in_seconds, error);
    else if (name == "TrainingEndTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.training_end_timestamp, error);
    else if (name == "KmsKeyId")
      ok = ReadOptionalString(member, at, out.kms_key_id, error);
    else if (name == "SourceProjectVersionArn")
      ok = ReadOptionalString(member, at, out.source_project_version_arn, error);
    else if (name == "VersionDescription")
      ok = ReadOptionalString(member, at, out.version_description, error);
    else if (name == "Feature")
      ok = ReadOptionalString(member, at, out.feature, error);
    else if (name == "BaseModelVersion")
      ok = ReadOptionalString(member, at, out.base_model_version, error);
    if (!ok) return false;
  }
  out.raw_json = CompactJson(value);
  return true;
}

/// Parses a body that must be a JSON object (an empty body is an empty
/// object, as botocore treats it); calls `member(name, value)` for each
/// non-null member.
template <typename MemberFn>
bool ParseObjectBody(std::string_view body, const char* what, std::string& error,
                     MemberFn&& member) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;
  rapidjson::Document doc;
  if (!ParseJsonDocument(body, doc, error)) return false;
  if (doc.IsNull()) return true;
  if (!doc.IsObject()) return JsonTypeError(error, what, "an object", doc);
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    if (m->value.IsNull()) continue;
    if (!member(JsonName(m->name), m->value)) return false;
  }
  return true;
}

template <typename Description>
bool ParsePage(std::string_view body, std::string_view list_name, std::vector<Description>& items,
               std::optional<std::string>& next_token, std::string& error) {
  std::vector<Description> parsed;
  std::optional<std::string> token;
  const bool ok = ParseObjectBody(
      body, "response body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "NextToken") return ReadOptionalString(value, "NextToken", token, error);
        if (name != list_name) return true;
        const std::string list(list_name);
        if (!value.IsArray()) return JsonTypeError(error, list, "an array", value);
        parsed.clear();
        parsed.reserve(value.Size());
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
          if (value[i].IsNull()) continue;
          Description description;
          if (!ParseDescriptionJson(value[i], list + "[" + std::to_string(i) + "]", description,
                                    error))
            return false;
          parsed.push_back(std::move(description));
        }
        return true;
      });
  if (!ok) return false;
  items = std::move(parsed);
  next_token = std::move(token);
  return true;
}

/// Parses a successful DescribeProjects body. Unknown members are ignored,
/// null counts as absent; a member of the wrong type fails with `error`
/// naming its path. On failure `out` is unchanged. Thread-safe.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DescribeProjectsResult& out,
                                    std::string& error) {
  return ParsePage(body, "ProjectDescriptions", out.project_descriptions, out.next_token, error);
}

/// Parses a successful DescribeProjectVersions body (see the DescribeProjects
/// overload). Unknown statuses are kept in status_text. Thread-safe.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DescribeProjectVersionsResult& out,
                                    std::string& error) {
  return ParsePage(body, "ProjectVersionDescriptions", out.project_version_descriptions,
                   out.next_token, error);
}

/// Parses a successful Start/StopProjectVersion body ({"Status": ...}).
REKOGNITION_INLINE bool ParseResult(std::string_view body, ProjectVersionStatusResult& out,
                                    std::string& error) {
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  std::string text;
  const bool ok = ParseObjectBody(
      body, "response body", error, [&](std::string_view name, const rapidjson::Value& value) {
        return name != "Status" || ReadStatus(value, "Status", status, text, error);
      });
  if (!ok) return false;
  out.status = status;
  out.status_text = std::move(text);
  return true;
}

/// Reads a list of strings.
REKOGNITION_INLINE bool ReadStringList(const rapidjson::Value& value, const std::string& path,
                                       std::vector<std::string>& out, std::string& error) {
  if (!value.IsArray()) return JsonTypeError(error, path, "an array", value);
  std::vector<std::string> items;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string item;
    if (!ReadJsonString(value[i], path + "[" + std::to_string(i) + "]", item, error)) return false;
    items.push_back(std::move(item));
  }
  out = std::move(items);
  return true;
}

/// Parses a DescribeProjects request body (the server side of
/// SerializeRequest). Types are strict; null counts as absent; unknown
/// members are ignored; constraints are not checked (run CheckRequest). On
/// failure `out` is unchanged. Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DescribeProjectsRequest& out,
                                     std::string& error) {
  DescribeProjectsRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "NextToken")
          return ReadOptionalString(value, "NextToken", request.next_token, error);
        if (name == "MaxResults")
          return ReadOptionalInt64(value, "MaxResults", request.max_results, error);
        if (name == "ProjectNames")
          return ReadStringList(value, "ProjectNames", request.project_names, error);
        if (name == "Features") return ReadStringList(value, "Features", request.features, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a DescribeProjectVersions request body (see the DescribeProjects
/// overload). Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DescribeProjectVersionsRequest& out,
                                     std::string& error) {
  DescribeProjectVersionsRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectArn")
          return ReadJsonString(value, "ProjectArn", request.project_arn, error);
        if (name == "VersionNames")
          return ReadStringList(value, "VersionNames", request.version_names, error);
        if (name == "NextToken")
          return ReadOptionalString(value, "NextToken", request.next_token, error);
        if (name == "MaxResults")
          return ReadOptionalInt64(value, "MaxResults", request.max_results, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a StartProjectVersion request body. A missing MinInferenceUnits
/// reads as 0 (so CheckRequest reports it). Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, StartProjectVersionRequest& out,
                                     std::string& error) {
  StartProjectVersionRequest request;
  request.min_inference_units = 0;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectVersionArn")
          return ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error);
        if (name == "MinInferenceUnits")
          return ReadJsonInt64(value, "MinInferenceUnits", request.min_inference_units, error);
        if (name == "MaxInferenceUnits")
          return ReadOptionalInt64(value, "MaxInferenceUnits", request.max_inference_units, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a StopProjectVersion request body. Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, StopProjectVersionRequest& out,
                                     std::string& error) {
  StopProjectVersionRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectVersionArn")
          return ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// The shared part of the four operation declarations below.
template <typename RequestT, typename ResultT>
struct ProjectsOperationBase {
  using Request = RequestT;
  using Result = ResultT;
  static void Validate(const Request& request, const ValidationOptions& options) {
    ValidateRequest(request, options);
  }
  static std::string Serialize(const Request& request) { return SerializeRequest(request); }
  static bool Parse(std::string_view body, Result& out, std::string& error) {
    return ParseResult(body, out, error);
  }
};

}  // namespace detail

// ---------------------------------------------------------------------------
// Operation declarations (see operations/pipeline.hpp)

/// DescribeProjects: lists projects, optionally only those named. Stateless.
struct DescribeProjectsOperation
    : detail::ProjectsOperationBase<DescribeProjectsRequest, DescribeProjectsResult> {
  /// The operation name.
  static constexpr std::string_view kName = "DescribeProjects";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DescribeProjects";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"InvalidPaginationTokenException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

/// DescribeProjectVersions: lists the versions of a project. Stateless.
struct DescribeProjectVersionsOperation
    : detail::ProjectsOperationBase<DescribeProjectVersionsRequest, DescribeProjectVersionsResult> {
  /// The operation name.
  static constexpr std::string_view kName = "DescribeProjectVersions";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DescribeProjectVersions";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"ResourceNotFoundException",
                                                 "InvalidPaginationTokenException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

/// StartProjectVersion: starts a model version (billed until stopped).
/// Stateless.
struct StartProjectVersionOperation
    : detail::ProjectsOperationBase<StartProjectVersionRequest, StartProjectVersionResult> {
  /// The operation name.
  static constexpr std::string_view kName = "StartProjectVersion";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.StartProjectVersion";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {
      "ResourceNotFoundException", "ResourceInUseException",
      "LimitExceededException",    "InvalidParameterException",
      "AccessDeniedException",     "InternalServerError",
      "ThrottlingException",       "ProvisionedThroughputExceededException"};
};

/// StopProjectVersion: stops a running model version. Stateless.
struct StopProjectVersionOperation
    : detail::ProjectsOperationBase<StopProjectVersionRequest, StopProjectVersionResult> {
  /// The operation name.
  static constexpr std::string_view kName = "StopProjectVersion";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.StopProjectVersion";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"ResourceNotFoundException",
                                                 "ResourceInUseException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP
// ---- end rekognition/operations/projects_codec.hpp




REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// The shared state behind a Client: copies of a Client share one connection
// pool, one retry quota and one clock-skew correction (in the pipeline).
class ClientCore {
 public:
  explicit ClientCore(ClientConfig config)
      : config_(Complete(std::move(config))),
        pipeline_(Settings(config_)),
        async_(pipeline_, config_.max_in_flight, config_.timer_clock, config_.log) {}

  // Runs one call of operation `Op` through the pipeline.
  template <typename Op>
  typename Op::Result Call(const typename Op::Request& request) {
    return pipeline_.Call<Op>(request, config_.validation, Resolver());
  }

  // Starts one call of `Op` on the I/O thread; `done` gets its outcome.
  template <typename Op>
  CallHandle Submit(const typename Op::Request& request, Completion<typename Op::Result> done) {
    std::unique_ptr<CompletionReceiver<Op>> receiver;
    try {
      receiver = std::make_unique<CompletionReceiver<Op>>(std::move(done));
    } catch (...) {  // out of memory: `done` was not moved
      if (done) done(Outcome<typename Op::Result>::Failure(std::current_exception()));
      return CallHandle();
    }
    return async_.Submit<Op>(request, config_.validation, Resolver(), std::move(receiver));
  }

  // Starts one call of `Op` on the I/O thread; the future gets its outcome.
  template <typename Op>
  std::future<typename Op::Result> Future(const typename Op::Request& request) {
    auto receiver = std::make_unique<PromiseReceiver<Op>>();
    std::future<typename Op::Result> future = receiver->future();
    async_.Submit<Op>(request, config_.validation, Resolver(), std::move(receiver));
    return future;
  }

  const ClientConfig& config() const noexcept { return config_; }

  // The endpoint URL the first call resolved; empty before that.
  std::string ResolvedEndpointUrl() const {
    return resolved_ready_.load(std::memory_order_acquire) ? resolved_.url : std::string();
  }

  // The pipeline and the resolved target, for running the stages one by one.
  RequestPipeline& pipeline() noexcept { return pipeline_; }
  const PipelineTarget& Resolve();

 private:
  // Resolve, as the pipeline asks for it (one function type for every operation).
  std::function<const PipelineTarget&()> Resolver() {
    return [this]() -> const PipelineTarget& { return Resolve(); };
  }

  static ClientConfig Complete(ClientConfig config) {
    if (!config.clock) config.clock = [] { return std::chrono::system_clock::now(); };
    if (!config.sleep)
      config.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (config.credentials) {
      config.credentials_provider =
          std::make_shared<StaticCredentialsProvider>(*config.credentials);
    } else if (!config.credentials_provider) {
      // Building the chain reads nothing; its first use does.
      DefaultCredentialsChainOptions options;
      if (!config.profile.empty()) options.profile = config.profile;
      if (!config.region.empty()) options.region = config.region;
      options.environment = config.environment;
      // STS and IAM Identity Center calls go through the client's transport
      // (so a stubbed client stubs them too), its sleep and its log.
      options.service.transport = config.transport;
      options.service.sleep = config.sleep;
      options.service.debug_log = config.debug_log;
      config.credentials_provider = DefaultCredentialsChain(options);
    }
    return config;
  }
  static PipelineSettings Settings(const ClientConfig& config) {
    return PipelineSettings{config.credentials_provider, config.clock, config.sleep,
                            config.debug_log, config.call_timeout};
  }

  ClientConfig config_;
  RequestPipeline pipeline_;
  std::once_flag resolve_once_;
  PipelineTarget resolved_;
  std::atomic<bool> resolved_ready_{false};
  // Last, so it is destroyed first: it waits for the calls in flight, which
  // use everything above.
  AsyncCalls async_;
};

REKOGNITION_INLINE const PipelineTarget& ClientCore::Resolve() {
  std::call_once(resolve_once_, [this] {
    const EnvironmentLookup& env = config_.environment;
    const std::optional<std::string> profile_name =
        config_.profile.empty() ? std::nullopt : std::optional<std::string>(config_.profile);
    const Profile profile = LoadProfile(profile_name, env);

    PipelineTarget resolved;
    resolved.region = ResolveRegion(
        config_.region.empty() ? std::nullopt : std::optional<std::string>(config_.region), profile,
        env);
    EndpointSettings endpoint;
    endpoint.endpoint_url = config_.endpoint_url;
    endpoint.use_fips = config_.use_fips;
    endpoint.use_dual_stack = config_.use_dual_stack;
    resolved.url = ResolveEndpoint(resolved.region, endpoint, profile, env);
    auto parsed = ParseUrl(resolved.url);
    if (!parsed)
      throw ConfigurationError("endpoint URL '" + resolved.url +
                               "' is not an absolute http:// or https:// URL");
    resolved.endpoint = *parsed;
    resolved.url =
        resolved.endpoint.scheme + "://" + resolved.endpoint.HostHeader() + resolved.endpoint.path;
    resolved.retry_policy =
        config_.retry_policy ? config_.retry_policy : MakeRetryPolicy(config_.retry, profile, env);
    resolved.transport = config_.transport;
#if REKOGNITION_WITH_CURL
    if (!resolved.transport) {
      CurlTransportOptions options = config_.transport_options;
      if (options.ca_bundle.empty()) {
        if (auto bundle = NonEmptyEnv(env, "AWS_CA_BUNDLE"))
          options.ca_bundle = *bundle;
        else if (auto key = profile.Get("ca_bundle"))
          options.ca_bundle = *key;
      }
      resolved.transport = std::make_shared<CurlTransport>(options);
    }
#endif
    if (!resolved.transport)
      throw ConfigurationError(
          "no transport: this build has no libcurl; set ClientConfig::transport");
    resolved_ = std::move(resolved);
    resolved_ready_.store(true, std::memory_order_release);
  });
  return resolved_;
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CLIENT_CORE_HPP
// ---- end rekognition/client_core.hpp
// ---- begin rekognition/lifecycle/paginators.hpp
// rekognition-cpp: paginators (every page of DescribeProjects and
// DescribeProjectVersions) and finding a model version from its ARN.
#ifndef REKOGNITION_LIFECYCLE_PAGINATORS_HPP
#define REKOGNITION_LIFECYCLE_PAGINATORS_HPP

#include <set>
#include <string>
#include <utility>
#include <vector>




// ---- begin rekognition/rekognition_api.hpp
// rekognition-cpp: the abstract interface of the operations, for mocking.
#ifndef REKOGNITION_REKOGNITION_API_HPP
#define REKOGNITION_REKOGNITION_API_HPP

#include <cstdio>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <utility>







REKOGNITION_NAMESPACE_BEGIN

/// The operations of the client as an interface. Code that calls Rekognition
/// takes a `RekognitionApi&`; production passes a Client, unit tests a fake
/// or a mock. Implementations say whether they are thread-safe (Client is).
///
/// DetectCustomLabels is pure virtual. The model lifecycle operations have
/// default implementations that throw Error with code "NotImplemented", so a
/// fake only needs the operations its code under test calls.
///
/// Every operation also has two asynchronous forms: one returning a
/// std::future, one taking a Completion and returning a CallHandle that can
/// cancel the call. Their defaults run the blocking operation on the calling
/// thread and complete before returning, so a fake's blocking operations
/// serve its asynchronous callers too; Client overrides them with calls on
/// its I/O thread.
class RekognitionApi {
 public:
  virtual ~RekognitionApi() = default;
  /// Detects custom labels; see Client::DetectCustomLabels for what it throws.
  virtual DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& request) = 0;
  /// Describes projects (one page); see Client::DescribeProjects.
  virtual DescribeProjectsResult DescribeProjects(const DescribeProjectsRequest& request) {
    (void)request;
    throw NotImplemented("DescribeProjects");
  }
  /// Describes versions of a project (one page); see Client::DescribeProjectVersions.
  virtual DescribeProjectVersionsResult DescribeProjectVersions(
      const DescribeProjectVersionsRequest& request) {
    (void)request;
    throw NotImplemented("DescribeProjectVersions");
  }
  /// Starts a model version; see Client::StartProjectVersion.
  virtual StartProjectVersionResult StartProjectVersion(const StartProjectVersionRequest& request) {
    (void)request;
    throw NotImplemented("StartProjectVersion");
  }
  /// Stops a model version; see Client::StopProjectVersion.
  virtual StopProjectVersionResult StopProjectVersion(const StopProjectVersionRequest& request) {
    (void)request;
    throw NotImplemented("StopProjectVersion");
  }
  // The asynchronous forms (see the class comment). The future holds the
  // result or the exception the blocking form throws; the completion gets
  // them as an Outcome.
  /// DetectCustomLabels, asynchronously: the future gets what DetectCustomLabels returns or throws.
  virtual std::future<DetectCustomLabelsResult> DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request) {
    return Now<DetectCustomLabelsResult>([&] { return DetectCustomLabels(request); });
  }
  /// DetectCustomLabels, asynchronously: `done` gets the result or the error.
  virtual CallHandle DetectCustomLabelsAsync(const DetectCustomLabelsRequest& request,
                                             Completion<DetectCustomLabelsResult> done) {
    return Now<DetectCustomLabelsResult>([&] { return DetectCustomLabels(request); }, done);
  }
  /// DescribeProjects, asynchronously: the future gets what DescribeProjects returns or throws.
  virtual std::future<DescribeProjectsResult> DescribeProjectsAsync(
      const DescribeProjectsRequest& request) {
    return Now<DescribeProjectsResult>([&] { return DescribeProjects(request); });
  }
  /// DescribeProjects, asynchronously: `done` gets the result or the error.
  virtual CallHandle DescribeProjectsAsync(const DescribeProjectsRequest& request,
                                           Completion<DescribeProjectsResult> done) {
    return Now<DescribeProjectsResult>([&] { return DescribeProjects(request); }, done);
  }
  /// DescribeProjectVersions, asynchronously: the future gets what DescribeProjectVersions returns
  /// or throws.
  virtual std::future<DescribeProjectVersionsResult> DescribeProjectVersionsAsync(
      const DescribeProjectVersionsRequest& request) {
    return Now<DescribeProjectVersionsResult>([&] { return DescribeProjectVersions(request); });
  }
  /// DescribeProjectVersions, asynchronously: `done` gets the result or the error.
  virtual CallHandle DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request,
                                                  Completion<DescribeProjectVersionsResult> done) {
    return Now<DescribeProjectVersionsResult>([&] { return DescribeProjectVersions(request); },
                                              done);
  }
  /// StartProjectVersion, asynchronously: the future gets what StartProjectVersion returns or
  /// throws.
  virtual std::future<StartProjectVersionResult> StartProjectVersionAsync(
      const StartProjectVersionRequest& request) {
    return Now<StartProjectVersionResult>([&] { return StartProjectVersion(request); });
  }
  /// StartProjectVersion, asynchronously: `done` gets the result or the error.
  virtual CallHandle StartProjectVersionAsync(const StartProjectVersionRequest& request,
                                              Completion<StartProjectVersionResult> done) {
    return Now<StartProjectVersionResult>([&] { return StartProjectVersion(request); }, done);
  }
  /// StopProjectVersion, asynchronously: the future gets what StopProjectVersion returns or throws.
  virtual std::future<StopProjectVersionResult> StopProjectVersionAsync(
      const StopProjectVersionRequest& request) {
    return Now<StopProjectVersionResult>([&] { return StopProjectVersion(request); });
  }
  /// StopProjectVersion, asynchronously: `done` gets the result or the error.
  virtual CallHandle StopProjectVersionAsync(const StopProjectVersionRequest& request,
                                             Completion<StopProjectVersionResult> done) {
    return Now<StopProjectVersionResult>([&] { return StopProjectVersion(request); }, done);
  }

  /// Reports a problem that cannot be thrown (e.g. a RunningModel that failed
  /// to stop its model in its destructor). Default: one line on stderr.
  /// Client sends it to ClientConfig::log when set. Must not throw.
  virtual void Warn(const std::string& line) noexcept {
    std::fprintf(stderr, "rekognition: %s\n", line.c_str());
  }

 private:
  // The default asynchronous forms: the blocking call, completed at once.
  template <typename R, typename F>
  static std::future<R> Now(F&& call) {
    std::promise<R> promise;
    try {
      promise.set_value(call());
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
    return promise.get_future();
  }
  template <typename R, typename F>
  static CallHandle Now(F&& call, Completion<R>& done) {
    std::optional<Outcome<R>> outcome;
    try {
      outcome.emplace(Outcome<R>::Success(call()));
    } catch (...) {
      outcome.emplace(Outcome<R>::Failure(std::current_exception()));
    }
    if (done) done(std::move(*outcome));  // outside the try: runs once
    return CallHandle();
  }

  static Error NotImplemented(const char* operation) {
    return Error(ErrorInfo{"NotImplemented",
                           std::string(operation) + " is not implemented by this RekognitionApi", 0,
                           "", 0, false});
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_REKOGNITION_API_HPP
// ---- end rekognition/rekognition_api.hpp



REKOGNITION_NAMESPACE_BEGIN

namespace detail {

/// Runs `call(request)` page after page, following NextToken as
/// rekognition-paginators-1.json says (input and output token "NextToken"),
/// and passes each page to `on_page`. Stops when a page has no token or
/// `on_page` returns false. A token the service sent before would loop
/// forever: that throws Error "PaginationError", as botocore does.
template <typename Request, typename Call, typename OnPage>
int ForEachPage(Request request, Call&& call, OnPage&& on_page) {
  std::set<std::string> seen;
  if (request.next_token) seen.insert(*request.next_token);
  for (int pages = 1;; ++pages) {
    auto page = call(request);
    std::optional<std::string> token = page.next_token;
    if (!on_page(std::move(page)) || !token || token->empty()) return pages;
    if (!seen.insert(*token).second)
      throw Error(ErrorInfo{"PaginationError",
                            "the service sent the same NextToken twice (" +
                                QuoteForMessage(*token, 64) + "); stopping instead of looping",
                            0, "", 0, false});
    request.next_token = std::move(token);
  }
}

}  // namespace detail

/// Calls DescribeProjects for every page of `request` (starting from its
/// next_token, if any) and passes each page to `on_page(DescribeProjectsResult)`,
/// which returns true to go on or false to stop. Returns the pages fetched.
/// Throws what DescribeProjects throws, and Error "PaginationError" when the
/// service repeats a token. Thread-safe if `api` is.
template <typename OnPage>
int ForEachDescribeProjectsPage(RekognitionApi& api, DescribeProjectsRequest request,
                                OnPage&& on_page) {
  return detail::ForEachPage(
      std::move(request),
      [&api](const DescribeProjectsRequest& r) { return api.DescribeProjects(r); },
      std::forward<OnPage>(on_page));
}

/// Like ForEachDescribeProjectsPage, for DescribeProjectVersions.
template <typename OnPage>
int ForEachDescribeProjectVersionsPage(RekognitionApi& api, DescribeProjectVersionsRequest request,
                                       OnPage&& on_page) {
  return detail::ForEachPage(
      std::move(request),
      [&api](const DescribeProjectVersionsRequest& r) { return api.DescribeProjectVersions(r); },
      std::forward<OnPage>(on_page));
}

/// Every project `request` describes, across all pages. Throws like
/// ForEachDescribeProjectsPage. Thread-safe if `api` is.
REKOGNITION_INLINE std::vector<ProjectDescription> ListProjects(
    RekognitionApi& api, DescribeProjectsRequest request = {}) {
  std::vector<ProjectDescription> all;
  ForEachDescribeProjectsPage(api, std::move(request), [&all](DescribeProjectsResult page) {
    for (auto& project : page.project_descriptions) all.push_back(std::move(project));
    return true;
  });
  return all;
}

/// Every version `request` describes, across all pages. Throws like
/// ForEachDescribeProjectVersionsPage. Thread-safe if `api` is.
REKOGNITION_INLINE std::vector<ProjectVersionDescription> ListProjectVersions(
    RekognitionApi& api, DescribeProjectVersionsRequest request) {
  std::vector<ProjectVersionDescription> all;
  ForEachDescribeProjectVersionsPage(api, std::move(request),
                                     [&all](DescribeProjectVersionsResult page) {
                                       for (auto& version : page.project_version_descriptions)
                                         all.push_back(std::move(version));
                                       return true;
                                     });
  return all;
}

/// A model version found from its ARN.
struct FoundProjectVersion {
  std::string project_arn;            ///< the project's ARN, as the service reports it
  ProjectVersionArnParts parts;       ///< the version ARN split up
  ProjectVersionDescription version;  ///< the version as DescribeProjectVersions describes it
};

/// Finds a model version from its ARN. The project ARN cannot be derived from
/// the version ARN (their trailing numbers are different creation times), so
/// this calls DescribeProjects filtered by the project name parsed from the
/// ARN, then DescribeProjectVersions of that project with the version name,
/// following every page. Throws ValidationError (field ProjectVersionArn)
/// for a malformed ARN, ResourceNotFoundException when no project or
/// version matches, and whatever the calls throw. Thread-safe if `api` is.
REKOGNITION_INLINE FoundProjectVersion FindProjectVersion(RekognitionApi& api,
                                                          const std::string& version_arn) {
  if (auto failure = detail::CheckProjectVersionArn("ProjectVersionArn", version_arn))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
  FoundProjectVersion found;
  found.parts = *ParseProjectVersionArn(version_arn);
  const std::string project_suffix = ":project/" + found.parts.project_name + "/";

  DescribeProjectsRequest projects;
  projects.project_names = {found.parts.project_name};
  for (const ProjectDescription& project : ListProjects(api, projects)) {
    // The filter is the service's; check the name anyway.
    const auto at = project.project_arn.rfind(project_suffix);
    if (at != std::string::npos &&
        project.project_arn.find('/', at + project_suffix.size()) == std::string::npos) {
      found.project_arn = project.project_arn;
      break;
    }
  }
  if (found.project_arn.empty())
    throw ResourceNotFoundException(
        ErrorInfo{"ResourceNotFoundException",
                  "no project named '" + found.parts.project_name + "' (from " + version_arn + ")",
                  0, "", 0, false});

  DescribeProjectVersionsRequest versions;
  versions.project_arn = found.project_arn;
  versions.version_names = {found.parts.version_name};
  for (ProjectVersionDescription& version : ListProjectVersions(api, versions)) {
    if (version.project_version_arn == version_arn) {
      found.version = std::move(version);
      return found;
    }
  }
  throw ResourceNotFoundException(ErrorInfo{
      "ResourceNotFoundException",
      "project " + found.project_arn + " has no model version " + version_arn, 0, "", 0, false});
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_PAGINATORS_HPP
// ---- end rekognition/lifecycle/paginators.hpp
// ---- begin rekognition/lifecycle/running_model.hpp
// rekognition-cpp: RunningModel, a guard that starts a model version, waits
// until it runs, and stops it again, so a billed model is never left running.
#ifndef REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP
#define REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>



// ---- begin rekognition/lifecycle/waiters.hpp
// rekognition-cpp: waiters for model versions (botocore's
// ProjectVersionRunning and ProjectVersionTrainingCompleted, and
// ProjectVersionStopped), with injectable clock and sleep and cancellation.
#ifndef REKOGNITION_LIFECYCLE_WAITERS_HPP
#define REKOGNITION_LIFECYCLE_WAITERS_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>






REKOGNITION_NAMESPACE_BEGIN

/// A flag that cancels waits. Copies share the flag. Cancel() is one atomic
/// store, so it may be called from any thread and from a signal handler.
/// Thread-safe.
class CancellationToken {
 public:
  CancellationToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  /// Asks every wait using this token to stop at its next check (at most
  /// 50 ms later with the default sleep). No throw; async-signal-safe.
  void Cancel() const noexcept { flag_->store(true); }
  /// True once Cancel() was called. No throw.
  bool cancelled() const noexcept { return flag_->load(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

/// One poll of a waiter, as reported to WaiterOptions::on_status.
struct WaiterProgress {
  std::string_view waiter;  ///< e.g. "ProjectVersionRunning"
  int attempt = 0;          ///< this poll, from 1
  int max_attempts = 0;
  std::chrono::milliseconds elapsed{0};  ///< since the wait began (waiter clock)
  /// The versions the poll described (one per version name asked for).
  std::vector<ProjectVersionDescription> descriptions;
};

/// How a waiter polls. Unset members take the waiter's defaults (botocore's:
/// 30 s and 40 attempts until running, 120 s and 360 attempts until trained).
struct WaiterOptions {
  /// Time between polls (fractions of a second allowed).
  std::optional<std::chrono::milliseconds> delay;
  /// Polls before giving up, >= 1.
  std::optional<int> max_attempts;
  /// Overall limit: no poll starts after it (the last sleep is shortened to
  /// end at it). Unset: only max_attempts limits the wait.
  std::optional<std::chrono::milliseconds> timeout;
  /// Stops the wait (WaiterCancelledError) at the next check.
  CancellationToken cancellation;
  /// The waiter's clock. Null: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> clock;
  /// Sleeps between polls. Null: sleeps in slices of at most 50 ms, checking
  /// the cancellation token. Tests inject one that advances their clock.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Called after every poll with what it saw. Must not throw.
  std::function<void(const WaiterProgress&)> on_status;
};

/// A waiter did not reach its success state. what() names the waiter, the
/// reason and the last status seen.
class WaiterError : public Error {
 public:
  WaiterError(std::string code, std::string message, int attempts,
              std::vector<ProjectVersionDescription> last)
      : Error(ErrorInfo{std::move(code), std::move(message), 0, "", attempts, false}),
        last_(std::move(last)) {}
  /// The descriptions of the last poll (empty when none succeeded).
  const std::vector<ProjectVersionDescription>& last_descriptions() const noexcept { return last_; }

 private:
  std::vector<ProjectVersionDescription> last_;
};

/// A failure state was reached (e.g. FAILED while waiting for RUNNING);
/// message() carries the version's StatusMessage. Code "WaiterFailure".
class WaiterFailureError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

/// max_attempts or the timeout ran out. Code "WaiterTimeout".
class WaiterTimeoutError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

/// The wait was cancelled. Code "WaiterCancelled".
class WaiterCancelledError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

namespace detail {

/// A waiter definition: botocore's acceptors on
/// ProjectVersionDescriptions[].Status (success when all match, failure when
/// any matches).
struct ProjectVersionWaiter {
  std::string_view name;
  ProjectVersionStatus success;
  ProjectVersionStatus failure;
  std::chrono::milliseconds delay;
  int max_attempts;
};

inline constexpr ProjectVersionWaiter kRunningWaiter{
    "ProjectVersionRunning", ProjectVersionStatus::kRunning, ProjectVersionStatus::kFailed,
    std::chrono::milliseconds(30000), 40};
inline constexpr ProjectVersionWaiter kTrainingCompletedWaiter{
    "ProjectVersionTrainingCompleted", ProjectVersionStatus::kTrainingCompleted,
    ProjectVersionStatus::kTrainingFailed, std::chrono::milliseconds(120000), 360};
inline constexpr ProjectVersionWaiter kStoppedWaiter{
    "ProjectVersionStopped", ProjectVersionStatus::kStopped, ProjectVersionStatus::kFailed,
    std::chrono::milliseconds(30000), 40};

REKOGNITION_INLINE std::string DescribeStatuses(
    const std::vector<ProjectVersionDescription>& descriptions) {
  if (descriptions.empty()) return "no version described";
  std::string out;
  for (const auto& d : descriptions) {
    if (!out.empty()) out += ", ";
    out += d.status_text.empty() ? std::string("(no status)") : d.status_text;
  }
  return out;
}

REKOGNITION_INLINE DescribeProjectVersionsResult Wait(RekognitionApi& api,
                                                      const DescribeProjectVersionsRequest& request,
                                                      const ProjectVersionWaiter& waiter,
                                                      const WaiterOptions& options) {
  using std::chrono::milliseconds;
  const milliseconds delay = options.delay.value_or(waiter.delay);
  const int max_attempts = options.max_attempts.value_or(waiter.max_attempts);
  if (max_attempts < 1)
    throw ValidationError(
        "max_attempts", ">= 1",
        "WaiterOptions::max_attempts must be at least 1, got " + std::to_string(max_attempts));
  if (delay.count() < 0)
    throw ValidationError("delay", ">= 0", "WaiterOptions::delay must not be negative");
  const auto clock = options.clock ? options.clock
                                   : std::function<std::chrono::steady_clock::time_point()>(
                                         [] { return std::chrono::steady_clock::now(); });
  const CancellationToken& cancel = options.cancellation;
  const auto sleep = [&](milliseconds d) {
    if (options.sleep) return options.sleep(d);
    const auto until = std::chrono::steady_clock::now() + d;
    while (!cancel.cancelled()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= until) return;
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(until - now, milliseconds(50)));
    }
  };
  const auto started = clock();
  const auto elapsed = [&] { return std::chrono::duration_cast<milliseconds>(clock() - started); };
  const std::string name(waiter.name);
  std::vector<ProjectVersionDescription> last;
  const auto cancelled = [&](int attempts) {
    return WaiterCancelledError("WaiterCancelled",
                                "waiter " + name + " cancelled after " + std::to_string(attempts) +
                                    " poll(s); last status: " + DescribeStatuses(last),
                                attempts, last);
  };
  for (int attempt = 1;; ++attempt) {
    if (cancel.cancelled()) throw cancelled(attempt - 1);
    DescribeProjectVersionsResult result = api.DescribeProjectVersions(request);
    last = result.project_version_descriptions;
    if (options.on_status)
      options.on_status(WaiterProgress{waiter.name, attempt, max_attempts, elapsed(), last});
    bool all = !last.empty();
    for (const auto& d : last) {
      if (d.status == waiter.failure) {
        const std::string why = d.status_message ? ": " + *d.status_message : std::string();
        throw WaiterFailureError(
            "WaiterFailure",
            "waiter " + name + ": " + d.project_version_arn + " is " + d.status_text + why, attempt,
            last);
      }
      if (d.status != waiter.success) all = false;
    }
    if (all) return result;
    if (attempt >= max_attempts)
      throw WaiterTimeoutError("WaiterTimeout",
                               "waiter " + name + ": max attempts (" +
                                   std::to_string(max_attempts) +
                                   ") exceeded; last status: " + DescribeStatuses(last),
                               attempt, last);
    milliseconds wait = delay;
    if (options.timeout) {
      const milliseconds left = *options.timeout - elapsed();
      if (left.count() <= 0)
        throw WaiterTimeoutError("WaiterTimeout",
                                 "waiter " + name + ": timed out after " +
                                     std::to_string(elapsed().count()) +
                                     " ms; last status: " + DescribeStatuses(last),
                                 attempt, last);
      wait = std::min(wait, left);
    }
    if (cancel.cancelled()) throw cancelled(attempt);
    sleep(wait);
  }
}

}  // namespace detail

/// Polls DescribeProjectVersions(`request`) until every version described is
/// RUNNING (botocore's ProjectVersionRunning: every 30 s, 40 attempts, fails
/// on FAILED). Returns the last result. Throws WaiterFailureError (FAILED,
/// with the StatusMessage), WaiterTimeoutError, WaiterCancelledError, and
/// whatever DescribeProjectVersions throws. Thread-safe if `api` is.
REKOGNITION_INLINE DescribeProjectVersionsResult
WaitUntilProjectVersionRunning(RekognitionApi& api, const DescribeProjectVersionsRequest& request,
                               const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kRunningWaiter, options);
}

/// Polls until every version described is TRAINING_COMPLETED (botocore's
/// ProjectVersionTrainingCompleted: every 120 s, 360 attempts, fails on
/// TRAINING_FAILED). Throws like WaitUntilProjectVersionRunning.
REKOGNITION_INLINE DescribeProjectVersionsResult WaitUntilProjectVersionTrainingCompleted(
    RekognitionApi& api, const DescribeProjectVersionsRequest& request,
    const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kTrainingCompletedWaiter, options);
}

/// Polls until every version described is STOPPED (every 30 s, 40 attempts,
/// fails on FAILED). Throws like WaitUntilProjectVersionRunning.
REKOGNITION_INLINE DescribeProjectVersionsResult
WaitUntilProjectVersionStopped(RekognitionApi& api, const DescribeProjectVersionsRequest& request,
                               const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kStoppedWaiter, options);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_WAITERS_HPP
// ---- end rekognition/lifecycle/waiters.hpp





REKOGNITION_NAMESPACE_BEGIN

/// When a RunningModel stops its model.
enum class StopPolicy {
  kStopIfStartedHere,  ///< only if this guard started it (the default)
  kAlways,             ///< even if it was already starting or running
  kNever,              ///< never (the caller stops it)
};

/// How a RunningModel starts and waits.
struct RunningModelOptions {
  /// MinInferenceUnits of the start (>= 1).
  std::int64_t min_inference_units = 1;
  /// MaxInferenceUnits of the start; unset: not sent (no auto-scaling).
  std::optional<std::int64_t> max_inference_units;
  /// When the model is stopped.
  StopPolicy stop_policy = StopPolicy::kStopIfStartedHere;
  /// How to wait until RUNNING (and until STOPPED, when the model was
  /// STOPPING): delay, attempts, timeout, cancellation, clock, sleep, status.
  WaiterOptions wait;
};

/// Starts a model version unless it is already STARTING or RUNNING, waits
/// until it is RUNNING, and on destruction stops it if the policy says so
/// (by default: only if this guard started it):
///
///     rekognition::Client client;
///     {
///       rekognition::RunningModel model(client, version_arn);
///       ... client.DetectCustomLabels(...) ...
///     }  // StopProjectVersion sent here, also when an exception leaves the scope
///
/// The model is found with FindProjectVersion (DescribeProjects, then
/// DescribeProjectVersions). A model that is STOPPING is waited for until
/// STOPPED, then started. If the wait fails, times out or is cancelled, a
/// model this guard started is stopped (per the policy) before the error is
/// rethrown; one that ended FAILED is not running and is left alone.
///
/// Not copyable or movable. Not thread-safe itself (one owner), though the
/// RekognitionApi it uses may be shared.
class RunningModel {
 public:
  /// Starts (if needed) and waits. Throws ValidationError for a malformed
  /// ARN or options, ResourceNotFoundException when the version does not
  /// exist, WaiterFailureError / WaiterTimeoutError / WaiterCancelledError
  /// from the wait, and whatever the calls throw.
  RunningModel(RekognitionApi& api, std::string version_arn, RunningModelOptions options = {});

  /// Stops the model if the policy says so and Stop() was not called. Never
  /// throws: a failure is reported loudly through RekognitionApi::Warn
  /// (ClientConfig::log for a Client, else stderr), with the command that
  /// stops the model by hand.
  ~RunningModel();

  RunningModel(const RunningModel&) = delete;
  RunningModel& operator=(const RunningModel&) = delete;

  /// Does now what the destructor would do, reporting errors by throwing:
  /// sends StopProjectVersion when the policy says so (and returns true), or
  /// nothing (false). Either way the destructor does nothing afterwards,
  /// unless the stop threw (then it tries again).
  bool Stop();

  /// True when this guard sent StartProjectVersion.
  bool started_here() const noexcept { return started_here_; }
  /// The model version ARN.
  const std::string& version_arn() const noexcept { return version_arn_; }
  /// The project ARN, as DescribeProjects reported it.
  const std::string& project_arn() const noexcept { return project_arn_; }
  /// The version as last described (RUNNING once constructed).
  const ProjectVersionDescription& description() const noexcept { return description_; }

 private:
  bool ShouldStop() const noexcept {
    return options_.stop_policy == StopPolicy::kAlways ||
           (options_.stop_policy == StopPolicy::kStopIfStartedHere && started_here_);
  }
  void WarnStopFailed(const std::string& why) noexcept;
  void WarnMayBeRunning(const std::string& what) noexcept;

  RekognitionApi& api_;
  std::string version_arn_;
  RunningModelOptions options_;
  std::string project_arn_;
  ProjectVersionDescription description_;
  bool started_here_ = false;
  bool done_ = false;
};

REKOGNITION_INLINE RunningModel::RunningModel(RekognitionApi& api, std::string version_arn,
                                              RunningModelOptions options)
    : api_(api), version_arn_(std::move(version_arn)), options_(std::move(options)) {
  FoundProjectVersion found = FindProjectVersion(api_, version_arn_);
  project_arn_ = found.project_arn;
  description_ = std::move(found.version);
  DescribeProjectVersionsRequest describe;
  describe.project_arn = project_arn_;
  describe.version_names = {found.parts.version_name};

  const ProjectVersionStatus status = description_.status;
  if (status != ProjectVersionStatus::kStarting && status != ProjectVersionStatus::kRunning) {
    if (status == ProjectVersionStatus::kStopping)
      WaitUntilProjectVersionStopped(api_, describe, options_.wait);
    StartProjectVersionRequest start;
    start.project_version_arn = version_arn_;
    start.min_inference_units = options_.min_inference_units;
    start.max_inference_units = options_.max_inference_units;
    try {
      api_.StartProjectVersion(start);
    } catch (const Error& e) {
      // A start that timed out, or whose retry was refused, may still have
      // been accepted by the service: the model may be starting, billed,
      // with nobody to stop it. Say so, and how to stop it.
      const bool maybe_accepted = dynamic_cast<const TransportError*>(&e) != nullptr ||
                                  (dynamic_cast<const ServiceError*>(&e) && e.attempts() > 1);
      if (maybe_accepted && options_.stop_policy != StopPolicy::kNever)
        WarnMayBeRunning(std::string("StartProjectVersion failed (") + e.what() +
                         ") after a request reached the service");
      throw;
    }
    started_here_ = true;
  }
  try {
    DescribeProjectVersionsResult running =
        WaitUntilProjectVersionRunning(api_, describe, options_.wait);
    if (!running.project_version_descriptions.empty())
      description_ = running.project_version_descriptions.front();
  } catch (const WaiterFailureError&) {
    throw;  // FAILED: not running, nothing to stop
  } catch (...) {
    // The destructor will not run: stop here what the destructor would have.
    if (ShouldStop()) {
      try {
        StopProjectVersionRequest stop;
        stop.project_version_arn = version_arn_;
        api_.StopProjectVersion(stop);
      } catch (const std::exception& e) {
        WarnStopFailed(e.what());
      } catch (...) {
        WarnStopFailed("unknown exception");
      }
    }
    throw;
  }
}

REKOGNITION_INLINE bool RunningModel::Stop() {
  if (done_) return false;
  if (!ShouldStop()) {
    done_ = true;
    return false;
  }
  StopProjectVersionRequest stop;
  stop.project_version_arn = version_arn_;
  api_.StopProjectVersion(stop);
  done_ = true;
  return true;
}

REKOGNITION_INLINE void RunningModel::WarnStopFailed(const std::string& why) noexcept {
  try {
    WarnMayBeRunning("FAILED TO STOP model version " + version_arn_ + ": " + why);
  } catch (...) {
  }
}

REKOGNITION_INLINE void RunningModel::WarnMayBeRunning(const std::string& what) noexcept {
  try {
    api_.Warn(what +
              ". It may still be running and billed by the hour. Stop it with: aws rekognition "
              "stop-project-version --project-version-arn " +
              version_arn_);
  } catch (...) {
  }
}

REKOGNITION_INLINE RunningModel::~RunningModel() {
  try {
    Stop();
  } catch (const std::exception& e) {
    WarnStopFailed(e.what());
  } catch (...) {
    WarnStopFailed("unknown exception");
  }
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP
// ---- end rekognition/lifecycle/running_model.hpp
// ---- begin rekognition/client.hpp
// rekognition-cpp: the Rekognition Custom Labels client.
//
// Header-only (the default), this header brings the whole library. In compiled
// mode (REKOGNITION_COMPILED, see version.hpp) it declares the client only:
// its definitions, and libcurl's, OpenSSL's and RapidJSON's headers, are in
// the one translation unit that defines REKOGNITION_IMPLEMENTATION.
#ifndef REKOGNITION_CLIENT_HPP
#define REKOGNITION_CLIENT_HPP

#include <future>
#include <memory>
#include <string>









REKOGNITION_NAMESPACE_BEGIN

namespace detail {
class ClientCore;
}  // namespace detail

/// The Rekognition Custom Labels client. A cheap copyable value: copies share
/// one connection pool, retry quota and credentials cache. Thread-safe: one
/// client may serve any number of threads at once. Constructing it never
/// touches the network; configuration is resolved at the first call.
class Client : public RekognitionApi {
  // Each virtual function is declared REKOGNITION_COMPILED_INLINE so that, in
  // header-only mode, only a translation unit that constructs a Client
  // compiles the operations (see version.hpp).
 public:
  /// A client configured from `config`, the environment and the defaults.
  explicit Client(ClientConfig config = {});

  /// Detects custom labels in an image with a running model version.
  /// Validates the request first (throws ValidationError, nothing sent), then
  /// signs and sends it, retrying per the retry policy. Throws
  /// ConfigurationError / CredentialsError when the configuration is
  /// unusable, TransportError when no response arrived, and the ServiceError
  /// subclass matching the service's error code otherwise.
  REKOGNITION_COMPILED_INLINE DetectCustomLabelsResult
  DetectCustomLabels(const DetectCustomLabelsRequest& request) override;

  /// Describes projects, one page per call (see ListProjects for every
  /// page). Filter with request.project_names. Validates first (throws
  /// ValidationError, nothing sent); then throws like DetectCustomLabels,
  /// with InvalidPaginationTokenException for a bad NextToken. Thread-safe.
  REKOGNITION_COMPILED_INLINE DescribeProjectsResult
  DescribeProjects(const DescribeProjectsRequest& request) override;

  /// Describes the versions of a project, one page per call (see
  /// ListProjectVersions for every page). Throws like DescribeProjects, and
  /// ResourceNotFoundException for an unknown project. Thread-safe.
  REKOGNITION_COMPILED_INLINE DescribeProjectVersionsResult
  DescribeProjectVersions(const DescribeProjectVersionsRequest& request) override;

  /// Starts a model version; it is billed by the hour until stopped (see
  /// RunningModel). Returns at once with the status (STARTING); wait with
  /// WaitUntilProjectVersionRunning. Throws ValidationError before sending,
  /// ResourceInUseException when the version cannot start now,
  /// LimitExceededException, ResourceNotFoundException, and the other
  /// errors of DetectCustomLabels. Thread-safe.
  REKOGNITION_COMPILED_INLINE StartProjectVersionResult
  StartProjectVersion(const StartProjectVersionRequest& request) override;

  /// Stops a model version. Returns at once with the status (STOPPING).
  /// Throws like StartProjectVersion. Thread-safe.
  REKOGNITION_COMPILED_INLINE StopProjectVersionResult
  StopProjectVersion(const StopProjectVersionRequest& request) override;

  // Asynchronous forms. Each prepares, validates and signs on the calling
  // thread, then sends on the client's one I/O thread (started by the first
  // asynchronous call; libcurl's multi interface for the default transport),
  // where retries wait on timers. At most ClientConfig::max_in_flight run at
  // once; the rest queue. The outcome is what the blocking form returns or
  // throws; a request that fails validation or configuration completes
  // before the call returns. Destroying the last copy of the client waits
  // for the calls in flight (cancel them first to hurry it). Thread-safe.

  /// DetectCustomLabels on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DetectCustomLabelsResult> DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request) override;
  /// DetectCustomLabels on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request, Completion<DetectCustomLabelsResult> done) override;
  /// DescribeProjects on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DescribeProjectsResult> DescribeProjectsAsync(
      const DescribeProjectsRequest& request) override;
  /// DescribeProjects on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle DescribeProjectsAsync(
      const DescribeProjectsRequest& request, Completion<DescribeProjectsResult> done) override;
  /// DescribeProjectVersions on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DescribeProjectVersionsResult>
  DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request) override;
  /// DescribeProjectVersions on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle
  DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request,
                               Completion<DescribeProjectVersionsResult> done) override;
  /// StartProjectVersion on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<StartProjectVersionResult> StartProjectVersionAsync(
      const StartProjectVersionRequest& request) override;
  /// StartProjectVersion on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle
  StartProjectVersionAsync(const StartProjectVersionRequest& request,
                           Completion<StartProjectVersionResult> done) override;
  /// StopProjectVersion on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<StopProjectVersionResult> StopProjectVersionAsync(
      const StopProjectVersionRequest& request) override;
  /// StopProjectVersion on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle StopProjectVersionAsync(
      const StopProjectVersionRequest& request, Completion<StopProjectVersionResult> done) override;

  /// Sends `line` to ClientConfig::log, else writes it to stderr. Never
  /// throws. Thread-safe if the callback is.
  REKOGNITION_COMPILED_INLINE void Warn(const std::string& line) noexcept override;

  /// The configuration the client was built with (unresolved members empty).
  const ClientConfig& config() const noexcept;

  /// The endpoint URL calls go to, as resolved by the first call (from code,
  /// environment, profile or the endpoint rules); empty until a call has
  /// resolved it. Thread-safe.
  std::string endpoint_url() const;

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

REKOGNITION_NAMESPACE_END

#if !REKOGNITION_DECLARATIONS_ONLY


REKOGNITION_NAMESPACE_BEGIN

REKOGNITION_COMPILED_INLINE Client::Client(ClientConfig config)
    : core_(std::make_shared<detail::ClientCore>(std::move(config))) {}

REKOGNITION_COMPILED_INLINE DetectCustomLabelsResult
Client::DetectCustomLabels(const DetectCustomLabelsRequest& request) {
  return core_->Call<DetectCustomLabelsOperation>(request);
}

REKOGNITION_COMPILED_INLINE DescribeProjectsResult
Client::DescribeProjects(const DescribeProjectsRequest& request) {
  return core_->Call<DescribeProjectsOperation>(request);
}

REKOGNITION_COMPILED_INLINE DescribeProjectVersionsResult
Client::DescribeProjectVersions(const DescribeProjectVersionsRequest& request) {
  return core_->Call<DescribeProjectVersionsOperation>(request);
}

REKOGNITION_COMPILED_INLINE StartProjectVersionResult
Client::StartProjectVersion(const StartProjectVersionRequest& request) {
  return core_->Call<StartProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE StopProjectVersionResult
Client::StopProjectVersion(const StopProjectVersionRequest& request) {
  return core_->Call<StopProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE std::future<DetectCustomLabelsResult> Client::DetectCustomLabelsAsync(
    const DetectCustomLabelsRequest& request) {
  return core_->Future<DetectCustomLabelsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DetectCustomLabelsAsync(
    const DetectCustomLabelsRequest& request, Completion<DetectCustomLabelsResult> done) {
  return core_->Submit<DetectCustomLabelsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<DescribeProjectsResult> Client::DescribeProjectsAsync(
    const DescribeProjectsRequest& request) {
  return core_->Future<DescribeProjectsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DescribeProjectsAsync(
    const DescribeProjectsRequest& request, Completion<DescribeProjectsResult> done) {
  return core_->Submit<DescribeProjectsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<DescribeProjectVersionsResult>
Client::DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request) {
  return core_->Future<DescribeProjectVersionsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DescribeProjectVersionsAsync(
    const DescribeProjectVersionsRequest& request, Completion<DescribeProjectVersionsResult> done) {
  return core_->Submit<DescribeProjectVersionsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<StartProjectVersionResult> Client::StartProjectVersionAsync(
    const StartProjectVersionRequest& request) {
  return core_->Future<StartProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::StartProjectVersionAsync(
    const StartProjectVersionRequest& request, Completion<StartProjectVersionResult> done) {
  return core_->Submit<StartProjectVersionOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<StopProjectVersionResult> Client::StopProjectVersionAsync(
    const StopProjectVersionRequest& request) {
  return core_->Future<StopProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::StopProjectVersionAsync(
    const StopProjectVersionRequest& request, Completion<StopProjectVersionResult> done) {
  return core_->Submit<StopProjectVersionOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE void Client::Warn(const std::string& line) noexcept {
  try {
    if (core_->config().log) {
      core_->config().log(line);
      return;
    }
  } catch (...) {
  }
  RekognitionApi::Warn(line);
}

REKOGNITION_COMPILED_INLINE const ClientConfig& Client::config() const noexcept {
  return core_->config();
}

REKOGNITION_COMPILED_INLINE std::string Client::endpoint_url() const {
  return core_->ResolvedEndpointUrl();
}

REKOGNITION_NAMESPACE_END
#endif  // !REKOGNITION_DECLARATIONS_ONLY

#if !REKOGNITION_COMPILED_MODE
// The model lifecycle helpers work on any RekognitionApi, a Client included.
// (In compiled mode include <rekognition/lifecycle/...> where they are used.)



#endif

#endif  // REKOGNITION_CLIENT_HPP
// ---- end rekognition/client.hpp
// ---- begin rekognition/testing/expected_request.hpp
// rekognition-cpp: what a test expects a DetectCustomLabels request to look
// like, with a wildcard per field, and a readable diff against the real one.
#ifndef REKOGNITION_TESTING_EXPECTED_REQUEST_HPP
#define REKOGNITION_TESTING_EXPECTED_REQUEST_HPP

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>






// ---- begin rekognition/testing/stub_assertion_error.hpp
// rekognition-cpp: the failure the test doubles (Stubber, ReplayTransport)
// report when the code under test did not call the service as expected.
#ifndef REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP
#define REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>



REKOGNITION_NAMESPACE_BEGIN

/// One request member that differs from what a test expected. Values are
/// already formatted for reading: strings quoted, unset optionals as
/// "(not set)", image bytes as size and SHA-256 prefix.
struct FieldDifference {
  std::string field;     ///< AWS member name, e.g. "MinConfidence"
  std::string expected;  ///< what the test queued
  std::string actual;    ///< what the code under test sent
};

/// Thrown by the test doubles when the code under test made a call the test
/// did not expect: a request that differs from the queued expectation, a
/// call with nothing queued, an unknown operation, or responses left over.
///
/// Deliberately NOT a rekognition::Error: production code that catches
/// rekognition::Error (to log and carry on) cannot swallow a failed test
/// expectation by accident. It derives from std::logic_error so any test
/// framework prints what() for it. what() lists every differing field on its
/// own line; differences() gives them as data. Never contains image bytes.
class StubAssertionError : public std::logic_error {
 public:
  /// An assertion failure with a full message and, for request mismatches,
  /// the differing fields.
  explicit StubAssertionError(const std::string& message,
                              std::vector<FieldDifference> differences = {})
      : std::logic_error(message), differences_(std::move(differences)) {}

  /// The fields that differ (empty when the failure is not a mismatch).
  const std::vector<FieldDifference>& differences() const noexcept { return differences_; }

 private:
  std::vector<FieldDifference> differences_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP
// ---- end rekognition/testing/stub_assertion_error.hpp



REKOGNITION_NAMESPACE_BEGIN

/// The wildcard: a field expected to be `Any{}` matches whatever was sent,
/// including nothing. Thread-safe (no state).
struct Any {
  bool operator==(const Any&) const noexcept { return true; }
  bool operator!=(const Any&) const noexcept { return false; }
};

/// One expected field: either a value the request must carry exactly, or
/// Any{}. For optional members the value may be std::nullopt, meaning "must
/// not be set". Implicitly built from a value or from Any{}, so
/// `expected.min_confidence = 80;` and `expected.image = Any{};` both read
/// naturally. Numbers compare exactly (the wire format round-trips doubles).
/// Thread-safe for concurrent readers.
template <typename T>
class Expect {
 public:
  /// Matches anything.
  Expect(Any) noexcept {}  // NOLINT(google-explicit-constructor): the point is implicitness

  /// Matches exactly `value` (anything T can be built from).
  template <typename U, typename = std::enable_if_t<!std::is_same_v<std::decay_t<U>, Any> &&
                                                    !std::is_same_v<std::decay_t<U>, Expect> &&
                                                    std::is_constructible_v<T, U&&>>>
  Expect(U&& value)  // NOLINT(google-explicit-constructor)
      : value_(std::in_place, std::forward<U>(value)) {}

  /// True for the wildcard.
  bool is_any() const noexcept { return !value_.has_value(); }

  /// The expected value. Throws std::logic_error for the wildcard.
  const T& value() const {
    if (!value_) throw std::logic_error("Expect::value() called on the Any wildcard");
    return *value_;
  }

  /// True when `actual` satisfies the expectation. No throw beyond T's ==.
  bool Matches(const T& actual) const { return !value_ || *value_ == actual; }

 private:
  std::optional<T> value_;
};

/// The request a test expects the code under test to send. A
/// default-constructed ExpectedRequest matches every request; one built from
/// a DetectCustomLabelsRequest matches exactly that request; then any field
/// can be relaxed to Any{}:
///
///     rekognition::ExpectedRequest expected = request;  // exact
///     expected.image = rekognition::Any{};               // but any image
///
/// Thread-safe for concurrent readers.
struct ExpectedRequest {
  Expect<std::string> project_version_arn = Any{};
  Expect<Image> image = Any{};
  Expect<std::optional<std::int64_t>> max_results = Any{};
  Expect<std::optional<double>> min_confidence = Any{};

  /// Matches any request.
  ExpectedRequest() = default;
  /// Matches exactly `request`, every member included (unset ones must stay
  /// unset). Borrowed image bytes are copied (Image::ToOwned): the
  /// expectation does not depend on the caller's buffer, which may be reused
  /// before the call is made.
  ExpectedRequest(const DetectCustomLabelsRequest& request)  // NOLINT(google-explicit-constructor)
      : project_version_arn(request.project_version_arn),
        image(request.image.ToOwned()),
        max_results(request.max_results),
        min_confidence(request.min_confidence) {}

  /// The fields of `actual` that do not satisfy this expectation, in wire
  /// order, formatted for reading (image bytes by size and SHA-256 prefix).
  /// Empty when the request matches. Thread-safe.
  std::vector<FieldDifference> Mismatches(const DetectCustomLabelsRequest& actual) const;
};

namespace detail {
namespace expect {

/// How many hex digits of the hash DescribeBytes shows: enough to tell two
/// images apart at a glance, short enough to read.
inline constexpr std::size_t kFingerprintPrefix = 12;

/// "N bytes, sha256 0123456789ab..." : names a blob (an image) by size and
/// hash prefix, never by content. Thread-safe.
REKOGNITION_INLINE std::string DescribeBytes(std::string_view bytes) {
  return std::to_string(bytes.size()) + " bytes, sha256 " +
         Sha256Hex(bytes).substr(0, kFingerprintPrefix) + "...";
}

// Long enough for any realistic ARN or key, short enough for a terminal.
inline constexpr std::size_t kDescribeMaxChars = 300;

REKOGNITION_INLINE std::string DescribeText(const std::string& value,
                                            std::size_t max_chars = kDescribeMaxChars) {
  return QuoteForMessage(value, max_chars);
}

REKOGNITION_INLINE std::string DescribeMaxResults(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("(not set)");
}

/// The shortest text that reads back as `value`.
REKOGNITION_INLINE std::string DescribeNumber(double value) {
  char buffer[32];
  return std::string(buffer, FormatShortestDouble(value, buffer));
}

REKOGNITION_INLINE std::string DescribeMinConfidence(const std::optional<double>& value) {
  return value ? DescribeNumber(*value) : std::string("(not set)");
}

/// An image as "Bytes (N bytes, sha256 PREFIX...)" or
/// "S3Object {Bucket: "b", Name: "k", Version: "v"}"; never the bytes.
REKOGNITION_INLINE std::string DescribeImage(const Image& image) {
  std::string out;
  if (const auto bytes = image.Bytes()) out = "Bytes (" + DescribeBytes(*bytes) + ")";
  if (image.s3_object) {
    if (!out.empty()) out += " and ";
    const S3Object& s3 = *image.s3_object;
    out += "S3Object {Bucket: " + DescribeText(s3.bucket) + ", Name: " + DescribeText(s3.name);
    if (s3.version) out += ", Version: " + DescribeText(*s3.version);
    out += "}";
  }
  return out.empty() ? std::string("(no image)") : out;
}

/// One line naming every member of `request`, for "unexpected call" reports.
REKOGNITION_INLINE std::string DescribeRequest(const DetectCustomLabelsRequest& request) {
  return "ProjectVersionArn=" + DescribeText(request.project_version_arn) +
         ", Image=" + DescribeImage(request.image) +
         ", MaxResults=" + DescribeMaxResults(request.max_results) +
         ", MinConfidence=" + DescribeMinConfidence(request.min_confidence);
}

/// The differences as an indented block, one field per stanza (no final
/// newline):
///   MinConfidence
///     expected: 80
///     actual:   70
REKOGNITION_INLINE std::string FormatDifferences(const std::vector<FieldDifference>& differences) {
  std::string out;
  for (const FieldDifference& d : differences) {
    if (!out.empty()) out += "\n";
    out += "  " + d.field + "\n";
    out += "    expected: " + d.expected + "\n";
    out += "    actual:   " + d.actual;
  }
  return out;
}

}  // namespace expect
}  // namespace detail

REKOGNITION_INLINE std::vector<FieldDifference> ExpectedRequest::Mismatches(
    const DetectCustomLabelsRequest& actual) const {
  std::vector<FieldDifference> out;
  if (!project_version_arn.Matches(actual.project_version_arn))
    out.push_back({"ProjectVersionArn", detail::expect::DescribeText(project_version_arn.value()),
                   detail::expect::DescribeText(actual.project_version_arn)});
  if (!image.Matches(actual.image))
    out.push_back({"Image", detail::expect::DescribeImage(image.value()),
                   detail::expect::DescribeImage(actual.image)});
  if (!max_results.Matches(actual.max_results))
    out.push_back({"MaxResults", detail::expect::DescribeMaxResults(max_results.value()),
                   detail::expect::DescribeMaxResults(actual.max_results)});
  if (!min_confidence.Matches(actual.min_confidence))
    out.push_back({"MinConfidence", detail::expect::DescribeMinConfidence(min_confidence.value()),
                   detail::expect::DescribeMinConfidence(actual.min_confidence)});
  return out;
}

namespace detail {
namespace expect {

/// One request member as (wire name, readable value).
using RenderedField = std::pair<std::string, std::string>;

REKOGNITION_INLINE std::string DescribeOptionalText(const std::optional<std::string>& value,
                                                    std::size_t max_chars) {
  return value ? DescribeText(*value, max_chars) : std::string("(not set)");
}
REKOGNITION_INLINE std::string DescribeOptionalInteger(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("(not set)");
}
REKOGNITION_INLINE std::string DescribeList(const std::vector<std::string>& values,
                                            std::size_t max_chars) {
  if (values.empty()) return "(not set)";
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + DescribeText(values[i], max_chars);
  return out + "]";
}

/// The members of each lifecycle request, in wire order.
REKOGNITION_INLINE std::vector<RenderedField> Fields(const DescribeProjectsRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"NextToken", DescribeOptionalText(r.next_token, n)},
          {"MaxResults", DescribeOptionalInteger(r.max_results)},
          {"ProjectNames", DescribeList(r.project_names, n)},
          {"Features", DescribeList(r.features, n)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const DescribeProjectVersionsRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectArn", DescribeText(r.project_arn, n)},
          {"VersionNames", DescribeList(r.version_names, n)},
          {"NextToken", DescribeOptionalText(r.next_token, n)},
          {"MaxResults", DescribeOptionalInteger(r.max_results)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const StartProjectVersionRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectVersionArn", DescribeText(r.project_version_arn, n)},
          {"MinInferenceUnits", std::to_string(r.min_inference_units)},
          {"MaxInferenceUnits", DescribeOptionalInteger(r.max_inference_units)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const StopProjectVersionRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectVersionArn", DescribeText(r.project_version_arn, n)}};
}

/// One line naming every member, for "unexpected call" reports.
template <typename Request>
std::string DescribeFields(const Request& request) {
  std::string out;
  for (const RenderedField& field : Fields(request))
    out += (out.empty() ? "" : ", ") + field.first + "=" + field.second;
  return out;
}

}  // namespace expect
}  // namespace detail

/// What a test expects a model lifecycle request (DescribeProjects,
/// DescribeProjectVersions, StartProjectVersion, StopProjectVersion) to look
/// like. Default-constructed: any request. Built from a request: exactly
/// that request (unset members must stay unset); Ignore() then relaxes
/// members by their wire name:
///
///     rekognition::ExpectedCall<rekognition::DescribeProjectVersionsRequest> expected = request;
///     expected.Ignore("NextToken");
///
/// Thread-safe for concurrent readers.
template <typename Request>
class ExpectedCall {
 public:
  /// Matches any request.
  ExpectedCall() = default;
  /// Matches exactly `request`.
  ExpectedCall(Request request)  // NOLINT(google-explicit-constructor)
      : request_(std::move(request)) {}

  /// Accepts any value of the member named `field` (e.g. "NextToken").
  /// Throws std::invalid_argument for a name the request does not have.
  ExpectedCall& Ignore(const std::string& field) {
    bool known = false;
    for (const auto& f : detail::expect::Fields(Request{})) known = known || f.first == field;
    if (!known) throw std::invalid_argument("ExpectedCall::Ignore: no member named " + field);
    ignored_.push_back(field);
    return *this;
  }

  /// The members of `actual` that differ from the expectation, in wire
  /// order. Empty when it matches. Thread-safe.
  std::vector<FieldDifference> Mismatches(const Request& actual) const {
    std::vector<FieldDifference> out;
    if (!request_) return out;
    // Compared in full, shown shortened.
    constexpr std::size_t kWhole = static_cast<std::size_t>(-1);
    const auto expected = detail::expect::Fields(*request_, kWhole);
    const auto got = detail::expect::Fields(actual, kWhole);
    const auto expected_shown = detail::expect::Fields(*request_);
    const auto got_shown = detail::expect::Fields(actual);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (std::find(ignored_.begin(), ignored_.end(), expected[i].first) != ignored_.end())
        continue;
      if (expected[i].second != got[i].second)
        out.push_back({expected[i].first, expected_shown[i].second, got_shown[i].second});
    }
    return out;
  }

 private:
  std::optional<Request> request_;
  std::vector<std::string> ignored_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_EXPECTED_REQUEST_HPP
// ---- end rekognition/testing/expected_request.hpp
// ---- begin rekognition/testing/recording_transport.hpp
// rekognition-cpp: record real HTTP interactions to a JSON file, and replay
// them later in tests that must not reach AWS.
#ifndef REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP
#define REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>











REKOGNITION_NAMESPACE_BEGIN

/// A recording file could not be read, parsed or written. Not a
/// rekognition::Error: it is a problem of the test setup, not of a call.
class RecordingError : public std::runtime_error {
 public:
  /// An error with a message naming the file and the reason.
  explicit RecordingError(const std::string& message) : std::runtime_error(message) {}
};

/// One request/response pair as stored in a recording. Secrets are already
/// redacted: `request_headers` has Authorization, X-Amz-Security-Token and
/// every other secret-looking header replaced by "<redacted>", `url` has
/// presigning query parameters (X-Amz-Signature, X-Amz-Credential,
/// X-Amz-Security-Token) replaced too, and the bodies of credentials
/// exchanges (STS, IAM Identity Center) have their tokens and keys replaced.
struct RecordedInteraction {
  std::string method;
  std::string url;
  std::string target;  ///< the X-Amz-Target header, e.g. "RekognitionService.DetectCustomLabels"
  HttpHeaders request_headers;
  /// The body as sent, except that Image.Bytes is replaced by
  /// "<image omitted: N bytes, sha256 HEX>" unless the recording kept images.
  std::string request_body;
  /// SHA-256 (hex) of the body exactly as sent; the replay key.
  std::string request_body_sha256;
  /// The response as received (secret-looking headers redacted), or the
  /// transport failure.
  HttpResult result;
};

/// How a RecordingTransport writes its file.
struct RecordingOptions {
  /// Store Image.Bytes as sent (base64) instead of its size and SHA-256.
  /// Default false: recordings stay small and images stay out of the
  /// repository; replay matches on the SHA-256 of the whole body anyway, so
  /// it is unaffected.
  bool keep_image_bytes = false;
  /// More header names to redact (case-insensitive), on top of the built-in
  /// rules (Authorization, X-Amz-Security-Token, Cookie, Set-Cookie and any
  /// name containing auth, token, secret, signature, credential, password,
  /// session or api-key, and any value that carries a SigV4 signature).
  std::vector<std::string> redact_headers;
};

/// How a ReplayTransport picks the recorded answer for a request.
enum class ReplayMatching {
  /// Strictly in recorded order: request N must have the target and body
  /// SHA-256 of interaction N. Retries replay exactly as recorded.
  kInOrder,
  /// The first not-yet-replayed interaction with the same target and body
  /// SHA-256, whatever its position: for code that sends requests from
  /// several threads. Identical requests are still answered in recorded order.
  kByRequest,
};

/// How a ReplayTransport behaves.
struct ReplayOptions {
  ReplayMatching matching = ReplayMatching::kInOrder;
};

namespace detail {
// The helpers of this header get their own namespace: the amalgamated header
// puts every detail function in one translation unit.
namespace recording {

inline constexpr const char* kRecordingFormat = "rekognition-cpp/recording";
inline constexpr int kRecordingVersion = 1;
inline constexpr const char* kRedacted = "<redacted>";
inline constexpr std::string_view kOmittedPrefix = "<image omitted: ";

/// True for headers whose value must never be written to a recording.
REKOGNITION_INLINE bool IsSecretHeader(std::string_view name, std::string_view value,
                                       const std::vector<std::string>& extra) {
  const std::string lower = detail::AsciiLower(name);
  for (const std::string& other : extra)
    if (EqualsIgnoreCase(other, name)) return true;
  if (lower == "cookie" || lower == "set-cookie") return true;
  constexpr std::string_view kParts[] = {"auth",      "token",      "secret",
                                         "signature", "credential", "password",
                                         "session",   "api-key",    "apikey"};
  for (std::string_view part : kParts)
    if (lower.find(part) != std::string::npos) return true;
  // A value that carries a SigV4 signature, whatever the header is called.
  return value.find("AWS4-HMAC-SHA256") != std::string_view::npos ||
         value.find("Signature=") != std::string_view::npos;
}

REKOGNITION_INLINE HttpHeaders RedactHeaders(const HttpHeaders& headers,
                                             const std::vector<std::string>& extra) {
  HttpHeaders out = headers;
  for (auto& header : out)
    if (IsSecretHeader(header.first, header.second, extra)) header.second = kRedacted;
  return out;
}

/// The URL with the values of presigning query parameters replaced.
REKOGNITION_INLINE std::string RedactUrl(const std::string& url) {
  const std::size_t query = url.find('?');
  if (query == std::string::npos) return url;
  std::string out = url.substr(0, query + 1);
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    const std::string key = detail::AsciiLower(pair.substr(0, equals));
    if (equals != std::string::npos &&
        (key == "x-amz-signature" || key == "x-amz-credential" || key == "x-amz-security-token")) {
      out += pair.substr(0, equals + 1) + "REDACTED";
    } else {
      out += pair;
    }
    if (end < url.size()) out += '&';
    start = end + 1;
  }
  return out;
}

/// The request body with the base64 of Image.Bytes replaced by a
/// placeholder naming its decoded size and SHA-256. Bodies that are not a
/// JSON object with a string Image.Bytes, or already carry the placeholder,
/// are returned unchanged.
REKOGNITION_INLINE std::string OmitImageBytes(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::string(body);
  const auto image = doc.FindMember("Image");
  if (image == doc.MemberEnd() || !image->value.IsObject()) return std::string(body);
  const auto bytes = image->value.FindMember("Bytes");
  if (bytes == image->value.MemberEnd() || !bytes->value.IsString()) return std::string(body);
  const std::string_view encoded(bytes->value.GetString(), bytes->value.GetStringLength());
  if (encoded.substr(0, kOmittedPrefix.size()) == kOmittedPrefix) return std::string(body);
  std::string raw;
  if (!Base64Decode(encoded, raw)) raw.assign(encoded);
  const std::string placeholder = std::string(kOmittedPrefix) + std::to_string(raw.size()) +
                                  " bytes, sha256 " + Sha256Hex(raw) + ">";
  // Base64 needs no JSON escaping, so the literal appears verbatim in the body.
  const std::string literal = "\"" + std::string(encoded) + "\"";
  const std::size_t at = body.find(literal);
  if (at == std::string_view::npos) return std::string(body);
  std::string out(body.substr(0, at));
  out += "\"" + placeholder + "\"";
  out += body.substr(at + literal.size());
  return out;
}

/// A body with the secrets of credentials exchanges replaced by
/// "<redacted>": STS form parameters (WebIdentityToken, TokenCode), XML
/// elements (SecretAccessKey, SessionToken) and JSON string members (secret
/// keys, session, access and refresh tokens, client secrets) of STS, IAM
/// Identity Center, SSO OIDC and container credentials answers. Other bodies
/// come back unchanged.
REKOGNITION_INLINE std::string RedactCredentialSecrets(std::string body) {
  auto replace = [&body](std::size_t from, std::size_t to) {
    body.replace(from, to - from, kRedacted);
    return from + std::string_view(kRedacted).size();
  };
  for (std::string_view name : {"WebIdentityToken=", "TokenCode="}) {
    for (std::size_t at = body.find(name); at != std::string::npos; at = body.find(name, at)) {
      if (at != 0 && body[at - 1] != '&') {
        at += name.size();
        continue;
      }
      const std::size_t from = at + name.size();
      const std::size_t to = std::min(body.find('&', from), body.size());
      at = replace(from, to);
    }
  }
  for (std::string_view name : {"SecretAccessKey", "SessionToken"}) {
    const std::string open = "<" + std::string(name) + ">";
    const std::string close = "</" + std::string(name) + ">";
    for (std::size_t at = body.find(open); at != std::string::npos; at = body.find(open, at)) {
      const std::size_t from = at + open.size();
      const std::size_t to = body.find(close, from);
      if (to == std::string::npos) break;
      at = replace(from, to);
    }
  }
  for (std::string_view name :
       {"SecretAccessKey", "SessionToken", "Token", "secretAccessKey", "sessionToken",
        "accessToken", "refreshToken", "clientSecret", "idToken"}) {
    const std::string key = "\"" + std::string(name) + "\"";
    for (std::size_t at = body.find(key); at != std::string::npos; at = body.find(key, at)) {
      std::size_t from = at + key.size();
      while (from < body.size() && (body[from] == ' ' || body[from] == '\n' || body[from] == '\t'))
        ++from;
      if (from >= body.size() || body[from] != ':') {
        at = from;
        continue;
      }
      ++from;
      while (from < body.size() && (body[from] == ' ' || body[from] == '\n' || body[from] == '\t'))
        ++from;
      if (from >= body.size() || body[from] != '"') {
        at = from;
        continue;
      }
      std::size_t to = ++from;
      while (to < body.size() && body[to] != '"') to += body[to] == '\\' ? 2 : 1;
      if (to > body.size()) break;
      at = replace(from, to) + 1;
    }
  }
  return body;
}

/// The inverse of ToString(TransportErrorKind); kOther for unknown names.
REKOGNITION_INLINE TransportErrorKind ParseTransportErrorKind(std::string_view name) noexcept {
  constexpr TransportErrorKind kKinds[] = {
      TransportErrorKind::kDnsFailure,      TransportErrorKind::kConnectFailure,
      TransportErrorKind::kTlsFailure,      TransportErrorKind::kTimeout,
      TransportErrorKind::kConnectionReset, TransportErrorKind::kCancelled};
  for (TransportErrorKind kind : kKinds)
    if (name == ToString(kind)) return kind;
  return TransportErrorKind::kOther;
}

using RecordingWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

REKOGNITION_INLINE void WriteJsonString(RecordingWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

REKOGNITION_INLINE void WriteHeaders(RecordingWriter& writer, const HttpHeaders& headers) {
  writer.Key("headers");
  writer.StartArray();
  for (const auto& header : headers) {
    writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    writer.StartArray();
    WriteJsonString(writer, header.first);
    WriteJsonString(writer, header.second);
    writer.EndArray();
  }
  writer.SetFormatOptions(rapidjson::kFormatDefault);
  writer.EndArray();
}

// Bodies are stored as text when they are valid UTF-8 (readable diffs in
// code review) and as base64 otherwise (the file must stay valid JSON).
REKOGNITION_INLINE void WriteBody(RecordingWriter& writer, std::string_view body) {
  if (Utf8CodePoints(body)) {
    writer.Key("body");
    WriteJsonString(writer, body);
  } else {
    writer.Key("body_base64");
    WriteJsonString(writer, Base64Encode(body));
  }
}

/// The whole recording file as text: pretty-printed, members in a fixed
/// order, so re-recording the same calls gives a small diff.
REKOGNITION_INLINE std::string RecordingToJson(const std::vector<RecordedInteraction>& interactions,
                                               bool keep_image_bytes) {
  rapidjson::StringBuffer buffer;
  RecordingWriter writer(buffer);
  writer.SetIndent(' ', 2);
  writer.StartObject();
  writer.Key("format");
  writer.String(kRecordingFormat);
  writer.Key("version");
  writer.Int(kRecordingVersion);
  writer.Key("image_bytes");
  writer.String(keep_image_bytes ? "kept" : "sha256");
  writer.Key("interactions");
  writer.StartArray();
  for (const RecordedInteraction& interaction : interactions) {
    writer.StartObject();
    writer.Key("request");
    writer.StartObject();
    writer.Key("method");
    WriteJsonString(writer, interaction.method);
    writer.Key("url");
    WriteJsonString(writer, interaction.url);
    writer.Key("target");
    WriteJsonString(writer, interaction.target);
    writer.Key("body_sha256");
    WriteJsonString(writer, interaction.request_body_sha256);
    WriteHeaders(writer, interaction.request_headers);
    WriteBody(writer, interaction.request_body);
    writer.EndObject();
    if (const auto* response = std::get_if<HttpResponse>(&interaction.result)) {
      writer.Key("response");
      writer.StartObject();
      writer.Key("status");
      writer.Int(response->status);
      WriteHeaders(writer, response->headers);
      WriteBody(writer, response->body);
      writer.EndObject();
    } else {
      const auto& failure = std::get<TransportFailure>(interaction.result);
      writer.Key("failure");
      writer.StartObject();
      writer.Key("kind");
      writer.String(ToString(failure.kind));
      writer.Key("native_code");
      writer.Int(failure.native_code);
      writer.Key("message");
      WriteJsonString(writer, failure.message);
      writer.EndObject();
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

REKOGNITION_INLINE const rapidjson::Value& RequireMember(const rapidjson::Value& object,
                                                         const char* name,
                                                         const std::string& where) {
  if (!object.IsObject()) throw RecordingError(where + " is not a JSON object");
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd())
    throw RecordingError(where + " has no \"" + std::string(name) + "\" member");
  return member->value;
}

REKOGNITION_INLINE std::string RequireString(const rapidjson::Value& object, const char* name,
                                             const std::string& where) {
  const rapidjson::Value& value = RequireMember(object, name, where);
  if (!value.IsString()) throw RecordingError(where + "." + name + " is not a string");
  return std::string(value.GetString(), value.GetStringLength());
}

REKOGNITION_INLINE int RequireInt(const rapidjson::Value& object, const char* name,
                                  const std::string& where) {
  const rapidjson::Value& value = RequireMember(object, name, where);
  if (!value.IsInt()) throw RecordingError(where + "." + name + " is not an integer");
  return value.GetInt();
}

REKOGNITION_INLINE HttpHeaders ReadHeaders(const rapidjson::Value& object,
                                           const std::string& where) {
  const rapidjson::Value& array = RequireMember(object, "headers", where);
  if (!array.IsArray()) throw RecordingError(where + ".headers is not an array");
  HttpHeaders headers;
  for (const auto& pair : array.GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString())
      throw RecordingError(where + ".headers has an entry that is not [name, value]");
    headers.emplace_back(std::string(pair[0].GetString(), pair[0].GetStringLength()),
                         std::string(pair[1].GetString(), pair[1].GetStringLength()));
  }
  return headers;
}

REKOGNITION_INLINE std::string ReadBody(const rapidjson::Value& object, const std::string& where) {
  if (object.IsObject() && object.HasMember("body_base64")) {
    std::string body;
    if (!Base64Decode(RequireString(object, "body_base64", where), body))
      throw RecordingError(where + ".body_base64 is not valid base64");
    return body;
  }
  return RequireString(object, "body", where);
}

/// Parses recording text; `name` labels errors. Throws RecordingError.
REKOGNITION_INLINE std::vector<RecordedInteraction> RecordingFromJson(std::string_view text,
                                                                      const std::string& name) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(
      text.data(), text.size());
  if (doc.HasParseError())
    throw RecordingError(name + ": invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) +
                         ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  if (RequireString(doc, "format", name) != kRecordingFormat)
    throw RecordingError(name + ": not a rekognition-cpp recording (\"format\" is not \"" +
                         std::string(kRecordingFormat) + "\")");
  const int version = RequireInt(doc, "version", name);
  if (version != kRecordingVersion)
    throw RecordingError(name + ": recording version " + std::to_string(version) +
                         " is not supported (this library reads version " +
                         std::to_string(kRecordingVersion) + ")");
  const rapidjson::Value& array = RequireMember(doc, "interactions", name);
  if (!array.IsArray()) throw RecordingError(name + ": \"interactions\" is not an array");
  std::vector<RecordedInteraction> out;
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    const std::string where = name + ": interactions[" + std::to_string(i) + "]";
    const rapidjson::Value& item = array[i];
    const rapidjson::Value& request = RequireMember(item, "request", where);
    const std::string request_where = where + ".request";
    RecordedInteraction interaction;
    interaction.method = RequireString(request, "method", request_where);
    interaction.url = RequireString(request, "url", request_where);
    interaction.target = RequireString(request, "target", request_where);
    interaction.request_body_sha256 = RequireString(request, "body_sha256", request_where);
    interaction.request_headers = ReadHeaders(request, request_where);
    interaction.request_body = ReadBody(request, request_where);
    if (item.HasMember("response")) {
      const rapidjson::Value& response = item["response"];
      const std::string response_where = where + ".response";
      HttpResponse http;
      http.status = RequireInt(response, "status", response_where);
      http.headers = ReadHeaders(response, response_where);
      http.body = ReadBody(response, response_where);
      interaction.result = std::move(http);
    } else {
      const rapidjson::Value& failure = RequireMember(item, "failure", where);
      const std::string failure_where = where + ".failure";
      TransportFailure transport;
      transport.kind = ParseTransportErrorKind(RequireString(failure, "kind", failure_where));
      transport.native_code = RequireInt(failure, "native_code", failure_where);
      transport.message = RequireString(failure, "message", failure_where);
      interaction.result = std::move(transport);
    }
    out.push_back(std::move(interaction));
  }
  return out;
}

/// Writes `text` to `path` through a temporary file and a rename, so a
/// crash mid-write never leaves a half-written recording. Throws RecordingError.
REKOGNITION_INLINE void WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw RecordingError("cannot write recording '" + temporary + "'");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw RecordingError("cannot write recording '" + temporary + "'");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw RecordingError("cannot rename '" + temporary + "' to '" + path + "'");
  }
}

/// The top-level members of two JSON request bodies that differ, as compact
/// JSON; a single "body" entry when either is not a JSON object.
REKOGNITION_INLINE std::vector<FieldDifference> DiffJsonBodies(std::string_view recorded,
                                                               std::string_view actual) {
  const auto compact = [](const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    std::string text(buffer.GetString(), buffer.GetSize());
    if (text.size() > expect::kDescribeMaxChars)
      text = text.substr(0, expect::kDescribeMaxChars) + "...";
    return text;
  };
  rapidjson::Document a, b;
  a.Parse(recorded.data(), recorded.size());
  b.Parse(actual.data(), actual.size());
  if (a.HasParseError() || b.HasParseError() || !a.IsObject() || !b.IsObject())
    return {{"body", QuoteForMessage(recorded, expect::kDescribeMaxChars),
             QuoteForMessage(actual, expect::kDescribeMaxChars)}};
  std::vector<FieldDifference> out;
  for (const auto& member : a.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    const auto other = b.FindMember(member.name);
    if (other == b.MemberEnd()) {
      out.push_back({name, compact(member.value), "(not set)"});
    } else if (compact(member.value) != compact(other->value)) {
      out.push_back({name, compact(member.value), compact(other->value)});
    }
  }
  for (const auto& member : b.GetObject())
    if (!a.HasMember(member.name))
      out.push_back({std::string(member.name.GetString(), member.name.GetStringLength()),
                     "(not set)", compact(member.value)});
  return out;
}

}  // namespace recording
}  // namespace detail

/// Reads a recording file written by RecordingTransport or SaveRecording.
/// Throws RecordingError naming the file and what is wrong. Thread-safe.
REKOGNITION_INLINE std::vector<RecordedInteraction> LoadRecording(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingError("cannot read recording '" + path + "'");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return detail::recording::RecordingFromJson(text, path);
}

/// Writes `interactions` to `path` (replacing it) in the recording format.
/// Redacts nothing itself: pass interactions made by RecordingTransport.
/// Throws RecordingError. Thread-safe for distinct paths.
REKOGNITION_INLINE void SaveRecording(const std::string& path,
                                      const std::vector<RecordedInteraction>& interactions,
                                      bool keep_image_bytes = false) {
  detail::recording::WriteFileAtomically(
      path, detail::recording::RecordingToJson(interactions, keep_image_bytes));
}

/// An HttpTransport that forwards every request to `inner` (the real
/// transport, or a local endpoint) and records each request/response pair to
/// a JSON file, rewriting the whole file after every exchange so it is
/// complete even if the test dies. Each attempt (retries included) is one
/// interaction. What is stored, and what is not:
///   - Authorization, X-Amz-Security-Token and every secret-looking header
///     are replaced by "<redacted>" (see RecordingOptions::redact_headers),
///     so no secret key, session token or signature is ever written;
///   - Image.Bytes is replaced by its size and SHA-256 unless
///     RecordingOptions::keep_image_bytes is set;
///   - the SHA-256 of the body as sent is kept, for replay matching.
/// Send throws RecordingError when the file cannot be written (not a network
/// fault: the test setup is broken). Thread-safe if `inner` is.
class RecordingTransport : public HttpTransport {
 public:
  /// Records to `path` (created or replaced at the first exchange).
  /// Throws std::invalid_argument when `inner` is null.
  RecordingTransport(std::shared_ptr<HttpTransport> inner, std::string path,
                     RecordingOptions options = {})
      : inner_(std::move(inner)), path_(std::move(path)), options_(std::move(options)) {
    if (!inner_) throw std::invalid_argument("RecordingTransport needs a transport to forward to");
  }

  /// Forwards the request, records the exchange and returns the result
  /// unchanged.
  HttpResult Send(const HttpRequest& request) override {
    HttpResult result = inner_->Send(request);
    RecordedInteraction interaction;
    interaction.method = request.method;
    interaction.url = detail::recording::RedactUrl(request.url);
    if (const std::string* target = FindHeader(request.headers, "X-Amz-Target"))
      interaction.target = *target;
    interaction.request_headers =
        detail::recording::RedactHeaders(request.headers, options_.redact_headers);
    interaction.request_body = detail::recording::RedactCredentialSecrets(
        options_.keep_image_bytes ? std::string(request.body)
                                  : detail::recording::OmitImageBytes(request.body));
    interaction.request_body_sha256 = detail::Sha256Hex(request.body);
    if (const auto* response = std::get_if<HttpResponse>(&result)) {
      HttpResponse stored = *response;
      stored.headers = detail::recording::RedactHeaders(stored.headers, options_.redact_headers);
      stored.body = detail::recording::RedactCredentialSecrets(std::move(stored.body));
      interaction.result = std::move(stored);
    } else {
      interaction.result = result;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    interactions_.push_back(std::move(interaction));
    SaveRecording(path_, interactions_, options_.keep_image_bytes);
    return result;
  }

  /// The interactions recorded so far (as stored, i.e. redacted). Thread-safe.
  std::vector<RecordedInteraction> interactions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return interactions_;
  }

  /// The file being written.
  const std::string& path() const noexcept { return path_; }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::string path_;
  RecordingOptions options_;
  mutable std::mutex mutex_;
  std::vector<RecordedInteraction> interactions_;
};

/// An HttpTransport that answers from a recording instead of the network,
/// returning each recorded response (status, headers, body) or transport
/// failure exactly as it was received. A request matches an interaction
/// when its X-Amz-Target and the SHA-256 of its body equal the recorded
/// ones (the URL, dates, signatures and invocation ids are ignored, so a
/// recording made against one endpoint replays anywhere); which interaction
/// is tried is set by ReplayOptions::matching. A request that matches
/// nothing, or arrives after the recording is used up, throws
/// StubAssertionError listing the differing body members (image bytes by
/// size and SHA-256). When the request itself changes, record again.
/// Thread-safe.
class ReplayTransport : public HttpTransport {
 public:
  /// Replays the recording at `path`. Throws RecordingError when the file
  /// cannot be read or is not a recording.
  explicit ReplayTransport(const std::string& path, ReplayOptions options = {})
      : ReplayTransport(LoadRecording(path), options, path) {}

  /// Replays `interactions` (e.g. RecordingTransport::interactions()).
  explicit ReplayTransport(std::vector<RecordedInteraction> interactions,
                           ReplayOptions options = {}, std::string name = "recording")
      : interactions_(std::move(interactions)),
        used_(interactions_.size(), false),
        options_(options),
        name_(std::move(name)) {}

  /// Answers `request` from the recording; throws StubAssertionError when it
  /// matches nothing (see the class comment).
  REKOGNITION_INLINE HttpResult Send(const HttpRequest& request) override;

  /// Interactions not replayed yet. Thread-safe.
  std::size_t remaining() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t count = 0;
    for (bool used : used_)
      if (!used) ++count;
    return count;
  }

  /// Throws StubAssertionError when some interactions were never replayed,
  /// or when an earlier request matched nothing (even if that exception was
  /// caught by the code under test). Thread-safe.
  void AssertAllReplayed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failures_.empty()) {
      std::string message = "ReplayTransport: " + std::to_string(failures_.size()) +
                            " request(s) matched no recorded interaction:\n";
      for (std::size_t i = 0; i < failures_.size(); ++i) message += (i ? "\n" : "") + failures_[i];
      throw StubAssertionError(message);
    }
    std::string unused;
    std::size_t count = 0;
    for (std::size_t i = 0; i < used_.size(); ++i)
      if (!used_[i]) {
        ++count;
        unused += "\n  #" + std::to_string(i + 1) + " " + interactions_[i].target;
      }
    if (count != 0)
      throw StubAssertionError("ReplayTransport: " + std::to_string(count) + " interaction(s) of " +
                               name_ + " were never replayed:" + unused);
  }

 private:
  bool Matches(const RecordedInteraction& interaction, const std::string& target,
               const std::string& sha256) const {
    return interaction.target == target && interaction.request_body_sha256 == sha256;
  }

  mutable std::mutex mutex_;
  std::vector<RecordedInteraction> interactions_;
  std::vector<bool> used_;
  ReplayOptions options_;
  std::string name_;
  std::size_t next_ = 0;
  std::size_t calls_ = 0;
  std::vector<std::string> failures_;
};

REKOGNITION_INLINE HttpResult ReplayTransport::Send(const HttpRequest& request) {
  const std::string* target_header = FindHeader(request.headers, "X-Amz-Target");
  const std::string target = target_header ? *target_header : std::string();
  const std::string sha256 = detail::Sha256Hex(request.body);

  std::lock_guard<std::mutex> lock(mutex_);
  const std::size_t call = ++calls_;
  std::optional<std::size_t> found;
  std::optional<std::size_t> closest;  // what the report compares against
  if (options_.matching == ReplayMatching::kInOrder) {
    if (next_ < interactions_.size()) {
      closest = next_;
      if (Matches(interactions_[next_], target, sha256)) found = next_;
    }
  } else {
    for (std::size_t i = 0; i < interactions_.size() && !found; ++i) {
      if (used_[i]) continue;
      if (Matches(interactions_[i], target, sha256))
        found = i;
      else if (!closest && interactions_[i].target == target)
        closest = i;
    }
  }
  if (found) {
    used_[*found] = true;
    if (options_.matching == ReplayMatching::kInOrder) ++next_;
    return interactions_[*found].result;
  }

  std::string message = "ReplayTransport: request #" + std::to_string(call) + " (" +
                        (target.empty() ? std::string("no X-Amz-Target") : target) + ") ";
  std::vector<FieldDifference> differences;
  if (!closest) {
    message += "arrived but no unreplayed interaction of " + name_ +
               (options_.matching == ReplayMatching::kInOrder ? " is left" : " has that target") +
               " (" + std::to_string(interactions_.size()) + " recorded)";
  } else {
    const RecordedInteraction& recorded = interactions_[*closest];
    message += "does not match interaction #" + std::to_string(*closest + 1) + " of " + name_;
    if (recorded.target != target) differences.push_back({"X-Amz-Target", recorded.target, target});
    // Compare in the stored form, so image bytes show as size and hash and
    // no credentials secret is quoted.
    const std::string actual_body =
        detail::recording::RedactCredentialSecrets(detail::recording::OmitImageBytes(request.body));
    const std::string recorded_body = detail::recording::OmitImageBytes(recorded.request_body);
    for (auto& difference : detail::recording::DiffJsonBodies(recorded_body, actual_body))
      differences.push_back(std::move(difference));
    if (differences.empty())
      differences.push_back({"body SHA-256", recorded.request_body_sha256, sha256});
    message +=
        " (expected = recorded, actual = sent):\n" + detail::expect::FormatDifferences(differences);
  }
  failures_.push_back(message);
  throw StubAssertionError(message, std::move(differences));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP
// ---- end rekognition/testing/recording_transport.hpp
// ---- begin rekognition/testing/stub_transport.hpp
// rekognition-cpp: a scripted HttpTransport for unit tests.
#ifndef REKOGNITION_TESTING_STUB_TRANSPORT_HPP
#define REKOGNITION_TESTING_STUB_TRANSPORT_HPP

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>





REKOGNITION_NAMESPACE_BEGIN

/// A request as the stub transport saw it; owns a copy of the body so tests
/// can inspect it after the call returned.
struct RecordedRequest {
  std::string method;
  std::string url;
  HttpHeaders headers;
  std::string body;

  /// The header's value or nullptr (case-insensitive lookup).
  const std::string* Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
  }
};

/// An HttpTransport that answers from a script instead of the network: each
/// Send pops the next queued response, failure or handler, in order, and
/// records the request. With nothing queued, Send returns a kOther failure
/// saying so (never blocks, never throws). Thread-safe.
class StubTransport : public HttpTransport {
 public:
  using Handler = std::function<HttpResult(const HttpRequest&)>;

  /// Queues an HTTP response (any status).
  StubTransport& Respond(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return Push(std::move(response));
  }
  /// Queues a prepared response.
  StubTransport& Respond(HttpResponse response) { return Push(std::move(response)); }
  /// Queues a failure below HTTP (timeout, reset, DNS ...).
  StubTransport& Fail(TransportErrorKind kind, std::string message = "stubbed transport failure") {
    return Push(TransportFailure{kind, 0, std::move(message)});
  }
  /// Queues a function that computes the answer from the request.
  StubTransport& Handle(Handler handler) { return Push(std::move(handler)); }

  /// Every request sent so far, oldest first (copies).
  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// How many answers are still queued.
  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return script_.size();
  }
  /// Sends that found nothing queued.
  std::size_t unexpected_calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return unexpected_calls_;
  }

  HttpResult Send(const HttpRequest& request) override {
    Entry entry;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(
          RecordedRequest{request.method, request.url, request.headers, std::string(request.body)});
      if (script_.empty()) {
        ++unexpected_calls_;
        return TransportFailure{TransportErrorKind::kOther, 0,
                                "StubTransport: request sent but no response was queued"};
      }
      entry = std::move(script_.front());
      script_.pop_front();
    }
    if (auto* handler = std::get_if<Handler>(&entry)) return (*handler)(request);
    if (auto* failure = std::get_if<TransportFailure>(&entry)) return *failure;
    return std::get<HttpResponse>(entry);
  }

 private:
  using Entry = std::variant<HttpResponse, TransportFailure, Handler>;

  StubTransport& Push(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(entry));
    return *this;
  }

  mutable std::mutex mutex_;
  std::deque<Entry> script_;
  std::vector<RecordedRequest> requests_;
  std::size_t unexpected_calls_ = 0;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUB_TRANSPORT_HPP
// ---- end rekognition/testing/stub_transport.hpp
// ---- begin rekognition/testing/stubber.hpp
// rekognition-cpp: the Stubber, a queue of expected calls and their answers
// that plugs in as the client's transport.
#ifndef REKOGNITION_TESTING_STUBBER_HPP
#define REKOGNITION_TESTING_STUBBER_HPP

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>














REKOGNITION_NAMESPACE_BEGIN

/// Extra details of a stubbed HTTP answer.
struct StubResponseOptions {
  /// The x-amzn-RequestId to answer with. Empty: the result's request_id if
  /// it has one, else "stub-request-N" (N = the call's number, from 1).
  std::string request_id;
  /// Headers added to (or replacing those of) the stubbed response, e.g.
  /// {"x-amz-retry-after", "1500"} or a server "Date".
  HttpHeaders headers;
};

namespace detail {

/// The operation the Stubber answers by default.
inline constexpr std::string_view kStubbedTarget = "RekognitionService.DetectCustomLabels";

/// Reads a request body of operation `Op`: returns false with `error` set
/// when the service would not read it, else fills `description` (one line
/// naming every member).
template <typename Op>
bool ReadStubbedRequest(std::string_view body, std::string& description, std::string& error) {
  typename Op::Request request;
  if (!ParseRequest(body, request, error)) return false;
  description = expect::DescribeFields(request);
  return true;
}

/// A lifecycle operation the Stubber answers, and how to read its requests.
struct StubbedOperation {
  std::string_view name;
  std::string_view target;
  bool (*read)(std::string_view body, std::string& description, std::string& error);
};

inline constexpr StubbedOperation kStubbedOperations[] = {
    {DescribeProjectsOperation::kName, DescribeProjectsOperation::kTarget,
     &ReadStubbedRequest<DescribeProjectsOperation>},
    {DescribeProjectVersionsOperation::kName, DescribeProjectVersionsOperation::kTarget,
     &ReadStubbedRequest<DescribeProjectVersionsOperation>},
    {StartProjectVersionOperation::kName, StartProjectVersionOperation::kTarget,
     &ReadStubbedRequest<StartProjectVersionOperation>},
    {StopProjectVersionOperation::kName, StopProjectVersionOperation::kTarget,
     &ReadStubbedRequest<StopProjectVersionOperation>},
};

/// The state shared by a Stubber, its copies and every client it made. It is
/// the HttpTransport: each Send decodes the real, signed request body with
/// the production parser, checks it against the next queued expectation and
/// answers with a real HTTP response built by the production serializer.
class StubberTransport : public HttpTransport {
 public:
  enum class Kind { kResult, kError, kRaw, kFailure };

  struct Entry {
    Kind kind = Kind::kResult;
    std::string_view target = kStubbedTarget;  // the operation it answers
    ExpectedRequest expected;                  // DetectCustomLabels
    // Other operations: compares the parsed request with the expectation.
    std::function<std::vector<FieldDifference>(std::string_view body)> mismatches;
    std::string result_body;  // other operations: the serialized result
    DetectCustomLabelsResult result;
    std::string error_code;
    std::string error_message;
    int http_status = 0;
    StubResponseOptions options;
    HttpResponse raw;
    TransportFailure failure;
    std::string label;  // for reports: "a response", "an error (ThrottlingException)"
  };

  void Push(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(entry));
  }

  REKOGNITION_INLINE HttpResult Send(const HttpRequest& http) override;

  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }
  std::vector<DetectCustomLabelsRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::vector<RecordedRequest> http_requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return http_requests_;
  }
  std::vector<std::string> failures() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }
  void RecordSleep(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(delay);
  }
  std::vector<std::string> PendingLabels() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> labels;
    for (const Entry& entry : queue_) labels.push_back(entry.label);
    return labels;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    requests_.clear();
    http_requests_.clear();
    failures_.clear();
    sleeps_.clear();
    calls_ = 0;
  }

 private:
  // Notes the failure (so AssertNoPendingResponses can report it even if the
  // code under test swallowed the exception) and returns the exception.
  StubAssertionError Fail(std::string message, std::vector<FieldDifference> differences = {}) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      failures_.push_back(message);
    }
    return StubAssertionError(message, std::move(differences));
  }

  static HttpResult Answer(const Entry& entry, std::size_t call_number);
  HttpResult SendOther(const HttpRequest& http, const StubbedOperation& operation);

  mutable std::mutex mutex_;
  std::deque<Entry> queue_;
  std::vector<DetectCustomLabelsRequest> requests_;
  std::vector<RecordedRequest> http_requests_;
  std::vector<std::string> failures_;
  std::vector<std::chrono::milliseconds> sleeps_;
  std::size_t calls_ = 0;
};

/// The awsJson1_1 error body the service sends: {"__type":CODE,"Message":MSG}.
REKOGNITION_INLINE std::string StubErrorBody(const std::string& code, const std::string& message) {
  std::string body = "{\"__type\":";
  const auto sink = [&body](const char* data, std::size_t size) { body.append(data, size); };
  EscapeJsonString(code, sink);
  body += ",\"Message\":";
  EscapeJsonString(message, sink);
  body += "}";
  return body;
}

REKOGNITION_INLINE HttpResult StubberTransport::Answer(const Entry& entry,
                                                       std::size_t call_number) {
  if (entry.kind == Kind::kFailure) return entry.failure;
  if (entry.kind == Kind::kRaw) return entry.raw;
  HttpResponse response;
  std::string request_id = entry.options.request_id;
  if (request_id.empty() && entry.kind == Kind::kResult) request_id = entry.result.request_id;
  if (request_id.empty()) request_id = "stub-request-" + std::to_string(call_number);
  response.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  if (entry.kind == Kind::kResult) {
    response.status = 200;
    response.body =
        entry.target == kStubbedTarget ? SerializeResult(entry.result) : entry.result_body;
  } else {
    response.status = entry.http_status;
    response.headers.emplace_back("x-amzn-ErrorType", entry.error_code);
    response.body = StubErrorBody(entry.error_code, entry.error_message);
  }
  response.headers.emplace_back("Content-Length", std::to_string(response.body.size()));
  for (const auto& header : entry.options.headers)
    SetHeader(response.headers, header.first, header.second);
  return response;
}

REKOGNITION_INLINE HttpResult StubberTransport::Send(const HttpRequest& http) {
  const std::string* target = FindHeader(http.headers, "X-Amz-Target");
  if (target && *target != kStubbedTarget) {
    for (const StubbedOperation& operation : kStubbedOperations)
      if (*target == operation.target) return SendOther(http, operation);
  }
  DetectCustomLabelsRequest actual;
  std::string parse_error;
  const bool parsed = ParseRequest(http.body, actual, parse_error);

  std::size_t call_number = 0;
  Entry entry;
  bool have_entry = false;
  bool queue_empty_for_call = true;
  std::string_view next_target;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    call_number = ++calls_;
    http_requests_.push_back(
        RecordedRequest{http.method, http.url, http.headers, std::string(http.body)});
    if (parsed) requests_.push_back(actual);
    queue_empty_for_call = queue_.empty();
    if (!queue_.empty()) next_target = queue_.front().target;
    if (!queue_.empty() && target && *target == kStubbedTarget && parsed &&
        queue_.front().target == kStubbedTarget) {
      entry = std::move(queue_.front());
      queue_.pop_front();
      have_entry = true;
    }
  }
  const std::string call = "DetectCustomLabels call #" + std::to_string(call_number);
  if (!target || *target != kStubbedTarget)
    throw Fail("Stubber: call #" + std::to_string(call_number) + " is for operation '" +
               (target ? *target : std::string("(no X-Amz-Target header)")) + "'; only " +
               std::string(kStubbedTarget) +
               " and the model lifecycle operations (DescribeProjects, "
               "DescribeProjectVersions, StartProjectVersion, StopProjectVersion) are stubbed");
  if (!queue_empty_for_call && next_target != kStubbedTarget)
    throw Fail("Stubber: " + std::string("DetectCustomLabels call #") +
               std::to_string(call_number) + " arrived, but the next queued answer is for " +
               std::string(next_target));
  if (!parsed)
    throw Fail("Stubber: " + call + " sent a body the service would not read: " + parse_error);
  if (!have_entry)
    throw Fail("Stubber: unexpected " + call +
               ": nothing is queued (add a response or error for every attempt, retries "
               "included). The request was: " +
               detail::expect::DescribeRequest(actual));
  std::vector<FieldDifference> differences = entry.expected.Mismatches(actual);
  if (!differences.empty()) {
    const std::string count = std::to_string(differences.size());
    std::string message = "Stubber: " + call + " does not match the request expected with " +
                          entry.label + " (" + count +
                          (differences.size() == 1 ? " field differs" : " fields differ") + "):\n" +
                          detail::expect::FormatDifferences(differences);
    throw Fail(std::move(message), std::move(differences));
  }
  return Answer(entry, call_number);
}

REKOGNITION_INLINE HttpResult StubberTransport::SendOther(const HttpRequest& http,
                                                          const StubbedOperation& operation) {
  std::string description;
  std::string parse_error;
  const bool parsed = operation.read(http.body, description, parse_error);
  std::size_t call_number = 0;
  Entry entry;
  bool have_entry = false;
  bool queue_empty = true;
  std::string next_label;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    call_number = ++calls_;
    http_requests_.push_back(
        RecordedRequest{http.method, http.url, http.headers, std::string(http.body)});
    queue_empty = queue_.empty();
    if (!queue_empty) next_label = queue_.front().label;
    if (!queue_empty && parsed && queue_.front().target == operation.target) {
      entry = std::move(queue_.front());
      queue_.pop_front();
      have_entry = true;
    }
  }
  const std::string call = std::string(operation.name) + " call #" + std::to_string(call_number);
  if (!parsed)
    throw Fail("Stubber: " + call + " sent a body the service would not read: " + parse_error);
  if (queue_empty)
    throw Fail("Stubber: unexpected " + call +
               ": nothing is queued (add a response or error for every attempt, retries "
               "included). The request was: " +
               description);
  if (!have_entry)
    throw Fail("Stubber: " + call + " arrived, but the next queued answer is " + next_label +
               ". The request was: " + description);
  std::vector<FieldDifference> differences =
      entry.mismatches ? entry.mismatches(http.body) : std::vector<FieldDifference>{};
  if (!differences.empty()) {
    const std::string count = std::to_string(differences.size());
    std::string message = "Stubber: " + call + " does not match the request expected with " +
                          entry.label + " (" + count +
                          (differences.size() == 1 ? " field differs" : " fields differ") + "):\n" +
                          detail::expect::FormatDifferences(differences);
    throw Fail(std::move(message), std::move(differences));
  }
  return Answer(entry, call_number);
}

}  // namespace detail

/// Queues expected DetectCustomLabels calls and their answers, in order, for
/// unit tests of code that calls Rekognition; in the spirit of botocore's
/// Stubber. It plugs in at the transport, so every stubbed answer goes
/// through the real request serializer and signer, the real response parser,
/// error mapping and retry logic: what a test sees is what production would
/// see. Each HTTP attempt consumes one queued entry, so a retried call needs
/// one entry per attempt (e.g. a ThrottlingException, then a response).
///
///     rekognition::Stubber stubber;
///     rekognition::Client client = stubber.MakeClient();
///     stubber.AddResponse(result, expected_request);
///     ... run the code under test with `client` ...
///     stubber.AssertNoPendingResponses();
///
/// A call that does not match its expectation, or finds nothing queued,
/// throws StubAssertionError out of Client::DetectCustomLabels (it is not a
/// rekognition::Error, so production catch clauses do not swallow it) and is
/// also remembered, so AssertNoPendingResponses reports it even if the code
/// under test caught it anyway. Independent of any test framework.
///
/// Copies share one queue. Thread-safe: calls may come from many threads
/// (they consume entries in the order they reach the transport).
class Stubber {
 public:
  /// An empty stubber.
  Stubber() : transport_(std::make_shared<detail::StubberTransport>()) {}

  /// Queues a successful answer carrying `result` (its custom_labels, and
  /// its request_id if set; attempts is computed by the client). The call
  /// that consumes it must match `expected` (default: any request). Returns
  /// *this for chaining. Throws std::bad_alloc only. Thread-safe.
  Stubber& AddResponse(DetectCustomLabelsResult result, ExpectedRequest expected = {},
                       StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kResult;
    entry.result = std::move(result);
    entry.expected = std::move(expected);
    entry.options = std::move(options);
    entry.label = "a response";
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues a successful answer to a model lifecycle call: `result` is a
  /// DescribeProjectsResult, DescribeProjectVersionsResult or
  /// ProjectVersionStatusResult (for StartProjectVersion, pass
  /// `expected` of that request type, or use AddStartResponse /
  /// AddStopResponse). The answering call must be of the operation whose
  /// result type it is and match `expected` (default: any request).
  /// Descriptions with raw_json are sent as that JSON. Thread-safe.
  Stubber& AddResponse(const DescribeProjectsResult& result,
                       ExpectedCall<DescribeProjectsRequest> expected = {},
                       StubResponseOptions options = {}) {
    return Queue<DescribeProjectsOperation>(detail::SerializeResult(result), result.request_id,
                                            std::move(expected), std::move(options));
  }
  /// See the DescribeProjectsResult overload.
  Stubber& AddResponse(const DescribeProjectVersionsResult& result,
                       ExpectedCall<DescribeProjectVersionsRequest> expected = {},
                       StubResponseOptions options = {}) {
    return Queue<DescribeProjectVersionsOperation>(detail::SerializeResult(result),
                                                   result.request_id, std::move(expected),
                                                   std::move(options));
  }
  /// Queues a StartProjectVersion answer ({"Status": ...}). Thread-safe.
  Stubber& AddStartResponse(const StartProjectVersionResult& result,
                            ExpectedCall<StartProjectVersionRequest> expected = {},
                            StubResponseOptions options = {}) {
    return Queue<StartProjectVersionOperation>(detail::SerializeResult(result), result.request_id,
                                               std::move(expected), std::move(options));
  }
  /// Queues a StopProjectVersion answer ({"Status": ...}). Thread-safe.
  Stubber& AddStopResponse(const StopProjectVersionResult& result,
                           ExpectedCall<StopProjectVersionRequest> expected = {},
                           StubResponseOptions options = {}) {
    return Queue<StopProjectVersionOperation>(detail::SerializeResult(result), result.request_id,
                                              std::move(expected), std::move(options));
  }

  /// Queues a service error answer to a call of operation `Op` (e.g.
  /// rekognition::StartProjectVersionOperation): like AddError, but the
  /// answering call must be of that operation and match `expected`.
  /// Thread-safe.
  template <typename Op>
  Stubber& AddErrorFor(std::string code, std::string message = {}, int http_status = 0,
                       ExpectedCall<typename Op::Request> expected = {},
                       StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kError;
    entry.target = Op::kTarget;
    entry.label = "an error (" + code + ") for " + std::string(Op::kName);
    entry.error_code = std::move(code);
    entry.error_message = std::move(message);
    entry.http_status = http_status != 0 ? http_status : DefaultStatusFor(entry.error_code);
    entry.mismatches = Matcher<Op>(std::move(expected));
    entry.options = std::move(options);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// The HTTP status the service answers `code` with: 500 for the errors the
  /// model marks as server faults (InternalServerError, ThrottlingException),
  /// 400 for the rest.
  static int DefaultStatusFor(const std::string& code) {
    return code == "InternalServerError" || code == "ThrottlingException" ? 500 : 400;
  }

  /// Queues a service error answer: HTTP `http_status` (0: DefaultStatusFor
  /// the code) with the awsJson1_1 error body {"__type": code, "Message": message}. The client maps
  /// it like any service error: AddError("ResourceNotReadyException", ...) makes the call throw
  /// rekognition::ResourceNotReadyException; a throttling code or a 5xx status is retried (queue
  /// the next attempt's answer too). The call must match `expected`. Thread-safe.
  Stubber& AddError(std::string code, std::string message = {}, int http_status = 0,
                    ExpectedRequest expected = {}, StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kError;
    entry.label = "an error (" + code + ")";
    entry.error_code = std::move(code);
    entry.error_message = std::move(message);
    entry.http_status = http_status != 0 ? http_status : DefaultStatusFor(entry.error_code);
    entry.expected = std::move(expected);
    entry.options = std::move(options);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues a failure below HTTP (timeout, connection reset, ...): the client
  /// sees no response at all, retries it if the kind is retryable, and
  /// finally throws rekognition::TransportError. Thread-safe.
  Stubber& AddTransportFailure(TransportErrorKind kind,
                               std::string message = "stubbed transport failure",
                               ExpectedRequest expected = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kFailure;
    entry.label = std::string("a transport failure (") + ToString(kind) + ")";
    entry.failure = TransportFailure{kind, 0, std::move(message)};
    entry.expected = std::move(expected);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues an HTTP response exactly as given (status, headers, body), for
  /// testing how odd answers are handled (an HTML 502 from a proxy, a
  /// truncated body). Thread-safe.
  Stubber& AddHttpResponse(HttpResponse response, ExpectedRequest expected = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kRaw;
    entry.label = "an HTTP " + std::to_string(response.status) + " response";
    entry.raw = std::move(response);
    entry.expected = std::move(expected);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Throws StubAssertionError when queued answers were not consumed (naming
  /// them), or when an earlier call failed an expectation, even if the code
  /// under test caught that exception. Call it at the end of each test.
  /// Thread-safe.
  void AssertNoPendingResponses() const {
    const std::vector<std::string> failures = transport_->failures();
    if (!failures.empty()) {
      std::string message = "Stubber: " + std::to_string(failures.size()) +
                            " call(s) failed their expectations earlier (the exception may "
                            "have been caught by the code under test):\n";
      for (std::size_t i = 0; i < failures.size(); ++i) message += (i ? "\n" : "") + failures[i];
      throw StubAssertionError(message);
    }
    const std::vector<std::string> pending = transport_->PendingLabels();
    if (!pending.empty()) {
      std::string message =
          "Stubber: " + std::to_string(pending.size()) + " queued answer(s) were never requested:";
      for (const std::string& label : pending) message += "\n  " + label;
      throw StubAssertionError(message);
    }
  }

  /// How many queued answers have not been consumed yet. Thread-safe.
  std::size_t pending() const { return transport_->pending(); }

  /// Every request that reached the stubber, decoded from the wire body by
  /// the production parser, oldest first (one per attempt). Thread-safe.
  std::vector<DetectCustomLabelsRequest> requests() const { return transport_->requests(); }

  /// The same requests as sent on the wire (signed headers, JSON body), for
  /// tests that inspect headers. Thread-safe.
  std::vector<RecordedRequest> http_requests() const { return transport_->http_requests(); }

  /// The waits the client asked for between attempts (backoff), when it was
  /// made by MakeClient without a sleep of its own; nothing actually waits.
  /// Thread-safe.
  std::vector<std::chrono::milliseconds> sleeps() const { return transport_->sleeps(); }

  /// The assertion failures seen so far (the messages). Thread-safe.
  std::vector<std::string> failures() const { return transport_->failures(); }

  /// Forgets every queued answer, recorded request, failure and sleep.
  /// Thread-safe.
  void Reset() { transport_->Reset(); }

  /// Every lifecycle request of operation `Op` that reached the stubber,
  /// decoded from the wire body, oldest first. Thread-safe.
  template <typename Op>
  std::vector<typename Op::Request> requests_of() const {
    std::vector<typename Op::Request> out;
    for (const RecordedRequest& http : transport_->http_requests()) {
      const std::string* target = FindHeader(http.headers, "X-Amz-Target");
      typename Op::Request request;
      std::string error;
      if (target && *target == Op::kTarget && detail::ParseRequest(http.body, request, error))
        out.push_back(std::move(request));
    }
    return out;
  }

  /// The stubber as an HttpTransport, for wiring a ClientConfig by hand.
  /// Thread-safe.
  std::shared_ptr<HttpTransport> transport() const { return transport_; }

  /// A Client whose transport is this stubber, built from `config` with the
  /// gaps a unit test should not have to fill: region "us-east-1" and a
  /// matching endpoint URL (nothing is looked up in the environment),
  /// dummy static credentials (unless `config` has credentials or a
  /// provider), an empty environment (unless `config` has one: so AWS_*
  /// variables and ~/.aws of the machine running the tests change nothing,
  /// retry mode and attempts included), and a sleep that records the delay
  /// instead of waiting (unless `config` has one). The transport in `config`
  /// is replaced. Never touches the network or the file system. Thread-safe.
  Client MakeClient(ClientConfig config = {}) const {
    config.transport = transport_;
    if (!config.environment) config.environment = FixedEnvironment({});
    if (config.region.empty()) config.region = "us-east-1";
    if (!config.endpoint_url)
      config.endpoint_url = "https://rekognition." + config.region + ".amazonaws.com";
    if (!config.credentials && !config.credentials_provider)
      config.credentials =
          Credentials{"AKIDSTUBBEREXAMPLE", "stubber-dummy-secret-key", "", std::nullopt};
    if (!config.sleep) {
      std::weak_ptr<detail::StubberTransport> weak = transport_;
      config.sleep = [weak](std::chrono::milliseconds delay) {
        if (auto transport = weak.lock()) transport->RecordSleep(delay);
      };
    }
    return Client(std::move(config));
  }

 private:
  template <typename Op>
  static std::function<std::vector<FieldDifference>(std::string_view)> Matcher(
      ExpectedCall<typename Op::Request> expected) {
    return [expected = std::move(expected)](std::string_view body) {
      typename Op::Request request;
      std::string error;
      if (!detail::ParseRequest(body, request, error)) return std::vector<FieldDifference>{};
      return expected.Mismatches(request);
    };
  }

  template <typename Op>
  Stubber& Queue(std::string body, const std::string& request_id,
                 ExpectedCall<typename Op::Request> expected, StubResponseOptions options) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kResult;
    entry.target = Op::kTarget;
    entry.result_body = std::move(body);
    entry.result.request_id = request_id;
    entry.mismatches = Matcher<Op>(std::move(expected));
    entry.options = std::move(options);
    entry.label = "a " + std::string(Op::kName) + " response";
    transport_->Push(std::move(entry));
    return *this;
  }

  std::shared_ptr<detail::StubberTransport> transport_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUBBER_HPP
// ---- end rekognition/testing/stubber.hpp

#endif  // REKOGNITION_SINGLE_HEADER_HPP
