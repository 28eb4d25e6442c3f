// rekognition-cpp: parsing the server's Date header (for clock-skew correction).
#ifndef REKOGNITION_DETAIL_HTTP_DATE_HPP
#define REKOGNITION_DETAIL_HTTP_DATE_HPP

#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>

#include "rekognition/detail/civil_date.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses an HTTP date ("Wed, 25 Nov 2026 12:35:35 GMT", RFC 7231's
/// IMF-fixdate) or an ISO 8601 basic timestamp ("20261125T123535Z").
/// nullopt for anything else, a day the month does not have ("31 Feb")
/// included. Thread-safe.
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
  std::int64_t seconds = 0;
  if (!CivilToEpochSeconds(year, month, day, hour, minute, second, seconds)) return std::nullopt;
  return EpochToSystemTime(seconds);
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_HTTP_DATE_HPP
