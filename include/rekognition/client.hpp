// rekognition-cpp: the Rekognition Custom Labels client.
#ifndef REKOGNITION_CLIENT_HPP
#define REKOGNITION_CLIENT_HPP

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_providers.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/config/endpoint.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/region.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/detail/http_date.hpp"
#include "rekognition/detail/uuid.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/curl_multi_driver.hpp"
#include "rekognition/http/curl_transport.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/operations/async_calls.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/detect_custom_labels_operation.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/operations/outcome.hpp"
#include "rekognition/operations/pipeline.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/operations/projects_codec.hpp"
#include "rekognition/operations/validation.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/retry/retry_config.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Everything a Client can be told. Every member is optional: what is left
/// empty is resolved the way the AWS SDKs do it, at the first call (the
/// constructor never touches the network, the files or the environment).
struct ClientConfig {
  /// Shared-config profile. Empty: AWS_PROFILE, else "default".
  std::string profile;
  /// AWS region, e.g. "us-east-1". Empty: AWS_REGION, AWS_DEFAULT_REGION,
  /// then the profile's `region`; none is a ConfigurationError.
  std::string region;
  /// Endpoint URL, e.g. "http://127.0.0.1:8080". Unset:
  /// AWS_ENDPOINT_URL_REKOGNITION, AWS_ENDPOINT_URL, the profile's
  /// endpoint_url, else derived from the region by the endpoint rules. Set
  /// but empty is a ConfigurationError at the first call.
  std::optional<std::string> endpoint_url;
  /// Use the FIPS / dual-stack endpoint. Unset: AWS_USE_FIPS_ENDPOINT /
  /// AWS_USE_DUALSTACK_ENDPOINT, then the profile, else false.
  std::optional<bool> use_fips;
  std::optional<bool> use_dual_stack;
  /// Explicit credentials; take precedence over everything else.
  std::optional<Credentials> credentials;
  /// Where credentials come from. Null: the default chain (environment,
  /// assume-role profile, web identity, IAM Identity Center, shared files,
  /// credential_process, container, instance metadata).
  std::shared_ptr<CredentialsProvider> credentials_provider;
  /// How requests are sent. Null: a CurlTransport built from `transport_options`.
  std::shared_ptr<HttpTransport> transport;
#if REKOGNITION_WITH_CURL
  /// Options of the default libcurl transport (timeouts, TLS, CA bundle;
  /// an empty ca_bundle is taken from AWS_CA_BUNDLE, then the profile).
  CurlTransportOptions transport_options;
#endif
  /// Retry policy shared by every call of the client. Null: built from
  /// `retry` (mode and attempts from code, environment or profile).
  std::shared_ptr<RetryPolicy> retry_policy;
  /// Retry mode and total attempts per call for the default policy.
  RetrySettings retry;
  /// Which client-side checks run before sending.
  ValidationOptions validation;
  /// Where environment variables are read. Null: the process environment.
  EnvironmentLookup environment;
  /// Longest a whole call may take: every attempt, backoff wait and rate
  /// limiter wait included, like a Go context deadline. An attempt in flight
  /// is cut off when it runs out, and a wait that would end past it is not
  /// started; the call then throws TransportError (kTimeout) with the
  /// attempts made. 0 (the default): unbounded.
  std::chrono::milliseconds call_timeout{0};
  /// Most asynchronous calls in flight at once; more wait in a queue, in
  /// order, and start as earlier ones complete. Must be at least 1 (0 is a
  /// ConfigurationError at the first asynchronous call).
  std::size_t max_in_flight = 64;
  /// Current time, for signing. Null: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Waits between attempts. Null: std::this_thread::sleep_for. Tests inject
  /// a recorder so they never sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The steady clock the I/O thread's timers (backoff and rate-limiter
  /// waits of asynchronous calls) run on. Null: std::chrono::steady_clock.
  /// Tests inject a manual clock and move it forward instead of waiting.
  std::function<std::chrono::steady_clock::time_point()> timer_clock;
  /// Receives one line per attempt (never secrets). Null: no logging.
  std::function<void(const std::string&)> debug_log;
  /// Receives warnings that cannot be thrown, e.g. a RunningModel that
  /// failed to stop its model in its destructor (the model may still be
  /// running, and billed). Must not throw. Null: one line on stderr.
  std::function<void(const std::string&)> log;
};

