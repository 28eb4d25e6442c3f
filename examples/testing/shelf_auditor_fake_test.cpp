// (a) Unit tests of ShelfAuditor against the interface, with a hand-written
// fake. No client, no HTTP: the fastest tests, for the business rule.
#include "shelf_auditor.hpp"

#include <rekognition/errors.hpp>
#include <rekognition/rekognition_api.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

constexpr const char* kModel =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/"
    "shelf-products.2024-05-01/1714560000000";

rekognition::CustomLabel Label(std::string name, double confidence) {
  rekognition::CustomLabel label;
  label.name = std::move(name);
  label.confidence = confidence;
  return label;
}

// The fake: returns canned labels (or throws a canned error) and remembers
// what it was asked.
class FakeRekognition : public rekognition::RekognitionApi {
 public:
  std::vector<rekognition::CustomLabel> labels;
  std::optional<std::string> error_code;  // throw this service error instead
  std::vector<rekognition::DetectCustomLabelsRequest> requests;

  rekognition::DetectCustomLabelsResult DetectCustomLabels(
      const rekognition::DetectCustomLabelsRequest& request) override {
    requests.push_back(request);
    if (error_code)  // the same mapping the client uses, so the right class is thrown
      rekognition::ThrowServiceError({*error_code, "from the fake", 400, "fake-request", 1, false});
    rekognition::DetectCustomLabelsResult result;
    result.custom_labels = labels;
    result.request_id = "fake-request";
    result.attempts = 1;
    return result;
  }
};

rekognition::Image Photo() { return rekognition::Image::FromS3("shelf-photos", "aisle-7.jpg"); }

}  // namespace

TEST_CASE("fake: a shelf with too few facings is flagged", "[shelf][fake]") {
  FakeRekognition fake;
  fake.labels = {Label("soda_can", 98.6), Label("soda_can", 91.0), Label("cereal_box", 96.1)};
  shelf::ShelfAuditor auditor(fake, kModel, {"soda_can", 3, 80});

  const shelf::AuditReport report = auditor.Audit(Photo());
  CHECK(report.status == shelf::AuditStatus::kFlagged);
  CHECK(report.facings == 2);
  CHECK(report.request_id == "fake-request");
}

TEST_CASE("fake: enough facings pass", "[shelf][fake]") {
  FakeRekognition fake;
  fake.labels = {Label("cereal_box", 96.1), Label("cereal_box", 94.5)};
  shelf::ShelfAuditor auditor(fake, kModel, {"cereal_box", 2, 80});
  CHECK(auditor.Audit(Photo()).status == shelf::AuditStatus::kOk);
}

TEST_CASE("fake: weak detections and other products do not count", "[shelf][fake]") {
  FakeRekognition fake;
  fake.labels = {Label("soda_can", 79.99), Label("soda_can", 80.0), Label("tea_box", 99.0)};
  shelf::ShelfAuditor auditor(fake, kModel, {"soda_can", 2, 80});
  const shelf::AuditReport report = auditor.Audit(Photo());
  CHECK(report.facings == 1);
  CHECK(report.status == shelf::AuditStatus::kFlagged);
}

TEST_CASE("fake: the request names the model, the photo and the rule's confidence",
          "[shelf][fake]") {
  FakeRekognition fake;
  shelf::ShelfAuditor auditor(fake, kModel, {"soda_can", 1, 85});
  auditor.Audit(Photo());
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].project_version_arn == kModel);
  CHECK(fake.requests[0].image == Photo());
  CHECK(fake.requests[0].min_confidence == 85);
  CHECK_FALSE(fake.requests[0].max_results.has_value());
}

TEST_CASE("fake: a stopped model is reported, other errors propagate", "[shelf][fake]") {
  FakeRekognition fake;
  shelf::ShelfAuditor auditor(fake, kModel, {"soda_can", 1, 80});
  fake.error_code = "ResourceNotReadyException";
  const shelf::AuditReport report = auditor.Audit(Photo());
  CHECK(report.status == shelf::AuditStatus::kModelNotReady);
  CHECK(report.request_id == "fake-request");

  fake.error_code = "AccessDeniedException";
  CHECK_THROWS_AS(auditor.Audit(Photo()), rekognition::AccessDeniedException);
}
