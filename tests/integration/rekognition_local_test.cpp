// rekognition-local end to end through the library: labels and their order,
// MinConfidence and MaxResults, S3 objects, every error code as the right
// exception type, signature checks, response headers, concurrency with
// keep-alive, a quiet log and a clean stop.
#include <rekognition/auth/sigv4.hpp>
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/detail/base64.hpp>
#include <rekognition/detail/http_date.hpp>
#include <rekognition/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peers.hpp"
#include "png_writer.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{}), (std::vector<std::string>{}))

namespace {

using testing_support::kSampleArn;
using testing_support::kTestKeyId;
using testing_support::kTestSecret;
using testing_support::LocalEndpoint;

LocalEndpoint& Endpoint() {
  static LocalEndpoint endpoint;
  return endpoint;
}

rekognition::Client MakeClient(const std::string& url, const std::string& key_id = kTestKeyId,
                               const std::string& secret = kTestSecret, int max_attempts = 1) {
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = url;
  config.credentials = rekognition::Credentials{key_id, secret, "", std::nullopt};
  config.retry.max_attempts = max_attempts;
  return rekognition::Client(config);
}

std::string Sample(const std::string& name) {
  return testing_support::ReadFile(testing_support::SampleDataDir() + "/" + name);
}

rekognition::DetectCustomLabelsRequest BytesRequest(std::string bytes) {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kSampleArn;
  request.image = rekognition::Image::FromBytes(std::move(bytes));
  return request;
}

std::vector<std::string> Names(const rekognition::DetectCustomLabelsResult& result) {
  std::vector<std::string> names;
  for (const auto& label : result.custom_labels) names.push_back(label.name);
  return names;
}

std::string SolidPng(int width, int height, testing_support::Rgb colour) {
  return testing_support::EncodePng(testing_support::Canvas(width, height, colour));
}

// A request signed like the client's, but with whatever body, target and
// signing parameters a test wants: how a client without our validation talks.
rekognition::HttpResponse RawCall(
    const std::string& body, const std::string& target = "RekognitionService.DetectCustomLabels",
    const std::string& service = "rekognition",
    std::chrono::system_clock::time_point time = std::chrono::system_clock::now(),
    bool sign = true) {
  rekognition::HttpRequest request;
  request.method = "POST";
  request.url = Endpoint().url() + "/";
  request.body = body;
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
  if (sign) {
    rekognition::SigV4Params params;
    params.region = "us-east-1";
    params.service = service;
    params.time = time;
    rekognition::SigV4Signer().Sign(
        request, rekognition::Credentials{kTestKeyId, kTestSecret, "", std::nullopt}, params);
  }
  rekognition::CurlTransport transport;
  auto result = transport.Send(request);
  REQUIRE(std::holds_alternative<rekognition::HttpResponse>(result));
  return std::get<rekognition::HttpResponse>(result);
}

std::string RequestJson(const std::string& image_json, const std::string& extra = "") {
  return std::string("{\"ProjectVersionArn\":\"") + kSampleArn + "\",\"Image\":" + image_json +
         extra + "}";
}

std::string BytesJson(const std::string& bytes) {
  return "{\"Bytes\":\"" + rekognition::detail::Base64Encode(bytes) + "\"}";
}

// The __type of an error body.
std::string ErrorType(const rekognition::HttpResponse& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("__type")) return "";
  return doc["__type"].GetString();
}

