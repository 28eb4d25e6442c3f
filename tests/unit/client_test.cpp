// The client end to end over the stub transport: wire format, signing inputs,
// retries, error mapping, validation before sending, thread safety.
#include <rekognition/client.hpp>
#include <rekognition/testing/stub_transport.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <regex>
#include <thread>

using namespace rekognition;
using std::chrono::milliseconds;

namespace {

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
constexpr const char* kLabelsBody =
    R"({"CustomLabels":[{"Name":"logo","Confidence":98.5,"Geometry":{"BoundingBox":)"
    R"({"Width":0.25,"Height":0.5,"Left":0.125,"Top":0.0625},"Polygon":[{"X":0.1,"Y":0.2}]}}]})";

// A 64x64 PNG header is all validation looks at.
std::string TinyPng() {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0dIHDR", 8);
  png += std::string("\0\0\0\x40\0\0\0\x40\x08\x02\0\0\0", 13);
  png += std::string("\0\0\0\0", 4);  // CRC (not checked client-side)
  return png;
}

DetectCustomLabelsRequest Request() {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromBytes(TinyPng());
  request.min_confidence = 70;
  return request;
}

struct Harness {
  std::shared_ptr<StubTransport> stub = std::make_shared<StubTransport>();
  std::vector<milliseconds> sleeps;
  std::vector<std::string> log;
  ClientConfig config;

  Harness() {
    config.region = "us-east-1";
    config.credentials =
        Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
    config.transport = stub;
    config.retry_policy =
        std::make_shared<StandardRetryPolicy>(StandardRetryOptions{}, [] { return 0.5; });
    config.clock = [] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
    };
    config.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    config.debug_log = [this](const std::string& line) { log.push_back(line); };
  }
  Client MakeClient() { return Client(config); }
};

HttpHeaders WithRequestId(const std::string& id) { return {{"x-amzn-RequestId", id}}; }

}  // namespace

TEST_CASE("a call sends the awsJson1_1 request the service expects", "[client]") {
  Harness h;
  h.stub->Respond(200, kLabelsBody, WithRequestId("req-1"));
  const auto result = h.MakeClient().DetectCustomLabels(Request());

  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels[0].name == "logo");
  CHECK(result.custom_labels[0].confidence == 98.5);
  REQUIRE(result.custom_labels[0].geometry);
  CHECK(result.custom_labels[0].geometry->bounding_box->left == 0.125);
  CHECK(result.custom_labels[0].geometry->polygon.size() == 1);
  CHECK(result.request_id == "req-1");
  CHECK(result.attempts == 1);

  const auto requests = h.stub->requests();
  REQUIRE(requests.size() == 1);
  const auto& sent = requests[0];
  CHECK(sent.method == "POST");
  CHECK(sent.url == "https://rekognition.us-east-1.amazonaws.com/");
  CHECK(*sent.Header("Content-Type") == "application/x-amz-json-1.1");
  CHECK(*sent.Header("X-Amz-Target") == "RekognitionService.DetectCustomLabels");
  CHECK(*sent.Header("Host") == "rekognition.us-east-1.amazonaws.com");
  CHECK(*sent.Header("X-Amz-Date") == "20150830T123600Z");
  CHECK(sent.Header("User-Agent")->rfind("rekognition-cpp/", 0) == 0);
  CHECK(*sent.Header("amz-sdk-request") == "attempt=1; max=3");
  CHECK(std::regex_match(
      *sent.Header("amz-sdk-invocation-id"),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(sent.Header("X-Amz-Security-Token") == nullptr);
  const std::string& auth = *sent.Header("Authorization");
  CHECK(auth.rfind(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/rekognition/aws4_request, ",
            0) == 0);
  CHECK(auth.find("SignedHeaders=") != std::string::npos);
  for (const char* header : {"content-type", "host", "x-amz-date", "x-amz-target"}) {
    INFO(header);
    CHECK(std::regex_search(
        auth, std::regex(std::string("SignedHeaders=([a-z0-9-]+;)*") + header + "[;,]")));
  }
  CHECK(auth.find("user-agent") == std::string::npos);
  CHECK(auth.find("wJalrXUtnFEMI") == std::string::npos);
  CHECK(sent.body == R"({"ProjectVersionArn":")" + std::string(kArn) + R"(","Image":{"Bytes":")" +
                         [] {
                           std::string b64;
                           detail::Base64EncodeAppend(b64, TinyPng());
                           return b64;
                         }() +
                         R"("},"MinConfidence":70.0})");
}

