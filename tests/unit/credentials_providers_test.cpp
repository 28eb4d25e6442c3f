// Credentials providers: environment, shared files, credential_process,
// container, instance metadata, the chain and the cache.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.hpp"
#include "rekognition/auth/credentials_providers.hpp"
#include "rekognition/auth/shell_split.hpp"
#include "rekognition/detail/iso8601.hpp"

using namespace rekognition;
using testing_support::LoopbackServer;
using Clock = std::chrono::system_clock;

namespace credentials_providers_test {

namespace {

// A temporary directory, removed with its files when the test ends.
class CredentialsTempDir {
 public:
  CredentialsTempDir() {
    char name[] = "/tmp/rekognition-credentials-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path_ = name;
  }
  ~CredentialsTempDir() {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) std::remove(it->c_str());
    rmdir(path_.c_str());
  }
  std::string Write(const std::string& name, const std::string& text, bool executable = false) {
    const std::string full = path_ + "/" + name;
    {
      std::ofstream out(full, std::ios::binary | std::ios::trunc);
      out << text;
    }
    if (executable) REQUIRE(chmod(full.c_str(), 0700) == 0);
    Remember(full);
    return full;
  }
  std::string Path(const std::string& name) {
    Remember(path_ + "/" + name);
    return path_ + "/" + name;
  }
  const std::string& path() const { return path_; }

 private:
  void Remember(const std::string& full) {
    for (const auto& existing : created_)
      if (existing == full) return;
    created_.push_back(full);
  }
  std::string path_;
  std::vector<std::string> created_;
};

bool FileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Runs `call`, expecting a CredentialsError; returns its message.
template <typename Call>
std::string CredentialsErrorMessage(Call&& call) {
  try {
    call();
  } catch (const CredentialsError& e) {
    return e.message();
  }
  FAIL("expected a CredentialsError");
  return {};
}

// What a transport received.
struct SeenRequest {
  std::string method;
  std::string url;
  HttpHeaders headers;
  std::string Header(const std::string& name) const {
    const std::string* value = FindHeader(headers, name);
    return value ? *value : "<none>";
  }
};

// Answers every request with one canned response and records the requests.
class CannedTransport : public HttpTransport {
 public:
  explicit CannedTransport(int status = 200, std::string body = "") {
    response_.status = status;
    response_.body = std::move(body);
  }
  HttpResult Send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(SeenRequest{request.method, request.url, request.headers});
    return response_;
  }
  std::vector<SeenRequest> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  HttpResponse response_;
  std::vector<SeenRequest> seen_;
};

// Requests a loopback server handled, recorded from its handler threads.
class RequestLog {
 public:
  void Add(const httplib::Request& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    SeenRequest seen{request.method, request.path, {}};
    for (const auto& header : request.headers)
      seen.headers.emplace_back(header.first, header.second);
    requests_.push_back(std::move(seen));
  }
  std::vector<SeenRequest> Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::vector<SeenRequest> requests_;
};

const char* const kCredentialsJson =
    R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"AKIDSERVED","SecretAccessKey":"SECRETSERVED",)"
    R"("Token":"TOKENSERVED","Expiration":"2099-05-01T12:00:00Z","LastUpdated":"2024-01-01T00:00:00Z"})";

// A fake IMDS: IMDSv2 token, role listing and role credentials.
void AddImdsRoutes(httplib::Server& server, RequestLog& log, int token_status = 200,
                   int role_status = 200) {
  server.Put("/latest/api/token",
             [&log, token_status](const httplib::Request& req, httplib::Response& res) {
               log.Add(req);
               res.status = token_status;
               if (token_status == 200) res.set_content("IMDS-SESSION-TOKEN", "text/plain");
             });
  auto token_ok = [token_status](const httplib::Request& req) {
    return token_status != 200 ||
           req.get_header_value("x-aws-ec2-metadata-token") == "IMDS-SESSION-TOKEN";
  };
  server.Get("/latest/meta-data/iam/security-credentials/",
             [&log, token_ok, role_status](const httplib::Request& req, httplib::Response& res) {
               log.Add(req);
               if (!token_ok(req)) {
                 res.status = 401;
                 return;
               }
               res.status = role_status;
               if (role_status == 200) res.set_content("web-role\n", "text/plain");
             });
  server.Get("/latest/meta-data/iam/security-credentials/web-role",
             [&log, token_ok](const httplib::Request& req, httplib::Response& res) {
               log.Add(req);
               if (!token_ok(req)) {
                 res.status = 401;
                 return;
               }
               res.set_content(kCredentialsJson, "text/plain");
             });
}

// A provider scripted by a function, counting its calls.
class FunctionProvider : public CredentialsProvider {
 public:
  explicit FunctionProvider(std::function<Credentials()> function)
      : function_(std::move(function)) {}
  Credentials GetCredentials() override {
    ++calls;
    return function_();
  }
  std::atomic<int> calls{0};

 private:
  std::function<Credentials()> function_;
};

Credentials MakeCredentials(const std::string& id,
                            std::optional<Clock::time_point> expiration = std::nullopt) {
  return Credentials{id, "secret-" + id, "", expiration};
}

// An adjustable clock that tests move by hand; safe to read from any thread.
class ManualClock {
 public:
  ManualClock() : start_(Clock::from_time_t(1700000000)) {}
  Clock::time_point Now() const { return start_ + std::chrono::seconds(offset_.load()); }
  void Advance(std::chrono::seconds by) { offset_ += by.count(); }
  Clock::time_point start() const { return start_; }
  std::function<Clock::time_point()> Function() {
    return [this] { return Now(); };
  }

 private:
  Clock::time_point start_;
  std::atomic<long long> offset_{0};
};

// Starts `count` threads together and joins them.
void RunTogether(int count, const std::function<void(int)>& body) {
  std::mutex mutex;
  std::condition_variable ready;
  bool go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return go; });
      }
      body(i);
    });
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    go = true;
  }
  ready.notify_all();
  for (auto& thread : threads) thread.join();
}

}  // namespace

