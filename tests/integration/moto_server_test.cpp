// End to end against moto_server with IAM signature checking: moto verifies
// our SigV4 signatures with botocore's own code and applies IAM policies.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode

#include <arpa/inet.h>

#include <string>

#include "peers.hpp"
#include "process.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"moto_server", "python3", "aws"}),
                       (std::vector<std::string>{"boto3", "moto"}))

namespace {

using testing_support::BackgroundProcess;
using testing_support::RunProcess;

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:123456789012:project/logos/version/logos.1/1714560000000";
constexpr const char* kRegion = "us-east-1";

// IAM users made while moto still accepts unauthenticated calls (its first
// INITIAL_NO_AUTH_ACTION_COUNT actions); every later call is checked.
constexpr const char* kSetupScript = R"PY(
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Action": "rekognition:DetectCustomLabels", "Resource": "*"}]}
deny_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "s3:GetObject", "Resource": "*"}]}
out = {}
for user, policy in (("allowed", allow), ("denied", deny_all)):
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps(policy))
    out[user] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
print(json.dumps(out))
)PY";
constexpr int kSetupActions = 6;

struct Keys {
  std::string id;
  std::string secret;
};

// One moto_server for the whole executable, started on first use.
struct MotoServer {
  int port = testing_support::FreePort();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  BackgroundProcess process{{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)},
                            {{"INITIAL_NO_AUTH_ACTION_COUNT", std::to_string(kSetupActions)},
                             {"MOTO_ALLOW_NONEXISTENT_REGION", "true"}}};
  Keys allowed, denied;

  MotoServer() {
    WaitUntilListening();
    auto setup = RunProcess({"python3", "-c", kSetupScript, url});
    if (setup.exit_code != 0) throw std::runtime_error("IAM setup failed: " + setup.err);
    allowed = ExtractKeys(setup.out, "allowed");
    denied = ExtractKeys(setup.out, "denied");
  }

  void WaitUntilListening() {
    for (int i = 0; i < 200; ++i) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
      const bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("moto_server did not start listening on port " + std::to_string(port));
  }

  static Keys ExtractKeys(const std::string& json, const std::string& user) {
    rapidjson::Document document;
    document.Parse(json.c_str());
    if (!document.IsObject() || !document.HasMember(user.c_str()))
      throw std::runtime_error("unexpected IAM setup output: " + json);
    const auto& entry = document[user.c_str()];
    return Keys{entry["id"].GetString(), entry["secret"].GetString()};
  }
};

MotoServer& Server() {
  static MotoServer server;
  return server;
}

rekognition::Client MakeClient(const std::string& id, const std::string& secret) {
  rekognition::ClientConfig config;
  config.region = kRegion;
  config.endpoint_url = Server().url;
  config.credentials = rekognition::Credentials{id, secret, "", std::nullopt};
  config.retry.max_attempts = 1;
  return rekognition::Client(config);
}

rekognition::DetectCustomLabelsRequest Request() {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = rekognition::Image::FromS3("my-bucket", "shelf photo ü.jpg");
  request.min_confidence = 50;
  return request;
}

testing_support::ProcessResult RunCli(const Keys& keys) {
  return RunProcess({std::string(REKOGNITION_BIN_DIR) + "/detect-custom-labels",
                     "--project-version-arn", kArn, "--region", kRegion, "--endpoint-url",
                     Server().url, "--max-attempts", "1", "s3://my-bucket/shelf photo ü.jpg"},
                    {{"AWS_ACCESS_KEY_ID", keys.id},
                     {"AWS_SECRET_ACCESS_KEY", keys.secret},
                     {"AWS_SESSION_TOKEN", ""},
                     {"AWS_PROFILE", ""},
                     {"AWS_REGION", ""}});
}

}  // namespace

TEST_CASE("the allowed key gets moto's label", "[moto]") {
  auto client = MakeClient(Server().allowed.id, Server().allowed.secret);
  const auto result = client.DetectCustomLabels(Request());
  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels[0].name == "MyLogo");
  CHECK(result.custom_labels[0].confidence == Approx(77.7729721069336));
  REQUIRE(result.custom_labels[0].geometry);
  REQUIRE(result.custom_labels[0].geometry->bounding_box);
  CHECK(result.custom_labels[0].geometry->bounding_box->width == Approx(0.198987677693367));
  CHECK(result.attempts == 1);

  const auto cli = RunCli(Server().allowed);
  INFO(cli.err);
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.find("\"Name\": \"MyLogo\"") != std::string::npos);
  CHECK(cli.out.find("\"Confidence\": 77.7729721069336") != std::string::npos);
}

