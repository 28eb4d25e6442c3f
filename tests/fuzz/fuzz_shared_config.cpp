// Fuzz target: the shared config/credentials INI parser (user files of any shape).
#include <rekognition/config/shared_config.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto half = text.size() / 2;
  try {
    const auto config = rekognition::SharedConfig::Parse(text.substr(0, half), text.substr(half));
    for (const auto& name : config.ProfileNames()) (void)config.GetProfile(name).Get("region");
  } catch (const rekognition::ConfigurationError&) {
    // A profile naming a missing services section is a typed error: fine.
  }
  return 0;
}
