// The event loop of the asynchronous client: posted tasks reach its thread,
// waking the driver only when the loop waits in it.
#include <rekognition/http/event_loop.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>

using namespace rekognition;

namespace event_loop_test {

namespace {

constexpr auto kPatience = std::chrono::seconds(10);  // a hang, not a slow machine

// A driver with no transfers whose Run, given any time at all, sleeps until
// Wake: so a task posted without a wake-up would never run. While held, a
// woken Run does not return.
class GateDriver : public AsyncHttpDriver {
 public:
  std::uint64_t Start(const HttpRequest&, HttpCompletion) override { return 0; }
  void Cancel(std::uint64_t) override {}
  void Run(std::chrono::milliseconds max_wait) override {
    if (max_wait.count() == 0) return;
    std::unique_lock<std::mutex> lock(mutex_);
    ++sleeping_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return woken_; });
    woken_ = false;
    --sleeping_;
    changed_.wait(lock, [&] { return !held_; });
  }
  void Wake() noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
    ++wakes_;
    changed_.notify_all();
  }

  // Waits until the loop sleeps in Run; false after kPatience.
  bool AwaitSleeping() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return sleeping_ > 0; });
  }
  void Hold(bool held) {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ = held;
    changed_.notify_all();
  }
  int wakes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return wakes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool held_ = false;
  int sleeping_ = 0;
  int wakes_ = 0;
};

bool Ready(std::future<void>& future) {
  return future.wait_for(kPatience) == std::future_status::ready;
}

// Starts the loop with a task that fulfils `first` (the caller's, so it
// outlives the loop), and waits until the loop sleeps in the driver.
void StartAndLetSleep(detail::EventLoop& loop, GateDriver& driver, std::promise<void>& first) {
  loop.Post([&] { first.set_value(); });
  auto first_done = first.get_future();
  REQUIRE(Ready(first_done));
  REQUIRE(driver.AwaitSleeping());
}

}  // namespace

TEST_CASE("a task posted while the loop waits in the driver wakes it", "[async][concurrency]") {
  // Declared before the loop, which may still run a task if a check fails.
  std::promise<void> first, second;
  auto owned = std::make_unique<GateDriver>();
  GateDriver& driver = *owned;
  detail::EventLoop loop(std::move(owned), nullptr);

  StartAndLetSleep(loop, driver, first);

  const int wakes_before = driver.wakes();
  loop.Post([&] { second.set_value(); });
  auto second_done = second.get_future();
  CHECK(Ready(second_done));
  CHECK(driver.wakes() == wakes_before + 1);
}

TEST_CASE("tasks posted while the loop waits cost one wake-up between them",
          "[async][concurrency]") {
  std::promise<void> first, one, two, three;
  auto owned = std::make_unique<GateDriver>();
  GateDriver& driver = *owned;
  detail::EventLoop loop(std::move(owned), nullptr);

  StartAndLetSleep(loop, driver, first);

  // The first post wakes the driver, which is held in Run: the next two
  // posts find the wake-up pending and add none.
  driver.Hold(true);
  const int wakes_before = driver.wakes();
  loop.Post([&] { one.set_value(); });
  loop.Post([&] { two.set_value(); });
  loop.Post([&] { three.set_value(); });
  CHECK(driver.wakes() == wakes_before + 1);
  driver.Hold(false);

  auto one_done = one.get_future();
  auto two_done = two.get_future();
  auto three_done = three.get_future();
  CHECK(Ready(one_done));
  CHECK(Ready(two_done));
  CHECK(Ready(three_done));
  CHECK(driver.wakes() == wakes_before + 1);
}

TEST_CASE("tasks posted while the loop is busy run without waking the driver",
          "[async][concurrency]") {
  std::promise<void> busy, release, from_outside, from_inside;
  std::shared_future<void> released = release.get_future().share();
  int wakes_inside = -1;
  auto owned = std::make_unique<GateDriver>();
  GateDriver& driver = *owned;
  detail::EventLoop loop(std::move(owned), nullptr);

  // A long task holds the loop; tasks posted meanwhile, from this thread and
  // from the loop's own, need no wake-up: the loop looks before it waits.
  auto busy_started = busy.get_future();
  loop.Post([&] {
    busy.set_value();
    released.wait();
    const int before = driver.wakes();
    loop.Post([&] { from_inside.set_value(); });
    wakes_inside = driver.wakes() - before;
  });
  REQUIRE(Ready(busy_started));
  const int wakes_before = driver.wakes();
  loop.Post([&] { from_outside.set_value(); });
  CHECK(driver.wakes() == wakes_before);
  release.set_value();

  auto outside_done = from_outside.get_future();
  auto inside_done = from_inside.get_future();
  CHECK(Ready(outside_done));
  CHECK(Ready(inside_done));
  CHECK(wakes_inside == 0);
  CHECK(driver.wakes() == wakes_before);
}

}  // namespace event_loop_test
