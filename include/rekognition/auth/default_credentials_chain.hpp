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

#include "rekognition/auth/assume_role_credentials_provider.hpp"
#include "rekognition/auth/caching_credentials_provider.hpp"
#include "rekognition/auth/chain_credentials_provider.hpp"
#include "rekognition/auth/container_credentials_provider.hpp"
#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/instance_metadata_credentials_provider.hpp"
#include "rekognition/auth/process_credentials_provider.hpp"
#include "rekognition/auth/profile_credentials_provider.hpp"
#include "rekognition/auth/sso_credentials_provider.hpp"
#include "rekognition/auth/web_identity_credentials_provider.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of DefaultCredentialsChain.
struct DefaultCredentialsChainOptions {
  /// The profile chosen in code (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// Transport of the container and instance metadata providers, and of
  /// STS and IAM Identity Center unless `service.transport` is set (empty:
  /// libcurl, made on first use, with short timeouts for the local
  /// endpoints).
  std::shared_ptr<HttpTransport> transport;
  /// The region STS is called in (empty: AWS_REGION, AWS_DEFAULT_REGION, the
  /// profile's region, else the global endpoint). The client passes its own.
  std::optional<std::string> region;
  /// Supplies MFA codes for assume-role profiles with mfa_serial (empty:
  /// such a profile is an error; a library never prompts).
  MfaCodeCallback mfa_code;
  /// How STS and IAM Identity Center are reached (transport, retries, sleep,
  /// log); its region and clock default to the ones above.
  CredentialsServiceOptions service;
  /// The IAM Identity Center token cache (empty: ~/.aws/sso/cache).
  std::string sso_cache_directory;
  /// Cached credentials are refreshed this long before they expire.
  std::chrono::seconds refresh_ahead{300};
  /// The current time (empty: the system clock).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Builds the standard chain in botocore's order, cached and refreshed ahead
/// of expiry: environment keys (AWS_ACCESS_KEY_ID, ...) > assume-role profile
/// (role_arn with source_profile or credential_source) > web identity
/// (AWS_WEB_IDENTITY_TOKEN_FILE or the profile's web_identity_token_file) >
/// IAM Identity Center (sso_session / sso_start_url profiles) > the profile's
/// keys in the shared files > the profile's credential_process > container
/// endpoint > instance metadata (IMDSv2). When `options.profile` is set the
/// environment keys and the web identity variables are ignored, as botocore
/// does for a profile chosen in code (AWS_PROFILE does not do that). A
/// source that is configured but fails (CredentialsSourceError) ends the
/// search: a pod with a web identity never falls back to the node's role.
/// Explicit keys are not part of it: put a StaticCredentialsProvider in
/// front, or use one instead. Building it reads no file, runs nothing and
/// sends nothing; the first GetCredentials call does. The result is
/// thread-safe. Throws only std::bad_alloc.
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

  CredentialsServiceOptions service = options.service;
  if (!service.transport) service.transport = options.transport;
  if (!service.region) service.region = options.region;
  if (!service.clock) service.clock = options.clock;
  // A profile chosen in code (the CLI's --profile) means that profile's
  // credentials, as in botocore: the environment's keys and web identity
  // variables would otherwise win. A profile from AWS_PROFILE leaves them.
  const bool profile_from_code = options.profile && !options.profile->empty();
  AssumeRoleCredentialsOptions assume_role;
  assume_role.profile = options.profile;
  assume_role.environment = env;
  assume_role.mfa_code = std::move(options.mfa_code);
  assume_role.service = service;
  assume_role.metadata_transport = options.transport;
  assume_role.sso_cache_directory = options.sso_cache_directory;
  WebIdentityCredentialsOptions web_identity;
  web_identity.profile = options.profile;
  web_identity.ignore_environment = profile_from_code;
  web_identity.environment = env;
  web_identity.service = service;
  SsoCredentialsOptions sso;
  sso.profile = options.profile;
  sso.environment = env;
  sso.cache_directory = options.sso_cache_directory;
  sso.service = service;
  std::vector<std::shared_ptr<CredentialsProvider>> providers;
  if (!profile_from_code)
    providers.push_back(std::make_shared<EnvironmentCredentialsProvider>(env));
  providers.push_back(std::make_shared<AssumeRoleCredentialsProvider>(std::move(assume_role)));
  providers.push_back(std::make_shared<WebIdentityCredentialsProvider>(std::move(web_identity)));
  providers.push_back(std::make_shared<SsoCredentialsProvider>(std::move(sso)));
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
