// rekognition-cpp: calling the AWS services that hand out credentials (STS, IAM Identity Center).
#ifndef REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP
#define REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_http.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/config/endpoint.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/region.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/detail/iso8601.hpp"
#include "rekognition/detail/printable.hpp"
#include "rekognition/detail/redact.hpp"
#include "rekognition/detail/xml.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/retry/retry_config.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// How the providers that call AWS credentials services (STS for web
/// identity and assumed roles, IAM Identity Center for SSO) reach them.
/// Every member is optional.
struct CredentialsServiceOptions {
  /// The transport. Empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of the default transport.
  std::chrono::milliseconds timeout{10000};
  /// The STS region. Empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's
  /// `region`, else the global endpoint (aws-global), as botocore does.
  std::optional<std::string> region;
  /// Retry policy of the calls. Empty: built like the client's (AWS_RETRY_MODE,
  /// AWS_MAX_ATTEMPTS, the profile's retry_mode and max_attempts).
  std::shared_ptr<RetryPolicy> retry_policy;
  /// Waits between attempts. Empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The current time, for signing and token expiry. Empty: the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Receives one line per attempt (never a secret). Empty: no logging.
  std::function<void(const std::string&)> debug_log;
};

namespace detail {

/// Form-encodes `value` as botocore's query serializer does
/// (application/x-www-form-urlencoded: letters, digits and "-_.~" as is,
/// space as '+', everything else %XX). Throws only std::bad_alloc.
REKOGNITION_INLINE void AppendFormEncoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
}

/// One service endpoint: the URL and the SigV4 signing region.
struct ServiceEndpoint {
  std::string url;
  std::string signing_region;
};

/// The resolved, shared parts of CredentialsServiceOptions: the transport
/// (made on first use), the retry policy, sleep and clock. Thread-safe.
class CredentialsServiceCaller {
 public:
  explicit CredentialsServiceCaller(CredentialsServiceOptions options)
      : options_(std::move(options)), transport_(options_.transport, options_.timeout) {
    if (!options_.sleep)
      options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  }

  const CredentialsServiceOptions& options() const noexcept { return options_; }
  std::chrono::system_clock::time_point Now() const { return options_.clock(); }

  /// The STS endpoint for `profile`: a configured URL (AWS_ENDPOINT_URL_STS,
  /// AWS_ENDPOINT_URL, the services section's sts, the profile's
  /// endpoint_url), else the STS rules for the region (see
  /// CredentialsServiceOptions::region), FIPS and dual-stack settings.
  /// Throws ConfigurationError as ResolveEndpoint does.
  ServiceEndpoint StsEndpoint(const Profile& profile, const EnvironmentLookup& env) const {
    std::string region = "aws-global";
    if (options_.region && !options_.region->empty()) {
      region = *options_.region;
    } else if (auto value = NonEmptyEnv(env, "AWS_REGION")) {
      region = *value;
    } else if (auto value = NonEmptyEnv(env, "AWS_DEFAULT_REGION")) {
      region = *value;
    } else if (auto key = profile.Get("region")) {
      region = *key;
    }
    return Resolve({"sts", "sts-fips", true, true}, "STS", "sts", region, profile, env);
  }

  /// The endpoint of the SSO portal ("SSO", "sso") or SSO OIDC ("SSO_OIDC",
  /// "sso_oidc") in `region` (the profile's sso_region). Throws
  /// ConfigurationError as ResolveEndpoint does.
  ServiceEndpoint SsoEndpoint(bool oidc, const std::string& region, const Profile& profile,
                              const EnvironmentLookup& env) const {
    if (oidc)
      return Resolve({"oidc", "oidc-fips", true, false}, "SSO_OIDC", "sso_oidc", region, profile,
                     env);
    return Resolve({"portal.sso", "portal.sso-fips", true, false}, "SSO", "sso", region, profile,
                   env);
  }

