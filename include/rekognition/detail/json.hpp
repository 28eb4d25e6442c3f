// rekognition-cpp: the hardened JSON reader every parser of untrusted JSON
// goes through (service responses, requests, credential documents).
#ifndef REKOGNITION_DETAIL_JSON_HPP
#define REKOGNITION_DETAIL_JSON_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "rekognition/detail/double_conversion.hpp"
#include "rekognition/detail/utf8.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Largest JSON body the parsers accept. A 5 MB image is about 7 MB of
/// base64 and label lists are far smaller, so this only stops runaway input.
inline constexpr std::size_t kMaxJsonBodySize = 64 * 1024 * 1024;
/// Deepest nesting the parsers accept; the DetectCustomLabels shapes need 6.
inline constexpr unsigned kMaxJsonDepth = 128;

/// Forwards SAX events to `Handler` but stops the parse once nesting exceeds
/// `max_depth`, so hostile input cannot make the DOM or the parser stack huge.
template <typename Handler>
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(Handler& handler, unsigned max_depth) noexcept
      : handler_(handler), max_depth_(max_depth) {}
  bool Null() { return handler_.Null(); }
  bool Bool(bool b) { return handler_.Bool(b); }
  bool Int(int i) { return handler_.Int(i); }
  bool Uint(unsigned i) { return handler_.Uint(i); }
  bool Int64(std::int64_t i) { return handler_.Int64(i); }
  bool Uint64(std::uint64_t i) { return handler_.Uint64(i); }
  bool Double(double d) { return handler_.Double(d); }
  // Numbers arrive as text (kParseNumbersAsStringsFlag) and are converted
  // here (integers with std::from_chars, others with ParseDecimalDouble):
  // correctly rounded like Python, and free of RapidJSON 1.1's number
  // scanner, which reads out of bounds on fractions with very many digits.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const char* end = s + n;
    if (std::string_view(s, n).find_first_of(".eE") == std::string_view::npos) {
      if (n > 0 && s[0] == '-') {
        std::int64_t value = 0;
        const auto parsed = std::from_chars(s, end, value);
        if (parsed.ec == std::errc() && parsed.ptr == end)
          return value >= INT32_MIN ? handler_.Int(static_cast<int>(value)) : handler_.Int64(value);
      } else {
        std::uint64_t value = 0;
        const auto parsed = std::from_chars(s, end, value);
        if (parsed.ec == std::errc() && parsed.ptr == end)
          return value <= UINT32_MAX ? handler_.Uint(static_cast<unsigned>(value))
                                     : handler_.Uint64(value);
      }
      // Integers beyond 64 bits become doubles, as RapidJSON does.
    }
    // Underflow reads as (signed) zero, like Python; overflow is refused.
    double value = 0;
    if (ParseDecimalDouble(std::string_view(s, n), value) != DecimalParse::kOk) return false;
    return handler_.Double(value);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return Utf8Ok(s, n) && handler_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return Utf8Ok(s, n) && handler_.Key(s, n, copy);
  }
  bool bad_string() const noexcept { return bad_string_; }
  bool StartObject() { return Enter() && handler_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return handler_.EndObject(members);
  }
  bool StartArray() { return Enter() && handler_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return handler_.EndArray(elements);
  }
  bool too_deep() const noexcept { return too_deep_; }

 private:
  bool Enter() noexcept {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }
  // RapidJSON copies a string's bytes unchecked (checking them byte by byte
  // as it parses took longer than the rest of the parse of a base64 image);
  // each string and key is checked here instead, once, 8 bytes at a time
  // while it is ASCII. Raw bytes above 0x7F can only occur inside strings, so
  // this refuses all that RapidJSON's check did, and also the ED A0..BF bytes
  // a \u escape of a lone surrogate (\uDFFF) decodes to: every string that
  // parses can be written out and read back.
  bool Utf8Ok(const char* s, rapidjson::SizeType n) noexcept {
    if (IsValidUtf8(std::string_view(s, n))) return true;
    bad_string_ = true;
    return false;
  }
  Handler& handler_;
  unsigned max_depth_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
  bool bad_string_ = false;
};

/// Parses `text` and hands its events to `handler` (a RapidJSON SAX handler:
/// numbers arrive as Int, Uint, Int64, Uint64 or Double, strings and keys
/// as pointers valid only during the call): strict UTF-8, correctly rounded
/// numbers, iterative (no recursion), size- and depth-limited, nothing but
/// whitespace after the value. On failure sets `error` and returns false
/// (the handler may have seen the events of a prefix). Memory: RapidJSON's
/// parse stack (about the longest string or number), whatever the handler
/// keeps. Throws what the handler throws.
template <typename Handler>
bool ParseJsonEvents(std::string_view text, Handler& handler, std::string& error) {
  if (text.size() > kMaxJsonBodySize) {
    error = "body too large: " + std::to_string(text.size()) + " bytes (limit " +
            std::to_string(kMaxJsonBodySize) + ")";
    return false;
  }
  // No kParseValidateEncodingFlag: DepthLimitedHandler checks every string.
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  rapidjson::MemoryStream stream(text.data(), text.size());
  DepthLimitedHandler<Handler> limited(handler, kMaxJsonDepth);
  rapidjson::Reader reader;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, limited);
  const std::size_t consumed = stream.Tell();
  if (limited.too_deep()) {
    error = "invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  if (limited.bad_string()) {
    error = "invalid JSON before offset " + std::to_string(result.Offset()) +
            ": a string is not UTF-8 (a byte that is not, or a \\u escape of a lone UTF-16 "
            "surrogate)";
    return false;
  }
  if (result.IsError()) {
    error = "invalid JSON at offset " + std::to_string(result.Offset()) + ": " +
            rapidjson::GetParseError_En(result.Code());
    return false;
  }
  if (consumed != text.size()) {
    // RapidJSON stops at a NUL byte as if it were the end of the input.
    error = "invalid JSON at offset " + std::to_string(consumed) + ": unexpected NUL byte";
    return false;
  }
  return true;
}

/// Parses `text` into `doc` with the checks of ParseJsonEvents. A document
/// takes several times the size of the text: parsers of large bodies read
/// the events instead. On failure sets `error` and returns false.
REKOGNITION_INLINE bool ParseJsonDocument(std::string_view text, rapidjson::Document& doc,
                                          std::string& error) {
  bool parsed = false;
  auto generator = [&](rapidjson::Document& handler) {
    parsed = ParseJsonEvents(text, handler, error);
    return parsed;
  };
  doc.Populate(generator);
  return parsed;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_JSON_HPP
