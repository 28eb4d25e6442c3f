// Credentials from STS and IAM Identity Center: web identity, assume-role
// profiles, SSO, the XML reader, the endpoints and the chain's order.
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "loopback_server.hpp"
#include "rekognition/auth/credentials_providers.hpp"
#include "rekognition/client.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/iso8601.hpp"
#include "rekognition/detail/xml.hpp"
#include "rekognition/http/curl_transport.hpp"
#include "rekognition/testing/recording_transport.hpp"
#include "temp_dir.hpp"

using namespace rekognition;
using Clock = std::chrono::system_clock;
using testing_support::FormParams;
using RoleTempDir = testing_support::TempDir;

namespace role_credentials_test {

namespace {

// Answers every request with `handler` and records what was sent.
class FakeTransport : public HttpTransport {
 public:
  using Handler = std::function<HttpResult(const HttpRequest&)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}
  HttpResult Send(const HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Sent sent{request.method, request.url, request.headers, std::string(request.body)};
      sent_.push_back(std::move(sent));
    }
    return handler_(request);
  }
  struct Sent {
    std::string method, url;
    HttpHeaders headers;
    std::string body;
  };
  std::vector<Sent> sent() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_;
  }

 private:
  Handler handler_;
  std::mutex mutex_;
  std::vector<Sent> sent_;
};

HttpResponse Answer(int status, std::string body, HttpHeaders headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string StsCredentialsXml(const std::string& action, const std::string& key_id,
                              const std::string& expiration = "2099-01-01T00:00:00Z") {
  return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action +
         "Result><Credentials><AccessKeyId>" + key_id +
         "</AccessKeyId><SecretAccessKey>SECRETxyz</SecretAccessKey><SessionToken>TOKENxyz"
         "</SessionToken><Expiration>" +
         expiration + "</Expiration></Credentials></" + action +
         "Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></" + action +
         "Response>";
}

std::string StsErrorXml(const std::string& code, const std::string& message) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message +
         "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>";
}

std::string Param(const FakeTransport::Sent& sent, const std::string& name) {
  for (const auto& [key, value] : FormParams(sent.body))
    if (key == name) return value;
  return "<absent>";
}

CredentialsServiceOptions NoWaiting(std::shared_ptr<HttpTransport> transport) {
  CredentialsServiceOptions service;
  service.transport = std::move(transport);
  service.sleep = [](std::chrono::milliseconds) {};
  return service;
}

}  // namespace

TEST_CASE("XML reader: STS documents, entities, CDATA and namespaces", "[xml]") {
  detail::XmlElement root;
  std::string error;
  REQUIRE(detail::ParseXml(
      "<?xml version=\"1.0\"?>\n<!-- c --><a:R xmlns:a=\"x\"><B k='v'>1 &amp; 2 &#x41;</B>"
      "<C><![CDATA[<raw>]]></C><D/></a:R>",
      root, error));
  CHECK(root.name == "R");
  CHECK(root.Child("B")->text == "1 & 2 A");
  CHECK(root.Child("C")->text == "<raw>");
  CHECK(root.Child("D")->text.empty());
  CHECK(root.Find({"C"}) != nullptr);
  CHECK(root.Find({"B", "X"}) == nullptr);
}

