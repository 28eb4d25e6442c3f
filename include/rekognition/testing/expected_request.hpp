// rekognition-cpp: what a test expects a DetectCustomLabels request to look
// like, with a wildcard per field, and a readable diff against the real one.
#ifndef REKOGNITION_TESTING_EXPECTED_REQUEST_HPP
#define REKOGNITION_TESTING_EXPECTED_REQUEST_HPP

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/double_conversion.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/operations/validation.hpp"
#include "rekognition/testing/stub_assertion_error.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The wildcard: a field expected to be `Any{}` matches whatever was sent,
/// including nothing. Thread-safe (no state).
struct Any {
  bool operator==(const Any&) const noexcept { return true; }
  bool operator!=(const Any&) const noexcept { return false; }
};

/// One expected field: either a value the request must carry exactly, or
/// Any{}. For optional members the value may be std::nullopt, meaning "must
/// not be set". Implicitly built from a value or from Any{}, so
/// `expected.min_confidence = 80;` and `expected.image = Any{};` both read
/// naturally. Numbers compare exactly (the wire format round-trips doubles).
/// Thread-safe for concurrent readers.
template <typename T>
class Expect {
 public:
  /// Matches anything.
  Expect(Any) noexcept {}  // NOLINT(google-explicit-constructor): the point is implicitness

  /// Matches exactly `value` (anything T can be built from).
  template <typename U, typename = std::enable_if_t<!std::is_same_v<std::decay_t<U>, Any> &&
                                                    !std::is_same_v<std::decay_t<U>, Expect> &&
                                                    std::is_constructible_v<T, U&&>>>
  Expect(U&& value)  // NOLINT(google-explicit-constructor)
      : value_(std::in_place, std::forward<U>(value)) {}

  /// True for the wildcard.
  bool is_any() const noexcept { return !value_.has_value(); }

  /// The expected value. Throws std::logic_error for the wildcard.
  const T& value() const {
    if (!value_) throw std::logic_error("Expect::value() called on the Any wildcard");
    return *value_;
  }

  /// True when `actual` satisfies the expectation. No throw beyond T's ==.
  bool Matches(const T& actual) const { return !value_ || *value_ == actual; }

 private:
  std::optional<T> value_;
};

/// The request a test expects the code under test to send. A
/// default-constructed ExpectedRequest matches every request; one built from
/// a DetectCustomLabelsRequest matches exactly that request; then any field
/// can be relaxed to Any{}:
///
///     rekognition::ExpectedRequest expected = request;  // exact
///     expected.image = rekognition::Any{};               // but any image
///
/// Thread-safe for concurrent readers.
struct ExpectedRequest {
  Expect<std::string> project_version_arn = Any{};
  Expect<Image> image = Any{};
  Expect<std::optional<std::int64_t>> max_results = Any{};
  Expect<std::optional<double>> min_confidence = Any{};

  /// Matches any request.
  ExpectedRequest() = default;
  /// Matches exactly `request`, every member included (unset ones must stay
  /// unset). Borrowed image bytes are copied (Image::ToOwned): the
  /// expectation does not depend on the caller's buffer, which may be reused
  /// before the call is made.
  ExpectedRequest(const DetectCustomLabelsRequest& request)  // NOLINT(google-explicit-constructor)
      : project_version_arn(request.project_version_arn),
        image(request.image.ToOwned()),
        max_results(request.max_results),
        min_confidence(request.min_confidence) {}

  /// The fields of `actual` that do not satisfy this expectation, in wire
  /// order, formatted for reading (image bytes by size and SHA-256 prefix).
  /// Empty when the request matches. Thread-safe.
  std::vector<FieldDifference> Mismatches(const DetectCustomLabelsRequest& actual) const;
};