// ---------------------------------------------------------------- helpers

TEST_CASE("command lines split like shlex.split", "[credentials][process]") {
  std::string error;
  using List = std::vector<std::string>;
  auto split = [&](const std::string& text) { return detail::SplitCommandLine(text, error); };
  CHECK(*split("/bin/tool --flag value") == List{"/bin/tool", "--flag", "value"});
  CHECK(*split("  spaced \t out  ") == List{"spaced", "out"});
  CHECK(*split("'single quoted' \"double quoted\"") == List{"single quoted", "double quoted"});
  CHECK(*split("a'b c'd") == List{"ab cd"});
  CHECK(*split("'' \"\" x") == List{"", "", "x"});
  CHECK(*split(R"(back\ slash \"q\" \\)") == List{"back slash", "\"q\"", "\\"});
  CHECK(*split(R"("in \"dq\" \\ \n \$HOME")") == List{R"(in "dq" \ \n \$HOME)"});
  CHECK(*split(R"('no \escape in single')") == List{R"(no \escape in single)"});
  CHECK(*split("$HOME;rm|x>y") == List{"$HOME;rm|x>y"});  // no shell, nothing special
  CHECK(split("")->empty());
  CHECK_FALSE(split("'unclosed"));
  CHECK(error.find("single quote") != std::string::npos);
  CHECK_FALSE(split("\"unclosed"));
  CHECK_FALSE(split("trailing\\"));
}

TEST_CASE("ISO 8601 expirations parse with zones and fractions", "[credentials]") {
  using detail::ParseIso8601;
  const auto base = Clock::from_time_t(1714564800);  // 2024-05-01T12:00:00Z
  CHECK(ParseIso8601("2024-05-01T12:00:00Z") == base);
  CHECK(ParseIso8601("2024-05-01t12:00:00z") == base);
  CHECK(ParseIso8601("2024-05-01T14:00:00+02:00") == base);
  CHECK(ParseIso8601("2024-05-01T07:30:00-0430") == base);
  CHECK(ParseIso8601("2024-05-01T12:00:00.500Z") == base + std::chrono::milliseconds(500));
  CHECK_FALSE(ParseIso8601("2024-05-01T12:00:00"));
  CHECK_FALSE(ParseIso8601("2024-13-01T12:00:00Z"));
  CHECK_FALSE(ParseIso8601("2024-05-01 garbage"));
  CHECK_FALSE(ParseIso8601("2024-05-01T12:00:00.Z"));
  CHECK_FALSE(ParseIso8601(""));
}

// ---------------------------------------------------------------- environment

TEST_CASE("environment provider reads the injected environment", "[credentials][environment]") {
  EnvironmentCredentialsProvider provider(FixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                            {"AWS_SECRET_ACCESS_KEY", "SECRETENV"},
                                                            {"AWS_SESSION_TOKEN", "TOKENENV"}}));
  const auto credentials = provider.GetCredentials();
  CHECK(credentials.access_key_id == "AKIDENV");
  CHECK(credentials.secret_access_key == "SECRETENV");
  CHECK(credentials.session_token == "TOKENENV");
  EnvironmentCredentialsProvider partial(FixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDENV"}}));
  CHECK_THROWS_AS(partial.GetCredentials(), CredentialsError);
}

// ---------------------------------------------------------------- profile

TEST_CASE("profile provider reads keys from either file", "[credentials][profile]") {
  CredentialsTempDir dir;
  const auto config =
      dir.Write("config",
                "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = SECRETCONFIG\n"
                "[profile dev]\naws_access_key_id = AKIDDEVCONFIG\naws_secret_access_key = S\n"
                "[profile half]\naws_access_key_id = AKIDHALF\n"
                "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\n");
  const auto credentials =
      dir.Write("credentials",
                "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = SECRETDEV\n"
                "aws_session_token = TOKENDEV\n");
  std::map<std::string, std::string> env = {{"AWS_CONFIG_FILE", config},
                                            {"AWS_SHARED_CREDENTIALS_FILE", credentials}};

  const auto from_config =
      ProfileCredentialsProvider(std::nullopt, FixedEnvironment(env)).GetCredentials();
  CHECK(from_config.access_key_id == "AKIDCONFIG");
  CHECK(from_config.secret_access_key == "SECRETCONFIG");
  CHECK(from_config.session_token.empty());

  const auto dev =
      ProfileCredentialsProvider(std::string("dev"), FixedEnvironment(env)).GetCredentials();
  CHECK(dev.access_key_id == "AKIDDEV");  // the credentials file wins
  CHECK(dev.secret_access_key == "SECRETDEV");
  CHECK(dev.session_token == "TOKENDEV");

  env["AWS_PROFILE"] = "dev";
  CHECK(ProfileCredentialsProvider(std::nullopt, FixedEnvironment(env))
            .GetCredentials()
            .access_key_id == "AKIDDEV");
  // Code wins over AWS_PROFILE.
  CHECK(ProfileCredentialsProvider(std::string("default"), FixedEnvironment(env))
            .GetCredentials()
            .access_key_id == "AKIDCONFIG");

  const std::string half = CredentialsErrorMessage([&] {
    ProfileCredentialsProvider(std::string("half"), FixedEnvironment(env)).GetCredentials();
  });
  CHECK(half.find("profile 'half'") != std::string::npos);
  CHECK(half.find("no aws_secret_access_key") != std::string::npos);
  const std::string role = CredentialsErrorMessage([&] {
    ProfileCredentialsProvider(std::string("role"), FixedEnvironment(env)).GetCredentials();
  });
  // An assume-role profile has no keys of its own: the assume-role provider
  // (earlier in the chain) handles it.
  CHECK(role.find("no aws_access_key_id and aws_secret_access_key") != std::string::npos);

  CHECK_THROWS_AS(
      ProfileCredentialsProvider(std::string("absent"), FixedEnvironment(env)).GetCredentials(),
      ConfigurationError);
  env.erase("AWS_PROFILE");
  env["AWS_CONFIG_FILE"] = dir.Path("missing");
  env["AWS_SHARED_CREDENTIALS_FILE"] = dir.Path("missing-too");
  const std::string none = CredentialsErrorMessage(
      [&] { ProfileCredentialsProvider(std::nullopt, FixedEnvironment(env)).GetCredentials(); });
  CHECK(none.find("profile 'default'") != std::string::npos);
}