TEST_CASE("XML reader: refuses malformed, oversized and deeply nested documents", "[xml]") {
  detail::XmlElement root;
  std::string error;
  for (const char* bad : {"", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a x=1/>",
                          "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "<a><!-- </a>", "</a>",
                          "<a>x</a>trailing", "<>", "<n:/>", "<a></a:>"}) {
    INFO(bad);
    CHECK_FALSE(detail::ParseXml(bad, root, error));
    CHECK_FALSE(error.empty());
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  for (int i = 0; i < 40; ++i) deep += "</a>";
  CHECK_FALSE(detail::ParseXml(deep, root, error));
  CHECK(error.find("deeper") != std::string::npos);
  const std::string big = "<a>" + std::string(300 * 1024, 'x') + "</a>";
  CHECK_FALSE(detail::ParseXml(big, root, error));
  CHECK(error.find("too large") != std::string::npos);
}

TEST_CASE("STS, SSO and SSO OIDC endpoints follow their rule sets", "[endpoint]") {
  detail::CredentialsServiceCaller caller{CredentialsServiceOptions{}};
  const Profile none;
  auto sts = [&](std::map<std::string, std::string> vars, const Profile& profile = Profile()) {
    return caller.StsEndpoint(profile, FixedEnvironment(std::move(vars)));
  };
  CHECK(sts({{"AWS_REGION", "eu-west-1"}}).url == "https://sts.eu-west-1.amazonaws.com");
  CHECK(sts({{"AWS_REGION", "eu-west-1"}}).signing_region == "eu-west-1");
  CHECK(sts({}).url == "https://sts.amazonaws.com");
  CHECK(sts({}).signing_region == "us-east-1");
  CHECK(sts({{"AWS_REGION", "cn-north-1"}}).url == "https://sts.cn-north-1.amazonaws.com.cn");
  CHECK(sts({{"AWS_REGION", "us-gov-west-1"}, {"AWS_USE_FIPS_ENDPOINT", "true"}}).url ==
        "https://sts.us-gov-west-1.amazonaws.com");
  CHECK(sts({{"AWS_REGION", "us-east-2"}, {"AWS_USE_FIPS_ENDPOINT", "true"}}).url ==
        "https://sts-fips.us-east-2.amazonaws.com");
  CHECK(sts({{"AWS_REGION", "us-east-2"}, {"AWS_USE_DUALSTACK_ENDPOINT", "true"}}).url ==
        "https://sts.us-east-2.api.aws");
  CHECK(sts({{"AWS_REGION", "us-east-2"},
             {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"},
             {"AWS_ENDPOINT_URL", "http://127.0.0.1:8"}})
            .url == "http://127.0.0.1:9");
  CHECK(sts({{"AWS_ENDPOINT_URL", "http://127.0.0.1:8"}}).url == "http://127.0.0.1:8");
  const SharedConfig config = SharedConfig::Parse(
      "[default]\nregion = ap-south-1\nservices = local\n[services local]\nsts =\n"
      "  endpoint_url = http://127.0.0.1:7\nsso_oidc =\n  endpoint_url = http://127.0.0.1:6\n",
      "");
  const Profile profile = config.GetProfile("default");
  CHECK(sts({}, profile).url == "http://127.0.0.1:7");
  CHECK(sts({}, profile).signing_region == "ap-south-1");
  CHECK_THROWS_AS(sts({{"AWS_ENDPOINT_URL_STS", "not a url"}}), ConfigurationError);
  const auto env = FixedEnvironment({});
  CHECK(caller.SsoEndpoint(false, "eu-west-1", none, env).url ==
        "https://portal.sso.eu-west-1.amazonaws.com");
  CHECK(caller.SsoEndpoint(true, "eu-west-1", none, env).url ==
        "https://oidc.eu-west-1.amazonaws.com");
  CHECK(caller.SsoEndpoint(true, "eu-west-1", profile, env).url == "http://127.0.0.1:6");
  CHECK(caller
            .SsoEndpoint(false, "eu-west-1", none,
                         FixedEnvironment({{"AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:5"}}))
            .url == "http://127.0.0.1:5");
}

TEST_CASE("Web identity: unsigned AssumeRoleWithWebIdentity, token re-read at each call",
          "[credentials][web-identity]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "first.jwt.token");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIAWEB"));
  });
  WebIdentityCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                          {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"},
                                          {"AWS_REGION", "eu-west-1"},
                                          {"HOME", dir.path()}});
  options.service = NoWaiting(transport);
  WebIdentityCredentialsProvider provider(options);
  const Credentials first = provider.GetCredentials();
  CHECK(first.access_key_id == "ASIAWEB");
  CHECK(first.secret_access_key == "SECRETxyz");
  CHECK(first.session_token == "TOKENxyz");
  REQUIRE(first.expiration);
  CHECK(*first.expiration == *detail::ParseIso8601("2099-01-01T00:00:00Z"));
  dir.Write("token", "second.jwt.token");  // rotated by the kubelet
  provider.GetCredentials();
  const auto sent = transport->sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].url == "https://sts.eu-west-1.amazonaws.com");
  CHECK(sent[0].method == "POST");
  CHECK(FindHeader(sent[0].headers, "Authorization") == nullptr);  // unsigned
  CHECK(*FindHeader(sent[0].headers, "Content-Type") ==
        "application/x-www-form-urlencoded; charset=utf-8");
  const auto params = FormParams(sent[0].body);
  REQUIRE(params.size() == 5);
  CHECK(params[0] ==
        std::make_pair(std::string("Action"), std::string("AssumeRoleWithWebIdentity")));
  CHECK(params[1] == std::make_pair(std::string("Version"), std::string("2011-06-15")));
  CHECK(params[2].first == "RoleArn");
  CHECK(params[3].first == "RoleSessionName");
  CHECK(params[3].second.rfind("botocore-session-", 0) == 0);
  CHECK(params[4] ==
        std::make_pair(std::string("WebIdentityToken"), std::string("first.jwt.token")));
  CHECK(Param(sent[1], "WebIdentityToken") == "second.jwt.token");
}