TEST_CASE("the CLI prints what `aws rekognition detect-custom-labels` prints", "[moto][aws-cli]") {
  const auto& keys = Server().allowed;
  const std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", keys.id},
                                                  {"AWS_SECRET_ACCESS_KEY", keys.secret},
                                                  {"AWS_SESSION_TOKEN", ""},
                                                  {"AWS_PROFILE", ""},
                                                  {"AWS_REGION", ""},
                                                  {"AWS_CONFIG_FILE", "/dev/null"},
                                                  {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
  const auto reference = RunProcess(
      {"aws", "rekognition", "detect-custom-labels", "--region", kRegion, "--endpoint-url",
       Server().url, "--output", "json", "--project-version-arn", kArn, "--min-confidence", "50",
       "--image", R"({"S3Object":{"Bucket":"my-bucket","Name":"shelf photo ü.jpg"}})"},
      env);
  INFO(reference.err);
  REQUIRE(reference.exit_code == 0);
  const auto ours =
      RunProcess({std::string(REKOGNITION_BIN_DIR) + "/detect-custom-labels", "--region", kRegion,
                  "--endpoint-url", Server().url, "--project-version-arn", kArn, "--min-confidence",
                  "50", "s3://my-bucket/shelf photo ü.jpg"},
                 env);
  INFO(ours.err);
  REQUIRE(ours.exit_code == 0);
  CHECK(ours.out == reference.out);  // byte for byte: members, order, numbers, indentation

  // On errors we deliberately say more than the aws CLI v1: moto answers auth
  // failures in XML, which botocore's JSON parser reports as code "403" (exit
  // 255); we read the XML <Code> (DESIGN section 4) and exit 254 like aws CLI v2.
}

TEST_CASE("a wrong secret is SignatureDoesNotMatch", "[moto]") {
  auto client = MakeClient(Server().allowed.id, "not-the-secret-at-all-0000000000000000000");
  try {
    client.DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const rekognition::SignatureDoesNotMatch& e) {
    CHECK(e.http_status() == 403);
    CHECK_FALSE(e.retryable());
    CHECK(std::string(e.what()).find("not-the-secret") == std::string::npos);
  }
  const auto cli = RunCli(Keys{Server().allowed.id, "not-the-secret-at-all-0000000000000000000"});
  CHECK(cli.exit_code == 254);
  CHECK(
      cli.err.find("An error occurred (SignatureDoesNotMatch) when calling the DetectCustomLabels "
                   "operation: ") != std::string::npos);
  CHECK(cli.err.find("not-the-secret") == std::string::npos);
}

TEST_CASE("an unknown key is InvalidClientTokenId", "[moto]") {
  auto client = MakeClient("AKIAUNKNOWNKEY000000", "whatever-secret");
  CHECK_THROWS_AS(client.DetectCustomLabels(Request()), rekognition::InvalidClientTokenId);
  CHECK_THROWS_AS(client.DetectCustomLabels(Request()), rekognition::AuthError);
  const auto cli = RunCli(Keys{"AKIAUNKNOWNKEY000000", "whatever-secret"});
  CHECK(cli.exit_code == 254);
  CHECK(cli.err.find("An error occurred (InvalidClientTokenId)") != std::string::npos);
}

TEST_CASE("a user without the permission is AccessDenied", "[moto]") {
  auto client = MakeClient(Server().denied.id, Server().denied.secret);
  try {
    client.DetectCustomLabels(Request());
    FAIL("no exception");
  } catch (const rekognition::AccessDenied& e) {
    CHECK(e.http_status() == 403);
    CHECK(e.message().find("rekognition:DetectCustomLabels") != std::string::npos);
  }
  const auto cli = RunCli(Server().denied);
  CHECK(cli.exit_code == 254);
  CHECK(cli.err.find("An error occurred (AccessDenied)") != std::string::npos);
}