template <typename Exception>
Exception Expect(rekognition::Client& client,
                 const rekognition::DetectCustomLabelsRequest& request) {
  try {
    client.DetectCustomLabels(request);
  } catch (const Exception& e) {
    return e;
  } catch (const std::exception& e) {
    FAIL("wrong exception: " << e.what());
  }
  FAIL("no exception");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the shelf's labels come back sorted by confidence, above the fixture's threshold",
          "[labels]") {
  auto client = MakeClient(Endpoint().url());
  const auto result = client.DetectCustomLabels(BytesRequest(Sample("shelf.png")));
  REQUIRE(result.custom_labels.size() == 10);  // the 42.3 price tag is under the default 50
  for (std::size_t i = 1; i < result.custom_labels.size(); ++i)
    CHECK(result.custom_labels[i - 1].confidence >= result.custom_labels[i].confidence);
  const auto& first = result.custom_labels[0];
  CHECK(first.name == "soda_can");
  CHECK(first.confidence == Approx(98.61));
  REQUIRE(first.geometry);
  REQUIRE(first.geometry->bounding_box);
  // Drawn at x 40..100, y 78..170 of a 512x384 picture.
  CHECK(first.geometry->bounding_box->left * 512 == Approx(40).margin(0.01));
  CHECK(first.geometry->bounding_box->top * 384 == Approx(78).margin(0.01));
  CHECK(first.geometry->bounding_box->width * 512 == Approx(60).margin(0.01));
  CHECK(first.geometry->bounding_box->height * 384 == Approx(92).margin(0.01));
  CHECK(first.geometry->polygon.size() == 10);
  CHECK(result.attempts == 1);
  CHECK(std::regex_match(
      result.request_id,
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));

  const auto jpeg = client.DetectCustomLabels(BytesRequest(Sample("storefront.jpg")));
  CHECK(Names(jpeg) == std::vector<std::string>{"sign_board", "store_logo", "door"});
}

TEST_CASE("MinConfidence filters and MaxResults keeps the most confident", "[labels]") {
  auto client = MakeClient(Endpoint().url());
  auto request = BytesRequest(Sample("shelf.png"));
  request.min_confidence = 0;
  const auto all = client.DetectCustomLabels(request);
  REQUIRE(all.custom_labels.size() == 11);
  CHECK(all.custom_labels.back().name == "price_tag");
  CHECK(all.custom_labels.back().confidence == Approx(42.3));

  request.min_confidence = 90;
  CHECK(Names(client.DetectCustomLabels(request)) ==
        std::vector<std::string>{"soda_can", "cereal_box", "cereal_box", "soda_can"});
  request.min_confidence = 91.07;  // inclusive
  CHECK(client.DetectCustomLabels(request).custom_labels.size() == 4);

  request.min_confidence = 0;
  request.max_results = 3;
  const auto top = client.DetectCustomLabels(request);
  REQUIRE(top.custom_labels.size() == 3);
  CHECK(top.custom_labels[0].confidence == Approx(98.61));
  CHECK(top.custom_labels[1].confidence == Approx(96.12));
  CHECK(top.custom_labels[2].confidence == Approx(94.55));
  request.max_results = 0;
  CHECK(client.DetectCustomLabels(request).custom_labels.empty());
}

TEST_CASE("an image the fixture does not know gets the default labels", "[labels]") {
  auto client = MakeClient(Endpoint().url());
  const auto result = client.DetectCustomLabels(BytesRequest(SolidPng(80, 80, {1, 2, 3})));
  CHECK(Names(result) == std::vector<std::string>{"product"});
}

TEST_CASE("S3 objects are answered from the fixture by s3://bucket/key", "[s3]") {
  auto client = MakeClient(Endpoint().url());
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kSampleArn;
  request.image = rekognition::Image::FromS3("sample-bucket", "shelf.png");
  const auto from_s3 = client.DetectCustomLabels(request);
  const auto from_bytes = client.DetectCustomLabels(BytesRequest(Sample("shelf.png")));
  CHECK(from_s3.custom_labels == from_bytes.custom_labels);

  request.image =
      rekognition::Image::FromS3("sample-bucket", "shelf.png", "v1");  // falls back to the key
  CHECK(client.DetectCustomLabels(request).custom_labels == from_bytes.custom_labels);

  request.image = rekognition::Image::FromS3("sample-bucket", "missing.png");
  const auto e = Expect<rekognition::InvalidS3ObjectException>(client, request);
  CHECK(e.http_status() == 400);
  CHECK_FALSE(e.retryable());
}

