// detect-custom-labels end to end against rekognition-local: batch mode over a
// folder of 200 images, input order, SVG output, text output, exit codes,
// retries through injected faults, Ctrl-C and the progress bar.
#include <rekognition/detail/base64.hpp>
#include <rekognition/detail/crypto.hpp>

#include <rapidjson/document.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "peers.hpp"
#include "png_writer.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"script"}), (std::vector<std::string>{}))

namespace {

namespace fs = std::filesystem;
using testing_support::CliEnvironment;
using testing_support::CliPath;
using testing_support::kSampleArn;
using testing_support::Lines;
using testing_support::LocalEndpoint;
using testing_support::RunProcess;
using testing_support::TempDir;

// A folder of `count` distinct small PNGs, img-000.png ..., half of them one
// level deeper, plus files the CLI must skip. Also writes a fixture that
// gives image i the single label "label-<i>", keyed by its SHA-256, so each
// output line can be checked against the image it names. Returns the image
// paths in the order the CLI visits them (sorted).
std::vector<std::string> MakeImageFolder(const std::string& dir, int count,
                                         const std::string& fixture_path) {
  fs::create_directories(dir + "/a");
  fs::create_directories(dir + "/b/deeper");
  testing_support::WriteFile(dir + "/notes.txt", "not an image");
  testing_support::WriteFile(dir + "/a/readme.md", "# not an image either");
  std::vector<std::string> paths;
  std::string images_json;
  for (int i = 0; i < count; ++i) {
    testing_support::Canvas canvas(
        64 + i % 7, 64,
        {static_cast<std::uint8_t>(i * 37), static_cast<std::uint8_t>(i * 91),
         static_cast<std::uint8_t>(i * 53)});
    canvas.FillRect(i % 50, (i / 50) * 12, 10, 10, {255, 255, 255});
    const std::string png = testing_support::EncodePng(canvas);
    char name[32];
    std::snprintf(name, sizeof name, "img-%03d.png", i);
    const std::string path = dir + (i < count / 2 ? "/a/" : "/b/deeper/") + name;
    testing_support::WriteFile(path, png);
    paths.push_back(path);
    images_json += std::string(i ? "," : "") + "\"" + rekognition::detail::Sha256Hex(png) +
                   "\":{\"CustomLabels\":[{\"Name\":\"label-" + std::to_string(i) +
                   "\",\"Confidence\":" + std::to_string(60 + i % 40) +
                   ",\"Geometry\":{\"BoundingBox\":{\"Width\":0.1,\"Height\":0.2,\"Left\":0.3,"
                   "\"Top\":0.4}}}]}";
  }
  testing_support::WriteFile(fixture_path, std::string("{\"ProjectVersionArns\":[\"") + kSampleArn +
                                               "\"],\"Images\":{" + images_json + "}}");
  return paths;
}

std::vector<std::string> CliArgs(const std::string& url, std::vector<std::string> extra) {
  std::vector<std::string> argv = {CliPath(),        "--region", "us-east-1",
                                   "--endpoint-url", url,        "--project-version-arn",
                                   kSampleArn};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

struct JsonLine {
  std::string image;
  std::vector<std::string> labels;
  std::string error_code;
};

JsonLine ParseLine(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  INFO(line);
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("Image"));
  JsonLine out;
  out.image = doc["Image"].GetString();
  if (doc.HasMember("Error")) {
    REQUIRE(doc["Error"].HasMember("Code"));
    REQUIRE(doc["Error"].HasMember("Message"));
    out.error_code = doc["Error"]["Code"].GetString();
  } else {
    REQUIRE(doc.HasMember("CustomLabels"));
    for (const auto& label : doc["CustomLabels"].GetArray())
      out.labels.push_back(label["Name"].GetString());
  }
  return out;
}

int IndexOf(const std::string& image) {
  std::smatch match;
  const std::regex pattern(R"(img-(\d{3})\.png$)");
  return std::regex_search(image, match, pattern) ? std::stoi(match[1]) : -1;
}

// Attribute values of every element `tag` with class `cls` in an SVG.
std::vector<std::map<std::string, std::string>> Elements(const std::string& svg,
                                                         const std::string& tag,
                                                         const std::string& cls) {
  std::vector<std::map<std::string, std::string>> out;
  const std::regex element("<" + tag + " class=\"" + cls + "\"([^>]*)/>");
  const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), element), end; it != end; ++it) {
    std::map<std::string, std::string> attributes;
    const std::string body = (*it)[1];
    for (std::sregex_iterator a(body.begin(), body.end(), attribute); a != end; ++a)
      attributes[(*a)[1]] = (*a)[2];
    out.push_back(attributes);
  }
  return out;
}

}  // namespace

