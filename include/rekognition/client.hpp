// rekognition-cpp: the Rekognition Custom Labels client.
#ifndef REKOGNITION_CLIENT_HPP
#define REKOGNITION_CLIENT_HPP

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_providers.hpp"
#include "rekognition/http/curl_transport.hpp"
#include "rekognition/detail/http_date.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/detail/uuid.hpp"
#include "rekognition/config/endpoint.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/config/region.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/retry/retry_config.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/operations/validation.hpp"
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
  /// Endpoint URL, e.g. "http://127.0.0.1:8080". Empty:
  /// AWS_ENDPOINT_URL_REKOGNITION, AWS_ENDPOINT_URL, the profile's
  /// endpoint_url, else derived from the region by the endpoint rules.
  std::string endpoint_url;
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
  /// Current time, for signing. Null: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Waits between attempts. Null: std::this_thread::sleep_for. Tests inject
  /// a recorder so they never sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Receives one line per attempt (never secrets). Null: no logging.
  std::function<void(const std::string&)> debug_log;
};

namespace detail {

// The shared state behind a Client: copies of a Client share one connection
// pool, one retry quota and one clock-skew correction.
class ClientCore {
 public:
  explicit ClientCore(ClientConfig config) : config_(std::move(config)) {
    if (!config_.clock) config_.clock = [] { return std::chrono::system_clock::now(); };
    if (!config_.sleep)
      config_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (config_.credentials) {
      config_.credentials_provider =
          std::make_shared<StaticCredentialsProvider>(*config_.credentials);
    } else if (!config_.credentials_provider) {
      // Building the chain reads nothing; its first use does.
      DefaultCredentialsChainOptions options;
      if (!config_.profile.empty()) options.profile = config_.profile;
      if (!config_.region.empty()) options.region = config_.region;
      options.environment = config_.environment;
      // STS and IAM Identity Center calls go through the client's transport
      // (so a stubbed client stubs them too), its sleep and its log.
      options.service.transport = config_.transport;
      options.service.sleep = config_.sleep;
      options.service.debug_log = config_.debug_log;
      config_.credentials_provider = DefaultCredentialsChain(options);
    }
  }

  DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& request);

  const ClientConfig& config() const noexcept { return config_; }

  // The endpoint URL the first call resolved; empty before that.
  std::string ResolvedEndpointUrl() const {
    return resolved_ready_.load(std::memory_order_acquire) ? resolved_.url : std::string();
  }

 private:
  struct Resolved {
    std::string region;
    ParsedUrl endpoint;
    std::string url;
    std::shared_ptr<HttpTransport> transport;
    std::shared_ptr<RetryPolicy> retry_policy;
  };

  const Resolved& Resolve();
  void Log(const std::string& line) const {
    if (config_.debug_log) config_.debug_log(line);
  }

  // Applies a clock-skew correction when the service says our clock is off and
  // its Date header agrees (4 minutes or more). True when the call should be
  // retried at once with the corrected time.
  bool CorrectClockSkew(const std::string& code, const HttpResponse& response,
                        std::chrono::system_clock::time_point signed_at);

  std::chrono::system_clock::time_point SigningTime() const {
    return config_.clock() + std::chrono::milliseconds(skew_ms_.load(std::memory_order_relaxed));
  }

  ClientConfig config_;
  SigV4Signer signer_;
  std::atomic<long long> skew_ms_{0};  // server time minus local time, shared by all calls
  std::once_flag resolve_once_;
  Resolved resolved_;
  std::atomic<bool> resolved_ready_{false};
};

