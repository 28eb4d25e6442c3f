// rekognition-cpp: parsing the server's Date header (for clock-skew correction).
#ifndef REKOGNITION_DETAIL_HTTP_DATE_HPP
#define REKOGNITION_DETAIL_HTTP_DATE_HPP

#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

REKOGNITION_INLINE bool ReadDigits(std::string_view text, std::size_t at, std::size_t count,
                                   int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 for a proleptic Gregorian date (no time zone, no libc).
REKOGNITION_INLINE long long DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long yoe = year - era * 400;
  const long long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Parses an HTTP date ("Wed, 25 Nov 2026 12:35:35 GMT", RFC 7231's
/// IMF-fixdate) or an ISO 8601 basic timestamp ("20261125T123535Z").
/// nullopt for anything else. Thread-safe.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> ParseHttpDate(
    std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() == 16 && text[8] == 'T' && text[15] == 'Z') {
    if (!ReadDigits(text, 0, 4, year) || !ReadDigits(text, 4, 2, month) ||
        !ReadDigits(text, 6, 2, day) || !ReadDigits(text, 9, 2, hour) ||
        !ReadDigits(text, 11, 2, minute) || !ReadDigits(text, 13, 2, second))
      return std::nullopt;
  } else {
    // "Www, DD Mon YYYY HH:MM:SS GMT"
    if (text.size() != 29 || text[3] != ',' || text.substr(26) != "GMT") return std::nullopt;
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string_view name = text.substr(8, 3);
    for (int i = 0; i < 12; ++i)
      if (name == kMonths[i]) month = i + 1;
    if (month == 0 || !ReadDigits(text, 5, 2, day) || !ReadDigits(text, 12, 4, year) ||
        !ReadDigits(text, 17, 2, hour) || text[19] != ':' || !ReadDigits(text, 20, 2, minute) ||
        text[22] != ':' || !ReadDigits(text, 23, 2, second))
      return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const long long seconds =
      DaysFromCivil(year, month, day) * 86400LL + hour * 3600LL + minute * 60LL + second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_HTTP_DATE_HPP