TEST_CASE(
    "Web identity: each variable overrides its own profile key; a profile from code "
    "ignores the variables",
    "[credentials][web-identity]") {
  RoleTempDir dir;
  const std::string env_token = dir.Write("env-token", "ENVTOKEN");
  const std::string profile_token = dir.Write("profile-token", "PROFILETOKEN");
  dir.Write("config", "[profile pod]\nweb_identity_token_file = " + profile_token +
                          "\nrole_arn = arn:aws:iam::1:role/from-profile\n"
                          "role_session_name = profile-session\n");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIA1"));
  });
  std::map<std::string, std::string> vars = {{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                             {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"},
                                             {"AWS_WEB_IDENTITY_TOKEN_FILE", env_token},
                                             {"AWS_PROFILE", "pod"}};
  {
    WebIdentityCredentialsOptions options;
    options.environment = FixedEnvironment(vars);
    options.service = NoWaiting(transport);
    WebIdentityCredentialsProvider(options).GetCredentials();
  }
  {
    WebIdentityCredentialsOptions options;
    vars.erase("AWS_PROFILE");
    options.profile = "pod";
    options.ignore_environment = true;
    options.environment = FixedEnvironment(vars);
    options.service = NoWaiting(transport);
    WebIdentityCredentialsProvider(options).GetCredentials();
  }
  const auto sent = transport->sent();
  REQUIRE(sent.size() == 2);
  CHECK(Param(sent[0], "WebIdentityToken") == "ENVTOKEN");
  CHECK(Param(sent[0], "RoleArn") == "arn:aws:iam::1:role/from-profile");
  CHECK(Param(sent[0], "RoleSessionName") == "profile-session");
  CHECK(FormParams(sent[0].body)[2].first == "RoleSessionName");  // configured: first, as botocore
  CHECK(Param(sent[1], "WebIdentityToken") == "PROFILETOKEN");
}

TEST_CASE("Web identity: STS errors carry code and request id, never the token",
          "[credentials][web-identity]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "SECRET-JWT-abc");
  int calls = 0;
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> HttpResult {
    ++calls;
    return Answer(400, StsErrorXml("InvalidIdentityToken", "token SECRET-JWT-abc is not valid"),
                  {{"x-amzn-RequestId", "rid-42"}});
  });
  WebIdentityCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                          {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                          {"HOME", dir.path()}});
  options.service = NoWaiting(transport);
  try {
    WebIdentityCredentialsProvider(options).GetCredentials();
    FAIL("expected an error");
  } catch (const CredentialsSourceError& e) {
    CHECK(e.code() == "InvalidIdentityToken");
    CHECK(e.request_id() == "rid-42");
    CHECK(e.http_status() == 400);
    CHECK(std::string(e.what()).find("SECRET-JWT") == std::string::npos);
    CHECK(std::string(e.what()).find("<redacted>") != std::string::npos);
  }
  CHECK(calls == 1);  // not retryable
}

TEST_CASE("Web identity: a token echoed in the error code or request id never leaves",
          "[credentials][web-identity]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "SECRETJWTabc");
  const bool in_header = GENERATE(true, false);
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> HttpResult {
    std::string body = StsErrorXml("Bad.SECRETJWTabc", "refused");
    if (!in_header) {
      const std::string id = "<RequestId>req-err</RequestId>";
      body.replace(body.find(id), id.size(), "<RequestId>rid-SECRETJWTabc</RequestId>");
      return Answer(400, body);
    }
    return Answer(400, body, {{"x-amzn-RequestId", "rid-SECRETJWTabc"}});
  });
  WebIdentityCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                          {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                                          {"HOME", dir.path()}});
  options.service = NoWaiting(transport);
  try {
    WebIdentityCredentialsProvider(options).GetCredentials();
    FAIL("expected an error");
  } catch (const CredentialsSourceError& e) {
    CHECK(e.code().find("SECRETJWT") == std::string::npos);
    CHECK(e.request_id().find("SECRETJWT") == std::string::npos);
    CHECK(e.request_id().find("rid-") == 0);
    CHECK(std::string(e.what()).find("SECRETJWT") == std::string::npos);
  }
}

TEST_CASE("Web identity: IDPCommunicationError is retried", "[credentials][web-identity]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "jwt");
  int calls = 0;
  std::vector<std::chrono::milliseconds> waits;
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> HttpResult {
    if (++calls < 3) return Answer(400, StsErrorXml("IDPCommunicationError", "try again"));
    return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIAOK"));
  });
  WebIdentityCredentialsOptions options;
  options.environment = FixedEnvironment(
      {{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file}, {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"}});
  options.service = NoWaiting(transport);
  options.service.sleep = [&](std::chrono::milliseconds wait) { waits.push_back(wait); };
  CHECK(WebIdentityCredentialsProvider(options).GetCredentials().access_key_id == "ASIAOK");
  CHECK(calls == 3);
  CHECK(waits.size() == 2);
}

TEST_CASE("Default chain: a pod with a web identity never falls back to the instance role",
          "[credentials][web-identity][chain]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "jwt");
  std::atomic<int> metadata_calls{0};
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest& request) -> HttpResult {
    if (request.url.find("169.254.169.254") != std::string::npos) {
      ++metadata_calls;
      return Answer(200, "node-role");
    }
    return Answer(403, StsErrorXml("AccessDenied", "not allowed"));
  });
  DefaultCredentialsChainOptions options;
  options.environment = FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                          {"AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"},
                                          {"HOME", dir.path()}});
  options.transport = transport;
  options.service.sleep = [](std::chrono::milliseconds) {};
  auto chain = DefaultCredentialsChain(options);
  CHECK_THROWS_AS(chain->GetCredentials(), CredentialsSourceError);
  CHECK(metadata_calls == 0);
}

