// Endpoint URL splitting and the Host header.
#include <rekognition/http/url.hpp>

#include <catch2/catch.hpp>

using rekognition::detail::ParseUrl;

namespace url_test {

TEST_CASE("endpoint URLs split into scheme, host, port and path", "[url]") {
  auto url = ParseUrl("https://rekognition.us-east-1.amazonaws.com");
  REQUIRE(url);
  CHECK(url->scheme == "https");
  CHECK(url->host == "rekognition.us-east-1.amazonaws.com");
  CHECK(url->path == "/");
  CHECK(url->HostHeader() == "rekognition.us-east-1.amazonaws.com");
  url = ParseUrl("HTTP://127.0.0.1:8080/prefix");
  REQUIRE(url);
  CHECK(url->scheme == "http");
  CHECK(url->HostHeader() == "127.0.0.1:8080");
  CHECK(url->path == "/prefix");
  CHECK(ParseUrl("https://example.com:443")->HostHeader() == "example.com");
  CHECK(ParseUrl("http://example.com:80/")->HostHeader() == "example.com");
  url = ParseUrl("http://[::1]:9000");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->HostHeader() == "[::1]:9000");
}

TEST_CASE("malformed endpoint URLs are refused", "[url]") {
  for (const char* bad : {"",
                          "example.com",
                          "ftp://example.com",
                          "http://",
                          "http://:80",
                          "http://a:b",
                          "http://user@host",
                          "http://host/?q=1",
                          "http://[::1",
                          "http://a b",
                          "http://host:123456",
                          "http://host:65536",
                          "http://host:99999/",
                          "http://host:0",
                          "http://[::1]:70000",
                          "http://host/a b",
                          "http://host/a\tb",
                          "http://host/\x7f",
                          " http://host",
                          "http://host/\n"}) {
    INFO(bad);
    CHECK_FALSE(ParseUrl(bad));
  }
}

TEST_CASE("ports 1 to 65535 are accepted", "[url]") {
  CHECK(ParseUrl("http://host:1"));
  CHECK(ParseUrl("http://host:65535/")->HostHeader() == "host:65535");
  CHECK(ParseUrl("http://[::1]:65535"));
}

}  // namespace url_test
