// rekognition-cpp: the transport interface every HTTP sender implements.
#ifndef REKOGNITION_HTTP_TRANSPORT_HPP
#define REKOGNITION_HTTP_TRANSPORT_HPP

#include <memory>

#include "rekognition/http/async_driver.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

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
