// rekognition-cpp: image format detection and PNG/JPEG dimension reading.
#ifndef REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP
#define REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// The image formats the service accepts, by magic bytes.
enum class ImageFormat { kUnknown, kPng, kJpeg };

/// What the header says about an image. width and height are 0 when the
/// format is recognised but the dimensions could not be read.
struct ImageInfo {
  ImageFormat format = ImageFormat::kUnknown;
  std::uint32_t width = 0;
  std::uint32_t height = 0;

  /// True when both dimensions were read (and are non-zero).
  bool HasDimensions() const noexcept { return width != 0 && height != 0; }
};

/// Returns "PNG", "JPEG" or "unknown". Thread-safe, no throw.
REKOGNITION_INLINE const char* ImageFormatName(ImageFormat format) noexcept {
  switch (format) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

/// Identifies PNG (the 8-byte signature) or JPEG (FF D8 FF) by magic bytes.
/// Thread-safe, no throw.
REKOGNITION_INLINE ImageFormat DetectImageFormat(std::string_view bytes) noexcept {
  constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
  constexpr std::string_view kJpegSignature("\xff\xd8\xff", 3);
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ImageFormat::kPng;
  if (bytes.substr(0, kJpegSignature.size()) == kJpegSignature) return ImageFormat::kJpeg;
  return ImageFormat::kUnknown;
}

REKOGNITION_INLINE std::uint32_t ReadBigEndian16(std::string_view bytes, std::size_t at) noexcept {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 8 |
         static_cast<unsigned char>(bytes[at + 1]);
}

REKOGNITION_INLINE std::uint32_t ReadBigEndian32(std::string_view bytes, std::size_t at) noexcept {
  return ReadBigEndian16(bytes, at) << 16 | ReadBigEndian16(bytes, at + 2);
}

/// Dimensions from the IHDR chunk, which the PNG spec requires to come first.
REKOGNITION_INLINE ImageInfo ReadPngHeader(std::string_view bytes) noexcept {
  ImageInfo info{ImageFormat::kPng, 0, 0};
  // signature(8) length(4) "IHDR"(4) width(4) height(4)
  if (bytes.size() < 24) return info;
  if (ReadBigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") return info;
  const std::uint32_t width = ReadBigEndian32(bytes, 16);
  const std::uint32_t height = ReadBigEndian32(bytes, 20);
  // The spec caps both at 2^31 - 1; anything above is a corrupt header.
  constexpr std::uint32_t kMax = 0x7fffffffu;
  if (width == 0 || height == 0 || width > kMax || height > kMax) return info;
  info.width = width;
  info.height = height;
  return info;
}

/// Dimensions from the first SOFn segment. Walks the marker segments by
/// their lengths and never reads past the end. Like libjpeg, it tolerates
/// fill bytes (extra 0xFF) and stray bytes between segments.
REKOGNITION_INLINE ImageInfo ReadJpegHeader(std::string_view bytes) noexcept {
  ImageInfo info{ImageFormat::kJpeg, 0, 0};
  const std::size_t n = bytes.size();
  std::size_t pos = 2;  // after SOI
  while (pos < n) {
    // Find the next marker: 0xFF followed by a byte other than 0x00 / 0xFF.
    if (static_cast<unsigned char>(bytes[pos]) != 0xff) {
      ++pos;
      continue;
    }
    while (pos < n && static_cast<unsigned char>(bytes[pos]) == 0xff) ++pos;
    if (pos >= n) return info;
    const unsigned marker = static_cast<unsigned char>(bytes[pos]);
    ++pos;
    if (marker == 0x00) continue;  // stuffed byte: not a marker
    // Standalone markers carry no length: TEM and RST0-RST7.
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    // SOI again, EOI, or SOS (image data) before any frame header: no size.
    if (marker == 0xd8 || marker == 0xd9 || marker == 0xda) return info;
    if (pos + 2 > n) return info;
    const std::uint32_t length = ReadBigEndian16(bytes, pos);  // includes itself
    if (length < 2) return info;
    const bool is_sof =
        marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (is_sof) {
      // length(2) precision(1) height(2) width(2) components(1)
      if (length < 8 || pos + 8 > n) return info;
      const std::uint32_t height = ReadBigEndian16(bytes, pos + 3);
      const std::uint32_t width = ReadBigEndian16(bytes, pos + 5);
      // Height 0 means "defined later by a DNL marker", which we do not chase.
      if (width == 0 || height == 0) return info;
      info.width = width;
      info.height = height;
      return info;
    }
    pos += length;
  }
  return info;
}

/// Reads the format and dimensions from the first bytes of a PNG or JPEG.
/// Returns nullopt when the magic bytes match neither format; returns the
/// format with width == height == 0 when the format is known but the header
/// is truncated or malformed. Never reads outside `bytes`. Thread-safe, no throw.
REKOGNITION_INLINE std::optional<ImageInfo> ReadImageHeader(std::string_view bytes) noexcept {
  switch (DetectImageFormat(bytes)) {
    case ImageFormat::kPng:
      return ReadPngHeader(bytes);
    case ImageFormat::kJpeg:
      return ReadJpegHeader(bytes);
    case ImageFormat::kUnknown:
      break;
  }
  return std::nullopt;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_IMAGE_HEADER_HPP