namespace detail {

// The shared state behind a Client: copies of a Client share one connection
// pool, one retry quota and one clock-skew correction (in the pipeline).
class ClientCore {
 public:
  explicit ClientCore(ClientConfig config)
      : config_(Complete(std::move(config))),
        pipeline_(Settings(config_)),
        async_(pipeline_, config_.max_in_flight, config_.timer_clock, config_.log) {}

  // Runs one call of operation `Op` through the pipeline.
  template <typename Op>
  typename Op::Result Call(const typename Op::Request& request) {
    return pipeline_.Call<Op>(request, config_.validation,
                              [this]() -> const PipelineTarget& { return Resolve(); });
  }

  // Starts one call of `Op` on the I/O thread; `done` gets its outcome.
  template <typename Op>
  CallHandle Submit(const typename Op::Request& request, Completion<typename Op::Result> done) {
    return async_.Submit<Op>(
        request, config_.validation, [this]() -> const PipelineTarget& { return Resolve(); },
        std::move(done));
  }

  // Starts one call of `Op` on the I/O thread; the future gets its outcome.
  template <typename Op>
  std::future<typename Op::Result> Future(const typename Op::Request& request) {
    using Result = typename Op::Result;
    auto promise = std::make_shared<std::promise<Result>>();
    std::future<Result> future = promise->get_future();
    Submit<Op>(request, [promise](Outcome<Result> outcome) {
      if (outcome.ok())
        promise->set_value(std::move(outcome).value());
      else
        promise->set_exception(std::move(outcome).error());
    });
    return future;
  }

  const ClientConfig& config() const noexcept { return config_; }

  // The endpoint URL the first call resolved; empty before that.
  std::string ResolvedEndpointUrl() const {
    return resolved_ready_.load(std::memory_order_acquire) ? resolved_.url : std::string();
  }

  // The pipeline and the resolved target, for running the stages one by one.
  RequestPipeline& pipeline() noexcept { return pipeline_; }
  const PipelineTarget& Resolve();

 private:
  static ClientConfig Complete(ClientConfig config) {
    if (!config.clock) config.clock = [] { return std::chrono::system_clock::now(); };
    if (!config.sleep)
      config.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (config.credentials) {
      config.credentials_provider =
          std::make_shared<StaticCredentialsProvider>(*config.credentials);
    } else if (!config.credentials_provider) {
      // Building the chain reads nothing; its first use does.
      DefaultCredentialsChainOptions options;
      if (!config.profile.empty()) options.profile = config.profile;
      if (!config.region.empty()) options.region = config.region;
      options.environment = config.environment;
      // STS and IAM Identity Center calls go through the client's transport
      // (so a stubbed client stubs them too), its sleep and its log.
      options.service.transport = config.transport;
      options.service.sleep = config.sleep;
      options.service.debug_log = config.debug_log;
      config.credentials_provider = DefaultCredentialsChain(options);
    }
    return config;
  }
  static PipelineSettings Settings(const ClientConfig& config) {
    return PipelineSettings{config.credentials_provider, config.clock, config.sleep,
                            config.debug_log, config.call_timeout};
  }

