// STS against moto_server: an assume-role profile (AssumeRole signed with the
// source profile's keys, checked by moto's IAM authentication) and a web
// identity (AssumeRoleWithWebIdentity, unsigned); each time GetCallerIdentity,
// signed with the returned credentials, must answer the assumed role's ARN.
#include <rekognition/auth/credentials_providers.hpp>

#include <arpa/inet.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.hpp"
#include "peers.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"moto_server", "python3"}),
                       (std::vector<std::string>{"boto3", "moto"}))

namespace {

using testing_support::BackgroundProcess;
using testing_support::RunProcess;

constexpr const char* kAccount = "123456789012";

// An IAM user allowed to assume role "app", whose policy allows everything.
constexpr const char* kSetupScript = R"PY(
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]}
allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
             "Resource": "*"}]}
assume = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": "sts:AssumeRole", "Resource": "*"}]}
iam.create_user(UserName="caller")
key = iam.create_access_key(UserName="caller")["AccessKey"]
iam.put_user_policy(UserName="caller", PolicyName="p", PolicyDocument=json.dumps(assume))
iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(trust))
iam.put_role_policy(RoleName="app", PolicyName="p", PolicyDocument=json.dumps(allow_all))
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
)PY";
constexpr int kSetupActions = 5;

struct Moto {
  int port = testing_support::FreePort();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  BackgroundProcess process;
  std::string key_id, secret;

  explicit Moto(bool authenticate)
      : process({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)},
                authenticate ? std::map<std::string, std::string>{{"INITIAL_NO_AUTH_ACTION_COUNT",
                                                                   std::to_string(kSetupActions)}}
                             : std::map<std::string, std::string>{}) {
    if (!testing_support::WaitUntilListening(port))
      throw std::runtime_error("moto_server did not start listening on port " +
                               std::to_string(port));
    const auto setup = RunProcess({"python3", "-c", kSetupScript, url});
    if (setup.exit_code != 0) throw std::runtime_error("IAM setup failed: " + setup.err);
    rapidjson::Document document;
    document.Parse(setup.out.c_str());
    if (!document.IsObject()) throw std::runtime_error("unexpected setup output: " + setup.out);
    key_id = document["id"].GetString();
    secret = document["secret"].GetString();
  }
};

// GetCallerIdentity signed with `credentials`: the caller's ARN.
std::string CallerArn(const rekognition::Credentials& credentials,
                      const rekognition::EnvironmentLookup& env) {
  rekognition::detail::CredentialsServiceCaller caller{rekognition::CredentialsServiceOptions{}};
  const auto response = rekognition::detail::CallSts(
      caller, "GetCallerIdentity", {}, credentials, rekognition::Profile(), env,
      {credentials.secret_access_key, credentials.session_token}, "test");
  const auto* arn = response.result.Child("Arn");
  return arn ? arn->text : "<no Arn>";
}

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:123456789012:project/logos/version/logos.1/1714560000000";

