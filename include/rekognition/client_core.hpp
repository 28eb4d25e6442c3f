// rekognition-cpp: the shared state behind a Client (internal). Header-only
// builds get it through client.hpp; in compiled mode only the library's own
// translation unit (and code that needs the internals, such as benchmarks)
// includes it.
#ifndef REKOGNITION_CLIENT_CORE_HPP
#define REKOGNITION_CLIENT_CORE_HPP

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
#include "rekognition/client_config.hpp"
#include "rekognition/config/endpoint.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/region.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/curl_transport.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/operations/async_calls.hpp"
#include "rekognition/operations/detect_custom_labels_operation.hpp"
#include "rekognition/operations/outcome.hpp"
#include "rekognition/operations/pipeline.hpp"
#include "rekognition/operations/projects_codec.hpp"
#include "rekognition/retry/retry_config.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

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
    return pipeline_.Call<Op>(request, config_.validation, Resolver());
  }

  // Starts one call of `Op` on the I/O thread; `done` gets its outcome.
  template <typename Op>
  CallHandle Submit(const typename Op::Request& request, Completion<typename Op::Result> done) {
    std::unique_ptr<CompletionReceiver<Op>> receiver;
    try {
      receiver = std::make_unique<CompletionReceiver<Op>>(std::move(done));
    } catch (...) {  // out of memory: `done` was not moved
      if (done) done(Outcome<typename Op::Result>::Failure(std::current_exception()));
      return CallHandle();
    }
    return async_.Submit<Op>(request, config_.validation, Resolver(), std::move(receiver));
  }

  // Starts one call of `Op` on the I/O thread; the future gets its outcome.
  template <typename Op>
  std::future<typename Op::Result> Future(const typename Op::Request& request) {
    auto receiver = std::make_unique<PromiseReceiver<Op>>();
    std::future<typename Op::Result> future = receiver->future();
    async_.Submit<Op>(request, config_.validation, Resolver(), std::move(receiver));
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
  // Resolve, as the pipeline asks for it (one function type for every operation).
  std::function<const PipelineTarget&()> Resolver() {
    return [this]() -> const PipelineTarget& { return Resolve(); };
  }

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

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CLIENT_CORE_HPP
