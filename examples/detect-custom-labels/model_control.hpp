// detect-custom-labels: --start-model, --stop-model and --model-status on top
// of the library's RunningModel guard, waiters and FindProjectVersion.
#ifndef DETECT_CUSTOM_LABELS_MODEL_CONTROL_HPP
#define DETECT_CUSTOM_LABELS_MODEL_CONTROL_HPP

#include <rekognition/errors.hpp>
#include <rekognition/lifecycle/paginators.hpp>
#include <rekognition/lifecycle/running_model.hpp>
#include <rekognition/lifecycle/waiters.hpp>
#include <rekognition/rekognition_api.hpp>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "exit_codes.hpp"
#include "model_status.hpp"
#include "options.hpp"
#include "output.hpp"

namespace dcl {

/// The client as a RekognitionApi that remembers the lifecycle operation it
/// called last, so an error names it as the aws CLI does ("when calling the
/// StartProjectVersion operation"). Thread-safe if `api` is.
class NamedCalls : public rekognition::RekognitionApi {
 public:
  explicit NamedCalls(rekognition::RekognitionApi& api) : api_(api) {}

  rekognition::DetectCustomLabelsResult DetectCustomLabels(
      const rekognition::DetectCustomLabelsRequest& request) override {
    last_ = "DetectCustomLabels";
    return api_.DetectCustomLabels(request);
  }
  rekognition::DescribeProjectsResult DescribeProjects(
      const rekognition::DescribeProjectsRequest& request) override {
    last_ = "DescribeProjects";
    return api_.DescribeProjects(request);
  }
  rekognition::DescribeProjectVersionsResult DescribeProjectVersions(
      const rekognition::DescribeProjectVersionsRequest& request) override {
    last_ = "DescribeProjectVersions";
    return api_.DescribeProjectVersions(request);
  }
  rekognition::StartProjectVersionResult StartProjectVersion(
      const rekognition::StartProjectVersionRequest& request) override {
    last_ = "StartProjectVersion";
    return api_.StartProjectVersion(request);
  }
  rekognition::StopProjectVersionResult StopProjectVersion(
      const rekognition::StopProjectVersionRequest& request) override {
    last_ = "StopProjectVersion";
    return api_.StopProjectVersion(request);
  }
  void Warn(const std::string& line) noexcept override { api_.Warn(line); }

  /// The operation called last ("DetectCustomLabels" before any call).
  const char* last_operation() const noexcept { return last_.load(); }

 private:
  rekognition::RekognitionApi& api_;
  std::atomic<const char*> last_{"DetectCustomLabels"};
};

/// The guard's options for the command line's: inference units, the stop
/// policy, and a wait bounded by --wait-timeout (not by a number of polls)
/// with --wait-delay between polls, cancelled by `cancel`, reporting each
/// status on stderr.
inline rekognition::RunningModelOptions RunningModelOptionsFor(
    const Options& options, const rekognition::CancellationToken& cancel) {
  rekognition::RunningModelOptions out;
  out.min_inference_units = options.min_inference_units;
  out.max_inference_units = options.max_inference_units;
  switch (StopPolicyOf(options)) {
    case StopPolicy::kNever:
      out.stop_policy = rekognition::StopPolicy::kNever;
      break;
    case StopPolicy::kIfStarted:
      out.stop_policy = rekognition::StopPolicy::kStopIfStartedHere;
      break;
    case StopPolicy::kAlways:
      out.stop_policy = rekognition::StopPolicy::kAlways;
      break;
  }
  const auto to_ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 + 0.5));
  };
  out.wait.delay = std::max(to_ms(options.wait_delay), std::chrono::milliseconds(1));
  out.wait.timeout = to_ms(options.wait_timeout);
  out.wait.max_attempts = INT_MAX;  // the timeout ends the wait
  out.wait.cancellation = cancel;
  out.wait.on_status = [](const rekognition::WaiterProgress& progress) {
    const double seconds = std::chrono::duration<double>(progress.elapsed).count();
    for (const auto& d : progress.descriptions)
      std::fprintf(stderr, "model %s: %s (%.0f s)\n", TerminalSafe(d.project_version_arn).c_str(),
                   d.status_text.empty() ? "(no status)" : TerminalSafe(d.status_text).c_str(),
                   seconds);
    std::fflush(stderr);
  };
  return out;
}

