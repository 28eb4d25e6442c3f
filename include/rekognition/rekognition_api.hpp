// rekognition-cpp: the abstract interface of the operations, for mocking.
#ifndef REKOGNITION_REKOGNITION_API_HPP
#define REKOGNITION_REKOGNITION_API_HPP

#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The operations of the client as an interface. Code that calls Rekognition
/// takes a `RekognitionApi&`; production passes a Client, unit tests a fake
/// or a mock. Implementations say whether they are thread-safe (Client is).
class RekognitionApi {
 public:
  virtual ~RekognitionApi() = default;
  /// Detects custom labels; see Client::DetectCustomLabels for what it throws.
  virtual DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& request) = 0;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_REKOGNITION_API_HPP