TEST_CASE("a model version it does not serve is ResourceNotFoundException", "[errors]") {
  auto client = MakeClient(Endpoint().url());
  auto request = BytesRequest(Sample("logo.png"));
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/other/version/v1/1";
  const auto e = Expect<rekognition::ResourceNotFoundException>(client, request);
  CHECK(e.http_status() == 400);
  CHECK(e.message().find("project/other/version/v1/1") != std::string::npos);
  CHECK_FALSE(e.request_id().empty());
}

TEST_CASE("--project-version-arn adds model versions to the fixture's", "[errors]") {
  const std::string extra =
      "arn:aws:rekognition:eu-west-1:111122223333:project/extra/version/e.1/42";
  LocalEndpoint endpoint({"--project-version-arn", extra});
  auto client = MakeClient(endpoint.url());
  auto request = BytesRequest(Sample("logo.png"));
  request.project_version_arn = extra;
  CHECK(Names(client.DetectCustomLabels(request)) == std::vector<std::string>{"store_logo"});
  request.project_version_arn = kSampleArn;
  CHECK(client.DetectCustomLabels(request).custom_labels.size() == 1);
}

TEST_CASE("the server validates what a client let through, with the service's codes",
          "[errors][validation]") {
  // A client whose documented-limit checks are off still meets them here.
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = Endpoint().url();
  config.credentials = rekognition::Credentials{kTestKeyId, kTestSecret, "", std::nullopt};
  config.retry.max_attempts = 1;
  config.validation.check_documented_limits = false;
  rekognition::Client client(config);

  const auto small = Expect<rekognition::InvalidParameterException>(
      client, BytesRequest(SolidPng(32, 32, {9, 9, 9})));
  CHECK(small.http_status() == 400);
  CHECK(small.message().find("at least 64 px") != std::string::npos);

  const auto wide = Expect<rekognition::ImageTooLargeException>(
      client, BytesRequest(SolidPng(5000, 64, {7, 7, 7})));
  CHECK(wide.message().find("5000x64") != std::string::npos);

  const auto elongated = Expect<rekognition::InvalidParameterException>(
      client, BytesRequest(SolidPng(4000, 100, {6, 6, 6})));
  CHECK(elongated.http_status() == 400);
  CHECK(elongated.message().find("4000x100") != std::string::npos);
  CHECK(elongated.message().find("20 times") != std::string::npos);

  std::string truncated = SolidPng(100, 100, {5, 5, 5}).substr(0, 20);  // signature, no full IHDR
  const auto format =
      Expect<rekognition::InvalidImageFormatException>(client, BytesRequest(truncated));
  CHECK(format.http_status() == 400);

  // What our client never sends, sent raw.
  auto bad_arn =
      RawCall("{\"ProjectVersionArn\":\"arn:aws:rekognition:us-east-1:1:project/x\",\"Image\":" +
              BytesJson(Sample("logo.png")) + "}");
  CHECK(bad_arn.status == 400);
  CHECK(ErrorType(bad_arn) == "InvalidParameterException");
  auto confidence = RawCall(RequestJson(BytesJson(Sample("logo.png")), ",\"MinConfidence\":150"));
  CHECK(ErrorType(confidence) == "InvalidParameterException");
  auto max_results = RawCall(RequestJson(BytesJson(Sample("logo.png")), ",\"MaxResults\":-1"));
  CHECK(ErrorType(max_results) == "InvalidParameterException");
  auto both = RawCall(
      RequestJson("{\"Bytes\":\"iVBORw==\",\"S3Object\":{\"Bucket\":\"abc\",\"Name\":\"k\"}}"));
  CHECK(ErrorType(both) == "InvalidParameterException");
  auto not_image = RawCall(RequestJson(BytesJson("GIF89a this is not a png")));
  CHECK(not_image.status == 400);
  CHECK(ErrorType(not_image) == "InvalidImageFormatException");
  auto huge = RawCall(RequestJson(BytesJson(std::string(5242881, 'x'))));
  CHECK(ErrorType(huge) == "ImageTooLargeException");
  auto bucket = RawCall(RequestJson("{\"S3Object\":{\"Bucket\":\"a\",\"Name\":\"k\"}}"));
  CHECK(ErrorType(bucket) == "InvalidParameterException");
}

