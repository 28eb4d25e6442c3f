// rekognition-cpp: the awsJson1_1 bodies of DetectCustomLabels (request,
// result and error responses), on RapidJSON.
#ifndef REKOGNITION_OPERATIONS_JSON_CODEC_HPP
#define REKOGNITION_OPERATIONS_JSON_CODEC_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "rekognition/detail/base64.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/format_double.hpp"
#include "rekognition/detail/json.hpp"
#include "rekognition/detail/printable.hpp"
#include "rekognition/detail/redact.hpp"
#include "rekognition/detail/utf8.hpp"
#include "rekognition/detail/xml.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// How much of an error body ParseErrorResponse looks at.
inline constexpr std::size_t kMaxErrorBodyScan = 1024 * 1024;

// ---------------------------------------------------------------------------
// Writing

/// Writes `value` as Python's json.dumps would (see FormatPythonDouble),
/// except that non-finite values, which JSON cannot carry, become null.
/// `out` needs 32 chars. Returns the length. No throw.
REKOGNITION_INLINE std::size_t FormatJsonDouble(double value, char* out) noexcept {
  if (!std::isfinite(value)) {
    std::memcpy(out, "null", 4);
    return 4;
  }
  return FormatPythonDouble(value, out);
}

/// True when none of the 8 bytes of `word` needs escaping in a JSON string
/// (all are printable ASCII other than '"' and '\\'). No throw.
constexpr bool JsonPlainWord(std::uint64_t word) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
  const auto has_zero_byte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  const std::uint64_t control = (word - 0x20 * kOnes) & ~word & kHighBits;  // a byte < 0x20
  return ((word & kHighBits) | control | has_zero_byte(word ^ ('"' * kOnes)) |
          has_zero_byte(word ^ ('\\' * kOnes))) == 0;
}

/// Feeds the JSON string literal for `s` to `sink(const char*, size_t)` in
/// pieces: quotes, the short escapes, \u00XX for other control characters,
/// UTF-8 passed through, and \ufffd for each byte that is not valid UTF-8
/// (so the body is always valid JSON).
template <typename Sink>
void EscapeJsonString(std::string_view s, Sink&& sink) {
  constexpr char kHex[] = "0123456789abcdef";
  sink("\"", 1);
  std::size_t run_start = 0;
  std::size_t i = 0;
  // Whole words of plain characters (an ARN, a bucket name) are skipped 8
  // bytes at a time; the first word that needs a look ends the fast path.
  for (std::uint64_t word; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (!JsonPlainWord(word)) break;
  }
  const auto flush = [&] {
    if (i > run_start) sink(s.data() + run_start, i - run_start);
  };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(s, i);
      if (length != 0) {
        i += length;
        continue;
      }
      flush();
      sink("\\ufffd", 6);
    } else {
      flush();
      char escape[6] = {'\\', 0, 0, 0, 0, 0};
      std::size_t length = 2;
      switch (c) {
        case '"':
          escape[1] = '"';
          break;
        case '\\':
          escape[1] = '\\';
          break;
        case '\b':
          escape[1] = 'b';
          break;
        case '\f':
          escape[1] = 'f';
          break;
        case '\n':
          escape[1] = 'n';
          break;
        case '\r':
          escape[1] = 'r';
          break;
        case '\t':
          escape[1] = 't';
          break;
        default:
          escape[1] = 'u';
          escape[2] = '0';
          escape[3] = '0';
          escape[4] = kHex[c >> 4];
          escape[5] = kHex[c & 15];
          length = 6;
      }
      sink(escape, length);
    }
    ++i;
    run_start = i;
  }
  flush();
  sink("\"", 1);
}

/// A writer that only counts the bytes the real writer would produce.
class JsonSizeCounter {
 public:
  void Raw(std::string_view text) noexcept { size_ += text.size(); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char*, std::size_t n) { size_ += n; });
  }
  void Base64String(std::string_view bytes) noexcept {
    size_ += 2 + Base64EncodedLength(bytes.size());
  }
  std::size_t size() const noexcept { return size_; }

 private:
  std::size_t size_ = 0;
};

/// A writer that appends to a string (which the caller has reserved).
class JsonAppender {
 public:
  explicit JsonAppender(std::string& out) noexcept : out_(out) {}
  void Raw(std::string_view text) { out_.append(text.data(), text.size()); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char* p, std::size_t n) { out_.append(p, n); });
  }
  void Base64String(std::string_view bytes) {
    out_ += '"';
    Base64EncodeAppend(out_, bytes);
    out_ += '"';
  }

 private:
  std::string& out_;
};

