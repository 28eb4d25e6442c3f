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

#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

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
