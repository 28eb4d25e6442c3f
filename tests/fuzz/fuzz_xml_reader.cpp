// Fuzz target: the XML reader behind STS responses (any bytes a peer or proxy may send).
#include <rekognition/detail/xml.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

// Every element the reader returns respects the limits it was given.
std::size_t CountAndCheck(const rekognition::detail::XmlElement& element, std::size_t depth) {
  if (depth > 8 || element.name.empty()) __builtin_trap();
  std::size_t count = 1;
  for (const auto& child : element.children) count += CountAndCheck(child, depth + 1);
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  rekognition::detail::XmlLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 8;
  limits.max_elements = 256;
  rekognition::detail::XmlElement root;
  std::string error;
  if (rekognition::detail::ParseXml(text, root, error, limits)) {
    if (!error.empty() || CountAndCheck(root, 1) > limits.max_elements) __builtin_trap();
    (void)root.Find({"AssumeRoleResult", "Credentials", "AccessKeyId"});
  } else if (error.empty()) {
    __builtin_trap();  // a refusal always says why
  }
  return 0;
}
