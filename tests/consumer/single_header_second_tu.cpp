// Mixing the single header and a modular header in one program is safe: each
// part keeps its own include guard.
#include <rekognition.hpp>
#include <rekognition/client.hpp>

int CountLabelsElsewhere(rekognition::RekognitionApi& api,
                         const rekognition::DetectCustomLabelsRequest& request) {
  return static_cast<int>(api.DetectCustomLabels(request).custom_labels.size());
}
