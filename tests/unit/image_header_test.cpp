#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "rekognition/operations/image_header.hpp"
#include "test_images.hpp"

namespace image_header_test {

namespace {

using rekognition::detail::DetectImageFormat;
using rekognition::detail::ImageFormat;
using rekognition::detail::ImageInfo;
using rekognition::detail::ReadImageHeader;

// A JPEG built from marker segments given as raw bytes after SOI.
std::string JpegWith(const std::string& segments) { return std::string("\xff\xd8", 2) + segments; }

std::string Sof(unsigned char marker, std::uint32_t width, std::uint32_t height) {
  std::string out;
  out += '\xff';
  out += static_cast<char>(marker);
  test_images::AppendBigEndian16(out, 11);  // one component
  out += '\x08';
  test_images::AppendBigEndian16(out, height);
  test_images::AppendBigEndian16(out, width);
  out += std::string("\x01\x01\x11\x00", 4);
  return out;
}

// An APPn/COM-style segment with the given payload.
std::string Segment(unsigned char marker, const std::string& payload) {
  std::string out;
  out += '\xff';
  out += static_cast<char>(marker);
  test_images::AppendBigEndian16(out, static_cast<std::uint32_t>(payload.size() + 2));
  return out + payload;
}

void CheckSize(const std::string& bytes, ImageFormat format, std::uint32_t width,
               std::uint32_t height) {
  const std::optional<ImageInfo> info = ReadImageHeader(bytes);
  REQUIRE(info.has_value());
  CHECK(info->format == format);
  CHECK(info->width == width);
  CHECK(info->height == height);
  CHECK(info->HasDimensions());
}

void CheckNoSize(const std::string& bytes, ImageFormat format) {
  const std::optional<ImageInfo> info = ReadImageHeader(bytes);
  REQUIRE(info.has_value());
  CHECK(info->format == format);
  CHECK_FALSE(info->HasDimensions());
  CHECK(info->width == 0);
  CHECK(info->height == 0);
}

}  // namespace

TEST_CASE("image format is detected by magic bytes", "[image_header]") {
  CHECK(DetectImageFormat(test_images::Png(1, 1)) == ImageFormat::kPng);
  CHECK(DetectImageFormat(test_images::Jpeg(1, 1)) == ImageFormat::kJpeg);
  CHECK(DetectImageFormat(std::string("\x89PNG\r\n\x1a\n", 8)) == ImageFormat::kPng);
  CHECK(DetectImageFormat(std::string("\xff\xd8\xff", 3)) == ImageFormat::kJpeg);
  CHECK(DetectImageFormat("") == ImageFormat::kUnknown);
  CHECK(DetectImageFormat(std::string("\x89PNG\r\n\x1a", 7)) == ImageFormat::kUnknown);
  CHECK(DetectImageFormat(std::string("\x89PNG\r\n\x1a\x0b", 8)) == ImageFormat::kUnknown);
  CHECK(DetectImageFormat(std::string("\xff\xd8", 2)) == ImageFormat::kUnknown);
  CHECK(DetectImageFormat(std::string("\xff\xd8\x00", 3)) == ImageFormat::kUnknown);
  CHECK(DetectImageFormat("GIF89a\x01\x00\x01\x00") == ImageFormat::kUnknown);
  CHECK(DetectImageFormat("BM") == ImageFormat::kUnknown);
  CHECK(DetectImageFormat("RIFF\x10\x00\x00\x00WEBPVP8 ") == ImageFormat::kUnknown);
  CHECK_FALSE(ReadImageHeader("GIF89a\x01\x00\x01\x00").has_value());
  CHECK_FALSE(ReadImageHeader("").has_value());
}

TEST_CASE("PNG dimensions come from IHDR", "[image_header]") {
  CheckSize(test_images::Png(64, 64), ImageFormat::kPng, 64, 64);
  CheckSize(test_images::Png(1, 4097), ImageFormat::kPng, 1, 4097);
  CheckSize(test_images::Png(640, 480), ImageFormat::kPng, 640, 480);
  CheckSize(test_images::Png(0x7fffffff, 3), ImageFormat::kPng, 0x7fffffff, 3);
  CheckSize(test_images::Png(0x01020304, 0x05060708), ImageFormat::kPng, 0x01020304, 0x05060708);
}

TEST_CASE("malformed PNG headers have a format but no size", "[image_header]") {
  CheckNoSize(test_images::Png(0, 10), ImageFormat::kPng);
  CheckNoSize(test_images::Png(10, 0), ImageFormat::kPng);
  CheckNoSize(test_images::Png(0x80000000u, 10), ImageFormat::kPng);
  std::string wrong_type = test_images::Png(10, 10);
  wrong_type[12] = 'i';  // "iHDR"
  CheckNoSize(wrong_type, ImageFormat::kPng);
  std::string wrong_length = test_images::Png(10, 10);
  wrong_length[11] = 14;
  CheckNoSize(wrong_length, ImageFormat::kPng);
  // Every truncation before the end of the height field.
  const std::string png = test_images::Png(300, 200);
  for (std::size_t n = 8; n < 24; ++n) {
    INFO("prefix " << n);
    CheckNoSize(png.substr(0, n), ImageFormat::kPng);
  }
  CheckSize(png.substr(0, 24), ImageFormat::kPng, 300, 200);
}

TEST_CASE("JPEG dimensions come from the SOFn segment", "[image_header]") {
  CheckSize(test_images::Jpeg(64, 64), ImageFormat::kJpeg, 64, 64);
  CheckSize(test_images::Jpeg(4096, 4097), ImageFormat::kJpeg, 4096, 4097);
  CheckSize(test_images::Jpeg(65535, 1), ImageFormat::kJpeg, 65535, 1);
  CheckSize(test_images::Jpeg(0x0102, 0x0304), ImageFormat::kJpeg, 0x0102, 0x0304);
  // Every frame type is read: SOF0-SOF3, SOF5-SOF7, SOF9-SOF11, SOF13-SOF15.
  for (unsigned marker : {0xc0u, 0xc1u, 0xc2u, 0xc3u, 0xc5u, 0xc6u, 0xc7u, 0xc9u, 0xcau, 0xcbu,
                          0xcdu, 0xceu, 0xcfu}) {
    INFO("marker " << marker);
    CheckSize(test_images::Jpeg(321, 123, static_cast<unsigned char>(marker)), ImageFormat::kJpeg,
              321, 123);
  }
}

TEST_CASE("JPEG walk skips DHT, JPG and DAC, which share the SOF range", "[image_header]") {
  for (unsigned marker : {0xc4u, 0xc8u, 0xccu}) {
    INFO("marker " << marker);
    // A segment shaped like a SOF but with a non-frame marker must be skipped.
    const std::string fake = Sof(static_cast<unsigned char>(marker), 9, 9);
    CheckSize(JpegWith(fake + Sof(0xc0, 100, 200)), ImageFormat::kJpeg, 100, 200);
  }
}

TEST_CASE("JPEG walk skips segments by length, not by content", "[image_header]") {
  // An APP1 whose payload contains a thumbnail SOF must not be mistaken for the frame.
  const std::string app1 = Segment(0xe1, "Exif\0\0" + Sof(0xc0, 16, 16) + "tail");
  CheckSize(JpegWith(app1 + Sof(0xc2, 800, 600)), ImageFormat::kJpeg, 800, 600);
  const std::string comment = Segment(0xfe, std::string("\xff\xc0\x00\x11\x08\x00\x10\x00\x10", 9));
  CheckSize(JpegWith(comment + Sof(0xc0, 70, 80)), ImageFormat::kJpeg, 70, 80);
}

TEST_CASE("JPEG walk tolerates fill bytes, RSTn, TEM and stray bytes", "[image_header]") {
  const std::string sof = Sof(0xc0, 111, 222);
  CheckSize(JpegWith(std::string("\xff\xff\xff", 3) + sof), ImageFormat::kJpeg, 111, 222);
  CheckSize(JpegWith(std::string("\xff\xd0\xff\xd7\xff\x01", 6) + sof), ImageFormat::kJpeg, 111,
            222);
  CheckSize(JpegWith(Segment(0xe0, "JFIF") + std::string("\x00\x12", 2) + sof), ImageFormat::kJpeg,
            111, 222);
}

TEST_CASE("JPEG without a readable frame header has a format but no size", "[image_header]") {
  const std::string sof = Sof(0xc0, 111, 222);
  CheckNoSize(std::string("\xff\xd8\xff", 3), ImageFormat::kJpeg);
  CheckNoSize(JpegWith(std::string("\xff\xd9", 2) + sof), ImageFormat::kJpeg);  // EOI first
  CheckNoSize(JpegWith(Segment(0xda, "\x01\x01\x00\x00\x3f\x00") + sof),
              ImageFormat::kJpeg);                                              // SOS first
  CheckNoSize(JpegWith(std::string("\xff\xd8", 2) + sof), ImageFormat::kJpeg);  // second SOI
  CheckNoSize(JpegWith(Sof(0xc0, 100, 0)), ImageFormat::kJpeg);                 // height from DNL
  CheckNoSize(JpegWith(Sof(0xc0, 0, 100)), ImageFormat::kJpeg);
  // Segment length below 2, and a SOF too short to hold the dimensions.
  CheckNoSize(JpegWith(std::string("\xff\xe0\x00\x01", 4) + sof), ImageFormat::kJpeg);
  CheckNoSize(JpegWith(std::string("\xff\xc0\x00\x07\x08\x00\x10\x00\x10\x01", 10)),
              ImageFormat::kJpeg);
  // A segment length running past the end.
  CheckNoSize(JpegWith(std::string("\xff\xe1\xff\xff", 4) + sof), ImageFormat::kJpeg);
  // Only fill bytes.
  CheckNoSize(JpegWith(std::string(100, '\xff')), ImageFormat::kJpeg);
}

TEST_CASE("no JPEG prefix reads past its end or reports a partial size", "[image_header]") {
  const std::string jpeg = test_images::Jpeg(1234, 567);
  // The frame header counts as readable once SOI(2) + APP0(18) + DQT(69) and the
  // SOF marker(2) plus its length, precision, height, width and component
  // count (8) are all present.
  const std::size_t sof_complete = 2 + 18 + 69 + 2 + 8;
  for (std::size_t n = 3; n < jpeg.size(); ++n) {
    // A copy of exactly n bytes, so ASan catches any read past the end.
    const std::string prefix = jpeg.substr(0, n);
    INFO("prefix " << n);
    const auto info = ReadImageHeader(prefix);
    REQUIRE(info.has_value());
    if (n < sof_complete) {
      CHECK_FALSE(info->HasDimensions());
    } else {
      CHECK(info->width == 1234);
      CHECK(info->height == 567);
    }
  }
}

TEST_CASE("random bytes after the magic never crash the header reader", "[image_header]") {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  // Biased towards 0xFF and marker-like bytes so the walker takes every branch.
  const unsigned char interesting[] = {0xff, 0xff, 0xc0, 0xc4, 0xd0, 0xd9, 0xda, 0x00, 0x01, 0x02};
  for (int round = 0; round < 3000; ++round) {
    std::string data =
        round % 2 == 0 ? std::string("\xff\xd8\xff", 3) : std::string("\x89PNG\r\n\x1a\n", 8);
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
      const int r = byte(rng);
      data += static_cast<char>(r < 128 ? interesting[r % 10] : r);
    }
    const auto info = ReadImageHeader(data);
    REQUIRE(info.has_value());
    CHECK(info->format == (round % 2 == 0 ? ImageFormat::kJpeg : ImageFormat::kPng));
  }
}

}  // namespace image_header_test
