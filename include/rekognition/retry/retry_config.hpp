// rekognition-cpp: choosing the retry mode and attempts the way the AWS SDKs do
// (code > AWS_RETRY_MODE / AWS_MAX_ATTEMPTS > profile retry_mode / max_attempts).
#ifndef REKOGNITION_RETRY_RETRY_CONFIG_HPP
#define REKOGNITION_RETRY_RETRY_CONFIG_HPP

#include <memory>
#include <optional>
#include <string>

#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/retry/adaptive_retry.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/retry/retry_settings.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Parses a retry mode name; nullopt for anything else.
REKOGNITION_INLINE std::optional<RetryMode> ParseRetryMode(const std::string& name) {
  if (name == "standard") return RetryMode::kStandard;
  if (name == "adaptive") return RetryMode::kAdaptive;
  if (name == "legacy") return RetryMode::kLegacy;
  return std::nullopt;
}

namespace detail {
REKOGNITION_INLINE int ParseMaxAttempts(const std::string& value, const std::string& source) {
  int attempts = 0;
  std::size_t used = 0;
  try {
    attempts = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || attempts < 1)
    throw ConfigurationError(source + " must be a whole number of at least 1, not '" + value + "'");
  return attempts;
}
}  // namespace detail

/// Builds the retry policy `settings`, the environment and `profile` call
/// for. Throws ConfigurationError naming the source of an invalid value.
/// Thread-safe.
REKOGNITION_INLINE std::shared_ptr<RetryPolicy> MakeRetryPolicy(
    const RetrySettings& settings, const Profile& profile, const EnvironmentLookup& env = {},
    RandomSource random = DefaultRandom) {
  RetryMode mode = RetryMode::kStandard;
  if (settings.mode) {
    mode = *settings.mode;
  } else if (auto value = detail::NonEmptyEnv(env, "AWS_RETRY_MODE")) {
    auto parsed = ParseRetryMode(*value);
    if (!parsed)
      throw ConfigurationError("AWS_RETRY_MODE must be standard, adaptive or legacy, not '" +
                               *value + "'");
    mode = *parsed;
  } else if (auto key = profile.Get("retry_mode")) {
    auto parsed = ParseRetryMode(*key);
    if (!parsed)
      throw ConfigurationError("'retry_mode' of " + profile.Describe() +
                               " must be standard, adaptive or legacy, not '" + *key + "'");
    mode = *parsed;
  }

  std::optional<int> attempts = settings.max_attempts;
  if (attempts && *attempts < 1)
    throw ConfigurationError("max_attempts must be at least 1, not " + std::to_string(*attempts));
  if (!attempts) {
    if (auto value = detail::NonEmptyEnv(env, "AWS_MAX_ATTEMPTS"))
      attempts = detail::ParseMaxAttempts(*value, "AWS_MAX_ATTEMPTS");
    else if (auto key = profile.Get("max_attempts"))
      attempts = detail::ParseMaxAttempts(*key, "'max_attempts' of " + profile.Describe());
  }

  StandardRetryOptions standard =
      settings.revision_2026 ? StandardRetryOptions::Revision2026() : StandardRetryOptions{};
  switch (mode) {
    case RetryMode::kLegacy:
      return std::make_shared<LegacyRetryPolicy>(attempts.value_or(5), std::move(random));
    case RetryMode::kAdaptive: {
      AdaptiveRetryOptions adaptive;
      adaptive.standard = standard;
      if (attempts) adaptive.standard.max_attempts = *attempts;
      return std::make_shared<AdaptiveRetryPolicy>(adaptive, std::move(random));
    }
    case RetryMode::kStandard:
      break;
  }
  if (attempts) standard.max_attempts = *attempts;
  return std::make_shared<StandardRetryPolicy>(standard, std::move(random));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_CONFIG_HPP
