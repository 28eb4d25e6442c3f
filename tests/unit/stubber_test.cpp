// The Stubber: queued expectations checked against the real wire request,
// readable mismatch reports, wildcards, error mapping, retries, unexpected
// and leftover calls, clients built without any environment.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/testing/stubber.hpp>

#include <catch2/catch.hpp>

#include "env_guard.hpp"

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

using namespace rekognition;

namespace stubber_test {

namespace {

constexpr const char* kStubArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/version/shelf.3/1714560000000";
constexpr const char* kOtherArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/version/shelf.4/1714560000001";

// A PNG header of the given size: all the client's validation reads.
std::string PngHeader(unsigned width, unsigned height, char filler = 0) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0dIHDR", 8);
  const auto be32 = [&png](unsigned v) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xff);
  };
  be32(width);
  be32(height);
  png += std::string("\x08\x02\0\0\0", 5);
  png += std::string("\0\0\0\0", 4);
  png += std::string(32, filler);  // stands in for the image data
  return png;
}

DetectCustomLabelsRequest ShelfRequest() {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kStubArn;
  request.image = Image::FromBytes(PngHeader(640, 480));
  request.min_confidence = 80;
  return request;
}

DetectCustomLabelsResult TwoLabels() {
  DetectCustomLabelsResult result;
  CustomLabel cola;
  cola.name = "cola";
  cola.confidence = 97.25;
  Geometry geometry;
  geometry.bounding_box = BoundingBox{0.25, 0.5, 0.125, 0.0625};
  geometry.polygon = {{0.1, 0.2}, {0.3, 0.4}};
  cola.geometry = geometry;
  CustomLabel water;
  water.name = "water";
  water.confidence = 81.5;
  result.custom_labels = {cola, water};
  return result;
}

// Runs `call` and returns the StubAssertionError it throws. Fails the test
// if it throws anything else, in particular a rekognition::Error.
StubAssertionError CaptureAssertion(const std::function<void()>& call) {
  try {
    call();
  } catch (const StubAssertionError& e) {
    return e;
  } catch (const Error& e) {
    FAIL("expected StubAssertionError, got rekognition::Error: " << e.what());
  }
  FAIL("expected StubAssertionError, nothing was thrown");
  throw std::logic_error("unreachable");
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Unsets the AWS_* variables a client could read, restoring them afterwards.
class ScopedNoAwsEnvironment : public testing_support::ScopedEnvironment {
 public:
  ScopedNoAwsEnvironment() {
    for (const char* name :
         {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_REKOGNITION",
          "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"})
      Unset(name);
  }
};

}  // namespace

TEST_CASE("stubber: a queued response travels through the real client", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  const DetectCustomLabelsRequest request = ShelfRequest();
  stubber.AddResponse(TwoLabels(), request);

  const DetectCustomLabelsResult result = client.DetectCustomLabels(request);
  CHECK(result.custom_labels == TwoLabels().custom_labels);
  CHECK(result.attempts == 1);
  CHECK(result.request_id == "stub-request-1");
  CHECK(stubber.pending() == 0);
  CHECK_NOTHROW(stubber.AssertNoPendingResponses());

  // The stubber saw the request as the service would: decoded from the
  // signed wire body.
  const auto requests = stubber.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0] == request);
  const auto http = stubber.http_requests();
  REQUIRE(http.size() == 1);
  REQUIRE(http[0].Header("Authorization") != nullptr);
  CHECK(Contains(*http[0].Header("Authorization"), "AWS4-HMAC-SHA256"));
  CHECK(*http[0].Header("X-Amz-Target") == "RekognitionService.DetectCustomLabels");
  CHECK(http[0].url == "https://rekognition.us-east-1.amazonaws.com/");
}

TEST_CASE("stubber: request ids come from the options, else the result", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  DetectCustomLabelsResult with_id = TwoLabels();
  with_id.request_id = "from-result";
  stubber.AddResponse(with_id);
  StubResponseOptions options;
  options.request_id = "from-options";
  stubber.AddResponse(with_id, {}, options);
  CHECK(client.DetectCustomLabels(ShelfRequest()).request_id == "from-result");
  CHECK(client.DetectCustomLabels(ShelfRequest()).request_id == "from-options");
}

