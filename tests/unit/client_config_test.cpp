// How the client resolves profile, region, endpoint, credentials and retry
// mode from code, environment and the shared files.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/testing/stub_transport.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace rekognition;

namespace client_config_test {

namespace {

constexpr const char* kArn =
    "arn:aws:rekognition:eu-west-1:111122223333:project/logos/version/logos.1/1714560000000";

// A temporary folder with AWS shared config and credentials files.
struct SharedFiles {
  std::filesystem::path dir;
  SharedFiles(const std::string& config, const std::string& credentials) {
    char pattern[] = "/tmp/rk-client-config-XXXXXX";
    dir = mkdtemp(pattern);
    std::ofstream(dir / "config") << config;
    std::ofstream(dir / "credentials") << credentials;
  }
  ~SharedFiles() { std::filesystem::remove_all(dir); }
  std::map<std::string, std::string> Env(std::map<std::string, std::string> extra = {}) const {
    extra["AWS_CONFIG_FILE"] = (dir / "config").string();
    extra["AWS_SHARED_CREDENTIALS_FILE"] = (dir / "credentials").string();
    extra["HOME"] = dir.string();
    extra["AWS_EC2_METADATA_DISABLED"] = "true";
    return extra;
  }
};

DetectCustomLabelsRequest Request() {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromS3("bucket", "key.png");
  return request;
}

struct Setup {
  std::shared_ptr<StubTransport> stub = std::make_shared<StubTransport>();
  std::vector<std::chrono::milliseconds> sleeps;
  ClientConfig config;
  explicit Setup(const std::map<std::string, std::string>& env) {
    config.transport = stub;
    config.environment = FixedEnvironment(env);
    config.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
  }
};

const char* kOk = R"({"CustomLabels":[]})";

}  // namespace

TEST_CASE("profile supplies region, credentials and retry settings", "[client][config]") {
  SharedFiles files("[profile work]\nregion = eu-west-1\nretry_mode = legacy\nmax_attempts = 2\n",
                    "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n");
  Setup setup(files.Env({{"AWS_PROFILE", "work"}}));
  setup.stub->Respond(503, "").Respond(503, "");
  Client client(setup.config);
  CHECK_THROWS_AS(client.DetectCustomLabels(Request()), ServiceError);
  const auto requests = setup.stub->requests();
  REQUIRE(requests.size() == 2);  // max_attempts = 2 from the profile
  CHECK(requests[0].url == "https://rekognition.eu-west-1.amazonaws.com/");
  CHECK(requests[0].Header("Authorization")->find("Credential=AKIDWORK/") != std::string::npos);
  CHECK(requests[0].Header("Authorization")->find("/eu-west-1/rekognition/") != std::string::npos);
  CHECK(*requests[1].Header("amz-sdk-request") == "attempt=2; max=2");
}

TEST_CASE("code beats environment beats profile", "[client][config]") {
  SharedFiles files("[default]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:1111\n", "");
  Setup setup(files.Env({{"AWS_REGION", "us-west-2"},
                         {"AWS_ENDPOINT_URL_REKOGNITION", "http://127.0.0.1:2222"},
                         {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                         {"AWS_SECRET_ACCESS_KEY", "env-secret"}}));
  setup.stub->Respond(200, kOk);
  Client from_env(setup.config);
  from_env.DetectCustomLabels(Request());
  auto sent = setup.stub->requests().back();
  CHECK(sent.url == "http://127.0.0.1:2222/");
  CHECK(sent.Header("Authorization")->find("Credential=AKIDENV/") != std::string::npos);
  CHECK(sent.Header("Authorization")->find("/us-west-2/rekognition/") != std::string::npos);

  setup.config.region = "ap-southeast-2";
  setup.config.endpoint_url = "http://127.0.0.1:3333";
  setup.stub->Respond(200, kOk);
  Client from_code(setup.config);
  from_code.DetectCustomLabels(Request());
  sent = setup.stub->requests().back();
  CHECK(sent.url == "http://127.0.0.1:3333/");
  CHECK(sent.Header("Authorization")->find("/ap-southeast-2/rekognition/") != std::string::npos);
}

TEST_CASE("FIPS and dual-stack select the rule set's endpoints", "[client][config]") {
  SharedFiles files("[default]\nuse_fips_endpoint = true\n", "");
  Setup setup(files.Env({{"AWS_ACCESS_KEY_ID", "a"}, {"AWS_SECRET_ACCESS_KEY", "b"}}));
  setup.config.region = "us-east-1";
  setup.stub->Respond(200, kOk);
  Client(setup.config).DetectCustomLabels(Request());
  CHECK(setup.stub->requests().back().url == "https://rekognition-fips.us-east-1.amazonaws.com/");

  setup.config.use_fips = false;
  setup.config.use_dual_stack = true;
  setup.stub->Respond(200, kOk);
  Client(setup.config).DetectCustomLabels(Request());
  CHECK(setup.stub->requests().back().url == "https://rekognition.us-east-1.api.aws/");
}

TEST_CASE("missing region, bad retry mode and unknown profile are ConfigurationErrors",
          "[client][config]") {
  SharedFiles files("", "");
  {
    Setup setup(files.Env({{"AWS_ACCESS_KEY_ID", "a"}, {"AWS_SECRET_ACCESS_KEY", "b"}}));
    try {
      Client(setup.config).DetectCustomLabels(Request());
      FAIL("no exception");
    } catch (const ConfigurationError& e) {
      CHECK(e.message().find("AWS_REGION") != std::string::npos);
    }
  }
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"}, {"AWS_RETRY_MODE", "sometimes"}}));
    CHECK_THROWS_AS(Client(setup.config).DetectCustomLabels(Request()), ConfigurationError);
  }
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"}, {"AWS_MAX_ATTEMPTS", "zero"}}));
    CHECK_THROWS_AS(Client(setup.config).DetectCustomLabels(Request()), ConfigurationError);
  }
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"}, {"AWS_PROFILE", "nope"}}));
    try {
      Client(setup.config).DetectCustomLabels(Request());
      FAIL("no exception");
    } catch (const ConfigurationError& e) {
      CHECK(e.message().find("nope") != std::string::npos);
    }
  }
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"}}));
    try {
      Client(setup.config).DetectCustomLabels(Request());
      FAIL("no exception");
    } catch (const CredentialsError& e) {
      CHECK(e.message().find("AWS_ACCESS_KEY_ID") != std::string::npos);
    }
  }
}

