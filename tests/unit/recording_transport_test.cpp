// Recorded interactions: what the file holds (and never holds), replaying it
// without the original transport, matching modes and mismatch reports.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/detail/base64.hpp>
#include <rekognition/http/curl_transport.hpp>
#include <rekognition/testing/recording_transport.hpp>
#include <rekognition/testing/stub_transport.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "loopback_server.hpp"

using namespace rekognition;

namespace recording_transport_test {

namespace {

constexpr const char* kRecArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/version/shelf.3/1714560000000";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY";
constexpr const char* kSessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue";
constexpr const char* kLabels =
    R"({"CustomLabels":[{"Name":"cola","Confidence":97.25,"Geometry":{"BoundingBox":)"
    R"({"Width":0.25,"Height":0.5,"Left":0.125,"Top":0.0625}}},{"Name":"water","Confidence":81.5}]})";

std::string PngImage(char filler) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0dIHDR", 8);
  png += std::string("\0\0\x02\x80\0\0\x01\xe0\x08\x02\0\0\0", 13);  // 640x480
  png += std::string("\0\0\0\0", 4);
  png += std::string(300, filler);
  return png;
}

DetectCustomLabelsRequest RecRequest(char filler = 'a', double min_confidence = 70) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kRecArn;
  request.image = Image::FromBytes(PngImage(filler));
  request.min_confidence = min_confidence;
  return request;
}

// A unique file in the temp directory, removed at scope exit.
class TempFile {
 public:
  TempFile() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("rekognition-recording-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + ".json"))
                .string();
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string Read() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  void Write(const std::string& text) const { std::ofstream(path_, std::ios::binary) << text; }

 private:
  std::string path_;
};

ClientConfig ConfigWith(std::shared_ptr<HttpTransport> transport, const std::string& secret,
                        const std::string& token) {
  ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = "http://127.0.0.1:9/";  // never contacted by these transports
  config.credentials = Credentials{"AKIDRECORDINGTEST", secret, token, std::nullopt};
  config.transport = std::move(transport);
  config.sleep = [](std::chrono::milliseconds) {};
  return config;
}

HttpHeaders Reply(const std::string& request_id) {
  return {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", request_id}};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// What a test compares between the live run and the replay.
struct CallSummary {
  std::vector<CustomLabel> labels;
  std::string request_id;
  int attempts = 0;
  std::string error_code;
  bool operator==(const CallSummary& o) const {
    return labels == o.labels && request_id == o.request_id && attempts == o.attempts &&
           error_code == o.error_code;
  }
};

CallSummary Run(Client& client, const DetectCustomLabelsRequest& request) {
  CallSummary outcome;
  try {
    const auto result = client.DetectCustomLabels(request);
    outcome.labels = result.custom_labels;
    outcome.request_id = result.request_id;
    outcome.attempts = result.attempts;
  } catch (const Error& e) {
    outcome.error_code = e.code();
    outcome.request_id = e.request_id();
    outcome.attempts = e.attempts();
  }
  return outcome;
}

}  // namespace

TEST_CASE("recording: the file holds no secret, signature or image", "[recording]") {
  TempFile file;
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, kLabels, {{"x-amzn-RequestId", "req-1"}, {"Set-Cookie", "session=abc123"}});
  auto recorder = std::make_shared<RecordingTransport>(stub, file.path());
  Client client(ConfigWith(recorder, kSecretKey, kSessionToken));
  const DetectCustomLabelsRequest request = RecRequest('q');
  client.DetectCustomLabels(request);

  // The live request did carry the secrets' products.
  const auto sent = stub->requests();
  REQUIRE(sent.size() == 1);
  const std::string authorization = *sent[0].Header("Authorization");
  const std::string signature = authorization.substr(authorization.find("Signature=") + 10);
  REQUIRE(signature.size() == 64);
  REQUIRE(*sent[0].Header("X-Amz-Security-Token") == kSessionToken);

  const std::string text = file.Read();
  INFO(text);
  CHECK_FALSE(Contains(text, kSecretKey));
  CHECK_FALSE(Contains(text, kSessionToken));
  CHECK_FALSE(Contains(text, signature));
  CHECK_FALSE(Contains(text, "Signature="));
  CHECK_FALSE(Contains(text, "AWS4-HMAC-SHA256"));
  CHECK_FALSE(Contains(text, "abc123"));  // the response cookie
  CHECK(Contains(text, "\"<redacted>\""));
  // The image is named by size and hash, never stored.
  const std::string image = *request.image.bytes;
  CHECK_FALSE(Contains(text, detail::Base64Encode(image).substr(0, 40)));
  CHECK(Contains(text, "<image omitted: " + std::to_string(image.size()) + " bytes, sha256 " +
                           detail::Sha256Hex(image) + ">"));
  // Everything else is kept for humans.
  CHECK(Contains(text, "\"target\": \"RekognitionService.DetectCustomLabels\""));
  CHECK(Contains(text, kRecArn));
  CHECK(Contains(text, "MinConfidence"));
  CHECK(Contains(text, "\"status\": 200"));
  CHECK(Contains(text, "req-1"));

  const auto stored = LoadRecording(file.path());
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].request_body_sha256 == detail::Sha256Hex(sent[0].body));
  CHECK(Contains(stored[0].request_body, "\"MinConfidence\":70.0}"));
  CHECK(stored[0].method == "POST");
  CHECK(stored[0].url == "http://127.0.0.1:9/");
  CHECK(*FindHeader(stored[0].request_headers, "Authorization") == "<redacted>");
  CHECK(*FindHeader(stored[0].request_headers, "X-Amz-Security-Token") == "<redacted>");
  CHECK(*FindHeader(stored[0].request_headers, "X-Amz-Target") ==
        "RekognitionService.DetectCustomLabels");
}