/// A JsonAppender that also feeds every byte it writes to a SHA-256, once:
/// a base64 string is encoded into the body in chunks small enough to stay
/// in the CPU cache, each hashed right after it is written, so a large image
/// costs one pass over the body instead of a write and a later re-read.
class HashingJsonAppender {
 public:
  /// Appends to `out` (reserve it first) and hashes into `hash`.
  HashingJsonAppender(std::string& out, Sha256Stream& hash) noexcept
      : out_(out), hash_(hash), hashed_(out.size()) {}
  void Raw(std::string_view text) { out_.append(text.data(), text.size()); }
  void String(std::string_view text) {
    EscapeJsonString(text, [this](const char* p, std::size_t n) { out_.append(p, n); });
  }
  void Base64String(std::string_view bytes) {
    // A multiple of 3 input bytes, so the chunks' encodings join into the
    // encoding of the whole; 4 KiB of output stays in the L1 cache.
    constexpr std::size_t kChunk = 3 * 1024;
    out_ += '"';
    for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
      Base64EncodeAppend(out_, bytes.substr(at, kChunk));
      Flush();
    }
    out_ += '"';
  }
  /// Hashes what was written since the last Flush.
  void Flush() {
    hash_.Update(out_.data() + hashed_, out_.size() - hashed_);
    hashed_ = out_.size();
  }

 private:
  std::string& out_;
  Sha256Stream& hash_;
  std::size_t hashed_;
};

template <typename Writer>
void WriteJsonDouble(Writer& writer, double value) {
  char buffer[40];
  writer.Raw(std::string_view(buffer, FormatJsonDouble(value, buffer)));
}

/// Writes the request body; the same code sizes it and fills it, so the two
/// cannot disagree.
template <typename Writer>
void WriteRequestJson(const DetectCustomLabelsRequest& request, Writer& writer) {
  writer.Raw("{\"ProjectVersionArn\":");
  writer.String(request.project_version_arn);
  writer.Raw(",\"Image\":{");
  const Image& image = request.image;
  const std::optional<std::string_view> bytes = image.Bytes();
  if (bytes) {
    writer.Raw("\"Bytes\":");
    writer.Base64String(*bytes);
  }
  if (image.s3_object) {
    writer.Raw(bytes ? ",\"S3Object\":{\"Bucket\":" : "\"S3Object\":{\"Bucket\":");
    writer.String(image.s3_object->bucket);
    writer.Raw(",\"Name\":");
    writer.String(image.s3_object->name);
    if (image.s3_object->version) {
      writer.Raw(",\"Version\":");
      writer.String(*image.s3_object->version);
    }
    writer.Raw("}");
  }
  writer.Raw("}");
  if (request.max_results) {
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, *request.max_results).ptr;
    writer.Raw(",\"MaxResults\":");
    writer.Raw(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  }
  if (request.min_confidence) {
    writer.Raw(",\"MinConfidence\":");
    WriteJsonDouble(writer, *request.min_confidence);
  }
  writer.Raw("}");
}

template <typename Writer>
void WriteResultJson(const DetectCustomLabelsResult& result, Writer& writer) {
  writer.Raw("{\"CustomLabels\":[");
  bool first_label = true;
  for (const CustomLabel& label : result.custom_labels) {
    writer.Raw(first_label ? "{\"Name\":" : ",{\"Name\":");
    first_label = false;
    writer.String(label.name);
    writer.Raw(",\"Confidence\":");
    WriteJsonDouble(writer, label.confidence);
    if (label.geometry) {
      writer.Raw(",\"Geometry\":{");
      const Geometry& geometry = *label.geometry;
      if (geometry.bounding_box) {
        const BoundingBox& box = *geometry.bounding_box;
        writer.Raw("\"BoundingBox\":{\"Width\":");
        WriteJsonDouble(writer, box.width);
        writer.Raw(",\"Height\":");
        WriteJsonDouble(writer, box.height);
        writer.Raw(",\"Left\":");
        WriteJsonDouble(writer, box.left);
        writer.Raw(",\"Top\":");
        WriteJsonDouble(writer, box.top);
        writer.Raw("}");
      }
      if (!geometry.polygon.empty()) {
        writer.Raw(geometry.bounding_box ? ",\"Polygon\":[" : "\"Polygon\":[");
        bool first_point = true;
        for (const Point& point : geometry.polygon) {
          writer.Raw(first_point ? "{\"X\":" : ",{\"X\":");
          first_point = false;
          WriteJsonDouble(writer, point.x);
          writer.Raw(",\"Y\":");
          WriteJsonDouble(writer, point.y);
          writer.Raw("}");
        }
        writer.Raw("]");
      }
      writer.Raw("}");
    }
    writer.Raw("}");
  }
  writer.Raw("]}");
}

