// The credentials chain against botocore's, the reference: for the same config
// files and environment both must pick the same source and send STS the same
// form parameters (captured at a loopback STS), signed with the same key.
#include <rekognition/auth/credentials_providers.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "loopback_server.hpp"
#include "peers.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}),
                       (std::vector<std::string>{"botocore"}))

namespace {

// Prints the access key botocore's default chain resolves ("-" for none).
constexpr const char* kBotocore = R"PY(
import sys, botocore.session
session = botocore.session.Session(profile=sys.argv[1] or None)
credentials = session.get_credentials()
print(credentials.get_frozen_credentials().access_key if credentials else "-")
)PY";

struct Captured {
  std::string action;
  std::vector<std::pair<std::string, std::string>> params;  // without Action and Version
  std::string signed_by;                                    // key id in Authorization, or ""

  bool operator==(const Captured& other) const {
    return action == other.action && params == other.params && signed_by == other.signed_by;
  }
};

std::ostream& operator<<(std::ostream& out, const Captured& captured) {
  out << captured.action << " signed by '" << captured.signed_by << "':";
  for (const auto& [name, value] : captured.params) out << " " << name << "=" << value;
  return out;
}

class Sts {
 public:
  Sts() {
    server_.server().Post("/", [this](const httplib::Request& request,
                                      httplib::Response& response) {
      Captured captured;
      for (auto [name, value] : testing_support::FormParams(request.body)) {
        if (name == "Action") {
          captured.action = value;
        } else if (name != "Version") {
          // The made-up session name holds the time: compare its form only.
          if (name == "RoleSessionName" && value.rfind("botocore-session-", 0) == 0)
            value = "botocore-session-<time>";
          captured.params.emplace_back(name, value);
        }
      }
      const std::string authorization = request.get_header_value("Authorization");
      const auto credential = authorization.find("Credential=");
      if (credential != std::string::npos)
        captured.signed_by = authorization.substr(
            credential + 11, authorization.find('/', credential) - credential - 11);
      const std::string key = captured.action == "AssumeRole" ? "ASIAROLE" : "ASIAWEB";
      {
        std::lock_guard<std::mutex> lock(mutex_);
        captured_.push_back(std::move(captured));
      }
      const std::string action =
          request.body.find("Action=AssumeRoleWithWebIdentity") != std::string::npos
              ? "AssumeRoleWithWebIdentity"
              : "AssumeRole";
      response.set_content(
          "<" + action + "Response><" + action + "Result><Credentials><AccessKeyId>" + key +
              "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
              "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>"
              "<Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA:s"
              "</AssumedRoleId></AssumedRoleUser></" +
              action + "Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></" +
              action + "Response>",
          "text/xml");
    });
    server_.Start();
  }
  std::vector<Captured> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::move(captured_);
  }
  std::string url() const { return server_.url(); }

 private:
  testing_support::LoopbackServer server_;
  std::mutex mutex_;
  std::vector<Captured> captured_;
};

struct Scenario {
  const char* name;
  std::map<std::string, std::string> env;
  std::string profile_from_code;
};

}  // namespace

