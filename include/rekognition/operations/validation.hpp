// rekognition-cpp: client-side validation of DetectCustomLabels requests.
#ifndef REKOGNITION_OPERATIONS_VALIDATION_HPP
#define REKOGNITION_OPERATIONS_VALIDATION_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rekognition/detail/format_double.hpp"
#include "rekognition/detail/utf8.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/image_header.hpp"
#include "rekognition/operations/validation_options.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Largest Image.Bytes the Custom Labels documentation allows for
/// DetectCustomLabels: "4 MB", which AWS counts in binary units like the
/// model's 5 MB = 5,242,880 bytes, hence 4 * 1024 * 1024.
inline constexpr std::size_t kDocumentedMaxImageBytes = 4 * 1024 * 1024;
/// Smallest width and height, in pixels, the Custom Labels documentation allows.
inline constexpr std::uint32_t kMinImageDimension = 64;
/// Largest width and height, in pixels, the Custom Labels documentation allows.
inline constexpr std::uint32_t kMaxImageDimension = 4096;
/// Largest ratio of the longer side to the shorter one (20:1) the Custom
/// Labels documentation allows.
inline constexpr std::uint32_t kMaxImageAspectRatio = 20;

/// The service exception a validation failure corresponds to; the local
/// endpoint answers with it.
enum class ValidationFailureKind {
  kInvalidParameter,    ///< InvalidParameterException (400)
  kInvalidImageFormat,  ///< InvalidImageFormatException (400)
  kImageTooLarge,       ///< ImageTooLargeException (400)
};

/// One broken rule: `field` is the AWS member path (e.g. "Image.S3Object.Bucket"),
/// `constraint` the rule in a few words, `message` a full sentence naming
/// both and the offending value (never the image bytes themselves).
struct ValidationFailure {
  std::string field;
  std::string constraint;
  std::string message;
  ValidationFailureKind kind = ValidationFailureKind::kInvalidParameter;
};

/// Returns the exception code for `kind`, e.g. "InvalidParameterException".
/// Thread-safe, no throw.
REKOGNITION_INLINE const char* ToString(ValidationFailureKind kind) noexcept {
  switch (kind) {
    case ValidationFailureKind::kInvalidImageFormat:
      return "InvalidImageFormatException";
    case ValidationFailureKind::kImageTooLarge:
      return "ImageTooLargeException";
    case ValidationFailureKind::kInvalidParameter:
      break;
  }
  return "InvalidParameterException";
}

namespace detail {

/// Quotes `value` for a message: printable ASCII kept, everything else as
/// \xNN, cut after `max_chars` with the full length noted.
REKOGNITION_INLINE std::string QuoteForMessage(std::string_view value, std::size_t max_chars = 80) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t shown = value.size() < max_chars ? value.size() : max_chars;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
  if (shown < value.size()) out += "... (" + std::to_string(value.size()) + " chars)";
  return out;
}

/// Where a ProjectVersionArn stops matching its pattern.
struct ArnMismatch {
  std::size_t position;  ///< zero-based index of the first offending character
  const char* expected;  ///< what the pattern wanted there
};