TEST_CASE("malformed JSON and wrong types are SerializationException", "[errors]") {
  auto broken = RawCall("{\"ProjectVersionArn\": ");
  CHECK(broken.status == 400);
  CHECK(ErrorType(broken) == "SerializationException");
  auto wrong_type =
      RawCall(RequestJson(BytesJson(Sample("logo.png")), ",\"MaxResults\":\"three\""));
  CHECK(ErrorType(wrong_type) == "SerializationException");
  auto bad_base64 = RawCall(RequestJson("{\"Bytes\":\"not base64!\"}"));
  CHECK(ErrorType(bad_base64) == "SerializationException");
}

TEST_CASE("other operations are UnknownOperationException", "[errors]") {
  auto response = RawCall("{}", "RekognitionService.DetectLabels");
  CHECK(response.status == 400);
  CHECK(ErrorType(response).find("UnknownOperationException") != std::string::npos);
  CHECK(response.Header("x-amzn-ErrorType") != nullptr);
}

TEST_CASE("authentication failures are the AWS front end's", "[errors][auth]") {
  SECTION("a wrong secret is InvalidSignatureException, with the canonical request to compare") {
    auto client = MakeClient(Endpoint().url(), kTestKeyId, "not-the-secret-0000000000000000000000");
    const auto e =
        Expect<rekognition::InvalidSignatureException>(client, BytesRequest(Sample("logo.png")));
    CHECK(e.http_status() == 403);
    CHECK(e.message().rfind(
              "The request signature we calculated does not match the signature you provided.",
              0) == 0);
    CHECK(e.message().find("The Canonical String for this request should have been") !=
          std::string::npos);
    CHECK(e.message().find("x-amz-target:RekognitionService.DetectCustomLabels") !=
          std::string::npos);
    CHECK(e.message().find("not-the-secret") == std::string::npos);
    CHECK(e.message().find(kTestSecret) == std::string::npos);
    CHECK_FALSE(e.retryable());
  }
  SECTION("an unknown key id is UnrecognizedClientException") {
    auto client = MakeClient(Endpoint().url(), "AKIAUNKNOWNKEY000000", kTestSecret);
    const auto e =
        Expect<rekognition::UnrecognizedClientException>(client, BytesRequest(Sample("logo.png")));
    CHECK(e.http_status() == 403);
    CHECK(e.message() == "The security token included in the request is invalid.");
  }
  SECTION("no Authorization header is MissingAuthenticationTokenException") {
    auto response =
        RawCall(RequestJson(BytesJson(Sample("logo.png"))), "RekognitionService.DetectCustomLabels",
                "rekognition", std::chrono::system_clock::now(), false);
    CHECK(response.status == 400);
    CHECK(ErrorType(response).find("MissingAuthenticationTokenException") != std::string::npos);
    CHECK(response.body.find("Missing Authentication Token") != std::string::npos);
  }
  SECTION("a credential scope for another service is InvalidSignatureException") {
    auto response = RawCall(RequestJson(BytesJson(Sample("logo.png"))),
                            "RekognitionService.DetectCustomLabels", "s3");
    CHECK(response.status == 403);
    CHECK(ErrorType(response).find("InvalidSignatureException") != std::string::npos);
    CHECK(response.body.find("Credential should be scoped to correct service: 'rekognition'") !=
          std::string::npos);
  }
  SECTION("a signature more than 5 minutes old has expired, and the Date header tells the time") {
    const auto then = std::chrono::system_clock::now() - std::chrono::minutes(7);
    auto response = RawCall(RequestJson(BytesJson(Sample("logo.png"))),
                            "RekognitionService.DetectCustomLabels", "rekognition", then);
    CHECK(response.status == 403);
    CHECK(ErrorType(response).find("InvalidSignatureException") != std::string::npos);
    CHECK(response.body.find("Signature expired: ") != std::string::npos);
    CHECK(response.body.find(" - 5 min.)") != std::string::npos);
    const std::string* date = response.Header("Date");
    REQUIRE(date != nullptr);
    const auto server_time = rekognition::detail::ParseHttpDate(*date);
    REQUIRE(server_time);
    CHECK(std::chrono::abs(*server_time - std::chrono::system_clock::now()) <
          std::chrono::seconds(5));

    auto future =
        RawCall(RequestJson(BytesJson(Sample("logo.png"))), "RekognitionService.DetectCustomLabels",
                "rekognition", std::chrono::system_clock::now() + std::chrono::minutes(6));
    CHECK(future.body.find("Signature not yet current: ") != std::string::npos);
  }
  SECTION("a client whose clock is off corrects it from the Date header and retries") {
    rekognition::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint_url = Endpoint().url();
    config.credentials = rekognition::Credentials{kTestKeyId, kTestSecret, "", std::nullopt};
    config.clock = [] { return std::chrono::system_clock::now() - std::chrono::minutes(20); };
    config.sleep = [](std::chrono::milliseconds) {};
    rekognition::Client client(config);
    const auto result = client.DetectCustomLabels(BytesRequest(Sample("logo.png")));
    CHECK(result.attempts == 2);
    CHECK(Names(result) == std::vector<std::string>{"store_logo"});
  }
}

