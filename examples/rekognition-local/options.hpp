// rekognition-local: command line options.
#ifndef REKOGNITION_LOCAL_OPTIONS_HPP
#define REKOGNITION_LOCAL_OPTIONS_HPP

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "model_lifecycle.hpp"

#ifndef REKOGNITION_LOCAL_DEFAULT_FIXTURES
#define REKOGNITION_LOCAL_DEFAULT_FIXTURES "examples/data/fixtures.json"
#endif

namespace rekognition_local {

/// Rates of injected faults, each a probability per request in [0, 1].
struct FaultOptions {
  double throttle_rate = 0;  // 500 ThrottlingException
  double error_rate = 0;     // 500 InternalServerError or 503 ServiceUnavailableException
  double drop_rate = 0;      // connection closed without an answer
  int latency_ms = 0;        // added before every DetectCustomLabels answer
  std::uint64_t seed = 1;    // same seed, same sequence of faults
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (the URL is printed)
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // when set, requests must carry exactly this token
  std::string region;         // when set, the credential scope must name it
  std::string fixtures = REKOGNITION_LOCAL_DEFAULT_FIXTURES;
  std::vector<std::string> project_version_arns;
  FaultOptions faults;
  LifecycleOptions lifecycle;
  int threads = 512;             // started on demand; each open connection holds one
  int header_timeout_ms = 5000;  // a request's line and headers must arrive within this
  std::string log_file;          // empty: stderr
  bool quiet = false;
};

/// Registers every option on `app`, writing into `options`.
inline void AddOptions(CLI::App& app, ServerOptions& options) {
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--access-key-id", options.access_key_id,
                 "the access key id to accept (default: $AWS_ACCESS_KEY_ID)");
  app.add_option("--secret-access-key", options.secret_access_key,
                 "its secret (default: $AWS_SECRET_ACCESS_KEY)");
  app.add_option(
      "--session-token", options.session_token,
      "require this X-Amz-Security-Token (default: $AWS_SESSION_TOKEN with $AWS_ACCESS_KEY_ID)");
  app.add_option("--region", options.region,
                 "require credential scopes to name this region (default: any)");
  app.add_option("--fixtures", options.fixtures, "JSON file with the labels to return")
      ->capture_default_str();
  app.add_option("--project-version-arn", options.project_version_arns,
                 "also serve this model version ARN (repeatable)");
  app.add_option("--initial-model-status", options.lifecycle.initial_status,
                 "status model versions start in (unless the fixture names one): RUNNING, or "
                 "STOPPED to exercise StartProjectVersion")
      ->check(CLI::IsMember(ProjectVersionStatuses()))
      ->capture_default_str();
  app.add_option("--start-delay-ms", options.lifecycle.start_delay_ms,
                 "how long StartProjectVersion keeps a model STARTING before it is RUNNING")
      ->check(CLI::Range(0, 86400000))
      ->capture_default_str();
  app.add_option("--stop-delay-ms", options.lifecycle.stop_delay_ms,
                 "how long StopProjectVersion keeps a model STOPPING before it is STOPPED")
      ->check(CLI::Range(0, 86400000))
      ->capture_default_str();
  app.add_option("--start-failure", options.lifecycle.start_failure,
                 "make every start end FAILED with this StatusMessage");
  app.add_option("--throttle-rate", options.faults.throttle_rate,
                 "share of requests answered 500 ThrottlingException")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--error-rate", options.faults.error_rate,
                 "share of requests answered 500 InternalServerError / 503 ServiceUnavailable")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--drop-rate", options.faults.drop_rate,
                 "share of requests whose connection is closed without an answer")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--latency-ms", options.faults.latency_ms, "delay added to every answer")
      ->check(CLI::Range(0, 600000));
  app.add_option("--seed", options.faults.seed, "seed of the fault sequence")
      ->capture_default_str();
  app.add_option("--threads", options.threads,
                 "most worker threads, started on demand; each open connection holds one")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--header-timeout-ms", options.header_timeout_ms,
                 "a request's line and headers must arrive within this; slower clients are "
                 "answered 400 and disconnected")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  app.add_option("--log-file", options.log_file, "append the request log here instead of stderr");
  app.add_flag("--quiet", options.quiet, "no request log");
}

/// Fills credentials left empty from the environment, like the AWS tools.
inline void ApplyEnvironmentDefaults(ServerOptions& options) {
  const auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
  };
  // The token belongs to the environment's key pair: taken only with its key id.
  if (options.access_key_id.empty()) {
    options.access_key_id = env("AWS_ACCESS_KEY_ID");
    if (options.session_token.empty()) options.session_token = env("AWS_SESSION_TOKEN");
  }
  if (options.secret_access_key.empty()) options.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
}

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_OPTIONS_HPP
