// The client end to end over the stub transport: wire format, signing inputs,
// retries, error mapping, validation before sending, thread safety.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/client_core.hpp>  // the pipeline stage by stage
#include <rekognition/testing/stub_transport.hpp>

#include <catch2/catch.hpp>

#include "env_guard.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <regex>
#include <thread>

using namespace rekognition;
using std::chrono::milliseconds;

namespace client_test {

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
  testing_support::ScopedEnvironment environment(
      {{"AWS_REGION", std::nullopt},
       {"AWS_DEFAULT_REGION", std::nullopt},
       {"AWS_PROFILE", std::nullopt},
       {"AWS_CONFIG_FILE", "/nonexistent/config"},
       {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}});
  Client client(h.config);  // constructing never throws or resolves
  CHECK_THROWS_AS(client.DetectCustomLabels(Request()), ConfigurationError);

  Harness bad_endpoint;
  bad_endpoint.config.endpoint_url = "ftp://example.com";
  CHECK_THROWS_AS(bad_endpoint.MakeClient().DetectCustomLabels(Request()), ConfigurationError);
  CHECK(bad_endpoint.stub->requests().empty());

  // Set but empty is a mistake, never "use the real service".
  for (const char* url : {"", "http://127.0.0.1:70000", "http://127.0.0.1:8080/a b"}) {
    INFO("'" << url << "'");
    Harness empty_endpoint;
    empty_endpoint.config.endpoint_url = url;
    CHECK_THROWS_AS(empty_endpoint.MakeClient().DetectCustomLabels(Request()), ConfigurationError);
    CHECK(empty_endpoint.stub->requests().empty());
  }
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

// ----------------------------------------------------------------- hostile peers

namespace {

// What a call that must fail leaves behind: the message, code and request id
// of its exception, and every debug line.
struct Failure {
  std::string what, code, message, request_id;
  std::string log;
};

Failure FailWith(Harness& h) {
  Failure out;
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const Error& e) {
    out.what = e.what();
    out.code = e.code();
    out.message = e.message();
    out.request_id = e.request_id();
  }
  for (const auto& line : h.log) out.log += line + "\n";
  return out;
}

void CheckNoSecret(const Failure& failure, const std::string& secret) {
  INFO(failure.what << "\n" << failure.log);
  for (const std::string* text :
       {&failure.what, &failure.code, &failure.message, &failure.request_id, &failure.log}) {
    // Not even its first or last 6 characters: a cut secret is still a leak.
    CHECK(text->find(secret.substr(0, 6)) == std::string::npos);
    CHECK(text->find(secret.substr(secret.size() - 6)) == std::string::npos);
  }
}

constexpr const char* kToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKENvalue1234567890";

}  // namespace

TEST_CASE("a session token echoed anywhere in an error answer never leaves the client",
          "[client][secrets]") {
  const std::string token = kToken;
  const auto harness = [] {
    auto h = std::make_unique<Harness>();
    h->config.credentials->session_token = kToken;
    h->config.retry.max_attempts = 1;
    h->config.retry_policy =
        std::make_shared<StandardRetryPolicy>(StandardRetryOptions{1}, [] { return 0.0; });
    return h;
  };
  // In __type, the x-amzn-ErrorType header, an XML <Code>, and the request id.
  auto h = harness();
  h->stub->Respond(400, R"({"__type":"com.amazon#)" + token + R"(","message":"no"})",
                   WithRequestId("id-" + token));
  CheckNoSecret(FailWith(*h), token);
  h = harness();
  h->stub->Respond(400, "{}", {{"x-amzn-ErrorType", token + ":http://internal"}});
  CheckNoSecret(FailWith(*h), token);
  h = harness();
  h->stub->Respond(403, "<Error><Code>" + token + "</Code><Message>denied</Message></Error>");
  CheckNoSecret(FailWith(*h), token);
  // A JSON-escaped token is decoded before it is redacted.
  std::string escaped = token;
  escaped.replace(0, 1, "\\u0046");  // 'F'
  h = harness();
  h->stub->Respond(400,
                   R"({"__type":"AccessDeniedException","message":"token )" + escaped + R"("})");
  CheckNoSecret(FailWith(*h), token);
  // Straddling the 4096-byte message cut and the 200-byte excerpt cut.
  h = harness();
  h->stub->Respond(400, R"({"__type":"AccessDeniedException","message":")" +
                            std::string(4096 - 20, 'm') + token + R"("})");
  CheckNoSecret(FailWith(*h), token);
  h = harness();
  h->stub->Respond(400, std::string(200 - 20, 'x') + " " + token + " plain text");
  CheckNoSecret(FailWith(*h), token);
  // The request id of a successful call is logged by --debug too.
  h = harness();
  h->stub->Respond(200, kLabelsBody, WithRequestId(token));
  const auto result = h->MakeClient().DetectCustomLabels(Request());
  CHECK(result.request_id.find(token.substr(0, 6)) == std::string::npos);
  for (const auto& line : h->log) CHECK(line.find(token.substr(0, 6)) == std::string::npos);
}

TEST_CASE("RedactSecrets ends when a secret occurs inside its own replacement",
          "[client][secrets]") {
  // "act" is inside "<redacted>": the search must move past each replacement.
  Credentials credentials{"AKID", "act", "", std::nullopt};
  CHECK(detail::RedactSecrets("an act of <redaction>", credentials) ==
        "an <redacted> of <red<redacted>ion>");
  credentials.session_token = "d";
  CHECK(detail::RedactSecrets("dad", credentials) == "<redacted>a<redacted>");
}