/// Exact size in bytes of SerializeRequest(request). Thread-safe.
REKOGNITION_INLINE std::size_t SerializedRequestSize(const DetectCustomLabelsRequest& request) {
  JsonSizeCounter counter;
  WriteRequestJson(request, counter);
  return counter.size();
}

/// The awsJson1_1 body of DetectCustomLabels:
/// {"ProjectVersionArn":..,"Image":{"Bytes":"<base64>"} or
/// {"S3Object":{"Bucket","Name","Version"?}},"MaxResults"?,"MinConfidence"?}.
/// Unset optional members are omitted; whatever is set is written (validate
/// first). The exact size is reserved up front and the image is base64-encoded
/// straight into the body, so the body is the only copy. Throws
/// std::bad_alloc. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::string SerializeRequest(const DetectCustomLabelsRequest& request) {
  std::string body;
  body.reserve(SerializedRequestSize(request));
  JsonAppender appender(body);
  WriteRequestJson(request, appender);
  return body;
}

/// SerializeRequest and the SHA-256 of the body (the SigV4 payload hash)
/// in one pass: the body is written once and each piece is hashed while it is
/// still in the cache. `body_sha256` receives the digest. The body is the
/// only copy of the image's bytes. Throws std::bad_alloc, or Error (code
/// "CryptoError") if libcrypto fails. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::string SerializeRequest(const DetectCustomLabelsRequest& request,
                                                Sha256Digest& body_sha256) {
  std::string body;
  body.reserve(SerializedRequestSize(request));
  Sha256Stream hash;
  HashingJsonAppender appender(body, hash);
  WriteRequestJson(request, appender);
  appender.Flush();
  body_sha256 = hash.Finish();
  return body;
}

/// The body of a successful response:
/// {"CustomLabels":[{"Name","Confidence","Geometry"?:{"BoundingBox"?:{..},"Polygon"?:[..]}}]}.
/// Numbers are printed as Python prints them (see FormatJsonDouble); absent
/// Geometry and BoundingBox and an empty Polygon are omitted. request_id and
/// attempts are not part of the body. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DetectCustomLabelsResult& result) {
  JsonSizeCounter counter;
  WriteResultJson(result, counter);
  std::string body;
  body.reserve(counter.size());
  JsonAppender appender(body);
  WriteResultJson(result, appender);
  return body;
}

// ---------------------------------------------------------------------------
// Parsing

REKOGNITION_INLINE const char* JsonTypeName(rapidjson::Type type) noexcept {
  switch (type) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "an unknown value";
}

REKOGNITION_INLINE const char* JsonTypeName(const rapidjson::Value& value) noexcept {
  return JsonTypeName(value.GetType());
}

REKOGNITION_INLINE bool JsonTypeError(std::string& error, const std::string& path,
                                      const char* expected, const rapidjson::Value& value) {
  error = path + ": expected " + expected + ", got " + JsonTypeName(value);
  return false;
}

REKOGNITION_INLINE std::string_view JsonName(const rapidjson::Value& name) noexcept {
  return std::string_view(name.GetString(), name.GetStringLength());
}

REKOGNITION_INLINE bool ReadJsonString(const rapidjson::Value& value, const std::string& path,
                                       std::string& out, std::string& error) {
  if (!value.IsString()) return JsonTypeError(error, path, "a string", value);
  out.assign(value.GetString(), value.GetStringLength());
  return true;
}

REKOGNITION_INLINE bool ReadJsonNumber(const rapidjson::Value& value, const std::string& path,
                                       double& out, std::string& error) {
  if (!value.IsNumber()) return JsonTypeError(error, path, "a number", value);
  out = value.GetDouble();
  return true;
}

REKOGNITION_INLINE bool ParseS3ObjectJson(const rapidjson::Value& value, S3Object& out,
                                          std::string& error) {
  const std::string path = "Image.S3Object";
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    if (m->value.IsNull()) continue;
    if (name == "Bucket") {
      if (!ReadJsonString(m->value, path + ".Bucket", out.bucket, error)) return false;
    } else if (name == "Name") {
      if (!ReadJsonString(m->value, path + ".Name", out.name, error)) return false;
    } else if (name == "Version") {
      std::string version;
      if (!ReadJsonString(m->value, path + ".Version", version, error)) return false;
      out.version = std::move(version);
    }
  }
  return true;
}

