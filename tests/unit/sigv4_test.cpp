// SigV4: the AWS conformance suite (tests/data/sigv4, header and query mode)
// and the signer's own behaviour (key cache, tokens, Host, payload hash,
// threads, secrets).
#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/types.hpp"

namespace sigv4_test {

namespace {

namespace fs = std::filesystem;
using rekognition::ConfigurationError;
using rekognition::Credentials;
using rekognition::CredentialsError;
using rekognition::FindHeader;
using rekognition::HttpHeaders;
using rekognition::HttpRequest;
using rekognition::SigV4Params;
using rekognition::SigV4Scope;
using rekognition::SigV4Signer;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---------------------------------------------------------------------------
// A raw HTTP/1.1 request as the suite writes it: "METHOD TARGET HTTP/1.1",
// "Name:value" lines (a line starting with whitespace continues the previous
// value), an empty line, the body. The target may contain spaces.

struct RawRequest {
  std::string method;
  std::string target;
  HttpHeaders headers;
  std::string body;
};

RawRequest ParseRawRequest(const std::string& text) {
  RawRequest request;
  std::string head = text;
  const auto blank = text.find("\n\n");
  if (blank != std::string::npos) {
    head = text.substr(0, blank);
    request.body = text.substr(blank + 2);
  }
  std::vector<std::string> lines;
  std::istringstream stream(head);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (lines.empty()) throw std::runtime_error("empty request");
  const std::string& start = lines[0];
  const auto first_space = start.find(' ');
  const auto last_space = start.rfind(' ');
  if (first_space == std::string::npos || first_space == last_space)
    throw std::runtime_error("bad request line: " + start);
  request.method = start.substr(0, first_space);
  request.target = start.substr(first_space + 1, last_space - first_space - 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (request.headers.empty()) throw std::runtime_error("continuation without a header");
      request.headers.back().second += "\n" + line;
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) throw std::runtime_error("bad header line: " + line);
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

std::string SerializeRequest(const std::string& method, const std::string& target,
                             const HttpHeaders& headers, std::string_view body) {
  std::string out = method + " " + target + " HTTP/1.1\n";
  for (const auto& header : headers) out += header.first + ":" + header.second + "\n";
  out += "\n";
  out += body;
  return out;
}

// The request target (path and query) of an absolute URL.
std::string TargetOf(const std::string& url) {
  const auto authority = url.find("://") + 3;
  const auto slash = url.find_first_of("/?", authority);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string PercentDecode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      out.push_back(static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// The query parameters of a URL, raw (not decoded), last value wins.
std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> params;
  const auto question = url.find('?');
  if (question == std::string::npos) return params;
  std::istringstream stream(url.substr(question + 1));
  for (std::string item; std::getline(stream, item, '&');) {
    const auto eq = item.find('=');
    params[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
  }
  return params;
}

// "2015-08-30T12:36:00Z" (computed here independently of the signer).
std::chrono::system_clock::time_point ParseIsoTime(const std::string& text) {
  std::tm tm{};
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    throw std::runtime_error("bad timestamp " + text);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// ---------------------------------------------------------------------------
// One case folder of the suite.

struct SuiteCase {
  std::string name;
  RawRequest request;
  Credentials credentials;
  SigV4Params params;
  std::map<std::string, std::string> expected;  // file name -> contents
};

SuiteCase LoadCase(const fs::path& dir) {
  SuiteCase c;
  c.name = dir.filename().string();
  c.request = ParseRawRequest(ReadFile(dir / "request.txt"));
  rapidjson::Document context;
  const std::string json = ReadFile(dir / "context.json");
  context.Parse(json.c_str(), json.size());
  if (context.HasParseError() || !context.IsObject())
    throw std::runtime_error(c.name + ": bad context.json");
  const auto& credentials = context["credentials"];
  c.credentials.access_key_id = credentials["access_key_id"].GetString();
  c.credentials.secret_access_key = credentials["secret_access_key"].GetString();
  if (credentials.HasMember("token"))
    c.credentials.session_token = credentials["token"].GetString();
  c.params.region = context["region"].GetString();
  c.params.service = context["service"].GetString();
  c.params.time = ParseIsoTime(context["timestamp"].GetString());
  c.params.normalize_path = context["normalize"].GetBool();
  c.params.sign_body = context["sign_body"].GetBool();
  if (context.HasMember("omit_session_token"))
    c.params.omit_session_token = context["omit_session_token"].GetBool();
  c.params.expires_in = std::chrono::seconds(context["expiration_in_seconds"].GetInt());
  for (const char* mode : {"header", "query"})
    for (const char* part :
         {"canonical-request", "string-to-sign", "signature", "signed-request"}) {
      const std::string file = std::string(mode) + "-" + part + ".txt";
      c.expected[file] = ReadFile(dir / file);
    }
  return c;
}

const std::vector<SuiteCase>& SuiteCases() {
  static const std::vector<SuiteCase> cases = [] {
    std::vector<SuiteCase> loaded;
    for (const auto& entry : fs::directory_iterator(fs::path(REKOGNITION_TEST_DATA_DIR) / "sigv4"))
      if (entry.is_directory()) loaded.push_back(LoadCase(entry.path()));
    std::sort(loaded.begin(), loaded.end(),
              [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
    return loaded;
  }();
  return cases;
}

HttpRequest ToHttpRequest(const RawRequest& raw) {
  HttpRequest request;
  request.method = raw.method;
  const std::string* host = FindHeader(raw.headers, "host");
  REQUIRE(host != nullptr);
  request.url = "https://" + *host + raw.target;
  request.headers = raw.headers;
  request.body = raw.body;
  return request;
}

}  // namespace

TEST_CASE("SigV4 conformance suite: 38 cases in header and query mode", "[sigv4][conformance]") {
  const std::vector<SuiteCase>& cases = SuiteCases();
  REQUIRE(cases.size() == 38);
  const SigV4Signer signer;
  for (const SuiteCase& c : cases) {
    const std::string payload_hash = rekognition::detail::Sha256Hex(c.request.body);

    DYNAMIC_SECTION(c.name << " [header mode]") {
      HttpRequest request = ToHttpRequest(c.request);
      signer.Sign(request, c.credentials, c.params);
      CHECK(SerializeRequest(request.method, TargetOf(request.url), request.headers,
                             request.body) == c.expected.at("header-signed-request.txt"));

      const std::string* authorization = FindHeader(request.headers, "authorization");
      REQUIRE(authorization != nullptr);
      const auto parsed = SigV4Signer::ParseAuthorization(*authorization);
      REQUIRE(parsed);
      CHECK(parsed->signature == c.expected.at("header-signature.txt"));

      const std::string canonical = SigV4Signer::CanonicalRequest(
          request.method, request.url, request.headers,
          SigV4Signer::SignedHeaders(request.headers, c.params), payload_hash, c.params);
      CHECK(canonical == c.expected.at("header-canonical-request.txt"));
      const std::string* amz_date = FindHeader(request.headers, "x-amz-date");
      REQUIRE(amz_date != nullptr);
      const std::string string_to_sign =
          SigV4Signer::StringToSign(*amz_date, parsed->scope, canonical);
      CHECK(string_to_sign == c.expected.at("header-string-to-sign.txt"));
      CHECK(signer.Signature(c.credentials.secret_access_key, parsed->scope, string_to_sign) ==
            c.expected.at("header-signature.txt"));
    }

    DYNAMIC_SECTION(c.name << " [query mode]") {
      const HttpRequest request = ToHttpRequest(c.request);
      const std::string url = signer.Presign(request, c.credentials, c.params);
      CHECK(SerializeRequest(request.method, TargetOf(url), request.headers, request.body) ==
            c.expected.at("query-signed-request.txt"));

      const auto query = QueryOf(url);
      REQUIRE(query.count("X-Amz-Signature") == 1);
      CHECK(query.at("X-Amz-Signature") == c.expected.at("query-signature.txt"));

      const std::string canonical = SigV4Signer::CanonicalRequest(
          request.method, url, request.headers, PercentDecode(query.at("X-Amz-SignedHeaders")),
          payload_hash, c.params);
      CHECK(canonical == c.expected.at("query-canonical-request.txt"));
      const std::string credential = PercentDecode(query.at("X-Amz-Credential"));
      const auto parsed = SigV4Signer::ParseAuthorization(
          "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=x, Signature=x");
      REQUIRE(parsed);
      const std::string string_to_sign =
          SigV4Signer::StringToSign(query.at("X-Amz-Date"), parsed->scope, canonical);
      CHECK(string_to_sign == c.expected.at("query-string-to-sign.txt"));
      CHECK(signer.Signature(c.credentials.secret_access_key, parsed->scope, string_to_sign) ==
            c.expected.at("query-signature.txt"));
    }
  }
}

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRETzz";

Credentials TestCredentials(std::string token = {}) {
  return Credentials{"AKIDEXAMPLE", kSecret, std::move(token), std::nullopt};
}

SigV4Params TestParams(std::string region = "us-east-1") {
  SigV4Params params;
  params.region = std::move(region);
  params.service = "rekognition";
  params.time = std::chrono::system_clock::from_time_t(1714560000);  // 2024-05-01T10:40:00Z
  return params;
}

// The request the Rekognition client sends.
HttpRequest ClientRequest(std::string_view body) {
  HttpRequest request;
  request.method = "POST";
  request.url = "https://rekognition.us-east-1.amazonaws.com/";
  request.body = body;
  request.headers = {{"Host", "rekognition.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "RekognitionService.DetectCustomLabels"},
                     {"User-Agent", "rekognition-cpp/0.2.0"},
                     {"amz-sdk-invocation-id", "0b4c6a3e-96a4-4b55-9d37-bb8c9d1b5c7e"},
                     {"amz-sdk-request", "attempt=1; max=3"}};
  return request;
}

std::string AuthorizationOf(const HttpRequest& request) {
  const std::string* value = FindHeader(request.headers, "authorization");
  REQUIRE(value != nullptr);
  return *value;
}

// What a server does to check a header-signed request: rebuild the
// signature from the request as received with the public steps.
bool VerifiesAsServer(const HttpRequest& request, const std::string& secret) {
  const std::string* authorization = FindHeader(request.headers, "authorization");
  const std::string* amz_date = FindHeader(request.headers, "x-amz-date");
  if (!authorization || !amz_date) return false;
  const auto parsed = SigV4Signer::ParseAuthorization(*authorization);
  if (!parsed) return false;
  SigV4Params params;
  params.region = parsed->scope.region;
  params.service = parsed->scope.service;
  const std::string canonical = SigV4Signer::CanonicalRequest(
      request.method, request.url, request.headers, parsed->signed_headers,
      rekognition::detail::Sha256Hex(request.body), params);
  const SigV4Signer verifier;
  const std::string expected = verifier.Signature(
      secret, parsed->scope, SigV4Signer::StringToSign(*amz_date, parsed->scope, canonical));
  return rekognition::detail::ConstantTimeEquals(expected, parsed->signature);
}

}  // namespace

TEST_CASE("SigV4 signing key matches the documented derivation example", "[sigv4]") {
  const SigV4Scope scope{"20120215", "us-east-1", "iam"};
  CHECK(rekognition::detail::HexEncode(
            SigV4Signer::DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope)) ==
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST_CASE("SigV4 key cache gives the same signatures as fresh derivation", "[sigv4]") {
  const SigV4Signer signer;
  const std::string body = R"({"ProjectVersionArn":"x"})";

  SECTION("signing the same request twice gives the same Authorization") {
    HttpRequest first = ClientRequest(body);
    HttpRequest second = ClientRequest(body);
    signer.Sign(first, TestCredentials(), TestParams());
    signer.Sign(second, TestCredentials(), TestParams());
    CHECK(AuthorizationOf(first) == AuthorizationOf(second));
    // And a different signer (an empty cache) agrees.
    HttpRequest third = ClientRequest(body);
    SigV4Signer().Sign(third, TestCredentials(), TestParams());
    CHECK(AuthorizationOf(third) == AuthorizationOf(first));
  }

  SECTION("cached keys stay right while more scopes than the cache holds come and go") {
    const std::vector<std::string> regions = {"us-east-1", "eu-west-1",    "ap-south-1",
                                              "us-west-2", "eu-central-1", "sa-east-1"};
    for (int round = 0; round < 3; ++round) {
      for (const std::string& region : regions) {
        for (const char* date : {"20240501", "20240502"}) {
          const SigV4Scope scope{date, region, "rekognition"};
          const std::string expected =
              rekognition::detail::HexEncode(rekognition::detail::HmacSha256(
                  SigV4Signer::DeriveSigningKey(kSecret, scope), "string to sign"));
          INFO("round " << round << ", " << region << ", " << date);
          CHECK(signer.Signature(kSecret, scope, "string to sign") == expected);
          CHECK(signer.Signature("other-secret", scope, "string to sign") != expected);
        }
      }
    }
  }

  SECTION("a copied signer signs the same way") {
    const SigV4Signer copy = signer;
    HttpRequest a = ClientRequest(body);
    HttpRequest b = ClientRequest(body);
    signer.Sign(a, TestCredentials(), TestParams());
    copy.Sign(b, TestCredentials(), TestParams());
    CHECK(AuthorizationOf(a) == AuthorizationOf(b));
  }
}

TEST_CASE("SigV4 signs the headers the Rekognition client sends", "[sigv4]") {
  const SigV4Signer signer;
  const std::string body = R"({"Image":{"Bytes":"iVBORw0KGgo="}})";
  HttpRequest request = ClientRequest(body);
  signer.Sign(request, TestCredentials(), TestParams());
  const auto parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(request));
  REQUIRE(parsed);
  CHECK(parsed->access_key_id == "AKIDEXAMPLE");
  CHECK(parsed->scope.date == "20240501");
  CHECK(parsed->scope.region == "us-east-1");
  CHECK(parsed->scope.service == "rekognition");
  CHECK(parsed->signed_headers ==
        "amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-date;x-amz-target");
  CHECK(*FindHeader(request.headers, "x-amz-date") == "20240501T104000Z");
  CHECK(FindHeader(request.headers, "x-amz-security-token") == nullptr);
  CHECK(FindHeader(request.headers, "x-amz-content-sha256") == nullptr);
  CHECK(VerifiesAsServer(request, kSecret));

  SECTION("a server rejects a changed header, body or secret") {
    HttpRequest changed = request;
    rekognition::SetHeader(changed.headers, "X-Amz-Target", "RekognitionService.DetectLabels");
    CHECK_FALSE(VerifiesAsServer(changed, kSecret));
    HttpRequest other_body = request;
    const std::string tampered = R"({"Image":{"Bytes":"iVBORw0KGgp="}})";
    other_body.body = tampered;
    CHECK_FALSE(VerifiesAsServer(other_body, kSecret));
    CHECK_FALSE(VerifiesAsServer(request, "not-the-secret"));
  }
  SECTION("User-Agent is not signed, so changing it keeps the signature valid") {
    HttpRequest changed = request;
    rekognition::SetHeader(changed.headers, "User-Agent", "something/else");
    CHECK(VerifiesAsServer(changed, kSecret));
  }
  SECTION("signing again replaces the earlier date and signature in place") {
    SigV4Params later = TestParams();
    later.time += std::chrono::hours(30);
    const std::size_t header_count = request.headers.size();
    const std::string first_authorization = AuthorizationOf(request);
    signer.Sign(request, TestCredentials(), later);
    CHECK(request.headers.size() == header_count);
    CHECK(*FindHeader(request.headers, "x-amz-date") == "20240502T164000Z");
    CHECK(AuthorizationOf(request) != first_authorization);
    CHECK(VerifiesAsServer(request, kSecret));
  }
}

TEST_CASE("SigV4 signs the session token", "[sigv4]") {
  const SigV4Signer signer;
  const std::string token = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==";
  HttpRequest request = ClientRequest("{}");
  signer.Sign(request, TestCredentials(token), TestParams());
  REQUIRE(FindHeader(request.headers, "x-amz-security-token") != nullptr);
  CHECK(*FindHeader(request.headers, "x-amz-security-token") == token);
  const auto parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(request));
  REQUIRE(parsed);
  CHECK(parsed->signed_headers ==
        "amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-date;"
        "x-amz-security-token;x-amz-target");
  CHECK(VerifiesAsServer(request, kSecret));

  SECTION("omit_session_token adds the token but leaves it out of the signature") {
    HttpRequest omitted = ClientRequest("{}");
    SigV4Params params = TestParams();
    params.omit_session_token = true;
    signer.Sign(omitted, TestCredentials(token), params);
    CHECK(*FindHeader(omitted.headers, "x-amz-security-token") == token);
    const auto omitted_parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(omitted));
    REQUIRE(omitted_parsed);
    CHECK(omitted_parsed->signed_headers.find("x-amz-security-token") == std::string::npos);
  }
  SECTION("re-signing with long-term keys drops the stale token") {
    signer.Sign(request, TestCredentials(), TestParams());
    CHECK(FindHeader(request.headers, "x-amz-security-token") == nullptr);
    CHECK(VerifiesAsServer(request, kSecret));
  }
  SECTION("query mode puts the token in the URL, signed") {
    const std::string url =
        signer.Presign(ClientRequest("{}"), TestCredentials(token), TestParams());
    const auto query = QueryOf(url);
    REQUIRE(query.count("X-Amz-Security-Token") == 1);
    CHECK(PercentDecode(query.at("X-Amz-Security-Token")) == token);
    CHECK(query.at("X-Amz-Security-Token").find('/') == std::string::npos);
    SigV4Params params = TestParams();
    const std::string canonical = SigV4Signer::CanonicalRequest(
        "POST", url, ClientRequest("{}").headers, PercentDecode(query.at("X-Amz-SignedHeaders")),
        rekognition::detail::Sha256Hex("{}"), params);
    CHECK(canonical.find("X-Amz-Security-Token=") != std::string::npos);
    CHECK(canonical.find("X-Amz-Signature") == std::string::npos);
  }
}

TEST_CASE("SigV4 derives Host from the URL when it is absent", "[sigv4]") {
  const SigV4Signer signer;
  struct Example {
    const char* url;
    const char* host;
  };
  const Example examples[] = {
      {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
      {"http://127.0.0.1:8080", "127.0.0.1:8080"},
      {"https://example.com:443/path", "example.com"},
      {"http://example.com:80/", "example.com"},
      {"https://example.com:80/", "example.com:80"},
      {"http://[::1]:9000/x?y=1", "[::1]:9000"},
      {"https://[::1]/", "[::1]"},
      {"https://user@rekognition.local:8443/a?b#c", "rekognition.local:8443"},
  };
  for (const Example& example : examples) {
    INFO(example.url);
    HttpRequest request;
    request.url = example.url;
    signer.Sign(request, TestCredentials(), TestParams());
    const std::string* host = FindHeader(request.headers, "host");
    REQUIRE(host != nullptr);
    CHECK(*host == example.host);
    const auto parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(request));
    REQUIRE(parsed);
    CHECK(parsed->signed_headers == "host;x-amz-date");
    CHECK(VerifiesAsServer(request, kSecret));
  }

  SECTION("an existing Host header is kept as it is") {
    HttpRequest request;
    request.url = "http://127.0.0.1:8080/";
    request.headers = {{"host", "proxy.example:9999"}};
    signer.Sign(request, TestCredentials(), TestParams());
    CHECK(std::count_if(request.headers.begin(), request.headers.end(), [](const auto& h) {
            return rekognition::detail::EqualsIgnoreCase(h.first, "host");
          }) == 1);
    CHECK(*FindHeader(request.headers, "host") == "proxy.example:9999");
  }
  SECTION("query mode signs the derived Host without changing the request") {
    HttpRequest request;
    request.method = "GET";
    request.url = "http://127.0.0.1:8080/";
    const std::string url = signer.Presign(request, TestCredentials(), TestParams());
    CHECK(request.headers.empty());
    const HttpHeaders with_host = {{"Host", "127.0.0.1:8080"}};
    const std::string canonical = SigV4Signer::CanonicalRequest(
        "GET", url, with_host, "host", rekognition::detail::Sha256Hex(""), TestParams());
    CHECK(canonical.find("\nhost:127.0.0.1:8080\n") != std::string::npos);
    const auto query = QueryOf(url);
    const SigV4Scope scope{"20240501", "us-east-1", "rekognition"};
    CHECK(SigV4Signer().Signature(
              kSecret, scope, SigV4Signer::StringToSign("20240501T104000Z", scope, canonical)) ==
          query.at("X-Amz-Signature"));
  }
}

TEST_CASE("SigV4 payload hash", "[sigv4]") {
  const SigV4Signer signer;

  SECTION("the body is hashed: x-amz-content-sha256 of a known body") {
    HttpRequest request;
    request.url = "https://example.amazonaws.com/";
    const std::string body = "Param1=value1";
    request.body = body;
    SigV4Params params = TestParams();
    params.sign_body = true;
    signer.Sign(request, TestCredentials(), params);
    REQUIRE(FindHeader(request.headers, "x-amz-content-sha256") != nullptr);
    CHECK(*FindHeader(request.headers, "x-amz-content-sha256") ==
          "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    const auto parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(request));
    REQUIRE(parsed);
    CHECK(parsed->signed_headers == "host;x-amz-content-sha256;x-amz-date");
  }

  SECTION("the body is read in place, not through a stale copy") {
    std::string buffer = "abc";
    HttpRequest request;
    request.url = "https://example.amazonaws.com/";
    request.body = buffer;
    SigV4Params params = TestParams();
    params.sign_body = true;
    buffer[0] = 'x';  // the view sees the change
    signer.Sign(request, TestCredentials(), params);
    CHECK(*FindHeader(request.headers, "x-amz-content-sha256") ==
          rekognition::detail::Sha256Hex("xbc"));
  }

  SECTION("a precomputed payload_hash is used instead of hashing the body") {
    const std::string body = "the real body";
    HttpRequest hashed = ClientRequest(body);
    HttpRequest given = ClientRequest(body);
    SigV4Params params = TestParams();
    params.sign_body = true;
    params.payload_hash = "UNSIGNED-PAYLOAD";
    signer.Sign(given, TestCredentials(), params);
    CHECK(*FindHeader(given.headers, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
    const std::string canonical = SigV4Signer::CanonicalRequest(
        given.method, given.url, given.headers, SigV4Signer::SignedHeaders(given.headers, params),
        "UNSIGNED-PAYLOAD", params);
    CHECK(canonical.substr(canonical.rfind('\n') + 1) == "UNSIGNED-PAYLOAD");
    const SigV4Scope scope{"20240501", "us-east-1", "rekognition"};
    const auto parsed = SigV4Signer::ParseAuthorization(AuthorizationOf(given));
    REQUIRE(parsed);
    CHECK(parsed->signature ==
          signer.Signature(kSecret, scope,
                           SigV4Signer::StringToSign("20240501T104000Z", scope, canonical)));

    params.payload_hash.reset();
    signer.Sign(hashed, TestCredentials(), params);
    CHECK(AuthorizationOf(hashed) != AuthorizationOf(given));

    params.payload_hash = rekognition::detail::Sha256Hex(body);
    HttpRequest precomputed = ClientRequest(body);
    signer.Sign(precomputed, TestCredentials(), params);
    CHECK(AuthorizationOf(precomputed) == AuthorizationOf(hashed));
  }
}

TEST_CASE("SigV4 canonical URI and query details beyond the suite", "[sigv4]") {
  using rekognition::detail::SigV4CanonicalQuery;
  using rekognition::detail::SigV4CanonicalUri;
  CHECK(SigV4CanonicalUri("", true, true) == "/");
  CHECK(SigV4CanonicalUri("", false, true) == "/");
  CHECK(SigV4CanonicalUri("/a%20b", true, true) == "/a%2520b");  // encoded twice
  CHECK(SigV4CanonicalUri("/a%20b", false, false) == "/a%20b");  // S3: as sent
  CHECK(SigV4CanonicalUri("//a/./b/../c//", false, false) == "//a/./b/../c//");
  CHECK(SigV4CanonicalUri("/a/b/../c/./d/", true, true) == "/a/c/d/");
  CHECK(SigV4CanonicalUri("/a/b/..", true, true) == "/a/");
  CHECK(SigV4CanonicalUri("/../..", true, true) == "/");
  CHECK(SigV4CanonicalUri("/a:b@c", true, true) == "/a%3Ab%40c");

  CHECK(SigV4CanonicalQuery("", false).empty());
  CHECK(SigV4CanonicalQuery("b=2&a=1&a=0&c", false) == "a=0&a=1&b=2&c=");
  CHECK(SigV4CanonicalQuery("a=b+c&d=e%2bf&g=h i", false) == "a=b%2Bc&d=e%2Bf&g=h%20i");
  CHECK(SigV4CanonicalQuery("k=%7e%2D&&=v", false) == "=v&k=~-");
  CHECK(SigV4CanonicalQuery("a=1&X-Amz-Signature=abc", false) == "a=1");
  CHECK(SigV4CanonicalQuery("X-Amz-Security-Token=t&a=1", true) == "a=1");
  CHECK(SigV4CanonicalQuery("X-Amz-Security-Token=t&a=1", false) == "X-Amz-Security-Token=t&a=1");
  CHECK(SigV4CanonicalQuery("bad=%zz%4", false) == "bad=%25zz%254");
}

TEST_CASE("SigV4 presigned URLs", "[sigv4]") {
  const SigV4Signer signer;
  HttpRequest request;
  request.method = "GET";
  request.url = "https://bucket.s3.us-east-1.amazonaws.com/key?versionId=3#fragment";
  SigV4Params params = TestParams();
  params.service = "s3";

  SECTION("parameters follow an existing query; the fragment is dropped") {
    const std::string url = signer.Presign(request, TestCredentials(), params);
    CHECK(url.rfind("https://bucket.s3.us-east-1.amazonaws.com/key?versionId=3&X-Amz-Algorithm="
                    "AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240501%2Fus-east-1%2Fs3%"
                    "2Faws4_request&X-Amz-Date=20240501T104000Z&X-Amz-SignedHeaders=host&X-Amz-"
                    "Expires=3600&X-Amz-Signature=",
                    0) == 0);
    CHECK(url.find('#') == std::string::npos);
    CHECK(url.size() == url.find("X-Amz-Signature=") + 16 + 64);
  }
  SECTION("the expiry is bounded to 1 second .. 7 days") {
    params.expires_in = std::chrono::seconds(604800);
    CHECK(QueryOf(signer.Presign(request, TestCredentials(), params)).at("X-Amz-Expires") ==
          "604800");
    params.expires_in = std::chrono::seconds(604801);
    CHECK_THROWS_AS(signer.Presign(request, TestCredentials(), params), ConfigurationError);
    params.expires_in = std::chrono::seconds(0);
    CHECK_THROWS_AS(signer.Presign(request, TestCredentials(), params), ConfigurationError);
  }
  SECTION("the request is not changed") {
    const HttpRequest before = request;
    (void)signer.Presign(request, TestCredentials("token"), params);
    CHECK(request.url == before.url);
    CHECK(request.headers == before.headers);
  }
}

TEST_CASE("SigV4 X-Amz-Date formatting and parsing", "[sigv4]") {
  using std::chrono::system_clock;
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(0)) == "19700101T000000Z");
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(1440938160)) == "20150830T123600Z");
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(1709210096)) == "20240229T123456Z");
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(951782400)) == "20000229T000000Z");
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(-1)) == "19691231T235959Z");
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(4102444799)) == "20991231T235959Z");
  // Sub-second parts are cut, not rounded.
  CHECK(SigV4Signer::FormatAmzDate(system_clock::from_time_t(59) +
                                   std::chrono::milliseconds(999)) == "19700101T000059Z");

  for (const std::time_t t : {std::time_t{0}, std::time_t{1440938160}, std::time_t{1709210096},
                              std::time_t{-86401}, std::time_t{4102444799}}) {
    INFO(t);
    const auto parsed =
        SigV4Signer::ParseAmzDate(SigV4Signer::FormatAmzDate(system_clock::from_time_t(t)));
    REQUIRE(parsed);
    CHECK(system_clock::to_time_t(*parsed) == t);
  }
  for (const char* bad :
       {"", "20150830T123600", "20150830 123600Z", "2015083OT123600Z", "20151330T123600Z",
        "20150230T123600Z", "20230229T000000Z", "20150830T243600Z"})
    CHECK_FALSE(SigV4Signer::ParseAmzDate(bad));
}

