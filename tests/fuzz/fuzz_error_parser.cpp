// Fuzz target: error responses (JSON, XML, HTML or garbage from any peer or proxy).
#include <rekognition/operations/json_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int status = 300 + data[0] * 2 + (data[1] & 1);
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  rekognition::HttpHeaders headers;
  if (data[1] & 2) headers.emplace_back("x-amzn-ErrorType", std::string(body.substr(0, 40)));
  const auto error = rekognition::detail::ParseErrorResponse(status, headers, body);
  if (error.code.empty()) __builtin_trap();  // there is always a code
  return 0;
}
