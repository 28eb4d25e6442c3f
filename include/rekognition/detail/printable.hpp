// rekognition-cpp: making text that came from a peer safe for a one-line message.
#ifndef REKOGNITION_DETAIL_PRINTABLE_HPP
#define REKOGNITION_DETAIL_PRINTABLE_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "rekognition/detail/utf8.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Reduces a raw error code to its bare name: cut at the first ':' (Coral
/// appends a URL), keep what follows the last '#' (a Smithy namespace),
/// trim whitespace, cap the length and replace anything unprintable.
REKOGNITION_INLINE std::string SanitizeErrorCode(std::string_view raw) {
  raw = raw.substr(0, raw.find(':'));
  const std::size_t hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  std::string code(raw.substr(0, 256));
  for (char& c : code)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  return code;
}

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
