// The asynchronous client: futures and completions over the stub transport
// and a driver that holds transfers until the test answers them. Ordering,
// errors, cancellation, the bound on calls in flight, retries on the loop's
// timers, and destroying the client with calls in flight.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/testing/stub_transport.hpp>
#include <rekognition/testing/stubber.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace rekognition;
using std::chrono::milliseconds;

namespace async_client_test {

namespace {

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
constexpr const char* kLabelsBody = R"({"CustomLabels":[{"Name":"logo","Confidence":98.5}]})";

std::string TinyPng() {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0dIHDR", 8);
  png += std::string("\0\0\0\x40\0\0\0\x40\x08\x02\0\0\0", 13);
  png += std::string("\0\0\0\0", 4);
  return png;
}

DetectCustomLabelsRequest Request(double min_confidence = 70) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromBytes(TinyPng());
  request.min_confidence = min_confidence;
  return request;
}

ClientConfig BaseConfig(std::shared_ptr<HttpTransport> transport) {
  ClientConfig config;
  config.region = "us-east-1";
  config.credentials =
      Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
  config.transport = std::move(transport);
  config.retry_policy =
      std::make_shared<StandardRetryPolicy>(StandardRetryOptions{}, [] { return 0.5; });
  // Asynchronous calls never sleep a thread: a sleep here fails the test.
  config.sleep = [](milliseconds) { FAIL("an asynchronous call slept a thread"); };
  return config;
}

// A transport whose asynchronous sends wait until the test answers them, in
// any order, from any thread. Its blocking Send is not used by these tests.
class HeldTransport : public HttpTransport {
 public:
  struct Held {
    std::uint64_t id;
    std::string body;
    HttpCompletion done;
  };

  HttpResult Send(const HttpRequest&) override {
    return TransportFailure{TransportErrorKind::kOther, 0, "blocking send not expected"};
  }

  std::unique_ptr<AsyncHttpDriver> MakeAsyncDriver() override {
    return std::make_unique<Driver>(*this);
  }

  // Waits until `count` sends are held (and started in total).
  bool WaitForHeld(std::size_t count, milliseconds timeout = milliseconds(5000)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return held_.size() >= count; });
  }
  std::size_t held() {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_.size();
  }
  std::size_t most_held() {
    std::lock_guard<std::mutex> lock(mutex_);
    return most_held_;
  }
  std::size_t started() {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_;
  }
  std::size_t cancelled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }
  // Answers the oldest held send with `status` and `body`.
  void AnswerOldest(int status = 200, std::string body = kLabelsBody) {
    std::lock_guard<std::mutex> lock(mutex_);
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    answers_.push_back(std::move(response));
    changed_.notify_all();  // the driver's Run waits on it
  }

 private:
  class Driver : public AsyncHttpDriver {
   public:
    explicit Driver(HeldTransport& owner) : owner_(owner) {}
    std::uint64_t Start(const HttpRequest& request, HttpCompletion done) override {
      std::lock_guard<std::mutex> lock(owner_.mutex_);
      owner_.held_.push_back(Held{++last_id_, std::string(request.body), std::move(done)});
      ++owner_.started_;
      owner_.most_held_ = std::max(owner_.most_held_, owner_.held_.size());
      owner_.changed_.notify_all();
      return last_id_;
    }
    void Cancel(std::uint64_t id) override {
      HttpCompletion done;
      {
        std::lock_guard<std::mutex> lock(owner_.mutex_);
        for (auto it = owner_.held_.begin(); it != owner_.held_.end(); ++it)
          if (it->id == id) {
            done = std::move(it->done);
            owner_.held_.erase(it);
            ++owner_.cancelled_;
            break;
          }
      }
      if (done) done(TransportFailure{TransportErrorKind::kCancelled, 0, "cancelled"});
    }
    void Run(milliseconds max_wait) override {
      std::vector<std::pair<HttpCompletion, HttpResponse>> ready;
      {
        std::unique_lock<std::mutex> lock(owner_.mutex_);
        owner_.changed_.wait_for(lock, max_wait, [&] {
          return woken_ || (!owner_.answers_.empty() && !owner_.held_.empty());
        });
        woken_ = false;
        while (!owner_.answers_.empty() && !owner_.held_.empty()) {
          ready.emplace_back(std::move(owner_.held_.front().done),
                             std::move(owner_.answers_.front()));
          owner_.held_.pop_front();
          owner_.answers_.pop_front();
        }
        owner_.changed_.notify_all();
      }
      for (auto& entry : ready) entry.first(std::move(entry.second));
    }
    void Wake() noexcept override {
      {
        std::lock_guard<std::mutex> lock(owner_.mutex_);
        woken_ = true;
      }
      owner_.changed_.notify_all();
    }

   private:
    HeldTransport& owner_;
    std::uint64_t last_id_ = 0;
    bool woken_ = false;  // guarded by owner_.mutex_
  };

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Held> held_;
  std::deque<HttpResponse> answers_;
  std::size_t most_held_ = 0;
  std::size_t started_ = 0;
  std::size_t cancelled_ = 0;
};

