// detect-custom-labels' model lifecycle end to end against rekognition-local:
// --start-model waits until RUNNING, a folder is analysed, --stop-model stops
// the model also after Ctrl-C, a start that ends FAILED exits 254, a wait
// that times out 255; --model-status prints byte for byte what the aws CLI
// prints; each lifecycle request carries exactly boto3's parameters.
#include <rapidjson/document.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.hpp"
#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3", "aws"}),
                       (std::vector<std::string>{"boto3", "botocore"}))

namespace {

using testing_support::CliEnvironment;
using testing_support::CliPath;
using testing_support::kSampleArn;
using testing_support::LocalEndpoint;
using testing_support::RunProcess;
using testing_support::TempDir;

constexpr const char* kProjectArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/1714473600000";
constexpr const char* kVersionName = "shelf-products.2024-05-01";

std::vector<std::string> Cli(const std::string& url, std::vector<std::string> extra) {
  std::vector<std::string> argv = {CliPath(),        "--region", "us-east-1",
                                   "--endpoint-url", url,        "--project-version-arn",
                                   kSampleArn};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// The model's status as rekognition-local reports it, through the CLI.
std::string Status(const std::string& url) {
  const auto run = RunProcess(Cli(url, {"--model-status"}), CliEnvironment());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(run.out.c_str());
  REQUIRE(doc.IsObject());
  const auto& descriptions = doc["ProjectVersionDescriptions"];
  REQUIRE(descriptions.Size() == 1);
  return descriptions[0]["Status"].GetString();
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The aws CLI's output for the same describe-project-versions call.
testing_support::ProcessResult AwsDescribe(const std::string& url) {
  auto env = CliEnvironment();
  env["AWS_PAGER"] = "";
  return RunProcess({"aws", "rekognition", "describe-project-versions", "--project-arn",
                     kProjectArn, "--version-names", kVersionName, "--endpoint-url", url,
                     "--region", "us-east-1", "--output", "json"},
                    env);
}

}  // namespace

TEST_CASE("start, detect a folder, stop: the model runs only for the run", "[lifecycle][cli]") {
  LocalEndpoint endpoint(
      {"--initial-model-status", "STOPPED", "--start-delay-ms", "700", "--stop-delay-ms", "200"});
  const std::string folder = testing_support::SampleDataDir();  // 3 images, other files skipped
  CHECK(Status(endpoint.url()) == "STOPPED");

  // Without --start-model a stopped model is not ready: the service's error.
  const auto not_ready = RunProcess(Cli(endpoint.url(), {folder + "/logo.png"}), CliEnvironment());
  CHECK(not_ready.exit_code == 254);
  CHECK(not_ready.err.find("(ResourceNotReadyException)") != std::string::npos);

  const auto run = RunProcess(
      Cli(endpoint.url(), {"--start-model", "--stop-model", "--wait-delay", "0.1", folder}),
      CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  // stdout is exactly what a run against a running model prints: 3 JSON lines.
  const auto lines = testing_support::Lines(run.out);
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    REQUIRE(doc.IsObject());
    CHECK(doc.HasMember("CustomLabels"));
    CHECK_FALSE(doc.HasMember("Error"));
  }
  // Status while waiting, then the stop, on stderr.
  CHECK(run.err.find(std::string("model ") + kSampleArn + ": STARTING (") != std::string::npos);
  CHECK(run.err.find(std::string("model ") + kSampleArn + ": RUNNING (started by this run)") !=
        std::string::npos);
  CHECK(run.err.find(": STOPPING") != std::string::npos);
  const std::string status = Status(endpoint.url());
  CHECK((status == "STOPPING" || status == "STOPPED"));

  const std::string log = endpoint.Log();
  CHECK(Count(log, " StartProjectVersion 200") == 1);
  CHECK(Count(log, " StopProjectVersion 200") == 1);
  CHECK(Count(log, " DetectCustomLabels 200 labels=") == 3);
  CHECK(log.find("STOPPING after running ") != std::string::npos);
}

TEST_CASE("--start-model alone starts and waits; --stop-model alone stops", "[lifecycle][cli]") {
  LocalEndpoint endpoint(
      {"--initial-model-status", "STOPPED", "--start-delay-ms", "300", "--stop-delay-ms", "100"});
  const auto start =
      RunProcess(Cli(endpoint.url(), {"--start-model", "--wait-delay", "0.05",
                                      "--min-inference-units", "2", "--max-inference-units", "4"}),
                 CliEnvironment());
  INFO(start.err);
  CHECK(start.exit_code == 0);
  CHECK(start.out.empty());
  CHECK(start.err.find("left RUNNING (billed until stopped") != std::string::npos);
  CHECK(Status(endpoint.url()) == "RUNNING");
  CHECK(endpoint.Log().find("MinInferenceUnits 2, MaxInferenceUnits 4") != std::string::npos);

  // Already running: nothing is started, and a plain --stop-model IMG keeps
  // IMG an image and stops the model afterwards.
  const auto again =
      RunProcess(Cli(endpoint.url(), {"--start-model", "--wait-delay", "0.05"}), CliEnvironment());
  CHECK(again.exit_code == 0);
  CHECK(Count(endpoint.Log(), " StartProjectVersion 200") == 1);

  const auto detect_and_stop = RunProcess(
      Cli(endpoint.url(), {"--stop-model", testing_support::SampleDataDir() + "/logo.png"}),
      CliEnvironment());
  INFO(detect_and_stop.err);
  CHECK(detect_and_stop.exit_code == 0);
  CHECK(detect_and_stop.out.find("store_logo") != std::string::npos);
  CHECK(Status(endpoint.url()) != "RUNNING");

  // Stopping a stopped model is not an error: the goal is met.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto stop = RunProcess(Cli(endpoint.url(), {"--stop-model"}), CliEnvironment());
  CHECK(stop.exit_code == 0);
  CHECK(stop.err.find("already STOPPED") != std::string::npos);
}

TEST_CASE("--stop-model=always stops a model this run did not start; the default does not",
          "[lifecycle][cli]") {
  LocalEndpoint endpoint;  // models start RUNNING
  const std::string logo = testing_support::SampleDataDir() + "/logo.png";
  const auto keep =
      RunProcess(Cli(endpoint.url(), {"--start-model", "--stop-model", logo}), CliEnvironment());
  CHECK(keep.exit_code == 0);
  CHECK(keep.err.find("it was running before this run") != std::string::npos);
  CHECK(Status(endpoint.url()) == "RUNNING");
  const auto always = RunProcess(
      Cli(endpoint.url(), {"--start-model", "--stop-model=always", logo}), CliEnvironment());
  CHECK(always.exit_code == 0);
  CHECK(Status(endpoint.url()) == "STOPPING");
}

TEST_CASE("Ctrl-C while waiting still stops the model this run started", "[lifecycle][interrupt]") {
  LocalEndpoint endpoint(
      {"--initial-model-status", "STOPPED", "--start-delay-ms", "60000", "--stop-delay-ms", "100"});
  TempDir dir;
  const std::string err_path = dir.path() + "/stderr.txt";
  std::string command = "exec";
  for (const auto& arg : Cli(endpoint.url(), {"--start-model", "--stop-model", "--wait-delay",
                                              "0.2", testing_support::SampleDataDir()}))
    command += " '" + arg + "'";
  command += " 2>" + err_path;
  testing_support::BackgroundProcess cli({"sh", "-c", command}, CliEnvironment());
  // Wait until it polls a STARTING model.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // The shell creates the file only once it runs: absent means nothing yet.
  const auto err_so_far = [&err_path] {
    return std::filesystem::exists(err_path) ? testing_support::ReadFile(err_path) : std::string();
  };
  while (err_so_far().find(": STARTING (") == std::string::npos) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto interrupted_at = std::chrono::steady_clock::now();
  kill(cli.pid(), SIGINT);
  CHECK(cli.ReadLine(std::chrono::seconds(10)).empty());  // no output, then EOF at exit
  const int status = cli.Stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted_at).count();
  const std::string err = testing_support::ReadFile(err_path);
  INFO(err);
  CHECK(status == 130);
  CHECK(seconds < 3);
  CHECK(err.find("interrupted while waiting") != std::string::npos);
  CHECK(Count(endpoint.Log(), " StopProjectVersion 200") == 1);
  CHECK(endpoint.Log().find("STOPPING while STARTING") != std::string::npos);
  CHECK(Count(endpoint.Log(), " DetectCustomLabels") == 0);
  CHECK(Status(endpoint.url()) != "STARTING");
}

TEST_CASE("Ctrl-C during the images still stops the model", "[lifecycle][interrupt]") {
  LocalEndpoint endpoint({"--latency-ms", "400", "--stop-delay-ms", "100"});
  TempDir dir;
  const std::string err_path = dir.path() + "/stderr.txt";
  std::string command = "exec";
  for (const auto& arg : Cli(endpoint.url(), {"--stop-model", "--concurrency", "1",
                                              testing_support::SampleDataDir()}))
    command += " '" + arg + "'";
  command += " 2>" + err_path;
  testing_support::BackgroundProcess cli({"sh", "-c", command}, CliEnvironment());
  CHECK_FALSE(cli.ReadLine(std::chrono::seconds(10)).empty());  // the first image's line
  kill(cli.pid(), SIGINT);
  for (std::string line; !(line = cli.ReadLine(std::chrono::seconds(10))).empty();) {
  }
  const int status = cli.Stop();
  const std::string err = testing_support::ReadFile(err_path);
  INFO(err);
  CHECK(status == 130);
  CHECK(err.find("interrupted: ") != std::string::npos);
  CHECK(Count(endpoint.Log(), " StopProjectVersion 200") == 1);
  CHECK(Status(endpoint.url()) != "RUNNING");
}

TEST_CASE("a model that ends FAILED exits 254 with its StatusMessage", "[lifecycle][cli]") {
  LocalEndpoint endpoint({"--initial-model-status", "STOPPED", "--start-delay-ms", "200",
                          "--start-failure", "The model could not be deployed (test)."});
  const auto run = RunProcess(Cli(endpoint.url(), {"--start-model", "--stop-model", "--wait-delay",
                                                   "0.05", testing_support::SampleDataDir()}),
                              CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 254);
  CHECK(run.out.empty());
  CHECK(run.err.find(std::string("The model version ") + kSampleArn +
                     " is FAILED: The model could not be deployed (test).") != std::string::npos);
  CHECK(Count(endpoint.Log(), " DetectCustomLabels") == 0);
  CHECK(Count(endpoint.Log(), " StopProjectVersion") == 0);  // FAILED is not running
}

TEST_CASE("a wait that times out exits 255 and stops the model it started", "[lifecycle][cli]") {
  LocalEndpoint endpoint({"--initial-model-status", "STOPPED", "--start-delay-ms", "60000"});
  const auto started = std::chrono::steady_clock::now();
  const auto run =
      RunProcess(Cli(endpoint.url(), {"--start-model", "--stop-model", "--wait-delay", "0.1",
                                      "--wait-timeout", "0.5", testing_support::SampleDataDir()}),
                 CliEnvironment());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(run.err);
  CHECK(run.exit_code == 255);
  CHECK(seconds < 5);
  CHECK(run.err.find("Waiter ProjectVersionRunning failed") != std::string::npos);
  CHECK(run.err.find("last status: STARTING") != std::string::npos);
  CHECK(Count(endpoint.Log(), " StopProjectVersion 200") == 1);

  // Without --stop-model the model keeps starting (the caller asked to start it).
  LocalEndpoint second({"--initial-model-status", "STOPPED", "--start-delay-ms", "60000"});
  const auto keep = RunProcess(
      Cli(second.url(), {"--start-model", "--wait-delay", "0.1", "--wait-timeout", "0.3"}),
      CliEnvironment());
  CHECK(keep.exit_code == 255);
  CHECK(Count(second.Log(), " StopProjectVersion") == 0);
}

TEST_CASE("--model-status prints byte for byte what the aws CLI prints", "[lifecycle][aws-cli]") {
  TempDir dir;
  // Every kind of member: numbers the service writes in its own notation,
  // nested structures, a member the model does not know, a status no SDK
  // knows, escapes and non-ASCII text.
  const std::string fixture = dir.path() + "/fixtures.json";
  testing_support::WriteFile(
      fixture,
      std::string(R"({"ProjectVersions": [{"ProjectVersionArn": ")") + kSampleArn +
          R"(", "Status": "SOMETHING_NEW", "StatusMessage": "Ünïcode \"quoted\"\ttab \u001b ✓"}]})");
  LocalEndpoint endpoint({"--fixtures", fixture});
  const auto ours = RunProcess(Cli(endpoint.url(), {"--model-status"}), CliEnvironment());
  const auto theirs = AwsDescribe(endpoint.url());
  INFO(ours.err);
  INFO(theirs.err);
  REQUIRE(theirs.exit_code == 0);
  CHECK(ours.exit_code == 0);
  CHECK(ours.out == theirs.out);
  CHECK(ours.out.find("\"Status\": \"SOMETHING_NEW\"") != std::string::npos);
  CHECK(ours.out.find("\"CreationTimestamp\": 1714560000.0,") != std::string::npos);

  // A running model with inference units, and after a start.
  LocalEndpoint lifecycle({"--initial-model-status", "STOPPED", "--start-delay-ms", "0"});
  CHECK(RunProcess(Cli(lifecycle.url(), {"--model-status"}), CliEnvironment()).out ==
        AwsDescribe(lifecycle.url()).out);
  REQUIRE(RunProcess(Cli(lifecycle.url(),
                         {"--start-model", "--wait-delay", "0.05", "--max-inference-units", "3"}),
                     CliEnvironment())
              .exit_code == 0);
  const auto running = RunProcess(Cli(lifecycle.url(), {"--model-status"}), CliEnvironment());
  CHECK(running.out == AwsDescribe(lifecycle.url()).out);
  CHECK(running.out.find("\"MaxInferenceUnits\": 3,") != std::string::npos);

  // A version the project does not have: an empty list, as the aws CLI prints.
  const std::string other_version =
      "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/nope/1";
  auto cli = Cli(lifecycle.url(), {"--model-status"});
  cli[6] = other_version;
  const auto missing = RunProcess(cli, CliEnvironment());
  CHECK(missing.exit_code == 0);
  CHECK(missing.out == "{\n    \"ProjectVersionDescriptions\": []\n}\n");
  // A project that does not exist: the service's error.
  cli[6] = "arn:aws:rekognition:us-east-1:111122223333:project/nope/version/nope/1";
  const auto no_project = RunProcess(cli, CliEnvironment());
  CHECK(no_project.exit_code == 254);
  CHECK(no_project.err.find("(ResourceNotFoundException)") != std::string::npos);
}

