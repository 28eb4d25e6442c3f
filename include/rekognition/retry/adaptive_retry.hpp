// rekognition-cpp: the adaptive retry mode (standard retries plus a client-side
// CUBIC rate limiter that slows sending down after throttling).
#ifndef REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP
#define REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <mutex>
#include <optional>

#include "rekognition/retry/retry.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Constants of the adaptive mode's rate limiter (the AWS SDKs' values).
struct AdaptiveRetryOptions {
  StandardRetryOptions standard;  ///< attempts, backoff and quota as in standard mode
  double beta = 0.7;              ///< multiplicative decrease on throttling
  double scale_constant = 0.4;    ///< CUBIC's C
  double min_fill_rate = 0.5;     ///< requests per second, the floor
  double smoothing = 0.8;         ///< weight of the newest measured-rate bucket
  double bucket_seconds = 0.5;    ///< width of a measured-rate bucket
  /// Longest a call waits for send capacity: the caller's deadline. A call
  /// that would wait longer waits this long and is sent anyway.
  std::chrono::milliseconds max_send_delay{20000};
};

/// The CUBIC send-rate limiter of the adaptive mode. Inactive until the first
/// throttling response; then a token bucket whose fill rate follows the CUBIC
/// curve (decrease by beta on throttling, cubic growth back towards and beyond
/// the rate of the last throttle), never above twice the measured send rate.
/// Time comes from an injectable clock in seconds. Thread-safe.
class CubicRateLimiter {
 public:
  using Clock = std::function<double()>;

  explicit CubicRateLimiter(AdaptiveRetryOptions options = {}, Clock clock = SteadySeconds)
      : options_(options), clock_(std::move(clock)) {
    const double now = clock_();
    last_throttle_time_ = now;
    last_bucket_ = std::floor(now);
    w_max_ = options_.min_fill_rate;
    k_ = ZeroPoint();
    SetFillRate(1.0);
  }

  /// Reserves one send token; returns how long to wait before sending (zero
  /// while the limiter is inactive or capacity is there).
  std::chrono::milliseconds Acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!enabled_) return std::chrono::milliseconds(0);
    Refill(clock_());
    capacity_ -= 1.0;  // reserve ahead: concurrent callers queue up fairly
    if (capacity_ >= 0) return std::chrono::milliseconds(0);
    // A caller waits at most max_send_delay and then sends anyway, so the
    // bucket never owes more than that wait refills: a burst's debt is paid
    // off within max_send_delay of idle time, as botocore's bucket (which
    // never goes below zero) is full again after idling.
    const double max_wait_seconds = std::chrono::duration<double>(options_.max_send_delay).count();
    capacity_ = std::max(capacity_, -max_wait_seconds * fill_rate_);
    const double seconds = -capacity_ / fill_rate_;
    const auto wait =
        std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
    return std::min(wait, options_.max_send_delay);
  }

  /// Records one response; `throttled` says whether it was a throttling error.
  void OnResponse(bool throttled) {
    std::lock_guard<std::mutex> lock(mutex_);
    const double now = clock_();
    const double measured = RecordSend(now);
    double new_rate;
    if (!throttled) {
      new_rate = options_.scale_constant * std::pow(now - last_throttle_time_ - k_, 3.0) + w_max_;
    } else {
      const double rate = enabled_ ? std::min(measured, fill_rate_) : measured;
      w_max_ = rate;
      k_ = ZeroPoint();
      last_throttle_time_ = now;
      new_rate = rate * options_.beta;
      enabled_ = true;
    }
    Refill(now);
    SetFillRate(std::min(new_rate, 2.0 * measured));
  }

  /// Whether a throttle has switched the limiter on.
  bool enabled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return enabled_;
  }
  /// The current fill rate in requests per second.
  double fill_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fill_rate_;
  }
  /// The smoothed measured send rate in requests per second.
  double measured_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return measured_rate_;
  }

  /// Seconds on the steady clock (the default clock).
  static double SteadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

 private:
  double ZeroPoint() const {
    return std::cbrt(w_max_ * (1.0 - options_.beta) / options_.scale_constant);
  }

  // The measured send rate, smoothed over fixed-width time buckets.
  double RecordSend(double now) {
    const double scale = 1.0 / options_.bucket_seconds;
    const double bucket = std::floor(now * scale) / scale;
    ++count_in_bucket_;
    if (bucket > last_bucket_) {
      const double current = count_in_bucket_ / (bucket - last_bucket_);
      measured_rate_ = current * options_.smoothing + measured_rate_ * (1.0 - options_.smoothing);
      count_in_bucket_ = 0;
      last_bucket_ = bucket;
    }
    return measured_rate_;
  }

  void Refill(double now) {
    if (!last_refill_) {
      last_refill_ = now;
      return;
    }
    capacity_ = std::min(max_capacity_, capacity_ + (now - *last_refill_) * fill_rate_);
    last_refill_ = now;
  }

  void SetFillRate(double rate) {
    fill_rate_ = std::max(rate, options_.min_fill_rate);
    max_capacity_ = std::max(rate, 1.0);
    capacity_ = std::min(capacity_, max_capacity_);
  }

  AdaptiveRetryOptions options_;
  Clock clock_;
  mutable std::mutex mutex_;
  bool enabled_ = false;
  double fill_rate_ = 1.0;
  double max_capacity_ = 1.0;
  double capacity_ = 0.0;
  std::optional<double> last_refill_;
  double w_max_ = 0.0;
  double k_ = 0.0;
  double last_throttle_time_ = 0.0;
  double measured_rate_ = 0.0;
  double last_bucket_ = 0.0;
  double count_in_bucket_ = 0.0;
};

/// The adaptive retry mode: the standard mode's retries and quota, plus the
/// CubicRateLimiter before every send. Thread-safe.
class AdaptiveRetryPolicy : public RetryPolicy {
 public:
  explicit AdaptiveRetryPolicy(AdaptiveRetryOptions options = {},
                               RandomSource random = DefaultRandom,
                               CubicRateLimiter::Clock clock = CubicRateLimiter::SteadySeconds)
      : standard_(options.standard, std::move(random)), limiter_(options, std::move(clock)) {}

  int max_attempts() const override { return standard_.max_attempts(); }
  std::chrono::milliseconds BeforeAttempt() override { return limiter_.Acquire(); }
  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken& token) override {
    return standard_.OnFailure(failure, attempt, token);
  }
  void OnSuccess(const RetryToken& token) override { standard_.OnSuccess(token); }
  void OnAttemptResult(bool throttled) override { limiter_.OnResponse(throttled); }

  /// The client-side rate limiter (for inspection and tests; not thread-safe to read while
  /// calls run).
  const CubicRateLimiter& limiter() const noexcept { return limiter_; }
  /// The standard policy deciding retries and the retry quota underneath.
  const StandardRetryPolicy& standard() const noexcept { return standard_; }

 private:
  StandardRetryPolicy standard_;
  CubicRateLimiter limiter_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_ADAPTIVE_RETRY_HPP
