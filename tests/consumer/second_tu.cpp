// The second translation unit: includes everything again.
#include <rekognition/client.hpp>
#include <rekognition/testing/stub_transport.hpp>

int CountLabelsElsewhere(rekognition::RekognitionApi& api,
                         const rekognition::DetectCustomLabelsRequest& request) {
  return static_cast<int>(api.DetectCustomLabels(request).custom_labels.size());
}