// ---------------------------------------------------------------- credential_process

TEST_CASE("credential_process runs the profile's command and parses its output",
          "[credentials][process]") {
  CredentialsTempDir dir;
  const auto script =
      dir.Write("ok.sh",
                "#!/bin/sh\n"
                "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
                "\"SECRETPROC\", \"SessionToken\": \"TOKENPROC\", \"Expiration\": "
                "\"2099-01-01T00:00:00Z\"}'\n",
                true);
  const auto config =
      dir.Write("config", "[profile proc]\ncredential_process = " + script + " --ignored arg\n");
  ProcessCredentialsOptions options;
  options.profile = "proc";
  options.environment = FixedEnvironment({{"AWS_CONFIG_FILE", config}, {"HOME", dir.path()}});
  const auto credentials = ProcessCredentialsProvider(options).GetCredentials();
  CHECK(credentials.access_key_id == "AKIDPROC");
  CHECK(credentials.secret_access_key == "SECRETPROC");
  CHECK(credentials.session_token == "TOKENPROC");
  REQUIRE(credentials.expiration.has_value());
  CHECK(*credentials.expiration == Clock::from_time_t(4070908800));  // 2099-01-01T00:00:00Z

  // Without Expiration or SessionToken: long-term credentials.
  const auto plain = dir.Write(
      "plain.sh",
      "#!/bin/sh\nprintf '%s' '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}'\n",
      true);
  ProcessCredentialsOptions direct;
  direct.command = plain;
  const auto long_term = ProcessCredentialsProvider(direct).GetCredentials();
  CHECK(long_term.access_key_id == "A");
  CHECK_FALSE(long_term.expiration.has_value());
  CHECK(long_term.session_token.empty());

  // A profile without credential_process says so.
  ProcessCredentialsOptions none;
  none.environment = FixedEnvironment({{"AWS_CONFIG_FILE", config}});
  CHECK(CredentialsErrorMessage([&] {
          ProcessCredentialsProvider(none).GetCredentials();
        }).find("has no credential_process") != std::string::npos);
}

TEST_CASE("credential_process arguments are split without a shell", "[credentials][process]") {
  CredentialsTempDir dir;
  // Prints its first two arguments as the key id and the secret.
  const auto script = dir.Write(
      "args with space.sh",
      "#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"%s|%s\"}' "
      "\"$1\" \"$2\" \"$#\"\n",
      true);
  ProcessCredentialsOptions options;
  options.command = "'" + script + "' \"one two\" $HOME;x";
  const auto credentials = ProcessCredentialsProvider(options).GetCredentials();
  CHECK(credentials.access_key_id == "one two");
  CHECK(credentials.secret_access_key == "$HOME;x|2");  // not expanded, not split, 2 arguments
}

TEST_CASE("credential_process failures are CredentialsErrors without secrets",
          "[credentials][process]") {
  CredentialsTempDir dir;
  auto run = [&](const std::string& name, const std::string& body,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    ProcessCredentialsOptions options;
    options.command = dir.Write(name, "#!/bin/sh\n" + body, true);
    options.timeout = timeout;
    return CredentialsErrorMessage([&] { ProcessCredentialsProvider(options).GetCredentials(); });
  };

  const std::string version =
      run("v2.sh",
          "echo '{\"Version\":2,\"AccessKeyId\":\"AKIDV2\",\"SecretAccessKey\":\"SECRETV2\"}'\n");
  CHECK(version.find("unsupported Version") != std::string::npos);
  CHECK(version.find("SECRETV2") == std::string::npos);

  const std::string no_version =
      run("nov.sh", "echo '{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}'\n");
  CHECK(no_version.find("Version") != std::string::npos);

  const std::string exit_code =
      run("fail.sh", "echo 'no session for token STDERRSECRET' >&2\nexit 3\n");
  CHECK(exit_code.find("exited with status 3") != std::string::npos);
  CHECK(exit_code.find("STDERRSECRET") == std::string::npos);  // stderr never in the message
  CHECK(exit_code.find("fail.sh") != std::string::npos);

  const std::string expired = run("expired.sh",
                                  "echo "
                                  "'{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":"
                                  "\"SECRETOLD\",\"Expiration\":\"2000-01-01T00:00:00Z\"}'\n");
  CHECK(expired.find("already expired") != std::string::npos);
  CHECK(expired.find("SECRETOLD") == std::string::npos);

  const std::string not_json = run("text.sh", "echo 'AKIDLEAK SECRETLEAK'\n");
  CHECK(not_json.find("JSON") != std::string::npos);
  CHECK(not_json.find("SECRETLEAK") == std::string::npos);

  const std::string missing_secret =
      run("nosecret.sh", "echo '{\"Version\":1,\"AccessKeyId\":\"A\"}'\n");
  CHECK(missing_secret.find("SecretAccessKey") != std::string::npos);

  const std::string bad_expiration = run("badexp.sh",
                                         "echo "
                                         "'{\"Version\":1,\"AccessKeyId\":\"A\","
                                         "\"SecretAccessKey\":\"S\",\"Expiration\":\"soon\"}'\n");
  CHECK(bad_expiration.find("Expiration") != std::string::npos);

  const auto started = std::chrono::steady_clock::now();
  const std::string timeout = run("slow.sh", "exec sleep 30\n", std::chrono::milliseconds(300));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(timeout.find("did not finish within 300 ms") != std::string::npos);
  CHECK(elapsed < std::chrono::seconds(5));

  ProcessCredentialsOptions chatty;
  chatty.command = dir.Write("chatty.sh", "#!/bin/sh\nexec yes AKIDAKIDAKID\n", true);
  chatty.max_output_bytes = 4096;
  CHECK(CredentialsErrorMessage([&] {
          ProcessCredentialsProvider(chatty).GetCredentials();
        }).find("wrote more than 4096 bytes") != std::string::npos);

  ProcessCredentialsOptions absent;
  absent.command = dir.path() + "/no-such-program --secret-arg hunter2";
  const std::string spawn =
      CredentialsErrorMessage([&] { ProcessCredentialsProvider(absent).GetCredentials(); });
  CHECK(spawn.find("could not be started") != std::string::npos);
  CHECK(spawn.find("hunter2") == std::string::npos);  // arguments stay out of messages

  ProcessCredentialsOptions unbalanced;
  unbalanced.command = "'/bin/true";
  CHECK(CredentialsErrorMessage([&] {
          ProcessCredentialsProvider(unbalanced).GetCredentials();
        }).find("unclosed single quote") != std::string::npos);
}

