// An example "service" that uses rekognition-cpp: it photographs a shelf,
// asks a Custom Labels model what is on it, and applies a business rule.
//
// The point of the example is the constructor: ShelfAuditor takes a
// rekognition::RekognitionApi&, not a Client. Production hands it a Client;
// its unit tests hand it a fake, a GoogleMock mock, or a Client made by a
// rekognition::Stubber. See the *_test.cpp files next to this one.
#ifndef REKOGNITION_EXAMPLES_TESTING_SHELF_AUDITOR_HPP
#define REKOGNITION_EXAMPLES_TESTING_SHELF_AUDITOR_HPP

#include <rekognition/errors.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/rekognition_api.hpp>

#include <string>
#include <utility>

namespace shelf {

/// The rule: flag the shelf when fewer than `min_facings` products labelled
/// `product` are seen with confidence >= `min_confidence`.
struct ShelfRule {
  std::string product;         ///< the model's label, e.g. "soda_can"
  int min_facings = 1;         ///< how many must be visible
  double min_confidence = 80;  ///< detections below this do not count
};

/// The outcome of one audit.
enum class AuditStatus {
  kOk,             ///< enough facings
  kFlagged,        ///< too few facings: someone should restock
  kModelNotReady,  ///< the model version is not running; try again later
};

/// What an audit found.
struct AuditReport {
  AuditStatus status = AuditStatus::kOk;
  int facings = 0;         ///< products of the rule seen with enough confidence
  std::string request_id;  ///< the Rekognition request id, for support tickets
};

/// Audits shelf photos against one rule. Thread-safe if the RekognitionApi
/// is (rekognition::Client is).
class ShelfAuditor {
 public:
  /// `rekognition` must outlive the auditor.
  ShelfAuditor(rekognition::RekognitionApi& rekognition, std::string project_version_arn,
               ShelfRule rule)
      : rekognition_(rekognition),
        project_version_arn_(std::move(project_version_arn)),
        rule_(std::move(rule)) {}

  /// Classifies `shelf_photo` and applies the rule. A stopped model is an
  /// expected state (models are stopped at night to save money), so it is
  /// reported as kModelNotReady; any other rekognition::Error propagates
  /// (throttling has already been retried by the client).
  AuditReport Audit(const rekognition::Image& shelf_photo) const {
    rekognition::DetectCustomLabelsRequest request;
    request.project_version_arn = project_version_arn_;
    request.image = shelf_photo;
    // Let the service drop weak detections; the loop below still checks,
    // because the rule must not depend on the service's filtering.
    request.min_confidence = rule_.min_confidence;

    AuditReport report;
    try {
      const rekognition::DetectCustomLabelsResult result = rekognition_.DetectCustomLabels(request);
      report.request_id = result.request_id;
      for (const rekognition::CustomLabel& label : result.custom_labels)
        if (label.name == rule_.product && label.confidence >= rule_.min_confidence)
          ++report.facings;
    } catch (const rekognition::ResourceNotReadyException& e) {
      report.status = AuditStatus::kModelNotReady;
      report.request_id = e.request_id();
      return report;
    }
    report.status = report.facings < rule_.min_facings ? AuditStatus::kFlagged : AuditStatus::kOk;
    return report;
  }

 private:
  rekognition::RekognitionApi& rekognition_;
  std::string project_version_arn_;
  ShelfRule rule_;
};

}  // namespace shelf

#endif  // REKOGNITION_EXAMPLES_TESTING_SHELF_AUDITOR_HPP
