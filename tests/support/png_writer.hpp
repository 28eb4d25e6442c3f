// Test support: a small RGB canvas and a self-contained PNG encoder, so tests
// and the sample-image generator make real images without an image library.
//
// The encoder writes one zlib stream with fixed-Huffman deflate blocks and a
// greedy LZ77 that only looks at two candidates: the previous byte run
// (distance 3, one pixel back) and the row above (distance stride + 1). Flat
// drawings compress to a few KB that way, which keeps committed files small.
#ifndef REKOGNITION_TESTS_PNG_WRITER_HPP
#define REKOGNITION_TESTS_PNG_WRITER_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace testing_support {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

/// A width x height RGB picture with a few drawing primitives (pixel centres
/// at x + 0.5, y + 0.5; shapes are filled, edges are not anti-aliased).
class Canvas {
 public:
  Canvas(int width, int height, Rgb background)
      : width_(width),
        height_(height),
        pixels_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), background) {}

  int width() const { return width_; }
  int height() const { return height_; }

  void Set(int x, int y, Rgb colour) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    pixels_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
            static_cast<std::size_t>(x)] = colour;
  }
  Rgb Get(int x, int y) const {
    return pixels_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                   static_cast<std::size_t>(x)];
  }

  /// Fills [x, x + w) x [y, y + h).
  void FillRect(int x, int y, int w, int h, Rgb colour) {
    for (int j = y; j < y + h; ++j)
      for (int i = x; i < x + w; ++i) Set(i, j, colour);
  }

  /// Fills the ellipse centred at (cx, cy) with radii rx, ry.
  void FillEllipse(double cx, double cy, double rx, double ry, Rgb colour) {
    for (int j = static_cast<int>(cy - ry) - 1; j <= static_cast<int>(cy + ry) + 1; ++j)
      for (int i = static_cast<int>(cx - rx) - 1; i <= static_cast<int>(cx + rx) + 1; ++i) {
        const double dx = (i + 0.5 - cx) / rx, dy = (j + 0.5 - cy) / ry;
        if (dx * dx + dy * dy <= 1.0) Set(i, j, colour);
      }
  }

  /// Fills a simple polygon (even-odd rule) given in pixel coordinates.
  void FillPolygon(const std::vector<std::pair<double, double>>& points, Rgb colour) {
    if (points.size() < 3) return;
    double top = points[0].second, bottom = top;
    for (const auto& p : points) {
      top = std::min(top, p.second);
      bottom = std::max(bottom, p.second);
    }
    for (int j = std::max(0, static_cast<int>(top));
         j <= std::min(height_ - 1, static_cast<int>(bottom)); ++j) {
      const double y = j + 0.5;
      std::vector<double> crossings;
      for (std::size_t k = 0; k < points.size(); ++k) {
        const auto& a = points[k];
        const auto& b = points[(k + 1) % points.size()];
        if ((a.second <= y) != (b.second <= y))
          crossings.push_back(a.first +
                              (y - a.second) * (b.first - a.first) / (b.second - a.second));
      }
      std::sort(crossings.begin(), crossings.end());
      for (std::size_t k = 0; k + 1 < crossings.size(); k += 2)
        for (int i = static_cast<int>(std::ceil(crossings[k] - 0.5));
             i <= static_cast<int>(std::floor(crossings[k + 1] - 0.5)); ++i)
          Set(i, j, colour);
    }
  }

 private:
  int width_;
  int height_;
  std::vector<Rgb> pixels_;
};

