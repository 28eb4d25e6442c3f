// rekognition-cpp: the DetectCustomLabels request and result types.
#ifndef REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP
#define REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rekognition/detail/posix.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Largest Image.Bytes the service model allows (5 MiB).
inline constexpr std::size_t kMaxImageBytes = 5242880;

/// An image stored in Amazon S3 (same region as the model).
struct S3Object {
  std::string bucket;                  ///< 3-255 chars of [0-9A-Za-z.-_]
  std::string name;                    ///< object key, 1-1024 chars, taken literally
  std::optional<std::string> version;  ///< object version id, 1-1024 chars if set

  bool operator==(const S3Object& o) const {
    return bucket == o.bucket && name == o.name && version == o.version;
  }
};

/// The image to analyse: exactly one of raw bytes (PNG or JPEG) or an S3 object.
///
/// The raw bytes are either owned by the request (`bytes`, set by FromBytes
/// or FromFile: the default) or borrowed from the caller (`bytes_view`, set
/// by Borrow), never both. Validation, serialization, comparison (==), the
/// Stubber's expectations and recordings treat the two alike: the same
/// bytes give the same body, the same signature and the same errors.
struct Image {
  std::optional<std::string> bytes;  ///< raw image bytes owned by the request (not base64)
  /// Raw image bytes borrowed from the caller (not base64), set by Borrow.
  /// Lifetime rule: the caller keeps the bytes alive and unchanged until the
  /// call that sends this request returns (or its future is ready or its
  /// callback has run); the request must not outlive them either. The bytes
  /// are read in place, never copied.
  std::optional<std::string_view> bytes_view;
  std::optional<S3Object> s3_object;

  /// An image from bytes in memory, owned by the image (moved in, or copied
  /// once here). No throw beyond std::bad_alloc.
  static Image FromBytes(std::string data) {
    Image image;
    image.bytes = std::move(data);
    return image;
  }
  /// An image that borrows the caller's bytes (e.g. a frame encoded into a
  /// reused buffer) instead of copying them: see bytes_view for the lifetime
  /// rule. No throw.
  static Image Borrow(std::string_view data) noexcept {
    Image image;
    image.bytes_view = data;
    return image;
  }
  /// An image in S3. `version` empty means the latest version.
  static Image FromS3(std::string bucket, std::string name,
                      std::optional<std::string> version = {}) {
    Image image;
    image.s3_object = S3Object{std::move(bucket), std::move(name), std::move(version)};
    return image;
  }
  /// Reads a local file into an image. Throws ValidationError naming the path
  /// when it is not a readable regular file (field "Image") or is larger
  /// than kMaxImageBytes (field "Image.Bytes", checked before reading).
  static Image FromFile(const std::string& path);

  /// The raw bytes, owned or borrowed (the owned ones when, wrongly, both are
  /// set); nullopt when there are none. No throw; thread-safe.
  std::optional<std::string_view> Bytes() const noexcept {
    if (bytes) return std::string_view(*bytes);
    return bytes_view;
  }
  /// A copy that owns its bytes: borrowed bytes are copied into `bytes`, so
  /// the copy may outlive the caller's buffer. Throws std::bad_alloc.
  Image ToOwned() const {
    Image copy = *this;
    if (!copy.bytes && copy.bytes_view) {
      copy.bytes = std::string(*copy.bytes_view);
      copy.bytes_view.reset();
    }
    return copy;
  }
  /// True when the image has both owned and borrowed bytes (which
  /// validation refuses). No throw.
  bool HasOwnedAndBorrowedBytes() const noexcept {
    return bytes.has_value() && bytes_view.has_value();
  }

  /// Equal when both have the same raw bytes (owned or borrowed alike) and
  /// the same S3 object.
  bool operator==(const Image& o) const {
    return Bytes() == o.Bytes() && HasOwnedAndBorrowedBytes() == o.HasOwnedAndBorrowedBytes() &&
           s3_object == o.s3_object;
  }
};

