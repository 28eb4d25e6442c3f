// rekognition-cpp: credentials of the EC2 instance role, from the instance metadata service.
#ifndef REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_http.hpp"
#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of InstanceMetadataCredentialsProvider.
struct InstanceMetadataCredentialsOptions {
  /// The transport; empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of each request of the default transport.
  std::chrono::milliseconds timeout{1000};
  /// Attempts per request when the service is unreachable or answers 5xx.
  int max_attempts = 1;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
};

namespace detail {

inline constexpr const char* kImdsDefaultEndpoint = "http://169.254.169.254";
inline constexpr const char* kImdsDefaultEndpointIpv6 = "http://[fd00:ec2::254]";
inline constexpr const char* kImdsTokenPath = "/latest/api/token";
inline constexpr const char* kImdsCredentialsPath = "/latest/meta-data/iam/security-credentials/";
inline constexpr const char* kImdsTokenTtlHeader = "x-aws-ec2-metadata-token-ttl-seconds";
inline constexpr const char* kImdsTokenHeader = "x-aws-ec2-metadata-token";
inline constexpr const char* kImdsTokenTtlSeconds = "21600";

REKOGNITION_INLINE bool IsTrueSetting(const std::optional<std::string>& value) noexcept {
  return value && ParseBooleanSetting(*value);
}

// IAM role names are [A-Za-z0-9+=,.@_-]{1,64}; anything else is refused
// before it is put into a URL.
REKOGNITION_INLINE bool IsValidRoleName(const std::string& name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '_' ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace detail

/// Fetches the instance role's credentials from the EC2 instance metadata
/// service with IMDSv2: PUT /latest/api/token (TTL 21600 s), then
/// GET /latest/meta-data/iam/security-credentials/ for the role name and
/// GET .../ROLE for the credentials, both with the token. If the token
/// request is refused (403, 404, 405) the GETs go without a token (IMDSv1),
/// unless AWS_EC2_METADATA_V1_DISABLED=true. Disabled by
/// AWS_EC2_METADATA_DISABLED=true. The endpoint is
/// AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://[fd00:ec2::254] when
/// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, else http://169.254.169.254.
/// Each request times out after 1 s by default. Nothing is sent before the
/// first GetCredentials call. Thread-safe.
class InstanceMetadataCredentialsProvider : public CredentialsProvider {
 public:
  explicit InstanceMetadataCredentialsProvider(InstanceMetadataCredentialsOptions options = {})
      : env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        transport_(std::move(options.transport), options.timeout),
        max_attempts_(options.max_attempts) {}

  /// Fetches credentials. Throws CredentialsError when disabled, unreachable,
  /// when the instance has no role, or on any unexpected answer. Messages
  /// never contain the token or the credentials.
  Credentials GetCredentials() override {
    if (detail::IsTrueSetting(detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_DISABLED")))
      throw CredentialsError("instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
    const std::string endpoint = Endpoint();
    if (!detail::ParseUrl(endpoint))
      throw CredentialsError("instance metadata: the endpoint '" + endpoint +
                             "' is not an absolute http(s) URL");
    const auto transport = transport_.Get();
    if (!transport)
      throw CredentialsError("instance metadata: no HTTP transport (built without libcurl)");

    // IMDSv2 session token.
    HttpRequest token_request;
    token_request.method = "PUT";
    token_request.url = endpoint + detail::kImdsTokenPath;
    token_request.headers.emplace_back(detail::kImdsTokenTtlHeader, detail::kImdsTokenTtlSeconds);
    token_request.headers.emplace_back("User-Agent", kUserAgent);
    const HttpResult token_result =
        detail::SendCredentialsRequest(*transport, token_request, max_attempts_);
    const auto* token_response = std::get_if<HttpResponse>(&token_result);
    std::optional<std::string> token;
    if (token_response != nullptr && token_response->status == 200) {
      token = token_response->body;
      if (token->empty() || token->find_first_of("\r\n") != std::string::npos)
        throw CredentialsError("instance metadata: the service returned an unusable session token");
    } else if (token_response != nullptr &&
               (token_response->status == 403 || token_response->status == 404 ||
                token_response->status == 405) &&
               !detail::IsTrueSetting(detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_V1_DISABLED"))) {
      // IMDSv2 unavailable: fall back to IMDSv1 below.
    } else {
      throw CredentialsError("instance metadata: the token request to " + endpoint +
                             " failed: " + detail::DescribeCredentialsResult(token_result));
    }

    HttpRequest role_request = MetadataGet(endpoint + detail::kImdsCredentialsPath, token);
    const HttpResult role_result =
        detail::SendCredentialsRequest(*transport, role_request, max_attempts_);
    const auto* role_response = std::get_if<HttpResponse>(&role_result);
    if (role_response == nullptr || role_response->status != 200) {
      if (role_response != nullptr && role_response->status == 404)
        throw CredentialsError(
            "instance metadata: the instance has no IAM role (instance profile)");
      throw CredentialsError("instance metadata: the role name request failed: " +
                             detail::DescribeCredentialsResult(role_result));
    }
    std::string role = role_response->body.substr(0, role_response->body.find_first_of("\r\n"));
    while (!role.empty() && (role.back() == ' ' || role.back() == '\t')) role.pop_back();
    if (!detail::IsValidRoleName(role))
      throw CredentialsError("instance metadata: the service returned no usable IAM role name");

    HttpRequest credentials_request =
        MetadataGet(endpoint + detail::kImdsCredentialsPath + role, token);
    const HttpResult credentials_result =
        detail::SendCredentialsRequest(*transport, credentials_request, max_attempts_);
    const auto* credentials_response = std::get_if<HttpResponse>(&credentials_result);
    if (credentials_response == nullptr || credentials_response->status != 200)
      throw CredentialsError("instance metadata: the credentials request for role '" + role +
                             "' failed: " + detail::DescribeCredentialsResult(credentials_result));
    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(credentials_response->body, document))
      throw CredentialsError("instance metadata: the credentials of role '" + role +
                             "' are not a JSON object");
    const auto code = document.FindMember("Code");
    if (code != document.MemberEnd() &&
        (!code->value.IsString() || std::string(code->value.GetString()) != "Success"))
      throw CredentialsError("instance metadata: the credentials of role '" + role +
                             "' are not available");
    std::string error;
    auto credentials = detail::ReadCredentialsJson(document, "Token", error);
    if (!credentials)
      throw CredentialsError("instance metadata: invalid credentials document: " + error);
    return std::move(*credentials);
  }

 private:
  std::string Endpoint() const {
    std::string endpoint;
    if (auto configured = detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT"))
      endpoint = std::move(*configured);
    else if (auto mode = detail::NonEmptyEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
             mode && detail::EqualsIgnoreCase(*mode, "IPv6"))
      endpoint = detail::kImdsDefaultEndpointIpv6;
    else
      endpoint = detail::kImdsDefaultEndpoint;
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    return endpoint;
  }

  static HttpRequest MetadataGet(std::string url, const std::optional<std::string>& token) {
    HttpRequest request;
    request.method = "GET";
    request.url = std::move(url);
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (token) request.headers.emplace_back(detail::kImdsTokenHeader, *token);
    return request;
  }

  EnvironmentLookup env_;
  detail::LazyCredentialsTransport transport_;
  int max_attempts_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_INSTANCE_METADATA_CREDENTIALS_PROVIDER_HPP
