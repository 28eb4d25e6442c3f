// Small, hand-built PNG and JPEG byte strings for tests. Only the headers are
// meaningful; the pixel data is a placeholder.
#ifndef REKOGNITION_TESTS_SUPPORT_TEST_IMAGES_HPP
#define REKOGNITION_TESTS_SUPPORT_TEST_IMAGES_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace test_images {

inline void AppendBigEndian32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

inline void AppendBigEndian16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit: slow but tiny.
inline std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xffffffffu;
  for (char ch : data) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xffffffffu;
}

inline void AppendPngChunk(std::string& out, std::string_view type, std::string_view data) {
  AppendBigEndian32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t crc_start = out.size();
  out.append(type.data(), type.size());
  out.append(data.data(), data.size());
  AppendBigEndian32(out, Crc32(std::string_view(out).substr(crc_start)));
}

/// A PNG: signature, IHDR (8-bit RGB), a placeholder IDAT, IEND.
inline std::string Png(std::uint32_t width, std::uint32_t height) {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  AppendBigEndian32(ihdr, width);
  AppendBigEndian32(ihdr, height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  AppendPngChunk(out, "IHDR", ihdr);
  AppendPngChunk(out, "IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
  AppendPngChunk(out, "IEND", "");
  return out;
}

/// A baseline JPEG header: SOI, APP0 (JFIF), DQT, SOFn, DHT, SOS, a few bytes
/// of scan data and EOI. `sof` picks the frame type (0xC0 baseline, 0xC2
/// progressive, ...).
inline std::string Jpeg(std::uint32_t width, std::uint32_t height, unsigned char sof = 0xc0) {
  std::string out("\xff\xd8", 2);
  out += std::string("\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  // DQT: one 8-bit table of 64 ones.
  out += std::string("\xff\xdb\x00\x43\x00", 5) + std::string(64, '\x01');
  out += '\xff';
  out += static_cast<char>(sof);
  AppendBigEndian16(out, 17);  // 8 + 3 components * 3
  out += '\x08';
  AppendBigEndian16(out, height);
  AppendBigEndian16(out, width);
  out += std::string("\x03\x01\x22\x00\x02\x11\x00\x03\x11\x00", 10);
  // DHT: a table with one code.
  out += std::string("\xff\xc4\x00\x14\x00\x01", 6) + std::string(15, '\x00') + '\x00';
  out += std::string("\xff\xda\x00\x0c\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00", 14);
  out += std::string("\x12\x34\xff\x00\x56", 5);  // scan data with a stuffed 0xFF
  out += std::string("\xff\xd9", 2);
  return out;
}

/// `image` padded with zero bytes after its end to exactly `size` bytes.
inline std::string PadTo(std::string image, std::size_t size) {
  image.resize(size, '\0');
  return image;
}

}  // namespace test_images

#endif  // REKOGNITION_TESTS_SUPPORT_TEST_IMAGES_HPP