template <typename T>
bool ReadyWithin(std::future<T>& future, milliseconds timeout = milliseconds(5000)) {
  return future.wait_for(timeout) == std::future_status::ready;
}

}  // namespace

TEST_CASE("an asynchronous call sends what the blocking call sends and returns its result",
          "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, kLabelsBody, {{"x-amzn-RequestId", "sync-1"}});
  stub->Respond(200, kLabelsBody, {{"x-amzn-RequestId", "async-1"}});
  ClientConfig config = BaseConfig(stub);
  config.clock = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
  };
  Client client(config);

  const auto blocking = client.DetectCustomLabels(Request());
  auto future = client.DetectCustomLabelsAsync(Request());
  REQUIRE(ReadyWithin(future));
  const auto result = future.get();

  CHECK(result.request_id == "async-1");
  CHECK(result.attempts == 1);
  REQUIRE(result.custom_labels.size() == blocking.custom_labels.size());
  CHECK(result.custom_labels[0].name == "logo");
  const auto requests = stub->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].body == requests[1].body);
  // Same headers but the per-call invocation id (and so the signature).
  for (const char* name : {"Host", "Content-Type", "X-Amz-Target", "User-Agent", "X-Amz-Date"})
    CHECK(*requests[0].Header(name) == *requests[1].Header(name));
  const auto signed_headers = [](const std::string& authorization) {
    return authorization.substr(0, authorization.find("Signature="));
  };
  CHECK(signed_headers(*requests[0].Header("Authorization")) ==
        signed_headers(*requests[1].Header("Authorization")));
  CHECK(*requests[1].Header("amz-sdk-request") == "attempt=1; max=3");
}

TEST_CASE("errors reach the future and the completion as the blocking call's exception types",
          "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  const std::string not_found =
      R"({"__type":"ResourceNotFoundException","message":"no such model"})";
  stub->Respond(400, not_found, {{"x-amzn-RequestId", "r-1"}});
  stub->Respond(400, not_found, {{"x-amzn-RequestId", "r-2"}});
  Client client(BaseConfig(stub));

  auto future = client.DetectCustomLabelsAsync(Request());
  REQUIRE(ReadyWithin(future));
  CHECK_THROWS_AS(future.get(), ResourceNotFoundException);

  std::promise<Outcome<DetectCustomLabelsResult>> got;
  client.DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> outcome) {
    got.set_value(std::move(outcome));
  });
  auto outcome_future = got.get_future();
  REQUIRE(ReadyWithin(outcome_future));
  auto outcome = outcome_future.get();
  REQUIRE_FALSE(outcome.ok());
  try {
    std::rethrow_exception(outcome.error());
  } catch (const ResourceNotFoundException& e) {
    CHECK(e.request_id() == "r-2");
    CHECK(e.http_status() == 400);
  }
}

TEST_CASE("an empty completion is allowed: the call runs and its outcome goes nowhere",
          "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, kLabelsBody);
  Client client(BaseConfig(stub));
  // The client reports a completion's trouble on stderr: capture it.
  std::fflush(stderr);
  std::FILE* captured = std::tmpfile();
  REQUIRE(captured != nullptr);
  const int saved_stderr = ::dup(2);
  REQUIRE(::dup2(::fileno(captured), 2) == 2);

  const CallHandle handle = client.DetectCustomLabelsAsync(Request(), nullptr);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!handle.done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(1));
  std::this_thread::sleep_for(milliseconds(20));  // the I/O thread is done with the call
  // A request that fails validation, with nobody to tell, is no error either.
  bool threw = false;
  try {
    client.DetectCustomLabelsAsync(DetectCustomLabelsRequest{}, nullptr);
  } catch (...) {
    threw = true;
  }

  std::fflush(stderr);
  ::dup2(saved_stderr, 2);
  ::close(saved_stderr);
  std::string written(4096, '\0');
  std::rewind(captured);
  written.resize(std::fread(&written[0], 1, written.size(), captured));
  std::fclose(captured);
  CHECK(handle.done());
  CHECK(stub->requests().size() == 1);
  CHECK_FALSE(threw);
  CHECK(written.empty());
}