TEST_CASE("--region and --session-token narrow what is accepted", "[errors][auth]") {
  SECTION("a scope naming another region") {
    LocalEndpoint endpoint({"--region", "eu-west-1"});
    auto client = MakeClient(endpoint.url());  // signs for us-east-1
    const auto e =
        Expect<rekognition::InvalidSignatureException>(client, BytesRequest(Sample("logo.png")));
    CHECK(e.message().find("Credential should be scoped to a valid region.") != std::string::npos);
  }
  SECTION("temporary credentials must bring their token") {
    LocalEndpoint endpoint({"--session-token", "the-session-token"});
    rekognition::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint_url = endpoint.url();
    config.retry.max_attempts = 1;
    config.credentials =
        rekognition::Credentials{kTestKeyId, kTestSecret, "the-session-token", std::nullopt};
    CHECK(rekognition::Client(config)
              .DetectCustomLabels(BytesRequest(Sample("logo.png")))
              .custom_labels.size() == 1);
    config.credentials->session_token = "another-token";
    CHECK_THROWS_AS(
        rekognition::Client(config).DetectCustomLabels(BytesRequest(Sample("logo.png"))),
        rekognition::UnrecognizedClientException);
    auto without = MakeClient(endpoint.url());
    CHECK_THROWS_AS(without.DetectCustomLabels(BytesRequest(Sample("logo.png"))),
                    rekognition::UnrecognizedClientException);
    CHECK(endpoint.Log().find("the-session-token") == std::string::npos);
  }
}

