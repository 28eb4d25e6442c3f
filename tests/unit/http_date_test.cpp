// Parsing the Date header for clock-skew correction.
#include <rekognition/detail/http_date.hpp>

#include <catch2/catch.hpp>

using rekognition::detail::ParseHttpDate;

TEST_CASE("HTTP dates and ISO 8601 basic timestamps parse to the right instant", "[http_date]") {
  auto t = ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT");
  REQUIRE(t);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() ==
        1440938160);
  t = ParseHttpDate("20150830T123600Z");
  REQUIRE(t);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() ==
        1440938160);
  t = ParseHttpDate("Thu, 29 Feb 2024 23:59:59 GMT");
  REQUIRE(t);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() ==
        1709251199);
}

TEST_CASE("malformed dates are refused", "[http_date]") {
  for (const char* bad : {"", "yesterday", "Sun, 30 Aug 2015 12:36:00 UTC",
                          "Sun, 30 Foo 2015 12:36:00 GMT", "Sun, 30 Aug 2015 25:36:00 GMT",
                          "20150830T1236Z", "2015083XT123600Z", "Sun, 32 Aug 2015 12:36:00 GMT"}) {
    INFO(bad);
    CHECK_FALSE(ParseHttpDate(bad));
  }
}
