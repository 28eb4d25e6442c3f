// rekognition-cpp: parsing ISO 8601 timestamps (credential expirations).
#ifndef REKOGNITION_DETAIL_ISO8601_HPP
#define REKOGNITION_DETAIL_ISO8601_HPP

#include <chrono>
#include <optional>
#include <string_view>

#include "rekognition/detail/civil_date.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses an RFC 3339 / ISO 8601 extended timestamp as credential sources
/// write it: "2026-11-25T12:35:35Z", with optional fractional seconds
/// ("...35.123Z") and a "Z" or "+HH:MM" / "-HH:MM" zone (also "+HHMM"); 't',
/// 'z' and a space instead of 'T' are accepted. nullopt for anything else.
/// Thread-safe; never throws.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> ParseIso8601(
    std::string_view text) noexcept {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ReadDigits(text, 11, 2, hour) ||
      text[13] != ':' || !ReadDigits(text, 14, 2, minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, second))
    return std::nullopt;
  std::size_t at = 19;
  long long nanos = 0;
  if (text[at] == '.' || text[at] == ',') {
    ++at;
    const std::size_t start = at;
    long long scale = 100000000;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      nanos += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
  }
  long long offset_seconds = 0;
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    // UTC
  } else if ((zone.size() == 6 || zone.size() == 5) && (zone[0] == '+' || zone[0] == '-')) {
    int zone_hours = 0, zone_minutes = 0;
    const std::size_t minutes_at = zone.size() == 6 ? 4 : 3;
    if (!ReadDigits(zone, 1, 2, zone_hours) || (zone.size() == 6 && zone[3] != ':') ||
        !ReadDigits(zone, minutes_at, 2, zone_minutes) || zone_hours > 23 || zone_minutes > 59)
      return std::nullopt;
    offset_seconds = (zone_hours * 3600LL + zone_minutes * 60LL) * (zone[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  std::int64_t local_seconds = 0;
  if (!CivilToEpochSeconds(year, month, day, hour, minute, second, local_seconds))
    return std::nullopt;
  return EpochToSystemTime(local_seconds - offset_seconds, nanos);
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_ISO8601_HPP
