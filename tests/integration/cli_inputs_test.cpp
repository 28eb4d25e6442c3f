// detect-custom-labels on awkward inputs: paths it cannot use, FIFOs, files
// over the size limit, clashing SVG names, file names that are not UTF-8, and
// the endpoint named in network errors.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}), (std::vector<std::string>{}))

namespace {

namespace fs = std::filesystem;
using testing_support::CliEnvironment;
using testing_support::CliPath;
using testing_support::kSampleArn;
using testing_support::LocalEndpoint;
using testing_support::RunProcess;
using testing_support::TempDir;

std::vector<std::string> Cli(const std::string& url, std::vector<std::string> extra) {
  std::vector<std::string> argv = {CliPath(),        "--region", "us-east-1",
                                   "--endpoint-url", url,        "--project-version-arn",
                                   kSampleArn};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

}  // namespace

TEST_CASE("paths that cannot be used are usage errors, never crashes", "[cli][inputs]") {
  TempDir dir;
  const std::string long_path = dir.path() + "/" + std::string(5000, 'a') + ".png";
  auto run = RunProcess(Cli("http://127.0.0.1:9", {long_path}), CliEnvironment());
  CHECK(run.exit_code == 2);
  fs::create_directory_symlink("loop", dir.path() + "/loop");
  run = RunProcess(Cli("http://127.0.0.1:9", {dir.path() + "/loop/x.png"}), CliEnvironment());
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("IMAGE") != std::string::npos);
}

TEST_CASE("a FIFO or an oversized file is refused without reading it", "[cli][inputs]") {
  TempDir dir;
  const std::string fifo = dir.path() + "/pipe.png";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto run =
      RunProcess(Cli("http://127.0.0.1:9", {fifo}), CliEnvironment(), std::chrono::seconds(20));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("not a regular file") != std::string::npos);

  const std::string big = dir.path() + "/big.png";
  { std::ofstream(big).put('x'); }
  fs::resize_file(big, 1u << 30);  // sparse: 1 GB without using the disk
  run = RunProcess(Cli("http://127.0.0.1:9", {big}), CliEnvironment(), std::chrono::seconds(20));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("Image.Bytes") != std::string::npos);
  CHECK(run.err.find("1073741824") != std::string::npos);
}

TEST_CASE("SVG names never clash, generated or real", "[cli][svg]") {
  LocalEndpoint endpoint;
  TempDir dir;
  const std::string logo =
      testing_support::ReadFile(testing_support::SampleDataDir() + "/logo.png");
  fs::create_directories(dir.path() + "/in/a");
  fs::create_directories(dir.path() + "/in/b");
  for (const char* name : {"/in/a/x.png", "/in/b/x.png", "/in/x-2.png"})
    testing_support::WriteFile(dir.path() + name, logo);
  auto run = RunProcess(Cli(endpoint.url(), {"--svg", dir.path() + "/svg", dir.path() + "/in"}),
                        CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  std::size_t svgs = 0;
  for (const auto& entry : fs::directory_iterator(dir.path() + "/svg"))
    svgs += entry.path().extension() == ".svg";
  CHECK(svgs == 3);
}

TEST_CASE("a file name that is not UTF-8 still makes valid JSON lines", "[cli][json]") {
  LocalEndpoint endpoint;
  TempDir dir;
  const std::string logo =
      testing_support::ReadFile(testing_support::SampleDataDir() + "/logo.png");
  testing_support::WriteFile(dir.path() + "/bad\xff\x01name.png", logo);
  testing_support::WriteFile(dir.path() + "/good.png", logo);
  auto run = RunProcess(Cli(endpoint.url(), {dir.path()}), CliEnvironment());
  CHECK(run.exit_code == 0);
  const std::string script =
      "import json,sys\n"
      "lines=[json.loads(l) for l in sys.stdin.buffer.read().decode('utf-8').splitlines()]\n"
      "assert len(lines)==2, lines\n"
      "assert all('CustomLabels' in l for l in lines)\n";
  const std::string out_file = dir.path() + "/out.jsonl";
  testing_support::WriteFile(out_file, run.out);
  auto check = RunProcess({"sh", "-c", "python3 -c \"$0\" < \"$1\"", script, out_file});
  INFO(check.err);
  CHECK(check.exit_code == 0);
}

TEST_CASE("a network error names the endpoint the client resolved", "[cli][errors]") {
  auto env = CliEnvironment();
  env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
  auto run = RunProcess(
      {CliPath(), "--region", "us-east-1", "--max-attempts", "1", "--project-version-arn",
       kSampleArn, testing_support::SampleDataDir() + "/logo.png"},
      env);
  CHECK(run.exit_code == 255);
  CHECK(run.err.find("Could not connect to the endpoint URL: \"http://127.0.0.1:9/\"") !=
        std::string::npos);
}
