// rekognition-cpp: proleptic Gregorian calendar arithmetic (no time zone, no libc).
#ifndef REKOGNITION_DETAIL_CIVIL_DATE_HPP
#define REKOGNITION_DETAIL_CIVIL_DATE_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// A calendar date: year, month 1-12, day 1-31.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// True for a leap year of the proleptic Gregorian calendar. Thread-safe.
constexpr bool IsLeapYear(std::int64_t year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Days in `month` (1-12) of `year`; 0 for a month out of range. Thread-safe.
constexpr unsigned DaysInMonth(std::int64_t year, unsigned month) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// True when year-month-day names a real day ("31 Feb" does not). Thread-safe.
constexpr bool IsValidCivilDate(std::int64_t year, unsigned month, unsigned day) noexcept {
  return day >= 1 && day <= DaysInMonth(year, month);
}

/// Days since 1970-01-01 of a proleptic Gregorian date (400-year eras, exact
/// for any year). The date is not checked: validate it first. Thread-safe.
constexpr std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The calendar date `days` days after 1970-01-01 (the inverse of
/// DaysFromCivil). Thread-safe.
constexpr CivilDate CivilFromDays(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<std::int64_t>(yoe) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

/// Reads `count` decimal digits of `text` at `at` into `out`; false when
/// they are not all there or not all digits. Thread-safe.
constexpr bool ReadDigits(std::string_view text, std::size_t at, std::size_t count,
                          int& out) noexcept {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

/// Seconds since the epoch of a UTC date and time whose fields have already
/// been read; false (nothing written) unless the date exists and the time is
/// within 00:00:00-23:59:60. Thread-safe.
constexpr bool CivilToEpochSeconds(int year, int month, int day, int hour, int minute, int second,
                                   std::int64_t& out) noexcept {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60)
    return false;
  if (!IsValidCivilDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day)))
    return false;
  out = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  return true;
}

/// The system_clock instant `seconds` plus `nanos` (0 to 999,999,999) after
/// the epoch, or nullopt when the clock cannot hold it: libstdc++ counts
/// nanoseconds in 64 bits (years 1678 to 2261), and converting a later date
/// would overflow. Thread-safe.
REKOGNITION_INLINE std::optional<std::chrono::system_clock::time_point> EpochToSystemTime(
    std::int64_t seconds, std::int64_t nanos = 0) {
  using Duration = std::chrono::system_clock::duration;
  constexpr std::int64_t kMax =
      std::chrono::duration_cast<std::chrono::seconds>(Duration::max()).count() - 1;
  constexpr std::int64_t kMin =
      std::chrono::duration_cast<std::chrono::seconds>(Duration::min()).count() + 1;
  if (seconds > kMax || seconds < kMin) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<Duration>(std::chrono::seconds(seconds)) +
      std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(nanos)));
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_CIVIL_DATE_HPP
