// Endpoint resolution: the 39 botocore rule-set cases, the partition table,
// and the configured-endpoint precedence.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "rekognition/config/endpoint.hpp"
#include "rekognition/config/partitions.hpp"
#include "rekognition/config/shared_config.hpp"

namespace endpoint_test {

namespace {

std::string ReadEndpointData(const std::string& name) {
  std::ifstream in(std::string(REKOGNITION_TEST_DATA_DIR) + "/endpoints/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the rules and returns the URL, or "error: MESSAGE".
std::string Evaluate(const rekognition::EndpointParameters& params) {
  try {
    return rekognition::ResolveEndpointFromRules(params);
  } catch (const rekognition::ConfigurationError& e) {
    return "error: " + e.message();
  }
}

std::string Resolve(const std::optional<std::string>& region,
                    const rekognition::EndpointSettings& settings,
                    const std::map<std::string, std::string>& env, const std::string& config = "") {
  const auto files = rekognition::SharedConfig::Parse(config, "");
  const auto lookup = rekognition::FixedEnvironment(env);
  const auto profile = files.SelectProfile(std::nullopt, lookup);
  try {
    return rekognition::ResolveEndpoint(region, settings, profile, lookup);
  } catch (const rekognition::ConfigurationError& e) {
    return "error: " + e.message();
  }
}

}  // namespace

TEST_CASE("all endpoint rule-set test cases resolve as botocore expects", "[endpoint]") {
  const std::string text = ReadEndpointData("endpoint-tests-1.json");
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  REQUIRE_FALSE(document.HasParseError());
  const auto& cases = document["testCases"];
  REQUIRE(cases.IsArray());
  REQUIRE(cases.Size() == 39);

  int checked = 0;
  for (const auto& test_case : cases.GetArray()) {
    const std::string documentation = test_case["documentation"].GetString();
    INFO(documentation);
    rekognition::EndpointParameters params;
    if (test_case.HasMember("params")) {
      const auto& p = test_case["params"];
      if (p.HasMember("Region")) params.region = p["Region"].GetString();
      if (p.HasMember("UseFIPS")) params.use_fips = p["UseFIPS"].GetBool();
      if (p.HasMember("UseDualStack")) params.use_dual_stack = p["UseDualStack"].GetBool();
      if (p.HasMember("Endpoint")) params.endpoint = p["Endpoint"].GetString();
    }
    const auto& expect = test_case["expect"];
    if (expect.HasMember("endpoint")) {
      CHECK(Evaluate(params) == expect["endpoint"]["url"].GetString());
    } else {
      REQUIRE(expect.HasMember("error"));
      CHECK(Evaluate(params) == std::string("error: ") + expect["error"].GetString());
    }
    ++checked;
  }
  CHECK(checked == 39);
}

TEST_CASE("the embedded partition table matches partitions.json", "[endpoint]") {
  const std::string text = ReadEndpointData("partitions.json");
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  REQUIRE_FALSE(document.HasParseError());
  const auto& partitions = document["partitions"];
  REQUIRE(partitions.Size() == rekognition::detail::Partitions().count);
  std::size_t index = 0;
  for (const auto& partition : partitions.GetArray()) {
    const auto& embedded = rekognition::detail::Partitions().first[index++];
    INFO(partition["id"].GetString());
    CHECK(std::string(embedded.id) == partition["id"].GetString());
    const auto& outputs = partition["outputs"];
    CHECK(std::string(embedded.dns_suffix) == outputs["dnsSuffix"].GetString());
    CHECK(std::string(embedded.dual_stack_dns_suffix) == outputs["dualStackDnsSuffix"].GetString());
    CHECK(std::string(embedded.implicit_global_region) ==
          outputs["implicitGlobalRegion"].GetString());
    CHECK(embedded.supports_fips == outputs["supportsFIPS"].GetBool());
    CHECK(embedded.supports_dual_stack == outputs["supportsDualStack"].GetBool());
    CHECK(std::string(embedded.region_regex) == partition["regionRegex"].GetString());
    std::set<std::string> json_regions;
    for (const auto& region : partition["regions"].GetObject()) {
      json_regions.insert(region.name.GetString());
      CHECK(rekognition::detail::PartitionListsRegion(embedded.regions, region.name.GetString()));
      // Every listed region resolves to its own partition.
      CHECK(std::string(rekognition::detail::FindPartition(region.name.GetString()).id) ==
            embedded.id);
    }
    std::set<std::string> embedded_regions;
    std::istringstream words(embedded.regions);
    for (std::string word; words >> word;) embedded_regions.insert(word);
    CHECK(embedded_regions == json_regions);
  }
}

TEST_CASE("partition lookup follows regionRegex and falls back to aws", "[endpoint]") {
  using rekognition::detail::FindPartition;
  CHECK(std::string(FindPartition("us-east-7").id) == "aws");  // not listed, matches the regex
  CHECK(std::string(FindPartition("cn-south-9").id) == "aws-cn");
  CHECK(std::string(FindPartition("us-gov-north-3").id) == "aws-us-gov");
  CHECK(std::string(FindPartition("us-iso-north-2").id) == "aws-iso");
  CHECK(std::string(FindPartition("us-isob-south-4").id) == "aws-iso-b");
  CHECK(std::string(FindPartition("eu-isoe-north-2").id) == "aws-iso-e");
  CHECK(std::string(FindPartition("us-isof-west-5").id) == "aws-iso-f");
  CHECK(std::string(FindPartition("eusc-de-west-2").id) == "aws-eusc");
  CHECK(std::string(FindPartition("aws-cn-global").id) == "aws-cn");  // only in the explicit list
  CHECK(std::string(FindPartition("mars-east-1").id) == "aws");       // nothing matches: aws
  CHECK(std::string(FindPartition("eusc-fr-east-1").id) == "aws");    // (de) only

  using rekognition::detail::MatchRegionRegex;
  CHECK(MatchRegionRegex("^(us|eu)\\-\\w+\\-\\d+$", "eu-west_x-12"));
  CHECK_FALSE(MatchRegionRegex("^(us|eu)\\-\\w+\\-\\d+$", "eu-west-1a"));
  CHECK_FALSE(MatchRegionRegex("^(us|eu)\\-\\w+\\-\\d+$", "eu--1"));
  CHECK_FALSE(MatchRegionRegex("^(us|eu)\\-\\w+\\-\\d+$", "eu-west-1-2"));
  CHECK_FALSE(MatchRegionRegex("^(us|eu)\\-\\w+\\-\\d+$", "ap-west-1"));
  CHECK_FALSE(MatchRegionRegex("^us.*$", "us-east-1"));  // unsupported syntax never matches

  CHECK(Evaluate({std::string("cn-south-9"), false, false, std::nullopt}) ==
        "https://rekognition.cn-south-9.amazonaws.com.cn");
  CHECK(Evaluate({std::string("us-isof-south-1"), false, true, std::nullopt}) ==
        "https://rekognition.us-isof-south-1.api.aws.hci.ic.gov");
}

TEST_CASE("endpoint rules refuse regions that would change the host", "[endpoint]") {
  for (const char* region : {"evil.com#", "us-east-1.evil.com", "a/b", "-us", "us east", "x@y"}) {
    INFO(region);
    CHECK(Evaluate({std::string(region), false, false, std::nullopt})
              .rfind("error: invalid region", 0) == 0);
  }
  CHECK(Evaluate({std::string(""), false, false, std::nullopt}) ==
        "error: Invalid Configuration: Missing Region");
}

TEST_CASE("configured endpoint URLs take precedence in the documented order", "[endpoint]") {
  const rekognition::EndpointSettings none;
  rekognition::EndpointSettings in_code;
  in_code.endpoint_url = "http://127.0.0.1:1111";
  const std::string config =
      "[default]\n"
      "endpoint_url = http://profile-global:3333\n"
      "services = local\n"
      "[services local]\n"
      "rekognition =\n"
      "  endpoint_url = http://services-section:4444\n"
      "s3 =\n"
      "  endpoint_url = http://s3-only:5555\n";
  const std::map<std::string, std::string> both_env = {
      {"AWS_ENDPOINT_URL_REKOGNITION", "http://env-service:2222"},
      {"AWS_ENDPOINT_URL", "http://env-global:6666"}};

  CHECK(Resolve("us-east-1", in_code, both_env, config) == "http://127.0.0.1:1111");
  CHECK(Resolve("us-east-1", none, both_env, config) == "http://env-service:2222");
  CHECK(Resolve("us-east-1", none, {{"AWS_ENDPOINT_URL", "http://env-global:6666"}}, config) ==
        "http://env-global:6666");
  CHECK(Resolve("us-east-1", none, {}, config) == "http://services-section:4444");
  CHECK(Resolve("us-east-1", none, {}, "[default]\nendpoint_url = http://profile-global:3333\n") ==
        "http://profile-global:3333");
  // The services section has no rekognition entry: the profile's own URL.
  CHECK(Resolve("us-east-1", none, {},
                "[default]\nendpoint_url = http://profile-global:3333\nservices = other\n"
                "[services other]\ns3 =\n  endpoint_url = http://s3:1\n") ==
        "http://profile-global:3333");
  // Nothing configured: the rules.
  CHECK(Resolve("eu-west-1", none, {}) == "https://rekognition.eu-west-1.amazonaws.com");
  // Ignoring configured URLs keeps the code's but skips environment and profile.
  CHECK(
      Resolve("us-east-1", none,
              {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL", "http://x:1"}},
              config) == "https://rekognition.us-east-1.amazonaws.com");
  CHECK(Resolve("us-east-1", in_code, {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"}}, config) ==
        "http://127.0.0.1:1111");
  CHECK(Resolve("us-east-1", none, {},
                config + "[default]\nignore_configured_endpoint_urls = true\n") ==
        "https://rekognition.us-east-1.amazonaws.com");
  // A custom endpoint needs no region.
  CHECK(Resolve(std::nullopt, none, {{"AWS_ENDPOINT_URL", "http://localhost:4566"}}) ==
        "http://localhost:4566");
}

TEST_CASE("FIPS and dual-stack flags come from code, environment or profile", "[endpoint]") {
  rekognition::EndpointSettings fips_off;
  fips_off.use_fips = false;
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_FIPS_ENDPOINT", "true"}}) ==
        "https://rekognition-fips.us-east-1.amazonaws.com");
  CHECK(Resolve("us-east-1", fips_off, {{"AWS_USE_FIPS_ENDPOINT", "true"}}) ==
        "https://rekognition.us-east-1.amazonaws.com");
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_DUALSTACK_ENDPOINT", "True"}}) ==
        "https://rekognition.us-east-1.api.aws");
  CHECK(Resolve("us-east-1", {}, {},
                "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n") ==
        "https://rekognition-fips.us-east-1.api.aws");
  // The environment wins over the profile.
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_FIPS_ENDPOINT", "false"}},
                "[default]\nuse_fips_endpoint = true\n") ==
        "https://rekognition.us-east-1.amazonaws.com");
  // FIPS with a configured URL is the rule set's error.
  CHECK(Resolve("us-east-1", {},
                {{"AWS_USE_FIPS_ENDPOINT", "true"}, {"AWS_ENDPOINT_URL", "https://example.com"}}) ==
        "error: Invalid Configuration: FIPS and custom endpoint are not supported");
  // Booleans read as botocore's ensure_boolean reads them: only "true" (any
  // case) is true; "yes" and "1" are false, not errors.
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_DUALSTACK_ENDPOINT", "yes"}}) ==
        "https://rekognition.us-east-1.amazonaws.com");
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_FIPS_ENDPOINT", "1"}},
                "[default]\nuse_fips_endpoint = true\n") ==
        "https://rekognition.us-east-1.amazonaws.com");
  CHECK(Resolve("us-east-1", {}, {{"AWS_USE_FIPS_ENDPOINT", "TRUE"}}) ==
        "https://rekognition-fips.us-east-1.amazonaws.com");
  CHECK(Resolve(std::nullopt, {}, {}) == "error: Invalid Configuration: Missing Region");
}