REKOGNITION_INLINE bool ParseImageJson(const rapidjson::Value& value, Image& out,
                                       std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, "Image", "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    if (m->value.IsNull()) continue;
    if (name == "Bytes") {
      if (!m->value.IsString()) return JsonTypeError(error, "Image.Bytes", "a string", m->value);
      std::string bytes;
      if (!Base64Decode(std::string_view(m->value.GetString(), m->value.GetStringLength()),
                        bytes)) {
        error = "Image.Bytes: not valid base64 (" + std::to_string(m->value.GetStringLength()) +
                " chars)";
        return false;
      }
      out.bytes = std::move(bytes);
    } else if (name == "S3Object") {
      S3Object object;
      if (!ParseS3ObjectJson(m->value, object, error)) return false;
      out.s3_object = std::move(object);
    }
  }
  return true;
}

/// Parses a DetectCustomLabels request body (the server side of
/// SerializeRequest; Image.Bytes is base64-decoded). Types are strict
/// (strings, an integer MaxResults, a number MinConfidence); null counts as
/// absent; unknown members are ignored. Constraints are not checked here:
/// run CheckRequest on the result. On failure returns false with `error`
/// naming the member path and leaves `out` unchanged. Throws std::bad_alloc.
/// Thread-safe for distinct outputs.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DetectCustomLabelsRequest& out,
                                     std::string& error) {
  rapidjson::Document doc;
  if (!ParseJsonDocument(body, doc, error)) return false;
  if (!doc.IsObject()) return JsonTypeError(error, "request body", "an object", doc);
  DetectCustomLabelsRequest request;
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& value = m->value;
    if (value.IsNull()) continue;
    if (name == "ProjectVersionArn") {
      if (!ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error))
        return false;
    } else if (name == "Image") {
      Image image;
      if (!ParseImageJson(value, image, error)) return false;
      request.image = std::move(image);
    } else if (name == "MaxResults") {
      if (value.IsInt64()) {
        request.max_results = value.GetInt64();
      } else if (value.IsUint64()) {
        error = "MaxResults: integer out of range";
        return false;
      } else {
        return JsonTypeError(error, "MaxResults", "an integer", value);
      }
    } else if (name == "MinConfidence") {
      double confidence = 0;
      if (!ReadJsonNumber(value, "MinConfidence", confidence, error)) return false;
      request.min_confidence = confidence;
    }
  }
  out = std::move(request);
  return true;
}

/// Reads DetectCustomLabels labels from JSON events (ParseJsonEvents, or a
/// document value's Accept) straight into CustomLabel structs, with no
/// document in between: a response body {"CustomLabels":[...]} or a single
/// label object. Types are strict, null counts as absent, unknown members
/// are skipped whatever they hold. The first value of a wrong type is
/// recorded with its path and the remaining events are only followed, so a
/// syntax error later in the text still wins, as it does with a document.
/// A response is read twice: a counting reader checks it and counts the
/// labels kept and the points of each polygon; a storing reader built from
/// it (the same events again) then sizes every vector once. Not thread-safe.
class LabelEventReader {
 public:
  /// A counting reader over a response body.
  LabelEventReader() = default;
  /// A storing reader over one label object, named `label_path` in errors.
  explicit LabelEventReader(std::string label_path)
      : single_label_(true), storing_(true), label_path_(std::move(label_path)) {}
  /// A storing reader over the response body `counted` has read.
  static LabelEventReader StoringAfter(LabelEventReader&& counted) noexcept {
    LabelEventReader reader;
    reader.second_pass_ = true;
    reader.final_array_ = counted.final_array_;
    reader.final_count_ = counted.final_count_;
    reader.polygon_sizes_ = std::move(counted.polygon_sizes_);
    return reader;
  }

  /// False once a value of a wrong type was seen; error() names it.
  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  /// The labels of the last non-null CustomLabels array (storing reader).
  std::vector<CustomLabel> TakeLabels() noexcept { return std::move(labels_); }
  /// The label read (single-label reader).
  CustomLabel TakeLabel() noexcept { return std::move(label_); }

