// rekognition-cpp: choosing the service endpoint (configured URL or the Rekognition endpoint
// rules).
#ifndef REKOGNITION_CONFIG_ENDPOINT_HPP
#define REKOGNITION_CONFIG_ENDPOINT_HPP

#include <optional>
#include <string>
#include <utility>

#include "rekognition/config/environment.hpp"
#include "rekognition/config/partitions.hpp"
#include "rekognition/config/region.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The inputs of the Rekognition endpoint rule set (endpoint-rule-set-1.json).
struct EndpointParameters {
  std::optional<std::string> region;    ///< AWS::Region
  bool use_fips = false;                ///< AWS::UseFIPS
  bool use_dual_stack = false;          ///< AWS::UseDualStack
  std::optional<std::string> endpoint;  ///< SDK::Endpoint, a custom URL
};

/// Evaluates the Rekognition endpoint rules natively: a custom endpoint is
/// returned as is (refused together with FIPS or dual-stack); otherwise
/// "https://rekognition[-fips].REGION.SUFFIX" with the region's partition
/// (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, ...) DNS suffix or dual-stack
/// suffix. Throws ConfigurationError with the rule set's own messages
/// ("Invalid Configuration: Missing Region", "Invalid Configuration: FIPS and
/// custom endpoint are not supported", ...), and for a region that is not a
/// valid DNS label. Empty strings count as unset. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpointFromRules(const EndpointParameters& params);

namespace detail {

/// The host names of a service whose endpoint rule set has the common AWS
/// shape (Rekognition, STS, SSO, SSO OIDC): "https://PREFIX.REGION.SUFFIX",
/// "https://FIPS_PREFIX.REGION.SUFFIX" with FIPS, the dual-stack suffix with
/// dual-stack.
struct StandardEndpointRules {
  const char* prefix;       ///< e.g. "sts", "portal.sso", "oidc"
  const char* fips_prefix;  ///< e.g. "sts-fips"
  /// The rule set's exception: FIPS in aws-us-gov is the plain host
  /// "PREFIX.REGION.amazonaws.com" (STS, SSO, SSO OIDC).
  bool us_gov_fips_is_plain = false;
  /// STS: region "aws-global" is https://sts.amazonaws.com.
  bool aws_global_host = false;
};

/// Evaluates a rule set of that shape for `params`; see
/// ResolveEndpointFromRules for the errors. Thread-safe.
REKOGNITION_INLINE std::string ResolveStandardEndpoint(const StandardEndpointRules& rules,
                                                       const EndpointParameters& params) {
  if (params.endpoint && !params.endpoint->empty()) {
    if (params.use_fips)
      throw ConfigurationError("Invalid Configuration: FIPS and custom endpoint are not supported");
    if (params.use_dual_stack)
      throw ConfigurationError(
          "Invalid Configuration: Dualstack and custom endpoint are not supported");
    return *params.endpoint;
  }
  if (!params.region || params.region->empty())
    throw ConfigurationError("Invalid Configuration: Missing Region");
  const std::string& region = *params.region;
  // The rules put the region into the host name as is; refuse anything that
  // would change the host (dots, slashes, '@', ...).
  if (!IsValidRegionName(region))
    throw ConfigurationError("invalid region '" + region +
                             "': a region name is letters, digits and '-'");
  const PartitionInfo& partition = FindPartition(region);
  const std::string prefix = rules.prefix;
  const std::string fips_prefix = rules.fips_prefix;
  if (params.use_fips && params.use_dual_stack) {
    if (partition.supports_fips && partition.supports_dual_stack)
      return "https://" + fips_prefix + "." + region + "." + partition.dual_stack_dns_suffix;
    throw ConfigurationError(
        "FIPS and DualStack are enabled, but this partition does not support one or both");
  }
  if (params.use_fips) {
    if (!partition.supports_fips)
      throw ConfigurationError("FIPS is enabled but this partition does not support FIPS");
    if (rules.us_gov_fips_is_plain && std::string_view(partition.id) == "aws-us-gov")
      return "https://" + prefix + "." + region + ".amazonaws.com";
    return "https://" + fips_prefix + "." + region + "." + partition.dns_suffix;
  }
  if (params.use_dual_stack) {
    if (partition.supports_dual_stack)
      return "https://" + prefix + "." + region + "." + partition.dual_stack_dns_suffix;
    throw ConfigurationError("DualStack is enabled but this partition does not support DualStack");
  }
  if (rules.aws_global_host && region == "aws-global")
    return "https://" + prefix + ".amazonaws.com";
  return "https://" + prefix + "." + region + "." + partition.dns_suffix;
}

}  // namespace detail