// The CLI, unchanged, with `arguments` and only the AWS variables in `env`.
testing_support::ProcessResult RunCli(const std::string& endpoint,
                                      const std::vector<std::string>& arguments,
                                      std::map<std::string, std::string> env) {
  std::vector<std::string> argv = {std::string(REKOGNITION_BIN_DIR) + "/detect-custom-labels",
                                   "--project-version-arn",
                                   kArn,
                                   "--endpoint-url",
                                   endpoint,
                                   "--max-attempts",
                                   "1"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  argv.push_back("s3://my-bucket/shelf.jpg");
  for (const char* name :
       {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_SESSION_NAME", "AWS_ENDPOINT_URL"})
    if (!env.count(name)) env[name] = "";
  return RunProcess(argv, env);
}

}  // namespace

TEST_CASE("an assume-role profile assumes the role through moto's STS", "[moto][sts]") {
  Moto moto(true);
  testing_support::TempDir dir("rekognition-sts");
  dir.Write("config", "[profile app]\nrole_arn = arn:aws:iam::" + std::string(kAccount) +
                          ":role/app\nsource_profile = caller\nrole_session_name = ci-session\n"
                          "[profile caller]\naws_access_key_id = " +
                          moto.key_id + "\naws_secret_access_key = " + moto.secret + "\n");
  const auto env = rekognition::FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                                  {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                                                  {"AWS_REGION", "us-east-1"},
                                                  {"AWS_ENDPOINT_URL_STS", moto.url}});
  rekognition::DefaultCredentialsChainOptions options;
  options.profile = "app";
  options.environment = env;
  const auto credentials = rekognition::DefaultCredentialsChain(options)->GetCredentials();
  CHECK(credentials.access_key_id.rfind("ASIA", 0) == 0);
  CHECK_FALSE(credentials.session_token.empty());
  REQUIRE(credentials.expiration);
  CHECK(*credentials.expiration > std::chrono::system_clock::now());
  CHECK(CallerArn(credentials, env) ==
        "arn:aws:sts::" + std::string(kAccount) + ":assumed-role/app/ci-session");

  // The CLI with --profile: moto checks both signatures and the role's policy.
  const auto cli = RunCli(moto.url, {"--profile", "app", "--region", "us-east-1"},
                          {{"AWS_CONFIG_FILE", dir.path() + "/config"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                           {"AWS_ENDPOINT_URL_STS", moto.url},
                           {"AWS_EC2_METADATA_DISABLED", "true"}});
  INFO(cli.err);
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.find("\"Name\": \"MyLogo\"") != std::string::npos);

  // moto checks the AssumeRole signature: a wrong source secret is refused
  // with STS's code and request id, and the secret never shows.
  dir.Write("config", "[profile app]\nrole_arn = arn:aws:iam::" + std::string(kAccount) +
                          ":role/app\nsource_profile = caller\n[profile caller]\n"
                          "aws_access_key_id = " +
                          moto.key_id + "\naws_secret_access_key = wrong-secret-value-123\n");
  try {
    rekognition::DefaultCredentialsChain(options)->GetCredentials();
    FAIL("expected an error");
  } catch (const rekognition::CredentialsSourceError& e) {
    CHECK(e.code() == "SignatureDoesNotMatch");
    CHECK(e.http_status() == 403);
    CHECK(std::string(e.what()).find("wrong-secret-value") == std::string::npos);
  }
}

TEST_CASE("a web identity assumes the role through moto's STS", "[moto][sts]") {
  Moto moto(false);  // AssumeRoleWithWebIdentity is unsigned
  testing_support::TempDir dir("rekognition-sts");
  const std::string token = dir.Write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln");
  const std::map<std::string, std::string> pod = {
      {"AWS_CONFIG_FILE", "/dev/null"},
      {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
      {"AWS_REGION", "us-east-1"},
      {"AWS_ENDPOINT_URL_STS", moto.url},
      {"AWS_WEB_IDENTITY_TOKEN_FILE", token},
      {"AWS_ROLE_ARN", "arn:aws:iam::" + std::string(kAccount) + ":role/app"},
      {"AWS_ROLE_SESSION_NAME", "pod-session"},
      {"AWS_EC2_METADATA_DISABLED", "true"}};
  const auto env = rekognition::FixedEnvironment(pod);
  rekognition::DefaultCredentialsChainOptions options;
  options.environment = env;
  const auto credentials = rekognition::DefaultCredentialsChain(options)->GetCredentials();
  CHECK(credentials.access_key_id.rfind("ASIA", 0) == 0);
  CHECK(CallerArn(credentials, env) ==
        "arn:aws:sts::" + std::string(kAccount) + ":assumed-role/app/pod-session");

  // The CLI in a pod: IRSA through the environment only.
  const auto cli = RunCli(moto.url, {}, pod);
  INFO(cli.err);
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.find("\"Name\": \"MyLogo\"") != std::string::npos);
}

TEST_CASE("the CLI with an IAM Identity Center profile", "[moto][sso]") {
  Moto moto(false);
  testing_support::LoopbackServer sso;
  std::string bearer;
  sso.server().Get("/federation/credentials",
                   [&](const httplib::Request& request, httplib::Response& response) {
                     bearer = request.get_header_value("x-amz-sso_bearer_token");
                     response.set_content(
                         "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSOCLI\","
                         "\"secretAccessKey\":\"s\",\"sessionToken\":\"t\","
                         "\"expiration\":4102444800000}}",
                         "application/json");
                   });
  sso.Start();
  testing_support::TempDir dir("rekognition-sso");
  dir.Write("config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
            "sso_role_name = Developer\nregion = us-east-1\n"
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
            "sso_region = us-east-1\n");
  std::system(("mkdir -p '" + dir.path() + "/.aws/sso/cache'").c_str());
  dir.Write(".aws/sso/cache/" + rekognition::detail::Sha1Hex("corp") + ".json",
            "{\"accessToken\":\"cached-access\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
  const auto cli = RunCli(moto.url, {"--profile", "dev"},
                          {{"AWS_CONFIG_FILE", dir.path() + "/config"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                           {"HOME", dir.path()},
                           {"AWS_ENDPOINT_URL_SSO", sso.url()},
                           {"AWS_EC2_METADATA_DISABLED", "true"}});
  INFO(cli.err);
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.find("\"Name\": \"MyLogo\"") != std::string::npos);
  CHECK(bearer == "cached-access");
}
