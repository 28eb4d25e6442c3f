// rekognition-cpp: credentials of a role assumed through a profile (role_arn with source_profile or
// credential_source).
#ifndef REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP

#include <algorithm>
#include <charconv>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "rekognition/auth/container_credentials_provider.hpp"
#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_service.hpp"
#include "rekognition/auth/instance_metadata_credentials_provider.hpp"
#include "rekognition/auth/process_credentials_provider.hpp"
#include "rekognition/auth/profile_credentials_provider.hpp"
#include "rekognition/auth/sso_credentials_provider.hpp"
#include "rekognition/auth/web_identity_credentials_provider.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Returns the current code of the MFA device `serial` (an ARN or serial
/// number), e.g. by asking the user. Called at every AssumeRole of a profile
/// with mfa_serial.
using MfaCodeCallback = std::function<std::string(const std::string& serial)>;

/// Settings of AssumeRoleCredentialsProvider.
struct AssumeRoleCredentialsOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// Supplies MFA codes for profiles with mfa_serial. Empty: such a profile
  /// is an error (a library never prompts on its own).
  MfaCodeCallback mfa_code;
  /// How STS (and IAM Identity Center, for an SSO source profile) is reached.
  CredentialsServiceOptions service;
  /// Transport of the Ec2InstanceMetadata and EcsContainer credential
  /// sources (empty: libcurl with their short timeouts, made on first use).
  std::shared_ptr<HttpTransport> metadata_transport;
  /// The IAM Identity Center token cache (empty: ~/.aws/sso/cache).
  std::string sso_cache_directory;
};

/// Assumes the role of a profile that sets `role_arn` (and no
/// web_identity_token_file) with STS AssumeRole, signed with the source
/// credentials, exactly as botocore resolves them: `source_profile` names a
/// profile whose static keys are used when it has any (even if it also sets
/// role_arn), otherwise whose own role is assumed first (chains of any
/// length; a cycle is an error naming the profiles), or whose web identity,
/// IAM Identity Center or credential_process settings provide them;
/// `credential_source` is Environment, Ec2InstanceMetadata or EcsContainer.
/// Also read: external_id, role_session_name (default
/// "botocore-session-<unix time>"), duration_seconds, mfa_serial (needs
/// AssumeRoleCredentialsOptions::mfa_code). The files are read at every
/// call; put a CachingCredentialsProvider in front (the default chain does).
/// Nothing is read or sent before the first GetCredentials call.
/// Thread-safe.
class AssumeRoleCredentialsProvider : public CredentialsProvider {
 public:
  explicit AssumeRoleCredentialsProvider(AssumeRoleCredentialsOptions options = {})
      : options_(std::move(options)),
        caller_(std::make_shared<detail::CredentialsServiceCaller>(options_.service)) {
    options_.environment = detail::EnvironmentOrProcess(std::move(options_.environment));
  }

  /// Returns the assumed role's credentials. Throws CredentialsError when
  /// the profile does not assume a role (the chain moves on);
  /// CredentialsSourceError when it does but the configuration is
  /// incomplete or circular, the source has no credentials, an MFA code is
  /// needed and there is no callback, or STS refuses (with STS's code and
  /// request id); ConfigurationError for an unusable profile or endpoint.
  /// Messages never contain keys or tokens.
  Credentials GetCredentials() override {
    const SharedConfig config = SharedConfig::Load(options_.environment);
    const Profile profile = config.SelectProfile(options_.profile, options_.environment);
    if (!AssumesRole(profile))
      throw CredentialsError("assume role: " + profile.Describe() + " has no role_arn");
    std::vector<std::string> visited = {profile.name};
    return Assume(config, profile, profile, visited);
  }

 private:
  static bool AssumesRole(const Profile& profile) {
    return profile.values.count("role_arn") != 0 &&
           profile.values.count("web_identity_token_file") == 0;
  }
  static bool HasStaticKeys(const Profile& profile) {
    return profile.values.count("aws_access_key_id") != 0 ||
           profile.values.count("aws_secret_access_key") != 0;
  }

  static std::string Path(const std::vector<std::string>& visited, const std::string& next) {
    std::string path;
    for (const std::string& name : visited) path += "'" + name + "' -> ";
    return path + "'" + next + "'";
  }

