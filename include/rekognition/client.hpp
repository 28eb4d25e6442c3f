// rekognition-cpp: the Rekognition Custom Labels client.
//
// Header-only (the default), this header brings the whole library. In compiled
// mode (REKOGNITION_COMPILED, see version.hpp) it declares the client only:
// its definitions, and libcurl's, OpenSSL's and RapidJSON's headers, are in
// the one translation unit that defines REKOGNITION_IMPLEMENTATION.
#ifndef REKOGNITION_CLIENT_HPP
#define REKOGNITION_CLIENT_HPP

#include <future>
#include <memory>
#include <string>

#include "rekognition/client_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/outcome.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {
class ClientCore;
}  // namespace detail

/// The Rekognition Custom Labels client. A cheap copyable value: copies share
/// one connection pool, retry quota and credentials cache. Thread-safe: one
/// client may serve any number of threads at once. Constructing it never
/// touches the network; configuration is resolved at the first call.
class Client : public RekognitionApi {
  // Each virtual function is declared REKOGNITION_COMPILED_INLINE so that, in
  // header-only mode, only a translation unit that constructs a Client
  // compiles the operations (see version.hpp).
 public:
  /// A client configured from `config`, the environment and the defaults.
  explicit Client(ClientConfig config = {});

  /// Detects custom labels in an image with a running model version.
  /// Validates the request first (throws ValidationError, nothing sent), then
  /// signs and sends it, retrying per the retry policy. Throws
  /// ConfigurationError / CredentialsError when the configuration is
  /// unusable, TransportError when no response arrived, and the ServiceError
  /// subclass matching the service's error code otherwise.
  REKOGNITION_COMPILED_INLINE DetectCustomLabelsResult
  DetectCustomLabels(const DetectCustomLabelsRequest& request) override;

  /// Describes projects, one page per call (see ListProjects for every
  /// page). Filter with request.project_names. Validates first (throws
  /// ValidationError, nothing sent); then throws like DetectCustomLabels,
  /// with InvalidPaginationTokenException for a bad NextToken. Thread-safe.
  REKOGNITION_COMPILED_INLINE DescribeProjectsResult
  DescribeProjects(const DescribeProjectsRequest& request) override;

  /// Describes the versions of a project, one page per call (see
  /// ListProjectVersions for every page). Throws like DescribeProjects, and
  /// ResourceNotFoundException for an unknown project. Thread-safe.
  REKOGNITION_COMPILED_INLINE DescribeProjectVersionsResult
  DescribeProjectVersions(const DescribeProjectVersionsRequest& request) override;

  /// Starts a model version; it is billed by the hour until stopped (see
  /// RunningModel). Returns at once with the status (STARTING); wait with
  /// WaitUntilProjectVersionRunning. Throws ValidationError before sending,
  /// ResourceInUseException when the version cannot start now,
  /// LimitExceededException, ResourceNotFoundException, and the other
  /// errors of DetectCustomLabels. Thread-safe.
  REKOGNITION_COMPILED_INLINE StartProjectVersionResult
  StartProjectVersion(const StartProjectVersionRequest& request) override;

  /// Stops a model version. Returns at once with the status (STOPPING).
  /// Throws like StartProjectVersion. Thread-safe.
  REKOGNITION_COMPILED_INLINE StopProjectVersionResult
  StopProjectVersion(const StopProjectVersionRequest& request) override;

  // Asynchronous forms. Each prepares, validates and signs on the calling
  // thread, then sends on the client's one I/O thread (started by the first
  // asynchronous call; libcurl's multi interface for the default transport),
  // where retries wait on timers. At most ClientConfig::max_in_flight run at
  // once; the rest queue. The outcome is what the blocking form returns or
  // throws; a request that fails validation or configuration completes
  // before the call returns. Destroying the last copy of the client waits
  // for the calls in flight (cancel them first to hurry it). Thread-safe.

  /// DetectCustomLabels on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DetectCustomLabelsResult> DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request) override;
  /// DetectCustomLabels on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request, Completion<DetectCustomLabelsResult> done) override;
  /// DescribeProjects on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DescribeProjectsResult> DescribeProjectsAsync(
      const DescribeProjectsRequest& request) override;
  /// DescribeProjects on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle DescribeProjectsAsync(
      const DescribeProjectsRequest& request, Completion<DescribeProjectsResult> done) override;
  /// DescribeProjectVersions on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<DescribeProjectVersionsResult>
  DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request) override;
  /// DescribeProjectVersions on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle
  DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request,
                               Completion<DescribeProjectVersionsResult> done) override;
  /// StartProjectVersion on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<StartProjectVersionResult> StartProjectVersionAsync(
      const StartProjectVersionRequest& request) override;
  /// StartProjectVersion on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle
  StartProjectVersionAsync(const StartProjectVersionRequest& request,
                           Completion<StartProjectVersionResult> done) override;
  /// StopProjectVersion on the I/O thread; the future holds the result or the error.
  REKOGNITION_COMPILED_INLINE std::future<StopProjectVersionResult> StopProjectVersionAsync(
      const StopProjectVersionRequest& request) override;
  /// StopProjectVersion on the I/O thread; `done` runs there with the outcome.
  REKOGNITION_COMPILED_INLINE CallHandle StopProjectVersionAsync(
      const StopProjectVersionRequest& request, Completion<StopProjectVersionResult> done) override;

  /// Sends `line` to ClientConfig::log, else writes it to stderr. Never
  /// throws. Thread-safe if the callback is.
  REKOGNITION_COMPILED_INLINE void Warn(const std::string& line) noexcept override;

  /// The configuration the client was built with (unresolved members empty).
  const ClientConfig& config() const noexcept;

  /// The endpoint URL calls go to, as resolved by the first call (from code,
  /// environment, profile or the endpoint rules); empty until a call has
  /// resolved it. Thread-safe.
  std::string endpoint_url() const;

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