TEST_CASE("Default chain: botocore's order and the explicit-profile rules",
          "[credentials][chain]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "jwt");
  dir.Write("config",
            "[profile role]\nrole_arn = arn:aws:iam::1:role/assumed\nsource_profile = base\n"
            "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest& request) -> HttpResult {
    const std::string body(request.body);
    if (body.find("Action=AssumeRoleWithWebIdentity") != std::string::npos)
      return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIAWEB"));
    if (body.find("Action=AssumeRole") != std::string::npos)
      return Answer(200, StsCredentialsXml("AssumeRole", "ASIAROLE"));
    return Answer(404, "");
  });
  auto resolve = [&](std::map<std::string, std::string> vars,
                     std::optional<std::string> profile = std::nullopt) {
    vars["AWS_CONFIG_FILE"] = dir.path() + "/config";
    vars["AWS_SHARED_CREDENTIALS_FILE"] = dir.path() + "/none";
    vars["AWS_EC2_METADATA_DISABLED"] = "true";
    DefaultCredentialsChainOptions options;
    options.environment = FixedEnvironment(vars);
    options.profile = std::move(profile);
    options.transport = transport;
    return DefaultCredentialsChain(options)->GetCredentials().access_key_id;
  };
  const std::map<std::string, std::string> keys = {{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                   {"AWS_SECRET_ACCESS_KEY", "envsecret"}};
  const std::map<std::string, std::string> web = {{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                                  {"AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"}};
  auto with = [](std::map<std::string, std::string> a,
                 const std::map<std::string, std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
  };
  // Environment keys first, even with AWS_PROFILE naming an assume-role profile.
  CHECK(resolve(with(keys, {{"AWS_PROFILE", "role"}})) == "AKIDENV");
  // A profile chosen in code skips them.
  CHECK(resolve(keys, "role") == "ASIAROLE");
  // The assume-role profile comes before web identity.
  CHECK(resolve(with(web, {{"AWS_PROFILE", "role"}})) == "ASIAROLE");
  // Web identity before the shared files' keys.
  CHECK(resolve(with(web, {{"AWS_PROFILE", "base"}})) == "ASIAWEB");
  // ... but not when the profile is chosen in code.
  CHECK(resolve(web, "base") == "AKIDBASE");
}

TEST_CASE("Assume role: source profile keys sign AssumeRole with botocore's parameters",
          "[credentials][assume-role]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile role]\nrole_arn = arn:aws:iam::1:role/assumed\nsource_profile = base\n"
            "external_id = ext-1\nrole_session_name = my session\nduration_seconds = 1800\n"
            "region = eu-central-1\n"
            "[profile base]\nrole_arn = arn:aws:iam::1:role/ignored\n");
  dir.Write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = bs\n");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(200, StsCredentialsXml("AssumeRole", "ASIAROLE"));
  });
  AssumeRoleCredentialsOptions options;
  options.profile = "role";
  options.environment =
      FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                        {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/credentials"}});
  options.service = NoWaiting(transport);
  CHECK(AssumeRoleCredentialsProvider(options).GetCredentials().access_key_id == "ASIAROLE");
  const auto sent = transport->sent();
  REQUIRE(sent.size() == 1);  // base's keys win over base's own role_arn
  CHECK(sent[0].url == "https://sts.eu-central-1.amazonaws.com");
  const std::string* authorization = FindHeader(sent[0].headers, "Authorization");
  REQUIRE(authorization != nullptr);
  CHECK(authorization->find("Credential=AKIDBASE/") != std::string::npos);
  CHECK(authorization->find("/eu-central-1/sts/aws4_request") != std::string::npos);
  const auto params = FormParams(sent[0].body);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Action", "AssumeRole"},          {"Version", "2011-06-15"},
      {"RoleSessionName", "my session"}, {"ExternalId", "ext-1"},
      {"DurationSeconds", "1800"},       {"RoleArn", "arn:aws:iam::1:role/assumed"}};
  CHECK(params == expected);
  CHECK(sent[0].body.find("RoleSessionName=my+session") != std::string::npos);
}

