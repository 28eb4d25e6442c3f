// The shared-file INI parser: the dialect the aws CLI accepts, and robustness.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "rekognition/config/ini.hpp"

using rekognition::detail::IniDocument;
using rekognition::detail::ParseIni;

namespace ini_test {

namespace {

std::string Value(const IniDocument& document, const std::string& section, const std::string& key) {
  const auto found = document.sections.find(section);
  if (found == document.sections.end()) return "<no section>";
  const auto value = found->second.values.find(key);
  if (value == found->second.values.end()) return "<no key>";
  return value->second;
}

}  // namespace

TEST_CASE("ini: sections, settings and spacing", "[ini]") {
  const auto document = ParseIni(
      "[default]\n"
      "\tOutput = json\n"  // indented, but no setting to continue: a setting
      "region=us-east-1\n"
      "aws_access_key_id   =   AKIDEXAMPLE   \n"
      "[profile dev]\n"
      "region = eu-west-1\n"
      "colon: separated\n"
      "url = http://host:8080/path?x=1\n"
      "[  spaced name  ]\n"
      "k = v\n");
  CHECK(Value(document, "default", "region") == "us-east-1");
  CHECK(Value(document, "default", "aws_access_key_id") == "AKIDEXAMPLE");
  CHECK(Value(document, "default", "output") == "json");  // keys are lower-cased
  CHECK(Value(document, "profile dev", "region") == "eu-west-1");
  CHECK(Value(document, "profile dev", "colon") == "separated");
  CHECK(Value(document, "profile dev", "url") ==
        "http://host:8080/path?x=1");  // first delimiter splits
  CHECK(Value(document, "spaced name", "k") == "v");
  CHECK(document.sections.size() == 3);
}

TEST_CASE("ini: full-line comments; '#' and ';' inside values are kept, as botocore does",
          "[ini]") {
  const auto document = ParseIni(
      "# leading comment\n"
      "; another\n"
      "[default] # comment after a header\n"
      "region = us-west-2 # inline comment\n"
      "output = text\t; inline with a tab\n"
      "secret = ab#cd;ef\n"
      "empty = # only a comment\n"
      "  # indented comment\n"
      "[profile x];comment\n"
      "k = v\n");
  CHECK(Value(document, "default", "region") == "us-west-2 # inline comment");
  CHECK(Value(document, "default", "output") == "text\t; inline with a tab");
  CHECK(Value(document, "default", "secret") == "ab#cd;ef");
  CHECK(Value(document, "default", "empty") == "# only a comment");
  CHECK(Value(document, "profile x", "k") == "v");
}

TEST_CASE("ini: CRLF, lone CR and a BOM", "[ini]") {
  const auto document =
      ParseIni("\xEF\xBB\xBF[default]\r\nregion = us-east-1\r\noutput = json\rk = v\r\n");
  CHECK(Value(document, "default", "region") == "us-east-1");
  CHECK(Value(document, "default", "output") == "json");
  CHECK(Value(document, "default", "k") == "v");
}

TEST_CASE("ini: nested sub-sections are kept apart and skipped safely", "[ini]") {
  const auto document = ParseIni(
      "[default]\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "  addressing_style = path\n"
      "\n"
      "  not a setting line\n"
      "region = us-east-1\n"
      "[services local]\n"
      "rekognition =\n"
      "    endpoint_url = http://127.0.0.1:9000\n");
  const auto& section = document.sections.at("default");
  CHECK(Value(document, "default", "region") == "us-east-1");
  CHECK(section.values.count("s3") == 0);
  CHECK(section.subsections.at("s3").at("max_concurrent_requests") == "10");
  CHECK(section.subsections.at("s3").at("addressing_style") == "path");
  CHECK(section.subsections.at("s3").size() == 2);
  CHECK(document.sections.at("services local").subsections.at("rekognition").at("endpoint_url") ==
        "http://127.0.0.1:9000");
}

TEST_CASE("ini: continuation lines extend a value", "[ini]") {
  const auto document = ParseIni("[default]\nkey = first\n  second\nother = x\n");
  CHECK(Value(document, "default", "key") == "first\nsecond");
  CHECK(Value(document, "default", "other") == "x");
}

TEST_CASE("ini: malformed lines are skipped without attaching to other sections", "[ini]") {
  const auto document = ParseIni(
      "orphan = before any section\n"
      "[default]\n"
      "region = us-east-1\n"
      "this line has no delimiter\n"
      "= no key\n"
      "[broken\n"
      "stolen = must not land in default\n"
      "[ok] trailing garbage\n"
      "also_stolen = x\n"
      "[]\n"
      "empty_name = x\n"
      "[good]\n"
      "k = v\n");
  CHECK(Value(document, "default", "region") == "us-east-1");
  CHECK(Value(document, "default", "stolen") == "<no key>");
  CHECK(Value(document, "default", "also_stolen") == "<no key>");
  CHECK(document.sections.at("default").values.size() == 1);
  CHECK(Value(document, "good", "k") == "v");
  CHECK(document.sections.size() == 2);
}

TEST_CASE("ini: repeated sections merge and later keys win", "[ini]") {
  const auto document = ParseIni("[a]\nx = 1\ny = 1\n[b]\nz = 1\n[a]\nx = 2\n");
  CHECK(Value(document, "a", "x") == "2");
  CHECK(Value(document, "a", "y") == "1");
  CHECK(Value(document, "b", "z") == "1");
}

TEST_CASE("ini: empty, binary and random input never crash or hang", "[ini]") {
  CHECK(ParseIni("").sections.empty());
  CHECK(ParseIni("\n\n\r\r\n").sections.empty());
  CHECK(ParseIni(std::string("[a\0b]\nk\0 = v\0w\n", 15)).sections.size() == 1);
  CHECK(ParseIni("[").sections.empty());
  CHECK(ParseIni("]").sections.empty());
  CHECK(ParseIni("[x]\n=\n:\n  \n\t=\n").sections.at("x").values.empty());

  std::mt19937 random(12345);
  const std::string alphabet = "[]=:#; \t\r\nabcXYZ\x01\xff\"'";
  std::size_t total_sections = 0;
  for (int round = 0; round < 300; ++round) {
    std::string input;
    const int length = static_cast<int>(random() % 400);
    for (int i = 0; i < length; ++i)
      input += (random() % 4 == 0) ? static_cast<char>(random() % 256)
                                   : alphabet[random() % alphabet.size()];
    const auto document = ParseIni(input);
    total_sections += document.sections.size();
    for (const auto& entry : document.sections) {
      CHECK_FALSE(entry.first.empty());
      for (const auto& value : entry.second.values) CHECK_FALSE(value.first.empty());
    }
  }
  CHECK(total_sections > 0);  // the generator did produce headers
}

}  // namespace ini_test
