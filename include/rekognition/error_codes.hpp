// rekognition-cpp: which AWS error codes are throttling, transient or clock skew.
#ifndef REKOGNITION_ERROR_CODES_HPP
#define REKOGNITION_ERROR_CODES_HPP

#include <string_view>

#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// True for the error codes every AWS SDK treats as throttling, or HTTP 429.
REKOGNITION_INLINE bool IsThrottlingError(std::string_view code, int http_status) noexcept {
  constexpr std::string_view kCodes[] = {"Throttling",
                                         "ThrottlingException",
                                         "ThrottledException",
                                         "RequestThrottledException",
                                         "TooManyRequestsException",
                                         "ProvisionedThroughputExceededException",
                                         "TransactionInProgressException",
                                         "RequestLimitExceeded",
                                         "BandwidthLimitExceeded",
                                         "LimitExceededException",
                                         "RequestThrottled",
                                         "SlowDown",
                                         "EC2ThrottledException"};
  if (http_status == 429) return true;
  for (auto known : kCodes)
    if (code == known) return true;
  return false;
}

/// True for transient service errors: the timeout codes and any HTTP 5xx,
/// whatever code the body carries (an unknown 5xx is still transient).
REKOGNITION_INLINE bool IsTransientServiceError(std::string_view code, int http_status) noexcept {
  constexpr std::string_view kCodes[] = {"RequestTimeout", "RequestTimeoutException",
                                         "PriorRequestNotComplete"};
  if (http_status >= 500 && http_status <= 599) return true;
  for (auto known : kCodes)
    if (code == known) return true;
  return false;
}

/// True for the codes that may mean our clock is off (checked against the
/// server's Date header before acting on it).
REKOGNITION_INLINE bool IsClockSkewError(std::string_view code) noexcept {
  return code == "RequestTimeTooSkewed" || code == "RequestExpired" ||
         code == "InvalidSignatureException" || code == "SignatureDoesNotMatch";
}

/// True for network faults worth another attempt: DNS, connect, timeout,
/// reset. A failed TLS verification, a cancellation or a malformed request
/// would fail the same way again.
REKOGNITION_INLINE bool IsRetryableTransportFailure(TransportErrorKind kind) noexcept {
  return kind == TransportErrorKind::kDnsFailure || kind == TransportErrorKind::kConnectFailure ||
         kind == TransportErrorKind::kTimeout || kind == TransportErrorKind::kConnectionReset;
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_ERROR_CODES_HPP