TEST_CASE("stubber: a mismatch throws a readable diff, not a rekognition::Error", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  stubber.AddResponse(TwoLabels(), ShelfRequest());

  DetectCustomLabelsRequest sent = ShelfRequest();
  sent.min_confidence = 70;
  sent.image = Image::FromBytes(PngHeader(800, 600, 'x'));
  const StubAssertionError error = CaptureAssertion([&] { client.DetectCustomLabels(sent); });
  const std::string what = error.what();
  INFO(what);

  REQUIRE(error.differences().size() == 2);
  CHECK(error.differences()[0].field == "Image");
  CHECK(error.differences()[1].field == "MinConfidence");
  CHECK(error.differences()[1].expected == "80");
  CHECK(error.differences()[1].actual == "70");
  CHECK(Contains(what, "DetectCustomLabels call #1 does not match"));
  CHECK(Contains(what, "2 fields differ"));
  CHECK(Contains(what, "  MinConfidence\n    expected: 80\n    actual:   70"));
  // Images by size and hash prefix, never the bytes.
  CHECK(Contains(
      what, "expected: Bytes (" + std::to_string(PngHeader(640, 480).size()) + " bytes, sha256 "));
  CHECK(Contains(what, "actual:   Bytes (" + std::to_string(PngHeader(800, 600, 'x').size()) +
                           " bytes, sha256 "));
  CHECK_FALSE(Contains(what, "PNG"));
  CHECK_FALSE(Contains(what, "xxxxxxxx"));
  CHECK_FALSE(Contains(what, "iVBOR"));  // base64 of the PNG signature
  // Fields that match are not listed.
  CHECK_FALSE(Contains(what, "ProjectVersionArn"));
}

TEST_CASE("stubber: S3 images and ARNs are described field by field", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  DetectCustomLabelsRequest expected = ShelfRequest();
  expected.image = Image::FromS3("shelf-photos", "aisle-7.jpg", std::string("v2"));
  stubber.AddResponse(TwoLabels(), expected);

  DetectCustomLabelsRequest sent = expected;
  sent.project_version_arn = kOtherArn;
  sent.image = Image::FromS3("shelf-photos", "aisle-8.jpg");
  const StubAssertionError error = CaptureAssertion([&] { client.DetectCustomLabels(sent); });
  REQUIRE(error.differences().size() == 2);
  CHECK(error.differences()[0].field == "ProjectVersionArn");
  CHECK(error.differences()[0].expected == std::string("\"") + kStubArn + "\"");
  CHECK(error.differences()[0].actual == std::string("\"") + kOtherArn + "\"");
  CHECK(error.differences()[1].expected ==
        "S3Object {Bucket: \"shelf-photos\", Name: \"aisle-7.jpg\", Version: \"v2\"}");
  CHECK(error.differences()[1].actual ==
        "S3Object {Bucket: \"shelf-photos\", Name: \"aisle-8.jpg\"}");
}

TEST_CASE("stubber: Any matches whatever was sent, nullopt means unset", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();

  SECTION("a default ExpectedRequest matches any request") {
    stubber.AddResponse(TwoLabels());
    DetectCustomLabelsRequest sent = ShelfRequest();
    sent.max_results = 3;
    CHECK(client.DetectCustomLabels(sent).custom_labels.size() == 2);
  }
  SECTION("wildcards on some fields, exact values on the others") {
    ExpectedRequest expected = ShelfRequest();
    expected.image = Any{};
    expected.min_confidence = Any{};
    stubber.AddResponse(TwoLabels(), expected);
    stubber.AddResponse(TwoLabels(), expected);
    DetectCustomLabelsRequest sent = ShelfRequest();
    sent.image = Image::FromS3("bucket", "key.png");
    sent.min_confidence = 12.5;
    CHECK_NOTHROW(client.DetectCustomLabels(sent));
    sent.project_version_arn = kOtherArn;  // not a wildcard: must differ
    const StubAssertionError error = CaptureAssertion([&] { client.DetectCustomLabels(sent); });
    REQUIRE(error.differences().size() == 1);
    CHECK(error.differences()[0].field == "ProjectVersionArn");
  }
  SECTION("an expected nullopt requires the member to be absent") {
    ExpectedRequest expected;
    expected.max_results = std::nullopt;
    expected.min_confidence = 80;
    stubber.AddResponse(TwoLabels(), expected);
    DetectCustomLabelsRequest sent = ShelfRequest();
    sent.max_results = 5;
    const StubAssertionError error = CaptureAssertion([&] { client.DetectCustomLabels(sent); });
    REQUIRE(error.differences().size() == 1);
    CHECK(error.differences()[0].field == "MaxResults");
    CHECK(error.differences()[0].expected == "(not set)");
    CHECK(error.differences()[0].actual == "5");
  }
  CHECK(Expect<int>(Any{}).is_any());
  CHECK_FALSE(Expect<int>(3).is_any());
  CHECK_THROWS_AS(Expect<int>(Any{}).value(), std::logic_error);
}