TEST_CASE("a folder of 200 images: each exactly once, in input order, with its own labels",
          "[batch][concurrency]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  const std::vector<std::string> paths = MakeImageFolder(dir.path() + "/images", 200, fixture);
  LocalEndpoint endpoint({"--fixtures", fixture, "--latency-ms", "20"});

  const auto started = std::chrono::steady_clock::now();
  auto run = RunProcess(CliArgs(endpoint.url(), {"--concurrency", "16", dir.path() + "/images"}),
                        CliEnvironment());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(run.err);
  CHECK(run.exit_code == 0);
  // stderr is no terminal: no progress bar, just the summary.
  CHECK(std::regex_match(run.err, std::regex(R"(200 images in [0-9.]+ s: [0-9.]+ images/s; )"
                                             R"(throttled 0 of 200 attempts \(0\.0%\); )"
                                             R"(16 calls in flight at the end \(ceiling 16\)\n)")));
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == paths.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const JsonLine line = ParseLine(lines[i]);
    CHECK(line.image == paths[i]);
    CHECK(line.error_code.empty());
    REQUIRE(line.labels.size() == 1);
    CHECK(line.labels[0] == "label-" + std::to_string(IndexOf(line.image)));
    seen.insert(line.image);
  }
  CHECK(seen.size() == 200);
  // 200 calls of 20 ms each: 4 s one at a time, about 0.25 s sixteen at a time.
  CHECK(seconds < 3.0);
  // The calls went through reused connections: a few more than the 16 in
  // flight at most (a connection the server closes while idle is replaced).
  std::set<std::string> ports;
  const std::string log = endpoint.Log();
  const std::regex peer(R"( 127\.0\.0\.1:(\d+) DetectCustomLabels 200)");
  for (std::sregex_iterator it(log.begin(), log.end(), peer), end; it != end; ++it)
    ports.insert((*it)[1]);
  CHECK(ports.size() <= 32);
}

