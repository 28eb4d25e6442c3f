// The adaptive mode's CUBIC rate limiter, driven by an injected clock.
#include <rekognition/retry/adaptive_retry.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace rekognition;
using std::chrono::milliseconds;

namespace adaptive_retry_test {

TEST_CASE("the rate limiter stays out of the way until the first throttle", "[adaptive]") {
  double now = 0;
  CubicRateLimiter limiter({}, [&] { return now; });
  for (int i = 0; i < 100; ++i) {
    now += 0.01;
    CHECK(limiter.Acquire() == milliseconds(0));
    limiter.OnResponse(false);
  }
  CHECK_FALSE(limiter.enabled());
}

TEST_CASE("the rate limiter follows the CUBIC numbers", "[adaptive]") {
  double now = 0;
  CubicRateLimiter limiter({}, [&] { return now; });

  // One success at t = 0.5: the first 0.5 s bucket closes with 1 request,
  // 2 req/s, smoothed with 0.8 from 0 -> 1.6 req/s.
  now = 0.5;
  limiter.OnResponse(false);
  CHECK(limiter.measured_rate() == Approx(1.6));
  // CUBIC from w_max 0.5: 0.4 * (0.5 - cbrt(0.5 * 0.3 / 0.4))^3 + 0.5 < min fill 0.5.
  CHECK(limiter.fill_rate() == Approx(0.5));
  CHECK_FALSE(limiter.enabled());

  // A throttle at t = 1.0: measured 2 * 0.8 + 1.6 * 0.2 = 1.92; new rate 1.92 * 0.7.
  now = 1.0;
  limiter.OnResponse(true);
  CHECK(limiter.enabled());
  CHECK(limiter.measured_rate() == Approx(1.92));
  CHECK(limiter.fill_rate() == Approx(1.344));

  // The bucket held 0.25 tokens (0.5 s at 0.5/s); one send needs 0.75 more at 1.344/s.
  CHECK(limiter.Acquire() == milliseconds(static_cast<long long>(std::ceil(0.75 / 1.344 * 1000))));
  // The next caller queues behind it: 1.75 tokens short.
  CHECK(limiter.Acquire() == milliseconds(static_cast<long long>(std::ceil(1.75 / 1.344 * 1000))));

  // Success at t = 3: the rate grows back on the cubic curve, capped at twice
  // the measured rate.
  now = 3.0;
  limiter.OnResponse(false);
  const double k = std::cbrt(1.92 * 0.3 / 0.4);
  const double cubic = 0.4 * std::pow(3.0 - 1.0 - k, 3.0) + 1.92;
  const double measured =
      (1.0 / 2.0) * 0.8 + 1.92 * 0.2;  // 1 request over the 2 s since the last bucket
  CHECK(limiter.measured_rate() == Approx(measured));
  CHECK(limiter.fill_rate() == Approx(std::max(0.5, std::min(cubic, 2 * measured))));
}

TEST_CASE("the rate never drops below the minimum fill rate and waits are capped", "[adaptive]") {
  double now = 0;
  AdaptiveRetryOptions options;
  options.max_send_delay = milliseconds(1500);
  CubicRateLimiter limiter(options, [&] { return now; });
  for (int i = 0; i < 20; ++i) {
    now += 0.5;
    limiter.OnResponse(true);
    CHECK(limiter.fill_rate() >= 0.5);
  }
  for (int i = 0; i < 10; ++i) CHECK(limiter.Acquire() <= milliseconds(1500));
}

TEST_CASE("a burst's debt is paid off by idle time: a lone call later goes at once", "[adaptive]") {
  double now = 0;
  CubicRateLimiter limiter({}, [&] { return now; });
  now = 1.0;
  limiter.OnResponse(true);  // switched on, a low rate
  REQUIRE(limiter.enabled());
  // A burst of 2000 callers: each is told to wait at most the 20 s cap.
  for (int i = 0; i < 2000; ++i) CHECK(limiter.Acquire() <= milliseconds(20000));
  // The burst is over; 10 idle minutes later a lone call must not wait.
  now += 600;
  CHECK(limiter.Acquire() == milliseconds(0));
  // Nor does one 21 s after a burst (the longest wait any caller was given).
  for (int i = 0; i < 2000; ++i) (void)limiter.Acquire();
  now += 21 + 1.0 / limiter.fill_rate();
  CHECK(limiter.Acquire() == milliseconds(0));
}

TEST_CASE("adaptive policy: standard retries plus the limiter before each send", "[adaptive]") {
  double now = 0;
  AdaptiveRetryPolicy policy(
      {}, [] { return 0.5; }, [&] { return now; });
  CHECK(policy.max_attempts() == 3);
  CHECK(policy.BeforeAttempt() == milliseconds(0));
  AttemptFailure throttle;
  throttle.code = "ThrottlingException";
  throttle.http_status = 400;
  RetryToken token;
  CHECK(policy.OnFailure(throttle, 1, token) == milliseconds(500));
  now = 0.6;
  policy.OnAttemptResult(true);
  CHECK(policy.limiter().enabled());
  CHECK(policy.BeforeAttempt() > milliseconds(0));
}

}  // namespace adaptive_retry_test
