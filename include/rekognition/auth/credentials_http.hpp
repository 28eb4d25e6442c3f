// rekognition-cpp: the HTTP plumbing shared by the container and instance metadata providers.
#ifndef REKOGNITION_AUTH_CREDENTIALS_HTTP_HPP
#define REKOGNITION_AUTH_CREDENTIALS_HTTP_HPP

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <variant>

#include "rekognition/http/curl_transport.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

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