  ClientConfig config_;
  RequestPipeline pipeline_;
  std::once_flag resolve_once_;
  PipelineTarget resolved_;
  std::atomic<bool> resolved_ready_{false};
  // Last, so it is destroyed first: it waits for the calls in flight, which
  // use everything above.
  AsyncCalls async_;
};

REKOGNITION_INLINE const PipelineTarget& ClientCore::Resolve() {
  std::call_once(resolve_once_, [this] {
    const EnvironmentLookup& env = config_.environment;
    const std::optional<std::string> profile_name =
        config_.profile.empty() ? std::nullopt : std::optional<std::string>(config_.profile);
    const Profile profile = LoadProfile(profile_name, env);

    PipelineTarget resolved;
    resolved.region = ResolveRegion(
        config_.region.empty() ? std::nullopt : std::optional<std::string>(config_.region), profile,
        env);
    EndpointSettings endpoint;
    endpoint.endpoint_url = config_.endpoint_url;
    endpoint.use_fips = config_.use_fips;
    endpoint.use_dual_stack = config_.use_dual_stack;
    resolved.url = ResolveEndpoint(resolved.region, endpoint, profile, env);
    auto parsed = ParseUrl(resolved.url);
    if (!parsed)
      throw ConfigurationError("endpoint URL '" + resolved.url +
                               "' is not an absolute http:// or https:// URL");
    resolved.endpoint = *parsed;
    resolved.url =
        resolved.endpoint.scheme + "://" + resolved.endpoint.HostHeader() + resolved.endpoint.path;
    resolved.retry_policy =
        config_.retry_policy ? config_.retry_policy : MakeRetryPolicy(config_.retry, profile, env);
    resolved.transport = config_.transport;
#if REKOGNITION_WITH_CURL
    if (!resolved.transport) {
      CurlTransportOptions options = config_.transport_options;
      if (options.ca_bundle.empty()) {
        if (auto bundle = NonEmptyEnv(env, "AWS_CA_BUNDLE"))
          options.ca_bundle = *bundle;
        else if (auto key = profile.Get("ca_bundle"))
          options.ca_bundle = *key;
      }
      resolved.transport = std::make_shared<CurlTransport>(options);
    }
#endif
    if (!resolved.transport)
      throw ConfigurationError(
          "no transport: this build has no libcurl; set ClientConfig::transport");
    resolved_ = std::move(resolved);
    resolved_ready_.store(true, std::memory_order_release);
  });
  return resolved_;
}

}  // namespace detail

/// The Rekognition Custom Labels client. A cheap copyable value: copies share
/// one connection pool, retry quota and credentials cache. Thread-safe: one
/// client may serve any number of threads at once. Constructing it never
/// touches the network; configuration is resolved at the first call.
class Client : public RekognitionApi {
 public:
  /// A client configured from `config`, the environment and the defaults.
  explicit Client(ClientConfig config = {})
      : core_(std::make_shared<detail::ClientCore>(std::move(config))) {}

