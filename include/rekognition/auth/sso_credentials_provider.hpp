// rekognition-cpp: credentials from IAM Identity Center (SSO) after `aws sso login`.
#ifndef REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/auth/credentials_service.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/iso8601.hpp"
#include "rekognition/detail/printable.hpp"
#include "rekognition/detail/redact.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of SsoCredentialsProvider.
struct SsoCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// The token cache directory. Empty: ~/.aws/sso/cache, as the AWS CLI.
  std::string cache_directory;
  /// How IAM Identity Center is reached (transport, retries, clock).
  CredentialsServiceOptions service;
};

namespace detail {

/// A profile's IAM Identity Center settings, resolved as botocore does.
struct SsoProfileConfig {
  std::string start_url;
  std::string region;
  std::string account_id;
  std::string role_name;
  std::optional<std::string> session_name;  ///< set for sso_session profiles
};

/// Reads the sso_* settings of `profile`, merging its `[sso-session NAME]`
/// section when it names one. nullopt when the profile sets neither
/// sso_account_id nor sso_role_name (not an SSO profile). Throws
/// CredentialsSourceError naming the profile when the session section does
/// not exist, a key differs between profile and session, or a required key is
/// missing. Thread-safe.
REKOGNITION_INLINE std::optional<SsoProfileConfig> ReadSsoProfileConfig(
    const Profile& profile, const SharedConfig& config) {
  if (!profile.Get("sso_account_id") && !profile.Get("sso_role_name")) return std::nullopt;
  std::map<std::string, std::string> values = profile.values;
  std::vector<const char*> required = {"sso_role_name", "sso_account_id", "sso_start_url",
                                       "sso_region"};
  std::optional<std::string> session_name = profile.Get("sso_session");
  if (session_name) {
    const auto session = config.GetSsoSession(*session_name);
    if (!session)
      throw CredentialsSourceError("sso: " + profile.Describe() + " names the sso-session '" +
                                   *session_name + "', which does not exist");
    for (const auto& [key, value] : *session) {
      const auto found = values.find(key);
      if (found != values.end() && found->second != value)
        throw CredentialsSourceError("sso: the value for " + key + " differs between " +
                                     profile.Describe() + " and [sso-session " + *session_name +
                                     "]");
      values[key] = value;
    }
  }
  std::string missing;
  for (const char* key : required) {
    const auto found = values.find(key);
    if (found == values.end() || found->second.empty())
      missing += (missing.empty() ? "" : ", ") + std::string(key);
  }
  if (!missing.empty())
    throw CredentialsSourceError("sso: " + profile.Describe() +
                                 " is configured for IAM Identity Center but misses " + missing);
  return SsoProfileConfig{values["sso_start_url"], values["sso_region"], values["sso_account_id"],
                          values["sso_role_name"], session_name};
}

/// "2026-12-01T12:00:00Z" for `time` (whole seconds, UTC), as the AWS CLI
/// writes expiresAt. Never throws except std::bad_alloc.
REKOGNITION_INLINE std::string FormatIso8601Seconds(std::chrono::system_clock::time_point time) {
  const std::string compact = SigV4Signer::FormatAmzDate(time);  // 20261201T120000Z
  if (compact.size() != 16) return compact;
  return compact.substr(0, 4) + "-" + compact.substr(4, 2) + "-" + compact.substr(6, 2) + "T" +
         compact.substr(9, 2) + ":" + compact.substr(11, 2) + ":" + compact.substr(13, 2) + "Z";
}

/// Writes `text` to `path` atomically: a temporary file (mode 0600) in the
/// same directory, flushed to disk, then renamed over `path`, so a reader
/// sees the old file or the new one, never a part. Creates the directory
/// (0700) when missing. Throws CredentialsError naming the path on failure.
REKOGNITION_INLINE void WriteFileAtomically(const std::string& directory, const std::string& path,
                                            const std::string& text) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    throw CredentialsError("cannot create " + directory + ": " + std::strerror(errno));
  std::string temp = path + ".XXXXXX.tmp";
  const int fd = ::mkstemps(&temp[0], 4);
  if (fd < 0)
    throw CredentialsError("cannot create a file in " + directory + ": " + std::strerror(errno));
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  const int error = ok ? 0 : errno;
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const int reason = error != 0 ? error : errno;
    ::unlink(temp.c_str());
    throw CredentialsError("cannot write " + path + ": " + std::strerror(reason));
  }
}