REKOGNITION_NAMESPACE_END

#if !REKOGNITION_DECLARATIONS_ONLY
#include "rekognition/client_core.hpp"

REKOGNITION_NAMESPACE_BEGIN

REKOGNITION_COMPILED_INLINE Client::Client(ClientConfig config)
    : core_(std::make_shared<detail::ClientCore>(std::move(config))) {}

REKOGNITION_COMPILED_INLINE DetectCustomLabelsResult
Client::DetectCustomLabels(const DetectCustomLabelsRequest& request) {
  return core_->Call<DetectCustomLabelsOperation>(request);
}

REKOGNITION_COMPILED_INLINE DescribeProjectsResult
Client::DescribeProjects(const DescribeProjectsRequest& request) {
  return core_->Call<DescribeProjectsOperation>(request);
}

REKOGNITION_COMPILED_INLINE DescribeProjectVersionsResult
Client::DescribeProjectVersions(const DescribeProjectVersionsRequest& request) {
  return core_->Call<DescribeProjectVersionsOperation>(request);
}

REKOGNITION_COMPILED_INLINE StartProjectVersionResult
Client::StartProjectVersion(const StartProjectVersionRequest& request) {
  return core_->Call<StartProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE StopProjectVersionResult
Client::StopProjectVersion(const StopProjectVersionRequest& request) {
  return core_->Call<StopProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE std::future<DetectCustomLabelsResult> Client::DetectCustomLabelsAsync(
    const DetectCustomLabelsRequest& request) {
  return core_->Future<DetectCustomLabelsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DetectCustomLabelsAsync(
    const DetectCustomLabelsRequest& request, Completion<DetectCustomLabelsResult> done) {
  return core_->Submit<DetectCustomLabelsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<DescribeProjectsResult> Client::DescribeProjectsAsync(
    const DescribeProjectsRequest& request) {
  return core_->Future<DescribeProjectsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DescribeProjectsAsync(
    const DescribeProjectsRequest& request, Completion<DescribeProjectsResult> done) {
  return core_->Submit<DescribeProjectsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<DescribeProjectVersionsResult>
Client::DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request) {
  return core_->Future<DescribeProjectVersionsOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::DescribeProjectVersionsAsync(
    const DescribeProjectVersionsRequest& request, Completion<DescribeProjectVersionsResult> done) {
  return core_->Submit<DescribeProjectVersionsOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<StartProjectVersionResult> Client::StartProjectVersionAsync(
    const StartProjectVersionRequest& request) {
  return core_->Future<StartProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::StartProjectVersionAsync(
    const StartProjectVersionRequest& request, Completion<StartProjectVersionResult> done) {
  return core_->Submit<StartProjectVersionOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE std::future<StopProjectVersionResult> Client::StopProjectVersionAsync(
    const StopProjectVersionRequest& request) {
  return core_->Future<StopProjectVersionOperation>(request);
}

REKOGNITION_COMPILED_INLINE CallHandle Client::StopProjectVersionAsync(
    const StopProjectVersionRequest& request, Completion<StopProjectVersionResult> done) {
  return core_->Submit<StopProjectVersionOperation>(request, std::move(done));
}

REKOGNITION_COMPILED_INLINE void Client::Warn(const std::string& line) noexcept {
  try {
    if (core_->config().log) {
      core_->config().log(line);
      return;
    }
  } catch (...) {
  }
  RekognitionApi::Warn(line);
}

REKOGNITION_COMPILED_INLINE const ClientConfig& Client::config() const noexcept {
  return core_->config();
}

REKOGNITION_COMPILED_INLINE std::string Client::endpoint_url() const {
  return core_->ResolvedEndpointUrl();
}

REKOGNITION_NAMESPACE_END
#endif  // !REKOGNITION_DECLARATIONS_ONLY

#if !REKOGNITION_COMPILED_MODE
// The model lifecycle helpers work on any RekognitionApi, a Client included.
// (In compiled mode include <rekognition/lifecycle/...> where they are used.)
#include "rekognition/lifecycle/paginators.hpp"
#include "rekognition/lifecycle/running_model.hpp"
#include "rekognition/lifecycle/waiters.hpp"
#endif

#endif  // REKOGNITION_CLIENT_HPP
