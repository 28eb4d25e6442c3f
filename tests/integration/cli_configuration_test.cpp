// detect-custom-labels resolves its configuration like the aws CLI: --profile,
// the shared files, --retry-mode, timeouts and TLS options, and exit 253 with
// a message that says what was looked for when something is missing.
#include <signal.h>

#include <string>
#include <vector>

#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{}), (std::vector<std::string>{}))

namespace {

using testing_support::CliEnvironment;
using testing_support::CliPath;
using testing_support::kSampleArn;
using testing_support::kTestKeyId;
using testing_support::kTestSecret;
using testing_support::LocalEndpoint;
using testing_support::RunProcess;
using testing_support::TempDir;

std::string Shelf() { return testing_support::SampleDataDir() + "/shelf.png"; }

// The environment with no credentials and shared files in `dir`.
std::map<std::string, std::string> EnvWithFiles(const TempDir& dir) {
  auto env = CliEnvironment();
  env["AWS_ACCESS_KEY_ID"] = "";
  env["AWS_SECRET_ACCESS_KEY"] = "";
  env["AWS_CONFIG_FILE"] = dir.path() + "/config";
  env["AWS_SHARED_CREDENTIALS_FILE"] = dir.path() + "/credentials";
  env["AWS_EC2_METADATA_DISABLED"] = "true";
  env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "";
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "";
  return env;
}

}  // namespace

TEST_CASE("--profile takes region, endpoint and keys from the shared files", "[cli][config]") {
  LocalEndpoint endpoint;
  TempDir dir;
  testing_support::WriteFile(
      dir.path() + "/config",
      "[profile demo]\nregion = us-east-1\nendpoint_url = " + endpoint.url() + "\n");
  testing_support::WriteFile(dir.path() + "/credentials",
                             std::string("[demo]\naws_access_key_id = ") + kTestKeyId +
                                 "\naws_secret_access_key = " + kTestSecret + "\n");
  auto run =
      RunProcess({CliPath(), "--profile", "demo", "--project-version-arn", kSampleArn, Shelf()},
                 EnvWithFiles(dir));
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("\"CustomLabels\"") != std::string::npos);

  // The same through AWS_PROFILE.
  auto env = EnvWithFiles(dir);
  env["AWS_PROFILE"] = "demo";
  run = RunProcess({CliPath(), "--project-version-arn", kSampleArn, Shelf()}, env);
  CHECK(run.exit_code == 0);

  // A profile that does not exist is a configuration problem.
  run =
      RunProcess({CliPath(), "--profile", "missing", "--project-version-arn", kSampleArn, Shelf()},
                 EnvWithFiles(dir));
  CHECK(run.exit_code == 253);
  CHECK(run.err.find("'missing'") != std::string::npos);
}

TEST_CASE("no credentials or no region exits 253 saying where it looked", "[cli][config]") {
  TempDir dir;
  auto run = RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9",
                         "--project-version-arn", kSampleArn, Shelf()},
                        EnvWithFiles(dir));
  CHECK(run.exit_code == 253);
  for (const char* where : {"AWS_ACCESS_KEY_ID", "credential_process", "AWS_CONTAINER_CREDENTIALS",
                            "AWS_EC2_METADATA_DISABLED"}) {
    INFO(where << "\n" << run.err);
    CHECK(run.err.find(where) != std::string::npos);
  }
  auto env = CliEnvironment();
  run = RunProcess({CliPath(), "--endpoint-url", "http://127.0.0.1:9", "--project-version-arn",
                    kSampleArn, Shelf()},
                   env);
  CHECK(run.exit_code == 253);
  CHECK(run.err.find("AWS_REGION") != std::string::npos);
  CHECK(run.err.find("AWS_DEFAULT_REGION") != std::string::npos);
}