  /// Sends the request `build(attempt)` makes (built and signed again for
  /// every attempt), retrying transport failures and retryable answers with
  /// the retry policy; `classify` turns an error response into the policy's
  /// view of it. Returns the last result and the attempts made. Throws
  /// CredentialsError when there is no transport, ConfigurationError for an
  /// unusable retry setting.
  std::pair<HttpResult, int> Send(
      const std::function<HttpRequest(int attempt)>& build,
      const std::function<AttemptFailure(const HttpResponse&)>& classify, const Profile& profile,
      const EnvironmentLookup& env, const std::string& what) {
    const auto transport = transport_.Get();
    if (!transport) throw CredentialsError(what + ": no HTTP transport (built without libcurl)");
    const std::shared_ptr<RetryPolicy> policy = Policy(profile, env);
    RetryToken token;
    for (int attempt = 1;; ++attempt) {
      const auto wait = policy->BeforeAttempt();
      if (wait.count() > 0) options_.sleep(wait);
      const HttpRequest request = build(attempt);
      HttpResult result = transport->Send(request);
      AttemptFailure failure;
      if (const auto* response = std::get_if<HttpResponse>(&result)) {
        if (response->status >= 200 && response->status < 300) {
          policy->OnAttemptResult(false);
          policy->OnSuccess(token);
          Log(what + ": attempt " + std::to_string(attempt) + ": HTTP " +
              std::to_string(response->status));
          return {std::move(result), attempt};
        }
        failure = classify(*response);
      } else {
        failure.transport = std::get<TransportFailure>(result).kind;
      }
      policy->OnAttemptResult(ClassifyFailure(failure) == FailureClass::kThrottling);
      const auto delay = policy->OnFailure(failure, attempt, token);
      Log(what + ": attempt " + std::to_string(attempt) + ": " +
          (failure.transport ? std::string(ToString(*failure.transport))
                             : "HTTP " + std::to_string(failure.http_status) + " " + failure.code) +
          (delay ? "; retrying in " + std::to_string(delay->count()) + " ms" : "; giving up"));
      if (!delay) return {std::move(result), attempt};
      options_.sleep(*delay);
    }
  }

  void Log(const std::string& line) const {
    if (options_.debug_log) options_.debug_log(line);
  }

 private:
  ServiceEndpoint Resolve(const StandardEndpointRules& rules, const char* env_name,
                          const char* services_key, const std::string& region,
                          const Profile& profile, const EnvironmentLookup& env) const {
    EndpointParameters params;
    params.region = region;
    params.use_fips = ResolveBooleanSetting(std::nullopt, "AWS_USE_FIPS_ENDPOINT",
                                            "use_fips_endpoint", profile, env);
    params.use_dual_stack = ResolveBooleanSetting(std::nullopt, "AWS_USE_DUALSTACK_ENDPOINT",
                                                  "use_dualstack_endpoint", profile, env);
    if (auto configured =
            ConfiguredServiceEndpointUrl(std::nullopt, env_name, services_key, profile, env)) {
      CheckConfiguredEndpointUrl(*configured);
      params.endpoint = std::move(configured->first);
    }
    ServiceEndpoint endpoint;
    endpoint.url = ResolveStandardEndpoint(rules, params);
    endpoint.signing_region = region == "aws-global" ? "us-east-1" : region;
    return endpoint;
  }

  std::shared_ptr<RetryPolicy> Policy(const Profile& profile, const EnvironmentLookup& env) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (options_.retry_policy) return options_.retry_policy;
    if (!policy_) policy_ = MakeRetryPolicy(RetrySettings{}, profile, env);
    return policy_;
  }

  CredentialsServiceOptions options_;
  LazyCredentialsTransport transport_;
  std::mutex mutex_;
  std::shared_ptr<RetryPolicy> policy_;
};

/// The outcome of one STS action: the <ActionResult> element and the
/// request id.
struct StsResponse {
  XmlElement result;
  std::string request_id;
};

/// The <Error> element of an STS error document: ErrorResponse/Error, or
/// ErrorResponse/Errors/Error as some peers write it; nullptr when neither.
REKOGNITION_INLINE const XmlElement* StsErrorElement(const XmlElement& root) noexcept {
  if (const XmlElement* error = root.Child("Error")) return error;
  return root.Find({"Errors", "Error"});
}