TEST_CASE("a 2xx with an unreadable body after retries refunds the retry quota",
          "[client][quota]") {
  Harness h;
  auto policy = std::make_shared<StandardRetryPolicy>(StandardRetryOptions{}, [] { return 0.0; });
  h.config.retry_policy = policy;
  auto client = h.MakeClient();
  for (int i = 0; i < 120; ++i) {
    h.stub->Respond(503, "").Respond(200, R"({"CustomLabels":"oops"})");
    CHECK_THROWS_AS(client.DetectCustomLabels(Request()), ServiceError);
  }
  // Each call took 5 for its retry and gave it back when the service answered.
  CHECK(policy->quota().available() == 500);
  h.stub->Respond(503, "").Respond(200, kLabelsBody);
  CHECK(client.DetectCustomLabels(Request()).attempts == 2);  // retries still work
}

TEST_CASE("the body is hashed once per call, not per attempt", "[client][sigv4]") {
  Harness h;
  detail::ClientCore core(h.config);
  auto& pipeline = core.pipeline();
  const detail::PipelineTarget& target = core.Resolve();
  detail::PreparedCall call =
      pipeline.Prepare<DetectCustomLabelsOperation>(Request(), ValidationOptions{});
  CHECK(call.payload_hash == detail::Sha256Hex(call.body));
  // Every attempt signs with the hash computed by Prepare, whatever the body.
  call.payload_hash = std::string(64, 'a');
  detail::CallState state = pipeline.Begin(target);
  const HttpRequest first = pipeline.SignAttempt(call, target, state);
  const HttpRequest second = pipeline.SignAttempt(call, target, state);
  for (const HttpRequest* signed_request : {&first, &second}) {
    HttpRequest expected = *signed_request;
    expected.headers.erase(std::remove_if(expected.headers.begin(), expected.headers.end(),
                                          [](const auto& header) {
                                            return detail::EqualsIgnoreCase(header.first,
                                                                            "Authorization");
                                          }),
                           expected.headers.end());
    SigV4Params params;
    params.region = "us-east-1";
    params.service = "rekognition";
    params.time = h.config.clock();
    params.payload_hash = std::string(64, 'a');
    SigV4Signer().Sign(expected, *h.config.credentials, params);
    CHECK(*FindHeader(expected.headers, "Authorization") ==
          *FindHeader(signed_request->headers, "Authorization"));
  }
}

TEST_CASE("call_timeout bounds the whole call: no backoff is started past it",
          "[client][deadline]") {
  Harness h;
  h.config.call_timeout = milliseconds(300);
  h.config.sleep = [&h](milliseconds d) {
    h.sleeps.push_back(d);
    std::this_thread::sleep_for(d);
  };
  // Each attempt takes 100 ms; the first backoff (500 ms) would end past the deadline.
  for (int i = 0; i < 3; ++i)
    h.stub->Handle([](const HttpRequest&) -> HttpResult {
      std::this_thread::sleep_for(milliseconds(100));
      return HttpResponse{503, {}, ""};
    });
  const auto started = std::chrono::steady_clock::now();
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kTimeout);
    CHECK(e.attempts() == 1);
    CHECK(e.message().find("call timeout") != std::string::npos);
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(elapsed >= milliseconds(100));
  CHECK(elapsed < milliseconds(300));
  CHECK(h.sleeps.empty());
  CHECK(h.stub->requests().size() == 1);
}

TEST_CASE("call_timeout gives each attempt only what is left of the call", "[client][deadline]") {
  Harness h;
  h.config.call_timeout = milliseconds(400);
  StandardRetryOptions five_attempts;
  five_attempts.max_attempts = 5;
  h.config.retry_policy = std::make_shared<StandardRetryPolicy>(five_attempts, [] { return 0.0; });
  std::vector<milliseconds> budgets;
  for (int i = 0; i < 5; ++i)
    h.stub->Handle([&budgets](const HttpRequest& request) -> HttpResult {
      budgets.push_back(request.timeout);
      std::this_thread::sleep_for(milliseconds(150));
      return TransportFailure{TransportErrorKind::kConnectionReset, 0, "reset"};
    });
  const auto started = std::chrono::steady_clock::now();
  try {
    h.MakeClient().DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kTimeout);
    CHECK(e.attempts() == 3);
  }
  CHECK(std::chrono::steady_clock::now() - started < milliseconds(600));
  REQUIRE(budgets.size() == 3);
  CHECK(budgets[0] <= milliseconds(400));
  CHECK(budgets[0] > milliseconds(300));
  CHECK(budgets[1] < budgets[0]);
  CHECK(budgets[2] < budgets[1]);
  CHECK(budgets[2] >= milliseconds(1));
}

TEST_CASE("call_timeout cuts off a peer that never answers, over the real transport",
          "[client][deadline]") {
  // A listener that accepts and never answers.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  REQUIRE(listen(listener, 8) == 0);
  Harness h;
  h.config.transport = nullptr;
  h.config.endpoint_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  h.config.call_timeout = milliseconds(700);
  h.config.transport_options.read_timeout = std::chrono::seconds(60);
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(h.MakeClient().DetectCustomLabels(Request()), TransportError);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  close(listener);
  CHECK(elapsed >= milliseconds(600));
  CHECK(elapsed < milliseconds(2000));
}

}  // namespace client_test
