// rekognition-local: the model lifecycle. Projects and their model versions,
// each with a status that StartProjectVersion takes through STARTING to
// RUNNING (or FAILED) and StopProjectVersion through STOPPING to STOPPED,
// each after a configurable delay, as the service does over minutes.
#ifndef REKOGNITION_LOCAL_MODEL_LIFECYCLE_HPP
#define REKOGNITION_LOCAL_MODEL_LIFECYCLE_HPP

#include <rekognition/operations/projects_codec.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rekognition_local {

/// How versions start and move between statuses.
struct LifecycleOptions {
  std::string initial_status = "RUNNING";  // of versions whose fixture names none
  int start_delay_ms = 2000;               // STARTING -> RUNNING (or FAILED)
  int stop_delay_ms = 1000;                // STOPPING -> STOPPED
  std::string start_failure;               // when set, starts end FAILED with this message
};

/// The ProjectVersionStatus values of the service model.
inline std::vector<std::string> ProjectVersionStatuses() {
  return {std::begin(rekognition::detail::kProjectVersionStatusNames),
          std::end(rekognition::detail::kProjectVersionStatusNames)};
}

/// What the lifecycle needs of a model version ARN.
struct VersionArnParts {
  std::string project_prefix;  // arn:...:project/PROJECT (the project ARN without its number)
  std::string project_name;
  std::string version_name;
  std::int64_t created_ms = 0;  // the trailing number
};

/// Splits `arn`, or returns nullopt when it is not a model version ARN.
inline std::optional<VersionArnParts> ParseVersionArn(const std::string& arn) {
  const auto parsed = rekognition::ParseProjectVersionArn(arn);
  if (!parsed) return std::nullopt;
  VersionArnParts parts;
  parts.project_prefix = "arn:" + parsed->partition + ":rekognition:" + parsed->region + ":" +
                         parsed->account + ":project/" + parsed->project_name;
  parts.project_name = parsed->project_name;
  parts.version_name = parsed->version_name;
  // Creation times are milliseconds; longer numbers are clamped, not wrapped.
  const std::string& digits = parsed->version_number;
  parts.created_ms = digits.size() > 15 ? 999999999999999 : std::stoll(digits);
  return parts;
}

