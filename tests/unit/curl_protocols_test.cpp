// The libcurl transport refuses every scheme but http and https (no loopback
// server needed, so this runs on every toolchain and libcurl version).
#include <rekognition/http/curl_transport.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

using namespace rekognition;

namespace curl_protocols_test {

TEST_CASE("curl transport speaks only HTTP and HTTPS, on every libcurl version", "[curl]") {
  // (CURLOPT_PROTOCOLS before libcurl 7.85, CURLOPT_PROTOCOLS_STR since.)
  CurlTransport transport;
  const std::vector<std::string> urls = {"file://" REKOGNITION_SOURCE_DIR "/CMakeLists.txt",
                                         "dict://127.0.0.1:1/word"};
  for (const std::string& url : urls) {
    INFO(url);
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    const auto result = transport.Send(request);
    REQUIRE(std::holds_alternative<TransportFailure>(result));
    CHECK(std::get<TransportFailure>(result).native_code == CURLE_UNSUPPORTED_PROTOCOL);
  }
}

}  // namespace curl_protocols_test
