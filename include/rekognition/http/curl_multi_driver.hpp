// rekognition-cpp: asynchronous sends over libcurl's multi interface, run by
// a client's I/O thread: any number of transfers in flight on one thread.
#ifndef REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP
#define REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP

#include "rekognition/version.hpp"

#if REKOGNITION_WITH_CURL

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

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
    multi_ = curl_multi_init();
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
    CURL* easy = transfer->easy = Acquire();
    bool added = false;
    try {
      const char* problem = nullptr;
      if (!multi_ || !easy)
        problem = "curl_multi_init or curl_easy_init failed";
      else if (!transfer->exchange.Setup(easy, request, options_))
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
    int running = 0;
    curl_multi_perform(multi_, &running);
    if (FinishDone()) return;
    // Waits for a socket, libcurl's own next timeout, Wake, or max_wait.
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(max_wait.count()), nullptr);
    curl_multi_perform(multi_, &running);
    FinishDone();
  }

  void Wake() noexcept override {
    if (multi_) curl_multi_wakeup(multi_);
  }

  /// Transfers started and not yet completed.
  std::size_t in_flight() const noexcept { return transfers_.size(); }

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

  CURL* Acquire() {
    if (!idle_.empty()) {
      CURL* easy = idle_.back();
      idle_.pop_back();
      return easy;
    }
    return curl_easy_init();
  }

  void Release(CURL* easy) noexcept {
    curl_easy_reset(easy);
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
  CURLM* multi_ = nullptr;
  std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> transfers_;
  std::vector<Failed> failed_;
  std::vector<CURL*> idle_;
  std::uint64_t last_id_ = 0;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_WITH_CURL
#endif  // REKOGNITION_HTTP_CURL_MULTI_DRIVER_HPP
