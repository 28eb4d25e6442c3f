// rekognition-cpp: retry policies (standard, legacy) and the retry quota.
#ifndef REKOGNITION_RETRY_RETRY_HPP
#define REKOGNITION_RETRY_RETRY_HPP

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "rekognition/detail/random.hpp"
#include "rekognition/error_codes.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// What went wrong in one attempt, as a retry policy sees it.
struct AttemptFailure {
  std::string code;     ///< service error code; empty for transport failures
  int http_status = 0;  ///< 0 for transport failures
  std::optional<TransportErrorKind> transport;  ///< set when no response arrived
  /// The service's x-amz-retry-after hint, when it sent one.
  std::optional<std::chrono::milliseconds> retry_after;
  /// Set by the caller for a service-specific code it knows to be transient
  /// (STS's IDPCommunicationError, as the AWS SDKs retry it).
  bool transient = false;
};

/// How a failure counts for retrying.
enum class FailureClass {
  kNotRetryable,  ///< validation, access, not-found, not-ready, image errors ...
  kThrottling,    ///< throttling codes and HTTP 429
  kTransient,     ///< 5xx, timeout codes, connection faults
  kTimeout,       ///< the transport timed out (costs more retry quota)
};

/// Classifies a failure by the table every AWS SDK shares. Thread-safe.
REKOGNITION_INLINE FailureClass ClassifyFailure(const AttemptFailure& failure) noexcept {
  if (failure.transport) {
    if (*failure.transport == TransportErrorKind::kTimeout) return FailureClass::kTimeout;
    return IsRetryableTransportFailure(*failure.transport) ? FailureClass::kTransient
                                                           : FailureClass::kNotRetryable;
  }
  if (IsThrottlingError(failure.code, failure.http_status)) return FailureClass::kThrottling;
  if (failure.transient || IsTransientServiceError(failure.code, failure.http_status))
    return FailureClass::kTransient;
  return FailureClass::kNotRetryable;
}

/// A source of uniformly distributed numbers in [0, 1). Injectable so tests
/// see exact backoff values.
using RandomSource = std::function<double()>;

/// The default RandomSource: a per-thread Mersenne Twister seeded with 256
/// bits from the operating system and reseeded after fork(). Thread-safe.
REKOGNITION_INLINE double DefaultRandom() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(detail::RandomEngine());
}

/// Per-call retry state the policy keeps between the attempts of one call.
struct RetryToken {
  int acquired_cost = 0;  ///< quota taken for the latest retry, 0 if none
};

/// Decides whether and when to retry. One policy object serves every call of a
/// client (its retry quota and rate limiter are client-wide), so
/// implementations must be thread-safe.
class RetryPolicy {
 public:
  virtual ~RetryPolicy() = default;
  /// Total attempts allowed for one call, including the first.
  virtual int max_attempts() const = 0;
  /// Called before each attempt is sent; returns how long to wait first (an
  /// adaptive policy's rate limiter). The default never waits.
  virtual std::chrono::milliseconds BeforeAttempt() { return std::chrono::milliseconds(0); }
  /// Called after attempt number `attempt` (1-based) failed. Returns the delay
  /// before the next attempt, or nothing to give up. May take retry quota and
  /// note it in `token`.
  virtual std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure,
                                                             int attempt, RetryToken& token) = 0;
  /// Called once when a call succeeds (refunds quota).
  virtual void OnSuccess(const RetryToken& token) = 0;
  /// Called after every attempt, successful or not, telling whether it was
  /// throttled (an adaptive policy adjusts its send rate). Default: nothing.
  virtual void OnAttemptResult(bool throttled) { (void)throttled; }
};

/// The client-wide retry quota of the standard mode: a bucket of tokens that
/// retries draw from and successes refill, so a failing service does not get a
/// retry storm. Thread-safe.
class RetryQuota {
 public:
  explicit RetryQuota(int capacity = 500) : capacity_(capacity), available_(capacity) {}
  /// Takes `amount` tokens if there are that many; false otherwise.
  bool Acquire(int amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (available_ < amount) return false;
    available_ -= amount;
    return true;
  }
  /// Returns `amount` tokens, never above the capacity.
  void Release(int amount) {
    std::lock_guard<std::mutex> lock(mutex_);
    available_ = std::min(capacity_, available_ + amount);
  }
  /// Tokens left now.
  int available() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return available_;
  }
  /// The quota's full capacity (500 by default). Thread-safe.
  int capacity() const noexcept { return capacity_; }

 private:
  const int capacity_;
  mutable std::mutex mutex_;
  int available_;
};

/// Numbers of the standard retry mode. The defaults are the ones every AWS SDK
/// uses; Revision2026() gives the 2026 retry revision.
struct StandardRetryOptions {
  int max_attempts = 3;
  int quota_capacity = 500;
  int retry_cost = 5;             ///< quota a retry takes
  int timeout_retry_cost = 10;    ///< quota a retry after a timeout takes
  int throttling_retry_cost = 5;  ///< quota a retry after throttling takes
  int success_increment = 1;      ///< refund for a success that needed no retry
  std::chrono::milliseconds max_backoff{20000};
  std::chrono::milliseconds base_delay{1000};  ///< backoff base for non-throttling errors
  std::chrono::milliseconds throttling_base_delay{1000};  ///< backoff base for throttling
  bool honour_retry_after = false;  ///< clamp x-amz-retry-after into [t, t + 5 s]

