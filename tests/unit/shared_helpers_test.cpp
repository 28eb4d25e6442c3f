// The helpers every concern shares: one JSON reader, one boolean reader, one
// ASCII lower-casing.
#include <rapidjson/document.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <vector>

#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/detail/ascii.hpp"
#include "rekognition/detail/posix.hpp"

using rekognition::detail::ParseCredentialsJsonObject;

namespace shared_helpers_test {

TEST_CASE("credential documents go through the hardened JSON reader", "[credentials][json]") {
  rapidjson::Document document;
  const std::string good = R"({"AccessKeyId":"A","SecretAccessKey":"S"})";
  CHECK(ParseCredentialsJsonObject(good, document));
  // A NUL byte ends the input for a bare RapidJSON parse, which then accepts
  // whatever came before it.
  const std::string with_nul = good + std::string("\0{\"AccessKeyId\":\"B\"}", 20);
  CHECK_FALSE(ParseCredentialsJsonObject(with_nul, document));
  // A \u escape naming a lone surrogate is not UTF-8.
  CHECK_FALSE(
      ParseCredentialsJsonObject(R"({"AccessKeyId":"\udfff","SecretAccessKey":"S"})", document));
  // Deep nesting stops at the depth limit.
  CHECK_FALSE(ParseCredentialsJsonObject(std::string(200, '[') + std::string(200, ']'), document));
  // Oversized documents are refused before parsing.
  std::string huge = "{\"Padding\":\"";
  huge.append(rekognition::detail::kMaxJsonBodySize, 'x');
  huge += "\"}";
  CHECK_FALSE(ParseCredentialsJsonObject(huge, document));
}

TEST_CASE("boolean settings read as botocore's ensure_boolean", "[config]") {
  using rekognition::ParseBooleanSetting;
  CHECK(ParseBooleanSetting("true"));
  CHECK(ParseBooleanSetting("TRUE"));
  CHECK(ParseBooleanSetting("True"));
  for (const char* other : {"false", "yes", "1", "on", "", " true", "truee"}) {
    INFO(other);
    CHECK_FALSE(ParseBooleanSetting(other));
  }
}

TEST_CASE("ASCII lower-casing ignores the locale and non-ASCII bytes", "[ascii]") {
  using rekognition::detail::AsciiLower;
  CHECK(AsciiLower("X-Amz-Date") == "x-amz-date");
  CHECK(AsciiLower("\xC3\x89T\xC3\x89") == "\xC3\x89t\xC3\x89");  // UTF-8 bytes untouched
  CHECK(rekognition::detail::EqualsIgnoreCase("Content-TYPE", "content-type"));
  CHECK_FALSE(rekognition::detail::EqualsIgnoreCase("a", "ab"));
}

TEST_CASE("one way to start a program: environment, stdin and pipes as asked", "[subprocess]") {
  const std::vector<std::string> environment = {"ONLY=set", "PATH=/usr/bin:/bin"};
  rekognition::detail::SpawnOptions options;
  options.environment = &environment;
  options.stdin_from_dev_null = true;
  auto process = rekognition::detail::SpawnProcess(
      {"sh", "-c", "echo \"$ONLY${HOME:-nohome}\"; read line || echo eof; echo oops >&2"}, options);
  REQUIRE(process.pid > 0);
  std::string out, err;
  char buffer[256];
  for (ssize_t n; (n = read(process.out.get(), buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<std::size_t>(n));
  for (ssize_t n; (n = read(process.err.get(), buffer, sizeof buffer)) > 0;)
    err.append(buffer, static_cast<std::size_t>(n));
  int status = 0;
  waitpid(process.pid, &status, 0);
  CHECK(out == "setnohome\neof\n");
  CHECK(err == "oops\n");
  const auto missing = rekognition::detail::SpawnProcess({"/nonexistent/program"});
  CHECK(missing.pid == -1);
  CHECK(missing.error == ENOENT);
}

}  // namespace shared_helpers_test
