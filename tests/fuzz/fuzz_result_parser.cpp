// Fuzz target: the DetectCustomLabels response parser (untrusted service bytes).
#include <rekognition/operations/json_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  rekognition::DetectCustomLabelsResult result;
  std::string error;
  if (rekognition::detail::ParseResult(body, result, error)) {
    // Whatever parses must serialise and parse back to the same labels.
    const std::string again = rekognition::detail::SerializeResult(result);
    rekognition::DetectCustomLabelsResult reparsed;
    if (!rekognition::detail::ParseResult(again, reparsed, error)) __builtin_trap();
    if (reparsed.custom_labels.size() != result.custom_labels.size()) __builtin_trap();
  }
  return 0;
}