  // RapidJSON handler events.
  bool Null() { return Scalar(rapidjson::kNullType); }
  bool Bool(bool value) { return Scalar(value ? rapidjson::kTrueType : rapidjson::kFalseType); }
  bool Int(int value) { return Number(static_cast<double>(value)); }
  bool Uint(unsigned value) { return Number(static_cast<double>(value)); }
  bool Int64(std::int64_t value) { return Number(static_cast<double>(value)); }
  bool Uint64(std::uint64_t value) { return Number(static_cast<double>(value)); }
  bool Double(double value) { return Number(value); }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return Scalar(rapidjson::kStringType, text, length);
  }
  bool StartObject() { return Open(rapidjson::kObjectType); }
  bool StartArray() { return Open(rapidjson::kArrayType); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (!ok() || skip_ > 0) return true;
    const std::string_view name(text, length);
    member_ = Member::kIgnored;
    switch (depth_ == 0 ? Context::kRoot : stack_[depth_ - 1]) {
      case Context::kBody:
        if (name == "CustomLabels") member_ = Member::kCustomLabels;
        break;
      case Context::kLabel:
        member_ = name == "Name"         ? Member::kName
                  : name == "Confidence" ? Member::kConfidence
                  : name == "Geometry"   ? Member::kGeometry
                                         : Member::kIgnored;
        break;
      case Context::kGeometry:
        member_ = name == "BoundingBox" ? Member::kBoundingBox
                  : name == "Polygon"   ? Member::kPolygon
                                        : Member::kIgnored;
        break;
      case Context::kBox:
        member_ = name == "Width"    ? Member::kWidth
                  : name == "Height" ? Member::kHeight
                  : name == "Left"   ? Member::kLeft
                  : name == "Top"    ? Member::kTop
                                     : Member::kIgnored;
        break;
      case Context::kPoint:
        member_ = name == "X" ? Member::kX : name == "Y" ? Member::kY : Member::kIgnored;
        break;
      default:
        break;
    }
    return true;
  }

 private:
  // The containers being read, outermost first.
  enum class Context : unsigned char {
    kRoot,
    kBody,
    kLabels,
    kLabel,
    kGeometry,
    kBox,
    kPolygon,
    kPoint
  };
  // What the next value is: a member of the current object, or an element.
  enum class Member : unsigned char {
    kIgnored,
    kRoot,
    kCustomLabels,
    kLabel,
    kName,
    kConfidence,
    kGeometry,
    kBoundingBox,
    kPolygon,
    kPoint,
    kWidth,
    kHeight,
    kLeft,
    kTop,
    kX,
    kY
  };

  Member Next() const noexcept {
    if (depth_ == 0) return Member::kRoot;
    switch (stack_[depth_ - 1]) {
      case Context::kLabels:
        return Member::kLabel;
      case Context::kPolygon:
        return Member::kPoint;
      default:
        return member_;
    }
  }

  std::string LabelPath() const {
    return single_label_ ? label_path_ : "CustomLabels[" + std::to_string(label_index_) + "]";
  }
  std::string PointPath() const {
    return LabelPath() + ".Geometry.Polygon[" + std::to_string(point_index_) + "]";
  }
  std::string PathOf(Member member) const {
    switch (member) {
      case Member::kRoot:
        return single_label_ ? label_path_ : "response body";
      case Member::kCustomLabels:
        return "CustomLabels";
      case Member::kLabel:
        return LabelPath();
      case Member::kName:
        return LabelPath() + ".Name";
      case Member::kConfidence:
        return LabelPath() + ".Confidence";
      case Member::kGeometry:
        return LabelPath() + ".Geometry";
      case Member::kBoundingBox:
        return LabelPath() + ".Geometry.BoundingBox";
      case Member::kPolygon:
        return LabelPath() + ".Geometry.Polygon";
      case Member::kPoint:
        return PointPath();
      case Member::kWidth:
        return LabelPath() + ".Geometry.BoundingBox.Width";
      case Member::kHeight:
        return LabelPath() + ".Geometry.BoundingBox.Height";
      case Member::kLeft:
        return LabelPath() + ".Geometry.BoundingBox.Left";
      case Member::kTop:
        return LabelPath() + ".Geometry.BoundingBox.Top";
      case Member::kX:
        return PointPath() + ".X";
      case Member::kY:
        return PointPath() + ".Y";
      case Member::kIgnored:
        break;
    }
    return std::string();
  }

  // What a member or element must be.
  static rapidjson::Type Expected(Member member) noexcept {
    switch (member) {
      case Member::kCustomLabels:
      case Member::kPolygon:
        return rapidjson::kArrayType;
      case Member::kName:
        return rapidjson::kStringType;
      case Member::kConfidence:
      case Member::kWidth:
      case Member::kHeight:
      case Member::kLeft:
      case Member::kTop:
      case Member::kX:
      case Member::kY:
        return rapidjson::kNumberType;
      default:  // the root, a label, its geometry, bounding box or a point
        return rapidjson::kObjectType;
    }
  }

  bool Fail(Member member, rapidjson::Type got) {
    error_ = PathOf(member) + ": expected " + JsonTypeName(Expected(member)) + ", got " +
             JsonTypeName(got);
    return true;  // the rest is still parsed, for its syntax
  }

  // Takes the next value's place; array elements are numbered whatever they
  // hold, null included.
  Member Consume() noexcept {
    const Member member = Next();
    member_ = Member::kIgnored;
    if (member == Member::kLabel) label_index_ = next_label_++;
    if (member == Member::kPoint) point_index_ = next_point_++;
    return member;
  }

  bool Scalar(rapidjson::Type type, const char* text = nullptr, std::size_t length = 0) {
    if (!ok() || skip_ > 0) return true;
    const Member member = Consume();
    if (member == Member::kIgnored) return true;
    if (type == rapidjson::kNullType && (member != Member::kRoot || !single_label_))
      return true;  // absent; a null response body has no labels
    if (member != Member::kName || type != rapidjson::kStringType) return Fail(member, type);
    found_ = true;
    if (storing_) label_.name.assign(text, length);
    return true;
  }

  bool Number(double value) {
    if (!ok() || skip_ > 0) return true;
    const Member member = Consume();
    if (member == Member::kIgnored) return true;
    if (Expected(member) != rapidjson::kNumberType) return Fail(member, rapidjson::kNumberType);
    if (member == Member::kConfidence) found_ = true;
    if (!storing_) return true;
    switch (member) {
      case Member::kConfidence:
        label_.confidence = value;
        break;
      case Member::kWidth:
        label_.geometry->bounding_box->width = value;
        break;
      case Member::kHeight:
        label_.geometry->bounding_box->height = value;
        break;
      case Member::kLeft:
        label_.geometry->bounding_box->left = value;
        break;
      case Member::kTop:
        label_.geometry->bounding_box->top = value;
        break;
      case Member::kX:
        label_.geometry->polygon.back().x = value;
        break;
      default:  // kY
        label_.geometry->polygon.back().y = value;
        break;
    }
    return true;
  }

  bool Open(rapidjson::Type type) {
    if (!ok() || skip_ > 0) {
      ++skip_;
      return true;
    }
    const Member member = Consume();
    if (member == Member::kIgnored) {
      ++skip_;
      return true;
    }
    if (Expected(member) != type) return Fail(member, type);
    Context context = Context::kLabel;
    switch (member) {
      case Member::kRoot:
        if (single_label_) {
          BeginLabel();
        } else {
          context = Context::kBody;
        }
        break;
      case Member::kCustomLabels:
        context = Context::kLabels;
        next_label_ = 0;
        array_count_ = 0;
        ++arrays_;
        storing_ = second_pass_ && arrays_ == final_array_;
        if (storing_) {
          labels_.clear();
          labels_.reserve(final_count_);
        }
        break;
      case Member::kLabel:
        BeginLabel();
        break;
      case Member::kGeometry:
        context = Context::kGeometry;
        found_ = true;
        if (storing_) label_.geometry.emplace();
        break;
      case Member::kBoundingBox:
        context = Context::kBox;
        if (storing_) label_.geometry->bounding_box.emplace();
        break;
      case Member::kPolygon:
        context = Context::kPolygon;
        next_point_ = 0;
        if (!second_pass_ && !single_label_) polygon_sizes_.push_back(0);
        if (storing_) {
          label_.geometry->polygon.clear();
          if (polygon_ < polygon_sizes_.size())
            label_.geometry->polygon.reserve(polygon_sizes_[polygon_]);
        }
        ++polygon_;
        break;
      default:  // kPoint
        context = Context::kPoint;
        if (!second_pass_ && !single_label_) ++polygon_sizes_.back();
        if (storing_) label_.geometry->polygon.emplace_back();
        break;
    }
    stack_[depth_++] = context;
    return true;
  }

  bool Close() {
    if (!ok()) return true;
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    member_ = Member::kIgnored;
    const Context context = stack_[--depth_];
    if (context == Context::kLabel && found_) {
      ++array_count_;
      if (storing_ && !single_label_) labels_.push_back(std::move(label_));
    } else if (context == Context::kLabels && !second_pass_) {
      final_array_ = arrays_;
      final_count_ = array_count_;
    }
    return true;
  }

  void BeginLabel() {
    found_ = false;
    if (storing_) label_ = CustomLabel();
  }

  bool single_label_ = false;
  bool second_pass_ = false;
  bool storing_ = false;  // this label's fields are kept
  std::string label_path_;
  std::string error_;
  Context stack_[8] = {};  // at most 6 deep: body, labels, label, geometry, polygon, point
  unsigned depth_ = 0;
  std::size_t skip_ = 0;  // depth inside a skipped value
  Member member_ = Member::kIgnored;
  std::size_t next_label_ = 0, label_index_ = 0;
  std::size_t next_point_ = 0, point_index_ = 0;
  bool found_ = false;  // the label has a non-null Name, Confidence or Geometry
  CustomLabel label_;
  std::vector<CustomLabel> labels_;
  std::size_t arrays_ = 0, array_count_ = 0;       // CustomLabels arrays so far, labels kept in it
  std::size_t final_array_ = 0, final_count_ = 0;  // the last array and its labels kept
  std::vector<std::size_t> polygon_sizes_;         // points of each polygon, in order
  std::size_t polygon_ = 0;                        // polygons seen
};