TEST_CASE("every answer carries a request id, the JSON 1.1 content type and a Date", "[headers]") {
  for (const auto& response : {RawCall(RequestJson(BytesJson(Sample("logo.png")))), RawCall("{")}) {
    const std::string* id = response.Header("x-amzn-RequestId");
    REQUIRE(id != nullptr);
    CHECK(std::regex_match(
        *id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
    const std::string* type = response.Header("Content-Type");
    REQUIRE(type != nullptr);
    CHECK(*type == "application/x-amz-json-1.1");
    CHECK(response.Header("Date") != nullptr);
  }
}

TEST_CASE("injected faults reach the client as their exception types", "[faults]") {
  auto request = BytesRequest(Sample("logo.png"));
  SECTION("throttling") {
    LocalEndpoint endpoint({"--throttle-rate", "1"});
    auto client = MakeClient(endpoint.url());
    const auto e = Expect<rekognition::ThrottlingException>(client, request);
    CHECK(e.http_status() == 500);  // the model marks ThrottlingException a server fault
    CHECK(e.retryable());
  }
  SECTION("5xx") {
    LocalEndpoint endpoint({"--error-rate", "1", "--seed", "3"});
    auto client = MakeClient(endpoint.url());
    std::set<int> statuses;
    for (int i = 0; i < 8; ++i) {
      try {
        client.DetectCustomLabels(request);
        FAIL("no exception");
      } catch (const rekognition::ServiceError& e) {
        statuses.insert(e.http_status());
        CHECK(e.retryable());
        if (e.http_status() == 500)
          CHECK(dynamic_cast<const rekognition::InternalServerError*>(&e) != nullptr);
        if (e.http_status() == 503) CHECK(e.code() == "ServiceUnavailableException");
      }
    }
    CHECK(statuses == std::set<int>{500, 503});
  }
  SECTION("a dropped connection") {
    LocalEndpoint endpoint({"--drop-rate", "1"});
    auto client = MakeClient(endpoint.url());
    const auto e = Expect<rekognition::TransportError>(client, request);
    CHECK(e.kind() == rekognition::TransportErrorKind::kConnectionReset);
    CHECK(e.retryable());
  }
  SECTION("retries get through a seeded mix of faults") {
    LocalEndpoint endpoint(
        {"--throttle-rate", "0.2", "--error-rate", "0.2", "--drop-rate", "0.1", "--seed", "7"});
    rekognition::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint_url = endpoint.url();
    config.credentials = rekognition::Credentials{kTestKeyId, kTestSecret, "", std::nullopt};
    config.retry.max_attempts = 10;
    config.sleep = [](std::chrono::milliseconds) {};
    rekognition::Client client(config);
    int retried = 0;
    for (int i = 0; i < 20; ++i) {
      const auto result = client.DetectCustomLabels(request);
      CHECK(Names(result) == std::vector<std::string>{"store_logo"});
      retried += result.attempts - 1;
    }
    CHECK(retried > 0);
  }
}

TEST_CASE("64 calls in flight through one client share keep-alive connections", "[concurrency]") {
  LocalEndpoint endpoint({"--latency-ms", "100"});
  auto client = MakeClient(endpoint.url());
  const std::string image = Sample("logo.png");
  constexpr int kThreads = 64, kCallsPerThread = 4;
  std::atomic<int> ok{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        try {
          if (client.DetectCustomLabels(BytesRequest(image)).custom_labels.size() == 1) ++ok;
        } catch (...) {
        }
      }
    });
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(ok == kThreads * kCallsPerThread);
  // Sequential would take 25.6 s; all 64 in flight, 4 rounds of 100 ms.
  CHECK(seconds < 3.0);
  // One connection per thread, reused: far fewer client ports than calls.
  std::set<std::string> ports;
  std::regex peer(R"( 127\.0\.0\.1:(\d+) DetectCustomLabels 200)");
  const std::string log = endpoint.Log();
  for (std::sregex_iterator it(log.begin(), log.end(), peer), end; it != end; ++it)
    ports.insert((*it)[1]);
  CHECK(ports.size() <= 80);
  CHECK(ports.size() >= 2);
}

TEST_CASE("the request log has one line per request and no secret", "[log]") {
  LocalEndpoint endpoint;
  auto client = MakeClient(endpoint.url());
  client.DetectCustomLabels(BytesRequest(Sample("logo.png")));
  auto wrong = MakeClient(endpoint.url(), kTestKeyId, "another-secret-value-xyz");
  CHECK_THROWS_AS(wrong.DetectCustomLabels(BytesRequest(Sample("logo.png"))),
                  rekognition::InvalidSignatureException);
  const std::string log = endpoint.Log();
  int request_lines = 0;
  for (const auto& line : testing_support::Lines(log))
    if (line.find(" DetectCustomLabels ") != std::string::npos) ++request_lines;
  CHECK(request_lines == 2);
  CHECK(log.find("DetectCustomLabels 200 labels=1") != std::string::npos);
  CHECK(log.find("403 InvalidSignatureException") != std::string::npos);
  CHECK(log.find(kTestSecret) == std::string::npos);
  CHECK(log.find("another-secret-value-xyz") == std::string::npos);
  CHECK(log.find("Signature=") == std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT stop the server at once, idle keep-alive connections or not",
          "[lifecycle]") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    LocalEndpoint endpoint;
    auto client = MakeClient(endpoint.url());  // keeps its connection open after the call
    client.DetectCustomLabels(BytesRequest(Sample("logo.png")));
    const auto started = std::chrono::steady_clock::now();
    CHECK(endpoint.Stop(signal_number) == 0);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(endpoint.Log().find("stopping") != std::string::npos);
  }
}

