// Standard and legacy retry policies: classification, attempts, backoff bounds, quota.
#include <rekognition/retry/retry.hpp>

#include <catch2/catch.hpp>

using namespace rekognition;
using std::chrono::milliseconds;

namespace retry_test {

namespace {
AttemptFailure Service(std::string code, int status) {
  AttemptFailure failure;
  failure.code = std::move(code);
  failure.http_status = status;
  return failure;
}
AttemptFailure Transport(TransportErrorKind kind) {
  AttemptFailure failure;
  failure.transport = kind;
  return failure;
}
RandomSource Fixed(double value) {
  return [value] { return value; };
}
}  // namespace

TEST_CASE("failures are classified by the AWS SDKs' table", "[retry]") {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException"}) {
    INFO(code);
    CHECK(ClassifyFailure(Service(code, 400)) == FailureClass::kThrottling);
  }
  CHECK(ClassifyFailure(Service("Whatever", 429)) == FailureClass::kThrottling);
  for (const char* code :
       {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}) {
    INFO(code);
    CHECK(ClassifyFailure(Service(code, 400)) == FailureClass::kTransient);
  }
  for (int status : {500, 502, 503, 504, 501, 599}) {
    INFO(status);
    CHECK(ClassifyFailure(Service("SomethingUnknown", status)) == FailureClass::kTransient);
  }
  CHECK(ClassifyFailure(Service("InternalServerError", 500)) == FailureClass::kTransient);
  for (const char* code :
       {"InvalidParameterException", "AccessDeniedException", "ResourceNotFoundException",
        "ResourceNotReadyException", "ImageTooLargeException", "InvalidImageFormatException",
        "InvalidS3ObjectException", "UnrecognizedClientException", "SomethingUnknown"}) {
    INFO(code);
    CHECK(ClassifyFailure(Service(code, 400)) == FailureClass::kNotRetryable);
  }
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kTimeout)) == FailureClass::kTimeout);
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kConnectFailure)) ==
        FailureClass::kTransient);
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kConnectionReset)) ==
        FailureClass::kTransient);
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kDnsFailure)) == FailureClass::kTransient);
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kTlsFailure)) == FailureClass::kNotRetryable);
  CHECK(ClassifyFailure(Transport(TransportErrorKind::kCancelled)) == FailureClass::kNotRetryable);
}

TEST_CASE("standard mode: 3 attempts and full-jitter backoff capped at 20 s", "[retry]") {
  StandardRetryPolicy policy({}, Fixed(0.5));
  REQUIRE(policy.max_attempts() == 3);
  RetryToken token;
  auto first = policy.OnFailure(Service("ThrottlingException", 400), 1, token);
  REQUIRE(first);
  CHECK(*first == milliseconds(500));  // 0.5 * min(2^0 s, 20 s)
  auto second = policy.OnFailure(Service("ThrottlingException", 400), 2, token);
  REQUIRE(second);
  CHECK(*second == milliseconds(1000));                                          // 0.5 * 2 s
  CHECK_FALSE(policy.OnFailure(Service("ThrottlingException", 400), 3, token));  // out of attempts

  // The cap: 2^(n-1) grows past 20 s from n = 6.
  CHECK(policy.Backoff(FailureClass::kTransient, 6) == milliseconds(10000));
  CHECK(policy.Backoff(FailureClass::kTransient, 30) == milliseconds(10000));
  StandardRetryPolicy max_random({}, Fixed(0.999999));
  CHECK(max_random.Backoff(FailureClass::kTransient, 1) < milliseconds(1000));
  CHECK(max_random.Backoff(FailureClass::kTransient, 10) < milliseconds(20000));
  CHECK(max_random.Backoff(FailureClass::kTransient, 10) >= milliseconds(19999));
}

TEST_CASE("standard mode never retries non-retryable errors", "[retry]") {
  StandardRetryPolicy policy({}, Fixed(0.5));
  RetryToken token;
  CHECK_FALSE(policy.OnFailure(Service("ResourceNotReadyException", 400), 1, token));
  CHECK_FALSE(policy.OnFailure(Service("AccessDeniedException", 400), 1, token));
  CHECK(policy.quota().available() == 500);
}

TEST_CASE("standard mode quota: costs 5, timeouts 10, refunds on success", "[retry]") {
  StandardRetryPolicy policy({}, Fixed(0.0));
  RetryToken token;
  REQUIRE(policy.OnFailure(Service("InternalServerError", 500), 1, token));
  CHECK(policy.quota().available() == 495);
  CHECK(token.acquired_cost == 5);
  policy.OnSuccess(token);
  CHECK(policy.quota().available() == 500);

  RetryToken timeout_token;
  REQUIRE(policy.OnFailure(Transport(TransportErrorKind::kTimeout), 1, timeout_token));
  CHECK(policy.quota().available() == 490);
  policy.OnSuccess(timeout_token);
  CHECK(policy.quota().available() == 500);

  // A success without retries refunds 1, never above the capacity.
  policy.OnSuccess(RetryToken{});
  CHECK(policy.quota().available() == 500);
  RetryToken drain;
  REQUIRE(policy.OnFailure(Service("InternalServerError", 500), 1, drain));
  policy.OnSuccess(RetryToken{});
  CHECK(policy.quota().available() == 496);
}

