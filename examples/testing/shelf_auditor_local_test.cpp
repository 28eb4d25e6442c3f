// (c) Integration tests of ShelfAuditor against rekognition-local, the
// bundled local endpoint: real HTTP on 127.0.0.1, real SigV4 verification,
// labels from a fixture file. Also shows how to record the exchange once and
// replay it in a test that needs no endpoint at all.
//
// The endpoint binary is $REKOGNITION_LOCAL, else the one this build made.
// Without it the program exits with 77, which ctest reports as skipped.
#define CATCH_CONFIG_RUNNER
#include "shelf_auditor.hpp"

#include <rekognition/client.hpp>
#include <rekognition/detail/posix.hpp>
#include <rekognition/http/curl_transport.hpp>
#include <rekognition/testing/recording_transport.hpp>

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr const char* kModel =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/"
    "shelf-products.2024-05-01/1714560000000";
constexpr const char* kAccessKeyId = "AKIDLOCALEXAMPLE";
constexpr const char* kSecretKey = "local-secret-for-tests-only";
constexpr const char* kFixtures = REKOGNITION_EXAMPLES_DATA_DIR "/fixtures.json";

std::string LocalBinary() {
  if (const char* path = std::getenv("REKOGNITION_LOCAL")) return path;
  return REKOGNITION_LOCAL_BIN;
}