REKOGNITION_INLINE const ClientCore::Resolved& ClientCore::Resolve() {
  std::call_once(resolve_once_, [this] {
    const EnvironmentLookup& env = config_.environment;
    const std::optional<std::string> profile_name =
        config_.profile.empty() ? std::nullopt : std::optional<std::string>(config_.profile);
    const Profile profile = LoadProfile(profile_name, env);

    Resolved resolved;
    resolved.region = ResolveRegion(
        config_.region.empty() ? std::nullopt : std::optional<std::string>(config_.region), profile,
        env);
    EndpointSettings endpoint;
    if (!config_.endpoint_url.empty()) endpoint.endpoint_url = config_.endpoint_url;
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

REKOGNITION_INLINE bool ClientCore::CorrectClockSkew(
    const std::string& code, const HttpResponse& response,
    std::chrono::system_clock::time_point signed_at) {
  if (!IsClockSkewError(code)) return false;
  const std::string* date = response.Header("Date");
  if (!date) return false;
  const auto server_time = ParseHttpDate(*date);
  if (!server_time) return false;
  // Judge the attempt by the time it was signed with: another call may have
  // corrected the shared offset since, and this one still deserves its retry.
  if (std::chrono::abs(*server_time - signed_at) < std::chrono::minutes(4)) return false;
  const auto skew =
      std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - config_.clock());
  if (std::chrono::abs(skew - std::chrono::milliseconds(skew_ms_.load())) >=
      std::chrono::minutes(4)) {
    skew_ms_.store(skew.count());
    Log("clock skew: the service's clock is " + std::to_string(skew.count() / 1000) +
        " s ahead of ours; re-signing with the corrected time");
  }
  return true;
}

/// `text` with every occurrence of the credentials' secret key and session
/// token replaced by "<redacted>".
REKOGNITION_INLINE std::string RedactSecrets(std::string text, const Credentials& credentials) {
  for (const std::string* secret : {&credentials.secret_access_key, &credentials.session_token}) {
    if (secret->empty()) continue;
    for (auto at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at))
      text.replace(at, secret->size(), "<redacted>");
  }
  return text;
}

REKOGNITION_INLINE std::string DescribeFailure(const AttemptFailure& failure) {
  if (failure.transport) return ToString(*failure.transport);
  return std::to_string(failure.http_status) + " " + failure.code;
}

REKOGNITION_INLINE DetectCustomLabelsResult
ClientCore::DetectCustomLabels(const DetectCustomLabelsRequest& request) {
  ValidateRequest(request, config_.validation);  // throws before anything is sent
  const Resolved& resolved = Resolve();

  const std::string body = SerializeRequest(request);
  const std::string invocation_id = RandomUuid();
  RetryPolicy& policy = *resolved.retry_policy;
  const int max_attempts = policy.max_attempts();
  RetryToken token;
  bool skew_corrected = false;

  for (int attempt = 1;; ++attempt) {
    const auto wait = policy.BeforeAttempt();
    if (wait.count() > 0) config_.sleep(wait);

    const Credentials credentials = config_.credentials_provider->GetCredentials();
    HttpRequest http;
    http.method = "POST";
    http.url = resolved.url;
    http.body = body;
    http.headers.reserve(10);
    http.headers.emplace_back("Host", resolved.endpoint.HostHeader());
    http.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
    http.headers.emplace_back("X-Amz-Target", "RekognitionService.DetectCustomLabels");
    http.headers.emplace_back("User-Agent", kUserAgent);
    http.headers.emplace_back("amz-sdk-invocation-id", invocation_id);
    http.headers.emplace_back(
        "amz-sdk-request", "attempt=" + std::to_string(attempt) +
                               "; max=" + std::to_string(max_attempts + (skew_corrected ? 1 : 0)));
    SigV4Params params;
    params.region = resolved.region;
    params.service = "rekognition";
    params.time = SigningTime();
    signer_.Sign(http, credentials, params);

    const auto started = std::chrono::steady_clock::now();
    HttpResult result = resolved.transport->Send(http);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);

    AttemptFailure failure;
    std::string request_id;
    std::string message;
    if (auto* response = std::get_if<HttpResponse>(&result)) {
      if (const std::string* id = response->Header("x-amzn-RequestId")) request_id = *id;
      if (response->status >= 200 && response->status < 300) {
        DetectCustomLabelsResult parsed;
        std::string error;
        if (!ParseResult(response->body, parsed, error)) {
          Log("attempt " + std::to_string(attempt) + "/" + std::to_string(max_attempts) +
              ": HTTP " + std::to_string(response->status) + " with an unreadable body: " + error);
          throw ServiceError(ErrorInfo{"MalformedResponse",
                                       "the service's response could not be read: " + error,
                                       response->status, request_id, attempt, false});
        }
        Log("attempt " + std::to_string(attempt) + "/" + std::to_string(max_attempts) + ": HTTP " +
            std::to_string(response->status) + " in " + std::to_string(elapsed.count()) +
            " ms, request id " + request_id);
        policy.OnAttemptResult(false);
        policy.OnSuccess(token);
        parsed.request_id = std::move(request_id);
        parsed.attempts = attempt;
        return parsed;
      }
      ErrorBody error = ParseErrorResponse(response->status, response->headers, response->body);
      failure.code = std::move(error.code);
      failure.http_status = response->status;
      // Some services and peers echo the canonical request, which carries the
      // session token, in signature errors: never pass a secret on.
      message = RedactSecrets(std::move(error.message), credentials);
      if (const std::string* after = response->Header("x-amz-retry-after")) {
        char* end = nullptr;
        const long long ms = std::strtoll(after->c_str(), &end, 10);
        if (end != after->c_str() && ms >= 0) failure.retry_after = std::chrono::milliseconds(ms);
      }
      if (!skew_corrected && CorrectClockSkew(failure.code, *response, params.time)) {
        skew_corrected = true;  // once per call, at once, outside the retry budget
        policy.OnAttemptResult(false);
        continue;
      }
    } else {
      const auto& transport_failure = std::get<TransportFailure>(result);
      failure.transport = transport_failure.kind;
      message = transport_failure.message;
    }
    policy.OnAttemptResult(ClassifyFailure(failure) == FailureClass::kThrottling);

    // The clock-skew retry does not count against the policy's attempts.
    const auto delay = policy.OnFailure(failure, skew_corrected ? attempt - 1 : attempt, token);
    Log("attempt " + std::to_string(attempt) + "/" + std::to_string(max_attempts) + ": " +
        DescribeFailure(failure) + " in " + std::to_string(elapsed.count()) + " ms" +
        (request_id.empty() ? "" : ", request id " + request_id) +
        (delay ? "; retrying in " + std::to_string(delay->count()) + " ms" : "; giving up"));
    if (delay) {
      config_.sleep(*delay);  // also for 0 ms, so every retry has exactly one wait
      continue;
    }
    if (failure.transport) {
      throw TransportError(std::get<TransportFailure>(result), attempt);
    }
    ThrowServiceError(
        ErrorInfo{failure.code, message, failure.http_status, request_id, attempt, false});
  }
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
    return core_->DetectCustomLabels(request);
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

#endif  // REKOGNITION_CLIENT_HPP
