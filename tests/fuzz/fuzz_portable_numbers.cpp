// Fuzz target: the portable number conversions (the path taken where the
// standard library has no floating-point <charconv>) on untrusted text,
// judged by strtod, and the response parser and serializer on that path.
#define REKOGNITION_NO_FLOAT_CHARCONV 1
#include <rekognition/detail/double_conversion.hpp>
#include <rekognition/detail/format_double.hpp>
#include <rekognition/operations/json_codec.hpp>

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rekognition::DetectCustomLabelsResult result;
  std::string error;
  if (rekognition::detail::ParseResult(text, result, error)) {
    const std::string again = rekognition::detail::SerializeResult(result);
    rekognition::DetectCustomLabelsResult reparsed;
    if (!rekognition::detail::ParseResult(again, reparsed, error)) __builtin_trap();
    if (rekognition::detail::SerializeResult(reparsed) != again) __builtin_trap();
  }
  double value = 0;
  if (rekognition::detail::ParseDecimalDoublePortable(text, value) ==
      rekognition::detail::DecimalParse::kOk) {
    errno = 0;
    char* end = nullptr;
    const double expected = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) __builtin_trap();  // JSON numbers are strtod numbers
    if (std::memcmp(&value, &expected, sizeof value) != 0) __builtin_trap();
    char printed[32];
    const std::string shortest(printed, rekognition::detail::FormatPythonDouble(value, printed));
    if (std::strtod(shortest.c_str(), nullptr) != value) __builtin_trap();
  }
  return 0;
}
