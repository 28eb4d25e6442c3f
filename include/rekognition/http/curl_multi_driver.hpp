// rekognition-cpp: asynchronous sends over libcurl's multi interface, run by
// a client's I/O thread: any number of transfers in flight on one thread.
#ifndef REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP
#define REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP

#include "rekognition/version.hpp"

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

#include "rekognition/detail/posix.hpp"
#include "rekognition/detail/socket_set.hpp"
#include "rekognition/http/async_driver.hpp"
#include "rekognition/http/curl_exchange.hpp"
#include "rekognition/http/types.hpp"

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