TEST_CASE("Assume role: chains of profiles, cycles, credential_source and MFA",
          "[credentials][assume-role]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
            "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
            "[profile c]\naws_access_key_id = AKIDC\naws_secret_access_key = cs\n"
            "[profile loop1]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = loop2\n"
            "[profile loop2]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = loop1\n"
            "[profile self]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = self\n"
            "aws_access_key_id = AKIDSELF\naws_secret_access_key = ss\n"
            "[profile env]\nrole_arn = arn:aws:iam::1:role/env\ncredential_source = Environment\n"
            "[profile bogus]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Nowhere\n"
            "[profile mfa]\nrole_arn = arn:aws:iam::1:role/mfa\nsource_profile = c\n"
            "mfa_serial = arn:aws:iam::1:mfa/me\n"
            "[profile neither]\nrole_arn = arn:aws:iam::1:role/n\n");
  int next_key = 0;
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> HttpResult {
    return Answer(200, StsCredentialsXml("AssumeRole", "ASIA" + std::to_string(++next_key)));
  });
  auto provider = [&](const std::string& profile, MfaCodeCallback mfa = {}) {
    AssumeRoleCredentialsOptions options;
    options.profile = profile;
    options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                            {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"},
                                            {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                            {"AWS_SECRET_ACCESS_KEY", "es"}});
    options.service = NoWaiting(transport);
    options.mfa_code = std::move(mfa);
    return AssumeRoleCredentialsProvider(options);
  };
  SECTION("a -> b -> c: c's keys assume b, b's credentials assume a") {
    CHECK(provider("a").GetCredentials().access_key_id == "ASIA2");
    const auto sent = transport->sent();
    REQUIRE(sent.size() == 2);
    CHECK(Param(sent[0], "RoleArn") == "arn:aws:iam::1:role/b");
    CHECK(FindHeader(sent[0].headers, "Authorization")->find("AKIDC/") != std::string::npos);
    CHECK(Param(sent[1], "RoleArn") == "arn:aws:iam::1:role/a");
    CHECK(FindHeader(sent[1].headers, "Authorization")->find("ASIA1/") != std::string::npos);
    CHECK(*FindHeader(sent[1].headers, "X-Amz-Security-Token") == "TOKENxyz");
  }
  SECTION("a cycle names the profiles") {
    try {
      provider("loop1").GetCredentials();
      FAIL("expected an error");
    } catch (const CredentialsSourceError& e) {
      CHECK(e.message().find("'loop1' -> 'loop2' -> 'loop1'") != std::string::npos);
    }
    CHECK(transport->sent().empty());
  }
  SECTION("a profile may be its own source when it has keys") {
    CHECK(provider("self").GetCredentials().access_key_id == "ASIA1");
    CHECK(FindHeader(transport->sent()[0].headers, "Authorization")->find("AKIDSELF/") !=
          std::string::npos);
  }
  SECTION("credential_source Environment") {
    provider("env").GetCredentials();
    CHECK(FindHeader(transport->sent()[0].headers, "Authorization")->find("AKIDENV/") !=
          std::string::npos);
  }
  SECTION("an unknown credential_source, or neither source, is an error") {
    CHECK_THROWS_WITH(provider("bogus").GetCredentials(),
                      Catch::Contains("credential_source 'Nowhere'"));
    CHECK_THROWS_WITH(provider("neither").GetCredentials(),
                      Catch::Contains("neither source_profile nor credential_source"));
  }
  SECTION("mfa_serial without a callback is a clear error; with one, TokenCode is sent") {
    CHECK_THROWS_WITH(provider("mfa").GetCredentials(), Catch::Contains("mfa_code"));
    CHECK(transport->sent().empty());
    std::string asked;
    provider("mfa", [&](const std::string& serial) {
      asked = serial;
      return std::string("123456");
    }).GetCredentials();
    CHECK(asked == "arn:aws:iam::1:mfa/me");
    CHECK(Param(transport->sent()[0], "SerialNumber") == "arn:aws:iam::1:mfa/me");
    CHECK(Param(transport->sent()[0], "TokenCode") == "123456");
  }
  SECTION("not an assume-role profile: the chain moves on") {
    try {
      provider("c").GetCredentials();
      FAIL("expected an error");
    } catch (const CredentialsSourceError&) {
      FAIL("must not stop the chain");
    } catch (const CredentialsError&) {
    }
  }
}

TEST_CASE("Assume role: the source keys are redacted from STS's messages",
          "[credentials][assume-role]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = s\n"
            "[profile s]\naws_access_key_id = AKIDS\naws_secret_access_key = topsecretkey\n"
            "aws_session_token = topsecrettoken\n");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(403, StsErrorXml("AccessDenied", "echo topsecretkey topsecrettoken"),
                  {{"x-amzn-RequestId", "rid-7"}});
  });
  AssumeRoleCredentialsOptions options;
  options.profile = "r";
  options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                          {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
  options.service = NoWaiting(transport);
  try {
    AssumeRoleCredentialsProvider(options).GetCredentials();
    FAIL("expected an error");
  } catch (const CredentialsSourceError& e) {
    CHECK(e.code() == "AccessDenied");
    CHECK(e.request_id() == "rid-7");
    const std::string what = e.what();
    CHECK(what.find("topsecret") == std::string::npos);
  }
}

namespace {

struct SsoPeer {
  testing_support::LoopbackServer server;
  std::mutex mutex;
  std::vector<std::string> bearer_tokens;
  std::vector<std::string> create_token_bodies;
  std::string role_query;