TEST_CASE("credential_process honours an injected clock for expiry", "[credentials][process]") {
  CredentialsTempDir dir;
  ProcessCredentialsOptions options;
  options.command = dir.Write("soon.sh",
                              "#!/bin/sh\necho "
                              "'{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
                              "\"Expiration\":\"2030-01-01T00:00:00Z\"}'\n",
                              true);
  options.clock = [] { return Clock::from_time_t(1893456000 + 1); };  // one second after 2030-01-01
  CHECK_THROWS_AS(ProcessCredentialsProvider(options).GetCredentials(), CredentialsError);
  options.clock = [] { return Clock::from_time_t(1893456000 - 1); };
  CHECK(ProcessCredentialsProvider(options).GetCredentials().access_key_id == "A");
}

// ---------------------------------------------------------------- container

TEST_CASE("container provider fetches from a loopback full URI with the token",
          "[credentials][container]") {
  RequestLog log;
  LoopbackServer loopback;
  loopback.server().Get("/v1/credentials",
                        [&](const httplib::Request& req, httplib::Response& res) {
                          log.Add(req);
                          res.set_content(kCredentialsJson, "application/json");
                        });
  loopback.Start();

  ContainerCredentialsOptions options;
  options.environment =
      FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", loopback.url() + "/v1/credentials"},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic c2VjcmV0"}});
  ContainerCredentialsProvider provider(options);  // the default (libcurl) transport
  CHECK(log.Get().empty());                        // nothing sent at construction
  const auto credentials = provider.GetCredentials();
  CHECK(credentials.access_key_id == "AKIDSERVED");
  CHECK(credentials.secret_access_key == "SECRETSERVED");
  CHECK(credentials.session_token == "TOKENSERVED");
  CHECK(credentials.expiration == detail::ParseIso8601("2099-05-01T12:00:00Z"));
  const auto seen = log.Get();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].Header("Authorization") == "Basic c2VjcmV0");
}

TEST_CASE("container token file wins over the variable and is re-read",
          "[credentials][container]") {
  CredentialsTempDir dir;
  const auto token_file = dir.Write("token", "token-one");
  auto transport = std::make_shared<CannedTransport>(200, kCredentialsJson);
  ContainerCredentialsOptions options;
  options.transport = transport;
  options.environment =
      FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds"},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file},
                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"}});
  ContainerCredentialsProvider provider(options);
  provider.GetCredentials();
  dir.Write("token", "token-two");  // rotated
  provider.GetCredentials();
  const auto seen = transport->seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].Header("Authorization") == "token-one");
  CHECK(seen[1].Header("Authorization") == "token-two");
  CHECK(seen[0].url == "http://127.0.0.1:9/creds");
}

