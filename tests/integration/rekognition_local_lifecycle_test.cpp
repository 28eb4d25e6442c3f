// rekognition-local's model lifecycle through the reference client: boto3
// finds the project and the version, starts the model, polls until it is
// RUNNING, detects, stops it and meets the service's error codes for every
// refusal and broken rule of the four lifecycle operations.
#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <vector>

#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}),
                       (std::vector<std::string>{"boto3", "botocore"}))

namespace {

using testing_support::kSampleArn;
using testing_support::LocalEndpoint;

constexpr const char* kProjectName = "shelf-products";
constexpr const char* kVersionName = "shelf-products.2024-05-01";

// Runs `body` (Python, with `c` a boto3 client without client-side
// parameter validation and `call` returning the answer or the error code)
// and returns the JSON object it prints last.
rapidjson::Document Boto3(const std::string& url, const std::string& body) {
  const std::string script = R"PY(
import json, sys, time, boto3
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError
c = boto3.client("rekognition", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3],
                 config=Config(retries={"max_attempts": 1, "mode": "standard"},
                               parameter_validation=False))
def call(name, **params):
    try:
        answer = getattr(c, name)(**params)
        answer.pop("ResponseMetadata")
        return answer
    except ClientError as e:
        return {"Error": e.response["Error"]["Code"], "Message": e.response["Error"]["Message"],
                "Status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
def status(project_arn, version):
    return call("describe_project_versions", ProjectArn=project_arn,
                VersionNames=[version])["ProjectVersionDescriptions"][0]["Status"]
out = {}
)PY" + body + "\nprint(json.dumps(out, default=str))\n";
  auto run = testing_support::RunProcess(
      {"python3", "-c", script, url, testing_support::kTestKeyId, testing_support::kTestSecret},
      {{"AWS_CONFIG_FILE", "/dev/null"},
       {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
       {"AWS_PROFILE", ""},
       {"AWS_ENDPOINT_URL", ""}});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto lines = testing_support::Lines(run.out);
  REQUIRE_FALSE(lines.empty());
  rapidjson::Document doc;
  doc.Parse(lines.back().c_str());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string Str(const rapidjson::Value& object, const char* key) {
  REQUIRE(object.IsObject());
  REQUIRE(object.HasMember(key));
  REQUIRE(object[key].IsString());
  return object[key].GetString();
}

}  // namespace

TEST_CASE("boto3 finds, starts, waits for, uses and stops a model", "[lifecycle][boto3]") {
  LocalEndpoint endpoint(
      {"--initial-model-status", "STOPPED", "--start-delay-ms", "800", "--stop-delay-ms", "400"});
  const auto started = std::chrono::steady_clock::now();
  const auto out = Boto3(endpoint.url(), R"PY(
image = {"Bytes": open(")PY" + testing_support::SampleDataDir() +
                                             R"PY(/logo.png", "rb").read()}
projects = call("describe_projects", ProjectNames=[")PY" +
                                             std::string(kProjectName) + R"PY("])
out["projects"] = projects
p = projects["ProjectDescriptions"][0]["ProjectArn"]
versions = call("describe_project_versions", ProjectArn=p, VersionNames=[")PY" +
                                             kVersionName + R"PY("])
out["before"] = versions["ProjectVersionDescriptions"][0]
arn = out["before"]["ProjectVersionArn"]
out["detect_stopped"] = call("detect_custom_labels", ProjectVersionArn=arn, Image=image)
out["stop_stopped"] = call("stop_project_version", ProjectVersionArn=arn)
out["start"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits=1,
                    MaxInferenceUnits=3)
out["start_again"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits=1)
out["just_after_start"] = status(p, ")PY" + kVersionName +
                                             R"PY(")
out["detect_starting"] = call("detect_custom_labels", ProjectVersionArn=arn, Image=image)
polls = 0
while status(p, ")PY" + kVersionName + R"PY(") != "RUNNING" and polls < 100:
    polls += 1
    time.sleep(0.05)
out["polls"] = polls
out["running"] = call("describe_project_versions", ProjectArn=p)["ProjectVersionDescriptions"][0]
out["detect_running"] = call("detect_custom_labels", ProjectVersionArn=arn, Image=image)
out["stop"] = call("stop_project_version", ProjectVersionArn=arn)
out["just_after_stop"] = status(p, ")PY" + kVersionName +
                                             R"PY(")
out["detect_stopping"] = call("detect_custom_labels", ProjectVersionArn=arn, Image=image)
c.get_waiter("project_version_running")  # the model's waiter exists
while status(p, ")PY" + kVersionName + R"PY(") != "STOPPED":
    time.sleep(0.05)
out["after_stop"] = call("describe_project_versions", ProjectArn=p)["ProjectVersionDescriptions"][0]
)PY");
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto& projects = out["projects"]["ProjectDescriptions"];
  REQUIRE(projects.Size() == 1);
  const std::string project_arn = Str(projects[0], "ProjectArn");
  // The project's trailing number is its own creation time, not the version's.
  CHECK(project_arn ==
        "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/"
        "1714473600000");
  CHECK(Str(projects[0], "Status") == "CREATED");

  CHECK(Str(out["before"], "ProjectVersionArn") == kSampleArn);
  CHECK(Str(out["before"], "Status") == "STOPPED");
  CHECK(Str(out["detect_stopped"], "Error") == "ResourceNotReadyException");
  CHECK(out["detect_stopped"]["Status"].GetInt() == 400);
  CHECK(Str(out["stop_stopped"], "Error") == "ResourceInUseException");
  CHECK(Str(out["start"], "Status") == "STARTING");
  CHECK(Str(out["start_again"], "Error") == "ResourceInUseException");
  CHECK(Str(out, "just_after_start") == "STARTING");
  CHECK(Str(out["detect_starting"], "Error") == "ResourceNotReadyException");
  CHECK(out["polls"].GetInt() > 0);
  CHECK(out["polls"].GetInt() < 100);
  CHECK(Str(out["running"], "Status") == "RUNNING");
  CHECK(out["running"]["MinInferenceUnits"].GetInt() == 1);
  CHECK(out["running"]["MaxInferenceUnits"].GetInt() == 3);
  REQUIRE(out["detect_running"].HasMember("CustomLabels"));
  CHECK(out["detect_running"]["CustomLabels"].Size() == 1);
  CHECK(Str(out["stop"], "Status") == "STOPPING");
  CHECK(Str(out, "just_after_stop") == "STOPPING");
  CHECK(Str(out["detect_stopping"], "Error") == "ResourceNotReadyException");
  CHECK(Str(out["after_stop"], "Status") == "STOPPED");
  CHECK(Str(out["after_stop"], "StatusMessage") == "The model is stopped.");
  CHECK(elapsed > 1.2);  // the start and stop delays were waited out

  // The log tells how long the model ran.
  const std::string log = endpoint.Log();
  CHECK(log.find("STOPPING after running ") != std::string::npos);
  CHECK(log.find(std::string("model ") + kSampleArn + " RUNNING") != std::string::npos);
}

TEST_CASE("boto3's waiter sees a start that fails, with its StatusMessage", "[lifecycle][boto3]") {
  LocalEndpoint endpoint({"--initial-model-status", "STOPPED", "--start-delay-ms", "200",
                          "--start-failure", "Not enough capacity for 1 inference unit."});
  const auto out = Boto3(endpoint.url(), R"PY(
p = call("describe_projects")["ProjectDescriptions"][0]["ProjectArn"]
arn = call("describe_project_versions", ProjectArn=p)["ProjectVersionDescriptions"][0]["ProjectVersionArn"]
out["start"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits=1)
try:
    c.get_waiter("project_version_running").wait(ProjectArn=p, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})
    out["waiter"] = "succeeded"
except WaiterError as e:
    out["waiter"] = str(e)
out["failed"] = call("describe_project_versions", ProjectArn=p)["ProjectVersionDescriptions"][0]
out["restart"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits=1)
)PY");
  CHECK(Str(out["start"], "Status") == "STARTING");
  CHECK(Str(out, "waiter").find("failure state") != std::string::npos);
  CHECK(Str(out["failed"], "Status") == "FAILED");
  CHECK(Str(out["failed"], "StatusMessage") == "Not enough capacity for 1 inference unit.");
  CHECK(Str(out["restart"], "Status") == "STARTING");  // a failed model may be started again
}