/// A timestamp as the service's JSON carries it: seconds since the epoch,
/// written like Java's Double.toString ("1.714560000123E9", "42.5").
inline std::string CoralTimestamp(std::int64_t ms) {
  if (ms < 0) ms = 0;
  std::string digits = std::to_string(ms);
  const int exponent = static_cast<int>(digits.size()) - 4;  // of the leading digit, in seconds
  if (exponent >= 7) {
    std::string mantissa = digits.substr(1);
    while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.empty()) mantissa = "0";
    return digits.substr(0, 1) + "." + mantissa + "E" + std::to_string(exponent);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  std::string text = buffer;
  while (text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
  return text;
}

/// One project as DescribeProjects shows it.
struct ProjectView {
  std::string arn;
  std::string name;
  std::int64_t created_ms = 0;
};

/// One model version as DescribeProjectVersions shows it.
struct VersionView {
  std::string arn;
  std::string version_name;
  std::int64_t created_ms = 0;
  std::string status;
  std::string status_message;
  std::optional<std::int64_t> min_inference_units;
  std::optional<std::int64_t> max_inference_units;
};

/// Why a lifecycle call was refused: the service's error code and message.
struct LifecycleError {
  std::string code;
  std::string message;
};

/// The projects and versions served, with their statuses. Statuses move on
/// when they are looked at, so no thread runs in the background.
/// Thread-safe.
class ModelLifecycle {
 public:
  using Clock = std::chrono::steady_clock;
  using Log = std::function<void(const std::string&)>;

  /// `initial` maps every version ARN served to the status (and message)
  /// the fixture gave it, or to an empty status for options.initial_status.
  /// Throws std::invalid_argument naming an ARN that is not a model version ARN.
  ModelLifecycle(const std::map<std::string, std::pair<std::string, std::string>>& initial,
                 LifecycleOptions options, Log log = nullptr)
      : options_(std::move(options)), log_(std::move(log)) {
    std::map<std::string, std::int64_t> oldest;  // project prefix -> oldest version
    for (const auto& [arn, status] : initial) {
      auto parts = ParseVersionArn(arn);
      if (!parts) throw std::invalid_argument(arn + " is not a model version ARN");
      Version version;
      version.view.arn = arn;
      version.view.version_name = parts->version_name;
      version.view.created_ms = parts->created_ms;
      version.project_prefix = parts->project_prefix;
      SetStatus(version, status.first.empty() ? options_.initial_status : status.first,
                status.second);
      if (version.view.status == "RUNNING") {
        version.view.min_inference_units = 1;
        version.running_since = Clock::now();
      }
      auto [it, added] = oldest.emplace(parts->project_prefix, parts->created_ms);
      if (!added) it->second = std::min(it->second, parts->created_ms);
      projects_[parts->project_prefix].name = parts->project_name;
      versions_.emplace(arn, std::move(version));
    }
    // A project is created a day before its first version: the two trailing
    // numbers differ, so a project ARN cannot be derived from a version's.
    for (auto& [prefix, project] : projects_) {
      project.created_ms = std::max<std::int64_t>(0, oldest[prefix] - 86400000);
      project.arn = prefix + "/" + std::to_string(project.created_ms);
    }
  }

  /// Projects, newest first, filtered by name when `names` is not empty.
  std::vector<ProjectView> Projects(const std::vector<std::string>& names) const {
    std::vector<ProjectView> out;
    for (const auto& [prefix, project] : projects_)
      if (names.empty() || std::find(names.begin(), names.end(), project.name) != names.end())
        out.push_back(project);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created_ms > b.created_ms; });
    return out;
  }

  /// The versions of the project `project_arn`, newest first, filtered by
  /// version name when `names` is not empty; nullopt for an unknown project.
  std::optional<std::vector<VersionView>> Versions(const std::string& project_arn,
                                                   const std::vector<std::string>& names) {
    const auto project = std::find_if(projects_.begin(), projects_.end(),
                                      [&](const auto& p) { return p.second.arn == project_arn; });
    if (project == projects_.end()) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<VersionView> out;
    for (auto& [arn, version] : versions_) {
      if (version.project_prefix != project->first) continue;
      if (!names.empty() &&
          std::find(names.begin(), names.end(), version.view.version_name) == names.end())
        continue;
      Advance(version);
      out.push_back(version.view);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created_ms > b.created_ms; });
    return out;
  }

  /// The status of `arn` now, or nullopt when it is not served.
  std::optional<std::string> Status(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = versions_.find(arn);
    if (it == versions_.end()) return std::nullopt;
    Advance(it->second);
    return it->second.view.status;
  }

  /// StartProjectVersion: STARTING, then RUNNING (or FAILED) after the
  /// start delay. Returns the new status or the service's refusal.
  std::pair<std::string, std::optional<LifecycleError>> Start(
      const std::string& arn, std::int64_t min_units, std::optional<std::int64_t> max_units) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = versions_.find(arn);
    if (it == versions_.end()) return {"", NotFound(arn)};
    Version& version = it->second;
    Advance(version);
    const std::string& status = version.view.status;
    if (status != "STOPPED" && status != "TRAINING_COMPLETED" && status != "FAILED" &&
        status != "COPYING_COMPLETED")
      return {"", LifecycleError{"ResourceInUseException",
                                 "The project version " + arn + " is " + status +
                                     "; only a stopped model can be started."}};
    version.view.min_inference_units = min_units;
    version.view.max_inference_units = max_units;
    SetStatus(version, "STARTING", "");
    version.next_at = Clock::now() + std::chrono::milliseconds(options_.start_delay_ms);
    version.next_status = options_.start_failure.empty() ? "RUNNING" : "FAILED";
    Note("model " + arn + " STARTING (" + version.next_status + " in " +
         std::to_string(options_.start_delay_ms) + " ms), MinInferenceUnits " +
         std::to_string(min_units) +
         (max_units ? ", MaxInferenceUnits " + std::to_string(*max_units) : ""));
    return {"STARTING", std::nullopt};
  }

  /// StopProjectVersion: STOPPING, then STOPPED after the stop delay. A
  /// model still starting can be stopped too. Logs how long it ran.
  std::pair<std::string, std::optional<LifecycleError>> Stop(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = versions_.find(arn);
    if (it == versions_.end()) return {"", NotFound(arn)};
    Version& version = it->second;
    Advance(version);
    const std::string status = version.view.status;
    if (status != "RUNNING" && status != "STARTING")
      return {"", LifecycleError{"ResourceInUseException",
                                 "The project version " + arn + " is " + status +
                                     "; only a running or starting model can be stopped."}};
    if (status == "RUNNING") {
      const auto ran = Clock::now() - version.running_since;
      version.total_running += ran;
      Note("model " + arn + " STOPPING after running " + Seconds(ran) + " (in total " +
           Seconds(version.total_running) + ")");
    } else {
      Note("model " + arn + " STOPPING while STARTING (it never ran)");
    }
    SetStatus(version, "STOPPING", "");
    version.next_at = Clock::now() + std::chrono::milliseconds(options_.stop_delay_ms);
    version.next_status = "STOPPED";
    return {"STOPPING", std::nullopt};
  }

  /// Logs the running time of every version still running (at exit).
  void LogStillRunning() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [arn, version] : versions_) {
      Advance(version);
      if (version.view.status == "RUNNING")
        Note("model " + arn + " still RUNNING at exit after " +
             Seconds(Clock::now() - version.running_since + version.total_running) + " in total");
    }
  }

  std::size_t project_count() const { return projects_.size(); }

 private:
  struct Version {
    VersionView view;
    std::string project_prefix;
    std::string next_status;  // empty: no transition pending
    Clock::time_point next_at;
    Clock::time_point running_since;
    Clock::duration total_running{};
  };

  static std::string Seconds(Clock::duration duration) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f s", std::chrono::duration<double>(duration).count());
    return buffer;
  }

  static LifecycleError NotFound(const std::string& arn) {
    return {"ResourceNotFoundException", "The project version " + arn + " does not exist."};
  }

  void SetStatus(Version& version, const std::string& status, const std::string& message) {
    version.view.status = status;
    version.next_status.clear();
    if (!message.empty() || status == "FAILED") {
      version.view.status_message = message.empty() ? options_.start_failure : message;
    } else if (status == "RUNNING") {
      version.view.status_message = "The model is running.";
    } else if (status == "STARTING") {
      version.view.status_message = "The model is being started.";
    } else if (status == "STOPPING") {
      version.view.status_message = "The model is being stopped.";
    } else if (status == "STOPPED") {
      version.view.status_message = "The model is stopped.";
    } else if (status == "TRAINING_COMPLETED") {
      version.view.status_message = "The model is ready to run.";
    } else {
      version.view.status_message.clear();
    }
  }

  // Applies a pending transition whose time has come. Caller holds mutex_.
  void Advance(Version& version) {
    if (version.next_status.empty() || Clock::now() < version.next_at) return;
    const Clock::time_point at = version.next_at;
    const std::string next = version.next_status;
    SetStatus(version, next, "");
    if (next == "RUNNING") {
      version.running_since = at;
      Note("model " + version.view.arn + " RUNNING");
    } else {
      Note("model " + version.view.arn + " " + next);
    }
  }

  void Note(const std::string& line) const {
    if (log_) log_(line);
  }

  struct Project {
    std::string arn;
    std::string name;
    std::int64_t created_ms = 0;
    operator ProjectView() const { return ProjectView{arn, name, created_ms}; }
  };

  LifecycleOptions options_;
  Log log_;
  std::map<std::string, Project> projects_;  // by project ARN without its number; fixed
  std::mutex mutex_;
  std::map<std::string, Version> versions_;  // by version ARN
};

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_MODEL_LIFECYCLE_HPP
