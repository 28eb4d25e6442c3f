// detect-custom-labels against a hostile peer: label names and request ids
// carrying terminal escapes, newlines, C1 controls, bidi overrides and
// characters XML forbids. Text output and --debug must print them escaped,
// the SVG must stay well-formed XML (checked with Python's XML parser), and
// an SVG that cannot be written fails its image.
#include <chrono>
#include <string>
#include <vector>

#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"
#include "scripted_server.hpp"
#include "test_images.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}), (std::vector<std::string>{}))

namespace {

using testing_support::ConnectionScript;
using testing_support::HttpResponseBytes;
using testing_support::ScriptedServer;

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1700000000000";

// Labels whose names hold what a terminal or an XML parser would choke on
// (JSON escapes, so the peer's body itself is valid JSON).
const std::string kHostileLabels =
    R"({"CustomLabels":[)"
    R"({"Name":"evil\n  forged_row                        99.99   0.000   0.000   1.000   1.000",)"
    R"("Confidence":90.5,"Geometry":{"BoundingBox":{"Width":0.5,"Height":0.5,"Left":0.1,"Top":0.1}}},)"
    R"({"Name":"\u001b[31mred\u001b[0m\u001b]0;title\u0007","Confidence":80.0},)"
    R"({"Name":"c1\u009bcsi \u202eright-to-left","Confidence":70.0},)"
    R"({"Name":"xml \u0001\u0002\u000b\u000c\u001f \ufffe\uffff & < > \" ' tab\there","Confidence":60.0,)"
    R"("Geometry":{"BoundingBox":{"Width":0.2,"Height":0.2,"Left":0.5,"Top":0.5}}})"
    R"(]})";

std::string OkWithLabels(const std::string& request_id) {
  return HttpResponseBytes(
      200, "OK", {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", request_id}},
      kHostileLabels);
}

bool HasRawControl(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    // C1 controls in UTF-8 (U+0080..U+009F) and U+202E.
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return true;
    if (text.compare(i, 3, "\xe2\x80\xae") == 0) return true;
  }
  return false;
}

testing_support::ProcessResult RunCli(const ScriptedServer& server,
                                      std::vector<std::string> extra) {
  std::vector<std::string> argv = {
      testing_support::CliPath(), "--region", "us-east-1", "--endpoint-url", server.url(),
      "--project-version-arn",    kArn};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return testing_support::RunProcess(argv, testing_support::CliEnvironment(),
                                     std::chrono::seconds(60));
}

}  // namespace

TEST_CASE("--output text escapes label names: no terminal escape, no forged row", "[hostile]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  ScriptedServer server({ConnectionScript().Send(OkWithLabels("req-1"))});
  const auto run = RunCli(server, {"--output", "text", "--min-confidence", "50", image});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_FALSE(HasRawControl(run.out));
  const auto lines = testing_support::Lines(run.out);
  // The image, the header and one row per label: the newline did not add one.
  REQUIRE(lines.size() == 6);
  CHECK(lines[2].find("evil\\n  forged_row") != std::string::npos);
  CHECK(lines[3].find("\\x1b[31mred\\x1b[0m\\x1b]0;title\\x07") != std::string::npos);
  CHECK(lines[4].find("c1\\u009bcsi \\u202eright-to-left") != std::string::npos);
  CHECK(lines[5].find("\\x01\\x02\\x0b\\x0c\\x1f") != std::string::npos);
  CHECK(lines[5].find("tab\\there") != std::string::npos);
}

TEST_CASE("--debug escapes the peer's request id and error code", "[hostile]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  const std::string hostile_id = "id\x1b]0;owned\x07\x1b[2J\xc2\x9b";
  ScriptedServer server(
      {ConnectionScript().Send(HttpResponseBytes(
           500, "Oops", {{"x-amzn-RequestId", hostile_id}, {"x-amzn-ErrorType", "Bad\x1b[1mCode"}},
           "{\"__type\":\"Evil\\u001b[5mType\",\"message\":\"m\\u001b[2Jx\"}")),
       ConnectionScript().Send(OkWithLabels(hostile_id))});
  const auto run = RunCli(server, {"--debug", image});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(server.requests() == 2);
  CHECK_FALSE(HasRawControl(run.err));
  CHECK(run.err.find("id\\x1b]0;owned\\x07\\x1b[2J\\u009b") != std::string::npos);
  CHECK(run.err.find("debug: ") != std::string::npos);
}

TEST_CASE("an error the peer words with escapes is printed escaped", "[hostile]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  ScriptedServer server({ConnectionScript().Send(
      HttpResponseBytes(400, "Bad", {{"Content-Type", "application/x-amz-json-1.1"}},
                        "{\"__type\":\"InvalidParameterException\",\"message\":\"bad \\u009b2J "
                        "\\u202eimage\"}"))});
  const auto run = RunCli(server, {image});
  CHECK(run.exit_code == 254);
  CHECK(server.requests() == 1);
  CHECK_FALSE(HasRawControl(run.err));
  CHECK(run.err.find("bad \\u009b2J \\u202eimage") != std::string::npos);
}

TEST_CASE("--svg writes well-formed XML whatever the label names hold", "[hostile][svg]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  ScriptedServer server({ConnectionScript().Send(OkWithLabels("req-2"))});
  const std::string svg_path = dir.path() + "/out.svg";
  const auto run = RunCli(server, {"--svg", svg_path, "--min-confidence", "50", image});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::string svg = testing_support::ReadFile(svg_path);
  // Python's expat parser: fails on any character XML 1.0 forbids.
  const auto parsed = testing_support::RunProcess(
      {"python3", "-c",
       "import sys, xml.dom.minidom as m\n"
       "d = m.parse(sys.argv[1])\n"
       "for g in d.getElementsByTagName('g'): print(repr(g.getAttribute('data-name')))\n",
       svg_path},
      {}, std::chrono::seconds(60));
  INFO(parsed.err);
  CHECK(parsed.exit_code == 0);
  const auto names = testing_support::Lines(parsed.out);
  REQUIRE(names.size() == 4);
  // Newline and tab survive attribute normalisation; forbidden characters
  // became U+FFFD; the markup characters are text again.
  CHECK(names[0].rfind("'evil\\n  forged_row", 0) == 0);
  CHECK(names[3] ==
        "'xml \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
        "\xef\xbf\xbd\xef\xbf\xbd & < > \" \\' tab\\there'");
}

TEST_CASE("an SVG that cannot be written fails its image", "[hostile][svg]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  // A regular file where a directory is needed: unwritable even for root.
  const std::string blocker = dir.path() + "/blocker";
  testing_support::WriteFile(blocker, "a file");

  SECTION("one image: exit 255 and the path in the message") {
    ScriptedServer server({ConnectionScript().Send(OkWithLabels("req-3"))});
    const auto run = RunCli(server, {"--svg", blocker + "/out.svg", image});
    CHECK(run.exit_code == 255);
    CHECK(run.err.find("cannot write the SVG to " + blocker + "/out.svg") != std::string::npos);
  }
  SECTION("a batch: each image's line is an OutputError, exit 255") {
    const std::string second = dir.path() + "/second.png";
    testing_support::WriteFile(second, test_images::Png(65, 64));
    ScriptedServer server({ConnectionScript().Send(OkWithLabels("req-4"))});
    const auto run = RunCli(server, {"--svg", blocker, image, second});
    CHECK(run.exit_code == 255);
    const auto lines = testing_support::Lines(run.out);
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines)
      CHECK(line.find("\"Code\":\"OutputError\"") != std::string::npos);
  }
}
