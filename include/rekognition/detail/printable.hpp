// rekognition-cpp: one-line printable excerpts of text that came from a peer.
#ifndef REKOGNITION_DETAIL_PRINTABLE_HPP
#define REKOGNITION_DETAIL_PRINTABLE_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "rekognition/detail/utf8.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// How much of a peer's code, request id or message an error carries.
inline constexpr std::size_t kPeerExcerptBytes = 300;

/// Makes `text` safe for a one-line message: valid UTF-8 kept, runs of
/// whitespace and control characters become one space, invalid bytes become
/// '?', edges trimmed, cut at `max_bytes` (on a character boundary) with "...".
REKOGNITION_INLINE std::string PrintableExcerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c == ' ') {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    std::size_t length = c < 0x80 ? 1 : Utf8SequenceLength(text, i);
    const std::string_view piece = length == 0 ? std::string_view("?") : text.substr(i, length);
    if (out.size() + (pending_space ? 1 : 0) + piece.size() > max_bytes) {
      out += "...";
      return out;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(piece.data(), piece.size());
    i += length == 0 ? 1 : length;
  }
  return out;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_PRINTABLE_HPP
