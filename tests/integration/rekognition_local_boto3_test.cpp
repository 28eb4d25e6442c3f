// rekognition-local against the reference client: the same requests sent
// through boto3, through our Client and through detect-custom-labels get the
// same labels and the same error codes.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/operations/json_codec.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "peers.hpp"
#include "png_writer.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{"python3"}),
                       (std::vector<std::string>{"boto3", "botocore"}))

namespace {

using testing_support::kSampleArn;
using testing_support::kTestKeyId;
using testing_support::kTestSecret;

// Runs each case of a JSON list through boto3 and prints one JSON line per
// case: {"CustomLabels": [...]} or {"Error": CODE, "Status": N}.
constexpr const char* kBotoScript = R"PY(
import json, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
url, cases = sys.argv[1], json.load(open(sys.argv[2]))
config = Config(retries={"max_attempts": 1, "mode": "standard"})
for case in cases:
    client = boto3.client("rekognition", endpoint_url=url, region_name="us-east-1", config=config,
                          aws_access_key_id=case.get("KeyId"), aws_secret_access_key=case.get("Secret"))
    params = {"ProjectVersionArn": case["Arn"]}
    if "File" in case:
        params["Image"] = {"Bytes": open(case["File"], "rb").read()}
    else:
        params["Image"] = {"S3Object": {"Bucket": case["Bucket"], "Name": case["Name"]}}
    for key in ("MinConfidence", "MaxResults"):
        if key in case:
            params[key] = case[key]
    try:
        response = client.detect_custom_labels(**params)
        print(json.dumps({"CustomLabels": response["CustomLabels"]}))
    except ClientError as e:
        print(json.dumps({"Error": e.response["Error"]["Code"],
                          "Status": e.response["ResponseMetadata"]["HTTPStatusCode"]}))
)PY";

struct Case {
  std::string name;
  std::string file;  // or bucket/key
  std::string bucket, key;
  std::optional<double> min_confidence;
  std::optional<std::int64_t> max_results;
  std::string arn = kSampleArn;
  std::string key_id = kTestKeyId;
  std::string secret = kTestSecret;
};

Case FileCase(std::string name, std::string file) {
  Case c;
  c.name = std::move(name);
  c.file = std::move(file);
  return c;
}

Case S3Case(std::string name, std::string bucket, std::string key) {
  Case c;
  c.name = std::move(name);
  c.bucket = std::move(bucket);
  c.key = std::move(key);
  return c;
}

// What one client made of a case: labels or an error code and status.
struct Answer {
  std::vector<rekognition::CustomLabel> labels;
  std::string error;
  int status = 200;
};

std::string CaseJson(const Case& c) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("Arn");
  w.String(c.arn.c_str());
  w.Key("KeyId");
  w.String(c.key_id.c_str());
  w.Key("Secret");
  w.String(c.secret.c_str());
  if (!c.file.empty()) {
    w.Key("File");
    w.String(c.file.c_str());
  } else {
    w.Key("Bucket");
    w.String(c.bucket.c_str());
    w.Key("Name");
    w.String(c.key.c_str());
  }
  if (c.min_confidence) {
    w.Key("MinConfidence");
    w.Double(*c.min_confidence);
  }
  if (c.max_results) {
    w.Key("MaxResults");
    w.Int64(*c.max_results);
  }
  w.EndObject();
  return buffer.GetString();
}