/// Matches the model's ProjectVersionArn pattern
/// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/version\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$
/// (with `versioned`), or its ProjectArn pattern
/// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$
/// (without), by hand: the separators never occur inside the character
/// classes, so one left-to-right pass decides it (no backtracking, no
/// recursion). Returns nullopt on a match. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ArnMismatch> MatchRekognitionArn(std::string_view s,
                                                                  bool versioned) noexcept {
  std::size_t pos = 0;
  const auto literal = [&](std::string_view text) {
    for (char c : text) {
      if (pos >= s.size() || s[pos] != c) return false;
      ++pos;
    }
    return true;
  };
  // The three character classes as bits of one table: a run costs one load
  // per character instead of a chain of range tests (every call validates).
  enum : unsigned char { lower_digit_dash = 1, digit = 2, name_char = 4 };
  static constexpr auto kClasses = [] {
    std::array<unsigned char, 256> classes{};
    for (int c = 'a'; c <= 'z'; ++c) classes[c] = lower_digit_dash | name_char;
    for (int c = 'A'; c <= 'Z'; ++c) classes[c] = name_char;
    for (int c = '0'; c <= '9'; ++c) classes[c] = lower_digit_dash | digit | name_char;
    classes['-'] = lower_digit_dash | name_char;
    classes['_'] = name_char;
    classes['.'] = name_char;
    return classes;
  }();
  const auto run = [&](unsigned char in_class) {
    const std::size_t start = pos;
    while (pos < s.size() && (kClasses[static_cast<unsigned char>(s[pos])] & in_class) != 0) ++pos;
    return pos - start;
  };

  if (!literal("arn:")) return ArnMismatch{pos, "\"arn:\""};
  if (run(lower_digit_dash) == 0) return ArnMismatch{pos, "a partition of [a-z0-9-]"};
  if (!literal(":rekognition:")) return ArnMismatch{pos, "\":rekognition:\""};
  if (run(lower_digit_dash) == 0) return ArnMismatch{pos, "a region of [a-z0-9-]"};
  if (!literal(":")) return ArnMismatch{pos, "\":\" after the region"};
  const std::size_t account_start = pos;
  if (run(digit) != 12) return ArnMismatch{account_start, "a 12-digit account id"};
  if (!literal(":project/")) return ArnMismatch{pos, "\":project/\""};
  std::size_t start = pos;
  std::size_t length = run(name_char);
  if (length == 0 || length > 255)
    return ArnMismatch{length == 0 ? pos : start + 255, "a project name of 1-255 [a-zA-Z0-9_.-]"};
  if (versioned) {
    if (!literal("/version/")) return ArnMismatch{pos, "\"/version/\""};
    start = pos;
    length = run(name_char);
    if (length == 0 || length > 255)
      return ArnMismatch{length == 0 ? pos : start + 255, "a version name of 1-255 [a-zA-Z0-9_.-]"};
    if (!literal("/")) return ArnMismatch{pos, "\"/\" after the version name"};
  } else if (!literal("/")) {
    return ArnMismatch{pos, "\"/\" after the project name"};
  }
  if (run(digit) == 0)
    return ArnMismatch{pos,
                       versioned ? "the version number (digits)" : "the project number (digits)"};
  if (pos != s.size())
    return ArnMismatch{
        pos, versioned ? "the end after the version number" : "the end after the project number"};
  return std::nullopt;
}

/// MatchRekognitionArn for a ProjectVersionArn. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ArnMismatch> MatchProjectVersionArn(std::string_view s) noexcept {
  return MatchRekognitionArn(s, true);
}