TEST_CASE("our chain and botocore's pick the same source and send STS the same parameters",
          "[botocore][sts]") {
  Sts sts;
  testing_support::TempDir dir("rekognition-parity");
  const std::string env_token = dir.Write("env-token", "ENV.JWT.TOKEN");
  const std::string profile_token = dir.Write("profile-token", "PROFILE.JWT.TOKEN");
  dir.Write("config",
            "[default]\nregion = eu-west-1\n"
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/role\n"
            "source_profile = base\n"
            "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = bs\n"
            "[profile full]\nrole_arn = arn:aws:iam::123456789012:role/full\n"
            "source_profile = base\nexternal_id = ext id\nrole_session_name = named\n"
            "duration_seconds = 1800\n"
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
            "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = base\n"
            "[profile keyed]\nrole_arn = arn:aws:iam::123456789012:role/keyed\n"
            "source_profile = keyed-source\n"
            "[profile keyed-source]\nrole_arn = arn:aws:iam::123456789012:role/never\n"
            "source_profile = base\naws_access_key_id = AKIDKEYED\naws_secret_access_key = ks\n"
            "[profile envrole]\nrole_arn = arn:aws:iam::123456789012:role/envrole\n"
            "credential_source = Environment\n"
            "[profile web]\nweb_identity_token_file = " +
                profile_token +
                "\nrole_arn = arn:aws:iam::123456789012:role/web\nrole_session_name = web-session\n"
                "[profile webchain]\nrole_arn = arn:aws:iam::123456789012:role/webchain\n"
                "source_profile = web\n"
                "[profile plain]\naws_access_key_id = AKIDPLAIN\naws_secret_access_key = ps\n");
  const std::map<std::string, std::string> keys = {{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                   {"AWS_SECRET_ACCESS_KEY", "es"}};
  const std::map<std::string, std::string> web_env = {
      {"AWS_WEB_IDENTITY_TOKEN_FILE", env_token},
      {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/envweb"}};
  auto merge = [](std::map<std::string, std::string> a,
                  const std::map<std::string, std::string>& b) {
    for (const auto& [k, v] : b) a[k] = v;
    return a;
  };
  const std::vector<Scenario> scenarios = {
      {"environment keys beat AWS_PROFILE's role", merge(keys, {{"AWS_PROFILE", "role"}}), ""},
      {"a profile from code skips the environment keys", keys, "role"},
      {"assume-role profile before web identity", merge(web_env, {{"AWS_PROFILE", "role"}}), ""},
      {"every assume-role setting", {}, "full"},
      {"a chain of roles", {}, "a"},
      {"a source profile's keys win over its role", {}, "keyed"},
      {"credential_source Environment", keys, "envrole"},
      {"web identity from the environment only", web_env, ""},
      {"AWS_ROLE_ARN overrides the profile's role only",
       {{"AWS_PROFILE", "web"}, {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/override"}},
       ""},
      {"AWS_ROLE_SESSION_NAME overrides the profile's session name",
       {{"AWS_PROFILE", "web"}, {"AWS_ROLE_SESSION_NAME", "env-session"}},
       ""},
      {"a profile from code ignores the web identity variables", web_env, "web"},
      {"web identity before the shared files' keys", merge(web_env, {{"AWS_PROFILE", "plain"}}),
       ""},
      {"a profile from code with keys ignores the web identity variables", web_env, "plain"},
      {"a web identity source profile", {}, "webchain"},
  };
  for (const Scenario& scenario : scenarios) {
    INFO(scenario.name);
    std::map<std::string, std::string> vars = scenario.env;
    vars["AWS_CONFIG_FILE"] = dir.path() + "/config";
    vars["AWS_SHARED_CREDENTIALS_FILE"] = dir.path() + "/no-credentials";
    vars["AWS_ENDPOINT_URL_STS"] = sts.url();
    vars["AWS_EC2_METADATA_DISABLED"] = "true";
    vars["HOME"] = dir.path();
    // botocore signs STS calls to a custom endpoint only when it knows a region.
    vars["AWS_DEFAULT_REGION"] = "eu-west-1";
    // botocore runs with exactly these variables (and the PATH to python3).
    std::map<std::string, std::string> process_env = vars;
    for (const char* name :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_ARN",
          "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_ENDPOINT_URL",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"})
      if (!vars.count(name)) process_env[name] = "";
    const auto reference = testing_support::RunProcess(
        {"python3", "-c", kBotocore, scenario.profile_from_code}, process_env);
    INFO(reference.err);
    REQUIRE(reference.exit_code == 0);
    const std::string reference_key = reference.out.substr(0, reference.out.find('\n'));
    const std::vector<Captured> reference_calls = sts.Take();

    rekognition::DefaultCredentialsChainOptions options;
    options.environment = rekognition::FixedEnvironment(vars);
    if (!scenario.profile_from_code.empty()) options.profile = scenario.profile_from_code;
    const std::string ours =
        rekognition::DefaultCredentialsChain(options)->GetCredentials().access_key_id;
    const std::vector<Captured> our_calls = sts.Take();

    CHECK(ours == reference_key);
    CHECK(our_calls == reference_calls);
  }
}
