// rekognition-cpp: RunningModel, a guard that starts a model version, waits
// until it runs, and stops it again, so a billed model is never left running.
#ifndef REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP
#define REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "rekognition/errors.hpp"
#include "rekognition/lifecycle/paginators.hpp"
#include "rekognition/lifecycle/waiters.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// When a RunningModel stops its model.
enum class StopPolicy {
  kStopIfStartedHere,  ///< only if this guard started it (the default)
  kAlways,             ///< even if it was already starting or running
  kNever,              ///< never (the caller stops it)
};

/// How a RunningModel starts and waits.
struct RunningModelOptions {
  /// MinInferenceUnits of the start (>= 1).
  std::int64_t min_inference_units = 1;
  /// MaxInferenceUnits of the start; unset: not sent (no auto-scaling).
  std::optional<std::int64_t> max_inference_units;
  /// When the model is stopped.
  StopPolicy stop_policy = StopPolicy::kStopIfStartedHere;
  /// How to wait until RUNNING (and until STOPPED, when the model was
  /// STOPPING): delay, attempts, timeout, cancellation, clock, sleep, status.
  WaiterOptions wait;
};

/// Starts a model version unless it is already STARTING or RUNNING, waits
/// until it is RUNNING, and on destruction stops it if the policy says so
/// (by default: only if this guard started it):
///
///     rekognition::Client client;
///     {
///       rekognition::RunningModel model(client, version_arn);
///       ... client.DetectCustomLabels(...) ...
///     }  // StopProjectVersion sent here, also when an exception leaves the scope
///
/// The model is found with FindProjectVersion (DescribeProjects, then
/// DescribeProjectVersions). A model that is STOPPING is waited for until
/// STOPPED, then started. If the wait fails, times out or is cancelled, a
/// model this guard started is stopped (per the policy) before the error is
/// rethrown; one that ended FAILED is not running and is left alone.
///
/// Not copyable or movable. Not thread-safe itself (one owner), though the
/// RekognitionApi it uses may be shared.
class RunningModel {
 public:
  /// Starts (if needed) and waits. Throws ValidationError for a malformed
  /// ARN or options, ResourceNotFoundException when the version does not
  /// exist, WaiterFailureError / WaiterTimeoutError / WaiterCancelledError
  /// from the wait, and whatever the calls throw.
  RunningModel(RekognitionApi& api, std::string version_arn, RunningModelOptions options = {});

  /// Stops the model if the policy says so and Stop() was not called. Never
  /// throws: a failure is reported loudly through RekognitionApi::Warn
  /// (ClientConfig::log for a Client, else stderr), with the command that
  /// stops the model by hand.
  ~RunningModel();

  RunningModel(const RunningModel&) = delete;
  RunningModel& operator=(const RunningModel&) = delete;

  /// Does now what the destructor would do, reporting errors by throwing:
  /// sends StopProjectVersion when the policy says so (and returns true), or
  /// nothing (false). Either way the destructor does nothing afterwards,
  /// unless the stop threw (then it tries again).
  bool Stop();

  /// True when this guard sent StartProjectVersion.
  bool started_here() const noexcept { return started_here_; }
  /// The model version ARN.
  const std::string& version_arn() const noexcept { return version_arn_; }
  /// The project ARN, as DescribeProjects reported it.
  const std::string& project_arn() const noexcept { return project_arn_; }
  /// The version as last described (RUNNING once constructed).
  const ProjectVersionDescription& description() const noexcept { return description_; }

 private:
  bool ShouldStop() const noexcept {
    return options_.stop_policy == StopPolicy::kAlways ||
           (options_.stop_policy == StopPolicy::kStopIfStartedHere && started_here_);
  }
  void WarnStopFailed(const std::string& why) noexcept;
  void WarnMayBeRunning(const std::string& what) noexcept;

  RekognitionApi& api_;
  std::string version_arn_;
  RunningModelOptions options_;
  std::string project_arn_;
  ProjectVersionDescription description_;
  bool started_here_ = false;
  bool done_ = false;
};

REKOGNITION_INLINE RunningModel::RunningModel(RekognitionApi& api, std::string version_arn,
                                              RunningModelOptions options)
    : api_(api), version_arn_(std::move(version_arn)), options_(std::move(options)) {
  FoundProjectVersion found = FindProjectVersion(api_, version_arn_);
  project_arn_ = found.project_arn;
  description_ = std::move(found.version);
  DescribeProjectVersionsRequest describe;
  describe.project_arn = project_arn_;
  describe.version_names = {found.parts.version_name};

  const ProjectVersionStatus status = description_.status;
  if (status != ProjectVersionStatus::kStarting && status != ProjectVersionStatus::kRunning) {
    if (status == ProjectVersionStatus::kStopping)
      WaitUntilProjectVersionStopped(api_, describe, options_.wait);
    StartProjectVersionRequest start;
    start.project_version_arn = version_arn_;
    start.min_inference_units = options_.min_inference_units;
    start.max_inference_units = options_.max_inference_units;
    try {
      api_.StartProjectVersion(start);
    } catch (const Error& e) {
      // A start that timed out, or whose retry was refused, may still have
      // been accepted by the service: the model may be starting, billed,
      // with nobody to stop it. Say so, and how to stop it.
      const bool maybe_accepted = dynamic_cast<const TransportError*>(&e) != nullptr ||
                                  (dynamic_cast<const ServiceError*>(&e) && e.attempts() > 1);
      if (maybe_accepted && options_.stop_policy != StopPolicy::kNever)
        WarnMayBeRunning(std::string("StartProjectVersion failed (") + e.what() +
                         ") after a request reached the service");
      throw;
    }
    started_here_ = true;
  }
  try {
    DescribeProjectVersionsResult running =
        WaitUntilProjectVersionRunning(api_, describe, options_.wait);
    if (!running.project_version_descriptions.empty())
      description_ = running.project_version_descriptions.front();
  } catch (const WaiterFailureError&) {
    throw;  // FAILED: not running, nothing to stop
  } catch (...) {
    // The destructor will not run: stop here what the destructor would have.
    if (ShouldStop()) {
      try {
        StopProjectVersionRequest stop;
        stop.project_version_arn = version_arn_;
        api_.StopProjectVersion(stop);
      } catch (const std::exception& e) {
        WarnStopFailed(e.what());
      } catch (...) {
        WarnStopFailed("unknown exception");
      }
    }
    throw;
  }
}

REKOGNITION_INLINE bool RunningModel::Stop() {
  if (done_) return false;
  if (!ShouldStop()) {
    done_ = true;
    return false;
  }
  StopProjectVersionRequest stop;
  stop.project_version_arn = version_arn_;
  api_.StopProjectVersion(stop);
  done_ = true;
  return true;
}

REKOGNITION_INLINE void RunningModel::WarnStopFailed(const std::string& why) noexcept {
  try {
    WarnMayBeRunning("FAILED TO STOP model version " + version_arn_ + ": " + why);
  } catch (...) {
  }
}

REKOGNITION_INLINE void RunningModel::WarnMayBeRunning(const std::string& what) noexcept {
  try {
    api_.Warn(what +
              ". It may still be running and billed by the hour. Stop it with: aws rekognition "
              "stop-project-version --project-version-arn " +
              version_arn_);
  } catch (...) {
  }
}

REKOGNITION_INLINE RunningModel::~RunningModel() {
  try {
    Stop();
  } catch (const std::exception& e) {
    WarnStopFailed(e.what());
  } catch (...) {
    WarnStopFailed("unknown exception");
  }
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_RUNNING_MODEL_HPP
