// rekognition-cpp: trying several credentials providers in order.
#ifndef REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Asks its providers in order; the first that returns credentials wins.
/// A provider that throws CredentialsError is passed over and its message
/// kept, except CredentialsSourceError (the source is configured but
/// failed); that one and any other exception (ConfigurationError for a
/// profile that does not exist, for instance) stop the chain and propagate.
/// Thread-safe when its providers are.
class ChainCredentialsProvider : public CredentialsProvider {
 public:
  /// Null entries are skipped.
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  /// Returns the first provider's credentials; throws CredentialsError saying
  /// what each provider looked for and why it had nothing (never a secret).
  Credentials GetCredentials() override {
    std::string reasons;
    for (const auto& provider : providers_) {
      if (!provider) continue;
      try {
        Credentials credentials = provider->GetCredentials();
        if (credentials.IsValid()) return credentials;
        reasons += "\n  - a provider returned incomplete credentials";
      } catch (const CredentialsSourceError&) {
        throw;  // configured but failing: never fall through to another source
      } catch (const CredentialsError& e) {
        reasons += "\n  - " + e.message();
      }
    }
    if (reasons.empty()) reasons = "\n  - no credentials providers are configured";
    throw CredentialsError("no AWS credentials found; looked in:" + reasons);
  }

  /// The providers, in order.
  const std::vector<std::shared_ptr<CredentialsProvider>>& providers() const noexcept {
    return providers_;
  }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> providers_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CHAIN_CREDENTIALS_PROVIDER_HPP
