// rekognition-cpp: the event loop behind a client's asynchronous calls: one
// thread that runs a transport's async driver, timers and posted tasks.
#ifndef REKOGNITION_HTTP_EVENT_LOOP_HPP
#define REKOGNITION_HTTP_EVENT_LOOP_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "rekognition/http/async_driver.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// One I/O thread, started by the first Post and joined by Stop. Tasks posted
// from any thread run on it in order; timers (set from the loop's thread)
// fire on it; between them it sits in the driver's Run, so a retry's backoff
// is a timer, never a sleeping thread. Not copyable.
class EventLoop {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Task = std::function<void()>;

  // `clock` null: std::chrono::steady_clock. With a clock of its own (a test's
  // manual clock) the loop looks at its timers every 5 ms, so that moving the
  // clock forward fires them promptly.
  EventLoop(std::unique_ptr<AsyncHttpDriver> driver, Clock clock)
      : state_(std::make_shared<State>(std::move(driver), std::move(clock))) {}
  ~EventLoop() { Stop(); }
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs `task` on the loop's thread (starting it if needed). Thread-safe.
  // Wakes the driver only when the loop waits in it, once per wait: a loop
  // running tasks looks at its tasks again before it waits, and one wake-up
  // makes the driver's Run return, after which the loop takes every task
  // posted meanwhile. So a burst of calls costs at most one wake-up.
  void Post(Task task) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->stopping) return;  // the owner is going away
      state_->posted.push_back(std::move(task));
      wake = std::exchange(state_->waiting, false);
      if (!state_->started) {
        state_->started = true;
        // The thread shares the state, so a loop stopped from its own thread
        // (its owner destroyed by a completion) can still end cleanly.
        thread_ = std::thread([state = state_] { state->Loop(); });
      }
    }
    if (wake) state_->driver->Wake();
  }

  // Runs `task` on the loop's thread once `delay` has passed on the loop's
  // clock. Loop thread only. Returns an id for CancelTimer.
  std::uint64_t After(std::chrono::milliseconds delay, Task task) {
    const std::uint64_t id = ++state_->last_timer;
    state_->timers.emplace(std::make_pair(state_->clock() + delay, id), std::move(task));
    return id;
  }

  // Forgets a timer that has not fired. Loop thread only.
  void CancelTimer(std::uint64_t id) {
    auto& timers = state_->timers;
    for (auto it = timers.begin(); it != timers.end(); ++it)
      if (it->first.second == id) {
        timers.erase(it);
        return;
      }
  }

  // The transport's driver. Loop thread only.
  AsyncHttpDriver& driver() noexcept { return *state_->driver; }

  // Whether the caller is the loop's own thread.
  bool OnLoopThread() const noexcept {
    return thread_.joinable() && std::this_thread::get_id() == thread_.get_id();
  }

  // Ends the loop and joins its thread; tasks and timers not yet run are
  // dropped, so the owner finishes what is in flight first. Called from the
  // loop's own thread, it detaches the thread instead, which ends as soon as
  // the task or completion running now returns.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->stopping) return;
      state_->stopping = true;
    }
    if (!thread_.joinable()) return;
    state_->driver->Wake();
    if (OnLoopThread())
      thread_.detach();
    else
      thread_.join();
  }

 private:
  struct State {
    State(std::unique_ptr<AsyncHttpDriver> d, Clock c)
        : driver(std::move(d)), clock(std::move(c)), manual_clock(clock != nullptr) {
      if (!clock) clock = [] { return std::chrono::steady_clock::now(); };
    }

    bool Stopping() {
      std::lock_guard<std::mutex> lock(mutex);
      return stopping;
    }

    void Loop() {
      while (!Stopping()) {
        std::vector<Task> tasks;
        {
          std::lock_guard<std::mutex> lock(mutex);
          tasks.swap(posted);
          waiting = false;
        }
        for (Task& task : tasks) {
          task();
          if (Stopping()) return;
        }
        if (!RunDueTimers()) return;
        driver->Run(WaitBudget());
      }
    }

    // False when a timer stopped the loop.
    bool RunDueTimers() {
      const auto now = clock();
      while (!timers.empty() && timers.begin()->first.first <= now) {
        Task task = std::move(timers.begin()->second);
        timers.erase(timers.begin());
        task();
        if (Stopping()) return false;
      }
      return true;
    }

    // How long the driver may wait: until the next timer, at most a second
    // (5 ms with a manual clock), 0 when tasks are waiting. Otherwise marks
    // the loop as waiting, so that Post wakes the driver from here on.
    std::chrono::milliseconds WaitBudget() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!posted.empty() || stopping) return std::chrono::milliseconds(0);
        waiting = true;
      }
      std::chrono::milliseconds budget(manual_clock ? 5 : 1000);
      if (!timers.empty()) {
        const auto until =
            std::chrono::ceil<std::chrono::milliseconds>(timers.begin()->first.first - clock());
        budget = std::clamp(until, std::chrono::milliseconds(0), budget);
      }
      return budget;
    }

    std::unique_ptr<AsyncHttpDriver> driver;
    Clock clock;
    const bool manual_clock;
    std::mutex mutex;
    std::vector<Task> posted;  // guarded by mutex
    bool started = false;      // guarded by mutex
    bool stopping = false;     // guarded by mutex
    // Guarded by mutex: from WaitBudget (nothing posted) until the loop next
    // takes its tasks or a Post wakes it, the loop is in, or on its way
    // into, the driver's Run.
    bool waiting = false;
    // Loop thread only: timers by (due time, id), so equal times keep order.
    std::map<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>, Task> timers;
    std::uint64_t last_timer = 0;
  };

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_EVENT_LOOP_HPP
