// rekognition-cpp: one libcurl exchange: the transport's options, the
// response sink, the stall watch and the easy-handle setup shared by the
// blocking transport and the multi driver.
#ifndef REKOGNITION_HTTP_CURL_EXCHANGE_HPP
#define REKOGNITION_HTTP_CURL_EXCHANGE_HPP

#include "rekognition/version.hpp"

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

#include "rekognition/detail/posix.hpp"
#include "rekognition/http/curl_options.hpp"
#include "rekognition/http/types.hpp"

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