  SsoPeer() {
    server.server().Get("/federation/credentials", [this](const httplib::Request& request,
                                                          httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex);
      bearer_tokens.push_back(request.get_header_value("x-amz-sso_bearer_token"));
      role_query =
          request.get_param_value("role_name") + "@" + request.get_param_value("account_id");
      if (bearer_tokens.back() == "expired-access") {
        response.status = 401;
        response.set_header("x-amzn-ErrorType", "UnauthorizedException");
        response.set_content("{\"message\":\"Session token not found or invalid\"}",
                             "application/json");
        return;
      }
      response.set_content(
          "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO\",\"secretAccessKey\":\"ssosecret\","
          "\"sessionToken\":\"ssotoken\",\"expiration\":4102444800000}}",
          "application/json");
    });
    server.server().Post(
        "/token", [this](const httplib::Request& request, httplib::Response& response) {
          std::lock_guard<std::mutex> lock(mutex);
          create_token_bodies.push_back(request.body);
          response.set_content(
              "{\"accessToken\":\"new-access\",\"tokenType\":\"Bearer\",\"expiresIn\":28800,"
              "\"refreshToken\":\"new-refresh\"}",
              "application/json");
        });
    server.Start();
  }
};

}  // namespace

TEST_CASE("SSO: sso_session profile, token refreshed near expiry and cached atomically",
          "[credentials][sso]") {
  SsoPeer peer;
  RoleTempDir dir;
  REQUIRE(mkdir((dir.path() + "/cache").c_str(), 0700) == 0);
  dir.Write("config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
            "sso_role_name = Developer\n"
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
            "sso_region = eu-west-1\n"
            "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\n"
            "sso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = Old\n");
  const std::string session_file = "cache/" + detail::Sha1Hex("corp") + ".json";
  const auto now = Clock::now();
  const std::string soon = detail::FormatIso8601Seconds(now + std::chrono::minutes(5));
  dir.Write(session_file,
            "{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":"
            "\"eu-west-1\",\"accessToken\":\"old-access\",\"expiresAt\":\"" +
                soon +
                "\",\"clientId\":\"cid\",\"clientSecret\":\"csecret\","
                "\"registrationExpiresAt\":\"2099-01-01T00:00:00Z\","
                "\"refreshToken\":\"old-refresh\"}");
  auto provider = [&](const std::string& profile) {
    SsoCredentialsOptions options;
    options.profile = profile;
    options.cache_directory = dir.path() + "/cache";
    options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                            {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"},
                                            {"AWS_ENDPOINT_URL_SSO", peer.server.url()},
                                            {"AWS_ENDPOINT_URL_SSO_OIDC", peer.server.url()}});
    options.service.transport = std::make_shared<CurlTransport>();
    return SsoCredentialsProvider(options);
  };
  const Credentials credentials = provider("dev").GetCredentials();
  CHECK(credentials.access_key_id == "ASIASSO");
  CHECK(credentials.session_token == "ssotoken");
  REQUIRE(credentials.expiration);
  CHECK(*credentials.expiration == *detail::ParseIso8601("2100-01-01T00:00:00Z"));
  {
    std::lock_guard<std::mutex> lock(peer.mutex);
    REQUIRE(peer.create_token_bodies.size() == 1);
    CHECK(peer.create_token_bodies[0] ==
          "{\"grantType\":\"refresh_token\",\"clientId\":\"cid\",\"clientSecret\":\"csecret\","
          "\"refreshToken\":\"old-refresh\"}");
    REQUIRE(peer.bearer_tokens.size() == 1);
    CHECK(peer.bearer_tokens[0] == "new-access");
    CHECK(peer.role_query == "Developer@111122223333");
  }
  // The cache holds the new token, and nothing else is left in the directory.
  rapidjson::Document cached;
  REQUIRE(detail::ParseCredentialsJsonObject(dir.Read(session_file), cached));
  CHECK(std::string(cached["accessToken"].GetString()) == "new-access");
  CHECK(std::string(cached["refreshToken"].GetString()) == "new-refresh");
  CHECK(std::string(cached["clientSecret"].GetString()) == "csecret");
  const auto expires = detail::ParseIso8601(cached["expiresAt"].GetString());
  REQUIRE(expires);
  CHECK(*expires > now + std::chrono::hours(7));
  struct stat info {};
  REQUIRE(stat((dir.path() + "/" + session_file).c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(std::system(("test $(ls '" + dir.path() + "/cache' | wc -l) -eq 1").c_str()) == 0);

  // A fresh token is used as is.
  provider("dev").GetCredentials();
  {
    std::lock_guard<std::mutex> lock(peer.mutex);
    CHECK(peer.create_token_bodies.size() == 1);
  }

  // A legacy profile's expired token says which login to run.
  dir.Write("cache/" + detail::Sha1Hex("https://old.awsapps.com/start") + ".json",
            "{\"startUrl\":\"https://old.awsapps.com/start\",\"region\":\"eu-west-1\","
            "\"accessToken\":\"expired-access\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
  try {
    provider("legacy").GetCredentials();
    FAIL("expected an error");
  } catch (const CredentialsSourceError& e) {
    const std::string what = e.what();
    CHECK(what.find("aws sso login --profile legacy") != std::string::npos);
    CHECK(what.find("expired-access") == std::string::npos);
  }
  // A token the service refuses says the same.
  dir.Write("cache/" + detail::Sha1Hex("https://old.awsapps.com/start") + ".json",
            "{\"accessToken\":\"expired-access\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
  CHECK_THROWS_WITH(provider("legacy").GetCredentials(),
                    Catch::Contains("aws sso login --profile legacy"));
  // No cache file at all.
  std::remove((dir.path() + "/" + session_file).c_str());
  CHECK_THROWS_AS(provider("dev").GetCredentials(), CredentialsSourceError);
}

TEST_CASE("SSO: an expiration beyond the clock's range is refused, not overflowed",
          "[credentials][sso]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile legacy]\nsso_start_url = https://s/start\nsso_region = us-east-1\n"
            "sso_account_id = 1\nsso_role_name = R\n");
  dir.Write(detail::Sha1Hex("https://s/start") + ".json",
            "{\"accessToken\":\"a\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(200,
                  "{\"roleCredentials\":{\"accessKeyId\":\"A\",\"secretAccessKey\":\"S\","
                  "\"sessionToken\":\"T\",\"expiration\":5e14}}");
  });
  SsoCredentialsOptions options;
  options.profile = "legacy";
  options.cache_directory = dir.path();
  options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                          {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
  options.service = NoWaiting(transport);
  CHECK_THROWS_WITH(SsoCredentialsProvider(options).GetCredentials(),
                    Catch::Contains("expiration is missing or out of range"));
}

TEST_CASE("SSO: a token echoed in the error type or request id never leaves",
          "[credentials][sso]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
            "[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = us-east-1\n");
  dir.Write(detail::Sha1Hex("corp") + ".json",
            "{\"accessToken\":\"SECRETACCESSxyz\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest&) -> HttpResult {
    return Answer(403, "{}",
                  {{"x-amzn-ErrorType", "Denied.SECRETACCESSxyz:http://internal"},
                   {"x-amzn-RequestId", "rid-SECRETACCESSxyz"}});
  });
  std::vector<std::string> log;
  SsoCredentialsOptions options;
  options.profile = "dev";
  options.cache_directory = dir.path();
  options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                          {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
  options.service = NoWaiting(transport);
  options.service.debug_log = [&log](const std::string& line) { log.push_back(line); };
  try {
    SsoCredentialsProvider(options).GetCredentials();
    FAIL("expected an error");
  } catch (const CredentialsSourceError& e) {
    CHECK(e.code().find("SECRETACCESS") == std::string::npos);
    CHECK(e.request_id().find("SECRETACCESS") == std::string::npos);
    CHECK(std::string(e.what()).find("SECRETACCESS") == std::string::npos);
  }
  REQUIRE_FALSE(log.empty());
  for (const auto& line : log) CHECK(line.find("SECRETACCESS") == std::string::npos);
}