TEST_CASE("models start RUNNING by default, and the fixture may give any status",
          "[lifecycle][boto3]") {
  testing_support::TempDir dir;
  const std::string other =
      "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/v.new/"
      "1714560000500";
  testing_support::WriteFile(
      dir.path() + "/fixtures.json",
      std::string(R"({"ProjectVersionArns": [")") + kSampleArn +
          R"("], "ProjectVersions": [{"ProjectVersionArn": ")" + other +
          R"(", "Status": "SOMETHING_NEW", "StatusMessage": "raw"}], "Default": {"CustomLabels": []}})");
  LocalEndpoint endpoint({"--fixtures", dir.path() + "/fixtures.json"});
  const auto out = Boto3(endpoint.url(), R"PY(
p = call("describe_projects", ProjectNames=["shelf-products"])["ProjectDescriptions"][0]["ProjectArn"]
out["versions"] = call("describe_project_versions", ProjectArn=p)["ProjectVersionDescriptions"]
)PY");
  const auto& versions = out["versions"];
  REQUIRE(versions.Size() == 2);
  // Newest first, each with its own status.
  CHECK(Str(versions[0], "ProjectVersionArn") == other);
  CHECK(Str(versions[0], "Status") == "SOMETHING_NEW");
  CHECK(Str(versions[0], "StatusMessage") == "raw");
  CHECK(Str(versions[1], "ProjectVersionArn") == kSampleArn);
  CHECK(Str(versions[1], "Status") == "RUNNING");
}

