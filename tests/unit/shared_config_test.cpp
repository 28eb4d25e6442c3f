// The shared config and credentials files: locations, profiles, merging, selection.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "rekognition/config/shared_config.hpp"

namespace shared_config_test {

namespace {

// A temporary directory, removed with its files when the test ends.
class ConfigTempDir {
 public:
  ConfigTempDir() {
    char name[] = "/tmp/rekognition-shared-config-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path_ = name;
  }
  ~ConfigTempDir() {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) std::remove(it->c_str());
    rmdir(path_.c_str());
  }
  std::string Write(const std::string& relative, const std::string& text) {
    const std::string full = path_ + "/" + relative;
    std::ofstream out(full, std::ios::binary);
    out << text;
    created_.push_back(full);
    return full;
  }
  std::string MakeDir(const std::string& relative) {
    const std::string full = path_ + "/" + relative;
    REQUIRE(mkdir(full.c_str(), 0700) == 0);
    created_.push_back(full);
    return full;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> created_;
};

}  // namespace

using rekognition::ConfigurationError;
using rekognition::FixedEnvironment;
using rekognition::SharedConfig;

TEST_CASE("shared config: files named by the environment are read", "[shared_config]") {
  ConfigTempDir dir;
  const auto config = dir.Write("my-config",
                                "[default]\nregion = us-east-1\n"
                                "[profile dev]\nregion = eu-west-1\noutput = json\n"
                                "[plain]\nregion = not-a-profile-in-config\n");
  const auto credentials = dir.Write("my-credentials",
                                     "[default]\naws_access_key_id = AKIDDEFAULT\n"
                                     "[dev]\naws_access_key_id = AKIDDEV\nregion = ap-south-1\n");
  const auto env =
      FixedEnvironment({{"AWS_CONFIG_FILE", config}, {"AWS_SHARED_CREDENTIALS_FILE", credentials}});
  const SharedConfig files = SharedConfig::Load(env);
  CHECK(files.config_file() == config);
  CHECK(files.credentials_file() == credentials);

  const auto dev = files.GetProfile("dev");
  CHECK(dev.exists);
  CHECK(dev.Get("aws_access_key_id") == "AKIDDEV");
  CHECK(dev.Get("region") == "ap-south-1");  // the credentials file wins
  CHECK(dev.Get("output") == "json");        // only in the config file
  CHECK(files.GetProfile("default").Get("region") == "us-east-1");
  CHECK(files.GetProfile("default").Get("aws_access_key_id") == "AKIDDEFAULT");
  // [plain] in the config file is not a profile: profiles there need "profile ".
  CHECK_FALSE(files.HasProfile("plain"));
  CHECK(files.ProfileNames() == std::vector<std::string>{"default", "dev"});
}

TEST_CASE("shared config: default locations come from HOME", "[shared_config]") {
  ConfigTempDir dir;
  dir.MakeDir(".aws");
  dir.Write(".aws/config", "[profile home]\nregion = sa-east-1\n");
  dir.Write(".aws/credentials", "[home]\naws_access_key_id = AKIDHOME\n");
  const auto files = SharedConfig::Load(FixedEnvironment({{"HOME", dir.path()}}));
  CHECK(files.config_file() == dir.path() + "/.aws/config");
  CHECK(files.credentials_file() == dir.path() + "/.aws/credentials");
  CHECK(files.GetProfile("home").Get("region") == "sa-east-1");
  CHECK(files.GetProfile("home").Get("aws_access_key_id") == "AKIDHOME");

  // A leading ~ in a configured path is HOME too.
  dir.Write("other", "[profile tilde]\nregion = us-west-1\n");
  const auto tilde =
      SharedConfig::Load(FixedEnvironment({{"HOME", dir.path()}, {"AWS_CONFIG_FILE", "~/other"}}));
  CHECK(tilde.GetProfile("tilde").Get("region") == "us-west-1");

  // No HOME and no variables: no files, nothing found, no error.
  const auto none = SharedConfig::Load(FixedEnvironment({}));
  CHECK(none.config_file().empty());
  CHECK(none.ProfileNames().empty());
}

TEST_CASE("shared config: missing files, directories and devices are empty", "[shared_config]") {
  ConfigTempDir dir;
  const auto subdir = dir.MakeDir("a-directory");
  const auto files =
      SharedConfig::Load(FixedEnvironment({{"AWS_CONFIG_FILE", dir.path() + "/does-not-exist"},
                                           {"AWS_SHARED_CREDENTIALS_FILE", subdir}}));
  CHECK(files.ProfileNames().empty());
  const auto device = SharedConfig::Load(
      FixedEnvironment({{"AWS_CONFIG_FILE", "/dev/zero"},
                        {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/missing/x"}}));
  CHECK(device.ProfileNames().empty());
}

TEST_CASE("shared config: sections that are not profiles are ignored", "[shared_config]") {
  const auto files = SharedConfig::Parse(
      "[sso-session corp]\nsso_region = us-east-1\n"
      "[services local]\nrekognition =\n  endpoint_url = http://127.0.0.1:1\n"
      "[profile]\nregion = nameless\n"
      "[profilex]\nregion = glued\n"
      "[profile two words]\nregion = bad\n"
      "[profile \"quoted name\"]\nregion = quoted\n"
      "[profile   spaced  ]\nregion = spaced\n"
      "[profile svc]\nservices = local\n"
      "[profile dangling]\nservices = nowhere\n",
      "");
  CHECK(files.ProfileNames() ==
        std::vector<std::string>{"dangling", "quoted name", "spaced", "svc"});
  CHECK(files.GetProfile("quoted name").Get("region") == "quoted");
  CHECK(files.GetProfile("spaced").Get("region") == "spaced");
  CHECK(files.HasServicesSection("local"));
  const auto svc = files.GetProfile("svc");
  REQUIRE(svc.services.has_value());
  CHECK(svc.services->at("rekognition").at("endpoint_url") == "http://127.0.0.1:1");
  CHECK_FALSE(files.GetProfile("dangling").services.has_value());
  CHECK_FALSE(files.GetProfile("default").services.has_value());
}

TEST_CASE("shared config: [profile default] overrides [default] key by key", "[shared_config]") {
  const auto files = SharedConfig::Parse(
      "[profile default]\nregion = from-profile-default\n[default]\nregion = plain\noutput = "
      "text\n",
      "");
  const auto profile = files.GetProfile("default");
  CHECK(profile.Get("region") == "from-profile-default");
  CHECK(profile.Get("output") == "text");
}

TEST_CASE("shared config: empty values read as unset", "[shared_config]") {
  const auto profile =
      SharedConfig::Parse("[default]\nregion =\noutput = json\n", "").GetProfile("default");
  CHECK_FALSE(profile.Get("region").has_value());
  CHECK(profile.Get("output") == "json");
  CHECK_FALSE(profile.Get("absent").has_value());
}

TEST_CASE("profile choice: code, then AWS_PROFILE, then default", "[shared_config]") {
  using rekognition::ChooseProfile;
  const auto with_env = FixedEnvironment({{"AWS_PROFILE", "from-env"}});
  CHECK(ChooseProfile(std::string("from-code"), with_env).name == "from-code");
  CHECK(ChooseProfile(std::string("from-code"), with_env).source == "code");
  CHECK(ChooseProfile(std::nullopt, with_env).name == "from-env");
  CHECK(ChooseProfile(std::nullopt, with_env).explicitly);
  CHECK(ChooseProfile(std::string(""), with_env).name == "from-env");  // empty means unset
  CHECK(ChooseProfile(std::nullopt, FixedEnvironment({})).name == "default");
  CHECK_FALSE(ChooseProfile(std::nullopt, FixedEnvironment({})).explicitly);
  CHECK(ChooseProfile(std::nullopt, FixedEnvironment({{"AWS_PROFILE", ""}})).name == "default");
}

TEST_CASE("profile selection: an explicit profile must exist, default need not",
          "[shared_config]") {
  const auto files =
      SharedConfig::Parse("[profile dev]\nregion = eu-west-1\n", "[ci]\naws_access_key_id = A\n",
                          "/home/u/.aws/config", "/home/u/.aws/credentials");
  CHECK(files.SelectProfile(std::string("dev")).Get("region") == "eu-west-1");
  CHECK(files.SelectProfile(std::nullopt, FixedEnvironment({{"AWS_PROFILE", "ci"}}))
            .Get("aws_access_key_id") == "A");
  const auto implicit_default = files.SelectProfile(std::nullopt, FixedEnvironment({}));
  CHECK(implicit_default.name == "default");
  CHECK_FALSE(implicit_default.exists);
  CHECK(implicit_default.values.empty());

  try {
    files.SelectProfile(std::string("prod"), FixedEnvironment({}));
    FAIL("expected a ConfigurationError");
  } catch (const ConfigurationError& e) {
    const std::string message = e.message();
    CHECK(message.find("'prod'") != std::string::npos);
    CHECK(message.find("/home/u/.aws/config") != std::string::npos);
    CHECK(message.find("/home/u/.aws/credentials") != std::string::npos);
  }
  try {
    files.SelectProfile(std::nullopt, FixedEnvironment({{"AWS_PROFILE", "staging"}}));
    FAIL("expected a ConfigurationError");
  } catch (const ConfigurationError& e) {
    CHECK(std::string(e.message()).find("'staging' (chosen by AWS_PROFILE)") != std::string::npos);
  }
  // Explicitly choosing "default" when it does not exist is an error too.
  CHECK_THROWS_AS(files.SelectProfile(std::string("default"), FixedEnvironment({})),
                  ConfigurationError);
}

TEST_CASE("LoadProfile reads the files and selects in one step", "[shared_config]") {
  ConfigTempDir dir;
  const auto config = dir.Write("config", "[profile a]\nregion = us-east-2\r\n");
  const auto env = FixedEnvironment({{"AWS_CONFIG_FILE", config},
                                     {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"},
                                     {"AWS_PROFILE", "a"}});
  const auto profile = rekognition::LoadProfile(std::nullopt, env);
  CHECK(profile.name == "a");
  CHECK(profile.Get("region") == "us-east-2");
  CHECK(profile.Describe().find(config) != std::string::npos);
  CHECK_THROWS_AS(rekognition::LoadProfile(std::string("b"), env), ConfigurationError);
}

TEST_CASE("shared config: unreasonably large files are refused", "[shared_config]") {
  ConfigTempDir dir;
  const auto big = dir.Write("big", std::string(5u << 20, '#'));
  CHECK_THROWS_AS(SharedConfig::Load(FixedEnvironment({{"AWS_CONFIG_FILE", big}})),
                  ConfigurationError);
}

}  // namespace shared_config_test
