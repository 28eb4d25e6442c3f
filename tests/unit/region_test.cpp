// Region resolution: code > AWS_REGION > AWS_DEFAULT_REGION > profile, never a silent default.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "rekognition/config/region.hpp"
#include "rekognition/config/shared_config.hpp"

using rekognition::ConfigurationError;
using rekognition::FixedEnvironment;
using rekognition::ResolveRegion;
using rekognition::SharedConfig;

namespace region_test {

namespace {

std::string RegionOrError(const std::optional<std::string>& from_code,
                          const std::map<std::string, std::string>& env,
                          const std::string& config = "") {
  const auto lookup = FixedEnvironment(env);
  const auto profile = SharedConfig::Parse(config, "").SelectProfile(std::nullopt, lookup);
  try {
    return ResolveRegion(from_code, profile, lookup);
  } catch (const ConfigurationError& e) {
    return "error: " + e.message();
  }
}

}  // namespace

TEST_CASE("region precedence", "[region]") {
  const std::string config = "[default]\nregion = eu-central-1\n";
  const std::map<std::string, std::string> both = {{"AWS_REGION", "us-west-2"},
                                                   {"AWS_DEFAULT_REGION", "ap-south-1"}};
  CHECK(RegionOrError(std::string("ca-central-1"), both, config) == "ca-central-1");
  CHECK(RegionOrError(std::nullopt, both, config) == "us-west-2");
  CHECK(RegionOrError(std::nullopt, {{"AWS_DEFAULT_REGION", "ap-south-1"}}, config) ==
        "ap-south-1");
  CHECK(RegionOrError(std::nullopt, {}, config) == "eu-central-1");
  // Empty values count as unset at every level.
  CHECK(RegionOrError(std::string(""), {{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", "sa-east-1"}},
                      config) == "sa-east-1");
  CHECK(RegionOrError(std::nullopt, {}, "[default]\nregion =\n").rfind("error: ", 0) == 0);
}

TEST_CASE("no region is an error that says where it looked", "[region]") {
  const std::string result = RegionOrError(std::nullopt, {});
  REQUIRE(result.rfind("error: ", 0) == 0);
  CHECK(result.find("AWS_REGION") != std::string::npos);
  CHECK(result.find("AWS_DEFAULT_REGION") != std::string::npos);
  CHECK(result.find("'region'") != std::string::npos);
  CHECK(result.find("profile 'default'") != std::string::npos);
  CHECK(result.find("us-east-1") ==
        std::string::npos);  // no silent default, no suggestion taken as one
}

TEST_CASE("an invalid region is refused with its source", "[region]") {
  const std::string from_env = RegionOrError(std::nullopt, {{"AWS_REGION", "us-east-1.evil.com"}});
  CHECK(from_env.find("invalid region 'us-east-1.evil.com' from AWS_REGION") != std::string::npos);
  const std::string from_profile = RegionOrError(std::nullopt, {}, "[default]\nregion = us east\n");
  CHECK(from_profile.find("from 'region' of profile 'default'") != std::string::npos);
  CHECK(rekognition::IsValidRegionName("us-gov-west-1"));
  CHECK(rekognition::IsValidRegionName("x"));
  CHECK_FALSE(rekognition::IsValidRegionName(""));
  CHECK_FALSE(rekognition::IsValidRegionName("-us"));
  CHECK_FALSE(rekognition::IsValidRegionName("us-"));
  CHECK_FALSE(rekognition::IsValidRegionName(std::string(64, 'a')));
}

TEST_CASE("ResolveRegion reads the chosen profile from the files", "[region]") {
  char name[] = "/tmp/rekognition-region-XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  const std::string dir = name;
  const std::string config = dir + "/config";
  {
    std::ofstream out(config);
    out << "[default]\nregion = us-east-2\n[profile eu]\nregion = eu-north-1\n";
  }
  const std::map<std::string, std::string> base = {{"AWS_CONFIG_FILE", config},
                                                   {"AWS_SHARED_CREDENTIALS_FILE", dir + "/none"}};
  CHECK(ResolveRegion(std::nullopt, std::nullopt, FixedEnvironment(base)) == "us-east-2");
  CHECK(ResolveRegion(std::nullopt, std::string("eu"), FixedEnvironment(base)) == "eu-north-1");
  auto with_profile = base;
  with_profile["AWS_PROFILE"] = "eu";
  CHECK(ResolveRegion(std::nullopt, std::nullopt, FixedEnvironment(with_profile)) == "eu-north-1");
  with_profile["AWS_PROFILE"] = "missing";
  CHECK_THROWS_AS(ResolveRegion(std::nullopt, std::nullopt, FixedEnvironment(with_profile)),
                  ConfigurationError);
  std::remove(config.c_str());
  rmdir(dir.c_str());
}

}  // namespace region_test