TEST_CASE("stubber: leftover answers fail AssertNoPendingResponses", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  stubber.AddResponse(TwoLabels()).AddError("ThrottlingException", "slow down");
  client.DetectCustomLabels(ShelfRequest());
  CHECK(stubber.pending() == 1);
  const StubAssertionError error = CaptureAssertion([&] { stubber.AssertNoPendingResponses(); });
  CHECK(Contains(error.what(), "1 queued answer(s) were never requested"));
  CHECK(Contains(error.what(), "an error (ThrottlingException)"));
}

TEST_CASE("stubber: a swallowed mismatch is still reported at the end", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  ExpectedRequest expected;
  expected.min_confidence = 99;
  stubber.AddResponse(TwoLabels(), expected);
  // Code under test that catches everything cannot hide the failure.
  try {
    client.DetectCustomLabels(ShelfRequest());
  } catch (...) {
  }
  CHECK(stubber.failures().size() == 1);
  const StubAssertionError error = CaptureAssertion([&] { stubber.AssertNoPendingResponses(); });
  CHECK(Contains(error.what(), "failed their expectations earlier"));
  CHECK(Contains(error.what(), "MinConfidence"));
  stubber.Reset();
  CHECK_NOTHROW(stubber.AssertNoPendingResponses());
}

TEST_CASE("stubber: a call with nothing queued is a clear error", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  const StubAssertionError error =
      CaptureAssertion([&] { client.DetectCustomLabels(ShelfRequest()); });
  const std::string what = error.what();
  INFO(what);
  CHECK(Contains(what, "unexpected DetectCustomLabels call #1: nothing is queued"));
  CHECK(Contains(what, std::string("ProjectVersionArn=\"") + kStubArn + "\""));
  CHECK(Contains(what, "MinConfidence=80"));
  CHECK(Contains(what, "MaxResults=(not set)"));
  CHECK(Contains(what, "Image=Bytes (" + std::to_string(PngHeader(640, 480).size()) + " bytes"));
  CHECK_FALSE(Contains(what, "PNG"));
  CHECK(stubber.failures().size() == 1);
}

TEST_CASE("stubber: errors become the exception classes production throws", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();

  SECTION("ResourceNotReadyException") {
    stubber.AddError("ResourceNotReadyException", "The model version is not running.");
    try {
      client.DetectCustomLabels(ShelfRequest());
      FAIL("nothing thrown");
    } catch (const ResourceNotReadyException& e) {
      CHECK(e.code() == "ResourceNotReadyException");
      CHECK(e.message() == "The model version is not running.");
      CHECK(e.http_status() == 400);
      CHECK(e.request_id() == "stub-request-1");
      CHECK(e.attempts() == 1);
      CHECK_FALSE(e.retryable());
    }
    CHECK(stubber.requests().size() == 1);  // not retried
  }
  SECTION("each modeled code maps to its class") {
    using Check = std::function<bool(const Error&)>;
    const std::vector<std::pair<std::string, Check>> cases = {
        {"AccessDeniedException",
         [](const Error& e) { return dynamic_cast<const AccessDeniedException*>(&e) != nullptr; }},
        {"InvalidImageFormatException",
         [](const Error& e) {
           return dynamic_cast<const InvalidImageFormatException*>(&e) != nullptr;
         }},
        {"ResourceNotFoundException",
         [](const Error& e) {
           return dynamic_cast<const ResourceNotFoundException*>(&e) != nullptr;
         }},
        {"InvalidParameterException",
         [](const Error& e) {
           return dynamic_cast<const InvalidParameterException*>(&e) != nullptr;
         }},
        {"UnrecognizedClientException",
         [](const Error& e) { return dynamic_cast<const AuthError*>(&e) != nullptr; }},
        {"SomethingNew", [](const Error& e) { return typeid(e) == typeid(ServiceError); }},
    };
    for (const auto& entry : cases) {
      stubber.AddError(entry.first, "stubbed");
      try {
        client.DetectCustomLabels(ShelfRequest());
        FAIL("nothing thrown for " << entry.first);
      } catch (const Error& e) {
        INFO(entry.first << " -> " << typeid(e).name());
        CHECK(entry.second(e));
        CHECK(e.code() == entry.first);
      }
    }
    CHECK_NOTHROW(stubber.AssertNoPendingResponses());
  }
  SECTION("request id and headers options reach the exception") {
    StubResponseOptions options;
    options.request_id = "0f1e2d3c-req";
    options.headers = {{"x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/"}};
    stubber.AddError("AccessDeniedException", "no", 400, {}, options);
    try {
      client.DetectCustomLabels(ShelfRequest());
      FAIL("nothing thrown");
    } catch (const AccessDeniedException& e) {
      CHECK(e.request_id() == "0f1e2d3c-req");
    }
  }
}