TEST_CASE("recording: SHA-256 of the empty string and of \"abc\"", "[recording]") {
  // The image placeholders depend on it; pin the known vectors.
  CHECK(detail::Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(detail::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("recording: replay gives the same results without the transport", "[recording]") {
  TempFile file;
  std::vector<CallSummary> live;
  {
    auto stub = std::make_shared<StubTransport>();
    stub->Respond(200, kLabels, Reply("req-ok"))
        .Respond(400, R"({"__type":"ThrottlingException","Message":"Rate exceeded"})",
                 Reply("req-t"))
        .Respond(200, R"({"CustomLabels":[{"Name":"chips","Confidence":88.0}]})",
                 Reply("req-after"))
        .Respond(400, R"({"__type":"ResourceNotReadyException","Message":"not running"})",
                 Reply("req-nr"))
        .Fail(TransportErrorKind::kTimeout, "timed out")
        .Respond(200, kLabels, Reply("req-last"));
    Client client(
        ConfigWith(std::make_shared<RecordingTransport>(stub, file.path()), kSecretKey, ""));
    live.push_back(Run(client, RecRequest('a')));
    live.push_back(Run(client, RecRequest('b')));
    live.push_back(Run(client, RecRequest('c')));
    live.push_back(Run(client, RecRequest('d')));
    CHECK(stub->pending() == 0);
  }
  REQUIRE(live[0].labels.size() == 2);
  REQUIRE(live[1].attempts == 2);
  REQUIRE(live[2].error_code == "ResourceNotReadyException");
  REQUIRE(live[3].attempts == 2);
  REQUIRE(LoadRecording(file.path()).size() == 6);

  // Replay: other credentials, no stub, same answers.
  auto replay = std::make_shared<ReplayTransport>(file.path());
  Client client(ConfigWith(replay, "another-secret", "a-token"));
  std::vector<CallSummary> replayed;
  replayed.push_back(Run(client, RecRequest('a')));
  replayed.push_back(Run(client, RecRequest('b')));
  replayed.push_back(Run(client, RecRequest('c')));
  replayed.push_back(Run(client, RecRequest('d')));
  CHECK(replayed == live);
  CHECK(replay->remaining() == 0);
  CHECK_NOTHROW(replay->AssertAllReplayed());
}

TEST_CASE("recording: record against a 127.0.0.1 server, replay without it", "[recording]") {
  TempFile file;
  std::vector<std::string> seen_bodies;
  CallSummary live;
  {
    testing_support::LoopbackServer server;
    server.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
      seen_bodies.push_back(req.body);
      res.set_header("x-amzn-RequestId", "loopback-1");
      res.set_content(kLabels, "application/x-amz-json-1.1");
    });
    server.Start();
    auto recorder =
        std::make_shared<RecordingTransport>(std::make_shared<CurlTransport>(), file.path());
    ClientConfig config = ConfigWith(recorder, kSecretKey, kSessionToken);
    config.endpoint_url = server.url();
    Client client(config);
    live = Run(client, RecRequest('z'));
    server.Stop();
  }
  REQUIRE(seen_bodies.size() == 1);
  REQUIRE(live.labels.size() == 2);
  CHECK(live.request_id == "loopback-1");

  const std::string text = file.Read();
  CHECK_FALSE(Contains(text, kSecretKey));
  CHECK_FALSE(Contains(text, kSessionToken));
  CHECK_FALSE(Contains(text, "Signature="));

  auto replay = std::make_shared<ReplayTransport>(file.path());
  Client client(ConfigWith(replay, "other", ""));  // endpoint differs: not matched on
  CHECK(Run(client, RecRequest('z')) == live);
  CHECK_NOTHROW(replay->AssertAllReplayed());
}

TEST_CASE("recording: replay reports a request that differs from the recording", "[recording]") {
  TempFile file;
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, kLabels, Reply("r1"));
  {
    Client client(
        ConfigWith(std::make_shared<RecordingTransport>(stub, file.path()), kSecretKey, ""));
    Run(client, RecRequest('a', 70));
  }
  auto replay = std::make_shared<ReplayTransport>(file.path());
  Client client(ConfigWith(replay, kSecretKey, ""));
  DetectCustomLabelsRequest changed = RecRequest('b', 85);
  try {
    client.DetectCustomLabels(changed);
    FAIL("nothing thrown");
  } catch (const StubAssertionError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(Contains(what, "does not match interaction #1"));
    REQUIRE(e.differences().size() == 2);
    CHECK(e.differences()[0].field == "Image");
    CHECK(Contains(e.differences()[0].expected, std::to_string(PngImage('a').size()) + " bytes"));
    CHECK(Contains(e.differences()[0].expected, detail::Sha256Hex(PngImage('a'))));
    CHECK(Contains(e.differences()[0].actual, detail::Sha256Hex(PngImage('b'))));
    CHECK(e.differences()[1].field == "MinConfidence");
    CHECK(e.differences()[1].expected == "70.0");  // as written on the wire
    CHECK(e.differences()[1].actual == "85.0");
    CHECK_FALSE(Contains(what, detail::Base64Encode(PngImage('b')).substr(0, 40)));
  } catch (const Error& e) {
    FAIL("a rekognition::Error instead of StubAssertionError: " << e.what());
  }
  CHECK_THROWS_AS(replay->AssertAllReplayed(), StubAssertionError);

  // The matching request still replays.
  CHECK(Run(client, RecRequest('a', 70)).labels.size() == 2);
  // Then the recording is used up.
  try {
    client.DetectCustomLabels(RecRequest('a', 70));
    FAIL("nothing thrown");
  } catch (const StubAssertionError& e) {
    CHECK(Contains(e.what(), "is left (1 recorded)"));
  }
}