TEST_CASE("DescribeProjectVersions and DescribeProjects page with MaxResults and NextToken",
          "[lifecycle][boto3][pagination]") {
  std::vector<std::string> args;
  for (int i = 1; i <= 5; ++i) {
    args.push_back("--project-version-arn");
    args.push_back("arn:aws:rekognition:us-east-1:111122223333:project/paged/version/paged.v" +
                   std::to_string(i) + "/17000000000" + std::to_string(i) + "0");
  }
  for (int i = 1; i <= 3; ++i) {
    args.push_back("--project-version-arn");
    args.push_back("arn:aws:rekognition:us-east-1:111122223333:project/other" + std::to_string(i) +
                   "/version/o/160000000000" + std::to_string(i));
  }
  LocalEndpoint endpoint(args);
  const auto out = Boto3(endpoint.url(), R"PY(
p = call("describe_projects", ProjectNames=["paged"])["ProjectDescriptions"][0]["ProjectArn"]
pages, token = [], None
while True:
    params = {"ProjectArn": p, "MaxResults": 2}
    if token: params["NextToken"] = token
    page = call("describe_project_versions", **params)
    pages.append([v["ProjectVersionArn"].split("/")[3] for v in page["ProjectVersionDescriptions"]])
    token = page.get("NextToken")
    if not token: break
out["pages"] = pages
out["paginator"] = [len(page["ProjectVersionDescriptions"]) for page in
    c.get_paginator("describe_project_versions").paginate(ProjectArn=p, PaginationConfig={"PageSize": 2})]
out["filtered"] = [v["ProjectVersionArn"].split("/")[3] for v in call("describe_project_versions",
    ProjectArn=p, VersionNames=["paged.v2", "paged.v4", "nope"])["ProjectVersionDescriptions"]]
out["projects"] = [len(page["ProjectDescriptions"]) for page in
    c.get_paginator("describe_projects").paginate(PaginationConfig={"PageSize": 3})]
first = call("describe_project_versions", ProjectArn=p, MaxResults=2)["NextToken"]
out["bad_token"] = call("describe_project_versions", ProjectArn=p, NextToken="bm90LWEtdG9rZW4=")
out["other_query_token"] = call("describe_project_versions", ProjectArn=p, VersionNames=["paged.v1"],
                                NextToken=first)
)PY");
  const auto& pages = out["pages"];
  REQUIRE(pages.Size() == 3);
  CHECK(pages[0].Size() == 2);
  CHECK(pages[1].Size() == 2);
  CHECK(pages[2].Size() == 1);
  CHECK(std::string(pages[0][0].GetString()) == "paged.v5");  // newest first
  CHECK(std::string(pages[2][0].GetString()) == "paged.v1");
  REQUIRE(out["paginator"].Size() == 3);
  REQUIRE(out["filtered"].Size() == 2);
  CHECK(std::string(out["filtered"][0].GetString()) == "paged.v4");
  CHECK(std::string(out["filtered"][1].GetString()) == "paged.v2");
  REQUIRE(out["projects"].Size() == 2);  // 5 projects (the fixture's too), 3 a page
  CHECK(out["projects"][0].GetInt() == 3);
  CHECK(out["projects"][1].GetInt() == 2);
  CHECK(Str(out["bad_token"], "Error") == "InvalidPaginationTokenException");
  CHECK(Str(out["other_query_token"], "Error") == "InvalidPaginationTokenException");
}