TEST_CASE("stubber: retries consume queued answers in order", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  const DetectCustomLabelsRequest request = ShelfRequest();

  SECTION("throttling, then success") {
    stubber.AddError("ThrottlingException", "Rate exceeded", 400, request);
    stubber.AddResponse(TwoLabels(), request);
    const auto result = client.DetectCustomLabels(request);
    CHECK(result.attempts == 2);
    CHECK(result.request_id == "stub-request-2");
    CHECK(result.custom_labels == TwoLabels().custom_labels);
    CHECK(stubber.sleeps().size() == 1);  // one backoff, not actually slept
    const auto http = stubber.http_requests();
    REQUIRE(http.size() == 2);
    CHECK(Contains(*http[0].Header("amz-sdk-request"), "attempt=1"));
    CHECK(Contains(*http[1].Header("amz-sdk-request"), "attempt=2"));
    CHECK_NOTHROW(stubber.AssertNoPendingResponses());
  }
  SECTION("a 500, a timeout, then success") {
    stubber.AddError("InternalServerError", "oops", 500)
        .AddTransportFailure(TransportErrorKind::kTimeout)
        .AddResponse(TwoLabels());
    CHECK(client.DetectCustomLabels(request).attempts == 3);
    CHECK(stubber.sleeps().size() == 2);
  }
  SECTION("throttled until the attempts run out") {
    for (int i = 0; i < 3; ++i) stubber.AddError("ThrottlingException", "Rate exceeded");
    try {
      client.DetectCustomLabels(request);
      FAIL("nothing thrown");
    } catch (const ThrottlingException& e) {
      CHECK(e.attempts() == 3);
      CHECK(e.retryable());
      CHECK(e.request_id() == "stub-request-3");
    }
    CHECK(stubber.pending() == 0);
  }
  SECTION("a raw HTML 502 from a proxy, then success") {
    HttpResponse bad_gateway;
    bad_gateway.status = 502;
    bad_gateway.headers = {{"Content-Type", "text/html"}};
    bad_gateway.body = "<html><body>Bad Gateway</body></html>";
    stubber.AddHttpResponse(bad_gateway).AddResponse(TwoLabels());
    CHECK(client.DetectCustomLabels(request).attempts == 2);
  }
  SECTION("a retry that sends something else fails its expectation") {
    stubber.AddError("ThrottlingException", "Rate exceeded", 400, request);
    ExpectedRequest other = request;
    other.max_results = 1;
    stubber.AddResponse(TwoLabels(), other);
    const StubAssertionError error = CaptureAssertion([&] { client.DetectCustomLabels(request); });
    CHECK(Contains(error.what(), "call #2"));
    CHECK(Contains(error.what(), "MaxResults"));
  }
}

TEST_CASE("stubber: validation runs before the stub is reached", "[stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  stubber.AddResponse(TwoLabels());
  DetectCustomLabelsRequest bad = ShelfRequest();
  bad.min_confidence = 101;
  CHECK_THROWS_AS(client.DetectCustomLabels(bad), ValidationError);
  CHECK(stubber.requests().empty());
  CHECK(stubber.pending() == 1);
}

