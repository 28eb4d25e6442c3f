// The portable double conversions (RapidJSON's Grisu2 and full-precision
// parser) against the standard library: same digits, same values. This file
// is also built with REKOGNITION_NO_FLOAT_CHARCONV (unit_tests_portable_numbers),
// so the whole codec is exercised on the portable path on every toolchain.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "rekognition/detail/double_conversion.hpp"
#include "rekognition/detail/format_double.hpp"

namespace double_conversion_test {

namespace {

using rekognition::detail::DecimalParse;
using rekognition::detail::ShortestDecimal;

std::string Digits(const ShortestDecimal& d) {
  std::string text(d.digits, static_cast<std::size_t>(d.count));
  if (text.size() > 1) text.insert(1, ".");
  return text + "e" + std::to_string(d.exponent);
}

ShortestDecimal Portable(double value) {
  ShortestDecimal out;
  rekognition::detail::ShortestDigitsPortable(std::fabs(value), out);
  return out;
}

// The C library's strtod (exact in glibc) is the independent judge.
DecimalParse Strtod(const std::string& text, double& out) {
  errno = 0;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return DecimalParse::kInvalid;
  if (errno == ERANGE && std::isinf(out)) return DecimalParse::kOverflow;
  return DecimalParse::kOk;
}

void CheckParsesLikeStrtod(const std::string& text) {
  const std::string shown =
      text.size() > 200 ? text.substr(0, 100) + "...(" + std::to_string(text.size()) + " chars)"
                        : text;
  INFO(shown);
  double expected = 0;
  const DecimalParse expected_result = Strtod(text, expected);
  double actual = 0;
  const DecimalParse result = rekognition::detail::ParseDecimalDoublePortable(text, actual);
  REQUIRE(static_cast<int>(result) == static_cast<int>(expected_result));
  if (result == DecimalParse::kOk) {
    REQUIRE(std::memcmp(&actual, &expected, sizeof actual) == 0);
    double dispatched = 0;
    REQUIRE(rekognition::detail::ParseDecimalDouble(text, dispatched) == DecimalParse::kOk);
    if (expected == 0 || std::fabs(expected) >= DBL_MIN) {
      // (libstdc++'s from_chars reports subnormals as out of range.)
      REQUIRE(std::memcmp(&dispatched, &expected, sizeof actual) == 0);
    }
  }
}

double RandomFinite(std::mt19937_64& rng) {
  double value;
  do {
    const std::uint64_t bits = rng();
    std::memcpy(&value, &bits, sizeof value);
  } while (!std::isfinite(value));
  return value;
}

// Doubles where shortest-digit algorithms go wrong: powers of two (asymmetric
// rounding intervals), the ends of the range, subnormals, round decimals.
std::vector<double> HardDoubles() {
  std::vector<double> values = {DBL_MAX,
                                DBL_MIN,
                                DBL_TRUE_MIN,
                                DBL_EPSILON,
                                0.1,
                                0.2,
                                0.3,
                                1.0 / 3,
                                2.0 / 3,
                                98.61,
                                80.0,
                                77.7729721069336,
                                1e21,
                                1e22,
                                1e23,
                                9007199254740993.0,
                                5e-324,
                                1e-323,
                                2.2250738585072009e-308,
                                1.7976931348623157e308,
                                123456789012345678.0,
                                0.000123,
                                1e-5};
  for (int e = -1074; e <= 1023; ++e) {
    values.push_back(std::ldexp(1.0, e));
    values.push_back(std::nextafter(std::ldexp(1.0, e), 0.0));
    values.push_back(std::nextafter(std::ldexp(1.0, e), HUGE_VAL));
  }
  for (int e = -323; e <= 308; ++e) values.push_back(std::pow(10.0, e));
  for (int i = 1; i < 100000; i += 7) values.push_back(i / 100.0);
  return values;
}

}  // namespace

TEST_CASE("the portable shortest digits equal std::to_chars and read back", "[double]") {
  std::mt19937_64 rng(20261201);
  std::vector<double> values = HardDoubles();
  for (int i = 0; i < 200000; ++i) values.push_back(RandomFinite(rng));
  for (const double value : values) {
    if (value == 0) continue;
    const ShortestDecimal portable = Portable(value);
    const std::string text = Digits(portable);
    INFO(text);
    // Reads back exactly (strtod as the judge) ...
    REQUIRE(std::strtod(text.c_str(), nullptr) == std::fabs(value));
    // ... and no shorter decimal does (the nearest ones of each length).
    if (portable.count > 1) {
      char shorter[48];
      std::snprintf(shorter, sizeof shorter, "%.*e", portable.count - 2, std::fabs(value));
      REQUIRE(std::strtod(shorter, nullptr) != std::fabs(value));
    }
#if REKOGNITION_STD_FLOAT_CHARCONV
    char expected[48];
    const auto end = std::to_chars(expected, expected + sizeof expected, std::fabs(value),
                                   std::chars_format::scientific)
                         .ptr;
    const std::string scientific(expected, end);
    const std::size_t e = scientific.find('e');
    const std::string want =
        scientific.substr(0, e) + "e" + std::to_string(std::stoi(scientific.substr(e + 1)));
    REQUIRE(text == want);
#endif
  }
}

TEST_CASE("FormatShortestDouble prints what std::to_chars prints", "[double]") {
  const std::vector<std::pair<double, std::string>> cases = {
      {80, "80"},
      {98.61, "98.61"},
      {0.0001, "1e-04"},
      {0.001, "0.001"},
      {1e-5, "1e-05"},
      {1e20, "1e+20"},
      {123456, "123456"},
      {0, "0"},
      {-0.0, "-0"},
      {1.5, "1.5"},
      {1e100, "1e+100"},
      {5e-324, "5e-324"},
      {-2.5e-7, "-2.5e-07"},
      {1234567.0, "1234567"},
      {120000000.0, "1.2e+08"},
      {1e9, "1e+09"},
      {36028797018963968.0, "36028797018963968"}};
  for (const auto& [value, expected] : cases) {
    char buffer[32];
    CHECK(std::string(buffer, rekognition::detail::FormatShortestDouble(value, buffer)) ==
          expected);
  }
#if REKOGNITION_STD_FLOAT_CHARCONV
  std::mt19937_64 rng(7);
  std::vector<double> values = HardDoubles();
  for (int i = 0; i < 20000; ++i) values.push_back(RandomFinite(rng));
  for (int i = 0; i < 20000; ++i) values.push_back(static_cast<double>(rng() % 100000000) / 1000);
  for (const double value : values) {
    char expected[64];
    const auto end = std::to_chars(expected, expected + sizeof expected, value).ptr;
    char buffer[32];
    REQUIRE(std::string(buffer, rekognition::detail::FormatShortestDouble(value, buffer)) ==
            std::string(expected, end));
  }
#endif
}

TEST_CASE("the portable parser rounds exactly like strtod", "[double]") {
  std::mt19937_64 rng(4242);
  // Random doubles written with 17 and with fewer digits.
  for (int i = 0; i < 50000; ++i) {
    const double value = RandomFinite(rng);
    char text[64];
    std::snprintf(text, sizeof text, "%.*e", static_cast<int>(rng() % 17), value);
    CheckParsesLikeStrtod(text);
    std::snprintf(text, sizeof text, "%.17g", value);
    CheckParsesLikeStrtod(text);
  }
  // Exact halfway points between neighbouring doubles (long double holds
  // them exactly), and a hair above and below: ties must go to even.
  for (int i = 0; i < 3000; ++i) {
    double low = RandomFinite(rng);
    if (i % 3 == 0) low = std::ldexp(static_cast<double>(rng() >> 11), -1074);  // subnormals
    low = std::fabs(low);
    const double high = std::nextafter(low, HUGE_VAL);
    if (std::isinf(high)) continue;
    const long double middle = (static_cast<long double>(low) + high) / 2;
    std::vector<char> text(1200);
    std::snprintf(text.data(), text.size(), "%.800Le", middle);
    std::string exact(text.data());
    const std::string mantissa = exact.substr(0, exact.find('e'));
    const std::string exponent = exact.substr(exact.find('e'));
    CheckParsesLikeStrtod(exact);
    CheckParsesLikeStrtod(mantissa + "0000000001" + exponent);
    std::string below = mantissa;
    while (below.back() == '0') below.pop_back();
    if (below.back() == '.') continue;
    below.back() = static_cast<char>(below.back() - 1);
    CheckParsesLikeStrtod(below + "99999999999999" + exponent);
  }
  // Long and extreme texts: no out-of-bounds access whatever the length.
  CheckParsesLikeStrtod("0." + std::string(400, '0') + "1");
  CheckParsesLikeStrtod("0." + std::string(100000, '0') + "1e100000");
  CheckParsesLikeStrtod("98.5" + std::string(300, '0'));
  CheckParsesLikeStrtod("1" + std::string(5000, '0'));
  CheckParsesLikeStrtod("1" + std::string(5000, '0') + "e-5000");
  CheckParsesLikeStrtod(std::string(2000, '9') + "e-2000");
  CheckParsesLikeStrtod("0." + std::string(2000, '9'));
  CheckParsesLikeStrtod("-0.0");
  CheckParsesLikeStrtod("0e99999999999999999999");
  CheckParsesLikeStrtod("1e99999999999999999999");
  CheckParsesLikeStrtod("1e-99999999999999999999");
  CheckParsesLikeStrtod("-1e400");
  CheckParsesLikeStrtod("1e-400");
  CheckParsesLikeStrtod("1.7976931348623157e308");
  CheckParsesLikeStrtod("1.7976931348623158e308");
  CheckParsesLikeStrtod("1.7976931348623159e308");
  CheckParsesLikeStrtod(rekognition::detail::kDoubleOverflowDigits);
  std::string just_below = rekognition::detail::kDoubleOverflowDigits;
  just_below.back() = static_cast<char>(just_below.back() - 1);
  CheckParsesLikeStrtod(just_below);
  CheckParsesLikeStrtod(just_below + std::string(500, '9'));
  CheckParsesLikeStrtod("2.4703282292062327e-324");
  CheckParsesLikeStrtod("2.4703282292062328e-324");
  CheckParsesLikeStrtod("4.9406564584124654e-324");
  for (int i = 0; i < 2000; ++i) {
    std::string digits(1 + rng() % 900, '0');
    for (char& c : digits) c = static_cast<char>('0' + rng() % 10);
    const int exponent = static_cast<int>(rng() % 1400) - 1000;
    CheckParsesLikeStrtod(digits + "e" + std::to_string(exponent));
    CheckParsesLikeStrtod("0." + digits + "e" + std::to_string(exponent));
  }
  // Refused: not JSON numbers.
  double value = 7;
  for (const char* bad : {"", "-", "1.", ".5", "1e", "1e+", "abc", "1x", "--1", "1.5.5", "1e5e5"})
    CHECK(rekognition::detail::ParseDecimalDoublePortable(bad, value) == DecimalParse::kInvalid);
  CHECK(value == 7);
}

TEST_CASE("Python-style formatting takes its digits from ShortestDigits", "[double]") {
  // The layout is the same on both paths; the digits are compared above.
  CHECK(rekognition::detail::PythonDoubleString(1e16) == "1e+16");
  CHECK(rekognition::detail::PythonDoubleString(1.5e-7) == "1.5e-07");
  CHECK(rekognition::detail::PythonDoubleString(-0.0) == "-0.0");
  CHECK(rekognition::detail::PythonDoubleString(DBL_MAX) == "1.7976931348623157e+308");
  CHECK(rekognition::detail::PythonDoubleString(DBL_TRUE_MIN) == "5e-324");
  CHECK(rekognition::detail::PythonDoubleString(123456789012345680.0) == "1.2345678901234568e+17");
  CHECK(rekognition::detail::PythonDoubleString(2.0) == "2.0");
}

}  // namespace double_conversion_test