TEST_CASE("the lifecycle operations validate like the service", "[lifecycle][boto3][errors]") {
  LocalEndpoint endpoint({"--initial-model-status", "STOPPED"});
  const auto out = Boto3(endpoint.url(), R"PY(
good_project = "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/1714473600000"
arn = ")PY" + std::string(kSampleArn) +
                                             R"PY("
out["no_project"] = call("describe_project_versions")
out["short_project"] = call("describe_project_versions", ProjectArn="arn:aws:rekognition")
out["version_as_project"] = call("describe_project_versions", ProjectArn=arn)
out["unknown_project"] = call("describe_project_versions", ProjectArn=good_project[:-1] + "1")
out["max_results_0"] = call("describe_project_versions", ProjectArn=good_project, MaxResults=0)
out["max_results_101"] = call("describe_project_versions", ProjectArn=good_project, MaxResults=101)
out["eleven_names"] = call("describe_project_versions", ProjectArn=good_project,
                           VersionNames=["v%d" % i for i in range(11)])
out["bad_name"] = call("describe_project_versions", ProjectArn=good_project, VersionNames=["a b"])
out["projects_bad_feature"] = call("describe_projects", Features=["FACES"])
out["projects_moderation"] = call("describe_projects", Features=["CONTENT_MODERATION"])
out["start_no_units"] = call("start_project_version", ProjectVersionArn=arn)
out["start_zero_units"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits=0)
out["start_max_below_min"] = call("start_project_version", ProjectVersionArn=arn,
                                  MinInferenceUnits=2, MaxInferenceUnits=1)
out["start_unknown"] = call("start_project_version", MinInferenceUnits=1,
                            ProjectVersionArn=arn.replace("version/", "version/x"))
out["start_bad_arn"] = call("start_project_version", ProjectVersionArn="arn:aws:rekognition:x",
                            MinInferenceUnits=1)
out["stop_no_arn"] = call("stop_project_version")
out["stop_unknown"] = call("stop_project_version", ProjectVersionArn=arn[:-1] + "9")
out["start_wrong_type"] = call("start_project_version", ProjectVersionArn=arn, MinInferenceUnits="1")
)PY");
  const auto error = [&](const char* key) { return Str(out[key], "Error"); };
  const auto message = [&](const char* key) { return Str(out[key], "Message"); };
  CHECK(error("no_project") == "ValidationException");
  CHECK(message("no_project") ==
        "1 validation error detected: Value null at 'projectArn' failed to satisfy constraint: "
        "Member must not be null");
  CHECK(error("short_project") == "ValidationException");
  CHECK(message("short_project").rfind("2 validation errors detected: ", 0) == 0);
  CHECK(message("short_project").find("Member must have length greater than or equal to 20") !=
        std::string::npos);
  CHECK(error("version_as_project") == "ValidationException");
  CHECK(message("version_as_project").find("regular expression pattern") != std::string::npos);
  CHECK(error("unknown_project") == "ResourceNotFoundException");
  CHECK(error("max_results_0") == "ValidationException");
  CHECK(message("max_results_0").find("Member must have value greater than or equal to 1") !=
        std::string::npos);
  CHECK(error("max_results_101") == "ValidationException");
  CHECK(error("eleven_names") == "ValidationException");
  CHECK(error("bad_name") == "ValidationException");
  CHECK(message("bad_name").find("'versionNames.1.member'") != std::string::npos);
  CHECK(error("projects_bad_feature") == "ValidationException");
  CHECK(out["projects_moderation"]["ProjectDescriptions"].Size() == 0);
  CHECK(error("start_no_units") == "ValidationException");
  CHECK(message("start_no_units").find("'minInferenceUnits'") != std::string::npos);
  CHECK(error("start_zero_units") == "ValidationException");
  CHECK(error("start_max_below_min") == "InvalidParameterException");
  CHECK(error("start_unknown") == "ResourceNotFoundException");
  CHECK(error("start_bad_arn") == "ValidationException");
  CHECK(error("stop_no_arn") == "ValidationException");
  CHECK(error("stop_unknown") == "ResourceNotFoundException");
  CHECK(error("start_wrong_type") == "SerializationException");
  for (const char* key : {"no_project", "unknown_project", "start_max_below_min", "stop_unknown"})
    CHECK(out[key]["Status"].GetInt() == 400);
}

TEST_CASE("rekognition-local refuses an ARN that is not a model version ARN", "[lifecycle]") {
  const std::string bin = std::string(REKOGNITION_BIN_DIR) + "/rekognition-local";
  const auto run = testing_support::RunProcess(
      {bin, "--port", "0", "--access-key-id", "a", "--secret-access-key", "b",
       "--project-version-arn", "arn:aws:rekognition:us-east-1:111122223333:project/p/1"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("project/p/1 is not a model version ARN") != std::string::npos);
  const auto status = testing_support::RunProcess({bin, "--port", "0", "--access-key-id", "a",
                                                   "--secret-access-key", "b",
                                                   "--initial-model-status", "SLEEPING"});
  CHECK(status.exit_code != 0);
  CHECK(status.err.find("--initial-model-status") != std::string::npos);
}
