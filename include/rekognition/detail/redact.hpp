// rekognition-cpp: removing secrets from text that came from a peer.
#ifndef REKOGNITION_DETAIL_REDACT_HPP
#define REKOGNITION_DETAIL_REDACT_HPP

#include <string>
#include <string_view>
#include <vector>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// What a secret is replaced with.
inline constexpr std::string_view kRedacted = "<redacted>";

/// `text` with every occurrence of each non-empty secret replaced by
/// "<redacted>". The search resumes after each replacement, so it ends even
/// when a secret occurs inside "<redacted>" itself. Run it on whole strings,
/// before any cut: a secret straddling a cut would survive in part.
/// Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string RedactAll(std::string text,
                                         const std::vector<std::string_view>& secrets) {
  for (const std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size()))
      text.replace(at, secret.size(), kRedacted);
  }
  return text;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_REDACT_HPP