TEST_CASE("container provider refuses unsafe URIs and tokens before sending",
          "[credentials][container]") {
  CredentialsTempDir dir;
  auto attempt = [&](std::map<std::string, std::string> env, std::string* message = nullptr) {
    auto transport = std::make_shared<CannedTransport>(200, kCredentialsJson);
    ContainerCredentialsOptions options;
    options.transport = transport;
    options.environment = FixedEnvironment(std::move(env));
    try {
      ContainerCredentialsProvider(options).GetCredentials();
      if (message) *message = "ok";
    } catch (const CredentialsError& e) {
      if (message) *message = e.message();
    }
    return transport->seen();
  };
  auto full = [](const std::string& uri) {
    return std::map<std::string, std::string>{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}};
  };

  std::string message;
  for (const char* refused :
       {"http://example.com/creds", "http://10.0.0.1/creds", "http://128.0.0.1/x",
        "http://127.0.0.1.evil.com/x", "http://[::2]/x", "ftp://127.0.0.1/x", "not a url"}) {
    INFO(refused);
    CHECK(attempt(full(refused), &message).empty());
    CHECK(message != "ok");
  }
  CHECK(attempt(full("http://example.com/creds"), &message).empty());
  CHECK(message.find("only https or a loopback host") != std::string::npos);

  for (const char* allowed :
       {"https://example.com/creds", "http://127.0.0.1:8080/creds", "http://127.9.8.7/x",
        "http://localhost/x", "http://LOCALHOST:1/x", "http://[::1]:80/x", "http://169.254.170.2/x",
        "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/x",
        "http://127.0.0.1/x?query=1"}) {
    INFO(allowed);
    const auto seen = attempt(full(allowed), &message);
    CHECK(seen.size() == 1);
    CHECK(message == "ok");
  }

  // The relative URI goes to the ECS host and wins over the full URI.
  const auto relative = attempt({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                                 {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/other"}});
  REQUIRE(relative.size() == 1);
  CHECK(relative[0].url == "http://169.254.170.2/v2/credentials/abc");
  CHECK(relative[0].Header("Authorization") == "<none>");

  // Tokens with CR or LF, from the variable or the file, are refused unsent.
  auto with_token = full("http://127.0.0.1/x");
  with_token["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "abc\r\nX-Injected: 1";
  CHECK(attempt(with_token, &message).empty());
  CHECK(message.find("line break") != std::string::npos);
  CHECK(message.find("X-Injected") == std::string::npos);
  auto with_file = full("http://127.0.0.1/x");
  with_file["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = dir.Write("bad-token", "secret-token\n");
  CHECK(attempt(with_file, &message).empty());
  CHECK(message.find("line break") != std::string::npos);
  CHECK(message.find("secret-token") == std::string::npos);
  with_file["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = dir.Path("no-such-token-file");
  CHECK(attempt(with_file, &message).empty());
  CHECK(message.find("no-such-token-file") != std::string::npos);

  CHECK(attempt({}, &message).empty());
  CHECK(message.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != std::string::npos);
}

TEST_CASE("container provider reports bad answers without their bodies",
          "[credentials][container]") {
  ContainerCredentialsOptions options;
  options.environment =
      FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/x"}});
  options.transport = std::make_shared<CannedTransport>(403, "{\"AccessKeyId\":\"LEAKED\"}");
  const std::string forbidden =
      CredentialsErrorMessage([&] { ContainerCredentialsProvider(options).GetCredentials(); });
  CHECK(forbidden.find("HTTP 403") != std::string::npos);
  CHECK(forbidden.find("LEAKED") == std::string::npos);

  auto flaky = std::make_shared<CannedTransport>(503, "");
  options.transport = flaky;
  options.max_attempts = 3;
  CHECK_THROWS_AS(ContainerCredentialsProvider(options).GetCredentials(), CredentialsError);
  CHECK(flaky->seen().size() == 3);  // 5xx is retried

  options.transport = std::make_shared<CannedTransport>(200, "{\"Token\":\"only\"}");
  CHECK(CredentialsErrorMessage([&] {
          ContainerCredentialsProvider(options).GetCredentials();
        }).find("AccessKeyId") != std::string::npos);
}

// ---------------------------------------------------------------- instance metadata

TEST_CASE("IMDSv2: token PUT with TTL, then role and credentials with the token",
          "[credentials][imds]") {
  RequestLog log;
  LoopbackServer loopback;
  AddImdsRoutes(loopback.server(), log);
  loopback.Start();

  InstanceMetadataCredentialsOptions options;  // the default (libcurl) transport
  options.environment =
      FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url() + "/"}});
  InstanceMetadataCredentialsProvider provider(options);
  CHECK(log.Get().empty());
  const auto credentials = provider.GetCredentials();
  CHECK(credentials.access_key_id == "AKIDSERVED");
  CHECK(credentials.session_token == "TOKENSERVED");
  REQUIRE(credentials.expiration.has_value());

  const auto seen = log.Get();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].method == "PUT");
  CHECK(seen[0].url == "/latest/api/token");
  CHECK(seen[0].Header("x-aws-ec2-metadata-token-ttl-seconds") == "21600");
  CHECK(seen[1].method == "GET");
  CHECK(seen[1].url == "/latest/meta-data/iam/security-credentials/");
  CHECK(seen[1].Header("x-aws-ec2-metadata-token") == "IMDS-SESSION-TOKEN");
  CHECK(seen[2].url == "/latest/meta-data/iam/security-credentials/web-role");
  CHECK(seen[2].Header("x-aws-ec2-metadata-token") == "IMDS-SESSION-TOKEN");
}

TEST_CASE("IMDS falls back to v1 when the token is refused, unless v1 is disabled",
          "[credentials][imds]") {
  RequestLog log;
  LoopbackServer loopback;
  AddImdsRoutes(loopback.server(), log, /*token_status=*/404);
  loopback.Start();

  InstanceMetadataCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url()}});
  CHECK(InstanceMetadataCredentialsProvider(options).GetCredentials().access_key_id ==
        "AKIDSERVED");
  const auto seen = log.Get();
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].Header("x-aws-ec2-metadata-token") == "<none>");

  options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url()},
                                          {"AWS_EC2_METADATA_V1_DISABLED", "true"}});
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(options).GetCredentials();
        }).find("HTTP 404") != std::string::npos);
}

TEST_CASE("IMDS errors: disabled, no role, unreachable, slow", "[credentials][imds]") {
  auto canned = std::make_shared<CannedTransport>(200, "x");
  InstanceMetadataCredentialsOptions disabled;
  disabled.transport = canned;
  disabled.environment = FixedEnvironment({{"AWS_EC2_METADATA_DISABLED", "TRUE"}});
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(disabled).GetCredentials();
        }).find("AWS_EC2_METADATA_DISABLED") != std::string::npos);
  CHECK(canned->seen().empty());

  {
    RequestLog log;
    LoopbackServer loopback;
    AddImdsRoutes(loopback.server(), log, 200, /*role_status=*/404);
    loopback.Start();
    InstanceMetadataCredentialsOptions options;
    options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url()}});
    CHECK(CredentialsErrorMessage([&] {
            InstanceMetadataCredentialsProvider(options).GetCredentials();
          }).find("no IAM role") != std::string::npos);
  }

  int closed_port = 0;
  {
    LoopbackServer closed;
    closed.Start();
    closed_port = closed.port();
  }
  InstanceMetadataCredentialsOptions unreachable;
  unreachable.environment = FixedEnvironment(
      {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(closed_port)}});
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(unreachable).GetCredentials();
        }).find("token request") != std::string::npos);

  // The default transport gives up after about 1 s.
  LoopbackServer slow;
  slow.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1600));
    res.set_content("late", "text/plain");
  });
  slow.Start();
  InstanceMetadataCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", slow.url()}});
  const auto started = std::chrono::steady_clock::now();
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(options).GetCredentials();
        }).find("Timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500));
}

