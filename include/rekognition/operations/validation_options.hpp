// rekognition-cpp: which client-side checks run, apart from the checks
// themselves (validation.hpp), so that ClientConfig carries it lightly.
#ifndef REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP
#define REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Which checks CheckRequest and ValidateRequest apply.
struct ValidationOptions {
  /// Also check the documented Custom Labels limits (image bytes at most
  /// 4 MB, each side 64 to 4096 px, aspect ratio at most 20:1). The service
  /// model's rules always apply.
  bool check_documented_limits = true;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_VALIDATION_OPTIONS_HPP