TEST_CASE("a request that fails validation completes before the call returns, sending nothing",
          "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  Client client(BaseConfig(stub));
  auto bad = Request(150);  // MinConfidence above 100

  auto future = client.DetectCustomLabelsAsync(bad);
  REQUIRE(future.wait_for(milliseconds(0)) == std::future_status::ready);
  CHECK_THROWS_AS(future.get(), ValidationError);

  bool completed = false;
  const CallHandle handle =
      client.DetectCustomLabelsAsync(bad, [&](Outcome<DetectCustomLabelsResult> outcome) {
        completed = true;
        CHECK_THROWS_AS(outcome.value(), ValidationError);
      });
  CHECK(completed);
  CHECK(handle.done());
  CHECK(stub->requests().empty());
}

TEST_CASE("every lifecycle operation has both asynchronous forms", "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, R"({"Status":"STARTING"})");
  stub->Respond(200, R"({"ProjectDescriptions":[]})");
  Client client(BaseConfig(stub));
  StartProjectVersionRequest start;
  start.project_version_arn = kArn;
  start.min_inference_units = 1;
  auto started = client.StartProjectVersionAsync(start);
  REQUIRE(ReadyWithin(started));
  CHECK(started.get().status == ProjectVersionStatus::kStarting);

  std::promise<bool> described;
  client.DescribeProjectsAsync(
      DescribeProjectsRequest{}, [&](Outcome<DescribeProjectsResult> outcome) {
        described.set_value(outcome.ok() && outcome.value().project_descriptions.empty());
      });
  auto described_future = described.get_future();
  REQUIRE(ReadyWithin(described_future));
  CHECK(described_future.get());
  const auto requests = stub->requests();
  REQUIRE(requests.size() == 2);
  CHECK(*requests[0].Header("X-Amz-Target") == "RekognitionService.StartProjectVersion");
  CHECK(*requests[1].Header("X-Amz-Target") == "RekognitionService.DescribeProjects");
}

TEST_CASE("calls beyond max_in_flight queue and start in order as earlier ones complete",
          "[async][concurrency]") {
  auto held = std::make_shared<HeldTransport>();
  ClientConfig config = BaseConfig(held);
  config.max_in_flight = 3;
  Client client(config);

  std::mutex mutex;
  std::vector<double> completed;  // the MinConfidence of each call, in completion order
  std::vector<std::future<void>> done;
  std::vector<std::promise<void>> promises(10);
  for (int i = 0; i < 10; ++i) {
    done.push_back(promises[i].get_future());
    client.DetectCustomLabelsAsync(Request(10 + i), [&, i](Outcome<DetectCustomLabelsResult> o) {
      std::lock_guard<std::mutex> lock(mutex);
      completed.push_back(o.ok() ? 10 + i : -1);
      promises[i].set_value();
    });
  }
  REQUIRE(held->WaitForHeld(3));
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(held->started() == 3);  // the other seven wait
  for (int i = 0; i < 10; ++i) held->AnswerOldest();
  for (auto& f : done) REQUIRE(f.wait_for(milliseconds(5000)) == std::future_status::ready);
  CHECK(held->most_held() == 3);
  CHECK(held->started() == 10);
  std::vector<double> expected;
  for (int i = 0; i < 10; ++i) expected.push_back(10 + i);
  CHECK(completed == expected);
}