namespace detail {
namespace expect {

/// How many hex digits of the hash DescribeBytes shows: enough to tell two
/// images apart at a glance, short enough to read.
inline constexpr std::size_t kFingerprintPrefix = 12;

/// "N bytes, sha256 0123456789ab..." : names a blob (an image) by size and
/// hash prefix, never by content. Thread-safe.
REKOGNITION_INLINE std::string DescribeBytes(std::string_view bytes) {
  return std::to_string(bytes.size()) + " bytes, sha256 " +
         Sha256Hex(bytes).substr(0, kFingerprintPrefix) + "...";
}

// Long enough for any realistic ARN or key, short enough for a terminal.
inline constexpr std::size_t kDescribeMaxChars = 300;

REKOGNITION_INLINE std::string DescribeText(const std::string& value,
                                            std::size_t max_chars = kDescribeMaxChars) {
  return QuoteForMessage(value, max_chars);
}

REKOGNITION_INLINE std::string DescribeMaxResults(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("(not set)");
}

/// The shortest text that reads back as `value`.
REKOGNITION_INLINE std::string DescribeNumber(double value) {
  char buffer[32];
  return std::string(buffer, FormatShortestDouble(value, buffer));
}

REKOGNITION_INLINE std::string DescribeMinConfidence(const std::optional<double>& value) {
  return value ? DescribeNumber(*value) : std::string("(not set)");
}

/// An image as "Bytes (N bytes, sha256 PREFIX...)" or
/// "S3Object {Bucket: "b", Name: "k", Version: "v"}"; never the bytes.
REKOGNITION_INLINE std::string DescribeImage(const Image& image) {
  std::string out;
  if (const auto bytes = image.Bytes()) out = "Bytes (" + DescribeBytes(*bytes) + ")";
  if (image.s3_object) {
    if (!out.empty()) out += " and ";
    const S3Object& s3 = *image.s3_object;
    out += "S3Object {Bucket: " + DescribeText(s3.bucket) + ", Name: " + DescribeText(s3.name);
    if (s3.version) out += ", Version: " + DescribeText(*s3.version);
    out += "}";
  }
  return out.empty() ? std::string("(no image)") : out;
}

/// One line naming every member of `request`, for "unexpected call" reports.
REKOGNITION_INLINE std::string DescribeRequest(const DetectCustomLabelsRequest& request) {
  return "ProjectVersionArn=" + DescribeText(request.project_version_arn) +
         ", Image=" + DescribeImage(request.image) +
         ", MaxResults=" + DescribeMaxResults(request.max_results) +
         ", MinConfidence=" + DescribeMinConfidence(request.min_confidence);
}

/// The differences as an indented block, one field per stanza (no final
/// newline):
///   MinConfidence
///     expected: 80
///     actual:   70
REKOGNITION_INLINE std::string FormatDifferences(const std::vector<FieldDifference>& differences) {
  std::string out;
  for (const FieldDifference& d : differences) {
    if (!out.empty()) out += "\n";
    out += "  " + d.field + "\n";
    out += "    expected: " + d.expected + "\n";
    out += "    actual:   " + d.actual;
  }
  return out;
}

}  // namespace expect
}  // namespace detail

REKOGNITION_INLINE std::vector<FieldDifference> ExpectedRequest::Mismatches(
    const DetectCustomLabelsRequest& actual) const {
  std::vector<FieldDifference> out;
  if (!project_version_arn.Matches(actual.project_version_arn))
    out.push_back({"ProjectVersionArn", detail::expect::DescribeText(project_version_arn.value()),
                   detail::expect::DescribeText(actual.project_version_arn)});
  if (!image.Matches(actual.image))
    out.push_back({"Image", detail::expect::DescribeImage(image.value()),
                   detail::expect::DescribeImage(actual.image)});
  if (!max_results.Matches(actual.max_results))
    out.push_back({"MaxResults", detail::expect::DescribeMaxResults(max_results.value()),
                   detail::expect::DescribeMaxResults(actual.max_results)});
  if (!min_confidence.Matches(actual.min_confidence))
    out.push_back({"MinConfidence", detail::expect::DescribeMinConfidence(min_confidence.value()),
                   detail::expect::DescribeMinConfidence(actual.min_confidence)});
  return out;
}

