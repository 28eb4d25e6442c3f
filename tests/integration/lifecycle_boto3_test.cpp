// The model lifecycle requests carry exactly what boto3 sends for the same
// parameters: both clients call a loopback server that captures the bodies,
// and each of ours must equal boto3's (same members, order and values; boto3
// adds blanks after separators, which the compact form drops).
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode

#include <httplib.h>
#include <rapidjson/document.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "loopback_server.hpp"
#include "peers.hpp"
#include "process.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}),
                       (std::vector<std::string>{"boto3", "botocore"}))

namespace {

constexpr const char* kVersionArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/version/shelf.3/1714560000000";
constexpr const char* kProjectArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/1700000000000";

// Calls each case {"op": snake_case_name, "params": {...}} with boto3.
constexpr const char* kBotoScript = R"PY(
import json, sys, boto3
from botocore.config import Config
url, cases = sys.argv[1], json.loads(sys.argv[2])
client = boto3.client("rekognition", endpoint_url=url, region_name="us-east-1",
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}))
for case in cases:
    getattr(client, case["op"])(**case["params"])
)PY";

struct Captured {
  std::string target;
  std::string body;
};

// The body re-encoded compactly, members in the order they came.
std::string Compact(const std::string& body) {
  rapidjson::Document doc;
  std::string error;
  if (!rekognition::detail::ParseJsonDocument(body, doc, error)) return "unreadable: " + error;
  return rekognition::detail::CompactJson(doc);
}

}  // namespace

TEST_CASE("lifecycle request bodies equal boto3's for the same parameters", "[boto3]") {
  std::mutex mutex;
  std::vector<Captured> captured;
  testing_support::LoopbackServer server;
  server.server().Post("/", [&](const httplib::Request& request, httplib::Response& response) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      captured.push_back({request.get_header_value("X-Amz-Target"), request.body});
    }
    const std::string target = request.get_header_value("X-Amz-Target");
    const bool status = target.find("StartProjectVersion") != std::string::npos ||
                        target.find("StopProjectVersion") != std::string::npos;
    response.set_header("x-amzn-RequestId", "r");
    response.set_content(status ? "{\"Status\":\"STARTING\"}" : "{}", "application/x-amz-json-1.1");
  });
  server.Start();

  // Each case: our request, and the same parameters for boto3 in model order.
  using namespace rekognition;
  ClientConfig config;
  config.endpoint_url = server.url();
  config.region = "us-east-1";
  config.credentials = Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  config.environment = FixedEnvironment({});
  config.retry.max_attempts = 1;
  Client client(config);

  std::string cases = "[";
  const auto add = [&cases](const std::string& op, const std::string& params) {
    cases += (cases.size() > 1 ? "," : "") + std::string("{\"op\":\"") + op +
             "\",\"params\":" + params + "}";
  };
  const std::string arn = std::string("\"") + kVersionArn + "\"";
  const std::string project = std::string("\"") + kProjectArn + "\"";

  client.DescribeProjects({});
  add("describe_projects", "{}");
  DescribeProjectsRequest projects;
  projects.project_names = {"shelf"};
  client.DescribeProjects(projects);
  add("describe_projects", R"({"ProjectNames":["shelf"]})");
  projects.next_token = "page-2";
  projects.max_results = 7;
  projects.project_names = {"shelf", "a.b-c_d"};
  projects.features = {"CUSTOM_LABELS"};
  client.DescribeProjects(projects);
  add("describe_projects",
      R"({"NextToken":"page-2","MaxResults":7,"ProjectNames":["shelf","a.b-c_d"],"Features":["CUSTOM_LABELS"]})");

  DescribeProjectVersionsRequest versions;
  versions.project_arn = kProjectArn;
  client.DescribeProjectVersions(versions);
  add("describe_project_versions", "{\"ProjectArn\":" + project + "}");
  versions.version_names = {"shelf.3", "shelf.4"};
  versions.next_token = "tok/en+=";
  versions.max_results = 100;
  client.DescribeProjectVersions(versions);
  add("describe_project_versions",
      "{\"ProjectArn\":" + project +
          R"(,"VersionNames":["shelf.3","shelf.4"],"NextToken":"tok/en+=","MaxResults":100})");

  StartProjectVersionRequest start;
  start.project_version_arn = kVersionArn;
  client.StartProjectVersion(start);
  add("start_project_version", "{\"ProjectVersionArn\":" + arn + ",\"MinInferenceUnits\":1}");
  start.min_inference_units = 2;
  start.max_inference_units = 5;
  client.StartProjectVersion(start);
  add("start_project_version",
      "{\"ProjectVersionArn\":" + arn + ",\"MinInferenceUnits\":2,\"MaxInferenceUnits\":5}");

  client.StopProjectVersion(StopProjectVersionRequest{kVersionArn});
  add("stop_project_version", "{\"ProjectVersionArn\":" + arn + "}");
  cases += "]";

  std::vector<Captured> ours;
  {
    std::lock_guard<std::mutex> lock(mutex);
    ours.swap(captured);
  }
  const auto run = testing_support::RunProcess({"python3", "-c", kBotoScript, server.url(), cases});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  server.Stop();

  REQUIRE(ours.size() == 8);
  REQUIRE(captured.size() == ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    INFO("case " << i << ": ours " << ours[i].body << " boto3 " << captured[i].body);
    CHECK(ours[i].target == captured[i].target);
    CHECK(ours[i].body == Compact(captured[i].body));
  }
}
