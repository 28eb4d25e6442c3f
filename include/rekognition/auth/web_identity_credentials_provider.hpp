// rekognition-cpp: credentials for a web identity token (IAM roles for EKS service accounts).
#ifndef REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_service.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of WebIdentityCredentialsProvider.
struct WebIdentityCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Ignore AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
  /// AWS_ROLE_SESSION_NAME and read only the profile, as botocore does for a
  /// profile chosen in code (DefaultCredentialsChain sets it then).
  bool ignore_environment = false;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// How STS is reached (transport, region, retries, clock).
  CredentialsServiceOptions service;
};

/// Exchanges a web identity token for role credentials with STS
/// AssumeRoleWithWebIdentity (unsigned), as botocore does: the token file is
/// AWS_WEB_IDENTITY_TOKEN_FILE, else the profile's web_identity_token_file;
/// the role is AWS_ROLE_ARN, else the profile's role_arn; the session name
/// AWS_ROLE_SESSION_NAME, else the profile's role_session_name, else
/// "botocore-session-<unix time>". Each variable overrides its own profile
/// key only, and a variable that is set but empty counts as set (as in
/// botocore). The token file is read again at every call, since Kubernetes
/// rotates it. Put a CachingCredentialsProvider in front (the default chain
/// does). Nothing is read or sent before the first GetCredentials call.
/// Thread-safe.
class WebIdentityCredentialsProvider : public CredentialsProvider {
 public:
  explicit WebIdentityCredentialsProvider(WebIdentityCredentialsOptions options = {})
      : profile_(std::move(options.profile)),
        ignore_environment_(options.ignore_environment),
        env_(detail::EnvironmentOrProcess(std::move(options.environment))),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(std::move(options.service))) {}

  /// Returns the role's credentials. Throws CredentialsError when no token
  /// file is configured (the chain moves on); CredentialsSourceError when
  /// one is configured but there is no role ARN, the file cannot be read, or
  /// STS refuses (carrying STS's code, e.g. InvalidIdentityToken, and
  /// request id); ConfigurationError for an unusable endpoint or profile.
  /// Messages never contain the token or the returned keys.
  Credentials GetCredentials() override {
    const Profile profile = LoadProfile(profile_, env_);
    return FromProfile(profile, ignore_environment_, env_, *caller_);
  }

  /// The same for an already loaded profile (also used for the source
  /// profile of an assumed role). Throws as GetCredentials.
  static Credentials FromProfile(const Profile& profile, bool ignore_environment,
                                 const EnvironmentLookup& env,
                                 detail::CredentialsServiceCaller& caller) {
    auto setting = [&](const char* variable, const char* key) -> std::optional<std::string> {
      if (!ignore_environment) {
        if (auto value = env ? env(variable) : ProcessEnvironment()(variable)) return value;
      }
      return profile.Get(key);
    };
    const std::optional<std::string> token_file =
        setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!token_file || token_file->empty())
      throw CredentialsError("web identity: AWS_WEB_IDENTITY_TOKEN_FILE and " + profile.Describe() +
                             "'s web_identity_token_file are not set");
    const std::optional<std::string> role_arn = setting("AWS_ROLE_ARN", "role_arn");
    if (!role_arn || role_arn->empty())
      throw CredentialsSourceError(
          "web identity: a token file is configured but no role ARN: set AWS_ROLE_ARN or "
          "role_arn in " +
          profile.Describe());
    // botocore's parameter order: a configured session name first, a made-up
    // one after the role.
    std::vector<std::pair<std::string, std::string>> params;
    const std::string session_name =
        setting("AWS_ROLE_SESSION_NAME", "role_session_name").value_or(std::string());
    if (!session_name.empty()) params.emplace_back("RoleSessionName", session_name);
    params.emplace_back("RoleArn", *role_arn);
    if (session_name.empty())
      params.emplace_back("RoleSessionName", detail::DefaultRoleSessionName(caller.Now()));

    std::string token;
    try {
      if (!detail::ReadSharedFile(detail::ExpandHome(*token_file, env), token))
        throw CredentialsSourceError("web identity: the token file " + *token_file +
                                     " does not exist");
    } catch (const ConfigurationError& e) {
      throw CredentialsSourceError("web identity: " + e.message());
    }
    if (token.empty())
      throw CredentialsSourceError("web identity: the token file " + *token_file + " is empty");
    params.emplace_back("WebIdentityToken", token);
    const detail::WipeOnExit wipe_token{token}, wipe_param{params.back().second};
    const detail::StsResponse response =
        detail::CallSts(caller, "AssumeRoleWithWebIdentity", params, std::nullopt, profile, env,
                        {token}, "web identity (role " + *role_arn + ")");
    return detail::ReadStsCredentials(response, "web identity");
  }

 private:
  std::optional<std::string> profile_;
  bool ignore_environment_;
  EnvironmentLookup env_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_HPP