TEST_CASE("recording: a replay mismatch never quotes a credentials secret", "[recording]") {
  TempFile file;
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, kLabels, Reply("r1"));
  {
    Client client(
        ConfigWith(std::make_shared<RecordingTransport>(stub, file.path()), kSecretKey, ""));
    Run(client, RecRequest('a', 70));
  }
  ReplayTransport replay(file.path());
  HttpRequest sts;
  sts.method = "POST";
  sts.url = "https://sts.us-east-1.amazonaws.com/";
  sts.body =
      "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole"
      "%2Fr&RoleSessionName=s&WebIdentityToken=SECRETJWTabc";
  try {
    replay.Send(sts);
    FAIL("nothing thrown");
  } catch (const StubAssertionError& e) {
    INFO(e.what());
    CHECK(Contains(e.what(), "does not match interaction #1"));
    CHECK_FALSE(Contains(e.what(), "SECRETJWT"));
    for (const auto& difference : e.differences())
      CHECK_FALSE(Contains(difference.actual, "SECRETJWT"));
  }
}

TEST_CASE("recording: in order or by request", "[recording]") {
  TempFile file;
  auto stub = std::make_shared<StubTransport>();
  stub->Respond(200, R"({"CustomLabels":[{"Name":"first","Confidence":90.0}]})", Reply("r1"))
      .Respond(200, R"({"CustomLabels":[{"Name":"second","Confidence":91.0}]})", Reply("r2"));
  {
    Client client(
        ConfigWith(std::make_shared<RecordingTransport>(stub, file.path()), kSecretKey, ""));
    Run(client, RecRequest('1'));
    Run(client, RecRequest('2'));
  }
  SECTION("in order (the default) rejects a reordered run") {
    Client client(ConfigWith(std::make_shared<ReplayTransport>(file.path()), kSecretKey, ""));
    CHECK_THROWS_AS(client.DetectCustomLabels(RecRequest('2')), StubAssertionError);
  }
  SECTION("by request answers each request with its own recording") {
    ReplayOptions options;
    options.matching = ReplayMatching::kByRequest;
    auto replay = std::make_shared<ReplayTransport>(file.path(), options);
    Client client(ConfigWith(replay, kSecretKey, ""));
    CHECK(Run(client, RecRequest('2')).labels.at(0).name == "second");
    CHECK(Run(client, RecRequest('1')).labels.at(0).name == "first");
    CHECK_NOTHROW(replay->AssertAllReplayed());
  }
  SECTION("unreplayed interactions are reported") {
    auto replay = std::make_shared<ReplayTransport>(file.path());
    Client client(ConfigWith(replay, kSecretKey, ""));
    Run(client, RecRequest('1'));
    CHECK(replay->remaining() == 1);
    try {
      replay->AssertAllReplayed();
      FAIL("nothing thrown");
    } catch (const StubAssertionError& e) {
      CHECK(Contains(e.what(), "1 interaction(s)"));
      CHECK(Contains(e.what(), "#2 RekognitionService.DetectCustomLabels"));
    }
  }
}