REKOGNITION_INLINE ValidationFailure
MakeFailure(std::string field, std::string constraint, std::string message,
            ValidationFailureKind kind = ValidationFailureKind::kInvalidParameter) {
  return ValidationFailure{std::move(field), std::move(constraint), std::move(message), kind};
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckImageBytes(
    std::string_view bytes, const ValidationOptions& options) {
  using Kind = ValidationFailureKind;
  // The texts of the messages are built only for a failure: a valid image
  // costs no allocation here.
  const auto size = [&bytes] { return std::to_string(bytes.size()) + " bytes"; };
  if (bytes.empty())
    return MakeFailure("Image.Bytes", "size 1-5242880 bytes",
                       "Image.Bytes must be 1 to 5242880 bytes long, got 0 bytes");
  if (bytes.size() > kMaxImageBytes)
    return MakeFailure("Image.Bytes", "size 1-5242880 bytes",
                       "Image.Bytes must be 1 to 5242880 bytes long, got " + size(),
                       Kind::kImageTooLarge);
  const ImageFormat format = DetectImageFormat(bytes);
  if (format == ImageFormat::kUnknown)
    return MakeFailure("Image.Bytes", "PNG or JPEG",
                       "Image.Bytes must be a PNG or JPEG image, got " + size() +
                           " that are neither (checked by magic bytes)",
                       Kind::kInvalidImageFormat);
  if (!options.check_documented_limits) return std::nullopt;

  const auto what = [&] { return std::string(ImageFormatName(format)) + " of " + size(); };
  if (bytes.size() > kDocumentedMaxImageBytes)
    return MakeFailure(
        "Image.Bytes", "size <= 4194304 bytes",
        "Image.Bytes is a " + what() + "; DetectCustomLabels accepts at most 4194304 bytes (4 MB)",
        Kind::kImageTooLarge);
  const ImageInfo info = format == ImageFormat::kPng ? ReadPngHeader(bytes) : ReadJpegHeader(bytes);
  if (!info.HasDimensions())
    return MakeFailure("Image.Bytes", "readable dimensions",
                       "Image.Bytes: could not read the dimensions of the " + what() +
                           " (truncated or malformed header)",
                       Kind::kInvalidImageFormat);
  const auto dims = [&info] {
    return std::to_string(info.width) + "x" + std::to_string(info.height);
  };
  if (info.width > kMaxImageDimension || info.height > kMaxImageDimension)
    return MakeFailure(
        "Image.Bytes", "at most 4096x4096 px",
        "Image.Bytes is a " + dims() + " px " + what() + "; each side must be at most 4096 px",
        Kind::kImageTooLarge);
  if (info.width < kMinImageDimension || info.height < kMinImageDimension)
    return MakeFailure(
        "Image.Bytes", "at least 64x64 px",
        "Image.Bytes is a " + dims() + " px " + what() + "; each side must be at least 64 px");
  const std::uint64_t longer = std::max(info.width, info.height);
  const std::uint64_t shorter = std::min(info.width, info.height);
  if (longer > shorter * kMaxImageAspectRatio)
    return MakeFailure("Image.Bytes", "aspect ratio at most 20:1",
                       "Image.Bytes is a " + dims() + " px " + what() +
                           "; the longer side may be at most 20 times the shorter one");
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckS3Object(const S3Object& object) {
  const std::string& bucket = object.bucket;
  if (bucket.size() < 3 || bucket.size() > 255)
    return MakeFailure("Image.S3Object.Bucket", "length 3-255",
                       "Image.S3Object.Bucket must be 3 to 255 characters long, got " +
                           std::to_string(bucket.size()) + ": " + QuoteForMessage(bucket));
  for (std::size_t i = 0; i < bucket.size(); ++i) {
    const char c = bucket[i];
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok)
      return MakeFailure("Image.S3Object.Bucket", "pattern [0-9A-Za-z.-_]*",
                         "Image.S3Object.Bucket may contain only 0-9, A-Z, a-z, '.', '-' and "
                         "'_', got " +
                             QuoteForMessage(std::string_view(&bucket[i], 1)) + " at position " +
                             std::to_string(i) + ": " + QuoteForMessage(bucket));
  }
  const auto check_text = [](const char* field,
                             const std::string& value) -> std::optional<ValidationFailure> {
    const std::optional<std::size_t> length = Utf8CodePoints(value);
    if (!length)
      return MakeFailure(field, "valid UTF-8",
                         std::string(field) + " must be valid UTF-8: " + QuoteForMessage(value));
    if (*length < 1 || *length > 1024)
      return MakeFailure(field, "length 1-1024",
                         std::string(field) + " must be 1 to 1024 characters long, got " +
                             std::to_string(*length) +
                             (value.empty() ? std::string() : ": " + QuoteForMessage(value)));
    return std::nullopt;
  };
  if (auto failure = check_text("Image.S3Object.Name", object.name)) return failure;
  if (object.version)
    if (auto failure = check_text("Image.S3Object.Version", *object.version)) return failure;
  return std::nullopt;
}

/// Checks an ARN (required, 20-2048 chars, a Rekognition project ARN with or
/// without its version part). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckArn(const char* field,
                                                             const std::string& arn,
                                                             bool versioned) {
  if (arn.size() >= 20 && arn.size() <= 2048 && !MatchRekognitionArn(arn, versioned))
    return std::nullopt;  // the usual case, without building any message text
  const std::string name = field;
  if (arn.empty()) return MakeFailure(name, "required", name + " is required");
  if (arn.size() < 20 || arn.size() > 2048)
    return MakeFailure(name, "length 20-2048",
                       name + " must be 20 to 2048 characters long, got " +
                           std::to_string(arn.size()) + ": " + QuoteForMessage(arn));
  if (const auto mismatch = MatchRekognitionArn(arn, versioned))
    return MakeFailure(name, "pattern",
                       name +
                           " must look like arn:<partition>:rekognition:<region>:<12-digit "
                           "account>:project/<name>/" +
                           (versioned ? "version/<name>/" : "") + "<number>; at character " +
                           std::to_string(mismatch->position + 1) + " expected " +
                           mismatch->expected + ", got " + QuoteForMessage(arn));
  return std::nullopt;
}