std::vector<Answer> ThroughBoto3(const std::string& url, const std::vector<Case>& cases) {
  testing_support::TempDir dir;
  std::string json = "[";
  for (std::size_t i = 0; i < cases.size(); ++i) json += (i ? "," : "") + CaseJson(cases[i]);
  testing_support::WriteFile(dir.path() + "/cases.json", json + "]");
  auto run =
      testing_support::RunProcess({"python3", "-c", kBotoScript, url, dir.path() + "/cases.json"},
                                  {{"AWS_CONFIG_FILE", "/dev/null"},
                                   {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                                   {"AWS_PROFILE", ""},
                                   {"AWS_ENDPOINT_URL", ""}});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::vector<Answer> answers;
  for (const auto& line : testing_support::Lines(run.out)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    REQUIRE(doc.IsObject());
    Answer answer;
    if (doc.HasMember("Error")) {
      answer.error = doc["Error"].GetString();
      answer.status = doc["Status"].GetInt();
    } else {
      rekognition::DetectCustomLabelsResult result;
      std::string error;
      REQUIRE(rekognition::detail::ParseResult(line, result, error));
      answer.labels = result.custom_labels;
    }
    answers.push_back(answer);
  }
  REQUIRE(answers.size() == cases.size());
  return answers;
}

rekognition::DetectCustomLabelsRequest ToRequest(const Case& c) {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = c.arn;
  request.image = c.file.empty() ? rekognition::Image::FromS3(c.bucket, c.key)
                                 : rekognition::Image::FromFile(c.file);
  request.min_confidence = c.min_confidence;
  request.max_results = c.max_results;
  return request;
}

Answer ThroughClient(const std::string& url, const Case& c) {
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = url;
  config.credentials = rekognition::Credentials{c.key_id, c.secret, "", std::nullopt};
  config.retry.max_attempts = 1;
  config.validation.check_documented_limits = false;  // boto3 checks none of them
  rekognition::Client client(config);
  Answer answer;
  try {
    answer.labels = client.DetectCustomLabels(ToRequest(c)).custom_labels;
  } catch (const rekognition::ServiceError& e) {
    answer.error = e.code();
    answer.status = e.http_status();
  } catch (const rekognition::ValidationError& e) {
    answer.error = e.code() + ":" + e.field();  // caught before sending
    answer.status = 0;
  }
  return answer;
}

Answer ThroughCli(const std::string& url, const Case& c) {
  std::vector<std::string> argv = {testing_support::CliPath(),
                                   "--region",
                                   "us-east-1",
                                   "--endpoint-url",
                                   url,
                                   "--project-version-arn",
                                   c.arn,
                                   "--max-attempts",
                                   "1"};
  if (c.min_confidence) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", *c.min_confidence);
    argv.insert(argv.end(), {"--min-confidence", buffer});
  }
  if (c.max_results) argv.insert(argv.end(), {"--max-results", std::to_string(*c.max_results)});
  argv.push_back(c.file.empty() ? "s3://" + c.bucket + "/" + c.key : c.file);
  auto env = testing_support::CliEnvironment();
  env["AWS_ACCESS_KEY_ID"] = c.key_id;
  env["AWS_SECRET_ACCESS_KEY"] = c.secret;
  auto run = testing_support::RunProcess(argv, env);
  Answer answer;
  if (run.exit_code == 0) {
    rekognition::DetectCustomLabelsResult result;
    std::string error;
    INFO(run.out);
    REQUIRE(rekognition::detail::ParseResult(run.out, result, error));
    answer.labels = result.custom_labels;
  } else {
    INFO(run.err);
    CHECK(run.exit_code == 254);
    const std::string marker = "An error occurred (";
    const auto at = run.err.find(marker);
    REQUIRE(at != std::string::npos);
    answer.error = run.err.substr(at + marker.size(), run.err.find(')', at) - at - marker.size());
  }
  return answer;
}

}  // namespace