TEST_CASE("SigV4 Authorization header parsing", "[sigv4]") {
  const auto parsed = SigV4Signer::ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,"
      "SignedHeaders=host;x-amz-date,  Signature=abcd");
  REQUIRE(parsed);
  CHECK(parsed->access_key_id == "AKID");
  CHECK(parsed->scope.ToString() == "20150830/us-east-1/iam/aws4_request");
  CHECK(parsed->signed_headers == "host;x-amz-date");
  CHECK(parsed->signature == "abcd");
  for (const char* bad :
       {"", "AWS4-HMAC-SHA256", "Basic dXNlcjpwYXNz",
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, Signature=abcd",
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, SignedHeaders=h, "
        "Signature=a",
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/other, SignedHeaders=h, "
        "Signature=a",
        "AWS4-ECDSA-P256-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, "
        "SignedHeaders=h, Signature=a"})
    CHECK_FALSE(SigV4Signer::ParseAuthorization(bad));
}

TEST_CASE("SigV4 signing from several threads at once", "[sigv4][concurrency]") {
  const SigV4Signer signer;
  const std::string body = R"({"ProjectVersionArn":"arn"})";
  const std::vector<std::string> regions = {"us-east-1", "eu-west-1",    "ap-south-1",
                                            "us-west-2", "eu-central-1", "sa-east-1"};
  std::vector<std::string> expected;
  for (const std::string& region : regions) {
    HttpRequest request = ClientRequest(body);
    SigV4Signer().Sign(request, TestCredentials("token"), TestParams(region));
    expected.push_back(AuthorizationOf(request));
  }
  constexpr int kThreads = 4;
  constexpr int kIterations = 150;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        // Six scopes for a four-entry cache: hits, misses and evictions race.
        const std::size_t which = static_cast<std::size_t>(t + i) % regions.size();
        HttpRequest request = ClientRequest(body);
        signer.Sign(request, TestCredentials("token"), TestParams(regions[which]));
        const std::string* authorization = FindHeader(request.headers, "authorization");
        if (!authorization || *authorization != expected[which]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
}

TEST_CASE("SigV4 never reveals the secret key", "[sigv4]") {
  const SigV4Signer signer;
  std::string encoded_secret;
  rekognition::detail::SigV4AppendEncoded(encoded_secret, kSecret, false);
  auto reveals = [&](const std::string& text) {
    return text.find(kSecret) != std::string::npos ||
           text.find(encoded_secret) != std::string::npos;
  };

  HttpRequest request = ClientRequest("{}");
  signer.Sign(request, TestCredentials("token"), TestParams());
  for (const auto& header : request.headers) {
    INFO(header.first);
    CHECK_FALSE(reveals(header.second));
  }
  CHECK_FALSE(reveals(request.url));
  CHECK_FALSE(reveals(signer.Presign(ClientRequest("{}"), TestCredentials("token"), TestParams())));

  auto message_of = [&](auto&& call) -> std::string {
    try {
      call();
    } catch (const rekognition::Error& e) {
      return std::string(e.what()) + " " + e.message();
    }
    FAIL("no exception");
    return {};
  };
  Credentials no_key_id = TestCredentials();
  no_key_id.access_key_id.clear();
  CHECK_THROWS_AS(signer.Sign(request, no_key_id, TestParams()), CredentialsError);
  CHECK_FALSE(reveals(message_of([&] { signer.Sign(request, no_key_id, TestParams()); })));

  SigV4Params no_region = TestParams();
  no_region.region.clear();
  CHECK_THROWS_AS(signer.Sign(request, TestCredentials(), no_region), ConfigurationError);
  CHECK_FALSE(reveals(message_of([&] { signer.Sign(request, TestCredentials(), no_region); })));

  HttpRequest relative = ClientRequest("{}");
  relative.url = "/no/host?X-Amz-Security-Token=secret-token";
  CHECK_THROWS_AS(signer.Sign(relative, TestCredentials(), TestParams()), ConfigurationError);
  const std::string message =
      message_of([&] { signer.Presign(relative, TestCredentials(), TestParams()); });
  CHECK_FALSE(reveals(message));
  CHECK(message.find("secret-token") == std::string::npos);

  HttpRequest nested = ClientRequest("{}");
  nested.url = "/login?next=https://example.com/";
  CHECK_THROWS_AS(signer.Sign(nested, TestCredentials(), TestParams()), ConfigurationError);

  Credentials no_secret = TestCredentials();
  no_secret.secret_access_key.clear();
  CHECK_THROWS_AS(signer.Presign(request, no_secret, TestParams()), CredentialsError);
}

}  // namespace sigv4_test