namespace detail {
namespace expect {

/// One request member as (wire name, readable value).
using RenderedField = std::pair<std::string, std::string>;

REKOGNITION_INLINE std::string DescribeOptionalText(const std::optional<std::string>& value,
                                                    std::size_t max_chars) {
  return value ? DescribeText(*value, max_chars) : std::string("(not set)");
}
REKOGNITION_INLINE std::string DescribeOptionalInteger(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("(not set)");
}
REKOGNITION_INLINE std::string DescribeList(const std::vector<std::string>& values,
                                            std::size_t max_chars) {
  if (values.empty()) return "(not set)";
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + DescribeText(values[i], max_chars);
  return out + "]";
}

/// The members of each lifecycle request, in wire order.
REKOGNITION_INLINE std::vector<RenderedField> Fields(const DescribeProjectsRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"NextToken", DescribeOptionalText(r.next_token, n)},
          {"MaxResults", DescribeOptionalInteger(r.max_results)},
          {"ProjectNames", DescribeList(r.project_names, n)},
          {"Features", DescribeList(r.features, n)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const DescribeProjectVersionsRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectArn", DescribeText(r.project_arn, n)},
          {"VersionNames", DescribeList(r.version_names, n)},
          {"NextToken", DescribeOptionalText(r.next_token, n)},
          {"MaxResults", DescribeOptionalInteger(r.max_results)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const StartProjectVersionRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectVersionArn", DescribeText(r.project_version_arn, n)},
          {"MinInferenceUnits", std::to_string(r.min_inference_units)},
          {"MaxInferenceUnits", DescribeOptionalInteger(r.max_inference_units)}};
}
REKOGNITION_INLINE std::vector<RenderedField> Fields(const StopProjectVersionRequest& r,
                                                     std::size_t n = kDescribeMaxChars) {
  return {{"ProjectVersionArn", DescribeText(r.project_version_arn, n)}};
}

/// One line naming every member, for "unexpected call" reports.
template <typename Request>
std::string DescribeFields(const Request& request) {
  std::string out;
  for (const RenderedField& field : Fields(request))
    out += (out.empty() ? "" : ", ") + field.first + "=" + field.second;
  return out;
}

}  // namespace expect
}  // namespace detail

/// What a test expects a model lifecycle request (DescribeProjects,
/// DescribeProjectVersions, StartProjectVersion, StopProjectVersion) to look
/// like. Default-constructed: any request. Built from a request: exactly
/// that request (unset members must stay unset); Ignore() then relaxes
/// members by their wire name:
///
///     rekognition::ExpectedCall<rekognition::DescribeProjectVersionsRequest> expected = request;
///     expected.Ignore("NextToken");
///
/// Thread-safe for concurrent readers.
template <typename Request>
class ExpectedCall {
 public:
  /// Matches any request.
  ExpectedCall() = default;
  /// Matches exactly `request`.
  ExpectedCall(Request request)  // NOLINT(google-explicit-constructor)
      : request_(std::move(request)) {}

  /// Accepts any value of the member named `field` (e.g. "NextToken").
  /// Throws std::invalid_argument for a name the request does not have.
  ExpectedCall& Ignore(const std::string& field) {
    bool known = false;
    for (const auto& f : detail::expect::Fields(Request{})) known = known || f.first == field;
    if (!known) throw std::invalid_argument("ExpectedCall::Ignore: no member named " + field);
    ignored_.push_back(field);
    return *this;
  }

  /// The members of `actual` that differ from the expectation, in wire
  /// order. Empty when it matches. Thread-safe.
  std::vector<FieldDifference> Mismatches(const Request& actual) const {
    std::vector<FieldDifference> out;
    if (!request_) return out;
    // Compared in full, shown shortened.
    constexpr std::size_t kWhole = static_cast<std::size_t>(-1);
    const auto expected = detail::expect::Fields(*request_, kWhole);
    const auto got = detail::expect::Fields(actual, kWhole);
    const auto expected_shown = detail::expect::Fields(*request_);
    const auto got_shown = detail::expect::Fields(actual);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (std::find(ignored_.begin(), ignored_.end(), expected[i].first) != ignored_.end())
        continue;
      if (expected[i].second != got[i].second)
        out.push_back({expected[i].first, expected_shown[i].second, got_shown[i].second});
    }
    return out;
  }

 private:
  std::optional<Request> request_;
  std::vector<std::string> ignored_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_EXPECTED_REQUEST_HPP
