// rekognition-cpp: credentials from a profile of the shared config and credentials files.
#ifndef REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP

#include <optional>
#include <string>
#include <utility>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Reads aws_access_key_id, aws_secret_access_key and aws_session_token from
/// the chosen profile (see ChooseProfile) of the shared files, the
/// credentials file winning over the config file. The files are read at each
/// GetCredentials call, never in the constructor. Thread-safe.
class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  /// `profile`: the profile chosen in code (else AWS_PROFILE, else "default");
  /// `env`: where variables are read (empty: the process environment).
  explicit ProfileCredentialsProvider(std::optional<std::string> profile = std::nullopt,
                                      EnvironmentLookup env = {})
      : profile_(std::move(profile)), env_(detail::EnvironmentOrProcess(std::move(env))) {}

  /// Throws CredentialsError when the profile has no complete key pair, and
  /// ConfigurationError when an explicitly chosen profile does not exist or a
  /// file cannot be read.
  Credentials GetCredentials() override {
    const Profile profile = LoadProfile(profile_, env_);
    return FromProfile(profile);
  }

  /// The credentials a loaded profile holds; throws CredentialsError as above.
  static Credentials FromProfile(const Profile& profile) {
    Credentials credentials;
    credentials.access_key_id = profile.Get("aws_access_key_id").value_or("");
    credentials.secret_access_key = profile.Get("aws_secret_access_key").value_or("");
    credentials.session_token = profile.Get("aws_session_token").value_or("");
    if (credentials.IsValid()) return credentials;
    std::string reason;
    if (!profile.exists)
      reason = "does not exist";
    else if (!credentials.access_key_id.empty())
      reason = "has aws_access_key_id but no aws_secret_access_key";
    else if (!credentials.secret_access_key.empty())
      reason = "has aws_secret_access_key but no aws_access_key_id";
    else
      reason = "has no aws_access_key_id and aws_secret_access_key";
    throw CredentialsError("shared files: " + profile.Describe() + " " + reason);
  }

 private:
  std::optional<std::string> profile_;
  EnvironmentLookup env_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_PROFILE_CREDENTIALS_PROVIDER_HPP