TEST_CASE("IMDS refuses odd role names and failed credential codes", "[credentials][imds]") {
  LoopbackServer loopback;
  loopback.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("T", "text/plain");
  });
  loopback.server().Get("/latest/meta-data/iam/security-credentials/",
                        [](const httplib::Request&, httplib::Response& res) {
                          res.set_content("../../etc/passwd", "text/plain");
                        });
  loopback.Start();
  InstanceMetadataCredentialsOptions options;
  options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url()}});
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(options).GetCredentials();
        }).find("no usable IAM role name") != std::string::npos);

  // A credentials document whose Code is not Success.
  LoopbackServer failing;
  failing.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("T", "text/plain");
  });
  failing.server().Get(
      "/latest/meta-data/iam/security-credentials/",
      [](const httplib::Request&, httplib::Response& res) { res.set_content("r", "text/plain"); });
  failing.server().Get("/latest/meta-data/iam/security-credentials/r", [](const httplib::Request&,
                                                                          httplib::Response& res) {
    res.set_content(R"({"Code":"AssumeRoleUnauthorizedAccess","AccessKeyId":"A",)"
                    R"("SecretAccessKey":"S"})",
                    "application/json");
  });
  failing.Start();
  options.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", failing.url()}});
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(options).GetCredentials();
        }).find("not available") != std::string::npos);

  // Without an endpoint setting: the default address. Every canned answer is
  // "role" (token, role name and a document that is not JSON).
  InstanceMetadataCredentialsOptions canned;
  canned.environment = FixedEnvironment({});
  auto role_transport = std::make_shared<CannedTransport>(200, "role");
  canned.transport = role_transport;
  CHECK(CredentialsErrorMessage([&] {
          InstanceMetadataCredentialsProvider(canned).GetCredentials();
        }).find("not a JSON object") != std::string::npos);
  const auto seen = role_transport->seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].url == "http://169.254.169.254/latest/api/token");  // the default endpoint
  CHECK(seen[2].url == "http://169.254.169.254/latest/meta-data/iam/security-credentials/role");

  canned.environment = FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}});
  auto ipv6 = std::make_shared<CannedTransport>(500, "");
  canned.transport = ipv6;
  CHECK_THROWS_AS(InstanceMetadataCredentialsProvider(canned).GetCredentials(), CredentialsError);
  REQUIRE(ipv6->seen().size() == 1);
  CHECK(ipv6->seen()[0].url == "http://[fd00:ec2::254]/latest/api/token");
}

// ---------------------------------------------------------------- chain

TEST_CASE("chain: the first provider that yields wins", "[credentials][chain]") {
  auto failing = std::make_shared<FunctionProvider>(
      []() -> Credentials { throw CredentialsError("first: nothing"); });
  auto second = std::make_shared<FunctionProvider>([] { return MakeCredentials("SECOND"); });
  auto third = std::make_shared<FunctionProvider>([] { return MakeCredentials("THIRD"); });
  ChainCredentialsProvider chain({failing, nullptr, second, third});
  CHECK(chain.GetCredentials().access_key_id == "SECOND");
  CHECK(failing->calls == 1);
  CHECK(third->calls == 0);
}

TEST_CASE("chain: the final error lists every reason and no secret", "[credentials][chain]") {
  auto a = std::make_shared<FunctionProvider>(
      []() -> Credentials { throw CredentialsError("alpha: not set"); });
  auto b = std::make_shared<FunctionProvider>(
      []() -> Credentials { throw CredentialsError("beta: missing file"); });
  auto incomplete = std::make_shared<FunctionProvider>([] {
    return Credentials{"AKID", "", "", std::nullopt};
  });
  ChainCredentialsProvider chain({a, b, incomplete});
  const std::string message = CredentialsErrorMessage([&] { chain.GetCredentials(); });
  CHECK(message.find("no AWS credentials found") != std::string::npos);
  CHECK(message.find("alpha: not set") != std::string::npos);
  CHECK(message.find("beta: missing file") != std::string::npos);
  CHECK(message.find("incomplete") != std::string::npos);
  CHECK(message.find("alpha") < message.find("beta"));

  auto config_error = std::make_shared<FunctionProvider>(
      []() -> Credentials { throw ConfigurationError("profile gone"); });
  auto never = std::make_shared<FunctionProvider>([] { return MakeCredentials("NEVER"); });
  ChainCredentialsProvider stops({config_error, never});
  CHECK_THROWS_AS(stops.GetCredentials(), ConfigurationError);
  CHECK(never->calls == 0);
}

// ---------------------------------------------------------------- cache

TEST_CASE("cache: refreshes ahead of expiry, keeps credentials without one",
          "[credentials][cache]") {
  ManualClock clock;
  int serial = 0;
  auto inner = std::make_shared<FunctionProvider>([&] {
    ++serial;
    return MakeCredentials("GEN" + std::to_string(serial), clock.Now() + std::chrono::hours(1));
  });
  CachingCredentialsOptions options;
  options.clock = clock.Function();
  CachingCredentialsProvider cache(inner, options);
  CHECK(inner->calls == 0);  // nothing at construction
  CHECK(cache.GetCredentials().access_key_id == "GEN1");
  CHECK(cache.GetCredentials().access_key_id == "GEN1");
  clock.Advance(std::chrono::minutes(54));
  CHECK(cache.GetCredentials().access_key_id == "GEN1");
  CHECK(inner->calls == 1);
  clock.Advance(std::chrono::minutes(1) + std::chrono::seconds(1));  // 4:59 before expiry
  CHECK(cache.GetCredentials().access_key_id == "GEN2");
  CHECK(inner->calls == 2);
  CHECK(cache.GetCredentials().access_key_id == "GEN2");
  cache.Invalidate();
  CHECK(cache.GetCredentials().access_key_id == "GEN3");

  auto forever = std::make_shared<FunctionProvider>([] { return MakeCredentials("STATIC"); });
  CachingCredentialsProvider keep(forever, options);
  keep.GetCredentials();
  clock.Advance(std::chrono::hours(24 * 365));
  keep.GetCredentials();
  CHECK(forever->calls == 1);
}

