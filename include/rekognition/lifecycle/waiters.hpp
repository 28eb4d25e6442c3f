// rekognition-cpp: waiters for model versions (botocore's
// ProjectVersionRunning and ProjectVersionTrainingCompleted, and
// ProjectVersionStopped), with injectable clock and sleep and cancellation.
#ifndef REKOGNITION_LIFECYCLE_WAITERS_HPP
#define REKOGNITION_LIFECYCLE_WAITERS_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "rekognition/errors.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// A flag that cancels waits. Copies share the flag. Cancel() is one atomic
/// store, so it may be called from any thread and from a signal handler.
/// Thread-safe.
class CancellationToken {
 public:
  CancellationToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  /// Asks every wait using this token to stop at its next check (at most
  /// 50 ms later with the default sleep). No throw; async-signal-safe.
  void Cancel() const noexcept { flag_->store(true); }
  /// True once Cancel() was called. No throw.
  bool cancelled() const noexcept { return flag_->load(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

/// One poll of a waiter, as reported to WaiterOptions::on_status.
struct WaiterProgress {
  std::string_view waiter;  ///< e.g. "ProjectVersionRunning"
  int attempt = 0;          ///< this poll, from 1
  int max_attempts = 0;
  std::chrono::milliseconds elapsed{0};  ///< since the wait began (waiter clock)
  /// The versions the poll described (one per version name asked for).
  std::vector<ProjectVersionDescription> descriptions;
};

/// How a waiter polls. Unset members take the waiter's defaults (botocore's:
/// 30 s and 40 attempts until running, 120 s and 360 attempts until trained).
struct WaiterOptions {
  /// Time between polls (fractions of a second allowed).
  std::optional<std::chrono::milliseconds> delay;
  /// Polls before giving up, >= 1.
  std::optional<int> max_attempts;
  /// Overall limit: no poll starts after it (the last sleep is shortened to
  /// end at it). Unset: only max_attempts limits the wait.
  std::optional<std::chrono::milliseconds> timeout;
  /// Stops the wait (WaiterCancelledError) at the next check.
  CancellationToken cancellation;
  /// The waiter's clock. Null: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> clock;
  /// Sleeps between polls. Null: sleeps in slices of at most 50 ms, checking
  /// the cancellation token. Tests inject one that advances their clock.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Called after every poll with what it saw. Must not throw.
  std::function<void(const WaiterProgress&)> on_status;
};

/// A waiter did not reach its success state. what() names the waiter, the
/// reason and the last status seen.
class WaiterError : public Error {
 public:
  WaiterError(std::string code, std::string message, int attempts,
              std::vector<ProjectVersionDescription> last)
      : Error(ErrorInfo{std::move(code), std::move(message), 0, "", attempts, false}),
        last_(std::move(last)) {}
  /// The descriptions of the last poll (empty when none succeeded).
  const std::vector<ProjectVersionDescription>& last_descriptions() const noexcept { return last_; }

 private:
  std::vector<ProjectVersionDescription> last_;
};

/// A failure state was reached (e.g. FAILED while waiting for RUNNING);
/// message() carries the version's StatusMessage. Code "WaiterFailure".
class WaiterFailureError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

/// max_attempts or the timeout ran out. Code "WaiterTimeout".
class WaiterTimeoutError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

/// The wait was cancelled. Code "WaiterCancelled".
class WaiterCancelledError : public WaiterError {
 public:
  using WaiterError::WaiterError;
};

namespace detail {

/// A waiter definition: botocore's acceptors on
/// ProjectVersionDescriptions[].Status (success when all match, failure when
/// any matches).
struct ProjectVersionWaiter {
  std::string_view name;
  ProjectVersionStatus success;
  ProjectVersionStatus failure;
  std::chrono::milliseconds delay;
  int max_attempts;
};

inline constexpr ProjectVersionWaiter kRunningWaiter{
    "ProjectVersionRunning", ProjectVersionStatus::kRunning, ProjectVersionStatus::kFailed,
    std::chrono::milliseconds(30000), 40};
inline constexpr ProjectVersionWaiter kTrainingCompletedWaiter{
    "ProjectVersionTrainingCompleted", ProjectVersionStatus::kTrainingCompleted,
    ProjectVersionStatus::kTrainingFailed, std::chrono::milliseconds(120000), 360};
inline constexpr ProjectVersionWaiter kStoppedWaiter{
    "ProjectVersionStopped", ProjectVersionStatus::kStopped, ProjectVersionStatus::kFailed,
    std::chrono::milliseconds(30000), 40};

REKOGNITION_INLINE std::string DescribeStatuses(
    const std::vector<ProjectVersionDescription>& descriptions) {
  if (descriptions.empty()) return "no version described";
  std::string out;
  for (const auto& d : descriptions) {
    if (!out.empty()) out += ", ";
    out += d.status_text.empty() ? std::string("(no status)") : d.status_text;
  }
  return out;
}

REKOGNITION_INLINE DescribeProjectVersionsResult Wait(RekognitionApi& api,
                                                      const DescribeProjectVersionsRequest& request,
                                                      const ProjectVersionWaiter& waiter,
                                                      const WaiterOptions& options) {
  using std::chrono::milliseconds;
  const milliseconds delay = options.delay.value_or(waiter.delay);
  const int max_attempts = options.max_attempts.value_or(waiter.max_attempts);
  if (max_attempts < 1)
    throw ValidationError(
        "max_attempts", ">= 1",
        "WaiterOptions::max_attempts must be at least 1, got " + std::to_string(max_attempts));
  if (delay.count() < 0)
    throw ValidationError("delay", ">= 0", "WaiterOptions::delay must not be negative");
  const auto clock = options.clock ? options.clock
                                   : std::function<std::chrono::steady_clock::time_point()>(
                                         [] { return std::chrono::steady_clock::now(); });
  const CancellationToken& cancel = options.cancellation;
  const auto sleep = [&](milliseconds d) {
    if (options.sleep) return options.sleep(d);
    const auto until = std::chrono::steady_clock::now() + d;
    while (!cancel.cancelled()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= until) return;
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(until - now, milliseconds(50)));
    }
  };
  const auto started = clock();
  const auto elapsed = [&] { return std::chrono::duration_cast<milliseconds>(clock() - started); };
  const std::string name(waiter.name);
  std::vector<ProjectVersionDescription> last;
  const auto cancelled = [&](int attempts) {
    return WaiterCancelledError("WaiterCancelled",
                                "waiter " + name + " cancelled after " + std::to_string(attempts) +
                                    " poll(s); last status: " + DescribeStatuses(last),
                                attempts, last);
  };
  for (int attempt = 1;; ++attempt) {
    if (cancel.cancelled()) throw cancelled(attempt - 1);
    DescribeProjectVersionsResult result = api.DescribeProjectVersions(request);
    last = result.project_version_descriptions;
    if (options.on_status)
      options.on_status(WaiterProgress{waiter.name, attempt, max_attempts, elapsed(), last});
    bool all = !last.empty();
    for (const auto& d : last) {
      if (d.status == waiter.failure) {
        const std::string why = d.status_message ? ": " + *d.status_message : std::string();
        throw WaiterFailureError(
            "WaiterFailure",
            "waiter " + name + ": " + d.project_version_arn + " is " + d.status_text + why, attempt,
            last);
      }
      if (d.status != waiter.success) all = false;
    }
    if (all) return result;
    if (attempt >= max_attempts)
      throw WaiterTimeoutError("WaiterTimeout",
                               "waiter " + name + ": max attempts (" +
                                   std::to_string(max_attempts) +
                                   ") exceeded; last status: " + DescribeStatuses(last),
                               attempt, last);
    milliseconds wait = delay;
    if (options.timeout) {
      const milliseconds left = *options.timeout - elapsed();
      if (left.count() <= 0)
        throw WaiterTimeoutError("WaiterTimeout",
                                 "waiter " + name + ": timed out after " +
                                     std::to_string(elapsed().count()) +
                                     " ms; last status: " + DescribeStatuses(last),
                                 attempt, last);
      wait = std::min(wait, left);
    }
    if (cancel.cancelled()) throw cancelled(attempt);
    sleep(wait);
  }
}

}  // namespace detail

/// Polls DescribeProjectVersions(`request`) until every version described is
/// RUNNING (botocore's ProjectVersionRunning: every 30 s, 40 attempts, fails
/// on FAILED). Returns the last result. Throws WaiterFailureError (FAILED,
/// with the StatusMessage), WaiterTimeoutError, WaiterCancelledError, and
/// whatever DescribeProjectVersions throws. Thread-safe if `api` is.
REKOGNITION_INLINE DescribeProjectVersionsResult
WaitUntilProjectVersionRunning(RekognitionApi& api, const DescribeProjectVersionsRequest& request,
                               const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kRunningWaiter, options);
}

/// Polls until every version described is TRAINING_COMPLETED (botocore's
/// ProjectVersionTrainingCompleted: every 120 s, 360 attempts, fails on
/// TRAINING_FAILED). Throws like WaitUntilProjectVersionRunning.
REKOGNITION_INLINE DescribeProjectVersionsResult WaitUntilProjectVersionTrainingCompleted(
    RekognitionApi& api, const DescribeProjectVersionsRequest& request,
    const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kTrainingCompletedWaiter, options);
}

/// Polls until every version described is STOPPED (every 30 s, 40 attempts,
/// fails on FAILED). Throws like WaitUntilProjectVersionRunning.
REKOGNITION_INLINE DescribeProjectVersionsResult
WaitUntilProjectVersionStopped(RekognitionApi& api, const DescribeProjectVersionsRequest& request,
                               const WaiterOptions& options = {}) {
  return detail::Wait(api, request, detail::kStoppedWaiter, options);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_WAITERS_HPP
