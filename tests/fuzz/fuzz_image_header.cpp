// Fuzz target: PNG/JPEG header reading (user-supplied image bytes).
#include <rekognition/operations/image_header.hpp>
#include <rekognition/operations/validation.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)rekognition::detail::ReadImageHeader(bytes);
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000";
  request.image = rekognition::Image::FromBytes(std::string(bytes));
  (void)rekognition::CheckRequest(request);
  return 0;
}
