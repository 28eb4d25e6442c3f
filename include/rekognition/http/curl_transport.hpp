// rekognition-cpp: the default HttpTransport, over libcurl.
#ifndef REKOGNITION_HTTP_CURL_TRANSPORT_HPP
#define REKOGNITION_HTTP_CURL_TRANSPORT_HPP

#include "rekognition/version.hpp"

#if REKOGNITION_WITH_CURL

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "rekognition/http/async_driver.hpp"
#include "rekognition/http/curl_exchange.hpp"
#include "rekognition/http/curl_multi_driver.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"

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
    const std::unique_ptr<CURL, HandleReturner> handle(Acquire(), HandleReturner{this});
    if (!handle) return TransportFailure{TransportErrorKind::kOther, 0, "curl_easy_init failed"};
    return Perform(handle.get(), request);
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
  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  void Release(CURL* handle) noexcept {
    curl_easy_reset(handle);  // keeps the connection cache, clears options
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

  HttpResult Perform(CURL* handle, const HttpRequest& request) {
    detail::CurlExchange exchange;
    if (!exchange.Setup(handle, request, options_))
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
