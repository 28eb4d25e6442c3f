// rekognition-cpp: the exception hierarchy thrown at the client boundary.
#ifndef REKOGNITION_ERRORS_HPP
#define REKOGNITION_ERRORS_HPP

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "rekognition/error_codes.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Everything an error carries, gathered in one place so constructors stay short.
struct ErrorInfo {
  std::string code;        ///< AWS error code, e.g. "ThrottlingException"
  std::string message;     ///< human-readable message
  int http_status = 0;     ///< 0 when no HTTP response was received
  std::string request_id;  ///< x-amzn-RequestId, empty when unknown
  int attempts = 0;        ///< attempts made, including the first
  bool retryable = false;  ///< whether the error is of a retryable kind
};

namespace detail {
REKOGNITION_INLINE std::string FormatErrorWhat(const ErrorInfo& info) {
  std::string what = info.code;
  if (!info.message.empty()) what += ": " + info.message;
  if (info.http_status != 0 || !info.request_id.empty()) {
    what += " (";
    if (info.http_status != 0) what += "HTTP " + std::to_string(info.http_status);
    if (info.http_status != 0 && !info.request_id.empty()) what += ", ";
    if (!info.request_id.empty()) what += "request id " + info.request_id;
    what += ")";
  }
  return what;
}
}  // namespace detail

/// Root of every exception the library throws. what() reads
/// "CODE: message (HTTP status, request id ID)". Never contains secrets.
class Error : public std::runtime_error {
 public:
  explicit Error(ErrorInfo info)
      : std::runtime_error(detail::FormatErrorWhat(info)), info_(std::move(info)) {}

  /// The AWS error code, or a client-side code such as "ValidationError".
  const std::string& code() const noexcept { return info_.code; }
  /// The message without the code.
  const std::string& message() const noexcept { return info_.message; }
  /// The HTTP status, 0 when no response was received.
  int http_status() const noexcept { return info_.http_status; }
  /// The service's request id (x-amzn-RequestId), empty when unknown.
  const std::string& request_id() const noexcept { return info_.request_id; }
  /// How many attempts were made before giving up (0 when none was sent).
  int attempts() const noexcept { return info_.attempts; }
  /// True when the error is of a kind that is retried (throttling, 5xx,
  /// network); it was thrown because attempts or retry quota ran out.
  bool retryable() const noexcept { return info_.retryable; }
  /// All of the above at once.
  const ErrorInfo& info() const noexcept { return info_; }

 private:
  ErrorInfo info_;
};

/// A request failed client-side validation; nothing was sent. field() names
/// the parameter (e.g. "MinConfidence"), constraint() the rule it broke.
class ValidationError : public Error {
 public:
  ValidationError(std::string field, std::string constraint, std::string message)
      : Error(ErrorInfo{"ValidationError", std::move(message), 0, "", 0, false}),
        field_(std::move(field)),
        constraint_(std::move(constraint)) {}
  /// The request parameter that failed, e.g. "MinConfidence". Thread-safe.
  const std::string& field() const noexcept { return field_; }
  /// The rule it broke, e.g. "length 20-2048". Thread-safe.
  const std::string& constraint() const noexcept { return constraint_; }

 private:
  std::string field_;
  std::string constraint_;
};

/// No usable credentials could be found, or a provider failed. code() is
/// "CredentialsError", or the credentials service's own code (e.g. STS
/// "AccessDenied", "InvalidIdentityToken") with its request id when one
/// answered.
class CredentialsError : public Error {
 public:
  explicit CredentialsError(std::string message)
      : Error(ErrorInfo{"CredentialsError", std::move(message), 0, "", 0, false}) {}
  /// With everything a credentials service said (code, status, request id).
  explicit CredentialsError(ErrorInfo info) : Error(std::move(info)) {}
};

/// A credentials source is configured (a web identity token file, a role to
/// assume, an IAM Identity Center profile) but could not deliver. A chain
/// stops at this error instead of trying the next source, as the AWS SDKs
/// do: a pod configured for its own role must never fall back to the node's
/// instance role.
class CredentialsSourceError : public CredentialsError {
 public:
  using CredentialsError::CredentialsError;
};

/// The configuration is unusable: no region, bad profile, bad endpoint.
class ConfigurationError : public Error {
 public:
  explicit ConfigurationError(std::string message)
      : Error(ErrorInfo{"ConfigurationError", std::move(message), 0, "", 0, false}) {}
};

/// No HTTP response arrived: DNS, connect, TLS, timeout or reset.
class TransportError : public Error {
 public:
  TransportError(TransportFailure failure, int attempts)
      : Error(ErrorInfo{ToString(failure.kind), failure.message, 0, "", attempts,
                        IsRetryableTransportFailure(failure.kind)}),
        kind_(failure.kind),
        native_code_(failure.native_code) {}
  /// What went wrong on the network (timeout, reset, TLS, cancelled...). Thread-safe.
  TransportErrorKind kind() const noexcept { return kind_; }
  /// The transport's own code (a CURLcode for the libcurl transport).
  int native_code() const noexcept { return native_code_; }

 private:
  TransportErrorKind kind_;
  int native_code_;
};