/// Reports why starting the model or waiting for it failed, and returns the
/// exit code: 254 for a model that ended FAILED (with its StatusMessage),
/// 255 for a wait that timed out (as the aws CLI's waiters), 130 for Ctrl-C.
/// `print_error` reports any other error (the call that failed).
inline int ReportStartFailure(const std::exception_ptr& error, const Options& options,
                              const std::function<void(const std::exception_ptr&)>& print_error) {
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::WaiterFailureError& e) {
    std::string message = "(no StatusMessage)";
    std::string status = "FAILED";
    for (const auto& d : e.last_descriptions()) {
      if (d.status_message) message = *d.status_message;
      status = d.status_text;
    }
    std::fprintf(stderr, "\nThe model version %s is %s: %s\n", options.project_version_arn.c_str(),
                 TerminalSafe(status).c_str(), TerminalSafe(message).c_str());
    return kExitServiceError;
  } catch (const rekognition::WaiterTimeoutError& e) {
    std::string status = "unknown";
    for (const auto& d : e.last_descriptions()) status = d.status_text;
    std::fprintf(stderr,
                 "\nWaiter ProjectVersionRunning failed: the model version %s was not RUNNING "
                 "after %g s (--wait-timeout); last status: %s\n",
                 options.project_version_arn.c_str(), options.wait_timeout,
                 TerminalSafe(status).c_str());
    return kExitOther;
  } catch (const rekognition::WaiterCancelledError&) {
    return kExitInterrupted;
  } catch (...) {
    print_error(error);
    return ExitCodeFor(error);
  }
}

/// --model-status: what `aws rekognition describe-project-versions
/// --project-arn P --version-names V` prints for the version ARN, P found
/// with DescribeProjects by the project name in the ARN. As with the aws
/// CLI, a version the project does not have prints an empty list; a project
/// that does not exist is ResourceNotFoundException. Throws
/// ValidationError for a malformed ARN and what the calls throw.
inline std::string ModelStatusJson(rekognition::RekognitionApi& api,
                                   const std::string& version_arn) {
  const auto parts = rekognition::ParseProjectVersionArn(version_arn);
  if (!parts)
    throw rekognition::ValidationError(
        "ProjectVersionArn", "pattern",
        "--project-version-arn is not a model version ARN: " + version_arn);
  // The project ARN is the version's up to "/version/", then its own number.
  const std::string prefix = version_arn.substr(0, version_arn.rfind("/version/")) + "/";
  rekognition::DescribeProjectsRequest projects;
  projects.project_names = {parts->project_name};
  std::string project_arn;
  for (const auto& project : rekognition::ListProjects(api, projects))
    if (project.project_arn.compare(0, prefix.size(), prefix) == 0 &&
        project.project_arn.find('/', prefix.size()) == std::string::npos)
      project_arn = project.project_arn;
  if (project_arn.empty())
    throw rekognition::ResourceNotFoundException(rekognition::ErrorInfo{
        "ResourceNotFoundException",
        "no project named '" + parts->project_name + "' (from " + version_arn + ")", 0, "", 0,
        false});
  rekognition::DescribeProjectVersionsRequest versions;
  versions.project_arn = project_arn;
  versions.version_names = {parts->version_name};
  std::vector<std::string> raw;
  for (const auto& version : rekognition::ListProjectVersions(api, versions))
    raw.push_back(version.raw_json);
  return AwsCliProjectVersionsJson(raw);
}

/// --stop-model without --start-model: sends StopProjectVersion. A model
/// that is already STOPPED or STOPPING is not an error (the goal is met).
/// Throws what the calls throw.
inline void StopModel(rekognition::RekognitionApi& api, const std::string& version_arn) {
  rekognition::StopProjectVersionRequest stop;
  stop.project_version_arn = version_arn;
  try {
    const auto result = api.StopProjectVersion(stop);
    std::fprintf(stderr, "model %s: %s\n", version_arn.c_str(),
                 TerminalSafe(result.status_text).c_str());
  } catch (const rekognition::ResourceInUseException&) {
    const auto found = rekognition::FindProjectVersion(api, version_arn);
    const auto status = found.version.status;
    if (status != rekognition::ProjectVersionStatus::kStopped &&
        status != rekognition::ProjectVersionStatus::kStopping)
      throw;
    std::fprintf(stderr, "model %s: already %s\n", version_arn.c_str(),
                 TerminalSafe(found.version.status_text).c_str());
  }
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_MODEL_CONTROL_HPP
