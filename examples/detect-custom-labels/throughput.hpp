// detect-custom-labels: how many calls a batch keeps in flight. The service
// answers throttling when a model's inference units are saturated; the batch
// then halves its calls in flight and grows them back one at a time
// (additive increase, multiplicative decrease), --concurrency the ceiling.
#ifndef DETECT_CUSTOM_LABELS_THROUGHPUT_HPP
#define DETECT_CUSTOM_LABELS_THROUGHPUT_HPP

#include <rekognition/retry/retry.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace dcl {

/// The calls-in-flight window. Thread-safe.
class ConcurrencyWindow {
 public:
  explicit ConcurrencyWindow(int ceiling)
      : ceiling_(std::max(ceiling, 1)), window_(static_cast<double>(ceiling_)) {}

  /// Calls that may be in flight now (at least 1).
  int limit() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::max(1, static_cast<int>(window_));
  }

  /// An attempt was throttled: halve the window, at most once per window of
  /// completed calls (the throttles of one burst are one signal).
  void OnThrottled() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (completed_since_decrease_ < static_cast<std::size_t>(window_) && decreased_) return;
    window_ = std::max(1.0, window_ / 2);
    decreased_ = true;
    completed_since_decrease_ = 0;
  }

  /// A call completed without being throttled: grow by one call per window.
  void OnCompleted(bool throttled) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++completed_since_decrease_;
    if (!throttled) window_ = std::min(static_cast<double>(ceiling_), window_ + 1.0 / window_);
  }

 private:
  const int ceiling_;
  mutable std::mutex mutex_;
  double window_;
  bool decreased_ = false;
  std::size_t completed_since_decrease_ = 0;
};

/// A retry policy that counts attempts and throttled attempts, and tells the
/// window about throttling, forwarding everything else to the policy the
/// client would have built itself (made at first use, so configuration
/// errors surface from the first call as they would without it).
class ThrottleCountingPolicy : public rekognition::RetryPolicy {
 public:
  using Factory = std::function<std::shared_ptr<rekognition::RetryPolicy>()>;

  ThrottleCountingPolicy(Factory make, ConcurrencyWindow& window)
      : make_(std::move(make)), window_(window) {}

  int max_attempts() const override { return Inner().max_attempts(); }
  std::chrono::milliseconds BeforeAttempt() override { return Inner().BeforeAttempt(); }
  std::optional<std::chrono::milliseconds> OnFailure(const rekognition::AttemptFailure& failure,
                                                     int attempt,
                                                     rekognition::RetryToken& token) override {
    return Inner().OnFailure(failure, attempt, token);
  }
  void OnSuccess(const rekognition::RetryToken& token) override { Inner().OnSuccess(token); }
  void OnAttemptResult(bool throttled) override {
    ++attempts_;
    if (throttled) {
      ++throttled_;
      window_.OnThrottled();
    }
    Inner().OnAttemptResult(throttled);
  }

  /// Attempts answered so far, and how many of them were throttled.
  std::size_t attempts() const noexcept { return attempts_.load(); }
  std::size_t throttled() const noexcept { return throttled_.load(); }

 private:
  rekognition::RetryPolicy& Inner() const {
    std::call_once(once_, [this] { inner_ = make_(); });
    return *inner_;
  }

  Factory make_;
  ConcurrencyWindow& window_;
  mutable std::once_flag once_;
  mutable std::shared_ptr<rekognition::RetryPolicy> inner_;
  std::atomic<std::size_t> attempts_{0};
  std::atomic<std::size_t> throttled_{0};
};

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_THROUGHPUT_HPP