TEST_CASE("cancelling a queued call completes it at once and it is never sent",
          "[async][concurrency]") {
  auto held = std::make_shared<HeldTransport>();
  ClientConfig config = BaseConfig(held);
  config.max_in_flight = 1;
  Client client(config);

  auto first = client.DetectCustomLabelsAsync(Request());
  REQUIRE(held->WaitForHeld(1));
  std::promise<Outcome<DetectCustomLabelsResult>> second;
  const CallHandle handle = client.DetectCustomLabelsAsync(
      Request(), [&](Outcome<DetectCustomLabelsResult> o) { second.set_value(std::move(o)); });
  CHECK_FALSE(handle.done());
  handle.Cancel();
  auto second_future = second.get_future();
  REQUIRE(ReadyWithin(second_future));
  auto outcome = second_future.get();
  REQUIRE_FALSE(outcome.ok());
  try {
    std::rethrow_exception(outcome.error());
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kCancelled);
    CHECK_FALSE(e.retryable());
  }
  CHECK(handle.done());
  held->AnswerOldest();
  REQUIRE(ReadyWithin(first));
  CHECK(first.get().custom_labels.size() == 1);
  CHECK(held->started() == 1);
}

TEST_CASE("cancelling a call in flight stops its transfer and completes it once",
          "[async][concurrency]") {
  auto held = std::make_shared<HeldTransport>();
  Client client(BaseConfig(held));
  std::atomic<int> completions{0};
  std::promise<Outcome<DetectCustomLabelsResult>> got;
  const CallHandle handle =
      client.DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> o) {
        if (++completions == 1) got.set_value(std::move(o));
      });
  REQUIRE(held->WaitForHeld(1));
  handle.Cancel();
  auto future = got.get_future();
  REQUIRE(ReadyWithin(future));
  CHECK_THROWS_AS(future.get().value(), TransportError);
  CHECK(held->cancelled() == 1);
  handle.Cancel();  // a second cancel, after completion, does nothing
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(completions == 1);
}

TEST_CASE("retries wait on the loop's timers, not a sleeping thread", "[async][concurrency]") {
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(503, R"({"__type":"ServiceUnavailableException"})");
  stub->Respond(200, kLabelsBody);
  ClientConfig config = BaseConfig(stub);
  std::atomic<long long> manual_ms{0};
  const auto epoch = std::chrono::steady_clock::now();
  config.timer_clock = [&] { return epoch + milliseconds(manual_ms.load()); };
  std::mutex log_mutex;
  std::vector<std::string> log;
  config.debug_log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mutex);
    log.push_back(line);
  };
  Client client(config);

  auto future = client.DetectCustomLabelsAsync(Request());
  // With the timer clock standing still, the second attempt does not happen.
  CHECK(future.wait_for(milliseconds(300)) == std::future_status::timeout);
  CHECK(stub->requests().size() == 1);
  long long delay_ms = -1;
  {
    std::lock_guard<std::mutex> lock(log_mutex);
    for (const auto& line : log) {
      const auto at = line.find("retrying in ");
      if (at != std::string::npos) delay_ms = std::stoll(line.substr(at + 12));
    }
  }
  REQUIRE(delay_ms > 1);  // the policy's backoff (jitter fixed at 0.5)
  manual_ms = delay_ms - 1;
  CHECK(future.wait_for(milliseconds(100)) == std::future_status::timeout);
  manual_ms = delay_ms;
  REQUIRE(ReadyWithin(future));
  const auto result = future.get();
  CHECK(result.attempts == 2);
  const auto requests = stub->requests();
  REQUIRE(requests.size() == 2);
  CHECK(*requests[1].Header("amz-sdk-request") == "attempt=2; max=3");
}

TEST_CASE("destroying the client waits for the calls in flight", "[async][concurrency]") {
  auto held = std::make_shared<HeldTransport>();
  std::atomic<bool> completed{false};
  std::thread answerer;
  {
    Client client(BaseConfig(held));
    client.DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> o) {
      std::this_thread::sleep_for(milliseconds(20));
      completed = o.ok();
    });
    REQUIRE(held->WaitForHeld(1));
    answerer = std::thread([&] {
      std::this_thread::sleep_for(milliseconds(100));
      held->AnswerOldest();
    });
  }  // ~Client
  CHECK(completed);
  answerer.join();
}

