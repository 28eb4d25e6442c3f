// rekognition-cpp: the request and result types of the model lifecycle
// operations: DescribeProjects, DescribeProjectVersions, StartProjectVersion
// and StopProjectVersion.
#ifndef REKOGNITION_OPERATIONS_PROJECTS_HPP
#define REKOGNITION_OPERATIONS_PROJECTS_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// A point in time as the service sends it (epoch seconds, with fractions).
using Timestamp = std::chrono::system_clock::time_point;

/// The status of a model (project) version: the 14 values of the service
/// model, and kUnknown for anything else (the raw text is kept beside it).
enum class ProjectVersionStatus {
  kTrainingInProgress,  ///< TRAINING_IN_PROGRESS
  kTrainingCompleted,   ///< TRAINING_COMPLETED
  kTrainingFailed,      ///< TRAINING_FAILED
  kStarting,            ///< STARTING
  kRunning,             ///< RUNNING
  kFailed,              ///< FAILED
  kStopping,            ///< STOPPING
  kStopped,             ///< STOPPED
  kDeleting,            ///< DELETING
  kCopyingInProgress,   ///< COPYING_IN_PROGRESS
  kCopyingCompleted,    ///< COPYING_COMPLETED
  kCopyingFailed,       ///< COPYING_FAILED
  kDeprecated,          ///< DEPRECATED
  kExpired,             ///< EXPIRED
  kUnknown,             ///< absent, or a value this library does not know
};

namespace detail {
inline constexpr std::string_view kProjectVersionStatusNames[] = {"TRAINING_IN_PROGRESS",
                                                                  "TRAINING_COMPLETED",
                                                                  "TRAINING_FAILED",
                                                                  "STARTING",
                                                                  "RUNNING",
                                                                  "FAILED",
                                                                  "STOPPING",
                                                                  "STOPPED",
                                                                  "DELETING",
                                                                  "COPYING_IN_PROGRESS",
                                                                  "COPYING_COMPLETED",
                                                                  "COPYING_FAILED",
                                                                  "DEPRECATED",
                                                                  "EXPIRED"};
}  // namespace detail

/// The wire name of `status` ("RUNNING"), "UNKNOWN" for kUnknown.
/// Thread-safe, no throw.
REKOGNITION_INLINE std::string_view ToString(ProjectVersionStatus status) noexcept {
  const auto index = static_cast<std::size_t>(status);
  return index < std::size(detail::kProjectVersionStatusNames)
             ? detail::kProjectVersionStatusNames[index]
             : std::string_view("UNKNOWN");
}

/// The status named `text` (exact, case-sensitive, as the service sends it);
/// kUnknown for anything else. Thread-safe, no throw.
REKOGNITION_INLINE ProjectVersionStatus ParseProjectVersionStatus(std::string_view text) noexcept {
  for (std::size_t i = 0; i < std::size(detail::kProjectVersionStatusNames); ++i)
    if (detail::kProjectVersionStatusNames[i] == text) return static_cast<ProjectVersionStatus>(i);
  return ProjectVersionStatus::kUnknown;
}

/// Input of DescribeProjects. Empty lists and unset optionals are not sent.
struct DescribeProjectsRequest {
  /// Token of the next page, from a previous result (at most 1024 chars).
  std::optional<std::string> next_token;
  /// Projects per page, 1-100 (service default 100).
  std::optional<std::int64_t> max_results;
  /// Describe only these projects (1-10 names of 1-255 [a-zA-Z0-9_.-]).
  std::vector<std::string> project_names;
  /// Filter by customization feature: "CUSTOM_LABELS" (the service's
  /// default) or "CONTENT_MODERATION"; at most 2.
  std::vector<std::string> features;

  bool operator==(const DescribeProjectsRequest& o) const {
    return next_token == o.next_token && max_results == o.max_results &&
           project_names == o.project_names && features == o.features;
  }
};

/// One project, as DescribeProjects describes it.
struct ProjectDescription {
  std::string project_arn;                      ///< ProjectArn
  std::optional<Timestamp> creation_timestamp;  ///< CreationTimestamp
  std::optional<std::string> status;            ///< CREATING, CREATED or DELETING
  std::optional<std::string> feature;           ///< CUSTOM_LABELS or CONTENT_MODERATION
  std::optional<std::string> auto_update;       ///< ENABLED or DISABLED (adapters)
  /// The member exactly as received, re-encoded as compact JSON (every
  /// member, modeled here or not). Empty for descriptions built in code.
  std::string raw_json;

  /// Compares the modeled members (raw_json is ignored).
  bool operator==(const ProjectDescription& o) const {
    return project_arn == o.project_arn && creation_timestamp == o.creation_timestamp &&
           status == o.status && feature == o.feature && auto_update == o.auto_update;
  }
};

/// Output of DescribeProjects: one page.
struct DescribeProjectsResult {
  std::vector<ProjectDescription> project_descriptions;
  std::optional<std::string> next_token;  ///< set when more pages follow
  std::string request_id;                 ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;                       ///< attempts the call took, including the first
};

