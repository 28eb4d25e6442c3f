// rekognition-cpp: AWS credentials and the provider interface.
#ifndef REKOGNITION_AUTH_CREDENTIALS_HPP
#define REKOGNITION_AUTH_CREDENTIALS_HPP

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rekognition/config/environment.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// An AWS access key pair with an optional session token and expiry.
/// The secret and token never appear in logs, exceptions or output.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty when there is none
  /// When temporary credentials stop working; empty for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;

  /// True when both key parts are present.
  bool IsValid() const noexcept { return !access_key_id.empty() && !secret_access_key.empty(); }
};

/// Supplies credentials. Implementations must be thread-safe: the client asks
/// on every call from any thread. Throws CredentialsError when it cannot
/// supply any.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Returns usable credentials or throws CredentialsError.
  virtual Credentials GetCredentials() = 0;
};

/// Always returns the credentials it was built with. Thread-safe.
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  StaticCredentialsProvider(std::string access_key_id, std::string secret_access_key,
                            std::string session_token = {})
      : credentials_{std::move(access_key_id), std::move(secret_access_key),
                     std::move(session_token), std::nullopt} {}
  /// Returns the stored credentials; throws CredentialsError if a part is empty.
  Credentials GetCredentials() override {
    if (!credentials_.IsValid())
      throw CredentialsError(
          "static credentials are incomplete: access key id and secret "
          "access key are both required");
    return credentials_;
  }

 private:
  Credentials credentials_;
};

/// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the
/// environment at each call (never in the constructor). Thread-safe as long as
/// nothing modifies the environment concurrently.
class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  /// Reads the process environment.
  EnvironmentCredentialsProvider() = default;
  /// Reads through `env` instead (empty: the process environment).
  explicit EnvironmentCredentialsProvider(EnvironmentLookup env) : env_(std::move(env)) {}

  /// Throws CredentialsError when either key variable is unset or empty.
  Credentials GetCredentials() override {
    Credentials credentials;
    credentials.access_key_id = Read("AWS_ACCESS_KEY_ID");
    credentials.secret_access_key = Read("AWS_SECRET_ACCESS_KEY");
    credentials.session_token = Read("AWS_SESSION_TOKEN");
    if (!credentials.IsValid())
      throw CredentialsError(
          "no credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
          "must both be set");
    return credentials;
  }

 private:
  std::string Read(const char* name) const {
    return detail::NonEmptyEnv(env_, name).value_or(std::string());
  }

  EnvironmentLookup env_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_HPP
