// The asynchronous client over libcurl's multi interface against
// rekognition-local: many calls in flight on one I/O thread, faults injected
// (every call completes exactly once), cancellation of a transfer on the
// wire, and the call deadline.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "peers.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{}), (std::vector<std::string>{}))

namespace {

using namespace rekognition;
using std::chrono::milliseconds;
using testing_support::kSampleArn;
using testing_support::LocalEndpoint;

ClientConfig LocalConfig(const LocalEndpoint& endpoint) {
  ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = endpoint.url();
  config.credentials =
      Credentials{testing_support::kTestKeyId, testing_support::kTestSecret, "", std::nullopt};
  config.environment = [](const std::string&) { return std::optional<std::string>(); };
  return config;
}

DetectCustomLabelsRequest SampleRequest() {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kSampleArn;
  request.image = Image::FromFile(testing_support::SampleDataDir() + "/logo.png");
  return request;
}

// Counts completions and waits for a number of them.
class CompletionCounter {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    changed_.notify_all();
  }
  bool WaitFor(std::size_t count, milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return count_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t count_ = 0;
};

}  // namespace

TEST_CASE("1,000 calls through throttling, 5xx and drops each complete exactly once",
          "[async][faults][concurrency]") {
  LocalEndpoint endpoint({"--throttle-rate", "0.05", "--error-rate", "0.05", "--drop-rate", "0.05",
                          "--seed", "7", "--quiet"});
  ClientConfig config = LocalConfig(endpoint);
  config.max_in_flight = 32;
  // Ten attempts, short waits and a quota that never runs dry: the test is
  // about every call completing once, not the backoff or the quota.
  StandardRetryOptions retry;
  retry.max_attempts = 10;
  retry.quota_capacity = 1000000;
  config.retry_policy = std::make_shared<StandardRetryPolicy>(retry, [] { return 0.01; });
  constexpr std::size_t kCalls = 1000;
  std::vector<std::atomic<int>> completions(kCalls);
  std::atomic<std::size_t> succeeded{0};
  std::mutex errors_mutex;
  std::map<std::string, int> errors;  // what the failed calls threw, by message
  CompletionCounter counter;
  {
    Client client(config);
    const DetectCustomLabelsRequest request = SampleRequest();
    for (std::size_t i = 0; i < kCalls; ++i)
      client.DetectCustomLabelsAsync(request, [&, i](Outcome<DetectCustomLabelsResult> outcome) {
        if (outcome.ok() && !outcome.value().custom_labels.empty()) ++succeeded;
        if (!outcome.ok()) {
          std::string what = "unknown";
          try {
            std::rethrow_exception(outcome.error());
          } catch (const std::exception& e) {
            what = e.what();
          }
          std::lock_guard<std::mutex> lock(errors_mutex);
          ++errors[what];
        }
        ++completions[i];
        counter.Add();
      });
    REQUIRE(counter.WaitFor(kCalls, milliseconds(120000)));
  }
  std::size_t exactly_once = 0;
  for (auto& c : completions) exactly_once += c.load() == 1 ? 1 : 0;
  CHECK(exactly_once == kCalls);
  // Ten attempts through 15% faults: every call gets its labels.
  for (const auto& error : errors) UNSCOPED_INFO(error.second << " x " << error.first);
  CHECK(succeeded == kCalls);
}

TEST_CASE("64 calls in flight overlap on one I/O thread", "[async][concurrency]") {
  // Each answer takes 300 ms: one after another, 64 calls would take 19 s.
  LocalEndpoint endpoint({"--latency-ms", "300", "--quiet"});
  ClientConfig config = LocalConfig(endpoint);
  config.max_in_flight = 64;
  Client client(config);
  const DetectCustomLabelsRequest request = SampleRequest();
  std::vector<std::future<DetectCustomLabelsResult>> futures;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 64; ++i) futures.push_back(client.DetectCustomLabelsAsync(request));
  for (auto& future : futures) CHECK_FALSE(future.get().custom_labels.empty());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(elapsed < std::chrono::seconds(6));
}

TEST_CASE("cancelling a call on the wire ends it at once", "[async][concurrency]") {
  LocalEndpoint endpoint({"--latency-ms", "5000", "--quiet"});
  Client client(LocalConfig(endpoint));
  std::promise<Outcome<DetectCustomLabelsResult>> got;
  const auto started = std::chrono::steady_clock::now();
  const CallHandle handle = client.DetectCustomLabelsAsync(
      SampleRequest(), [&](Outcome<DetectCustomLabelsResult> o) { got.set_value(std::move(o)); });
  std::this_thread::sleep_for(milliseconds(200));
  handle.Cancel();
  auto future = got.get_future();
  REQUIRE(future.wait_for(milliseconds(3000)) == std::future_status::ready);
  CHECK(std::chrono::steady_clock::now() - started < milliseconds(3000));
  auto outcome = future.get();
  REQUIRE_FALSE(outcome.ok());
  try {
    std::rethrow_exception(outcome.error());
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kCancelled);
  }
}

TEST_CASE("the call timeout bounds an asynchronous call", "[async][concurrency]") {
  LocalEndpoint endpoint({"--latency-ms", "3000", "--quiet"});
  ClientConfig config = LocalConfig(endpoint);
  config.call_timeout = milliseconds(500);
  Client client(config);
  auto future = client.DetectCustomLabelsAsync(SampleRequest());
  REQUIRE(future.wait_for(milliseconds(2500)) == std::future_status::ready);
  try {
    future.get();
    FAIL("expected a timeout");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kTimeout);
  }
}

TEST_CASE("the read timeout ends an asynchronous call to a silent peer", "[async][concurrency]") {
  // libcurl looks at a transfer only when its socket or timer fires; a peer
  // that never answers fires neither, and the driver must still notice.
  LocalEndpoint endpoint({"--latency-ms", "10000", "--quiet"});
  ClientConfig config = LocalConfig(endpoint);
  config.transport_options.read_timeout = milliseconds(600);
  config.retry.max_attempts = 1;
  Client client(config);
  const auto started = std::chrono::steady_clock::now();
  auto future = client.DetectCustomLabelsAsync(SampleRequest());
  REQUIRE(future.wait_for(milliseconds(5000)) == std::future_status::ready);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  try {
    future.get();
    FAIL("expected a read timeout");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kTimeout);
    CHECK(std::string(e.what()).find("read timeout") != std::string::npos);
    CHECK(e.attempts() == 1);
  }
  CHECK(elapsed >= milliseconds(600));
  CHECK(elapsed < milliseconds(2500));
}