TEST_CASE("boto3, our client and our CLI get the same answers", "[boto3]") {
  testing_support::LocalEndpoint endpoint;
  testing_support::TempDir dir;
  const std::string data = testing_support::SampleDataDir();
  const std::string tiny = dir.path() + "/tiny.png";
  testing_support::WriteFile(
      tiny, testing_support::EncodePng(testing_support::Canvas(32, 32, {200, 10, 10})));
  const std::string other = dir.path() + "/other.png";
  testing_support::WriteFile(
      other, testing_support::EncodePng(testing_support::Canvas(96, 64, {10, 200, 10})));

  std::vector<Case> cases(14);
  cases[0] = FileCase("shelf, default threshold", data + "/shelf.png");
  cases[1] = FileCase("shelf, all labels, top 5", data + "/shelf.png");
  cases[1].min_confidence = 0;
  cases[1].max_results = 5;
  cases[2] = FileCase("storefront JPEG, 80 and up", data + "/storefront.jpg");
  cases[2].min_confidence = 80;
  cases[3] = FileCase("logo, no results", data + "/logo.png");
  cases[3].max_results = 0;
  cases[4] = FileCase("an unknown image gets the default", other);
  cases[5] = S3Case("S3 object", "sample-bucket", "shelf.png");
  cases[5].min_confidence = 60.5;
  cases[6] = S3Case("S3 object not there", "sample-bucket", "nothing-here.png");
  cases[7] = FileCase("model version not served", data + "/logo.png");
  cases[7].arn = "arn:aws:rekognition:us-east-1:111122223333:project/nope/version/nope.1/7";
  cases[8] = FileCase("wrong secret", data + "/logo.png");
  cases[8].secret = "wrong-secret-wrong-secret-wrong-secret";
  cases[9] = FileCase("unknown key id", data + "/logo.png");
  cases[9].key_id = "AKIANOBODYKNOWSTHIS0";
  cases[10] = FileCase("image under 64 px", tiny);
  cases[11] = FileCase("confidence above 100", data + "/logo.png");
  cases[11].min_confidence = 100.5;
  cases[12] = FileCase("the highest-confidence label only", data + "/storefront.jpg");
  cases[12].max_results = 1;
  cases[13] = FileCase("confidence exactly at a label's", data + "/shelf.png");
  cases[13].min_confidence = 58.8;

  const std::vector<Answer> boto = ThroughBoto3(endpoint.url(), cases);
  // What boto3 saw, spelled out, so agreement is not agreement on nothing.
  CHECK(boto[0].labels.size() == 10);
  CHECK(boto[1].labels.size() == 5);
  CHECK(boto[2].labels.size() == 2);
  CHECK(boto[3].labels.empty());
  CHECK(boto[4].labels.size() == 1);
  CHECK(boto[5].labels.size() == 9);
  CHECK(boto[6].error == "InvalidS3ObjectException");
  CHECK(boto[7].error == "ResourceNotFoundException");
  CHECK(boto[8].error == "InvalidSignatureException");
  CHECK(boto[8].status == 403);
  CHECK(boto[9].error == "UnrecognizedClientException");
  CHECK(boto[10].error == "InvalidParameterException");
  CHECK(boto[11].error == "InvalidParameterException");
  CHECK(boto[12].labels.size() == 1);
  CHECK(boto[13].labels.size() == 10);

  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << ": " << cases[i].name);
    const Answer ours = ThroughClient(endpoint.url(), cases[i]);
    if (i == 11) {  // a model rule: our client stops it before sending
      CHECK(ours.error == "ValidationError:MinConfidence");
      continue;
    }
    CHECK(ours.error == boto[i].error);
    CHECK(ours.status == boto[i].status);
    CHECK(ours.labels == boto[i].labels);
    if (i == 10) continue;  // the CLI checks the documented limits itself (exit 2)
    const Answer cli = ThroughCli(endpoint.url(), cases[i]);
    CHECK(cli.error == boto[i].error);
    CHECK(cli.labels == boto[i].labels);
  }
}

TEST_CASE("boto3 and our client both see throttling and 5xx", "[boto3][faults]") {
  const std::string logo = testing_support::SampleDataDir() + "/logo.png";
  for (const auto& [flag, code, status] :
       {std::tuple<std::string, std::string, int>{"--throttle-rate", "ThrottlingException", 500}}) {
    testing_support::LocalEndpoint endpoint({flag, "1"});
    const auto boto = ThroughBoto3(endpoint.url(), {FileCase("fault", logo)});
    CHECK(boto[0].error == code);
    CHECK(boto[0].status == status);
    const Answer ours = ThroughClient(endpoint.url(), FileCase("fault", logo));
    CHECK(ours.error == code);
    CHECK(ours.status == status);
  }
  // 500 and 503 come in a seeded order; both clients read the same codes.
  testing_support::LocalEndpoint errors({"--error-rate", "1", "--seed", "11"});
  std::vector<Case> cases(6, FileCase("5xx", logo));
  const auto boto = ThroughBoto3(errors.url(), cases);
  std::set<std::string> boto_codes, our_codes;
  for (const auto& answer : boto) {
    boto_codes.insert(answer.error + "/" + std::to_string(answer.status));
  }
  for (int i = 0; i < 6; ++i) {
    const Answer ours = ThroughClient(errors.url(), cases[0]);
    our_codes.insert(ours.error + "/" + std::to_string(ours.status));
  }
  CHECK(boto_codes ==
        std::set<std::string>{"InternalServerError/500", "ServiceUnavailableException/503"});
  CHECK(our_codes == boto_codes);
}