// Runs rekognition-local on a free port for the lifetime of the object and
// reads its URL from the first line it prints.
class LocalEndpoint {
 public:
  explicit LocalEndpoint(std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {LocalBinary(), "--port",
                                     "0",           "--access-key-id",
                                     kAccessKeyId,  "--secret-access-key",
                                     kSecretKey,    "--fixtures",
                                     kFixtures,     "--project-version-arn",
                                     kModel,        "--quiet"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    // The library's own way to start a program: no shell, stdout on a pipe.
    rekognition::detail::SpawnOptions options;
    options.capture_stderr = false;
    options.stdin_from_dev_null = true;
    rekognition::detail::SpawnedProcess process = rekognition::detail::SpawnProcess(args, options);
    if (process.pid < 0) throw std::runtime_error("cannot start " + args[0]);
    pid_ = process.pid;
    stdout_ = process.out.Release();
    const std::string line = ReadFirstLine();
    const std::string prefix = "listening on ";
    if (line.compare(0, prefix.size(), prefix) != 0) {
      Stop();
      throw std::runtime_error("rekognition-local did not start: '" + line + "'");
    }
    url_ = line.substr(prefix.size());
  }
  ~LocalEndpoint() { Stop(); }
  LocalEndpoint(const LocalEndpoint&) = delete;
  LocalEndpoint& operator=(const LocalEndpoint&) = delete;

  const std::string& url() const { return url_; }

  void Stop() noexcept {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (stdout_ >= 0) {
      close(stdout_);
      stdout_ = -1;
    }
  }

 private:
  std::string ReadFirstLine() {
    std::string line;
    char c = 0;
    while (true) {
      pollfd fd{stdout_, POLLIN, 0};
      if (poll(&fd, 1, 10000) <= 0) break;  // 10 s to start is plenty
      if (read(stdout_, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string url_;
};

rekognition::ClientConfig ConfigFor(const std::string& url,
                                    const std::string& secret = kSecretKey) {
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = url;
  config.credentials = rekognition::Credentials{kAccessKeyId, secret, "", std::nullopt};
  config.sleep = [](std::chrono::milliseconds) {};  // retries without waiting
  return config;
}

rekognition::Image ShelfPhoto() {
  return rekognition::Image::FromFile(REKOGNITION_EXAMPLES_DATA_DIR "/shelf.png");
}

}  // namespace

TEST_CASE("local: the auditor applies its rule to the fixture's labels", "[shelf][local]") {
  LocalEndpoint endpoint;
  rekognition::Client client(ConfigFor(endpoint.url()));

  // The fixture has two soda cans at >= 80 (98.61, 91.07) and two cereal boxes.
  const shelf::AuditReport sodas =
      shelf::ShelfAuditor(client, kModel, {"soda_can", 3, 80}).Audit(ShelfPhoto());
  CHECK(sodas.status == shelf::AuditStatus::kFlagged);
  CHECK(sodas.facings == 2);
  CHECK_FALSE(sodas.request_id.empty());

  const shelf::AuditReport cereal =
      shelf::ShelfAuditor(client, kModel, {"cereal_box", 2, 80}).Audit(ShelfPhoto());
  CHECK(cereal.status == shelf::AuditStatus::kOk);
  CHECK(cereal.facings == 2);

  // 88.4 passes a threshold of 80 but not one of 90.
  CHECK(shelf::ShelfAuditor(client, kModel, {"water_bottle", 1, 80}).Audit(ShelfPhoto()).facings ==
        1);
  CHECK(shelf::ShelfAuditor(client, kModel, {"water_bottle", 1, 90}).Audit(ShelfPhoto()).facings ==
        0);
}

TEST_CASE("local: service errors surface as typed exceptions", "[shelf][local]") {
  LocalEndpoint endpoint;

  SECTION("an unknown model version") {
    rekognition::Client client(ConfigFor(endpoint.url()));
    const std::string other =
        "arn:aws:rekognition:us-east-1:111122223333:project/other/version/other.1/1";
    CHECK_THROWS_AS(shelf::ShelfAuditor(client, other, {"soda_can", 1, 80}).Audit(ShelfPhoto()),
                    rekognition::ResourceNotFoundException);
  }
  SECTION("a wrong secret key") {
    rekognition::Client client(ConfigFor(endpoint.url(), "not-the-secret"));
    CHECK_THROWS_AS(shelf::ShelfAuditor(client, kModel, {"soda_can", 1, 80}).Audit(ShelfPhoto()),
                    rekognition::AuthError);
  }
}

TEST_CASE("local: a throttling endpoint is retried, then reported", "[shelf][local]") {
  LocalEndpoint endpoint({"--throttle-rate", "1"});
  rekognition::Client client(ConfigFor(endpoint.url()));
  try {
    shelf::ShelfAuditor(client, kModel, {"soda_can", 1, 80}).Audit(ShelfPhoto());
    FAIL("expected a ThrottlingException");
  } catch (const rekognition::ThrottlingException& e) {
    CHECK(e.attempts() == 3);
  }
}

TEST_CASE("local: record once against the endpoint, replay without it", "[shelf][local]") {
  const std::string recording = (std::filesystem::temp_directory_path() /
                                 ("shelf-audit-recording-" + std::to_string(getpid()) + ".json"))
                                    .string();
  shelf::AuditReport live;
  {
    LocalEndpoint endpoint;
    rekognition::ClientConfig config = ConfigFor(endpoint.url());
    config.transport = std::make_shared<rekognition::RecordingTransport>(
        std::make_shared<rekognition::CurlTransport>(), recording);
    rekognition::Client client(config);
    live = shelf::ShelfAuditor(client, kModel, {"soda_can", 3, 80}).Audit(ShelfPhoto());
  }  // the endpoint is gone from here on

  std::ifstream in(recording);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(kSecretKey) == std::string::npos);
  CHECK(text.find("Signature=") == std::string::npos);

  auto replay = std::make_shared<rekognition::ReplayTransport>(recording);
  rekognition::ClientConfig config = ConfigFor("https://rekognition.us-east-1.amazonaws.com");
  config.transport = replay;
  rekognition::Client client(config);
  const shelf::AuditReport replayed =
      shelf::ShelfAuditor(client, kModel, {"soda_can", 3, 80}).Audit(ShelfPhoto());
  CHECK(replayed.status == live.status);
  CHECK(replayed.facings == live.facings);
  CHECK(replayed.request_id == live.request_id);
  replay->AssertAllReplayed();
  std::filesystem::remove(recording);
}

int main(int argc, char* argv[]) {
  if (access(LocalBinary().c_str(), X_OK) != 0) {
    std::cout << "skipped: rekognition-local not found at " << LocalBinary()
              << " (build it, or set REKOGNITION_LOCAL)\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
