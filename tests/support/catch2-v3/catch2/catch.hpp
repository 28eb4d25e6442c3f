// Catch2 v3 (e.g. Debian 13) under the Catch2 v2 header name the tests
// include; tests/CMakeLists.txt puts this directory first only with v3.
#ifndef REKOGNITION_TESTS_CATCH2_V3_COMPAT_HPP
#define REKOGNITION_TESTS_CATCH2_V3_COMPAT_HPP

#include <catch2/catch_all.hpp>

#include <string>

using Catch::Approx;

namespace Catch {
// v2's Catch::Contains string matcher.
inline Matchers::StringContainsMatcher Contains(const std::string& text,
                                                CaseSensitive sensitivity = CaseSensitive::Yes) {
  return Matchers::ContainsSubstring(text, sensitivity);
}
}  // namespace Catch

#endif  // REKOGNITION_TESTS_CATCH2_V3_COMPAT_HPP