TEST_CASE("cache: failed refreshes before and after expiry", "[credentials][cache]") {
  ManualClock clock;
  std::atomic<bool> fail{false};
  auto inner = std::make_shared<FunctionProvider>([&] {
    if (fail) throw CredentialsError("source down");
    return MakeCredentials("OK", clock.Now() + std::chrono::minutes(15));
  });
  CachingCredentialsOptions options;
  options.clock = clock.Function();
  CachingCredentialsProvider cache(inner, options);
  cache.GetCredentials();
  fail = true;
  clock.Advance(std::chrono::minutes(12));  // due, still valid: the old ones serve
  CHECK(cache.GetCredentials().access_key_id == "OK");
  CHECK(inner->calls == 2);
  CHECK(cache.GetCredentials().access_key_id == "OK");  // the next try waits 30 s
  CHECK(inner->calls == 2);
  clock.Advance(std::chrono::seconds(31));
  CHECK(cache.GetCredentials().access_key_id == "OK");
  CHECK(inner->calls == 3);
  clock.Advance(std::chrono::minutes(4));  // expired: the failure surfaces
  CHECK_THROWS_AS(cache.GetCredentials(), CredentialsError);
  fail = false;
  CHECK(cache.GetCredentials().access_key_id == "OK");

  auto stale = std::make_shared<FunctionProvider>(
      [&] { return MakeCredentials("OLD", clock.Now() - std::chrono::seconds(1)); });
  CachingCredentialsProvider refuses(stale, options);
  CHECK_THROWS_AS(refuses.GetCredentials(), CredentialsError);

  // Credentials that arrive inside the refresh window are not refetched on every call.
  auto short_lived = std::make_shared<FunctionProvider>(
      [&] { return MakeCredentials("SHORT", clock.Now() + std::chrono::minutes(2)); });
  CachingCredentialsProvider half_life(short_lived, options);
  half_life.GetCredentials();
  half_life.GetCredentials();
  CHECK(short_lived->calls == 1);
  clock.Advance(std::chrono::seconds(61));
  half_life.GetCredentials();
  CHECK(short_lived->calls == 2);
}

TEST_CASE("cache: one refresh for 8 threads arriving together",
          "[credentials][cache][concurrency]") {
  ManualClock clock;
  auto inner = std::make_shared<FunctionProvider>([&] {
    // A slow source, so the callers overlap.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return MakeCredentials("SLOW" + std::to_string(clock.Now().time_since_epoch().count()),
                           clock.Now() + std::chrono::hours(1));
  });
  CachingCredentialsOptions options;
  options.clock = clock.Function();
  CachingCredentialsProvider cache(inner, options);

  // Cold cache: everyone waits for the single fetch and gets its result.
  std::vector<std::string> ids(8);
  RunTogether(8, [&](int i) { ids[i] = cache.GetCredentials().access_key_id; });
  CHECK(inner->calls == 1);
  for (const auto& id : ids) CHECK(id == ids[0]);

  // Inside the refresh window: exactly one refresh again, nobody fails.
  clock.Advance(std::chrono::minutes(57));
  std::atomic<int> valid{0};
  RunTogether(8, [&](int) {
    if (cache.GetCredentials().IsValid()) ++valid;
  });
  CHECK(inner->calls == 2);
  CHECK(valid == 8);
  CHECK(cache.GetCredentials().access_key_id != ids[0]);  // the refreshed ones now
  CHECK(inner->calls == 2);
}

TEST_CASE("cache: 8 threads waiting on a failing source share one failure",
          "[credentials][cache][concurrency]") {
  std::atomic<int> entered{0};
  auto inner = std::make_shared<FunctionProvider>([&]() -> Credentials {
    // Fail only once every caller is inside GetCredentials, waiting.
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (entered < 8 && std::chrono::steady_clock::now() < limit)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    throw CredentialsError("source down");
  });
  CachingCredentialsProvider cache(inner);
  std::atomic<int> failures{0};
  RunTogether(8, [&](int) {
    try {
      ++entered;
      cache.GetCredentials();
    } catch (const CredentialsError& e) {
      if (e.message() == "source down") ++failures;
    }
  });
  CHECK(failures == 8);
  CHECK(inner->calls == 1);
  // A later call tries again.
  CHECK_THROWS_AS(cache.GetCredentials(), CredentialsError);
  CHECK(inner->calls == 2);
}

// ---------------------------------------------------------------- default chain

namespace {

// An isolated setting for DefaultCredentialsChain: its own HOME and files,
// instance metadata disabled unless a test points it at a server.
struct ChainSetup {
  CredentialsTempDir dir;
  std::map<std::string, std::string> env;
  std::shared_ptr<CannedTransport> transport =
      std::make_shared<CannedTransport>(200, kCredentialsJson);

  ChainSetup() {
    env = {{"HOME", dir.path()},
           {"AWS_CONFIG_FILE", dir.Path("config")},
           {"AWS_SHARED_CREDENTIALS_FILE", dir.Path("credentials")},
           {"AWS_EC2_METADATA_DISABLED", "true"}};
  }
  std::shared_ptr<CredentialsProvider> Chain(std::optional<std::string> profile = std::nullopt) {
    DefaultCredentialsChainOptions options;
    options.profile = std::move(profile);
    options.environment = FixedEnvironment(env);
    options.transport = transport;
    return DefaultCredentialsChain(options);
  }
  std::string ProcessScript(const std::string& key_id) {
    return dir.Write("process-" + key_id + ".sh",
                     "#!/bin/sh\ntouch '" + dir.Path("process-ran-" + key_id) +
                         "'\necho '{\"Version\":1,\"AccessKeyId\":\"" + key_id +
                         "\",\"SecretAccessKey\":\"S\"}'\n",
                     true);
  }
};

}  // namespace