/// Input of DetectCustomLabels. Unset optional members are not sent.
struct DetectCustomLabelsRequest {
  /// ARN of the model version, e.g.
  /// "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000".
  std::string project_version_arn;
  Image image;
  /// Maximum labels to return (>= 0); service default is unlimited.
  std::optional<std::int64_t> max_results;
  /// Minimum confidence (0-100) of returned labels; service default is the
  /// model's calibrated threshold.
  std::optional<double> min_confidence;

  bool operator==(const DetectCustomLabelsRequest& o) const {
    return project_version_arn == o.project_version_arn && image == o.image &&
           max_results == o.max_results && min_confidence == o.min_confidence;
  }
};

/// Box as ratios of the image width and height (0-1), origin top-left.
struct BoundingBox {
  double width = 0;
  double height = 0;
  double left = 0;
  double top = 0;
  bool operator==(const BoundingBox& o) const {
    return width == o.width && height == o.height && left == o.left && top == o.top;
  }
};

/// A polygon vertex as ratios of the image width and height.
struct Point {
  double x = 0;
  double y = 0;
  bool operator==(const Point& o) const { return x == o.x && y == o.y; }
};

/// Where a label is in the image (object-detection models only).
struct Geometry {
  std::optional<BoundingBox> bounding_box;
  std::vector<Point> polygon;
  bool operator==(const Geometry& o) const {
    return bounding_box == o.bounding_box && polygon == o.polygon;
  }
};

/// One label the model found.
struct CustomLabel {
  std::string name;
  double confidence = 0;  ///< 0-100
  std::optional<Geometry> geometry;
  bool operator==(const CustomLabel& o) const {
    return name == o.name && confidence == o.confidence && geometry == o.geometry;
  }
};

/// Output of DetectCustomLabels.
struct DetectCustomLabelsResult {
  std::vector<CustomLabel> custom_labels;
  std::string request_id;  ///< x-amzn-RequestId of the successful attempt
  int attempts = 0;        ///< attempts the call took, including the first
};

REKOGNITION_INLINE Image Image::FromFile(const std::string& path) {
  const auto fail = [&path](const std::string& reason) {
    return ValidationError("Image", "readable file",
                           "Image: cannot read file '" + path + "': " + reason);
  };
  const auto too_large = [&path](unsigned long long file_size) {
    return ValidationError("Image.Bytes", "at most " + std::to_string(kMaxImageBytes) + " bytes",
                           "Image.Bytes: file '" + path + "' has " + std::to_string(file_size) +
                               " bytes, more than the " + std::to_string(kMaxImageBytes) +
                               " bytes the service accepts");
  };
  // Look before reading: a 1 GB file would be read whole just to be refused.
  // (detail/posix.hpp rather than <filesystem> and <fstream>, which would cost
  // every translation unit including this header far more to compile.)
  const detail::PathStatus status = detail::StatPath(path);
  if (!status.found) throw fail(std::strerror(status.error_number));
  if (!status.regular) throw fail("not a regular file");
  if (status.size > kMaxImageBytes) throw too_large(status.size);
  // Opening never waits: a FIFO put in the file's place is refused.
  std::string data;
  data.reserve(static_cast<std::size_t>(status.size));
  const detail::FileReadResult read = detail::ReadRegularFile(path, kMaxImageBytes, data);
  switch (read.status) {
    case detail::FileReadStatus::kRead:
      break;
    case detail::FileReadStatus::kNotRegular:
      throw fail("not a regular file");
    case detail::FileReadStatus::kTooLarge:  // it grew since stat
      throw too_large(static_cast<unsigned long long>(kMaxImageBytes) + 1);
    case detail::FileReadStatus::kMissing:
    case detail::FileReadStatus::kOpenFailed:
    case detail::FileReadStatus::kReadFailed:
      throw fail(std::strerror(read.error_number));
  }
  return FromBytes(std::move(data));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_DETECT_CUSTOM_LABELS_HPP