TEST_CASE("stubber: clients for tests need no credentials, region or network", "[stubber]") {
  ScopedNoAwsEnvironment no_environment;
  // Constructing a default client resolves nothing.
  CHECK_NOTHROW(Client());

  Stubber stubber;
  Client client = stubber.MakeClient();
  stubber.AddResponse(TwoLabels());
  CHECK(client.DetectCustomLabels(ShelfRequest()).custom_labels.size() == 2);
  CHECK(client.config().region == "us-east-1");

  SECTION("what the test sets is kept") {
    std::vector<std::chrono::milliseconds> slept;
    ClientConfig config;
    config.region = "eu-west-1";
    config.credentials = Credentials{"AKIDTEST", "test-secret", "session-token", std::nullopt};
    config.sleep = [&slept](std::chrono::milliseconds d) { slept.push_back(d); };
    Client custom = stubber.MakeClient(config);
    stubber.AddError("ThrottlingException", "Rate exceeded").AddResponse(TwoLabels());
    CHECK(custom.DetectCustomLabels(ShelfRequest()).attempts == 2);
    CHECK(slept.size() == 1);
    CHECK(stubber.sleeps().empty());
    const auto http = stubber.http_requests();
    CHECK(http.back().url == "https://rekognition.eu-west-1.amazonaws.com/");
    REQUIRE(http.back().Header("X-Amz-Security-Token") != nullptr);
    CHECK(Contains(*http.back().Header("Authorization"), "Credential=AKIDTEST/"));
    CHECK(Contains(*http.back().Header("Authorization"), "/eu-west-1/rekognition/"));
  }
}

TEST_CASE("stubber: copies share one queue; the client works as a RekognitionApi", "[stubber]") {
  Stubber stubber;
  Stubber copy = stubber;
  copy.AddResponse(TwoLabels());
  Client client = stubber.MakeClient();
  RekognitionApi& api = client;
  CHECK(api.DetectCustomLabels(ShelfRequest()).custom_labels.size() == 2);
  CHECK(copy.pending() == 0);
  CHECK(copy.requests().size() == 1);
}

TEST_CASE("stubber: many threads share one stubber", "[stubber][concurrency]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 25;
  for (int i = 0; i < kThreads * kCallsPerThread; ++i) stubber.AddResponse(TwoLabels());
  std::vector<std::thread> threads;
  std::vector<int> successes(kThreads, 0);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i)
        if (client.DetectCustomLabels(ShelfRequest()).custom_labels.size() == 2) ++successes[t];
    });
  for (auto& thread : threads) thread.join();
  for (int count : successes) CHECK(count == kCallsPerThread);
  CHECK(stubber.requests().size() == static_cast<std::size_t>(kThreads * kCallsPerThread));
  CHECK_NOTHROW(stubber.AssertNoPendingResponses());
}

TEST_CASE("stubber: only DetectCustomLabels with a readable body is accepted", "[stubber]") {
  Stubber stubber;
  stubber.AddResponse(TwoLabels());
  const auto transport = stubber.transport();
  HttpRequest request;
  request.url = "https://rekognition.us-east-1.amazonaws.com/";
  request.headers = {{"X-Amz-Target", "RekognitionService.DetectLabels"}};
  request.body = "{}";
  StubAssertionError error = CaptureAssertion([&] { transport->Send(request); });
  CHECK(Contains(error.what(), "RekognitionService.DetectLabels"));
  request.headers = {{"X-Amz-Target", "RekognitionService.DetectCustomLabels"}};
  request.body = "{\"ProjectVersionArn\": 5}";
  error = CaptureAssertion([&] { transport->Send(request); });
  CHECK(Contains(error.what(), "would not read"));
  CHECK(Contains(error.what(), "ProjectVersionArn"));
  CHECK(stubber.pending() == 1);  // neither consumed the queued answer
}

TEST_CASE("MakeClient ignores the machine's AWS environment", "[stubber]") {
  testing_support::ScopedEnvironment environment(
      {{"AWS_MAX_ATTEMPTS", "1"}, {"AWS_RETRY_MODE", "bogus"}, {"AWS_PROFILE", "no-such-profile"}});
  rekognition::Stubber stubber;
  auto client = stubber.MakeClient();
  stubber.AddError("ThrottlingException", "slow down")
      .AddResponse(rekognition::DetectCustomLabelsResult{});
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000";
  request.image = rekognition::Image::FromS3("bucket", "key.png");
  CHECK(client.DetectCustomLabels(request).attempts == 2);
  stubber.AssertNoPendingResponses();
}

}  // namespace stubber_test