TEST_CASE("rekognition-local refuses to start without credentials or with a broken fixture",
          "[lifecycle]") {
  const std::string bin = std::string(REKOGNITION_BIN_DIR) + "/rekognition-local";
  auto no_keys = testing_support::RunProcess(
      {bin, "--port", "0"}, {{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}});
  CHECK(no_keys.exit_code == 2);
  CHECK(no_keys.err.find("no credentials") != std::string::npos);

  testing_support::TempDir dir;
  testing_support::WriteFile(
      dir.path() + "/bad.json",
      "{\"Images\": {\"abc\": {\"CustomLabels\": [{\"Name\": \"x\", \"Confidence\": \"high\"}]}}}");
  auto bad = testing_support::RunProcess({bin, "--port", "0", "--access-key-id", "a",
                                          "--secret-access-key", "b", "--fixtures",
                                          dir.path() + "/bad.json"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("Confidence") != std::string::npos);
}

TEST_CASE("hardening: Host must be signed, chunked bodies and odd methods get typed errors",
          "[errors][auth][hardening]") {
  SECTION("a signature that leaves Host out is IncompleteSignatureException") {
    rekognition::HttpRequest request;
    request.method = "POST";
    request.url = Endpoint().url() + "/";
    const std::string body = RequestJson(BytesJson(Sample("logo.png")));
    request.body = body;
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "RekognitionService.DetectCustomLabels"}};
    rekognition::SigV4Params params;
    params.region = "us-east-1";
    params.service = "rekognition";
    rekognition::SigV4Signer().Sign(
        request, rekognition::Credentials{kTestKeyId, kTestSecret, "", std::nullopt}, params);
    // Re-sign without host: drop it from SignedHeaders and recompute.
    auto& authorization = *std::find_if(request.headers.begin(), request.headers.end(),
                                        [](const auto& h) { return h.first == "Authorization"; });
    const auto at = authorization.second.find("host;");
    REQUIRE(at != std::string::npos);
    authorization.second.erase(at, 5);
    rekognition::CurlTransport transport;
    auto result = transport.Send(request);
    REQUIRE(std::holds_alternative<rekognition::HttpResponse>(result));
    const auto& response = std::get<rekognition::HttpResponse>(result);
    CHECK(response.status == 400);
    CHECK(ErrorType(response).find("IncompleteSignatureException") != std::string::npos);
  }
  SECTION("a chunked body is refused before it is read") {
    auto run = testing_support::RunProcess({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                            "-X", "POST", "-H", "Transfer-Encoding: chunked",
                                            "--data-binary", "{}", Endpoint().url() + "/"});
    CHECK(run.out == "400");
  }
  SECTION("an unsupported method answers in the service's error shape") {
    auto run = testing_support::RunProcess({"curl", "-s", "-X", "PATCH", Endpoint().url() + "/"});
    CHECK(run.out.find("\"__type\"") != std::string::npos);
  }
}