/// CheckArn for a ProjectVersionArn. Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckProjectVersionArn(const char* field,
                                                                           const std::string& arn) {
  return CheckArn(field, arn, true);
}

}  // namespace detail

/// Checks `request` against the service model's constraints and, unless
/// turned off in `options`, the documented Custom Labels image limits.
/// Returns the first broken rule, or nullopt when the request may be sent.
/// Reads only the image header, never decodes the image.
///
/// Kinds: non-PNG/JPEG bytes and unreadable dimensions are
/// kInvalidImageFormat; more bytes than allowed or a side above 4096 px are
/// kImageTooLarge; everything else (empty bytes, a side below 64 px and an
/// aspect ratio above 20:1 included) is kInvalidParameter. MaxResults is a 32-bit integer in the
/// model, so values above 2147483647 fail too.
///
/// Throws std::bad_alloc only. Thread-safe (reads `request` only).
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DetectCustomLabelsRequest& request, const ValidationOptions& options = {}) {
  using detail::MakeFailure;
  using detail::QuoteForMessage;
  if (auto failure =
          detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn))
    return failure;

  const Image& image = request.image;
  const std::optional<std::string_view> bytes = image.Bytes();
  if (bytes.has_value() == image.s3_object.has_value())
    return MakeFailure("Image", "exactly one of Bytes or S3Object",
                       std::string("Image must have exactly one of Bytes or S3Object, got ") +
                           (bytes ? "both" : "neither"));
  if (image.HasOwnedAndBorrowedBytes())
    return MakeFailure("Image.Bytes", "owned or borrowed, not both",
                       "Image.Bytes must be either owned (bytes) or borrowed (bytes_view), not "
                       "both");
  if (bytes) {
    if (auto failure = detail::CheckImageBytes(*bytes, options)) return failure;
  } else if (auto failure = detail::CheckS3Object(*image.s3_object)) {
    return failure;
  }

  if (request.max_results && (*request.max_results < 0 || *request.max_results > 2147483647))
    return MakeFailure("MaxResults", "integer 0-2147483647",
                       "MaxResults must be an integer from 0 to 2147483647, got " +
                           std::to_string(*request.max_results));
  if (request.min_confidence) {
    const double value = *request.min_confidence;
    if (!std::isfinite(value) || value < 0 || value > 100)
      return MakeFailure("MinConfidence", "finite number 0-100",
                         "MinConfidence must be a finite number from 0 to 100, got " +
                             detail::PythonDoubleString(value));
  }
  return std::nullopt;
}

/// Like CheckRequest, but throws ValidationError(field, constraint, message)
/// for the first broken rule. Thread-safe (reads `request` only).
REKOGNITION_INLINE void ValidateRequest(const DetectCustomLabelsRequest& request,
                                        const ValidationOptions& options = {}) {
  if (auto failure = CheckRequest(request, options))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_VALIDATION_HPP