TEST_CASE("the SVG has one box per label at the right pixels, over the embedded image", "[svg]") {
  LocalEndpoint endpoint;
  TempDir dir;
  const std::string shelf = testing_support::SampleDataDir() + "/shelf.png";
  const std::string svg_path = dir.path() + "/shelf.svg";
  auto run = RunProcess(CliArgs(endpoint.url(), {"--svg", svg_path, shelf}), CliEnvironment());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::string svg = testing_support::ReadFile(svg_path);
  CHECK(svg.find("width=\"512.00\" height=\"384.00\"") != std::string::npos);

  const auto boxes = Elements(svg, "rect", "box");
  const auto polygons = Elements(svg, "polygon", "polygon");
  REQUIRE(boxes.size() == 10);  // the labels at or above the default threshold
  CHECK(polygons.size() == 10);
  // Highest confidence first: the first soda can (x 40..100, y 78..170), the
  // cereal box (130..210, 40..170), then the lower shelf's cereal box.
  CHECK(boxes[0].at("x") == "40.00");
  CHECK(boxes[0].at("y") == "78.00");
  CHECK(boxes[0].at("width") == "60.00");
  CHECK(boxes[0].at("height") == "92.00");
  CHECK(boxes[1].at("x") == "130.00");
  CHECK(boxes[1].at("y") == "40.00");
  CHECK(boxes[1].at("width") == "80.00");
  CHECK(boxes[1].at("height") == "130.00");
  CHECK(boxes[2].at("x") == "30.00");
  CHECK(boxes[2].at("y") == "220.00");
  CHECK(polygons[0].at("points").rfind("40.00,86.00 50.00,79.00 70.00,78.00", 0) == 0);
  CHECK(svg.find(">soda_can 98.61%</text>") != std::string::npos);
  CHECK(svg.find(">water_bottle 58.80%</text>") != std::string::npos);
  CHECK(svg.find("price_tag 42.30%") == std::string::npos);

  // The picture itself is embedded byte for byte.
  const std::regex image(R"re(href="data:image/png;base64,([^"]+)")re");
  std::smatch match;
  REQUIRE(std::regex_search(svg, match, image));
  std::string decoded;
  REQUIRE(rekognition::detail::Base64Decode(match[1].str(), decoded));
  CHECK(decoded == testing_support::ReadFile(shelf));

  // Several images: one SVG each in the directory, a JPEG embedded as JPEG.
  const std::string out_dir = dir.path() + "/svgs";
  auto batch = RunProcess(
      CliArgs(endpoint.url(),
              {"--svg", out_dir, shelf, testing_support::SampleDataDir() + "/storefront.jpg"}),
      CliEnvironment());
  REQUIRE(batch.exit_code == 0);
  CHECK(Elements(testing_support::ReadFile(out_dir + "/shelf.svg"), "rect", "box").size() == 10);
  const std::string storefront = testing_support::ReadFile(out_dir + "/storefront.svg");
  CHECK(Elements(storefront, "rect", "box").size() == 3);
  CHECK(storefront.find("data:image/jpeg;base64,") != std::string::npos);
}

TEST_CASE("--output text prints a table per image, in input order", "[text]") {
  LocalEndpoint endpoint;
  const std::string data = testing_support::SampleDataDir();
  auto run = RunProcess(CliArgs(endpoint.url(), {"--output", "text", "--min-confidence", "90",
                                                 data + "/storefront.jpg", data + "/logo.png"}),
                        CliEnvironment());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == data + "/storefront.jpg");
  CHECK(std::regex_match(lines[1],
                         std::regex(R"(\s+LABEL\s+CONFIDENCE\s+LEFT\s+TOP\s+WIDTH\s+HEIGHT)")));
  CHECK(std::regex_match(
      lines[2], std::regex(R"(\s+sign_board\s+97\.20\s+0\.156\s+0\.139\s+0\.688\s+0\.278)")));
  CHECK(std::regex_match(lines[3], std::regex(R"(\s+store_logo\s+93\.80\s.*)")));
  CHECK(lines[4] == data + "/logo.png");
  CHECK(std::regex_match(lines[6], std::regex(R"(\s+store_logo\s+99\.10\s.*)")));
}

TEST_CASE("a batch exits 0 only when every image succeeded, else with the worst category",
          "[exit]") {
  LocalEndpoint endpoint;
  TempDir dir;
  const std::string logo = testing_support::SampleDataDir() + "/logo.png";
  auto ok =
      RunProcess(CliArgs(endpoint.url(), {logo, "s3://sample-bucket/shelf.png"}), CliEnvironment());
  CHECK(ok.exit_code == 0);
  CHECK(Lines(ok.out).size() == 2);

  auto missing = RunProcess(CliArgs(endpoint.url(), {logo, "s3://sample-bucket/missing.png", logo}),
                            CliEnvironment());
  CHECK(missing.exit_code == 254);
  const auto lines = Lines(missing.out);
  REQUIRE(lines.size() == 3);
  CHECK(ParseLine(lines[0]).labels == std::vector<std::string>{"store_logo"});
  CHECK(ParseLine(lines[1]).error_code == "InvalidS3ObjectException");
  CHECK(ParseLine(lines[2]).labels == std::vector<std::string>{"store_logo"});

  const std::string fake = dir.path() + "/fake.png";
  testing_support::WriteFile(fake, "GIF89a, whatever the name says");
  auto invalid = RunProcess(CliArgs(endpoint.url(), {logo, fake, "s3://sample-bucket/missing.png"}),
                            CliEnvironment());
  CHECK(invalid.exit_code == 2);  // client-side validation outranks the service error
  CHECK(ParseLine(Lines(invalid.out)[1]).error_code == "ValidationError");

  auto single =
      RunProcess(CliArgs(endpoint.url(), {"s3://sample-bucket/missing.png"}), CliEnvironment());
  CHECK(single.exit_code == 254);
  CHECK(single.out.empty());
  CHECK(single.err.find(
            "An error occurred (InvalidS3ObjectException) when calling the DetectCustomLabels "
            "operation: ") != std::string::npos);
}

TEST_CASE("throttling, 5xx and dropped connections are retried until they succeed",
          "[faults][concurrency]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  const std::vector<std::string> paths = MakeImageFolder(dir.path() + "/images", 10, fixture);
  // One call at a time, so the seeded fault sequence is the same every run:
  // with seed 254 the 13 requests draw one throttle, one 5xx and one drop,
  // never two in a row (so at most three short backoffs).
  LocalEndpoint endpoint({"--fixtures", fixture, "--throttle-rate", "0.1", "--error-rate", "0.1",
                          "--drop-rate", "0.1", "--seed", "254"});
  auto run = RunProcess(CliArgs(endpoint.url(), {"--concurrency", "1", "--max-attempts", "10",
                                                 "--debug", dir.path() + "/images"}),
                        CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  const auto lines = Lines(run.out);
  REQUIRE(lines.size() == 10);
  for (std::size_t i = 0; i < lines.size(); ++i) CHECK(ParseLine(lines[i]).image == paths[i]);

  const std::string log = endpoint.Log();
  const auto count = [&log](const std::string& text) {
    std::size_t n = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
    return n;
  };
  CHECK(count(" 200 labels=1 ") == 10);
  CHECK(count("fault=throttle") == 1);
  CHECK(count("fault=error-5") == 1);
  CHECK(count("fault=drop") == 1);
  // The throttle and the 5xx each cost the client a retry. A drop on a
  // reused connection is re-sent by libcurl itself (nothing came back on
  // it), so it may not reach the retry loop.
  std::size_t retries = 0;
  for (const auto& line : Lines(run.err))
    retries += line.find("; retrying in ") != std::string::npos ? 1 : 0;
  CHECK(retries >= 2);
  CHECK(retries <= 3);
  CHECK(run.err.find(testing_support::kTestSecret) == std::string::npos);
}

TEST_CASE("when the retries run out the error is reported", "[faults]") {
  LocalEndpoint endpoint({"--throttle-rate", "1"});
  auto run = RunProcess(CliArgs(endpoint.url(), {"--max-attempts", "2",
                                                 testing_support::SampleDataDir() + "/logo.png"}),
                        CliEnvironment());
  CHECK(run.exit_code == 254);
  CHECK(
      run.err.find(
          "An error occurred (ThrottlingException) when calling the DetectCustomLabels operation: "
          "Rate exceeded") != std::string::npos);
  std::size_t answered = 0;
  for (const auto& line : Lines(endpoint.Log()))
    answered += line.find("ThrottlingException") != std::string::npos;
  CHECK(answered == 2);
}

TEST_CASE("Ctrl-C stops a batch cleanly and keeps every finished line",
          "[interrupt][concurrency]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  const std::vector<std::string> paths = MakeImageFolder(dir.path() + "/images", 40, fixture);
  LocalEndpoint endpoint({"--fixtures", fixture, "--latency-ms", "250"});
  const std::string err_path = dir.path() + "/stderr.txt";
  std::string command = "exec";
  for (const auto& arg : CliArgs(endpoint.url(), {"--concurrency", "4", dir.path() + "/images"}))
    command += " '" + arg + "'";
  command += " 2>" + err_path;
  testing_support::BackgroundProcess cli({"sh", "-c", command}, CliEnvironment());

  std::vector<std::string> lines;
  while (lines.size() < 6) {
    std::string line = cli.ReadLine(std::chrono::seconds(10));
    REQUIRE_FALSE(line.empty());
    lines.push_back(line);
  }
  const auto interrupted_at = std::chrono::steady_clock::now();
  kill(cli.pid(), SIGINT);
  for (std::string line; !(line = cli.ReadLine(std::chrono::seconds(10))).empty();)
    lines.push_back(line);
  const int status = cli.Stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted_at).count();

  CHECK(status == 130);
  CHECK(seconds < 2.5);
  CHECK(lines.size() < paths.size());
  int previous = -1;
  for (const auto& text : lines) {
    const JsonLine line = ParseLine(text);
    const int index = IndexOf(line.image);
    CHECK(index > previous);  // input order, no repeats
    previous = index;
    CHECK(line.labels == std::vector<std::string>{"label-" + std::to_string(index)});
  }
  const std::string err = testing_support::ReadFile(err_path);
  CHECK(err.find("interrupted: " + std::to_string(lines.size()) + " of 40 images finished") !=
        std::string::npos);
}

TEST_CASE("a progress bar on a terminal's stderr, none otherwise", "[progress]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  MakeImageFolder(dir.path() + "/images", 30, fixture);
  LocalEndpoint endpoint({"--fixtures", fixture, "--latency-ms", "30"});
  std::string command;
  for (const auto& arg : CliArgs(endpoint.url(), {"--concurrency", "2", dir.path() + "/images"}))
    command += " '" + arg + "'";
  auto tty = RunProcess({"script", "-qec", command, "/dev/null"}, CliEnvironment());
  INFO(tty.out);
  CHECK(tty.exit_code == 0);
  CHECK(std::regex_search(tty.out, std::regex(R"(\r\[=*>? *\] \d+/30  [0-9.]+ img/s  ETA \d+s)")));
  CHECK(tty.out.find("] 30/30") != std::string::npos);
  CHECK(tty.out.find("\"CustomLabels\"") != std::string::npos);
  // The lines are not glued to the bar: each starts at column 0.
  CHECK(std::regex_search(tty.out, std::regex("\r\x1b\\[K\\{\"Image\"")));

  auto pipe = RunProcess(CliArgs(endpoint.url(), {"--concurrency", "2", dir.path() + "/images"}),
                         CliEnvironment());
  CHECK(pipe.exit_code == 0);
  CHECK(Lines(pipe.err).size() == 1);  // the summary only
  CHECK(pipe.err.find("30 images in ") == 0);
  CHECK(Lines(pipe.out).size() == 30);
}

TEST_CASE("a batch keeps its calls in flight on one I/O thread, not a thread per call",
          "[batch][concurrency]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  MakeImageFolder(dir.path() + "/images", 64, fixture);
  LocalEndpoint endpoint({"--fixtures", fixture, "--latency-ms", "1500"});
  std::string command = "exec";
  for (const auto& arg : CliArgs(endpoint.url(), {"--concurrency", "64", dir.path() + "/images"}))
    command += " '" + arg + "'";
  command += " 2>/dev/null";
  testing_support::BackgroundProcess cli({"sh", "-c", command}, CliEnvironment());
  // While the 64 calls wait on the server, count the program's threads.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  std::size_t threads = 0;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(cli.pid()) + "/task")) {
    (void)entry;
    ++threads;
  }
  std::size_t lines = 0;
  for (std::string line; !(line = cli.ReadLine(std::chrono::seconds(10))).empty();) ++lines;
  CHECK(cli.Stop() == 0);
  CHECK(lines == 64);
  CHECK(threads >= 2);  // main and the client's I/O thread
  CHECK(threads <= 3);  // (libcurl may resolve a name on a thread of its own)
  // All 64 were in flight together: 64 answers of 1.5 s took one round.
  std::size_t answered = 0;
  for (const auto& line : Lines(endpoint.Log()))
    answered += line.find(" 200 ") != std::string::npos;
  CHECK(answered == 64);
}

