// rekognition-cpp: credentials from the container credentials endpoint (ECS, EKS Pod Identity).
#ifndef REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_http.hpp"
#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/detail/posix.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of ContainerCredentialsProvider.
struct ContainerCredentialsOptions {
  /// The transport; empty: libcurl with `timeout`, made on first use.
  std::shared_ptr<HttpTransport> transport;
  /// Connect and total timeout of the default transport.
  std::chrono::milliseconds timeout{2000};
  /// Attempts per call when the endpoint is unreachable or answers 5xx.
  int max_attempts = 3;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
};

namespace detail {

/// The host ECS serves AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on.
inline constexpr const char* kContainerCredentialsHost = "http://169.254.170.2";

/// Whether an http (not https) full URI may point at `host`: a loopback
/// address (127.0.0.0/8, ::1, localhost) or one of the link-local addresses
/// the ECS and EKS Pod Identity agents listen on (169.254.170.2,
/// 169.254.170.23, fd00:ec2::23). Never throws.
REKOGNITION_INLINE bool IsAllowedContainerHost(const std::string& host) noexcept {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  unsigned char v4[4];
  if (ParseIpv4Address(host, v4)) {
    const bool ecs = v4[0] == 169 && v4[1] == 254 && v4[2] == 170 && (v4[3] == 2 || v4[3] == 23);
    return v4[0] == 127 || ecs;
  }
  unsigned char v6[16];
  if (ParseIpv6Address(host, v6)) {
    unsigned char loopback[16] = {};
    loopback[15] = 1;
    unsigned char eks[16];
    ParseIpv6Address("fd00:ec2::23", eks);
    return std::memcmp(v6, loopback, sizeof v6) == 0 || std::memcmp(v6, eks, sizeof v6) == 0;
  }
  return false;
}

REKOGNITION_INLINE bool HasLineBreak(const std::string& value) noexcept {
  return value.find_first_of("\r\n") != std::string::npos;
}

}  // namespace detail

/// Fetches credentials from the container credentials endpoint: the URL is
/// http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, else
/// AWS_CONTAINER_CREDENTIALS_FULL_URI, which must be https or point at a
/// loopback host (or the ECS / EKS agent address). The Authorization header
/// comes from the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read
/// at each call: it is rotated), else AWS_CONTAINER_AUTHORIZATION_TOKEN; a
/// value with CR or LF is refused. The answer is JSON with AccessKeyId,
/// SecretAccessKey, Token and Expiration. Nothing is sent before the first
/// GetCredentials call. Thread-safe.
class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  explicit ContainerCredentialsProvider(ContainerCredentialsOptions options = {})
      : env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        transport_(std::move(options.transport), options.timeout),
        max_attempts_(options.max_attempts) {}

  /// Fetches credentials. Throws CredentialsError when neither URI variable
  /// is set, and CredentialsSourceError (a chain stops there, as botocore's
  /// does) when the URI is refused, the token is unusable, the endpoint cannot
  /// be reached or answers anything but credentials. Messages never contain
  /// the token or the answer's body.
  Credentials GetCredentials() override {
    std::string url;
    if (auto relative = detail::NonEmptyEnv(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      url = std::string(detail::kContainerCredentialsHost) + *relative;
    } else if (auto full = detail::NonEmptyEnv(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      url = *full;
    } else {
      throw CredentialsError(
          "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
          "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }
    const std::string authority_part = url.substr(0, url.find_first_of("?#"));
    const auto parsed = detail::ParseUrl(authority_part);
    if (!parsed)
      throw CredentialsSourceError("container: the credentials URI is not an absolute http(s) URL");
    if (parsed->scheme != "https" && !detail::IsAllowedContainerHost(parsed->host))
      throw CredentialsSourceError(
          "container: the credentials URI uses http with host '" + parsed->host +
          "'; only https or a loopback host (127.0.0.0/8, ::1, localhost) is allowed");

    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    request.headers.emplace_back("User-Agent", kUserAgent);
    if (auto token = AuthorizationToken())
      request.headers.emplace_back("Authorization", std::move(*token));

    const auto transport = transport_.Get();
    if (!transport)
      throw CredentialsSourceError("container: no HTTP transport (built without libcurl)");
    const HttpResult result = detail::SendCredentialsRequest(*transport, request, max_attempts_);
    const auto* response = std::get_if<HttpResponse>(&result);
    if (response == nullptr || response->status != 200)
      throw CredentialsSourceError("container: the credentials endpoint on " + parsed->host +
                                   " answered " + detail::DescribeCredentialsResult(result));
    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(response->body, document))
      throw CredentialsSourceError(
          "container: the credentials endpoint did not answer a JSON object");
    std::string error;
    auto credentials = detail::ReadCredentialsJson(document, "Token", error);
    if (!credentials)
      throw CredentialsSourceError("container: invalid credentials document: " + error);
    return std::move(*credentials);
  }

 private:
  std::optional<std::string> AuthorizationToken() const {
    std::string token;
    if (auto file = detail::NonEmptyEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      try {
        if (!detail::ReadSharedFile(*file, token))
          throw CredentialsSourceError("container: the authorization token file " + *file +
                                       " does not exist");
      } catch (const ConfigurationError& e) {
        throw CredentialsSourceError("container: " + e.message());
      }
      if (detail::HasLineBreak(token))
        throw CredentialsSourceError(
            "container: the authorization token in " + *file +
            " contains a line break (CR or LF) and cannot be sent as a header");
    } else if (auto value = detail::NonEmptyEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      token = std::move(*value);
      if (detail::HasLineBreak(token))
        throw CredentialsSourceError(
            "container: AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break (CR or LF) "
            "and cannot be sent as a header");
    } else {
      return std::nullopt;
    }
    return token;
  }

  EnvironmentLookup env_;
  detail::LazyCredentialsTransport transport_;
  int max_attempts_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CONTAINER_CREDENTIALS_PROVIDER_HPP