TEST_CASE("default chain: environment > profile > process > container > IMDS",
          "[credentials][default_chain]") {
  ChainSetup setup;
  setup.dir.Write("credentials",
                  "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = S\n");
  setup.dir.Write("config",
                  "[default]\ncredential_process = " + setup.ProcessScript("AKIDPROCESS") + "\n");
  setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
  setup.env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  setup.env["AWS_SECRET_ACCESS_KEY"] = "SECRETENV";

  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDENV");
  setup.env.erase("AWS_ACCESS_KEY_ID");
  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDPROFILE");
  CHECK_FALSE(FileExists(setup.dir.Path("process-ran-AKIDPROCESS")));
  setup.dir.Write("credentials", "");
  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDPROCESS");
  CHECK(setup.transport->seen().empty());
  setup.dir.Write("config", "");
  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDSERVED");  // the container
  REQUIRE(setup.transport->seen().size() == 1);
  CHECK(setup.transport->seen()[0].url == "http://127.0.0.1:1/creds");
}

TEST_CASE("default chain: a configured process or container that fails ends the search",
          "[credentials][default_chain]") {
  // As botocore: a source that is configured but fails is an error, never a
  // silent fall-through to the next source (here the container, then IMDS).
  ChainSetup setup;
  setup.dir.Write("failing.sh", "#!/bin/sh\nexit 3\n");
  std::filesystem::permissions(setup.dir.Path("failing.sh"), std::filesystem::perms::owner_all);
  setup.dir.Write("config",
                  "[default]\ncredential_process = " + setup.dir.Path("failing.sh") + "\n");
  setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
  CHECK_THROWS_AS(setup.Chain()->GetCredentials(), CredentialsSourceError);
  CHECK(setup.transport->seen().empty());

  // A container endpoint that answers garbage stops the chain too.
  setup.dir.Write("config", "");
  setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] =
      "http://example.com/creds";  // http, not loopback
  CHECK_THROWS_AS(setup.Chain()->GetCredentials(), CredentialsSourceError);
  CHECK(setup.transport->seen().empty());
}

TEST_CASE("default chain: IMDS last, over the default transport", "[credentials][default_chain]") {
  RequestLog log;
  LoopbackServer loopback;
  AddImdsRoutes(loopback.server(), log);
  loopback.Start();
  CredentialsTempDir dir;
  DefaultCredentialsChainOptions options;
  options.environment = FixedEnvironment(
      {{"HOME", dir.path()}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", loopback.url()}});
  auto chain = DefaultCredentialsChain(options);
  CHECK(log.Get().empty());
  CHECK(chain->GetCredentials().access_key_id == "AKIDSERVED");
  CHECK(log.Get().size() == 3);
  CHECK(chain->GetCredentials().access_key_id == "AKIDSERVED");
  CHECK(log.Get().size() == 3);  // cached
}

TEST_CASE("default chain: profile choice applies to keys and process",
          "[credentials][default_chain]") {
  ChainSetup setup;
  setup.dir.Write("config",
                  "[profile work]\ncredential_process = " + setup.ProcessScript("AKIDWORK") +
                      "\n"
                      "[profile keys]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = S\n");
  CHECK(setup.Chain(std::string("work"))->GetCredentials().access_key_id == "AKIDWORK");
  setup.env["AWS_PROFILE"] = "keys";
  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDKEYS");
  CHECK(setup.Chain(std::string("work"))->GetCredentials().access_key_id ==
        "AKIDWORK");  // code wins
  CHECK_THROWS_AS(setup.Chain(std::string("missing"))->GetCredentials(), ConfigurationError);

  // Environment keys win over AWS_PROFILE, but not over a profile chosen in
  // code (the CLI's --profile), as in botocore.
  setup.env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  setup.env["AWS_SECRET_ACCESS_KEY"] = "SECRETENV";
  CHECK(setup.Chain()->GetCredentials().access_key_id == "AKIDENV");
  CHECK(setup.Chain(std::string("keys"))->GetCredentials().access_key_id == "AKIDKEYS");
}

TEST_CASE("default chain: construction touches nothing; failure explains everything",
          "[credentials][default_chain]") {
  ChainSetup setup;
  setup.dir.Write("config",
                  "[default]\ncredential_process = " + setup.ProcessScript("AKIDLAZY") + "\n");
  setup.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
  auto chain = setup.Chain();
  CHECK_FALSE(FileExists(setup.dir.Path("process-ran-AKIDLAZY")));
  CHECK(setup.transport->seen().empty());
  CHECK(chain->GetCredentials().access_key_id == "AKIDLAZY");
  CHECK(FileExists(setup.dir.Path("process-ran-AKIDLAZY")));

  ChainSetup empty;
  empty.env["AWS_SECRET_ACCESS_KEY"] = "SECRET-SHOULD-NOT-APPEAR";
  const std::string message = CredentialsErrorMessage([&] { empty.Chain()->GetCredentials(); });
  CHECK(message.find("AWS_ACCESS_KEY_ID") != std::string::npos);
  CHECK(message.find("profile 'default'") != std::string::npos);
  CHECK(message.find(empty.dir.path() + "/config") != std::string::npos);
  CHECK(message.find("credential_process") != std::string::npos);
  CHECK(message.find("AWS_CONTAINER_CREDENTIALS_FULL_URI") != std::string::npos);
  CHECK(message.find("AWS_EC2_METADATA_DISABLED") != std::string::npos);
  CHECK(message.find("SECRET-SHOULD-NOT-APPEAR") == std::string::npos);
  CHECK(empty.transport->seen().empty());
}

}  // namespace credentials_providers_test
