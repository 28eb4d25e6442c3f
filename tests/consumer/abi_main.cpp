// Built with REKOGNITION_WITH_CURL=0 or 1; abi_second_tu.cpp defines the
// function below. When both agree the program links and the sizes match;
// when they differ, ClientConfig is a different type in each (the inline
// namespace encodes the setting) and the link must fail.
#include <rekognition/client.hpp>

#include <cstdio>

std::size_t ConfigSizeElsewhere(const rekognition::ClientConfig& config);

int main() {
  rekognition::ClientConfig config;
  const std::size_t here = sizeof config;
  const std::size_t there = ConfigSizeElsewhere(config);
  std::printf("sizeof(ClientConfig): %zu here, %zu in the other translation unit\n", here, there);
  return here == there ? 0 : 1;
}