namespace png_detail {

inline std::uint32_t Crc32(const std::string& data, std::size_t from) {
  static const std::array<std::uint32_t, 256> kTable = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      table[n] = c;
    }
    return table;
  }();
  std::uint32_t c = 0xffffffffu;
  for (std::size_t i = from; i < data.size(); ++i)
    c = kTable[(c ^ static_cast<unsigned char>(data[i])) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

inline void PutBigEndian32(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

inline void AppendChunk(std::string& png, const char* type, const std::string& data) {
  PutBigEndian32(png, static_cast<std::uint32_t>(data.size()));
  const std::size_t crc_from = png.size();
  png += type;
  png += data;
  PutBigEndian32(png, Crc32(png, crc_from));
}

// Deflate's bit order: values LSB first, Huffman codes MSB first.
class BitWriter {
 public:
  void Bits(std::uint32_t value, int count) {
    for (int i = 0; i < count; ++i) Push((value >> i) & 1);
  }
  void Code(std::uint32_t code, int length) {
    for (int i = length - 1; i >= 0; --i) Push((code >> i) & 1);
  }
  std::string Finish() {
    if (used_ > 0) out_ += static_cast<char>(current_);
    return std::move(out_);
  }

 private:
  void Push(std::uint32_t bit) {
    current_ = static_cast<std::uint8_t>(current_ | (bit << used_));
    if (++used_ == 8) {
      out_ += static_cast<char>(current_);
      current_ = 0;
      used_ = 0;
    }
  }
  std::string out_;
  std::uint8_t current_ = 0;
  int used_ = 0;
};

// The fixed literal/length code of RFC 1951 section 3.2.6.
inline void WriteLiteralOrLength(BitWriter& bits, int symbol) {
  if (symbol < 144)
    bits.Code(static_cast<std::uint32_t>(0x30 + symbol), 8);
  else if (symbol < 256)
    bits.Code(static_cast<std::uint32_t>(0x190 + symbol - 144), 9);
  else if (symbol < 280)
    bits.Code(static_cast<std::uint32_t>(symbol - 256), 7);
  else
    bits.Code(static_cast<std::uint32_t>(0xc0 + symbol - 280), 8);
}

inline void WriteMatch(BitWriter& bits, int length, int distance) {
  static constexpr int kLengthBase[] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                        15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                        67, 83, 99, 115, 131, 163, 195, 227, 258};
  static constexpr int kLengthExtra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  static constexpr int kDistBase[] = {
      1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
      193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
  static constexpr int kDistExtra[] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
  int l = 28;
  while (kLengthBase[l] > length) --l;
  WriteLiteralOrLength(bits, 257 + l);
  bits.Bits(static_cast<std::uint32_t>(length - kLengthBase[l]), kLengthExtra[l]);
  int d = 29;
  while (kDistBase[d] > distance) --d;
  bits.Code(static_cast<std::uint32_t>(d), 5);
  bits.Bits(static_cast<std::uint32_t>(distance - kDistBase[d]), kDistExtra[d]);
}

// A zlib stream (RFC 1950) of one final fixed-Huffman block.
inline std::string Zlib(const std::string& data, int row_distance) {
  BitWriter bits;
  bits.Bits(1, 1);  // BFINAL
  bits.Bits(1, 2);  // BTYPE = fixed Huffman
  const std::size_t n = data.size();
  std::size_t i = 0;
  while (i < n) {
    int best_length = 0, best_distance = 0;
    for (int distance : {3, row_distance}) {
      if (distance <= 0 || static_cast<std::size_t>(distance) > i || distance > 32768) continue;
      int length = 0;
      while (length < 258 && i + static_cast<std::size_t>(length) < n &&
             data[i + static_cast<std::size_t>(length)] ==
                 data[i + static_cast<std::size_t>(length) - static_cast<std::size_t>(distance)])
        ++length;
      if (length > best_length) {
        best_length = length;
        best_distance = distance;
      }
    }
    if (best_length >= 3) {
      WriteMatch(bits, best_length, best_distance);
      i += static_cast<std::size_t>(best_length);
    } else {
      WriteLiteralOrLength(bits, static_cast<unsigned char>(data[i]));
      ++i;
    }
  }
  WriteLiteralOrLength(bits, 256);  // end of block
  std::uint32_t a = 1, b = 0;
  for (char c : data) {
    a = (a + static_cast<unsigned char>(c)) % 65521;
    b = (b + a) % 65521;
  }
  std::string out = "\x78\x01";  // deflate, 32 KB window, no preset dictionary
  out += bits.Finish();
  PutBigEndian32(out, (b << 16) | a);
  return out;
}

}  // namespace png_detail

/// Encodes `canvas` as an 8-bit RGB PNG (no interlace, filter type 0).
inline std::string EncodePng(const Canvas& canvas) {
  const auto width = static_cast<std::uint32_t>(canvas.width());
  const auto height = static_cast<std::uint32_t>(canvas.height());
  std::string raw;
  raw.reserve((width * 3 + 1) * height);
  for (int y = 0; y < canvas.height(); ++y) {
    raw += '\0';  // filter: none
    for (int x = 0; x < canvas.width(); ++x) {
      const Rgb c = canvas.Get(x, y);
      raw += static_cast<char>(c.r);
      raw += static_cast<char>(c.g);
      raw += static_cast<char>(c.b);
    }
  }
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  png_detail::PutBigEndian32(header, width);
  png_detail::PutBigEndian32(header, height);
  header +=
      std::string("\x08\x02\x00\x00\x00", 5);  // depth 8, RGB, deflate, filter 0, no interlace
  png_detail::AppendChunk(png, "IHDR", header);
  png_detail::AppendChunk(png, "IDAT", png_detail::Zlib(raw, static_cast<int>(width * 3 + 1)));
  png_detail::AppendChunk(png, "IEND", "");
  return png;
}

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_PNG_WRITER_HPP