  /// The 2026 revision: throttling base 1 s, other errors 50 ms, retry cost 14
  /// (throttling 5), x-amz-retry-after honoured within [t, t + 5 s].
  static StandardRetryOptions Revision2026() {
    StandardRetryOptions options;
    options.retry_cost = 14;
    options.timeout_retry_cost = 14;
    options.throttling_retry_cost = 5;
    options.base_delay = std::chrono::milliseconds(50);
    options.throttling_base_delay = std::chrono::milliseconds(1000);
    options.honour_retry_after = true;
    return options;
  }
};

/// The standard retry mode (the default): 3 attempts, full-jitter exponential
/// backoff `rand * min(base * 2^(n-1), 20 s)`, a 500-token client-wide quota
/// (retry costs 5, timeout retry 10; a success refunds what its retry took, or 1
/// when it needed none). Thread-safe.
class StandardRetryPolicy : public RetryPolicy {
 public:
  explicit StandardRetryPolicy(StandardRetryOptions options = {},
                               RandomSource random = DefaultRandom)
      : options_(options), random_(std::move(random)), quota_(options.quota_capacity) {}

  int max_attempts() const override { return options_.max_attempts; }

  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken& token) override {
    const FailureClass kind = ClassifyFailure(failure);
    if (kind == FailureClass::kNotRetryable || attempt >= options_.max_attempts)
      return std::nullopt;
    const int cost = kind == FailureClass::kTimeout      ? options_.timeout_retry_cost
                     : kind == FailureClass::kThrottling ? options_.throttling_retry_cost
                                                         : options_.retry_cost;
    if (!quota_.Acquire(cost)) return std::nullopt;
    token.acquired_cost = cost;
    return Backoff(kind, attempt, failure.retry_after);
  }

  void OnSuccess(const RetryToken& token) override {
    quota_.Release(token.acquired_cost > 0 ? token.acquired_cost : options_.success_increment);
  }

  /// The backoff before retrying after attempt `attempt` failed.
  std::chrono::milliseconds Backoff(
      FailureClass kind, int attempt,
      std::optional<std::chrono::milliseconds> retry_after = {}) const {
    const auto base =
        kind == FailureClass::kThrottling ? options_.throttling_base_delay : options_.base_delay;
    const double ceiling =
        std::min(static_cast<double>(base.count()) * std::ldexp(1.0, attempt - 1),
                 static_cast<double>(options_.max_backoff.count()));
    auto delay = std::chrono::milliseconds(static_cast<long long>(random_() * ceiling));
    if (options_.honour_retry_after && retry_after) {
      delay = std::clamp(*retry_after, delay, delay + std::chrono::milliseconds(5000));
    }
    return delay;
  }

  /// The client-wide quota (for inspection and tests).
  const RetryQuota& quota() const noexcept { return quota_; }
  /// The options this policy was built with. Thread-safe.
  const StandardRetryOptions& options() const noexcept { return options_; }

 private:
  StandardRetryOptions options_;
  RandomSource random_;
  RetryQuota quota_;
};

/// The legacy retry mode: 5 attempts, backoff `rand * 2^(n-1) s` (botocore's
/// legacy table), capped at 20 s like every other mode so that raising the
/// attempts (AWS_MAX_ATTEMPTS) never makes one wait hours or overflow; no
/// quota; retries the legacy table's throttling codes, connection faults and
/// HTTP 429/500/502/503/504/509. Thread-safe.
class LegacyRetryPolicy : public RetryPolicy {
 public:
  explicit LegacyRetryPolicy(int max_attempts = 5, RandomSource random = DefaultRandom)
      : max_attempts_(max_attempts), random_(std::move(random)) {}

  int max_attempts() const override { return max_attempts_; }

  std::optional<std::chrono::milliseconds> OnFailure(const AttemptFailure& failure, int attempt,
                                                     RetryToken&) override {
    if (attempt >= max_attempts_ || !IsRetryable(failure)) return std::nullopt;
    return Backoff(attempt);
  }

  /// The backoff before retrying after attempt `attempt` failed:
  /// rand * min(2^(attempt-1) s, 20 s).
  std::chrono::milliseconds Backoff(int attempt) const {
    const double ceiling = std::min(std::ldexp(1000.0, std::clamp(attempt, 1, 64) - 1),
                                    static_cast<double>(kMaxBackoff.count()));
    return std::chrono::milliseconds(static_cast<long long>(random_() * ceiling));
  }

  /// The longest legacy backoff.
  static constexpr std::chrono::milliseconds kMaxBackoff{20000};
  void OnSuccess(const RetryToken&) override {}

  /// The legacy mode's own table (botocore's _retry.json defaults): socket
  /// errors, HTTP 429/500/502/503/504/509, and only these codes: Throttling,
  /// ThrottlingException, ThrottledException, RequestThrottledException,
  /// ProvisionedThroughputExceededException.
  static bool IsRetryable(const AttemptFailure& failure) {
    if (failure.transport) return ClassifyFailure(failure) != FailureClass::kNotRetryable;
    switch (failure.http_status) {
      case 429:
      case 500:
      case 502:
      case 503:
      case 504:
      case 509:
        return true;
      default:
        break;
    }
    const std::string& c = failure.code;
    return c == "Throttling" || c == "ThrottlingException" || c == "ThrottledException" ||
           c == "RequestThrottledException" || c == "ProvisionedThroughputExceededException";
  }

 private:
  int max_attempts_;
  RandomSource random_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_HPP