TEST_CASE("a session token is sent and signed", "[client]") {
  Harness h;
  h.config.credentials->session_token = "the-session-token";
  h.stub->Respond(200, R"({"CustomLabels":[]})");
  h.MakeClient().DetectCustomLabels(Request());
  const auto sent = h.stub->requests().at(0);
  REQUIRE(sent.Header("X-Amz-Security-Token"));
  CHECK(*sent.Header("X-Amz-Security-Token") == "the-session-token");
  CHECK(sent.Header("Authorization")->find("x-amz-security-token") != std::string::npos);
  for (const auto& line : h.log) CHECK(line.find("the-session-token") == std::string::npos);
}

TEST_CASE("5xx and throttling are retried with backoff; the invocation id stays", "[client]") {
  Harness h;
  h.stub->Respond(503, R"({"__type":"ServiceUnavailableException","message":"busy"})")
      .Respond(400, R"({"__type":"ThrottlingException","message":"slow down"})")
      .Respond(200, kLabelsBody, WithRequestId("req-3"));
  const auto result = h.MakeClient().DetectCustomLabels(Request());
  CHECK(result.attempts == 3);
  CHECK(result.request_id == "req-3");
  const auto requests = h.stub->requests();
  REQUIRE(requests.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(*requests[i].Header("amz-sdk-request") == "attempt=" + std::to_string(i + 1) + "; max=3");
    CHECK(*requests[i].Header("amz-sdk-invocation-id") ==
          *requests[0].Header("amz-sdk-invocation-id"));
  }
  CHECK(h.sleeps == std::vector<milliseconds>{milliseconds(500), milliseconds(1000)});
  REQUIRE(h.log.size() == 3);
  CHECK(h.log[0].find("503") != std::string::npos);
  CHECK(h.log[0].find("retrying in 500 ms") != std::string::npos);
}

TEST_CASE("each call gets its own invocation id", "[client]") {
  Harness h;
  h.stub->Respond(200, R"({"CustomLabels":[]})").Respond(200, R"({"CustomLabels":[]})");
  auto client = h.MakeClient();
  client.DetectCustomLabels(Request());
  client.DetectCustomLabels(Request());
  const auto requests = h.stub->requests();
  CHECK(*requests[0].Header("amz-sdk-invocation-id") !=
        *requests[1].Header("amz-sdk-invocation-id"));
}

TEST_CASE("throttling that never ends surfaces as ThrottlingException after 3 attempts",
          "[client]") {
  Harness h;
  for (int i = 0; i < 3; ++i)
    h.stub->Respond(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})",
                    WithRequestId("req-" + std::to_string(i)));
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const ThrottlingException& e) {
    CHECK(e.attempts() == 3);
    CHECK(e.retryable());
    CHECK(e.request_id() == "req-2");
    CHECK(e.message() == "Rate exceeded");
    CHECK(e.http_status() == 400);
  }
  CHECK(h.stub->requests().size() == 3);
  CHECK(h.stub->pending() == 0);
}

TEST_CASE("non-retryable errors are thrown at once", "[client]") {
  Harness h;
  h.stub->Respond(
      400,
      R"({"__type":"com.amazonaws.rekognition#ResourceNotReadyException","Message":"not running"})",
      WithRequestId("r"));
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const ResourceNotReadyException& e) {
    CHECK(e.attempts() == 1);
    CHECK_FALSE(e.retryable());
    CHECK(e.message() == "not running");
  }
  CHECK(h.stub->requests().size() == 1);
  CHECK(h.sleeps.empty());
}

