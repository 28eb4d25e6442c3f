// rekognition-bench: a valid PNG of any size, for loads with a given image size.
#ifndef REKOGNITION_BENCH_SYNTHETIC_PNG_HPP
#define REKOGNITION_BENCH_SYNTHETIC_PNG_HPP

#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "../../tests/support/png_writer.hpp"

namespace bench {

// The Custom Labels limits the image must meet (64 px sides at the least,
// 4 MB at the most), and what a 64x64 PNG with a padding chunk needs.
constexpr std::size_t kMinSyntheticPngBytes = 512;
constexpr std::size_t kMaxSyntheticPngBytes = std::size_t{4} << 20;

/// A 64x64 RGB PNG of exactly `size` bytes: a real picture (IHDR, IDAT,
/// IEND, readable by any decoder) padded with a tEXt "Comment" chunk of
/// random letters, so the bytes do not compress. Throws std::invalid_argument
/// outside [kMinSyntheticPngBytes, kMaxSyntheticPngBytes].
inline std::string SyntheticPng(std::size_t size) {
  if (size < kMinSyntheticPngBytes || size > kMaxSyntheticPngBytes)
    throw std::invalid_argument("a synthetic PNG must be " + std::to_string(kMinSyntheticPngBytes) +
                                " to " + std::to_string(kMaxSyntheticPngBytes) + " bytes");
  testing_support::Canvas canvas(64, 64, testing_support::Rgb{240, 240, 235});
  canvas.FillRect(8, 16, 24, 40, testing_support::Rgb{200, 30, 30});
  canvas.FillEllipse(46, 32, 12, 20, testing_support::Rgb{30, 90, 200});
  std::string png = testing_support::EncodePng(canvas);
  constexpr std::size_t kIendBytes = 12;   // length, type, CRC
  constexpr std::size_t kChunkBytes = 12;  // the same around the padding
  const std::string keyword("Comment\0", 8);
  const std::size_t fixed = png.size() + kChunkBytes + keyword.size();
  if (fixed > size) throw std::logic_error("the synthetic PNG's picture outgrew its minimum size");
  png.resize(png.size() - kIendBytes);
  std::string text = keyword;
  text.reserve(keyword.size() + size - fixed);
  std::mt19937 random(12345);
  while (text.size() < keyword.size() + size - fixed)
    text.push_back(static_cast<char>('a' + random() % 26));
  testing_support::png_detail::AppendChunk(png, "tEXt", text);
  testing_support::png_detail::AppendChunk(png, "IEND", "");
  return png;
}

}  // namespace bench

#endif  // REKOGNITION_BENCH_SYNTHETIC_PNG_HPP
