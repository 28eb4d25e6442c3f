// rekognition-cpp: environment variable lookup, injectable so configuration can be tested.
#ifndef REKOGNITION_CONFIG_ENVIRONMENT_HPP
#define REKOGNITION_CONFIG_ENVIRONMENT_HPP

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rekognition/detail/ascii.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Looks up one environment variable by name: its value, or nullopt when it is
/// unset. Every piece of configuration (shared files, credentials providers,
/// region, endpoint) reads the environment through one of these, so a program
/// or a test can substitute its own. An empty std::function stands for the
/// process environment wherever one is accepted.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// A lookup over the process environment (std::getenv). Thread-safe as long as
/// nothing modifies the environment (setenv/putenv) concurrently. Never throws.
REKOGNITION_INLINE EnvironmentLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

/// A lookup over a fixed set of variables (nothing else is set), for tests and
/// for programs that want configuration independent of their environment.
/// Thread-safe (the map is copied and never modified).
REKOGNITION_INLINE EnvironmentLookup
FixedEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

namespace detail {

// The lookup to use: the given one, or the process environment when empty.
REKOGNITION_INLINE EnvironmentLookup EnvironmentOrProcess(EnvironmentLookup lookup) {
  return lookup ? std::move(lookup) : ProcessEnvironment();
}

// A variable's value, treating an empty value like an unset variable (as the
// AWS SDKs do: `export AWS_PROFILE=` means "no profile").
REKOGNITION_INLINE std::optional<std::string> NonEmptyEnv(const EnvironmentLookup& lookup,
                                                          const std::string& name) {
  std::optional<std::string> value = lookup ? lookup(name) : ProcessEnvironment()(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace detail

/// Reads a true/false setting (environment variable or profile key) the way
/// botocore's ensure_boolean does: "true" in any letter case is true, and
/// every other value, "yes" and "1" included, is false. Every boolean setting
/// of the library goes through this one function. Thread-safe; never throws.
REKOGNITION_INLINE bool ParseBooleanSetting(std::string_view value) noexcept {
  return detail::EqualsIgnoreCase(value, "true");
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_ENVIRONMENT_HPP
