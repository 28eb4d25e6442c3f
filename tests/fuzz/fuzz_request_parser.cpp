// Fuzz target: the request parser and validator the local endpoint runs on
// untrusted client bytes.
#include <rekognition/operations/json_codec.hpp>
#include <rekognition/operations/validation.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  rekognition::DetectCustomLabelsRequest request;
  std::string error;
  if (rekognition::detail::ParseRequest(body, request, error)) {
    (void)rekognition::CheckRequest(request);
    const std::string again = rekognition::detail::SerializeRequest(request);
    rekognition::DetectCustomLabelsRequest reparsed;
    if (!rekognition::detail::ParseRequest(again, reparsed, error)) __builtin_trap();
    if (!(reparsed == request)) __builtin_trap();
  }
  return 0;
}
