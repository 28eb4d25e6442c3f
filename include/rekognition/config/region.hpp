// rekognition-cpp: choosing the AWS region.
#ifndef REKOGNITION_CONFIG_REGION_HPP
#define REKOGNITION_CONFIG_REGION_HPP

#include <optional>
#include <string>
#include <string_view>

#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Whether `region` can be a region name (and so a DNS label): 1 to 63
/// letters, digits and '-', not starting or ending with '-'. Never throws.
REKOGNITION_INLINE bool IsValidRegionName(std::string_view region) noexcept {
  if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-')
    return false;
  for (char c : region) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// The region: `from_code` when set and non-empty, else AWS_REGION, else
/// AWS_DEFAULT_REGION, else the profile's `region`. Never a silent default.
/// Throws ConfigurationError when none is set (saying where it looked) or the
/// value found is not a valid region name (saying where it came from).
/// `env` empty means the process environment. Thread-safe.
REKOGNITION_INLINE std::string ResolveRegion(const std::optional<std::string>& from_code,
                                             const Profile& profile,
                                             const EnvironmentLookup& env = {}) {
  std::optional<std::string> region;
  std::string source;
  if (from_code && !from_code->empty()) {
    region = *from_code;
    source = "the program's setting";
  } else if ((region = detail::NonEmptyEnv(env, "AWS_REGION"))) {
    source = "AWS_REGION";
  } else if ((region = detail::NonEmptyEnv(env, "AWS_DEFAULT_REGION"))) {
    source = "AWS_DEFAULT_REGION";
  } else if ((region = profile.Get("region"))) {
    source = "'region' of " + profile.Describe();
  } else {
    throw ConfigurationError(
        "no AWS region is configured: looked at the program's setting, AWS_REGION, "
        "AWS_DEFAULT_REGION and 'region' of " +
        profile.Describe() + "; set one of them");
  }
  if (!IsValidRegionName(*region))
    throw ConfigurationError("invalid region '" + *region + "' from " + source +
                             ": a region name is letters, digits and '-', e.g. us-east-1");
  return *region;
}

/// As above, reading the shared files for the profile chosen by
/// ChooseProfile(profile, env); also throws ConfigurationError when an
/// explicitly chosen profile does not exist. Thread-safe.
REKOGNITION_INLINE std::string ResolveRegion(
    const std::optional<std::string>& from_code = std::nullopt,
    const std::optional<std::string>& profile = std::nullopt, const EnvironmentLookup& env = {}) {
  return ResolveRegion(from_code, LoadProfile(profile, env), env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_REGION_HPP