TEST_CASE("lifecycle options are checked before anything is sent", "[lifecycle][usage]") {
  const std::string logo = testing_support::SampleDataDir() + "/logo.png";
  const std::string url = "http://127.0.0.1:9";  // nothing listens: usage errors come first
  const std::vector<std::vector<std::string>> bad = {
      {},                                               // no IMAGE, no lifecycle flag
      {"--stop-model=sometimes", logo},                 // unknown policy
      {"--min-inference-units", "2", logo},             // needs --start-model
      {"--wait-timeout", "10", logo},                   // needs --start-model
      {"--start-model", "--min-inference-units", "0"},  // below 1
      {"--start-model", "--min-inference-units", "3", "--max-inference-units", "2"},
      {"--start-model", "--wait-timeout", "0"},   // not positive
      {"--start-model", "--wait-delay", "-1"},    // not positive
      {"--start-model", "--wait-delay", "soon"},  // not a number
      {"--model-status", logo},                   // describes only
      {"--model-status", "--start-model"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    INFO(joined);
    const auto run = RunProcess(Cli(url, args), CliEnvironment());
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK_FALSE(run.err.empty());
  }
  // Fractions are accepted.
  LocalEndpoint endpoint;
  const auto fractions = RunProcess(
      Cli(endpoint.url(), {"--start-model", "--wait-delay", "0.25", "--wait-timeout", "1.5"}),
      CliEnvironment());
  CHECK(fractions.exit_code == 0);
}

TEST_CASE("each lifecycle request carries exactly the parameters boto3 sends",
          "[lifecycle][boto3][wire]") {
  // A scripted service that records (target, body): STOPPED until started,
  // then RUNNING.
  struct Recorder {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> calls;
    bool started = false;
  };
  const auto serve = [](testing_support::LoopbackServer& server, Recorder& recorder) {
    server.server().Post(
        "/", [&recorder](const httplib::Request& request, httplib::Response& response) {
          const std::string target = request.get_header_value("X-Amz-Target");
          const std::string operation = target.substr(target.find('.') + 1);
          std::lock_guard<std::mutex> lock(recorder.mutex);
          recorder.calls.emplace_back(operation, request.body);
          std::string body = "{}";
          if (operation == "DescribeProjects") {
            body = std::string(R"({"ProjectDescriptions":[{"ProjectArn":")") + kProjectArn +
                   R"(","Status":"CREATED"}]})";
          } else if (operation == "DescribeProjectVersions") {
            body = std::string(R"({"ProjectVersionDescriptions":[{"ProjectVersionArn":")") +
                   kSampleArn + R"(","Status":")" + (recorder.started ? "RUNNING" : "STOPPED") +
                   R"("}]})";
          } else if (operation == "StartProjectVersion") {
            recorder.started = true;
            body = R"({"Status":"STARTING"})";
          } else if (operation == "StopProjectVersion") {
            body = R"({"Status":"STOPPING"})";
          } else if (operation == "DetectCustomLabels") {
            body = R"({"CustomLabels":[]})";
          }
          response.set_content(body, "application/x-amz-json-1.1");
        });
    server.Start();
  };

  testing_support::LoopbackServer ours_server;
  Recorder ours;
  serve(ours_server, ours);
  const auto run =
      RunProcess(Cli(ours_server.url(),
                     {"--start-model", "--min-inference-units", "2", "--max-inference-units", "3",
                      "--stop-model", "--wait-delay", "0.05", "s3://bucket/key.png"}),
                 CliEnvironment());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto status = RunProcess(Cli(ours_server.url(), {"--model-status"}), CliEnvironment());
  REQUIRE(status.exit_code == 0);

  testing_support::LoopbackServer boto_server;
  Recorder boto;
  serve(boto_server, boto);
  const std::string script = std::string(R"PY(
import sys, boto3
c = boto3.client("rekognition", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
arn, project = ")PY") + kSampleArn +
                             R"PY(", ")PY" + kProjectArn + R"PY("
c.describe_projects(ProjectNames=["shelf-products"])
c.describe_project_versions(ProjectArn=project, VersionNames=["shelf-products.2024-05-01"])
c.start_project_version(ProjectVersionArn=arn, MinInferenceUnits=2, MaxInferenceUnits=3)
c.get_waiter("project_version_running").wait(ProjectArn=project,
    VersionNames=["shelf-products.2024-05-01"], WaiterConfig={"Delay": 0.05})
c.detect_custom_labels(ProjectVersionArn=arn, Image={"S3Object": {"Bucket": "bucket", "Name": "key.png"}})
c.stop_project_version(ProjectVersionArn=arn)
)PY";
  const auto boto_run = RunProcess({"python3", "-c", script, boto_server.url()},
                                   {{"AWS_CONFIG_FILE", "/dev/null"}, {"AWS_PROFILE", ""}});
  INFO(boto_run.err);
  REQUIRE(boto_run.exit_code == 0);

  // Per operation, the bodies (as JSON values: member order and spacing
  // aside) boto3 sent, and those the CLI sent.
  const auto bodies = [](const Recorder& recorder, const std::string& operation) {
    std::vector<std::string> out;
    for (const auto& [name, body] : recorder.calls)
      if (name == operation) out.push_back(body);
    return out;
  };
  const auto same_json = [](const std::string& a, const std::string& b) {
    rapidjson::Document da, db;
    da.Parse(a.c_str());
    db.Parse(b.c_str());
    return !da.HasParseError() && !db.HasParseError() && da == db;
  };
  for (const char* operation : {"DescribeProjects", "DescribeProjectVersions",
                                "StartProjectVersion", "StopProjectVersion"}) {
    INFO(operation);
    const auto mine = bodies(ours, operation);
    const auto reference = bodies(boto, operation);
    REQUIRE_FALSE(mine.empty());
    REQUIRE_FALSE(reference.empty());
    for (const auto& body : mine) {
      INFO("ours: " << body << "  boto3: " << reference.front());
      CHECK(same_json(body, reference.front()));
    }
  }
  // The start sent MaxInferenceUnits because it was given; without it, it is not sent.
  CHECK(bodies(ours, "StartProjectVersion").front().find("\"MaxInferenceUnits\":3") !=
        std::string::npos);
}
