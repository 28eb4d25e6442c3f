// The lifecycle operations against botocore's service model, waiters and
// paginators (tests/data/model): modeled errors, statuses, constraints,
// waiter timings and acceptors, pagination tokens.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

using namespace rekognition;

namespace lifecycle_model_test {

namespace {

rapidjson::Document Load(const std::string& name) {
  std::ifstream in(std::string(REKOGNITION_TEST_DATA_DIR) + "/model/" + name, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rapidjson::Document doc;
  std::string error;
  INFO(name << ": " << error);
  REQUIRE(detail::ParseJsonDocument(text, doc, error));
  return doc;
}

std::string Str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

template <typename Op>
void CheckOperation(const rapidjson::Document& model) {
  INFO(Op::kName);
  const rapidjson::Value& op = model["operations"][std::string(Op::kName).c_str()];
  std::set<std::string> modeled;
  for (const auto& e : op["errors"].GetArray()) modeled.insert(Str(e["shape"]));
  std::set<std::string> ours;
  for (auto e : Op::kErrors) ours.insert(std::string(e));
  CHECK(ours == modeled);
  CHECK(Op::kTarget == "RekognitionService." + std::string(Op::kName));
  // Each modeled error maps to its own exception type.
  for (const std::string& code : modeled) {
    INFO(code);
    try {
      ThrowServiceError(ErrorInfo{code, "", 400, "", 1, false});
    } catch (const ServiceError& e) {
      CHECK(typeid(e) != typeid(ServiceError));
    }
  }
}

std::int64_t Constraint(const rapidjson::Document& model, const char* shape, const char* key) {
  return model["shapes"][shape][key].GetInt64();
}

}  // namespace

TEST_CASE("operations, errors and statuses are the service model's", "[lifecycle][model]") {
  const rapidjson::Document model = Load("rekognition-service-2.json");
  CheckOperation<DetectCustomLabelsOperation>(model);
  CheckOperation<DescribeProjectsOperation>(model);
  CheckOperation<DescribeProjectVersionsOperation>(model);
  CheckOperation<StartProjectVersionOperation>(model);
  CheckOperation<StopProjectVersionOperation>(model);

  std::vector<std::string> statuses;
  for (const auto& s : model["shapes"]["ProjectVersionStatus"]["enum"].GetArray())
    statuses.push_back(Str(s));
  REQUIRE(statuses.size() == 14);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    CHECK(ToString(static_cast<ProjectVersionStatus>(i)) == statuses[i]);
    CHECK(ParseProjectVersionStatus(statuses[i]) == static_cast<ProjectVersionStatus>(i));
  }
}

TEST_CASE("client-side limits are the service model's", "[lifecycle][model]") {
  const rapidjson::Document model = Load("rekognition-service-2.json");
  const auto names = [](std::int64_t n) { return std::vector<std::string>(n, "v"); };

  DescribeProjectVersionsRequest versions;
  versions.project_arn = "arn:aws:rekognition:us-east-1:111122223333:project/p/1700000000000";
  versions.version_names = names(Constraint(model, "VersionNames", "max"));
  CHECK_FALSE(CheckRequest(versions));
  versions.version_names.push_back("v");
  CHECK(CheckRequest(versions));
  versions.version_names = {std::string(Constraint(model, "VersionName", "max"), 'v')};
  CHECK_FALSE(CheckRequest(versions));
  versions.version_names[0] += "v";
  CHECK(CheckRequest(versions));
  versions.version_names.clear();
  for (std::int64_t size : {Constraint(model, "ProjectVersionsPageSize", "min"),
                            Constraint(model, "ProjectVersionsPageSize", "max")}) {
    versions.max_results = size;
    CHECK_FALSE(CheckRequest(versions));
  }
  versions.max_results = Constraint(model, "ProjectVersionsPageSize", "max") + 1;
  CHECK(CheckRequest(versions));
  versions.max_results = Constraint(model, "ProjectVersionsPageSize", "min") - 1;
  CHECK(CheckRequest(versions));
  versions.max_results.reset();
  versions.next_token = std::string(Constraint(model, "ExtendedPaginationToken", "max"), 't');
  CHECK_FALSE(CheckRequest(versions));
  *versions.next_token += "t";
  CHECK(CheckRequest(versions));

  DescribeProjectsRequest projects;
  projects.project_names = names(Constraint(model, "ProjectNames", "max"));
  CHECK_FALSE(CheckRequest(projects));
  projects.project_names.push_back("p");
  CHECK(CheckRequest(projects));
  projects.project_names.clear();
  projects.max_results = Constraint(model, "ProjectsPageSize", "max") + 1;
  CHECK(CheckRequest(projects));

  StartProjectVersionRequest start;
  start.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000";
  start.min_inference_units = Constraint(model, "InferenceUnits", "min");
  CHECK_FALSE(CheckRequest(start));
  start.min_inference_units -= 1;
  CHECK(CheckRequest(start));

  // Required members are the model's.
  std::set<std::string> required;
  for (const auto& r : model["shapes"]["StartProjectVersionRequest"]["required"].GetArray())
    required.insert(Str(r));
  CHECK(required == std::set<std::string>{"ProjectVersionArn", "MinInferenceUnits"});
  CHECK(CheckRequest(DescribeProjectVersionsRequest{})->field == "ProjectArn");
}

TEST_CASE("waiters and paginators are botocore's", "[lifecycle][model]") {
  const rapidjson::Document waiters = Load("rekognition-waiters-2.json");
  const auto check = [&](const char* name, const detail::ProjectVersionWaiter& ours) {
    INFO(name);
    const rapidjson::Value& w = waiters["waiters"][name];
    CHECK(Str(w["operation"]) == "DescribeProjectVersions");
    CHECK(ours.name == name);
    CHECK(ours.delay.count() == w["delay"].GetInt64() * 1000);
    CHECK(ours.max_attempts == w["maxAttempts"].GetInt());
    const auto& acceptors = w["acceptors"].GetArray();
    REQUIRE(acceptors.Size() == 2);
    for (const auto& a : acceptors) {
      CHECK(Str(a["argument"]) == "ProjectVersionDescriptions[].Status");
      if (Str(a["state"]) == "success") {
        CHECK(Str(a["matcher"]) == "pathAll");
        CHECK(ToString(ours.success) == Str(a["expected"]));
      } else {
        CHECK(Str(a["state"]) == "failure");
        CHECK(Str(a["matcher"]) == "pathAny");
        CHECK(ToString(ours.failure) == Str(a["expected"]));
      }
    }
  };
  check("ProjectVersionRunning", detail::kRunningWaiter);
  check("ProjectVersionTrainingCompleted", detail::kTrainingCompletedWaiter);

  const rapidjson::Document paginators = Load("rekognition-paginators-1.json");
  for (const auto& [operation, result_key] :
       {std::pair<const char*, const char*>{"DescribeProjects", "ProjectDescriptions"},
        {"DescribeProjectVersions", "ProjectVersionDescriptions"}}) {
    INFO(operation);
    const rapidjson::Value& p = paginators["pagination"][operation];
    CHECK(Str(p["input_token"]) == "NextToken");
    CHECK(Str(p["output_token"]) == "NextToken");
    CHECK(Str(p["limit_key"]) == "MaxResults");
    CHECK(Str(p["result_key"]) == result_key);
  }
  // The result keys are what the parsers read.
  DescribeProjectsResult projects;
  std::string error;
  REQUIRE(detail::ParseResult(R"({"ProjectDescriptions":[{"ProjectArn":"a"}],"NextToken":"n"})",
                              projects, error));
  CHECK(projects.project_descriptions.size() == 1);
  CHECK(projects.next_token == "n");
}

}  // namespace lifecycle_model_test