/// The service answered with an error. Subclasses exist for every error the
/// operation models; unknown codes are thrown as a plain ServiceError.
class ServiceError : public Error {
 public:
  explicit ServiceError(ErrorInfo info) : Error(std::move(info)) {}
};

/// The request was not authenticated or not authorized (signature, key, token).
class AuthError : public ServiceError {
 public:
  using ServiceError::ServiceError;
};

#define REKOGNITION_DEFINE_ERROR(Name, Base) \
  class Name : public Base {                 \
   public:                                   \
    using Base::Base;                        \
  };

/// You are not authorized to perform the action.
REKOGNITION_DEFINE_ERROR(AccessDeniedException, ServiceError)
/// The image is larger than the service accepts.
REKOGNITION_DEFINE_ERROR(ImageTooLargeException, ServiceError)
/// The service had an internal error (retried as transient).
REKOGNITION_DEFINE_ERROR(InternalServerError, ServiceError)
/// The image is not a supported PNG or JPEG.
REKOGNITION_DEFINE_ERROR(InvalidImageFormatException, ServiceError)
/// An input parameter violated a constraint.
REKOGNITION_DEFINE_ERROR(InvalidParameterException, ServiceError)
/// The pagination token (NextToken) is not valid.
REKOGNITION_DEFINE_ERROR(InvalidPaginationTokenException, ServiceError)
/// The S3 object could not be read.
REKOGNITION_DEFINE_ERROR(InvalidS3ObjectException, ServiceError)
/// A service limit was exceeded (retried as throttling).
REKOGNITION_DEFINE_ERROR(LimitExceededException, ServiceError)
/// The account's throughput limit was exceeded (retried as throttling).
REKOGNITION_DEFINE_ERROR(ProvisionedThroughputExceededException, ServiceError)
/// The resource is in use: e.g. the model version is already starting or
/// stopping, or cannot change state now.
REKOGNITION_DEFINE_ERROR(ResourceInUseException, ServiceError)
/// The project version does not exist.
REKOGNITION_DEFINE_ERROR(ResourceNotFoundException, ServiceError)
/// The project version is not running; start it first.
REKOGNITION_DEFINE_ERROR(ResourceNotReadyException, ServiceError)
/// The request rate was too high (retried as throttling).
REKOGNITION_DEFINE_ERROR(ThrottlingException, ServiceError)
/// The request signature did not verify.
REKOGNITION_DEFINE_ERROR(InvalidSignatureException, AuthError)
/// The request signature did not match (IAM/STS-style services and peers).
REKOGNITION_DEFINE_ERROR(SignatureDoesNotMatch, AuthError)
/// The access key is not known to the service.
REKOGNITION_DEFINE_ERROR(UnrecognizedClientException, AuthError)
/// The access key id does not exist (IAM/STS-style code).
REKOGNITION_DEFINE_ERROR(InvalidClientTokenId, AuthError)
/// The session token has expired.
REKOGNITION_DEFINE_ERROR(ExpiredTokenException, AuthError)
/// The principal is not allowed to call the action (IAM-style code).
REKOGNITION_DEFINE_ERROR(AccessDenied, AuthError)

#undef REKOGNITION_DEFINE_ERROR

/// Throws the exception class that matches `info.code` (a plain ServiceError
/// for unknown codes). `info.retryable` is filled in from the code and status.
[[noreturn]] REKOGNITION_INLINE void ThrowServiceError(ErrorInfo info) {
  info.retryable = IsThrottlingError(info.code, info.http_status) ||
                   IsTransientServiceError(info.code, info.http_status);
  const std::string& c = info.code;
#define REKOGNITION_THROW_IF(Name) \
  if (c == #Name) throw Name(std::move(info));
  REKOGNITION_THROW_IF(AccessDeniedException)
  REKOGNITION_THROW_IF(ImageTooLargeException)
  REKOGNITION_THROW_IF(InternalServerError)
  REKOGNITION_THROW_IF(InvalidImageFormatException)
  REKOGNITION_THROW_IF(InvalidParameterException)
  REKOGNITION_THROW_IF(InvalidPaginationTokenException)
  REKOGNITION_THROW_IF(InvalidS3ObjectException)
  REKOGNITION_THROW_IF(LimitExceededException)
  REKOGNITION_THROW_IF(ProvisionedThroughputExceededException)
  REKOGNITION_THROW_IF(ResourceInUseException)
  REKOGNITION_THROW_IF(ResourceNotFoundException)
  REKOGNITION_THROW_IF(ResourceNotReadyException)
  REKOGNITION_THROW_IF(ThrottlingException)
  REKOGNITION_THROW_IF(InvalidSignatureException)
  REKOGNITION_THROW_IF(SignatureDoesNotMatch)
  REKOGNITION_THROW_IF(UnrecognizedClientException)
  REKOGNITION_THROW_IF(InvalidClientTokenId)
  REKOGNITION_THROW_IF(ExpiredTokenException)
  REKOGNITION_THROW_IF(AccessDenied)
#undef REKOGNITION_THROW_IF
  throw ServiceError(std::move(info));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_ERRORS_HPP
