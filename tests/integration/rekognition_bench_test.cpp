// rekognition-bench against rekognition-local: its report parses, it makes
// exactly --requests calls, counts injected errors by code, keeps many calls
// in flight on two threads, refuses bad arguments with exit code 2, and
// --prepare-only measures without sending.
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "peers.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{}), (std::vector<std::string>{}))

namespace {

using testing_support::kSampleArn;
using testing_support::LocalEndpoint;

std::string BenchPath() { return std::string(REKOGNITION_BIN_DIR) + "/rekognition-bench"; }

testing_support::ProcessResult RunBench(std::vector<std::string> args) {
  args.insert(args.begin(), BenchPath());
  return testing_support::RunProcess(args, testing_support::CliEnvironment(),
                                     std::chrono::seconds(120));
}

std::vector<std::string> Target(const LocalEndpoint& endpoint) {
  return {"--endpoint-url", endpoint.url(),          "--region",
          "us-east-1",      "--project-version-arn", kSampleArn};
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The report's key=value lines; every line must be one.
std::map<std::string, std::string> ParseReport(const std::string& out) {
  std::map<std::string, std::string> report;
  for (const auto& line : testing_support::Lines(out)) {
    const auto eq = line.find('=');
    INFO("line: " << line);
    REQUIRE(eq != std::string::npos);
    REQUIRE(eq > 0);
    report[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return report;
}

double Number(const std::map<std::string, std::string>& report, const std::string& key) {
  const auto it = report.find(key);
  INFO("key: " << key);
  REQUIRE(it != report.end());
  char* end = nullptr;
  const double value = std::strtod(it->second.c_str(), &end);
  REQUIRE(end != it->second.c_str());
  REQUIRE(*end == '\0');
  return value;
}

std::string LastLine(const std::string& out) {
  const auto lines = testing_support::Lines(out);
  return lines.empty() ? std::string() : lines.back();
}

}  // namespace

TEST_CASE("rekognition-bench makes exactly --requests calls and reports them", "[bench]") {
  LocalEndpoint endpoint({"--quiet"});
  const auto run = RunBench(Concat(
      Target(endpoint), {"--image-bytes", "1024", "--requests", "300", "--concurrency", "16"}));
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const auto report = ParseReport(run.out);
  CHECK(Number(report, "requests") == 300);
  CHECK(Number(report, "succeeded") == 300);
  CHECK(Number(report, "failed") == 0);
  CHECK(Number(report, "image_bytes") == 1024);
  const double p50 = Number(report, "latency_ms_p50");
  const double p90 = Number(report, "latency_ms_p90");
  const double p99 = Number(report, "latency_ms_p99");
  const double max = Number(report, "latency_ms_max");
  CHECK(p50 > 0);
  CHECK(p50 <= p90);
  CHECK(p90 <= p99);
  CHECK(p99 <= max);
  CHECK(Number(report, "requests_per_second") > 0);
  CHECK(LastLine(run.out).rfind("requests_per_second=", 0) == 0);
  for (const auto& entry : report) CHECK(entry.first.rfind("errors.", 0) != 0);
}

TEST_CASE("rekognition-bench sends a file's image and its synthetic PNGs are accepted", "[bench]") {
  LocalEndpoint endpoint({"--quiet"});
  SECTION("a file") {
    const auto run = RunBench(
        Concat(Target(endpoint), {"--image", testing_support::SampleDataDir() + "/logo.png",
                                  "--requests", "5", "--concurrency", "2"}));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const auto report = ParseReport(run.out);
    CHECK(Number(report, "succeeded") == 5);
    CHECK(Number(report, "image_bytes") == static_cast<double>(std::filesystem::file_size(
                                               testing_support::SampleDataDir() + "/logo.png")));
  }
  SECTION("the smallest and the largest synthetic PNG") {
    for (const char* size : {"512", "4194304"}) {
      const auto run = RunBench(Concat(
          Target(endpoint), {"--image-bytes", size, "--requests", "2", "--concurrency", "2"}));
      INFO(size << ": " << run.out << run.err);
      REQUIRE(run.exit_code == 0);
      const auto report = ParseReport(run.out);
      CHECK(Number(report, "succeeded") == 2);
      CHECK(Number(report, "image_bytes") == std::strtod(size, nullptr));
    }
  }
}

TEST_CASE("rekognition-bench counts errors by code", "[bench]") {
  LocalEndpoint endpoint({"--throttle-rate", "1", "--quiet"});
  const auto run = RunBench(Concat(
      Target(endpoint), {"--image-bytes", "1024", "--requests", "40", "--concurrency", "8"}));
  INFO(run.out << run.err);
  CHECK(run.exit_code == 254);  // the service answered with errors, as detect-custom-labels says
  const auto report = ParseReport(run.out);
  CHECK(Number(report, "requests") == 40);
  CHECK(Number(report, "succeeded") == 0);
  CHECK(Number(report, "failed") == 40);
  CHECK(Number(report, "errors.ThrottlingException") == 40);
  CHECK(LastLine(run.out).rfind("requests_per_second=", 0) == 0);
}

TEST_CASE("rekognition-bench keeps 128 calls in flight on two threads", "[bench]") {
  // Each answer takes 200 ms: 512 calls 128 at a time take about 0.8 s, one
  // at a time 100 s.
  LocalEndpoint endpoint({"--latency-ms", "200", "--threads", "300", "--quiet"});
  std::vector<std::string> argv =
      Concat(Concat({BenchPath()}, Target(endpoint)),
             {"--image-bytes", "1024", "--requests", "512", "--concurrency", "128"});
  testing_support::BackgroundProcess bench(argv, testing_support::CliEnvironment());
  // The most threads seen while the calls are in flight.
  std::size_t threads = 0;
  const auto task_dir = "/proc/" + std::to_string(bench.pid()) + "/task";
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::error_code ec;
    std::size_t count = 0;
    for (auto it = std::filesystem::directory_iterator(task_dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      ++count;
    threads = std::max(threads, count);
  }
  std::string out;
  for (std::string line; !(line = bench.ReadLine(std::chrono::seconds(60))).empty();) {
    out += line + "\n";
    if (line.rfind("requests_per_second=", 0) == 0) break;
  }
  INFO(out);
  CHECK(threads >= 1);
  CHECK(threads <= 2);
  const auto report = ParseReport(out);
  CHECK(Number(report, "succeeded") == 512);
  CHECK(Number(report, "elapsed_s") < 10);
  CHECK(Number(report, "latency_ms_p50") >= 200);
}

TEST_CASE("rekognition-bench refuses bad arguments with exit code 2, naming the option",
          "[bench]") {
  const std::vector<std::string> target = {"--endpoint-url", "http://127.0.0.1:9",    "--region",
                                           "us-east-1",      "--project-version-arn", kSampleArn};
  struct Case {
    std::vector<std::string> args;
    std::string names;
  };
  const std::vector<Case> cases = {
      {{"--image-bytes", "1024", "--requests", "1", "--concurrency", "0"}, "--concurrency"},
      {{"--image-bytes", "1024", "--requests", "0", "--concurrency", "1"}, "--requests"},
      {{"--image-bytes", "10", "--requests", "1", "--concurrency", "1"}, "--image-bytes"},
      {{"--image-bytes", "5000000", "--requests", "1", "--concurrency", "1"}, "--image-bytes"},
      {{"--image-bytes", "1024", "--concurrency", "1"}, "--requests"},
      {{"--requests", "1", "--concurrency", "1"}, "--image"},
      {{"--image-bytes", "1024", "--requests", "1"}, "--concurrency"},
      {{"--image-bytes", "1024", "--requests", "1", "--duration", "1", "--concurrency", "1"},
       "--duration"},
      {{"--image", "/nonexistent/image.png", "--requests", "1", "--concurrency", "1"}, "--image"},
      {{"--image", std::string(REKOGNITION_SOURCE_DIR) + "/README.md", "--requests", "1",
        "--concurrency", "1"},
       "--image"},
      {{"--image-bytes", "1024", "--requests", "1", "--concurrency", "1", "--bogus"}, "--bogus"},
  };
  for (const auto& c : cases) {
    const auto run = RunBench(Concat(target, c.args));
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(c.names) != std::string::npos);
    CHECK(run.out.find("requests_per_second") == std::string::npos);
  }
}

TEST_CASE("rekognition-bench --prepare-only signs without sending", "[bench]") {
  // Port 9 on loopback: nothing listens, so a request sent would fail.
  const auto run = RunBench({"--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1",
                             "--project-version-arn", kSampleArn, "--image-bytes", "1024",
                             "--requests", "200", "--concurrency", "1", "--prepare-only"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const auto report = ParseReport(run.out);
  CHECK(Number(report, "requests") == 200);
  CHECK(Number(report, "prepare_ns_per_request") > 0);
  CHECK(LastLine(run.out).rfind("prepare_ns_per_request=", 0) == 0);
}