TEST_CASE("an unknown 5xx is transient and retried", "[client]") {
  Harness h;
  h.stub->Respond(502, "<html>bad gateway</html>").Respond(200, R"({"CustomLabels":[]})");
  CHECK(h.MakeClient().DetectCustomLabels(Request()).attempts == 2);
}

TEST_CASE("network faults are retried, then surface as TransportError", "[client]") {
  Harness h;
  h.stub->Fail(TransportErrorKind::kTimeout).Respond(200, R"({"CustomLabels":[]})");
  CHECK(h.MakeClient().DetectCustomLabels(Request()).attempts == 2);

  Harness failing;
  for (int i = 0; i < 3; ++i) failing.stub->Fail(TransportErrorKind::kConnectFailure, "refused");
  try {
    failing.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kConnectFailure);
    CHECK(e.attempts() == 3);
    CHECK(e.retryable());
  }
}

TEST_CASE("the retry quota is shared by copies of a client", "[client]") {
  Harness h;
  auto policy = std::make_shared<StandardRetryPolicy>(StandardRetryOptions{}, [] { return 0.0; });
  h.config.retry_policy = policy;
  auto client = h.MakeClient();
  auto copy = client;
  h.stub->Respond(500, "").Respond(200, R"({"CustomLabels":[]})");
  client.DetectCustomLabels(Request());
  CHECK(policy->quota().available() == 500);  // retry cost refunded on success
  const char* internal = R"({"__type":"InternalServerError","message":"oops"})";
  h.stub->Respond(500, internal).Respond(500, internal).Respond(500, internal);
  CHECK_THROWS_AS(copy.DetectCustomLabels(Request()), InternalServerError);
  CHECK(policy->quota().available() == 490);
}

TEST_CASE("invalid requests never reach the transport", "[client]") {
  Harness h;
  auto client = h.MakeClient();
  auto request = Request();
  request.min_confidence = 101;
  try {
    client.DetectCustomLabels(request);
    FAIL("no exception");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "MinConfidence");
  }
  request = Request();
  request.project_version_arn = "not-an-arn";
  CHECK_THROWS_AS(client.DetectCustomLabels(request), ValidationError);
  request = Request();
  request.image = Image{};
  CHECK_THROWS_AS(client.DetectCustomLabels(request), ValidationError);
  CHECK(h.stub->requests().empty());
}

TEST_CASE("a 2xx with an unreadable body is an error, not a retry", "[client]") {
  Harness h;
  h.stub->Respond(200, R"({"CustomLabels":"oops"})");
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const ServiceError& e) {
    CHECK(e.code() == "MalformedResponse");
    CHECK(e.http_status() == 200);
  }
  CHECK(h.stub->requests().size() == 1);
}

TEST_CASE("XML error bodies from proxies and peers are understood", "[client]") {
  Harness h;
  h.stub->Respond(403,
                  "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
                  "<Message>The request signature we calculated does not match</Message></Error>"
                  "<RequestId>abc</RequestId></ErrorResponse>",
                  {{"Content-Type", "text/html"}});
  CHECK_THROWS_AS(h.MakeClient().DetectCustomLabels(Request()), SignatureDoesNotMatch);
}

TEST_CASE("an explicit endpoint URL is used as given", "[client]") {
  Harness h;
  h.config.endpoint_url = "http://127.0.0.1:8123";
  h.stub->Respond(200, R"({"CustomLabels":[]})");
  h.MakeClient().DetectCustomLabels(Request());
  const auto sent = h.stub->requests().at(0);
  CHECK(sent.url == "http://127.0.0.1:8123/");
  CHECK(*sent.Header("Host") == "127.0.0.1:8123");
}

TEST_CASE("configuration problems are typed errors, raised at the first call", "[client]") {
  Harness h;
  h.config.region.clear();
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  unsetenv("AWS_PROFILE");
  setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
  Client client(h.config);  // constructing never throws or resolves
  CHECK_THROWS_AS(client.DetectCustomLabels(Request()), ConfigurationError);

  Harness bad_endpoint;
  bad_endpoint.config.endpoint_url = "ftp://example.com";
  CHECK_THROWS_AS(bad_endpoint.MakeClient().DetectCustomLabels(Request()), ConfigurationError);
  CHECK(bad_endpoint.stub->requests().empty());
}

