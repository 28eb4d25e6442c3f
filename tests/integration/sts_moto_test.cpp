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

#include "peers.hpp"
#include "process.hpp"

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
    for (int i = 0; i < 200; ++i) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
      const bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (up) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto setup = RunProcess({"python3", "-c", kSetupScript, url});
    if (setup.exit_code != 0) throw std::runtime_error("IAM setup failed: " + setup.err);
    rapidjson::Document document;
    document.Parse(setup.out.c_str());
    if (!document.IsObject()) throw std::runtime_error("unexpected setup output: " + setup.out);
    key_id = document["id"].GetString();
    secret = document["secret"].GetString();
  }
};

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/rekognition-sts-XXXXXX";
    if (mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(path_ + "/" + name) << text;
    return path_ + "/" + name;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
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

}  // namespace

TEST_CASE("an assume-role profile assumes the role through moto's STS", "[moto][sts]") {
  Moto moto(true);
  TempDir dir;
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
  TempDir dir;
  const std::string token = dir.Write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln");
  const auto env = rekognition::FixedEnvironment(
      {{"AWS_CONFIG_FILE", "/dev/null"},
       {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
       {"AWS_REGION", "us-east-1"},
       {"AWS_ENDPOINT_URL_STS", moto.url},
       {"AWS_WEB_IDENTITY_TOKEN_FILE", token},
       {"AWS_ROLE_ARN", "arn:aws:iam::" + std::string(kAccount) + ":role/app"},
       {"AWS_ROLE_SESSION_NAME", "pod-session"},
       {"AWS_EC2_METADATA_DISABLED", "true"}});
  rekognition::DefaultCredentialsChainOptions options;
  options.environment = env;
  const auto credentials = rekognition::DefaultCredentialsChain(options)->GetCredentials();
  CHECK(credentials.access_key_id.rfind("ASIA", 0) == 0);
  CHECK(CallerArn(credentials, env) ==
        "arn:aws:sts::" + std::string(kAccount) + ":assumed-role/app/pod-session");
}