  // Assumes `profile`'s role; `top` is the chosen profile (its settings pick
  // the STS endpoint, as the session's do in botocore).
  Credentials Assume(const SharedConfig& config, const Profile& top, const Profile& profile,
                     std::vector<std::string>& visited) {
    const std::string role_arn = profile.Get("role_arn").value_or("");
    if (role_arn.empty())
      throw CredentialsSourceError("assume role: role_arn of " + profile.Describe() + " is empty");
    const auto source_profile = profile.Get("source_profile");
    const auto credential_source = profile.Get("credential_source");
    if (source_profile && credential_source)
      throw CredentialsSourceError("assume role: " + profile.Describe() +
                                   " sets both source_profile and credential_source");
    if (!source_profile && !credential_source)
      throw CredentialsSourceError("assume role: " + profile.Describe() +
                                   " sets role_arn but neither source_profile nor "
                                   "credential_source");
    std::optional<int> duration;
    if (auto text = profile.Get("duration_seconds")) {
      int value = 0;
      const auto parsed = std::from_chars(text->data(), text->data() + text->size(), value);
      if (parsed.ec != std::errc() || parsed.ptr != text->data() + text->size() || value < 1)
        throw CredentialsSourceError("assume role: duration_seconds of " + profile.Describe() +
                                     " must be a whole number of seconds, not '" + *text + "'");
      duration = value;
    }
    const auto mfa_serial = profile.Get("mfa_serial");
    if (mfa_serial && !options_.mfa_code)
      throw CredentialsSourceError(
          "assume role: " + profile.Describe() + " sets mfa_serial " + *mfa_serial +
          ", which needs an MFA code: set AssumeRoleCredentialsOptions::mfa_code "
          "(DefaultCredentialsChainOptions::mfa_code) to supply one");

    const Credentials source =
        credential_source ? FromCredentialSource(*credential_source, profile)
                          : FromSourceProfile(config, top, profile, *source_profile, visited);

    // botocore's parameter order: the configured extras, then the role, then
    // a made-up session name, then the MFA code.
    std::vector<std::pair<std::string, std::string>> params;
    const auto session_name = profile.Get("role_session_name");
    if (session_name) params.emplace_back("RoleSessionName", *session_name);
    if (auto external_id = profile.Get("external_id"))
      params.emplace_back("ExternalId", *external_id);
    if (mfa_serial) params.emplace_back("SerialNumber", *mfa_serial);
    if (duration) params.emplace_back("DurationSeconds", std::to_string(*duration));
    params.emplace_back("RoleArn", role_arn);
    if (!session_name)
      params.emplace_back("RoleSessionName", detail::DefaultRoleSessionName(caller_->Now()));
    if (mfa_serial) params.emplace_back("TokenCode", options_.mfa_code(*mfa_serial));
    const detail::StsResponse response = detail::CallSts(
        *caller_, "AssumeRole", params, source, top, options_.environment,
        {source.secret_access_key, source.session_token}, "assume role " + role_arn);
    return detail::ReadStsCredentials(response, "assume role " + role_arn);
  }

  Credentials FromCredentialSource(const std::string& name, const Profile& profile) {
    std::shared_ptr<CredentialsProvider> provider;
    if (detail::EqualsIgnoreCase(name, "Environment")) {
      provider = std::make_shared<EnvironmentCredentialsProvider>(options_.environment);
    } else if (detail::EqualsIgnoreCase(name, "Ec2InstanceMetadata")) {
      InstanceMetadataCredentialsOptions metadata;
      metadata.transport = options_.metadata_transport;
      metadata.environment = options_.environment;
      provider = std::make_shared<InstanceMetadataCredentialsProvider>(std::move(metadata));
    } else if (detail::EqualsIgnoreCase(name, "EcsContainer")) {
      ContainerCredentialsOptions container;
      container.transport = options_.metadata_transport;
      container.environment = options_.environment;
      provider = std::make_shared<ContainerCredentialsProvider>(std::move(container));
    } else {
      throw CredentialsSourceError("assume role: the credential_source '" + name + "' of " +
                                   profile.Describe() +
                                   " is not valid: use Environment, Ec2InstanceMetadata or "
                                   "EcsContainer");
    }
    try {
      return provider->GetCredentials();
    } catch (const CredentialsSourceError&) {
      throw;
    } catch (const CredentialsError& e) {
      throw CredentialsSourceError("assume role: no credentials from the credential_source " +
                                   name + " of " + profile.Describe() + ": " + e.message());
    }
  }

  Credentials FromSourceProfile(const SharedConfig& config, const Profile& top,
                                const Profile& parent, const std::string& name,
                                std::vector<std::string>& visited) {
    if (!config.HasProfile(name))
      throw CredentialsSourceError("assume role: the source_profile '" + name + "' of " +
                                   parent.Describe() + " does not exist");
    const Profile source = config.GetProfile(name);
    if (std::find(visited.begin(), visited.end(), name) != visited.end() &&
        (name != parent.name || !HasStaticKeys(source)))
      throw CredentialsSourceError("assume role: the source profiles form a cycle: " +
                                   Path(visited, name));
    visited.push_back(name);
    if (HasStaticKeys(source) || !AssumesRole(source)) return FromProfileProviders(config, source);
    return Assume(config, top, source, visited);
  }

  // The providers botocore tries for a source profile: web identity (no
  // environment), IAM Identity Center, the profile's keys, credential_process.
  Credentials FromProfileProviders(const SharedConfig& config, const Profile& source) {
    std::string reasons;
    auto attempt = [&](const std::function<Credentials()>& get) -> std::optional<Credentials> {
      try {
        return get();
      } catch (const CredentialsSourceError&) {
        throw;
      } catch (const CredentialsError& e) {
        reasons += "\n  - " + e.message();
        return std::nullopt;
      }
    };
    if (auto found = attempt([&] {
          return WebIdentityCredentialsProvider::FromProfile(source, true, options_.environment,
                                                             *caller_);
        }))
      return *found;
    if (auto found = attempt([&] {
          return SsoCredentialsProvider::FromProfile(source, config, options_.environment,
                                                     options_.sso_cache_directory, *caller_);
        }))
      return *found;
    if (auto found = attempt([&] { return ProfileCredentialsProvider::FromProfile(source); }))
      return *found;
    if (auto found = attempt([&] {
          ProcessCredentialsOptions process;
          process.profile = source.name;
          process.environment = options_.environment;
          process.clock = options_.service.clock;
          return ProcessCredentialsProvider(std::move(process)).GetCredentials();
        }))
      return *found;
    throw CredentialsSourceError("assume role: the source profile '" + source.name +
                                 "' has no credentials; looked in:" + reasons);
  }

  AssumeRoleCredentialsOptions options_;
  std::shared_ptr<detail::CredentialsServiceCaller> caller_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_HPP
