// rekognition-cpp: DetectCustomLabels as the request pipeline sees it.
#ifndef REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP
#define REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP

#include <string>
#include <string_view>

#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/operations/validation.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The DetectCustomLabels operation: its wire name, the errors the service
/// model lists for it, and the validator, serializer and result parser the
/// request pipeline runs. Stateless; thread-safe.
struct DetectCustomLabelsOperation {
  using Request = DetectCustomLabelsRequest;
  using Result = DetectCustomLabelsResult;
  /// The operation name.
  static constexpr std::string_view kName = "DetectCustomLabels";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DetectCustomLabels";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {
      "ResourceNotFoundException",  "ResourceNotReadyException",
      "InvalidS3ObjectException",   "InvalidParameterException",
      "ImageTooLargeException",     "LimitExceededException",
      "AccessDeniedException",      "InternalServerError",
      "ThrottlingException",        "ProvisionedThroughputExceededException",
      "InvalidImageFormatException"};
  /// Throws ValidationError for the first broken rule (see CheckRequest).
  static void Validate(const Request& request, const ValidationOptions& options) {
    ValidateRequest(request, options);
  }
  /// The request body (see SerializeRequest).
  static std::string Serialize(const Request& request) { return detail::SerializeRequest(request); }
  /// The request body and its SHA-256, computed in the same pass.
  static std::string Serialize(const Request& request, detail::Sha256Digest& body_sha256) {
    return detail::SerializeRequest(request, body_sha256);
  }
  /// Parses a 2xx body (see ParseResult).
  static bool Parse(std::string_view body, Result& out, std::string& error) {
    return detail::ParseResult(body, out, error);
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_OPERATION_HPP