  /// Detects custom labels in an image with a running model version.
  /// Validates the request first (throws ValidationError, nothing sent), then
  /// signs and sends it, retrying per the retry policy. Throws
  /// ConfigurationError / CredentialsError when the configuration is
  /// unusable, TransportError when no response arrived, and the ServiceError
  /// subclass matching the service's error code otherwise.
  DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& request) override {
    return core_->Call<DetectCustomLabelsOperation>(request);
  }

  /// Describes projects, one page per call (see ListProjects for every
  /// page). Filter with request.project_names. Validates first (throws
  /// ValidationError, nothing sent); then throws like DetectCustomLabels,
  /// with InvalidPaginationTokenException for a bad NextToken. Thread-safe.
  DescribeProjectsResult DescribeProjects(const DescribeProjectsRequest& request) override {
    return core_->Call<DescribeProjectsOperation>(request);
  }

  /// Describes the versions of a project, one page per call (see
  /// ListProjectVersions for every page). Throws like DescribeProjects, and
  /// ResourceNotFoundException for an unknown project. Thread-safe.
  DescribeProjectVersionsResult DescribeProjectVersions(
      const DescribeProjectVersionsRequest& request) override {
    return core_->Call<DescribeProjectVersionsOperation>(request);
  }

  /// Starts a model version; it is billed by the hour until stopped (see
  /// RunningModel). Returns at once with the status (STARTING); wait with
  /// WaitUntilProjectVersionRunning. Throws ValidationError before sending,
  /// ResourceInUseException when the version cannot start now,
  /// LimitExceededException, ResourceNotFoundException, and the other
  /// errors of DetectCustomLabels. Thread-safe.
  StartProjectVersionResult StartProjectVersion(
      const StartProjectVersionRequest& request) override {
    return core_->Call<StartProjectVersionOperation>(request);
  }

  /// Stops a model version. Returns at once with the status (STOPPING).
  /// Throws like StartProjectVersion. Thread-safe.
  StopProjectVersionResult StopProjectVersion(const StopProjectVersionRequest& request) override {
    return core_->Call<StopProjectVersionOperation>(request);
  }

  // Asynchronous forms. Each prepares, validates and signs on the calling
  // thread, then sends on the client's one I/O thread (started by the first
  // asynchronous call; libcurl's multi interface for the default transport),
  // where retries wait on timers. At most ClientConfig::max_in_flight run at
  // once; the rest queue. The outcome is what the blocking form returns or
  // throws; a request that fails validation or configuration completes
  // before the call returns. Destroying the last copy of the client waits
  // for the calls in flight (cancel them first to hurry it). Thread-safe.

  /// DetectCustomLabels on the I/O thread; the future holds the result or the error.
  std::future<DetectCustomLabelsResult> DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request) override {
    return core_->Future<DetectCustomLabelsOperation>(request);
  }
  /// DetectCustomLabels on the I/O thread; `done` runs there with the outcome.
  CallHandle DetectCustomLabelsAsync(const DetectCustomLabelsRequest& request,
                                     Completion<DetectCustomLabelsResult> done) override {
    return core_->Submit<DetectCustomLabelsOperation>(request, std::move(done));
  }
  /// DescribeProjects on the I/O thread; the future holds the result or the error.
  std::future<DescribeProjectsResult> DescribeProjectsAsync(
      const DescribeProjectsRequest& request) override {
    return core_->Future<DescribeProjectsOperation>(request);
  }
  /// DescribeProjects on the I/O thread; `done` runs there with the outcome.
  CallHandle DescribeProjectsAsync(const DescribeProjectsRequest& request,
                                   Completion<DescribeProjectsResult> done) override {
    return core_->Submit<DescribeProjectsOperation>(request, std::move(done));
  }
  /// DescribeProjectVersions on the I/O thread; the future holds the result or the error.
  std::future<DescribeProjectVersionsResult> DescribeProjectVersionsAsync(
      const DescribeProjectVersionsRequest& request) override {
    return core_->Future<DescribeProjectVersionsOperation>(request);
  }
  /// DescribeProjectVersions on the I/O thread; `done` runs there with the outcome.
  CallHandle DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request,
                                          Completion<DescribeProjectVersionsResult> done) override {
    return core_->Submit<DescribeProjectVersionsOperation>(request, std::move(done));
  }
  /// StartProjectVersion on the I/O thread; the future holds the result or the error.
  std::future<StartProjectVersionResult> StartProjectVersionAsync(
      const StartProjectVersionRequest& request) override {
    return core_->Future<StartProjectVersionOperation>(request);
  }
  /// StartProjectVersion on the I/O thread; `done` runs there with the outcome.
  CallHandle StartProjectVersionAsync(const StartProjectVersionRequest& request,
                                      Completion<StartProjectVersionResult> done) override {
    return core_->Submit<StartProjectVersionOperation>(request, std::move(done));
  }
  /// StopProjectVersion on the I/O thread; the future holds the result or the error.
  std::future<StopProjectVersionResult> StopProjectVersionAsync(
      const StopProjectVersionRequest& request) override {
    return core_->Future<StopProjectVersionOperation>(request);
  }
  /// StopProjectVersion on the I/O thread; `done` runs there with the outcome.
  CallHandle StopProjectVersionAsync(const StopProjectVersionRequest& request,
                                     Completion<StopProjectVersionResult> done) override {
    return core_->Submit<StopProjectVersionOperation>(request, std::move(done));
  }

  /// Sends `line` to ClientConfig::log, else writes it to stderr. Never
  /// throws. Thread-safe if the callback is.
  void Warn(const std::string& line) noexcept override {
    try {
      if (core_->config().log) {
        core_->config().log(line);
        return;
      }
    } catch (...) {
    }
    RekognitionApi::Warn(line);
  }

  /// The configuration the client was built with (unresolved members empty).
  const ClientConfig& config() const noexcept { return core_->config(); }

  /// The endpoint URL calls go to, as resolved by the first call (from code,
  /// environment, profile or the endpoint rules); empty until a call has
  /// resolved it. Thread-safe.
  std::string endpoint_url() const { return core_->ResolvedEndpointUrl(); }

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

REKOGNITION_NAMESPACE_END

// The model lifecycle helpers work on any RekognitionApi, a Client included.
#include "rekognition/lifecycle/paginators.hpp"
#include "rekognition/lifecycle/running_model.hpp"
#include "rekognition/lifecycle/waiters.hpp"

#endif  // REKOGNITION_CLIENT_HPP
