// (d) Unit tests of ShelfAuditor with a GoogleMock mock of the interface.
// RekognitionApi has one virtual method per operation, so MOCK_METHOD is
// all it takes.
#include "shelf_auditor.hpp"

#include <rekognition/errors.hpp>
#include <rekognition/rekognition_api.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

using ::testing::_;
using ::testing::Field;
using ::testing::Optional;
using ::testing::Return;
using ::testing::Throw;

constexpr const char* kModel =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/"
    "shelf-products.2024-05-01/1714560000000";

class MockRekognition : public rekognition::RekognitionApi {
 public:
  MOCK_METHOD(rekognition::DetectCustomLabelsResult, DetectCustomLabels,
              (const rekognition::DetectCustomLabelsRequest& request), (override));
};

rekognition::DetectCustomLabelsResult Found(const std::string& name, double confidence, int count) {
  rekognition::DetectCustomLabelsResult result;
  for (int i = 0; i < count; ++i) {
    rekognition::CustomLabel label;
    label.name = name;
    label.confidence = confidence;
    result.custom_labels.push_back(label);
  }
  return result;
}

TEST(ShelfAuditorWithMock, FlagsAShelfWithTooFewFacings) {
  MockRekognition mock;
  EXPECT_CALL(mock,
              DetectCustomLabels(AllOf(
                  Field(&rekognition::DetectCustomLabelsRequest::project_version_arn, kModel),
                  Field(&rekognition::DetectCustomLabelsRequest::min_confidence, Optional(80.0)))))
      .WillOnce(Return(Found("soda_can", 95, 2)));

  shelf::ShelfAuditor auditor(mock, kModel, {"soda_can", 3, 80});
  const shelf::AuditReport report = auditor.Audit(rekognition::Image::FromS3("photos", "a.png"));
  EXPECT_EQ(report.status, shelf::AuditStatus::kFlagged);
  EXPECT_EQ(report.facings, 2);
}

TEST(ShelfAuditorWithMock, ReportsAStoppedModel) {
  MockRekognition mock;
  EXPECT_CALL(mock, DetectCustomLabels(_))
      .WillOnce(Throw(rekognition::ResourceNotReadyException(
          {"ResourceNotReadyException", "not running", 400, "mock-request", 1, false})));

  shelf::ShelfAuditor auditor(mock, kModel, {"soda_can", 1, 80});
  const shelf::AuditReport report = auditor.Audit(rekognition::Image::FromS3("photos", "a.png"));
  EXPECT_EQ(report.status, shelf::AuditStatus::kModelNotReady);
  EXPECT_EQ(report.request_id, "mock-request");
}

}  // namespace
