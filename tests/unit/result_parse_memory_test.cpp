// The memory a DetectCustomLabels response takes to parse: the result's own,
// with no document of several times the body on the way (measured with the
// test allocation functions, tests/support/malloc_accounting.hpp).
#include <rekognition/operations/json_codec.hpp>

#include <catch2/catch.hpp>

#include <string>

#include "malloc_accounting.hpp"

namespace result_parse_memory_test {

#if REKOGNITION_TEST_MALLOC_ACCOUNTING

namespace {

struct ParseCost {
  long long peak = 0;  // the most held at once during the parse
  long long held = 0;  // what the result holds after it
};

ParseCost MeasureParse(const std::string& body, rekognition::DetectCustomLabelsResult& result) {
  ParseCost cost;
  std::string error;
  error.reserve(256);
  testing_support::HeapUse use;
  const bool parsed = rekognition::detail::ParseResult(body, result, error);
  cost.peak = use.peak();
  cost.held = use.current();
  INFO(error);
  REQUIRE(parsed);
  return cost;
}

std::string Repeated(const std::string& head, const std::string& item, int count,
                     const std::string& tail) {
  std::string body = head;
  body.reserve(head.size() + (item.size() + 1) * static_cast<std::size_t>(count) + tail.size());
  for (int i = 0; i < count; ++i) {
    if (i > 0) body += ',';
    body += item;
  }
  return body + tail;
}

}  // namespace

TEST_CASE("a response of many tiny labels takes the result's memory to parse, and no more",
          "[json_codec][memory]") {
  // 100,000 labels of 28 bytes (2.8 MB). The result is 112 bytes a label
  // (libstdc++), 4.0 times this body; a document on the way took 2.9 times
  // the body more.
  constexpr int kLabels = 100000;
  const std::string body =
      Repeated(R"({"CustomLabels":[)", R"({"Name":"a","Confidence":1})", kLabels, "]}");
  rekognition::DetectCustomLabelsResult result;
  const ParseCost cost = MeasureParse(body, result);
  REQUIRE(result.custom_labels.size() == kLabels);
  INFO("body " << body.size() << " bytes, peak " << cost.peak << ", result " << cost.held);
  // The result is one vector sized exactly (the names fit in the strings).
  CHECK(cost.held <=
        static_cast<long long>(sizeof(rekognition::CustomLabel)) * kLabels * 101 / 100);
  // On the way, next to nothing more: no document, no doubling growth.
  CHECK(cost.peak - cost.held < static_cast<long long>(body.size() / 20));
}

TEST_CASE("a polygon of many points takes its own memory to parse, and no more",
          "[json_codec][memory]") {
  // One label with 200,000 points of 14 bytes: 16 bytes each in the result;
  // a vector grown by doubling would hold up to three times that at once.
  constexpr int kPoints = 200000;
  const std::string body = Repeated(R"({"CustomLabels":[{"Name":"p","Geometry":{"Polygon":[)",
                                    R"({"X":1,"Y":2})", kPoints, "]}}]}");
  rekognition::DetectCustomLabelsResult result;
  const ParseCost cost = MeasureParse(body, result);
  REQUIRE(result.custom_labels.size() == 1);
  REQUIRE(result.custom_labels[0].geometry->polygon.size() == kPoints);
  INFO("body " << body.size() << " bytes, peak " << cost.peak << ", result " << cost.held);
  CHECK(cost.held <= static_cast<long long>(sizeof(rekognition::Point)) * kPoints * 101 / 100);
  CHECK(cost.peak - cost.held < static_cast<long long>(body.size() / 20));
}

#endif  // REKOGNITION_TEST_MALLOC_ACCOUNTING

}  // namespace result_parse_memory_test
