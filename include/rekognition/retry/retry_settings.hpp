// rekognition-cpp: the retry mode and attempts chosen in code, apart from the
// code that resolves them (retry_config.hpp), so that ClientConfig carries them
// without the shared-config reader.
#ifndef REKOGNITION_RETRY_RETRY_SETTINGS_HPP
#define REKOGNITION_RETRY_RETRY_SETTINGS_HPP

#include <optional>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The retry modes every AWS SDK offers.
enum class RetryMode {
  kStandard,  ///< 3 attempts, capped full-jitter backoff, retry quota (the default)
  kAdaptive,  ///< standard plus a client-side rate limiter after throttling
  kLegacy,    ///< 5 attempts, uncapped backoff, no quota
};

/// Retry settings made in code; each one left unset is looked up in the
/// environment, then in the profile, then defaulted.
struct RetrySettings {
  std::optional<RetryMode> mode;    ///< else AWS_RETRY_MODE, else retry_mode, else standard
  std::optional<int> max_attempts;  ///< else AWS_MAX_ATTEMPTS, else max_attempts, else the mode's
  bool revision_2026 = false;       ///< the 2026 retry revision's numbers (standard/adaptive)
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_RETRY_RETRY_SETTINGS_HPP
