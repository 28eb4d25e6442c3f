// rekognition-cpp: the default credentials chain every AWS SDK uses.
#ifndef REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP
#define REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/auth/caching_credentials_provider.hpp"
#include "rekognition/auth/chain_credentials_provider.hpp"
#include "rekognition/auth/container_credentials_provider.hpp"
#include "rekognition/auth/credentials.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/auth/instance_metadata_credentials_provider.hpp"
#include "rekognition/auth/process_credentials_provider.hpp"
#include "rekognition/auth/profile_credentials_provider.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of DefaultCredentialsChain.
struct DefaultCredentialsChainOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// Transport of the container and instance metadata providers (empty:
  /// libcurl with their short timeouts, made on first use).
  std::shared_ptr<HttpTransport> transport;
  /// Cached credentials are refreshed this long before they expire.
  std::chrono::seconds refresh_ahead{300};
  /// The current time (empty: the system clock).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Builds the standard chain, cached and refreshed ahead of expiry:
/// environment (AWS_ACCESS_KEY_ID, ...) > shared files' profile keys >
/// the profile's credential_process > container endpoint > instance
/// metadata (IMDSv2). When `options.profile` is set the environment step is
/// left out, as botocore does for an explicit profile. Explicit keys are not
/// part of it: put a
/// StaticCredentialsProvider in front, or use one instead. Building it reads
/// no file, runs nothing and sends nothing; the first GetCredentials call
/// does. The result is thread-safe. Throws only std::bad_alloc.
REKOGNITION_INLINE std::shared_ptr<CredentialsProvider> DefaultCredentialsChain(
    DefaultCredentialsChainOptions options = {}) {
  const EnvironmentLookup env = detail::EnvironmentOrProcess(std::move(options.environment));

  ProcessCredentialsOptions process;
  process.profile = options.profile;
  process.environment = env;
  process.clock = options.clock;

  ContainerCredentialsOptions container;
  container.transport = options.transport;
  container.environment = env;

  InstanceMetadataCredentialsOptions metadata;
  metadata.transport = options.transport;
  metadata.environment = env;

  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  // A profile chosen in code (the CLI's --profile) means that profile's
  // credentials, as in botocore: the environment's keys would otherwise win.
  // A profile from AWS_PROFILE leaves them first.
  if (!options.profile || options.profile->empty())
    providers.push_back(std::make_shared<EnvironmentCredentialsProvider>(env));
  providers.push_back(std::make_shared<ProfileCredentialsProvider>(options.profile, env));
  providers.push_back(std::make_shared<ProcessCredentialsProvider>(std::move(process)));
  providers.push_back(std::make_shared<ContainerCredentialsProvider>(std::move(container)));
  providers.push_back(std::make_shared<InstanceMetadataCredentialsProvider>(std::move(metadata)));

  CachingCredentialsOptions caching;
  caching.refresh_ahead = options.refresh_ahead;
  caching.clock = std::move(options.clock);
  return std::make_shared<CachingCredentialsProvider>(
      std::make_shared<ChainCredentialsProvider>(std::move(providers)), std::move(caching));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_DEFAULT_CREDENTIALS_CHAIN_HPP