TEST_CASE("throttling shrinks the calls in flight; the summary gives the rate and throttled share",
          "[batch][faults][concurrency]") {
  TempDir dir;
  const std::string fixture = dir.path() + "/fixture.json";
  MakeImageFolder(dir.path() + "/images", 60, fixture);
  LocalEndpoint endpoint(
      {"--fixtures", fixture, "--throttle-rate", "0.3", "--seed", "3", "--latency-ms", "10"});
  auto run = RunProcess(CliArgs(endpoint.url(), {"--concurrency", "32", "--max-attempts", "20",
                                                 dir.path() + "/images"}),
                        CliEnvironment());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(Lines(run.out).size() == 60);
  std::smatch match;
  REQUIRE(std::regex_search(
      run.err, match,
      std::regex(R"(60 images in [0-9.]+ s: [0-9.]+ images/s; throttled (\d+) of (\d+) attempts )"
                 R"(\(([0-9.]+)%\); (\d+) calls in flight at the end \(ceiling 32\))")));
  const int throttled = std::stoi(match[1]);
  const int attempts = std::stoi(match[2]);
  CHECK(throttled > 0);
  CHECK(attempts == 60 + throttled);  // every throttled attempt was retried once more
  CHECK(std::stoi(match[4]) < 32);    // the window was cut below the ceiling
  std::size_t answered = 0;
  for (const auto& line : Lines(endpoint.Log()))
    answered += line.find("ThrottlingException") != std::string::npos;
  CHECK(answered == static_cast<std::size_t>(throttled));
}