/// Reads one label object (a fixture's, a document's) into `out`, as
/// ParseResult reads each label. On failure returns false with `error`
/// naming the member under `path`. Throws std::bad_alloc.
REKOGNITION_INLINE bool ParseLabelJson(const rapidjson::Value& value, const std::string& path,
                                       CustomLabel& out, std::string& error) {
  LabelEventReader reader(path);
  value.Accept(reader);
  if (!reader.ok()) {
    error = reader.error();
    return false;
  }
  out = reader.TakeLabel();
  return true;
}

/// Parses a successful DetectCustomLabels response body into
/// out.custom_labels (request_id and attempts are left alone). Unknown members
/// are ignored, null counts as absent (a null array element is skipped, and
/// so is a label object with no Name, Confidence or Geometry: it carries
/// nothing, and dropping it keeps the result's memory proportional to the
/// body whatever a peer sends), and
/// an empty or all-whitespace body is an empty result, as botocore treats it.
/// A member of the wrong type fails with `error` naming its path, e.g.
/// "CustomLabels[2].Geometry.BoundingBox.Width: expected a number, got a
/// string"; invalid JSON anywhere in the body is reported before that. The
/// body is read twice as a stream of events, with no document: once to check
/// it and count, once to fill vectors sized exactly, so the memory taken is
/// the result's own (plus a few hundred bytes). The parse is iterative and
/// limited in size and depth, so no input can exhaust the stack. On failure
/// `out` is unchanged. Throws std::bad_alloc. Thread-safe for distinct
/// outputs.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DetectCustomLabelsResult& out,
                                    std::string& error) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.custom_labels.clear();
    return true;
  }
  LabelEventReader counter;
  if (!ParseJsonEvents(body, counter, error)) return false;
  if (!counter.ok()) {
    error = counter.error();
    return false;
  }
  LabelEventReader reader = LabelEventReader::StoringAfter(std::move(counter));
  if (!ParseJsonEvents(body, reader, error)) return false;
  out.custom_labels = reader.TakeLabels();
  return true;
}

