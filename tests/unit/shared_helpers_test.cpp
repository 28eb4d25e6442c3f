// The helpers every concern shares: one JSON reader, one boolean reader, one
// ASCII lower-casing.
#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <string>

#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/detail/ascii.hpp"

using rekognition::detail::ParseCredentialsJsonObject;

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