TEST_CASE("SSO: an expired session token that cannot be refreshed names the login command",
          "[credentials][sso]") {
  RoleTempDir dir;
  dir.Write("config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
            "[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = us-east-1\n"
            "[profile broken]\nsso_session = missing\nsso_account_id = 1\nsso_role_name = R\n");
  dir.Write(detail::Sha1Hex("corp") + ".json",
            "{\"accessToken\":\"a\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
  auto transport = std::make_shared<FakeTransport>(
      [](const HttpRequest&) -> HttpResult { return Answer(500, ""); });
  auto provider = [&](const std::string& profile) {
    SsoCredentialsOptions options;
    options.profile = profile;
    options.cache_directory = dir.path();
    options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/config"},
                                            {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
    options.service = NoWaiting(transport);
    return SsoCredentialsProvider(options);
  };
  CHECK_THROWS_WITH(provider("dev").GetCredentials(),
                    Catch::Contains("could not be refreshed; run 'aws sso login --profile dev'"));
  CHECK(transport->sent().empty());
  CHECK_THROWS_WITH(provider("broken").GetCredentials(),
                    Catch::Contains("sso-session 'missing', which does not exist"));
}

TEST_CASE("Recordings of credentials exchanges hold no token or key", "[credentials][recording]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "JWT-SECRET-VALUE");
  auto inner = std::make_shared<FakeTransport>([](const HttpRequest& request) -> HttpResult {
    if (request.method == "GET")
      return Answer(200,
                    "{\"roleCredentials\":{\"accessKeyId\":\"ASIA\",\"secretAccessKey\":"
                    "\"SSO-SECRET-KEY\",\"sessionToken\":\"SSO-SESSION\",\"expiration\":1}}");
    return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIAWEB"));
  });
  const std::string path = dir.path() + "/recording.json";
  auto recorder = std::make_shared<RecordingTransport>(inner, path);
  WebIdentityCredentialsOptions options;
  options.environment = FixedEnvironment(
      {{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file}, {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"}});
  options.service = NoWaiting(recorder);
  WebIdentityCredentialsProvider(options).GetCredentials();
  HttpRequest get;
  get.method = "GET";
  get.url = "https://portal.sso.us-east-1.amazonaws.com/federation/credentials";
  get.headers.emplace_back("x-amz-sso_bearer_token", "SSO-BEARER");
  recorder->Send(get);
  const std::string recording = dir.Read("recording.json");
  REQUIRE(recording.find("AssumeRoleWithWebIdentity") != std::string::npos);
  for (const char* secret : {"JWT-SECRET-VALUE", "SECRETxyz", "TOKENxyz", "SSO-SECRET-KEY",
                             "SSO-SESSION", "SSO-BEARER"}) {
    INFO(secret);
    CHECK(recording.find(secret) == std::string::npos);
  }
  CHECK(recording.find("ASIAWEB") != std::string::npos);  // key ids stay readable
}

namespace {

// Every endpoint URL template of a rule set ("https://sts.{Region}...").
void CollectTemplates(const rapidjson::Value& rules, std::vector<std::string>& out) {
  for (const auto& rule : rules.GetArray()) {
    const std::string type = rule["type"].GetString();
    if (type == "tree") CollectTemplates(rule["rules"], out);
    if (type == "endpoint" && rule["endpoint"]["url"].IsString())
      out.push_back(rule["endpoint"]["url"].GetString());
  }
}

std::vector<std::string> RuleSetTemplates(const std::string& file) {
  std::ifstream in(std::string(REKOGNITION_TEST_DATA_DIR) + "/model/" + file);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str().c_str());
  REQUIRE(document.IsObject());
  std::vector<std::string> templates;
  CollectTemplates(document["rules"], templates);
  return templates;
}

std::string Expand(std::string url, const std::string& region) {
  const auto& partition = detail::FindPartition(region);
  auto substitute = [&url](const std::string& from, const std::string& to) {
    for (auto at = url.find(from); at != std::string::npos; at = url.find(from))
      url.replace(at, from.size(), to);
  };
  substitute("{Region}", region);
  substitute("{PartitionResult#dnsSuffix}", partition.dns_suffix);
  substitute("{PartitionResult#dualStackDnsSuffix}", partition.dual_stack_dns_suffix);
  return url;
}

}  // namespace

TEST_CASE("STS, SSO and SSO OIDC URLs are instances of their rule sets' templates", "[endpoint]") {
  detail::CredentialsServiceCaller caller{CredentialsServiceOptions{}};
  const Profile none;
  int checked = 0;
  for (const std::string region : {"us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1",
                                   "us-iso-east-1", "eusc-de-east-1", "ap-southeast-7"}) {
    for (const bool fips : {false, true}) {
      for (const bool dual : {false, true}) {
        INFO(region << " fips " << fips << " dual-stack " << dual);
        std::map<std::string, std::string> vars = {
            {"AWS_REGION", region},
            {"AWS_USE_FIPS_ENDPOINT", fips ? "true" : "false"},
            {"AWS_USE_DUALSTACK_ENDPOINT", dual ? "true" : "false"}};
        const auto env = FixedEnvironment(vars);
        const std::vector<std::pair<std::string, std::string>> resolved = {
            {"sts-endpoint-rule-set-1.json", caller.StsEndpoint(none, env).url},
            {"sso-endpoint-rule-set-1.json", caller.SsoEndpoint(false, region, none, env).url},
            {"sso-oidc-endpoint-rule-set-1.json", caller.SsoEndpoint(true, region, none, env).url}};
        for (const auto& [file, url] : resolved) {
          bool found = false;
          for (const std::string& url_template : RuleSetTemplates(file))
            found = found || Expand(url_template, region) == url;
          INFO(file << ": " << url);
          CHECK(found);
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 7 * 4 * 3);
}

TEST_CASE("Client: STS goes through the client's transport at the first call, never before",
          "[credentials][web-identity][client]") {
  RoleTempDir dir;
  const std::string token_file = dir.Write("token", "jwt");
  auto transport = std::make_shared<FakeTransport>([](const HttpRequest& request) -> HttpResult {
    if (request.url.find("sts.") != std::string::npos)
      return Answer(200, StsCredentialsXml("AssumeRoleWithWebIdentity", "ASIAPOD"));
    return Answer(200, "{\"CustomLabels\":[]}", {{"x-amzn-RequestId", "rk-1"}});
  });
  ClientConfig config;
  config.region = "eu-west-1";
  config.transport = transport;
  config.environment = FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                                         {"AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"},
                                         {"AWS_CONFIG_FILE", dir.path() + "/none"},
                                         {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
  Client client(config);
  CHECK(transport->sent().empty());  // nothing at construction
  DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:eu-west-1:123456789012:project/p/version/v/1714560000000";
  request.image = Image::FromS3("bucket", "key.jpg");
  client.DetectCustomLabels(request);
  client.DetectCustomLabels(request);  // cached: no second STS call
  const auto sent = transport->sent();
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].url == "https://sts.eu-west-1.amazonaws.com");
  CHECK(sent[1].url == "https://rekognition.eu-west-1.amazonaws.com/");
  CHECK(FindHeader(sent[1].headers, "Authorization")->find("Credential=ASIAPOD/") !=
        std::string::npos);
  CHECK(*FindHeader(sent[1].headers, "X-Amz-Security-Token") == "TOKENxyz");
  CHECK(sent[2].url == sent[1].url);
}

}  // namespace role_credentials_test