namespace {

int PortOf(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

// A TCP connection to 127.0.0.1:port (-1 when refused).
int ConnectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

struct Received {
  std::string bytes;
  bool closed = false;  // the server closed the connection
  double seconds = 0;   // until it closed (or the wait ended)
};

// Reads until the server closes the connection or `limit` passes.
Received ReadUntilClosed(int fd, std::chrono::milliseconds limit) {
  Received out;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd entry{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&entry, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      out.closed = true;
      break;
    }
    out.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

// Sends `request` on a new connection and reads until the server closes it.
Received Exchange(int port, const std::string& request) {
  const int fd = ConnectTo(port);
  REQUIRE(fd >= 0);
  REQUIRE(send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  const Received received = ReadUntilClosed(fd, std::chrono::seconds(5));
  close(fd);
  return received;
}

int CountResponses(const std::string& bytes) {
  int count = 0;
  for (std::size_t at = bytes.find("HTTP/1.1 "); at != std::string::npos;
       at = bytes.find("HTTP/1.1 ", at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("a body of unclear length is answered 400 and the connection closed",
          "[hardening][framing]") {
  const int port = PortOf(Endpoint().url());
  // A body the server must not read: it holds what would be a second request.
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  SECTION("chunked") {
    const std::string chunk = std::string("2\r\n{}\r\n") + "0\r\n\r\n";
    const std::string request =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n\r\n" +
        chunk + smuggled;
    const Received received = Exchange(port, request);
    INFO(received.bytes);
    CHECK(received.bytes.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(received.bytes.find("Transfer-Encoding is not supported") != std::string::npos);
    CHECK(CountResponses(received.bytes) == 1);
    // Closed at once, not after the 2 s keep-alive timeout.
    CHECK(received.closed);
    CHECK(received.seconds < 1.5);
  }
  SECTION("two Content-Length headers that disagree") {
    const std::string request =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: " +
        std::to_string(2 + smuggled.size()) +
        "\r\nX-Amz-Target: RekognitionService.DetectCustomLabels\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n\r\n{}" +
        smuggled;
    const Received received = Exchange(port, request);
    INFO(received.bytes);
    CHECK(received.bytes.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(received.bytes.find("conflicting Content-Length") != std::string::npos);
    CHECK(CountResponses(received.bytes) == 1);
    CHECK(received.closed);
    CHECK(received.seconds < 1.5);
  }
  SECTION("two equal Content-Length headers are one length") {
    const std::string request =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n"
        "Connection: close\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n{}";
    const Received received = Exchange(port, request);
    INFO(received.bytes);
    // Past the framing check: the operation is what is missing.
    CHECK(received.bytes.find("UnknownOperationException") != std::string::npos);
  }
}

TEST_CASE("request headers have a deadline", "[hardening][slow]") {
  LocalEndpoint endpoint({"--header-timeout-ms", "1000"});
  const int fd = ConnectTo(PortOf(endpoint.url()));
  REQUIRE(fd >= 0);
  // One header byte every 100 ms: each read succeeds, the whole never ends.
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'a');
    for (std::size_t i = 0; i < head.size() && !stop; ++i) {
      if (send(fd, &head[i], 1, MSG_NOSIGNAL) != 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const Received received = ReadUntilClosed(fd, std::chrono::seconds(10));
  stop = true;
  trickle.join();
  close(fd);
  CHECK(received.closed);
  CHECK(received.seconds > 0.8);
  CHECK(received.seconds < 3.0);
}

TEST_CASE("150 clients sending a header byte a second do not starve a real call",
          "[hardening][slow][concurrency]") {
  LocalEndpoint endpoint;
  const int port = PortOf(endpoint.url());
  constexpr int kSlowClients = 150;
  std::vector<int> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    const int fd = ConnectTo(port);
    REQUIRE(fd >= 0);
    slow.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa";
    for (std::size_t i = 0; i < head.size() && !stop; ++i) {
      for (int fd : slow) (void)send(fd, &head[i], 1, MSG_NOSIGNAL);
      for (int k = 0; k < 10 && !stop; ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // Let every slow connection reach a worker first.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto client = MakeClient(endpoint.url());
  const auto started = std::chrono::steady_clock::now();
  const auto result = client.DetectCustomLabels(BytesRequest(Sample("logo.png")));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stop = true;
  trickle.join();
  for (int fd : slow) close(fd);
  CHECK(result.custom_labels.size() == 1);
  CHECK(seconds < 1.0);
}