TEST_CASE("an endpoint URL set but empty is a configuration error, not unset", "[endpoint]") {
  rekognition::EndpointSettings empty;
  empty.endpoint_url = "";
  const std::string error =
      Resolve("us-east-1", empty, {{"AWS_ENDPOINT_URL", "http://env-global:6666"}});
  CHECK(error.rfind("error: the endpoint URL is set but empty", 0) == 0);
  // Ports out of range and spaces are configuration errors too.
  rekognition::EndpointSettings port;
  port.endpoint_url = "http://127.0.0.1:70000";
  CHECK(Resolve("us-east-1", port, {}).rfind("error: invalid endpoint URL", 0) == 0);
  rekognition::EndpointSettings space;
  space.endpoint_url = "http://127.0.0.1:8080/a b";
  CHECK(Resolve("us-east-1", space, {}).rfind("error: invalid endpoint URL", 0) == 0);
  CHECK(Resolve("us-east-1", {}, {{"AWS_ENDPOINT_URL", "http://h:65536"}})
            .rfind("error: invalid endpoint URL 'http://h:65536' from AWS_ENDPOINT_URL", 0) == 0);
}

TEST_CASE("invalid configured endpoints are configuration errors naming their source",
          "[endpoint]") {
  const std::string from_env = Resolve("us-east-1", {}, {{"AWS_ENDPOINT_URL", "localhost:4566"}});
  CHECK(from_env.find("invalid endpoint URL 'localhost:4566' from AWS_ENDPOINT_URL") !=
        std::string::npos);
  const std::string with_password =
      Resolve("us-east-1", {}, {{"AWS_ENDPOINT_URL", "http://user:hunter2@host"}});
  CHECK(with_password.rfind("error: invalid endpoint URL from AWS_ENDPOINT_URL", 0) == 0);
  CHECK(with_password.find("hunter2") == std::string::npos);
  const std::string missing_services =
      Resolve("us-east-1", {}, {}, "[default]\nservices = nowhere\n");
  CHECK(missing_services.find("services section 'nowhere'") != std::string::npos);
}

TEST_CASE("ResolveEndpoint reads the chosen profile from the shared files", "[endpoint]") {
  char dir_template[] = "/tmp/rekognition-endpoint-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  const std::string config = dir + "/config";
  {
    std::ofstream out(config);
    out << "[profile dev]\nendpoint_url = http://127.0.0.1:9999\n";
  }
  const auto env = rekognition::FixedEnvironment(
      {{"AWS_CONFIG_FILE", config}, {"AWS_SHARED_CREDENTIALS_FILE", dir + "/none"}});
  CHECK(rekognition::ResolveEndpoint(std::string("us-west-2"), {}, std::string("dev"), env) ==
        "http://127.0.0.1:9999");
  CHECK(rekognition::ResolveEndpoint(std::string("us-west-2"), {}, std::nullopt, env) ==
        "https://rekognition.us-west-2.amazonaws.com");
  CHECK_THROWS_AS(
      rekognition::ResolveEndpoint(std::string("us-west-2"), {}, std::string("nope"), env),
      rekognition::ConfigurationError);
  std::remove(config.c_str());
  rmdir(dir.c_str());
}

}  // namespace endpoint_test