/// Calls STS action `action` (query protocol, POST form body) with `params`
/// in order, at the STS endpoint for `profile`; signs with `signing` (service
/// "sts") when set, unsigned otherwise. Throws CredentialsSourceError that
/// carries STS's error code, HTTP status and request id when STS refuses
/// (IDPCommunicationError and 5xx are retried first), or names the
/// transport failure; `secrets` are redacted from every message (the peer's
/// message may echo anything). `what` prefixes messages (e.g. "web
/// identity"). Thread-safe.
REKOGNITION_INLINE StsResponse CallSts(
    CredentialsServiceCaller& caller, const std::string& action,
    const std::vector<std::pair<std::string, std::string>>& params,
    const std::optional<Credentials>& signing, const Profile& profile, const EnvironmentLookup& env,
    const std::vector<std::string_view>& secrets, const std::string& what) {
  const ServiceEndpoint endpoint = caller.StsEndpoint(profile, env);
  std::string body = "Action=";
  AppendFormEncoded(body, action);
  body += "&Version=2011-06-15";
  for (const auto& [name, value] : params) {
    body += '&';
    AppendFormEncoded(body, name);
    body += '=';
    AppendFormEncoded(body, value);
  }
  const auto parsed_url = ParseUrl(endpoint.url);
  if (!parsed_url)
    throw ConfigurationError("the STS endpoint '" + endpoint.url + "' is not an absolute URL");
  SigV4Signer signer;
  auto build = [&](int) {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint.url;
    request.body = body;
    request.headers.emplace_back("Host", parsed_url->HostHeader());
    request.headers.emplace_back("Content-Type",
                                 "application/x-www-form-urlencoded; charset=utf-8");
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (signing) {
      SigV4Params sign;
      sign.region = endpoint.signing_region;
      sign.service = "sts";
      sign.time = caller.Now();
      signer.Sign(request, *signing, sign);
    }
    return request;
  };
  auto classify = [&secrets](const HttpResponse& response) {
    AttemptFailure failure;
    failure.http_status = response.status;
    XmlElement root;
    std::string ignored;
    if (ParseXml(response.body, root, ignored))
      if (const XmlElement* error = StsErrorElement(root))
        if (const XmlElement* code = error->Child("Code"))
          failure.code = SanitizeErrorCode(RedactAll(code->text, secrets));
    failure.transient = failure.code == "IDPCommunicationError";
    return failure;
  };
  const std::string label = what + ": STS " + action;
  auto [result, attempts] = caller.Send(build, classify, profile, env, label);
  if (const auto* failure = std::get_if<TransportFailure>(&result))
    throw CredentialsSourceError(ErrorInfo{
        ToString(failure->kind),
        RedactAll(label + " at " + endpoint.url + " failed: " + failure->message, secrets), 0, "",
        attempts, IsRetryableTransportFailure(failure->kind)});
  const auto& response = std::get<HttpResponse>(result);
  std::string request_id;
  // Everything the peer sent may echo a secret: redacted whole, then cut.
  if (const std::string* id = response.Header("x-amzn-RequestId"))
    request_id = PrintableExcerpt(RedactAll(*id, secrets), 128);
  XmlElement root;
  std::string error;
  const bool parsed = ParseXml(response.body, root, error);
  if (parsed && request_id.empty()) {
    const XmlElement* id = root.Find({"ResponseMetadata", "RequestId"});
    if (id == nullptr) id = root.Child("RequestId");
    if (id != nullptr) request_id = PrintableExcerpt(RedactAll(id->text, secrets), 128);
  }
  if (response.status < 200 || response.status >= 300) {
    std::string code = "CredentialsError";
    std::string message;
    if (const XmlElement* error = parsed ? StsErrorElement(root) : nullptr) {
      if (const XmlElement* element = error->Child("Code"))
        code = SanitizeErrorCode(RedactAll(element->text, secrets));
      if (const XmlElement* element = error->Child("Message"))
        message = PrintableExcerpt(RedactAll(element->text, secrets), 300);
    }
    const bool retryable = code == "IDPCommunicationError" ||
                           IsTransientServiceError(code, response.status) ||
                           IsThrottlingError(code, response.status);
    throw CredentialsSourceError(ErrorInfo{
        code, RedactAll(label + " was refused: " + (message.empty() ? code : message), secrets),
        response.status, request_id, attempts, retryable});
  }
  if (!parsed)
    throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                           label + " answered an unreadable document: " + error,
                                           response.status, request_id, attempts, false});
  const XmlElement* result_element = root.Child(action + "Result");
  if (root.name != action + "Response" || result_element == nullptr)
    throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                           label + " answered without <" + action + "Result>",
                                           response.status, request_id, attempts, false});
  return StsResponse{*result_element, std::move(request_id)};
}

/// The <Credentials> of an STS AssumeRole* result (AccessKeyId,
/// SecretAccessKey, SessionToken, Expiration). Throws CredentialsSourceError
/// naming the missing member, never a value.
REKOGNITION_INLINE Credentials ReadStsCredentials(const StsResponse& response,
                                                  const std::string& what) {
  const XmlElement* element = response.result.Child("Credentials");
  auto fail = [&](const std::string& problem) {
    return CredentialsSourceError(
        ErrorInfo{"CredentialsError", what + ": " + problem, 200, response.request_id, 1, false});
  };
  if (element == nullptr) throw fail("the STS answer has no Credentials");
  Credentials credentials;
  const std::pair<const char*, std::string*> fields[] = {
      {"AccessKeyId", &credentials.access_key_id},
      {"SecretAccessKey", &credentials.secret_access_key},
      {"SessionToken", &credentials.session_token}};
  for (const auto& [name, field] : fields) {
    const XmlElement* value = element->Child(name);
    if (value == nullptr || value->text.empty())
      throw fail(std::string("the STS answer has no ") + name);
    *field = value->text;
  }
  const XmlElement* expiration = element->Child("Expiration");
  if (expiration == nullptr) throw fail("the STS answer has no Expiration");
  credentials.expiration = ParseIso8601(expiration->text);
  if (!credentials.expiration) throw fail("the STS answer's Expiration is not an ISO 8601 time");
  return credentials;
}

/// The RoleSessionName botocore makes up when none is configured:
/// "botocore-session-" and the Unix time in seconds. Never throws except
/// std::bad_alloc.
REKOGNITION_INLINE std::string DefaultRoleSessionName(std::chrono::system_clock::time_point now) {
  return "botocore-session-" +
         std::to_string(
             std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_SERVICE_HPP