TEST_CASE("missing credentials are a CredentialsError", "[client]") {
  Harness h;
  h.config.credentials.reset();
  h.config.credentials_provider = std::make_shared<StaticCredentialsProvider>("", "");
  CHECK_THROWS_AS(h.MakeClient().DetectCustomLabels(Request()), CredentialsError);
  CHECK(h.stub->requests().empty());
}

TEST_CASE("one client serves many threads", "[client][concurrency]") {
  Harness h;
  h.config.debug_log = nullptr;
  constexpr int kThreads = 8, kCalls = 25;
  for (int i = 0; i < kThreads * kCalls; ++i) h.stub->Respond(200, kLabelsBody);
  auto client = h.MakeClient();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i)
        if (client.DetectCustomLabels(Request()).custom_labels.size() == 1) ++ok;
    });
  for (auto& thread : threads) thread.join();
  CHECK(ok == kThreads * kCalls);
  CHECK(h.stub->requests().size() == kThreads * kCalls);
}

// Credentials that live one minute on a clock that moves a second each time
// it is read: refreshed (at half-life) every few calls, so calls on other
// threads race each refresh. Each call must be signed with one issue's key
// and token.
class ShortLivedCredentialsProvider : public CredentialsProvider {
 public:
  explicit ShortLivedCredentialsProvider(
      std::function<std::chrono::system_clock::time_point()> clock)
      : clock_(std::move(clock)) {}
  Credentials GetCredentials() override {
    const int n = ++issued_;
    return Credentials{"AKIDREFRESH" + std::to_string(n), "refresh-secret-" + std::to_string(n),
                       "token-" + std::to_string(n), clock_() + std::chrono::seconds(60)};
  }
  int issued() const { return issued_.load(); }

 private:
  std::function<std::chrono::system_clock::time_point()> clock_;
  std::atomic<int> issued_{0};
};

TEST_CASE("credential refreshes racing calls on many threads", "[client][concurrency]") {
  Harness h;
  h.config.debug_log = nullptr;
  h.config.credentials.reset();
  auto ticks = std::make_shared<std::atomic<long long>>(0);
  const auto clock = [ticks] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1440938160 + (*ticks)++));
  };
  auto source = std::make_shared<ShortLivedCredentialsProvider>(clock);
  CachingCredentialsOptions options;
  options.clock = clock;
  h.config.credentials_provider = std::make_shared<CachingCredentialsProvider>(source, options);
  constexpr int kThreads = 8, kCalls = 25;
  for (int i = 0; i < kThreads * kCalls; ++i) h.stub->Respond(200, kLabelsBody);
  auto client = h.MakeClient();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i)
        if (client.DetectCustomLabels(Request()).custom_labels.size() == 1) ++ok;
    });
  for (auto& thread : threads) thread.join();
  CHECK(ok == kThreads * kCalls);
  CHECK(source->issued() > 1);
  // Every request carries a matching key id and session token from one issue.
  const std::regex key(R"(Credential=AKIDREFRESH(\d+)/)");
  for (const auto& request : h.stub->requests()) {
    const std::string* authorization = request.Header("Authorization");
    const std::string* token = request.Header("X-Amz-Security-Token");
    REQUIRE(authorization != nullptr);
    REQUIRE(token != nullptr);
    std::smatch match;
    REQUIRE(std::regex_search(*authorization, match, key));
    CHECK(*token == "token-" + match[1].str());
    CHECK(std::stoi(match[1].str()) <= source->issued());
  }
}

