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

#include "rekognition/version.hpp"

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
