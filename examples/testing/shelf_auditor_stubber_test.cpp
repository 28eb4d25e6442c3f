// (b) Unit tests of ShelfAuditor with rekognition::Stubber: a real Client
// whose transport is a queue of expected calls. Every stubbed answer goes
// through the real serializer, signer, parser, error mapping and retries, so
// these tests also prove the auditor copes with what production sends back.
#include "shelf_auditor.hpp"

#include <rekognition/testing/stubber.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

constexpr const char* kModel =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/"
    "shelf-products.2024-05-01/1714560000000";

rekognition::Image ShelfPhoto() {
  return rekognition::Image::FromFile(REKOGNITION_EXAMPLES_DATA_DIR "/shelf.png");
}

rekognition::DetectCustomLabelsResult Labels(
    const std::vector<std::pair<std::string, double>>& found) {
  rekognition::DetectCustomLabelsResult result;
  for (const auto& [name, confidence] : found) {
    rekognition::CustomLabel label;
    label.name = name;
    label.confidence = confidence;
    result.custom_labels.push_back(label);
  }
  return result;
}

// The request the auditor is expected to send for ShelfPhoto().
rekognition::DetectCustomLabelsRequest ExpectedAuditRequest(double min_confidence) {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kModel;
  request.image = ShelfPhoto();
  request.min_confidence = min_confidence;
  return request;
}

}  // namespace

TEST_CASE("stubber: the auditor sends the expected request and applies the rule",
          "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();  // no credentials, region or network needed
  shelf::ShelfAuditor auditor(client, kModel, {"soda_can", 3, 80});

  stubber.AddResponse(Labels({{"soda_can", 98.61}, {"soda_can", 91.07}, {"cereal_box", 96.12}}),
                      ExpectedAuditRequest(80));

  const shelf::AuditReport report = auditor.Audit(ShelfPhoto());
  CHECK(report.status == shelf::AuditStatus::kFlagged);
  CHECK(report.facings == 2);
  CHECK(report.request_id == "stub-request-1");
  stubber.AssertNoPendingResponses();
}

TEST_CASE("stubber: only the fields the test cares about are checked", "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();
  shelf::ShelfAuditor auditor(client, kModel, {"cereal_box", 2, 90});

  rekognition::ExpectedRequest expected;  // everything Any ...
  expected.min_confidence = 90;           // ... except the rule's threshold
  stubber.AddResponse(Labels({{"cereal_box", 96.12}, {"cereal_box", 94.55}}), expected);

  CHECK(auditor.Audit(rekognition::Image::FromS3("photos", "aisle-3.png")).status ==
        shelf::AuditStatus::kOk);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("stubber: throttling is retried by the client, invisibly to the auditor",
          "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();
  shelf::ShelfAuditor auditor(client, kModel, {"soda_can", 1, 80});

  // One queued answer per attempt: throttled first, then the labels.
  stubber.AddError("ThrottlingException", "Rate exceeded", 500, ExpectedAuditRequest(80));
  stubber.AddResponse(Labels({{"soda_can", 98.61}}), ExpectedAuditRequest(80));

  const shelf::AuditReport report = auditor.Audit(ShelfPhoto());
  CHECK(report.status == shelf::AuditStatus::kOk);
  CHECK(report.request_id == "stub-request-2");  // the second attempt answered
  CHECK(stubber.requests().size() == 2);         // the retry happened
  CHECK(stubber.sleeps().size() == 1);           // with one backoff, not actually slept
  stubber.AssertNoPendingResponses();
}

TEST_CASE("stubber: a stopped model is reported, not thrown", "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();
  shelf::ShelfAuditor auditor(client, kModel, {"soda_can", 1, 80});

  rekognition::StubResponseOptions options;
  options.request_id = "4a1f-not-ready";
  stubber.AddError("ResourceNotReadyException", "ProjectVersion is not running", 400,
                   ExpectedAuditRequest(80), options);

  const shelf::AuditReport report = auditor.Audit(ShelfPhoto());
  CHECK(report.status == shelf::AuditStatus::kModelNotReady);
  CHECK(report.request_id == "4a1f-not-ready");
  CHECK(stubber.requests().size() == 1);  // not retried: it would not help
  stubber.AssertNoPendingResponses();
}

TEST_CASE("stubber: other service errors reach the caller as typed exceptions",
          "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();
  shelf::ShelfAuditor auditor(client, kModel, {"soda_can", 1, 80});

  stubber.AddError("AccessDeniedException", "User is not authorized", 400);
  CHECK_THROWS_AS(auditor.Audit(ShelfPhoto()), rekognition::AccessDeniedException);

  // Throttled on every attempt: the client gives up after three.
  for (int i = 0; i < 3; ++i) stubber.AddError("ThrottlingException", "Rate exceeded");
  try {
    auditor.Audit(ShelfPhoto());
    FAIL("expected a ThrottlingException");
  } catch (const rekognition::ThrottlingException& e) {
    CHECK(e.attempts() == 3);
  }
  stubber.AssertNoPendingResponses();
}

TEST_CASE("stubber: a wrong request fails the test with a readable diff", "[shelf][stubber]") {
  rekognition::Stubber stubber;
  rekognition::Client client = stubber.MakeClient();
  shelf::ShelfAuditor auditor(client, kModel, {"soda_can", 1, 75});  // not the 80 expected below

  stubber.AddResponse(Labels({}), ExpectedAuditRequest(80));
  // StubAssertionError is not a rekognition::Error, so the auditor's
  // error handling cannot hide it.
  CHECK_THROWS_WITH(auditor.Audit(ShelfPhoto()),
                    Catch::Contains("MinConfidence\n    expected: 80\n    actual:   75"));
}
