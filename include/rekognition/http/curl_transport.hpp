// rekognition-cpp: the default HttpTransport, over libcurl.
#ifndef REKOGNITION_HTTP_CURL_TRANSPORT_HPP
#define REKOGNITION_HTTP_CURL_TRANSPORT_HPP

#include "rekognition/version.hpp"

#if REKOGNITION_WITH_CURL

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/http/types.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of the libcurl transport.
struct CurlTransportOptions {
  /// Time allowed to establish the TCP and TLS connection (botocore default: 60 s).
  std::chrono::milliseconds connect_timeout{60000};
  /// Longest silence while waiting for response bytes, like botocore's
  /// read_timeout (default 60 s); 0 disables it.
  std::chrono::milliseconds read_timeout{60000};
  /// Upper bound on the whole exchange; 0 means no bound beyond the above.
  std::chrono::milliseconds request_timeout{0};
  /// Verify the server certificate and host name (on by default).
  bool verify_tls = true;
  /// PEM file of trusted CAs (e.g. from AWS_CA_BUNDLE); empty uses the system store.
  std::string ca_bundle;
  /// Idle connections kept for reuse (keep-alive pool size).
  std::size_t max_idle_connections = 64;
  /// Responses larger than this are cut off and reported as kOther.
  std::size_t max_response_bytes = 64u << 20;
  /// When set and it becomes true, transfers in flight stop with kCancelled.
  std::shared_ptr<std::atomic<bool>> cancel;
};

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
// dropped when the next status line arrives.
struct CurlResponseSink {
  HttpResponse response;
  std::size_t max_body = 0;
  bool too_large = false;

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<CurlResponseSink*>(user);
    const std::size_t n = size * count;
    if (sink->response.body.size() + n > sink->max_body) {
      sink->too_large = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    sink->response.body.append(data, n);
    return n;
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<CurlResponseSink*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.substr(0, 5) == "HTTP/") {
      sink->response.headers.clear();
      return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    sink->response.headers.emplace_back(std::string(name), std::string(value));
    return n;
  }
};

// Watches one transfer from libcurl's progress callback (called at least
// once a second): stops it when the caller cancels, or when no byte moved in
// either direction for read_timeout (botocore's read timeout: a stall, not a
// bound on the whole exchange).
struct CurlTransferWatch {
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds read_timeout{0};
  curl_off_t last_down = -1;
  curl_off_t last_up = -1;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  bool cancelled = false;
  bool stalled = false;

  static int OnProgress(void* user, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
    auto* watch = static_cast<CurlTransferWatch*>(user);
    if (watch->cancel && watch->cancel->load(std::memory_order_relaxed)) {
      watch->cancelled = true;
      return 1;
    }
    const auto now = std::chrono::steady_clock::now();
    if (down != watch->last_down || up != watch->last_up) {
      watch->last_down = down;
      watch->last_up = up;
      watch->last_activity = now;
      return 0;
    }
    if (watch->read_timeout.count() > 0 && now - watch->last_activity >= watch->read_timeout) {
      watch->stalled = true;
      return 1;
    }
    return 0;
  }
};

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

}  // namespace detail

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
  HttpResult Send(const HttpRequest& request) override {
    CURL* handle = Acquire();
    if (handle == nullptr)
      return TransportFailure{TransportErrorKind::kOther, 0, "curl_easy_init failed"};
    HttpResult result = Perform(handle, request);
    Release(handle);
    return result;
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

  void Release(CURL* handle) {
    curl_easy_reset(handle);  // keeps the connection cache, clears options
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < options_.max_idle_connections) {
      idle_.push_back(handle);
      return;
    }
    curl_easy_cleanup(handle);
  }

  HttpResult Perform(CURL* handle, const HttpRequest& request) {
    detail::CurlResponseSink sink;
    sink.max_body = options_.max_response_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    std::unique_ptr<curl_slist, detail::CurlSlistDeleter> headers;
    curl_slist* list = nullptr;
    for (const auto& header : request.headers) {
      std::string line = header.first + ": " + header.second;
      if (header.second.empty()) line = header.first + ";";  // curl's way to send an empty value
      curl_slist* grown = curl_slist_append(list, line.c_str());
      if (grown == nullptr) {
        curl_slist_free_all(list);
        return TransportFailure{TransportErrorKind::kOther, 0, "out of memory building headers"};
      }
      list = grown;
    }
    // No "Expect: 100-continue" round trip for large bodies, and no default Accept.
    for (const char* suppressed : {"Expect:", "Accept:"}) {
      if (!FindHeader(request.headers, std::string_view(suppressed, std::strlen(suppressed) - 1)))
        list = curl_slist_append(list, suppressed);
    }
    headers.reset(list);

    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &detail::CurlResponseSink::OnBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &detail::CurlResponseSink::OnHeader);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    if (options_.request_timeout.count() > 0)
      curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(options_.request_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_bundle.empty())
      curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    // Only HTTP(S), whatever the URL says (CURLOPT_PROTOCOLS_STR is 7.85+).
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                     static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    detail::CurlTransferWatch watch;
    watch.cancel = options_.cancel.get();
    watch.read_timeout = options_.read_timeout;
    if (watch.cancel || watch.read_timeout.count() > 0) {
      curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &detail::CurlTransferWatch::OnProgress);
      curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &watch);
      curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
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

    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK) {
      TransportFailure failure;
      failure.native_code = static_cast<int>(code);
      failure.kind = sink.too_large ? TransportErrorKind::kOther : detail::ClassifyCurlError(code);
      failure.message = sink.too_large
                            ? "response larger than the configured maximum"
                            : (error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
      if (watch.stalled) {
        failure.kind = TransportErrorKind::kTimeout;
        failure.message = "read timeout: nothing received for " +
                          std::to_string(options_.read_timeout.count()) + " ms";
      }
      return failure;
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    sink.response.status = static_cast<int>(status);
    return std::move(sink.response);
  }

  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_WITH_CURL
#endif  // REKOGNITION_HTTP_CURL_TRANSPORT_HPP