TEST_CASE("standard mode stops retrying when the quota is empty", "[retry]") {
  StandardRetryPolicy policy({}, Fixed(0.0));
  int retries = 0;
  for (int call = 0; call < 200; ++call) {
    RetryToken token;
    if (policy.OnFailure(Service("InternalServerError", 500), 1, token)) ++retries;
  }
  CHECK(retries == 100);  // 500 tokens / 5 per retry
  CHECK(policy.quota().available() == 0);
  RetryToken token;
  CHECK_FALSE(policy.OnFailure(Service("ThrottlingException", 400), 1, token));
}

TEST_CASE("max attempts is configurable", "[retry]") {
  StandardRetryOptions options;
  options.max_attempts = 1;
  StandardRetryPolicy policy(options, Fixed(0.5));
  RetryToken token;
  CHECK_FALSE(policy.OnFailure(Service("ThrottlingException", 400), 1, token));
}

TEST_CASE("the 2026 revision: 50 ms base for errors, 1 s for throttling, retry-after clamped",
          "[retry]") {
  StandardRetryPolicy policy(StandardRetryOptions::Revision2026(), Fixed(0.5));
  CHECK(policy.Backoff(FailureClass::kTransient, 1) == milliseconds(25));
  CHECK(policy.Backoff(FailureClass::kTransient, 3) == milliseconds(100));
  CHECK(policy.Backoff(FailureClass::kThrottling, 1) == milliseconds(500));
  CHECK(policy.Backoff(FailureClass::kThrottling, 1, milliseconds(2000)) == milliseconds(2000));
  CHECK(policy.Backoff(FailureClass::kThrottling, 1, milliseconds(60000)) == milliseconds(5500));
  CHECK(policy.Backoff(FailureClass::kThrottling, 1, milliseconds(10)) == milliseconds(500));
  RetryToken token;
  REQUIRE(policy.OnFailure(Service("InternalServerError", 500), 1, token));
  CHECK(token.acquired_cost == 14);
  REQUIRE(policy.OnFailure(Service("ThrottlingException", 400), 1, token));
  CHECK(token.acquired_cost == 5);
}

TEST_CASE("legacy mode: 5 attempts, rand * 2^(n-1) s backoff, its own status table", "[retry]") {
  LegacyRetryPolicy policy(5, Fixed(0.5));
  REQUIRE(policy.max_attempts() == 5);
  RetryToken token;
  CHECK(*policy.OnFailure(Service("", 509), 1, token) == milliseconds(500));
  CHECK(*policy.OnFailure(Service("ThrottlingException", 400), 4, token) == milliseconds(4000));
  CHECK_FALSE(policy.OnFailure(Service("ThrottlingException", 400), 5, token));
  CHECK_FALSE(policy.OnFailure(Service("Unknown", 501), 1, token));
  // Only the legacy table's codes: LimitExceededException is standard-mode throttling only.
  CHECK_FALSE(policy.OnFailure(Service("LimitExceededException", 400), 1, token));
  CHECK_FALSE(policy.OnFailure(Service("RequestTimeout", 400), 1, token));
  CHECK(policy.OnFailure(Service("ProvisionedThroughputExceededException", 400), 1, token));
  CHECK(policy.OnFailure(Transport(TransportErrorKind::kConnectFailure), 1, token));
}

TEST_CASE("legacy backoff is capped at 20 s and never overflows, whatever the attempts",
          "[retry]") {
  RetryToken token;
  LegacyRetryPolicy many(100, Fixed(0.999));
  CHECK(*many.OnFailure(Service("", 503), 5, token) == milliseconds(15984));  // 0.999 * 16 s
  CHECK(*many.OnFailure(Service("", 503), 6, token) == milliseconds(19980));  // 0.999 * 20 s
  CHECK(*many.OnFailure(Service("", 503), 20, token) == milliseconds(19980));
  for (int attempt = 1; attempt < 100; ++attempt) {
    INFO(attempt);
    const auto delay = many.OnFailure(Service("", 503), attempt, token);
    REQUIRE(delay);
    CHECK(delay->count() >= 0);
    CHECK(*delay <= milliseconds(20000));
  }
  LegacyRetryPolicy huge(1000000, Fixed(0.5));
  CHECK(*huge.OnFailure(Service("", 503), 500000, token) == milliseconds(10000));
}

}  // namespace retry_test