REKOGNITION_INLINE std::string ResolveEndpointFromRules(const EndpointParameters& params) {
  return detail::ResolveStandardEndpoint({"rekognition", "rekognition-fips", false, false}, params);
}

/// Endpoint settings made in code; each one left unset is looked up in the
/// environment and then in the profile.
struct EndpointSettings {
  /// A custom endpoint URL, e.g. "http://127.0.0.1:8080". Set but empty is
  /// a ConfigurationError, never "unset".
  std::optional<std::string> endpoint_url;
  /// Use the FIPS endpoint (else AWS_USE_FIPS_ENDPOINT, else the profile's
  /// use_fips_endpoint, else false).
  std::optional<bool> use_fips;
  /// Use the dual-stack endpoint (else AWS_USE_DUALSTACK_ENDPOINT, else the
  /// profile's use_dualstack_endpoint, else false).
  std::optional<bool> use_dual_stack;
};

namespace detail {

// code > environment variable > profile key > false (ParseBooleanSetting:
// "true" in any case is true, anything else false, as botocore reads it).
REKOGNITION_INLINE bool ResolveBooleanSetting(const std::optional<bool>& from_code,
                                              const char* variable, const char* key,
                                              const Profile& profile,
                                              const EnvironmentLookup& env) {
  if (from_code) return *from_code;
  if (auto value = NonEmptyEnv(env, variable)) return ParseBooleanSetting(*value);
  if (auto value = profile.Get(key)) return ParseBooleanSetting(*value);
  return false;
}

/// The endpoint URL configured for one service and where it came from, or
/// nullopt: code > AWS_ENDPOINT_URL_<ENV_NAME> > AWS_ENDPOINT_URL > the
/// profile's services section's <services_key> endpoint_url > the profile's
/// endpoint_url; all but code are skipped when
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
/// ignore_configured_endpoint_urls is true. `env_name` is the service id in
/// upper case with '_' (e.g. "STS", "SSO_OIDC"), `services_key` in lower case
/// (e.g. "sts", "sso_oidc"). Throws ConfigurationError for a malformed
/// boolean, a missing services section or an endpoint URL set in
/// code but empty. Thread-safe.
REKOGNITION_INLINE std::optional<std::pair<std::string, std::string>> ConfiguredServiceEndpointUrl(
    const std::optional<std::string>& from_code, const std::string& env_name,
    const std::string& services_key, const Profile& profile, const EnvironmentLookup& env) {
  if (from_code) {
    // Set but empty is a mistake (an unset variable expanded on a command
    // line), not a request for the real service.
    if (from_code->empty())
      throw ConfigurationError(
          "the endpoint URL is set but empty: give an absolute http or https URL such as "
          "https://host:port, or leave it unset to use the service's endpoint");
    return std::make_pair(*from_code, std::string("the program's setting"));
  }
  bool ignore = false;
  if (auto value = NonEmptyEnv(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
    ignore = ParseBooleanSetting(*value);
  else if (auto key = profile.Get("ignore_configured_endpoint_urls"))
    ignore = ParseBooleanSetting(*key);
  if (ignore) return std::nullopt;
  const std::string variable = "AWS_ENDPOINT_URL_" + env_name;
  if (auto value = NonEmptyEnv(env, variable)) return std::make_pair(std::move(*value), variable);
  if (auto value = NonEmptyEnv(env, "AWS_ENDPOINT_URL"))
    return std::make_pair(std::move(*value), std::string("AWS_ENDPOINT_URL"));
  if (auto services_name = profile.Get("services")) {
    if (!profile.services)
      throw ConfigurationError(profile.Describe() + " names the services section '" +
                               *services_name + "', which does not exist");
    const auto service = profile.services->find(services_key);
    if (service != profile.services->end()) {
      const auto url = service->second.find("endpoint_url");
      if (url != service->second.end() && !url->second.empty())
        return std::make_pair(url->second, "'endpoint_url' for " + services_key + " in [services " +
                                               *services_name + "]");
    }
  }
  if (auto value = profile.Get("endpoint_url"))
    return std::make_pair(std::move(*value), "'endpoint_url' of " + profile.Describe());
  return std::nullopt;
}

// The configured Rekognition endpoint URL and where it came from, or nullopt.
REKOGNITION_INLINE std::optional<std::pair<std::string, std::string>> ConfiguredEndpointUrl(
    const EndpointSettings& from_code, const Profile& profile, const EnvironmentLookup& env) {
  return ConfiguredServiceEndpointUrl(from_code.endpoint_url, "REKOGNITION", "rekognition", profile,
                                      env);
}

/// Checks a configured URL: throws ConfigurationError naming its source when
/// it is not an absolute http(s) URL (leaving out a URL with user info,
/// which may hold a password). Thread-safe.
REKOGNITION_INLINE void CheckConfiguredEndpointUrl(const std::pair<std::string, std::string>& url) {
  if (ParseUrl(url.first)) return;
  const bool printable = url.first.find('@') == std::string::npos;
  throw ConfigurationError(
      "invalid endpoint URL" + (printable ? " '" + url.first + "'" : std::string()) + " from " +
      url.second + ": expected an absolute http or https URL such as https://host:port");
}

}  // namespace detail

/// The endpoint URL for `region`: a configured URL (code >
/// AWS_ENDPOINT_URL_REKOGNITION > AWS_ENDPOINT_URL > the profile's services
/// section's rekognition endpoint_url > the profile's endpoint_url; all but
/// code are skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
/// ignore_configured_endpoint_urls is true), else the endpoint rules with the
/// FIPS and dual-stack flags (see EndpointSettings). Throws
/// ConfigurationError for an endpoint URL set in code but empty, a
/// configured URL that is not an absolute http(s) URL (a port outside
/// 1-65535 and a space or control character included), a missing services
/// section, and the rule set's errors. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpoint(const std::optional<std::string>& region,
                                               const EndpointSettings& from_code,
                                               const Profile& profile,
                                               const EnvironmentLookup& env = {}) {
  EndpointParameters params;
  params.region = region;
  params.use_fips = detail::ResolveBooleanSetting(from_code.use_fips, "AWS_USE_FIPS_ENDPOINT",
                                                  "use_fips_endpoint", profile, env);
  params.use_dual_stack =
      detail::ResolveBooleanSetting(from_code.use_dual_stack, "AWS_USE_DUALSTACK_ENDPOINT",
                                    "use_dualstack_endpoint", profile, env);
  if (auto configured = detail::ConfiguredEndpointUrl(from_code, profile, env)) {
    detail::CheckConfiguredEndpointUrl(*configured);
    params.endpoint = std::move(configured->first);
  }
  return ResolveEndpointFromRules(params);
}

/// As above, reading the shared files for the profile chosen by
/// ChooseProfile(profile, env); also throws ConfigurationError when an
/// explicitly chosen profile does not exist. Thread-safe.
REKOGNITION_INLINE std::string ResolveEndpoint(
    const std::optional<std::string>& region, const EndpointSettings& from_code = {},
    const std::optional<std::string>& profile = std::nullopt, const EnvironmentLookup& env = {}) {
  return ResolveEndpoint(region, from_code, LoadProfile(profile, env), env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_ENDPOINT_HPP
