// rekognition-cpp: the HTTP request, response and failure types.
#ifndef REKOGNITION_HTTP_TYPES_HPP
#define REKOGNITION_HTTP_TYPES_HPP

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/detail/ascii.hpp"
#include "rekognition/version.hpp"

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
