// Fuzz target: the model lifecycle parsers (untrusted service bytes, and the
// request parsers the local endpoint and the Stubber run on client bytes).
#include <rekognition/operations/projects_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

// Whatever parses must serialise and parse back to the same value.
template <typename T>
void RoundTripResult(std::string_view body) {
  T result;
  std::string error;
  if (!rekognition::detail::ParseResult(body, result, error)) return;
  T again;
  if (!rekognition::detail::ParseResult(rekognition::detail::SerializeResult(result), again, error))
    __builtin_trap();
  if constexpr (std::is_same_v<T, rekognition::ProjectVersionStatusResult>) {
    if (again.status != result.status || again.status_text != result.status_text) __builtin_trap();
  } else if constexpr (std::is_same_v<T, rekognition::DescribeProjectsResult>) {
    if (!(again.project_descriptions == result.project_descriptions)) __builtin_trap();
  } else {
    if (!(again.project_version_descriptions == result.project_version_descriptions))
      __builtin_trap();
  }
}

template <typename T>
void RoundTripRequest(std::string_view body) {
  T request;
  std::string error;
  if (!rekognition::detail::ParseRequest(body, request, error)) return;
  (void)rekognition::CheckRequest(request);
  T again;
  if (!rekognition::detail::ParseRequest(rekognition::detail::SerializeRequest(request), again,
                                         error) ||
      !(again == request))
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  RoundTripResult<rekognition::DescribeProjectsResult>(body);
  RoundTripResult<rekognition::DescribeProjectVersionsResult>(body);
  RoundTripResult<rekognition::ProjectVersionStatusResult>(body);
  RoundTripRequest<rekognition::DescribeProjectsRequest>(body);
  RoundTripRequest<rekognition::DescribeProjectVersionsRequest>(body);
  RoundTripRequest<rekognition::StartProjectVersionRequest>(body);
  RoundTripRequest<rekognition::StopProjectVersionRequest>(body);
  return 0;
}
