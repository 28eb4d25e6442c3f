// Parsing the Date header for clock-skew correction.
#include <rekognition/detail/civil_date.hpp>
#include <rekognition/detail/http_date.hpp>
#include <rekognition/detail/iso8601.hpp>

#include <catch2/catch.hpp>

using rekognition::detail::ParseHttpDate;

namespace http_date_test {

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

TEST_CASE("days the month does not have are refused, not rolled over", "[http_date]") {
  for (const char* bad :
       {"Tue, 31 Feb 2026 12:00:00 GMT", "Sun, 29 Feb 2026 12:00:00 GMT", "20260231T120000Z",
        "Thu, 31 Apr 2026 12:00:00 GMT", "Mon, 29 Feb 2100 00:00:00 GMT"}) {
    INFO(bad);
    CHECK_FALSE(ParseHttpDate(bad));
  }
  CHECK(ParseHttpDate("Tue, 29 Feb 2000 00:00:00 GMT"));  // 400-year leap day
  CHECK_FALSE(rekognition::detail::ParseIso8601("2026-02-31T12:00:00Z"));
  CHECK_FALSE(rekognition::detail::ParseIso8601("2026-06-31T12:00:00Z"));
  CHECK(rekognition::detail::ParseIso8601("2024-02-29T12:00:00Z"));
}

TEST_CASE("one calendar: day counts and dates convert both ways", "[http_date]") {
  using rekognition::detail::CivilFromDays;
  using rekognition::detail::DaysFromCivil;
  CHECK(DaysFromCivil(1970, 1, 1) == 0);
  CHECK(DaysFromCivil(2000, 3, 1) == 11017);
  CHECK(DaysFromCivil(1969, 12, 31) == -1);
  for (std::int64_t days = -800000; days <= 800000; days += 997) {
    const auto date = CivilFromDays(days);
    INFO(days);
    REQUIRE(rekognition::detail::IsValidCivilDate(date.year, date.month, date.day));
    CHECK(DaysFromCivil(date.year, date.month, date.day) == days);
  }
}

TEST_CASE("Dates beyond the clock's range are refused, never wrapped", "[http_date]") {
  using rekognition::detail::ParseIso8601;
  const auto now = std::chrono::system_clock::now();
  // A far-future date either fits the clock (and lies ahead) or is refused;
  // converting it unchecked overflows into the past.
  for (const auto& parsed :
       {ParseIso8601("9999-12-31T23:59:59Z"), ParseHttpDate("Fri, 31 Dec 9999 23:59:59 GMT"),
        ParseIso8601("2300-01-01T00:00:00Z")}) {
    if (parsed) CHECK(*parsed > now);
  }
  const auto early = ParseIso8601("0001-01-01T00:00:00Z");
  if (early) CHECK(*early < now);
  // Inside the range nothing changes.
  const auto late = ParseIso8601("2261-12-31T23:59:59.5Z");
  REQUIRE(late);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(late->time_since_epoch()).count() ==
        9214646399LL);
}

}  // namespace http_date_test