TEST_CASE("retry modes from the environment: legacy 5 attempts, adaptive slows after throttling",
          "[client][config]") {
  SharedFiles files("", "");
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"},
                           {"AWS_RETRY_MODE", "legacy"},
                           {"AWS_ACCESS_KEY_ID", "a"},
                           {"AWS_SECRET_ACCESS_KEY", "b"}}));
    for (int i = 0; i < 5; ++i) setup.stub->Respond(500, "");
    CHECK_THROWS(Client(setup.config).DetectCustomLabels(Request()));
    CHECK(setup.stub->requests().size() == 5);
    CHECK(setup.sleeps.size() == 4);
  }
  {
    Setup setup(files.Env({{"AWS_REGION", "us-east-1"},
                           {"AWS_RETRY_MODE", "adaptive"},
                           {"AWS_ACCESS_KEY_ID", "a"},
                           {"AWS_SECRET_ACCESS_KEY", "b"}}));
    const char* throttle = R"({"__type":"ThrottlingException","message":"slow"})";
    setup.stub->Respond(400, throttle).Respond(400, throttle).Respond(200, kOk);
    Client client(setup.config);
    CHECK(client.DetectCustomLabels(Request()).attempts == 3);
    // Two backoff sleeps plus at least one rate-limiter wait before a send.
    CHECK(setup.sleeps.size() >= 3);
  }
}

}  // namespace client_config_test