TEST_CASE("an empty, out-of-range or spaced --endpoint-url exits 253 before sending",
          "[cli][config]") {
  for (const std::string& url : {std::string(), std::string("http://127.0.0.1:70000"),
                                 std::string("http://127.0.0.1:9/a b")}) {
    INFO("'" << url << "'");
    const auto run =
        RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", url,
                    "--project-version-arn", kSampleArn, "--max-attempts", "1", Shelf()},
                   CliEnvironment());
    INFO(run.err);
    CHECK(run.exit_code == 253);
    CHECK(run.err.find("endpoint URL") != std::string::npos);
  }
}

TEST_CASE("--retry-mode legacy makes 5 attempts; --max-attempts overrides", "[cli][config]") {
  LocalEndpoint endpoint({"--throttle-rate", "1"});
  const std::vector<std::string> base = {CliPath(),        "--region",     "us-east-1",
                                         "--endpoint-url", endpoint.url(), "--project-version-arn",
                                         kSampleArn,       "--debug"};
  auto count_attempts = [](const std::string& err) {
    std::size_t count = 0;
    for (std::size_t at = err.find("debug: attempt "); at != std::string::npos;
         at = err.find("debug: attempt ", at + 1))
      ++count;
    return count;
  };
  // Backoff sleeps are real here: keep them short by capping attempts where possible.
  auto args = base;
  args.insert(args.end(), {"--retry-mode", "legacy", "--max-attempts", "2", Shelf()});
  auto run = RunProcess(args, CliEnvironment());
  CHECK(run.exit_code == 254);
  CHECK(count_attempts(run.err) == 2);
  CHECK(run.err.find("An error occurred (ThrottlingException)") != std::string::npos);

  args = base;
  args.insert(args.end(), {"--max-attempts", "1", Shelf()});
  run = RunProcess(args, CliEnvironment());
  CHECK(count_attempts(run.err) == 1);

  auto env = CliEnvironment();
  env["AWS_MAX_ATTEMPTS"] = "2";
  args = base;
  args.push_back(Shelf());
  run = RunProcess(args, env);
  CHECK(count_attempts(run.err) == 2);
}

TEST_CASE("--connect-timeout and --read-timeout bound a stalled call", "[cli][config]") {
  LocalEndpoint endpoint({"--latency-ms", "3000"});
  const auto started = std::chrono::steady_clock::now();
  auto run = RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", endpoint.url(),
                         "--project-version-arn", kSampleArn, "--read-timeout", "1",
                         "--connect-timeout", "1", "--max-attempts", "1", Shelf()},
                        CliEnvironment());
  CHECK(run.exit_code == 255);
  CHECK(run.err.find("Timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2900));
}

TEST_CASE("timeouts must be finite and, unless 0, at least 1 ms", "[cli][config]") {
  for (const char* option : {"--read-timeout", "--connect-timeout", "--call-timeout"}) {
    for (const char* value : {"nan", "inf", "-1", "0.0004", "1e-9", "86401", "abc"}) {
      INFO(option << " " << value);
      const auto run =
          RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9",
                      "--project-version-arn", kSampleArn, option, value, Shelf()},
                     CliEnvironment());
      CHECK(run.exit_code == 2);
      CHECK(run.err.find(option) != std::string::npos);
    }
  }
}

TEST_CASE("--call-timeout bounds the whole call, retries included", "[cli][config]") {
  LocalEndpoint endpoint({"--latency-ms", "3000"});
  const auto started = std::chrono::steady_clock::now();
  auto run = RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", endpoint.url(),
                         "--project-version-arn", kSampleArn, "--call-timeout", "0.8", Shelf()},
                        CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 255);
  CHECK(run.err.find("Timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
}

TEST_CASE("--no-verify-ssl warns that TLS is not verified", "[cli][config]") {
  LocalEndpoint endpoint;
  auto run = RunProcess({CliPath(), "--region", "us-east-1", "--endpoint-url", endpoint.url(),
                         "--project-version-arn", kSampleArn, "--no-verify-ssl", Shelf()},
                        CliEnvironment());
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("warning: --no-verify-ssl") != std::string::npos);
}