// ---------------------------------------------------------------------------
// Error responses

/// The error code and message of a failed call.
struct ErrorBody {
  std::string code;
  std::string message;
};

/// The text inside the first <name>...</name> element of `xml` (attributes
/// allowed, "<name/>" is empty), or nullopt when there is none or it is
/// not closed. A plain text scan: it never fails on malformed XML.
REKOGNITION_INLINE std::optional<std::string_view> FindXmlElementText(std::string_view xml,
                                                                      std::string_view name) {
  const std::string closing = "</" + std::string(name);
  for (std::size_t pos = xml.find('<'); pos != std::string_view::npos; pos = xml.find('<', pos)) {
    ++pos;
    if (xml.substr(pos, name.size()) != name) continue;
    const std::size_t after = pos + name.size();
    if (after >= xml.size()) return std::nullopt;
    const char c = xml[after];
    if (c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n') continue;
    const std::size_t gt = xml.find('>', after);
    if (gt == std::string_view::npos) return std::nullopt;
    if (xml[gt - 1] == '/') return std::string_view();
    const std::size_t end = xml.find(closing, gt + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return xml.substr(gt + 1, end - gt - 1);
  }
  return std::nullopt;
}

/// The standard reason phrase for common statuses, else "".
REKOGNITION_INLINE const char* HttpReasonPhrase(int status) noexcept {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

/// Extracts the error code and message from a failed response, following
/// DESIGN section 4. A 5xx whose body is empty or starts with "<html>" is a
/// proxy's answer: its status is the code and the reason phrase the message,
/// as botocore reports it. Otherwise the code: JSON "__type", else the x-amzn-ErrorType header,
/// else JSON "code" or "Code", else the first XML <Code> element, each run
/// through SanitizeErrorCode and skipped when empty; else the HTTP status
/// as a string (e.g. "503"), as botocore reports it. Message:
/// JSON "message", else "Message", else XML <Message> (entities decoded),
/// else a printable excerpt of the body (at most about 200 bytes), else the
/// status's reason phrase. Content-Type is ignored. Never fails on any input
/// (only the first 1 MiB of the body is examined). Each of `secrets` is
/// replaced by "<redacted>" in every string taken from the peer (code,
/// header, message, XML text, excerpt) before it is decoded, cut or
/// sanitized. Throws std::bad_alloc. Thread-safe.
REKOGNITION_INLINE ErrorBody ParseErrorResponse(int http_status, const HttpHeaders& headers,
                                                std::string_view body,
                                                const std::vector<std::string_view>& secrets = {}) {
  constexpr std::size_t kMaxMessageBytes = 4096;
  constexpr std::size_t kExcerptBytes = 200;
  // Every string taken from the peer is redacted whole, before it is decoded
  // further, cut or sanitized, so no part of a secret survives.
  const auto redact = [&secrets](std::string_view text) {
    return RedactAll(std::string(text), secrets);
  };
  const std::string redacted_body =
      secrets.empty() ? std::string() : redact(body.substr(0, kMaxErrorBodyScan));
  const std::string_view scan =
      secrets.empty() ? body.substr(0, kMaxErrorBodyScan) : std::string_view(redacted_body);

  // A 5xx with an empty or HTML body comes from a proxy or load balancer, not
  // the service: botocore reports the status and its reason phrase.
  if (http_status >= 500) {
    const std::size_t start = scan.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || scan.substr(start, 6) == "<html>")
      return ErrorBody{std::to_string(http_status), HttpReasonPhrase(http_status)};
  }

  std::optional<std::string> json_type, json_code, json_message;
  const std::size_t first = scan.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && scan[first] == '{' && body.size() <= kMaxErrorBodyScan) {
    rapidjson::Document doc;
    std::string ignored;
    if (ParseJsonDocument(scan, doc, ignored) && doc.IsObject()) {
      const auto get = [&doc](const char* name) -> std::optional<std::string> {
        const auto m = doc.FindMember(name);
        if (m == doc.MemberEnd() || !m->value.IsString()) return std::nullopt;
        return std::string(m->value.GetString(), m->value.GetStringLength());
      };
      json_type = get("__type");
      json_code = get("code");
      if (!json_code) json_code = get("Code");
      json_message = get("message");
      if (!json_message || json_message->empty()) json_message = get("Message");
    }
  }

  ErrorBody out;
  const auto try_code = [&out, &redact](std::string_view raw) {
    if (out.code.empty()) out.code = SanitizeErrorCode(redact(raw));
  };
  if (json_type) try_code(*json_type);
  if (const std::string* header = FindHeader(headers, "x-amzn-ErrorType")) try_code(*header);
  if (json_code) try_code(*json_code);
  if (out.code.empty())
    if (const auto xml_code = FindXmlElementText(scan, "Code")) try_code(UnescapeXml(*xml_code));
  if (out.code.empty()) out.code = std::to_string(http_status);

  if (json_message && !json_message->empty()) {
    out.message = PrintableExcerpt(redact(*json_message), kMaxMessageBytes);
  } else if (const auto xml_message = FindXmlElementText(scan, "Message");
             xml_message && !xml_message->empty()) {
    out.message = PrintableExcerpt(redact(UnescapeXml(*xml_message)), kMaxMessageBytes);
  }
  if (out.message.empty()) out.message = PrintableExcerpt(scan, kExcerptBytes);
  if (out.message.empty()) out.message = HttpReasonPhrase(http_status);
  return out;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_JSON_CODEC_HPP