/// Input of DescribeProjectVersions.
struct DescribeProjectVersionsRequest {
  /// ARN of the project (required), e.g.
  /// "arn:aws:rekognition:us-east-1:111122223333:project/p/1714000000000".
  /// Not derivable from a version ARN: see FindProjectVersion.
  std::string project_arn;
  /// Describe only these versions (1-10 names of 1-255 [a-zA-Z0-9_.-]);
  /// empty: every version, not sent.
  std::vector<std::string> version_names;
  /// Token of the next page, from a previous result (at most 1024 chars).
  std::optional<std::string> next_token;
  /// Versions per page, 1-100 (service default 100).
  std::optional<std::int64_t> max_results;

  bool operator==(const DescribeProjectVersionsRequest& o) const {
    return project_arn == o.project_arn && version_names == o.version_names &&
           next_token == o.next_token && max_results == o.max_results;
  }
};

/// One model version, as DescribeProjectVersions describes it.
struct ProjectVersionDescription {
  std::string project_version_arn;              ///< ProjectVersionArn
  std::optional<Timestamp> creation_timestamp;  ///< CreationTimestamp
  std::optional<std::int64_t> min_inference_units;
  std::optional<std::int64_t> max_inference_units;
  /// Status; kUnknown when absent or not one of the 14 known values.
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  /// Status exactly as sent ("" when absent), also for unknown values.
  std::string status_text;
  std::optional<std::string> status_message;  ///< StatusMessage (why it FAILED)
  std::optional<std::int64_t> billable_training_time_in_seconds;
  std::optional<Timestamp> training_end_timestamp;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> source_project_version_arn;
  std::optional<std::string> version_description;
  std::optional<std::string> feature;
  std::optional<std::string> base_model_version;
  /// The member exactly as received, re-encoded as compact JSON (every
  /// member, modeled here or not: OutputConfig, EvaluationResult, ...).
  /// Empty for descriptions built in code.
  std::string raw_json;

  /// Compares the modeled members (raw_json is ignored).
  bool operator==(const ProjectVersionDescription& o) const {
    return project_version_arn == o.project_version_arn &&
           creation_timestamp == o.creation_timestamp &&
           min_inference_units == o.min_inference_units &&
           max_inference_units == o.max_inference_units && status == o.status &&
           status_text == o.status_text && status_message == o.status_message &&
           billable_training_time_in_seconds == o.billable_training_time_in_seconds &&
           training_end_timestamp == o.training_end_timestamp && kms_key_id == o.kms_key_id &&
           source_project_version_arn == o.source_project_version_arn &&
           version_description == o.version_description && feature == o.feature &&
           base_model_version == o.base_model_version;
  }
};

/// Output of DescribeProjectVersions: one page.
struct DescribeProjectVersionsResult {
  std::vector<ProjectVersionDescription> project_version_descriptions;
  std::optional<std::string> next_token;  ///< set when more pages follow
  std::string request_id;                 ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;                       ///< attempts the call took, including the first
};

/// Input of StartProjectVersion. Starting a model bills it by the hour until
/// it is stopped: see RunningModel for a guard that stops it.
struct StartProjectVersionRequest {
  std::string project_version_arn;       ///< the model version to start (required)
  std::int64_t min_inference_units = 1;  ///< >= 1 (required)
  /// Upper bound for auto-scaling, >= 1; unset: no auto-scaling, not sent.
  std::optional<std::int64_t> max_inference_units;

  bool operator==(const StartProjectVersionRequest& o) const {
    return project_version_arn == o.project_version_arn &&
           min_inference_units == o.min_inference_units &&
           max_inference_units == o.max_inference_units;
  }
};

/// Input of StopProjectVersion.
struct StopProjectVersionRequest {
  std::string project_version_arn;  ///< the model version to stop (required)

  bool operator==(const StopProjectVersionRequest& o) const {
    return project_version_arn == o.project_version_arn;
  }
};

/// Output of StartProjectVersion and StopProjectVersion.
struct ProjectVersionStatusResult {
  /// The status after the call (STARTING, STOPPING, ...); kUnknown when absent.
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  std::string status_text;  ///< the status exactly as sent ("" when absent)
  std::string request_id;   ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;         ///< attempts the call took, including the first
};

/// Output of StartProjectVersion.
using StartProjectVersionResult = ProjectVersionStatusResult;
/// Output of StopProjectVersion.
using StopProjectVersionResult = ProjectVersionStatusResult;

/// The parts of a model version ARN
/// arn:PARTITION:rekognition:REGION:ACCOUNT:project/PROJECT/version/VERSION/NUMBER.
/// The trailing number is the version's creation time, which differs from the
/// project's: the project ARN cannot be derived from it.
struct ProjectVersionArnParts {
  std::string partition;
  std::string region;
  std::string account;
  std::string project_name;
  std::string version_name;
  std::string version_number;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PROJECTS_HPP