/// The number member `name` of a JSON object as a double, or nullopt.
REKOGNITION_INLINE std::optional<double> JsonNumberMember(const rapidjson::Value& object,
                                                          const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsNumber()) return std::nullopt;
  return member->value.GetDouble();
}

}  // namespace detail

/// Credentials of an IAM Identity Center permission set, as botocore gets
/// them: the profile names sso_account_id and sso_role_name, and either an
/// `sso_session` (whose `[sso-session NAME]` section has sso_start_url and
/// sso_region) or, the legacy form, sso_start_url and sso_region itself. The
/// access token is the one `aws sso login` cached in
/// ~/.aws/sso/cache/SHA1.json (SHA-1 hex of the session name, or of the start
/// URL for legacy profiles). For an sso_session profile a token within 15
/// minutes of expiry is refreshed through SSO OIDC CreateToken with the
/// cached refresh token and client registration, and the cache file is
/// rewritten atomically with the new token; a legacy token is never
/// refreshed. The role credentials come from the SSO portal's
/// GetRoleCredentials. Nothing is read or sent before the first
/// GetCredentials call. Thread-safe (put a CachingCredentialsProvider in
/// front, as the default chain does, so one refresh runs at a time).
class SsoCredentialsProvider : public CredentialsProvider {
 public:
  explicit SsoCredentialsProvider(SsoCredentialsOptions options = {})
      : profile_(std::move(options.profile)),
        env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        cache_directory_(std::move(options.cache_directory)),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(std::move(options.service))) {}

  /// Returns the role credentials. Throws CredentialsError when the profile
  /// is not an SSO profile (the chain moves on); CredentialsSourceError when
  /// it is but its settings are incomplete, there is no cached token, the
  /// token expired and cannot be refreshed (the message names the
  /// `aws sso login --profile NAME` to run), or the service refuses;
  /// ConfigurationError for an unusable endpoint or profile. Messages never
  /// contain a token or the returned keys.
  Credentials GetCredentials() override {
    const SharedConfig config = SharedConfig::Load(env_);
    const Profile profile = config.SelectProfile(profile_, env_);
    return FromProfile(profile, config, env_, cache_directory_, *caller_);
  }

  /// The same for an already loaded profile (also used for the source
  /// profile of an assumed role). Throws as GetCredentials.
  static Credentials FromProfile(const Profile& profile, const SharedConfig& config,
                                 const EnvironmentLookup& env, const std::string& cache_directory,
                                 detail::CredentialsServiceCaller& caller) {
    const auto sso = detail::ReadSsoProfileConfig(profile, config);
    if (!sso)
      throw CredentialsError("sso: " + profile.Describe() +
                             " has no sso_account_id or sso_role_name");
    const std::string login = "run 'aws sso login --profile " + profile.name + "'";
    std::string directory = cache_directory;
    if (directory.empty()) directory = detail::ExpandHome("~/.aws/sso/cache", env);
    if (directory.empty())
      throw CredentialsSourceError("sso: HOME is not set, so ~/.aws/sso/cache cannot be found");
    const std::string path =
        directory + "/" + detail::Sha1Hex(sso->session_name ? *sso->session_name : sso->start_url) +
        ".json";
    std::string text;
    try {
      if (!detail::ReadSharedFile(path, text))
        throw CredentialsSourceError("sso: no cached IAM Identity Center token in " + path + "; " +
                                     login);
    } catch (const ConfigurationError& e) {
      throw CredentialsSourceError("sso: " + e.message());
    }
    const detail::WipeOnExit wipe_text{text};
    rapidjson::Document token;
    bool ok = true;
    std::optional<std::string> access_token, expires_at;
    if (detail::ParseCredentialsJsonObject(text, token)) {
      access_token = detail::CredentialsJsonString(token, "accessToken", ok);
      expires_at = detail::CredentialsJsonString(token, "expiresAt", ok);
    }
    if (!ok || !access_token || !expires_at)
      throw CredentialsSourceError("sso: the cached token in " + path +
                                   " is invalid (no accessToken or expiresAt); " + login);
    const detail::WipeOnExit wipe_token{*access_token};
    auto expiration = detail::ParseIso8601(*expires_at);
    if (!expiration)
      throw CredentialsSourceError("sso: the cached token in " + path +
                                   " has an unreadable expiresAt; " + login);
    const auto now = caller.Now();
    if (sso->session_name && *expiration - now < std::chrono::minutes(15)) {
      if (auto refreshed = Refresh(*sso, token, path, directory, profile, env, caller)) {
        *access_token = refreshed->first;
        expiration = refreshed->second;
      }
    }
    if (*expiration <= now)
      throw CredentialsSourceError(
          "sso: the IAM Identity Center token for " +
          (sso->session_name ? "sso-session '" + *sso->session_name + "'"
                             : "start URL " + sso->start_url) +
          " has expired" + (sso->session_name ? " and could not be refreshed" : "") + "; " + login);
    return GetRoleCredentials(*sso, *access_token, profile, env, caller, login);
  }

 private:
  // CreateToken with the cached refresh token; the new access token and its
  // expiry, or nullopt when the cache has no usable registration or the
  // service refuses (botocore then goes on with the old token).
  static std::optional<std::pair<std::string, std::chrono::system_clock::time_point>> Refresh(
      const detail::SsoProfileConfig& sso, const rapidjson::Document& token,
      const std::string& path, const std::string& directory, const Profile& profile,
      const EnvironmentLookup& env, detail::CredentialsServiceCaller& caller) {
    bool ok = true;
    const auto refresh_token = detail::CredentialsJsonString(token, "refreshToken", ok);
    const auto client_id = detail::CredentialsJsonString(token, "clientId", ok);
    const auto client_secret = detail::CredentialsJsonString(token, "clientSecret", ok);
    const auto registration_expires =
        detail::CredentialsJsonString(token, "registrationExpiresAt", ok);
    if (!ok || !refresh_token || !client_id || !client_secret || !registration_expires) {
      caller.Log("sso: the cached token has no refresh token or client registration");
      return std::nullopt;
    }
    const auto registration_end = detail::ParseIso8601(*registration_expires);
    if (!registration_end || *registration_end <= caller.Now()) {
      caller.Log("sso: the cached client registration has expired");
      return std::nullopt;
    }
    const detail::ServiceEndpoint endpoint = caller.SsoEndpoint(true, sso.region, profile, env);
    rapidjson::StringBuffer request_body;
    {
      rapidjson::Writer<rapidjson::StringBuffer> writer(request_body);
      writer.StartObject();
      writer.Key("grantType");
      writer.String("refresh_token");
      writer.Key("clientId");
      writer.String(client_id->c_str(), static_cast<rapidjson::SizeType>(client_id->size()));
      writer.Key("clientSecret");
      writer.String(client_secret->c_str(),
                    static_cast<rapidjson::SizeType>(client_secret->size()));
      writer.Key("refreshToken");
      writer.String(refresh_token->c_str(),
                    static_cast<rapidjson::SizeType>(refresh_token->size()));
      writer.EndObject();
    }
    const std::string body(request_body.GetString(), request_body.GetSize());
    const auto parsed_url = detail::ParseUrl(endpoint.url);
    if (!parsed_url)
      throw ConfigurationError("the SSO OIDC endpoint '" + endpoint.url + "' is not a URL");
    auto build = [&](int) {
      HttpRequest request;
      request.method = "POST";
      request.url = JoinPath(endpoint.url, "/token");
      request.body = body;
      request.headers.emplace_back("Host", parsed_url->HostHeader());
      request.headers.emplace_back("Content-Type", "application/json");
      request.headers.emplace_back("User-Agent", kUserAgent);
      return request;
    };
    const std::vector<std::string_view> secrets = {*refresh_token, *client_secret};
    auto [result, attempts] =
        caller.Send(build, JsonErrorClassifier(secrets), profile, env, "sso: CreateToken");
    (void)attempts;
    const auto* response = std::get_if<HttpResponse>(&result);
    if (response == nullptr || response->status != 200) {
      caller.Log("sso: refreshing the token failed: " + detail::DescribeCredentialsResult(result));
      return std::nullopt;
    }
    rapidjson::Document answer;
    std::optional<std::string> access_token, new_refresh_token;
    std::optional<double> expires_in;
    ok = true;
    if (detail::ParseCredentialsJsonObject(response->body, answer)) {
      access_token = detail::CredentialsJsonString(answer, "accessToken", ok);
      new_refresh_token = detail::CredentialsJsonString(answer, "refreshToken", ok);
      expires_in = detail::JsonNumberMember(answer, "expiresIn");
    }
    if (!ok || !access_token || access_token->empty() || !expires_in || *expires_in <= 0 ||
        *expires_in > 1e9) {
      caller.Log("sso: CreateToken answered no usable token");
      return std::nullopt;
    }
    const auto expiration =
        caller.Now() + std::chrono::seconds(static_cast<std::int64_t>(*expires_in));
    // The cache entry the AWS CLI writes, registration kept alongside.
    rapidjson::StringBuffer cache_text;
    {
      rapidjson::Writer<rapidjson::StringBuffer> writer(cache_text);
      auto put = [&](const char* key, const std::string& value) {
        writer.Key(key);
        writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
      };
      writer.StartObject();
      put("startUrl", sso.start_url);
      put("region", sso.region);
      put("accessToken", *access_token);
      put("expiresAt", detail::FormatIso8601Seconds(expiration));
      put("clientId", *client_id);
      put("clientSecret", *client_secret);
      put("registrationExpiresAt", *registration_expires);
      put("refreshToken", new_refresh_token ? *new_refresh_token : *refresh_token);
      writer.EndObject();
    }
    std::string text(cache_text.GetString(), cache_text.GetSize());
    const detail::WipeOnExit wipe{text};
    try {
      detail::WriteFileAtomically(directory, path, text);
    } catch (const CredentialsError& e) {
      caller.Log("sso: the refreshed token could not be cached: " + e.message());
    }
    return std::make_pair(*access_token, expiration);
  }

  static Credentials GetRoleCredentials(const detail::SsoProfileConfig& sso,
                                        const std::string& access_token, const Profile& profile,
                                        const EnvironmentLookup& env,
                                        detail::CredentialsServiceCaller& caller,
                                        const std::string& login) {
    const detail::ServiceEndpoint endpoint = caller.SsoEndpoint(false, sso.region, profile, env);
    const auto parsed_url = detail::ParseUrl(endpoint.url);
    if (!parsed_url)
      throw ConfigurationError("the SSO endpoint '" + endpoint.url + "' is not a URL");
    std::string query = "?role_name=";
    detail::SigV4AppendEncoded(query, sso.role_name, false);
    query += "&account_id=";
    detail::SigV4AppendEncoded(query, sso.account_id, false);
    auto build = [&](int) {
      HttpRequest request;
      request.method = "GET";
      request.url = JoinPath(endpoint.url, "/federation/credentials") + query;
      request.headers.emplace_back("Host", parsed_url->HostHeader());
      request.headers.emplace_back("x-amz-sso_bearer_token", access_token);
      request.headers.emplace_back("User-Agent", kUserAgent);
      return request;
    };
    const std::vector<std::string_view> secrets = {access_token};
    auto [result, attempts] =
        caller.Send(build, JsonErrorClassifier(secrets), profile, env, "sso: GetRoleCredentials");
    if (const auto* failure = std::get_if<TransportFailure>(&result))
      throw CredentialsSourceError(ErrorInfo{
          ToString(failure->kind),
          detail::RedactAll(
              "sso: GetRoleCredentials at " + endpoint.url + " failed: " + failure->message,
              secrets),
          0, "", attempts, IsRetryableTransportFailure(failure->kind)});
    const auto& response = std::get<HttpResponse>(result);
    std::string request_id;
    if (const std::string* id = response.Header("x-amzn-RequestId"))
      request_id = detail::PrintableExcerpt(detail::RedactAll(*id, secrets), 128);
    if (response.status != 200) {
      const AttemptFailure failure = JsonErrorClassifier(secrets)(response);
      const bool unauthorized = failure.code == "UnauthorizedException" || response.status == 401 ||
                                response.status == 403;
      throw CredentialsSourceError(ErrorInfo{
          failure.code.empty() ? "CredentialsError" : failure.code,
          "sso: GetRoleCredentials for role " + sso.role_name + " in account " + sso.account_id +
              " was refused (HTTP " + std::to_string(response.status) + ")" +
              (unauthorized
                   ? "; the IAM Identity Center session has expired or is invalid; " + login
                   : ""),
          response.status, request_id, attempts, false});
    }
    rapidjson::Document document;
    std::string error = "not a JSON object";
    std::optional<Credentials> credentials;
    if (detail::ParseCredentialsJsonObject(response.body, document)) {
      const auto role = document.FindMember("roleCredentials");
      if (role == document.MemberEnd() || !role->value.IsObject()) {
        error = "roleCredentials is missing";
      } else {
        bool ok = true;
        Credentials found;
        found.access_key_id =
            detail::CredentialsJsonString(role->value, "accessKeyId", ok).value_or("");
        found.secret_access_key =
            detail::CredentialsJsonString(role->value, "secretAccessKey", ok).value_or("");
        found.session_token =
            detail::CredentialsJsonString(role->value, "sessionToken", ok).value_or("");
        const auto expiration_ms = detail::JsonNumberMember(role->value, "expiration");
        if (!ok || !found.IsValid() || found.session_token.empty()) {
          error = "accessKeyId, secretAccessKey or sessionToken is missing";
        } else if (!expiration_ms || *expiration_ms < 0 || *expiration_ms > kMaxExpirationMs) {
          error = "expiration is missing or out of range";
        } else {
          found.expiration = std::chrono::system_clock::time_point(
              std::chrono::duration_cast<std::chrono::system_clock::duration>(
                  std::chrono::milliseconds(static_cast<std::int64_t>(*expiration_ms))));
          credentials = std::move(found);
        }
      }
    }
    if (!credentials)
      throw CredentialsSourceError(ErrorInfo{"CredentialsError",
                                             "sso: GetRoleCredentials answered an unusable "
                                             "document: " +
                                                 error,
                                             response.status, request_id, attempts, false});
    return std::move(*credentials);
  }

  // The latest expiration the clock can hold (system_clock counts
  // nanoseconds in a 64-bit integer: up to the year 2262).
  static constexpr double kMaxExpirationMs = 9.0e12;

  // Classifies a JSON (REST) error by x-amzn-ErrorType up to ':'; the peer
  // may echo a secret there, so `secrets` are redacted before the code is cut.
  static std::function<AttemptFailure(const HttpResponse&)> JsonErrorClassifier(
      const std::vector<std::string_view>& secrets) {
    return [&secrets](const HttpResponse& response) {
      AttemptFailure failure;
      failure.http_status = response.status;
      if (const std::string* type = response.Header("x-amzn-ErrorType"))
        failure.code = detail::SanitizeErrorCode(detail::RedactAll(*type, secrets));
      return failure;
    };
  }

  static std::string JoinPath(const std::string& base, const char* path) {
    std::string url = base;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url + path;
  }

  std::optional<std::string> profile_;
  EnvironmentLookup env_;
  std::string cache_directory_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_SSO_CREDENTIALS_PROVIDER_HPP