TEST_CASE("clock skew: the Date header corrects the signing time and the call is retried at once",
          "[client][skew]") {
  Harness h;
  // Our clock says 2015-08-30 12:36:00; the service says 15 minutes later.
  h.stub
      ->Respond(403, R"({"__type":"InvalidSignatureException","message":"Signature expired"})",
                {{"Date", "Sun, 30 Aug 2015 12:51:00 GMT"}})
      .Respond(200, R"({"CustomLabels":[]})")
      .Respond(200, R"({"CustomLabels":[]})");
  auto client = h.MakeClient();
  const auto result = client.DetectCustomLabels(Request());
  CHECK(result.attempts == 2);
  CHECK(h.sleeps.empty());
  auto requests = h.stub->requests();
  REQUIRE(requests.size() == 2);
  CHECK(*requests[0].Header("X-Amz-Date") == "20150830T123600Z");
  CHECK(*requests[1].Header("X-Amz-Date") == "20150830T125100Z");
  // Later calls keep the correction.
  client.DetectCustomLabels(Request());
  CHECK(*h.stub->requests()[2].Header("X-Amz-Date") == "20150830T125100Z");
}

TEST_CASE("clock skew: a small difference or a non-skew error changes nothing", "[client][skew]") {
  Harness h;
  h.stub->Respond(403, R"({"__type":"InvalidSignatureException","message":"bad"})",
                  {{"Date", "Sun, 30 Aug 2015 12:38:00 GMT"}});
  CHECK_THROWS_AS(h.MakeClient().DetectCustomLabels(Request()), InvalidSignatureException);
  CHECK(h.stub->requests().size() == 1);

  Harness other;
  other.stub->Respond(400, R"({"__type":"AccessDeniedException","message":"no"})",
                      {{"Date", "Sun, 30 Aug 2015 14:00:00 GMT"}});
  CHECK_THROWS_AS(other.MakeClient().DetectCustomLabels(Request()), AccessDeniedException);
  CHECK(other.stub->requests().size() == 1);
}

TEST_CASE("clock skew is corrected only once per call", "[client][skew]") {
  Harness h;
  for (int i = 0; i < 3; ++i)
    h.stub->Respond(
        403, R"({"__type":"SignatureDoesNotMatch","message":"bad"})",
        {{"Date", i == 0 ? "Sun, 30 Aug 2015 13:36:00 GMT" : "Sun, 30 Aug 2015 15:36:00 GMT"}});
  CHECK_THROWS_AS(h.MakeClient().DetectCustomLabels(Request()), SignatureDoesNotMatch);
  CHECK(h.stub->requests().size() == 2);
}

TEST_CASE("clock skew: calls signed before another call's correction still get their retry",
          "[client][skew][concurrency]") {
  Harness h;
  h.config.debug_log = nullptr;
  std::atomic<int> stale_arrivals{0};
  auto handler = [&stale_arrivals](const HttpRequest& request) -> HttpResult {
    if (*FindHeader(request.headers, "X-Amz-Date") == "20150830T123600Z") {
      // Hold both stale attempts until each has arrived, so both were signed
      // before either correction.
      ++stale_arrivals;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (stale_arrivals < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
      return HttpResponse{
          403,
          {{"Date", "Sun, 30 Aug 2015 12:51:00 GMT"}},
          R"({"__type":"InvalidSignatureException","message":"Signature expired"})"};
    }
    return HttpResponse{200, {}, R"({"CustomLabels":[]})"};
  };
  for (int i = 0; i < 4; ++i) h.stub->Handle(handler);
  auto client = h.MakeClient();
  std::atomic<int> ok{0};
  std::thread a([&] { ok += client.DetectCustomLabels(Request()).attempts == 2; });
  std::thread b([&] { ok += client.DetectCustomLabels(Request()).attempts == 2; });
  a.join();
  b.join();
  CHECK(ok == 2);
}

TEST_CASE("secrets echoed by a service in an error message are redacted", "[client]") {
  Harness h;
  h.config.credentials->session_token = "TOKEN-abc123";
  h.stub->Respond(
      403,
      R"({"__type":"InvalidSignatureException","message":"canonical: x-amz-security-token:TOKEN-abc123 secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"})");
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const InvalidSignatureException& e) {
    CHECK(std::string(e.what()).find("TOKEN-abc123") == std::string::npos);
    CHECK(std::string(e.what()).find("wJalrXUtnFEMI") == std::string::npos);
    CHECK(e.message().find("x-amz-security-token:<redacted>") != std::string::npos);
  }
}
