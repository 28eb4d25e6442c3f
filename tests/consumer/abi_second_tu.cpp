// See abi_main.cpp.
#include <rekognition/client.hpp>

std::size_t ConfigSizeElsewhere(const rekognition::ClientConfig& config) { return sizeof config; }