TEST_CASE("a completion may drop the last copy of the client", "[async][concurrency]") {
  auto held = std::make_shared<HeldTransport>();
  auto client = std::make_unique<Client>(BaseConfig(held));
  std::promise<void> finished;
  std::atomic<int> cancelled_others{0};
  std::atomic<bool> first_ok{false};
  client->DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> o) {
    first_ok = o.ok();
    client.reset();  // on the I/O thread: the other call is cancelled
    finished.set_value();
  });
  client->DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> o) {
    try {
      o.value();
    } catch (const TransportError& e) {
      if (e.kind() == TransportErrorKind::kCancelled) ++cancelled_others;
    }
  });
  REQUIRE(held->WaitForHeld(2));
  held->AnswerOldest();
  auto future = finished.get_future();
  REQUIRE(future.wait_for(milliseconds(5000)) == std::future_status::ready);
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(first_ok);
  CHECK(cancelled_others == 1);
}

TEST_CASE("a queued call that fails as it starts may drop the last copy of the client",
          "[async][concurrency]") {
  // The first call's completion frees its slot and starts the queued call,
  // whose deadline has passed: it fails at once, and its completion drops
  // the client while the first call is still being released.
  auto held = std::make_shared<HeldTransport>();
  ClientConfig config = BaseConfig(held);
  config.max_in_flight = 1;
  config.call_timeout = milliseconds(100);
  auto client = std::make_unique<Client>(config);
  std::promise<void> finished;
  std::atomic<bool> first_ok{false};
  std::atomic<bool> second_timed_out{false};
  client->DetectCustomLabelsAsync(
      Request(), [&](Outcome<DetectCustomLabelsResult> o) { first_ok = o.ok(); });
  client->DetectCustomLabelsAsync(Request(), [&](Outcome<DetectCustomLabelsResult> o) {
    try {
      o.value();
    } catch (const TransportError& e) {
      second_timed_out = e.kind() == TransportErrorKind::kTimeout;
    }
    client.reset();  // on the I/O thread, inside the release of the first call
    finished.set_value();
  });
  REQUIRE(held->WaitForHeld(1));
  std::this_thread::sleep_for(milliseconds(250));  // past the queued call's deadline
  held->AnswerOldest();
  auto future = finished.get_future();
  REQUIRE(future.wait_for(milliseconds(5000)) == std::future_status::ready);
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(first_ok);
  CHECK(second_timed_out);
  CHECK(held->started() == 1);
}

TEST_CASE("a RekognitionApi fake serves the asynchronous forms from its blocking ones", "[async]") {
  struct Fake : RekognitionApi {
    DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& r) override {
      if (!r.min_confidence)
        throw ValidationError("MinConfidence", "required", "required by this fake");
      DetectCustomLabelsResult result;
      result.request_id = "fake";
      return result;
    }
  } fake;
  RekognitionApi& api = fake;
  CHECK(api.DetectCustomLabelsAsync(Request()).get().request_id == "fake");
  auto without = Request();
  without.min_confidence.reset();
  CHECK_THROWS_AS(api.DetectCustomLabelsAsync(without).get(), ValidationError);
  int calls = 0;
  api.DetectCustomLabelsAsync(without, [&](Outcome<DetectCustomLabelsResult> o) {
    ++calls;
    CHECK_FALSE(o.ok());
  });
  CHECK(calls == 1);
  CHECK_THROWS_AS(api.StopProjectVersionAsync(StopProjectVersionRequest{}).get(), Error);
}

TEST_CASE("the Stubber answers asynchronous calls, and its failed expectations reach the future",
          "[async][concurrency]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  DetectCustomLabelsResult labels;
  labels.custom_labels.push_back(CustomLabel{});
  labels.custom_labels[0].name = "logo";
  labels.custom_labels[0].confidence = 90;
  const DetectCustomLabelsRequest request = Request();
  stubber.AddResponse(labels, request);
  stubber.AddResponse(labels, request);

  auto matching = client.DetectCustomLabelsAsync(request);
  REQUIRE(ReadyWithin(matching));
  CHECK(matching.get().custom_labels[0].name == "logo");

  // Another request than the one expected: the blocking call would throw
  // StubAssertionError, and so does the future.
  auto other = client.DetectCustomLabelsAsync(Request(99));
  REQUIRE(ReadyWithin(other));
  CHECK_THROWS_AS(other.get(), StubAssertionError);
  CHECK_THROWS_AS(stubber.AssertNoPendingResponses(), StubAssertionError);
}

}  // namespace async_client_test