TEST_CASE("recording: options and odd bodies", "[recording]") {
  TempFile file;
  auto stub = std::make_shared<StubTransport>();
  const char kBinary[] = "\xff\xfe\x00\x01 not utf-8";
  const std::string binary_body(kBinary, sizeof kBinary - 1);
  stub->Respond(502, binary_body, {{"X-Internal-Key", "k-123"}, {"x-amzn-RequestId", "r-bin"}})
      .Respond(200, kLabels, Reply("r-ok"));
  RecordingOptions options;
  options.keep_image_bytes = true;
  options.redact_headers = {"x-internal-key"};
  CallSummary live;
  {
    Client client(ConfigWith(std::make_shared<RecordingTransport>(stub, file.path(), options),
                             kSecretKey, ""));
    live = Run(client, RecRequest('k'));
  }
  REQUIRE(live.attempts == 2);
  const std::string text = file.Read();
  CHECK(Contains(text, detail::Base64Encode(PngImage('k'))));  // kept as asked
  CHECK(Contains(text, "\"image_bytes\": \"kept\""));
  CHECK_FALSE(Contains(text, "k-123"));
  CHECK(Contains(text, "\"body_base64\""));

  const auto stored = LoadRecording(file.path());
  REQUIRE(stored.size() == 2);
  CHECK(std::get<HttpResponse>(stored[0].result).body == binary_body);
  Client client(ConfigWith(std::make_shared<ReplayTransport>(file.path()), kSecretKey, ""));
  CHECK(Run(client, RecRequest('k')) == live);
}

TEST_CASE("recording: bad files are reported as RecordingError", "[recording]") {
  TempFile file;
  CHECK_THROWS_AS(ReplayTransport(file.path()), RecordingError);  // missing
  file.Write("{not json");
  CHECK_THROWS_WITH(LoadRecording(file.path()), Catch::Contains("invalid JSON"));
  file.Write(R"({"format":"something-else","version":1,"interactions":[]})");
  CHECK_THROWS_WITH(LoadRecording(file.path()), Catch::Contains("not a rekognition-cpp recording"));
  file.Write(
      R"({"format":"rekognition-cpp/recording","version":1,"interactions":[{"request":{}}]})");
  CHECK_THROWS_WITH(LoadRecording(file.path()), Catch::Contains("interactions[0].request"));
  CHECK_THROWS_AS(RecordingTransport(nullptr, file.path()), std::invalid_argument);
}

TEST_CASE("recording: presigned URLs lose their credentials", "[recording]") {
  CHECK(detail::recording::RedactUrl("https://h/"
                                     "?X-Amz-Credential=AKID%2F20150830&X-Amz-Signature=abcdef&x=1&"
                                     "X-Amz-Security-Token=tok") ==
        "https://h/"
        "?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&x=1&X-Amz-Security-Token=REDACTED");
  CHECK(detail::recording::RedactUrl("https://h/") == "https://h/");
}

}  // namespace recording_transport_test
